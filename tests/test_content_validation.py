"""Broken content or interaction model stops start-up with a message naming the place."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from skill import create_app
from skill.builder import load_checked
from skill.config import PROJECT_ROOT
from skill.content.model import ContentError


def settings(folder: Path) -> dict:
    return {
        "CONTENT_DIR": folder / "content",
        "INTERACTION_MODEL": folder / "interaction_model.json",
    }


def edit(path: Path, change) -> None:
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data, indent=2))


def problems(folder: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_checked(folder / "content", folder / "interaction_model.json")
    return caught.value.problems


def test_shipped_content_is_valid():
    content, model = load_checked(
        PROJECT_ROOT / "content", PROJECT_ROOT / "interaction_model.json"
    )
    assert len(content.topics) >= 14
    assert model["interactionModel"]["languageModel"]["invocationName"] == "bone builder"


def test_missing_field_names_file_entry_and_field(project_copy):
    edit(project_copy / "content/topics/how_heavy.json", lambda d: d["answer"].pop("follow_up"))
    [message] = problems(project_copy)
    assert "content/topics/how_heavy.json" in message
    assert "entry 'how_heavy'" in message and "follow_up" in message


def test_wrong_type_in_a_variant(project_copy):
    edit(
        project_copy / "content/topics/exercise_check.json",
        lambda d: d["variants"]["SQUAT"].update(sources="essa_2017"),
    )
    [message] = problems(project_copy)
    assert "entry 'exercise_check/SQUAT'" in message and "field 'sources'" in message


def test_speech_over_the_word_budget(project_copy):
    def long(d):
        d["answer"]["speech"] = " ".join(["bone"] * 36)

    edit(project_copy / "content/topics/how_often.json", long)
    [message] = problems(project_copy)
    assert "how_often.json" in message and "answer.speech" in message and "36 words" in message


def test_unknown_source_id(project_copy):
    edit(project_copy / "content/topics/men.json", lambda d: d["answer"].update(sources=["no_such_study"]))
    [message] = problems(project_copy)
    assert "men.json" in message and "no_such_study" in message


def test_source_without_pmid_doi_or_address(project_copy):
    def strip(d):
        d["liftmor_2018"].pop("pmid", None)
        d["liftmor_2018"].pop("doi", None)

    edit(project_copy / "content/sources.json", strip)
    message = problems(project_copy)[0]
    assert "content/sources.json" in message and "entry 'liftmor_2018'" in message


def test_follow_up_must_be_a_question(project_copy):
    edit(project_copy / "content/topics/japan.json", lambda d: d["answer"].update(follow_up="Say more."))
    assert "follow_up" in problems(project_copy)[0]


def test_file_that_is_not_json(project_copy):
    (project_copy / "content/topics/reverse.json").write_text("{ nope")
    assert "reverse.json" in problems(project_copy)[0] and "not valid JSON" in problems(project_copy)[0]


def test_topic_whose_intent_is_not_in_the_model(project_copy):
    edit(project_copy / "content/topics/men.json", lambda d: d.update(intent="MenAndBonesIntent"))
    assert any("MenAndBonesIntent is not in the interaction model" in p for p in problems(project_copy))


def test_model_intent_without_content_or_handler(project_copy):
    def add(d):
        d["interactionModel"]["languageModel"]["intents"].append(
            {"name": "GardeningIntent", "samples": [f"how do i grow {veg}" for veg in VEGETABLES]}
        )

    edit(project_copy / "interaction_model.json", add)
    assert any("GardeningIntent" in p and "no content topic" in p for p in problems(project_copy))


def test_variant_id_not_in_the_slot_type(project_copy):
    edit(project_copy / "content/topics/nutrition.json", lambda d: d["variants"].update(IRON=d["answer"]))
    assert any("IRON" in p for p in problems(project_copy))


VEGETABLES = [
    "tomatoes",
    "beans",
    "peas",
    "leeks",
    "kale",
    "chard",
    "onions",
    "garlic",
    "carrots",
    "beets",
]


def _model(project_copy, change):
    edit(project_copy / "interaction_model.json", lambda d: change(d["interactionModel"]["languageModel"]))
    return problems(project_copy)


def _intent(lm, name):
    return next(i for i in lm["intents"] if i["name"] == name)


@pytest.mark.parametrize(
    ("change", "expect"),
    [
        (lambda lm: lm.update(invocationName="Bone Builder"), "invocationName"),
        (lambda lm: lm.update(invocationName="bones"), "two or more words"),
        (lambda lm: lm.update(invocationName="open bone builder"), "launch phrases"),
        (
            lambda lm: _intent(lm, "HowHeavyIntent")["samples"].append("how heavy for 5 reps"),
            "token '5'",
        ),
        (
            lambda lm: _intent(lm, "HowHeavyIntent")["samples"].append("how heavy?"),
            "token 'heavy?'",
        ),
        (
            lambda lm: _intent(lm, "HowHeavyIntent")["samples"].append("how heavy for {Reps}"),
            "does not define",
        ),
        (
            lambda lm: _intent(lm, "MenIntent")["samples"].append(
                _intent(lm, "HowHeavyIntent")["samples"][0]
            ),
            "is also in HowHeavyIntent",
        ),
        (
            lambda lm: lm.update(
                intents=[i for i in lm["intents"] if i["name"] != "AMAZON.StopIntent"]
            ),
            "AMAZON.StopIntent is missing",
        ),
        (lambda lm: _intent(lm, "JapanIntent").update(samples=[]), "need sample utterances"),
        (
            lambda lm: _intent(lm, "JapanIntent").update(samples=["what do people in japan do"]),
            "it has 1",
        ),
    ],
)
def test_model_rules(project_copy, change, expect):
    assert any(expect in p for p in _model(project_copy, change))


def test_app_refuses_to_start_on_broken_content(project_copy, tmp_path):
    edit(project_copy / "content/topics/how_heavy.json", lambda d: d["answer"].pop("speech"))
    with pytest.raises(ContentError, match="how_heavy.json"):
        create_app(
            {
                "ALEXA_VERIFY_SIGNATURES": False,
                **settings(project_copy),
                "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
            }
        )


def _validate(folder: Path | None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if folder is not None:
        env["BONE_BUILDER_CONTENT_DIR"] = str(folder / "content")
        env["BONE_BUILDER_INTERACTION_MODEL"] = str(folder / "interaction_model.json")
    return subprocess.run(
        [sys.executable, "-m", "skill", "validate"],
        env=env,
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=60,
    )


@pytest.mark.slow
def test_validate_command(project_copy):
    ok = _validate(None)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("OK:")
    edit(project_copy / "content/topics/how_heavy.json", lambda d: d["answer"].pop("card"))
    bad = _validate(project_copy)
    assert bad.returncode == 1
    assert "how_heavy.json" in bad.stderr and "card" in bad.stderr
    assert "Traceback" not in bad.stderr


#: The schema's ceilings on the workout's rules, each a safety limit for people with low
#: bone mass or one of Alexa's: a usual step of at most ten percent (ACSM 2009), no jump
#: over a quarter, lifting above eighty percent of the estimated maximum only supervised,
#: at most 10 s of silence per break tag. (path in workout.json, the ceiling, one past it)
CEILINGS = [
    (("progression", "largest_step"), 0.1, 0.11),
    (("progression", "largest_jump"), 0.25, 0.26),
    (("progression", "lighter_by"), 0.25, 0.26),
    (("progression", "supervision_above"), 0.8, 0.81),
    (("progression", "smallest_step", "kg"), 2.5, 2.6),
    (("progression", "smallest_step", "lb"), 5, 5.5),
    (("progression", "most_reps"), 20, 21),
    (("progression", "sessions_at_top"), 5, 6),
    (("rest", "break_seconds"), 10, 11),
]


@pytest.mark.parametrize(
    ("path", "ceiling", "over"), CEILINGS, ids=[".".join(c[0]) for c in CEILINGS]
)
def test_the_schemas_ceilings_on_the_workout_rules_hold(project_copy, path, ceiling, over):
    def put(value):
        def change(data):
            for key in path[:-1]:
                data = data[key]
            data[path[-1]] = value

        edit(project_copy / "content/workout.json", change)

    put(ceiling)
    load_checked(project_copy / "content", project_copy / "interaction_model.json")
    put(over)
    found = problems(project_copy)
    field = ".".join(path[1:])
    assert any("workout.json" in p and f"field '{field}'" in p for p in found), found
