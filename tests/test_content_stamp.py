"""Content checked once is not checked again at start-up, and changed content always is."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from skill.builder import load_checked, load_for_start
from skill.config import PROJECT_ROOT
from skill.content import stamp
from skill.content.model import ContentError
from tests.helpers import local_app


@pytest.fixture
def copy(tmp_path) -> Path:
    """The shipped content and model, with no stamp."""
    shutil.copytree(
        PROJECT_ROOT / "content", tmp_path / "content", ignore=shutil.ignore_patterns(stamp.STAMP)
    )
    shutil.copy(PROJECT_ROOT / "interaction_model.json", tmp_path / "interaction_model.json")
    return tmp_path


def start(folder: Path, database_url: str):
    return local_app(
        database_url,
        CONTENT_DIR=folder / "content",
        INTERACTION_MODEL=folder / "interaction_model.json",
    )


def break_first_answer(folder: Path) -> None:
    """An answer with no follow-up question: the schema refuses it."""
    path = folder / "content/topics/how_heavy.json"
    data = json.loads(path.read_text())
    data["answer"].pop("follow_up")
    path.write_text(json.dumps(data, indent=2))


def test_a_start_that_checked_in_full_stamps_the_content(copy, tmp_path):
    start(copy, f"sqlite:///{tmp_path / 'a.sqlite3'}")
    written = (copy / "content" / stamp.STAMP).read_text().strip()
    assert written == stamp.fingerprint(
        copy / "content", copy / "interaction_model.json", stamp_extra()
    )


def stamp_extra() -> list[str]:
    import intents

    return sorted(intents.HANDLED_INTENTS)


def test_content_changed_after_its_stamp_is_checked_again_and_refused(copy, tmp_path):
    start(copy, f"sqlite:///{tmp_path / 'a.sqlite3'}")
    assert (copy / "content" / stamp.STAMP).exists()
    break_first_answer(copy)
    with pytest.raises(ContentError) as caught:
        start(copy, f"sqlite:///{tmp_path / 'b.sqlite3'}")
    assert any("how_heavy" in p and "follow_up" in p for p in caught.value.problems)


def test_a_changed_model_is_checked_again(copy):
    load_for_start(copy / "content", copy / "interaction_model.json")
    model = json.loads((copy / "interaction_model.json").read_text())
    model["interactionModel"]["languageModel"]["invocationName"] = "Bone Builder!"
    (copy / "interaction_model.json").write_text(json.dumps(model))
    with pytest.raises(ContentError, match="invocationName"):
        load_for_start(copy / "content", copy / "interaction_model.json")


def test_a_matching_stamp_leaves_the_checks_out(copy):
    """The stamp is trusted as it stands: stamped by hand over content that breaks a speech
    rule (digits and "kg"), the start loads it without checking; a full check refuses it."""
    path = copy / "content/topics/how_heavy.json"
    data = json.loads(path.read_text())
    data["answer"]["speech"] = "Lift 20 kg."
    path.write_text(json.dumps(data, indent=2))
    with pytest.raises(ContentError, match="how_heavy"):
        load_checked(copy / "content", copy / "interaction_model.json")
    forged = stamp.fingerprint(copy / "content", copy / "interaction_model.json", stamp_extra())
    (copy / "content" / stamp.STAMP).write_text(forged)
    content, _ = load_for_start(copy / "content", copy / "interaction_model.json")
    assert content.topics["how_heavy"].answer.speech == "Lift 20 kg."


def test_the_fingerprint_covers_content_model_checks_and_handled_intents(copy):
    content, model = copy / "content", copy / "interaction_model.json"
    before = stamp.fingerprint(content, model, ["A"])
    assert stamp.fingerprint(content, model, ["A"]) == before
    assert stamp.fingerprint(content, model, ["A", "B"]) != before
    (content / "CHANGES.md").write_text("not content the checks read")
    assert stamp.fingerprint(content, model, ["A"]) == before
    (content / "lines" / "extra.json").write_text("{}")
    assert stamp.fingerprint(content, model, ["A"]) != before
    unchanged = stamp.fingerprint(content, model)
    model.write_text(model.read_text() + " ")
    assert stamp.fingerprint(content, model) != unchanged
    assert any(p.name == "loader.py" for p in stamp.CHECKS.glob("*.py"))


def test_a_stamp_that_cannot_be_written_is_no_failure(copy):
    gone = copy / "no-such-folder"
    assert stamp.record(gone, copy / "interaction_model.json") is False
    assert not stamp.was_checked(gone, copy / "interaction_model.json")
