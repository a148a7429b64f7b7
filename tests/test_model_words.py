"""The words people use, in the interaction model: warning signs by the help they call for,
tired muscles apart, ordinary sentences left alone, and the short replies inside a
conversation reaching the intent whose meaning the conversation table gives."""

from __future__ import annotations

import json

import pytest

from intents.safety import classify
from skill.config import PROJECT_ROOT
from skill.content.loader import load_content
from skill.simulator.nlu import FALLBACK

MODEL = json.loads((PROJECT_ROOT / "interaction_model.json").read_text(encoding="utf-8"))
LM = MODEL["interactionModel"]["languageModel"]
SAFETY = json.loads((PROJECT_ROOT / "content" / "safety.json").read_text(encoding="utf-8"))
TYPES = {t["name"]: t for t in LM["types"]}
CONTENT = load_content(PROJECT_ROOT / "content")
LEAST = {
    "SymptomIntent": 170,
    "AMAZON.StopIntent": 35,
    "AMAZON.PauseIntent": 35,
    "AMAZON.YesIntent": 40,
    "AMAZON.NoIntent": 40,
    "AMAZON.CancelIntent": 25,
    "AMAZON.ResumeIntent": 25,
    "AMAZON.NextIntent": 25,
    "AMAZON.RepeatIntent": 25,
    "AMAZON.HelpIntent": 25,
}


def _id(slot: dict) -> str | None:
    for authority in slot.get("resolutions", {}).get("resolutionsPerAuthority", []):
        if authority["status"]["code"] == "ER_SUCCESS_MATCH":
            return authority["values"][0]["value"]["id"]
    return None


def _kind(resolution) -> str:
    assert resolution.intent == "SymptomIntent", resolution.reason
    symptom, part = (_id(resolution.slots[name]) for name in ("Symptom", "BodyPart"))
    return classify(CONTENT.safety, symptom, part)[0]


def test_symptom_values_are_the_ids_the_safety_content_gives_help_for():
    assert [v["id"] for v in TYPES["SYMPTOM"]["values"]] == list(SAFETY["symptoms"])
    assert set(SAFETY["body_parts"]) <= {v["id"] for v in TYPES["BODY_PART"]["values"]}


@pytest.mark.parametrize(("intent", "least"), LEAST.items())
def test_warning_signs_and_replies_have_samples_enough(intent, least):
    samples = next(i for i in LM["intents"] if i["name"] == intent)["samples"]
    assert len(samples) >= least


@pytest.mark.parametrize(
    ("said", "kind"),
    [
        ("i feel a bit out of breath", "tired"),
        ("i feel knackered", "tired"),
        ("i feel really out of breath", "urgent"),
        ("i feel woozy", "urgent"),
        ("she's collapsed", "urgent"),
        ("i've got a pain in my jaw", "urgent"),
        ("my face feels droopy", "stroke"),
        ("my left arm has gone numb", "stroke"),
        ("i've banged my head", "fall_hurt"),
        ("my husband has fallen", "fall"),
        ("i've put my back out", "back"),
        ("i've got pins and needles in my arm", "unclear"),
        ("i've come over all funny", "unclear"),
    ],
)
def test_a_sample_names_the_sign_and_so_its_help(exact_only, said, kind):
    assert _kind(exact_only.resolve(said)) == kind


@pytest.mark.parametrize(
    "said",
    [
        "my cousin sprained her ankle at a wedding once",
        "i dozed off in the garden this afternoon",
        "the nurse said my heart sounds fine",
        "my dog twisted his leg chasing a ball",
        "the kettle's broken",
    ],
)
def test_bodies_and_falls_in_ordinary_sentences_are_no_warning_sign(model, said):
    assert model.resolve(said).intent == FALLBACK


@pytest.mark.parametrize(
    ("said", "intent"),
    [
        ("go on", "AMAZON.ResumeIntent"),
        ("where were we", "AMAZON.ResumeIntent"),
        ("hold on a second", "AMAZON.PauseIntent"),
        ("let's call it a day", "AMAZON.StopIntent"),
        ("that's enough for today", "AMAZON.StopIntent"),
        ("next set", "AMAZON.NextIntent"),
        ("i didn't hear you", "AMAZON.RepeatIntent"),
        ("what are my options", "AMAZON.HelpIntent"),
        ("yeah go on then", "AMAZON.YesIntent"),
        ("i haven't", "AMAZON.NoIntent"),
        ("i didn't", "AMAZON.NoIntent"),
        ("that's all thanks", "AMAZON.NoIntent"),
    ],
)
def test_replies_inside_a_conversation_are_samples_of_the_built_in_intents(
    exact_only, said, intent
):
    assert exact_only.resolve(said).intent == intent


@pytest.mark.parametrize(
    ("said", "intent", "slot", "value"),
    [
        ("yes i did twelve", "LogSetIntent", "Reps", "12"),
        ("yeah ten", "LogSetIntent", "Reps", "10"),
        ("ten with the five kilo ones", "LogSetIntent", "Weight", "5"),
        ("number two", "LogSetIntent", "Reps", "2"),
        ("the gentle one", "StartWorkoutIntent", "Program", "BEGINNER"),
        ("i'll have the bone safe one", "StartWorkoutIntent", "Program", "OSTEOPOROSIS"),
        ("count it again", "SetModeIntent", "Mode", "COUNTED"),
        ("can you count that again", "SetModeIntent", "Mode", "COUNTED"),
    ],
)
def test_answers_to_the_skills_questions_carry_their_value(exact_only, said, intent, slot, value):
    resolution = exact_only.resolve(said)
    assert resolution.intent == intent
    heard = resolution.slots[slot]
    assert value in (heard["value"], _id(heard))


@pytest.mark.parametrize(("said", "value"), [("two", "2"), ("three", "3"), ("twelve", "12")])
def test_a_bare_number_is_a_rep_count(model, said, value):
    resolution = model.resolve(said)
    assert resolution.intent == "LogSetIntent"
    assert resolution.slots["Reps"]["value"] == value
