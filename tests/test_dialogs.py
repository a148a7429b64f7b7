"""Every dialog file in tests/dialogs, played through the simulator against the app."""

from __future__ import annotations

from pathlib import Path

import pytest

from skill.simulator import dialogs
from skill.simulator.core import InProcess, Simulator
from skill.simulator.standin import AlexaApiStandIn

DIALOGS = sorted(Path(__file__).parent.joinpath("dialogs").glob("*.*"))


@pytest.fixture(scope="module")
def apis():
    """Stands in for Alexa's APIs in Amazon's cloud (reminders, time zone, permissions)."""
    with AlexaApiStandIn() as stand_in:
        yield stand_in


@pytest.mark.parametrize("path", DIALOGS, ids=[p.name for p in DIALOGS])
def test_dialog(app, model, apis, path):
    transport = InProcess(app)
    result = dialogs.run(
        dialogs.load(path),
        lambda d: Simulator(model, transport, d.locale, d.user_id, apis=apis, **dialogs.options(d)),
    )
    assert result.passed, dialogs.report(result)
    assert result.turns


def test_a_changed_answer_fails_with_a_readable_report(app, model, tmp_path):
    script = tmp_path / "changed.yaml"
    script.write_text(
        "name: changed\nturns:\n"
        "  - say: how heavy should i lift\n"
        "    expect: {intent: HowHeavyIntent, speech: '/fifteen to twenty reps/', session_open: true}\n"
    )
    result = dialogs.run(dialogs.load(script), lambda d: Simulator(model, InProcess(app)))
    assert not result.passed
    text = dialogs.report(result)
    assert "FAIL" in text and 'turn 1 "how heavy should i lift": speech' in text
    assert "expected: '/fifteen to twenty reps/'" in text
    assert "session_open" in text  # a one-shot closes the session


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("turns: []", "non-empty 'turns'"),
        ("turns:\n  - expect: {intent: X}", "needs 'say'"),
        ("turns:\n  - say: hi\n    expect: {colour: red}", "unknown fields"),
        ("turns: [", "not valid YAML"),
        ("turns:\n  - say: yes", "quote words"),
    ],
)
def test_broken_dialog_files_are_explained(tmp_path, content, message):
    path = tmp_path / "broken.yaml"
    path.write_text(content)
    with pytest.raises(dialogs.DialogError, match=message):
        dialogs.load(path)


def test_every_intent_in_the_model_is_covered_by_a_dialog(model):
    import json

    from skill.config import PROJECT_ROOT

    language = json.loads((PROJECT_ROOT / "interaction_model.json").read_text())
    intents = {i["name"] for i in language["interactionModel"]["languageModel"]["intents"]}
    covered = {
        (turn.get("expect") or {}).get("intent")
        for path in DIALOGS
        if path.suffix == ".yaml"
        for turn in dialogs.load(path).turns
    }
    assert intents - covered == set()
