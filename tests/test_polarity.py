"""Questions about what is bad, harmful or to avoid are answered as asked, through the
simulator: "are squats bad for my back" is answered from safety, never with "Yes, squats
are a strong choice"; "what should I steer clear of with my back" gets what to avoid, not
what is good. The meaning is in the content and the samples, not in code about words."""

from __future__ import annotations

import json

import pytest

from skill.config import PROJECT_ROOT
from skill.simulator.core import InProcess, Simulator

MODEL = json.loads((PROJECT_ROOT / "interaction_model.json").read_text())
TYPES = {t["name"]: t for t in MODEL["interactionModel"]["languageModel"]["types"]}
EXERCISES = [(v["id"], v["name"]["value"]) for v in TYPES["EXERCISE"]["values"]]
PRAISE = ("yes", "strong choice", "good choice", "great way", "a good way")


@pytest.fixture
def simulator(app, model):
    simulator = Simulator(model, InProcess(app))
    simulator.say("open bone builder")
    return simulator


def opens_with_praise(speech: str) -> bool:
    first = speech.split(".")[0].lower()
    return any(word in first for word in PRAISE)


@pytest.mark.parametrize(("value_id", "said"), EXERCISES, ids=[i for i, _ in EXERCISES])
def test_is_it_bad_is_answered_from_safety_for_every_exercise(simulator, content, value_id, said):
    turn = simulator.say(f"is {said} bad for my back")
    assert turn.intent == "ExerciseRiskIntent"
    assert turn.speech.startswith(content.topics["exercise_risk"].variants[value_id].speech)
    assert not opens_with_praise(turn.speech)
    first = turn.speech.split(".")[0]
    assert any(word in first for word in ("safe", "risky", "fine", "riskier", "isn't safe"))


def test_squats_bad_and_squats_good_get_different_answers(simulator):
    bad = simulator.say("are squats bad for my back")
    good = simulator.say("are squats good for my bones")
    assert (bad.intent, good.intent) == ("ExerciseRiskIntent", "IsExerciseGoodIntent")
    assert bad.speech.startswith("Squats are safe for most people, backs included")
    assert "strong choice" not in bad.speech and "strong choice" in good.speech


@pytest.mark.parametrize(
    ("said", "starts"),
    [
        ("should i avoid sit ups", "Sit-ups and crunches are risky"),
        ("are toe touches safe for my spine", "Toe touches are risky"),
        ("can deadlifts hurt my back", "Deadlifts from the floor are the riskier kind"),
        ("is swimming bad for my bones", "Swimming is safe for your back and bones, but"),
        ("is running dangerous", "Running is fine for many people, but"),
    ],
)
def test_harm_questions_start_from_safety(simulator, said, starts):
    turn = simulator.say(said)
    assert turn.intent == "ExerciseRiskIntent" and turn.speech.startswith(starts)


@pytest.mark.parametrize(
    ("said", "starts"),
    [
        ("what should i steer clear of with my back", "For your back, avoid"),
        ("what's bad for my hips", "For your hips, the main danger is a fall"),
        ("which moves are bad for my wrists", "For your wrists and hands, stop"),
        ("what should i avoid", "If your bones are fragile, avoid"),
    ],
)
def test_what_to_avoid_is_what_to_avoid_for_that_part(simulator, said, starts):
    turn = simulator.say(said)
    assert turn.intent == "WhatToAvoidIntent" and turn.speech.startswith(starts)


def test_what_is_good_for_a_part_is_still_what_is_good(simulator):
    turn = simulator.say("which moves are good for my spine")
    assert turn.intent == "WhichExercisesIntent"
    assert "avoid" not in turn.speech.split(".")[0]


@pytest.mark.parametrize(
    "said",
    ["do squats hurt your back", "will pilates damage my spine", "is it harmful to do deadlifts"],
)
def test_harm_in_other_words_reaches_the_safety_answers(simulator, said):
    turn = simulator.say(said)
    assert turn.intent == "ExerciseRiskIntent"
    assert not opens_with_praise(turn.speech)


def test_every_body_site_and_exercise_has_its_own_answer(content):
    risk = content.topics["exercise_risk"]
    avoid = content.topics["what_to_avoid"]
    assert set(risk.variants) == {value_id for value_id, _ in EXERCISES}
    sites = {v["id"] for v in TYPES["BODY_SITE"]["values"]}
    assert set(avoid.variants) == sites and avoid.slot == "BodySite"
    for answer in risk.variants.values():
        assert not opens_with_praise(answer.speech)
