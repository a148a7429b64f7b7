"""The simulator's utterance resolver, on the skill's real interaction model."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from skill.config import PROJECT_ROOT
from skill.simulator.nlu import FALLBACK, LanguageModel

MODEL_PATH = PROJECT_ROOT / "interaction_model.json"
MODEL = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
LM = MODEL["interactionModel"]["languageModel"]
CUSTOM = [i for i in LM["intents"] if not i["name"].startswith("AMAZON.")]
SKILL_ID = "amzn1.ask.skill.test"


@pytest.fixture(scope="module")
def nlu():
    return LanguageModel.from_file(MODEL_PATH, skill_id=SKILL_ID)


@pytest.fixture(scope="module")
def exact_only():
    return LanguageModel.from_file(MODEL_PATH, skill_id=SKILL_ID, statistical=False)


def _fill(intent: dict, sample: str) -> str:
    """A sample with each slot filled by the first value of its type, or "ten"."""
    types = {s["name"]: s["type"] for s in intent.get("slots", [])}
    first = {t["name"]: t["values"][0]["name"]["value"] for t in LM.get("types", [])}
    first["AMAZON.NUMBER"] = "ten"
    first["AMAZON.TIME"] = "nine thirty in the morning"
    return re.sub(r"\{(\w+)\}", lambda m: first[types[m[1]]], sample)


def _er(type_name: str, code: str, value_id: str | None = None, name: str | None = None) -> dict:
    authority: dict[str, Any] = {
        "authority": f"amzn1.er-authority.echo-sdk.{SKILL_ID}.{type_name}",
        "status": {"code": code},
    }
    if value_id:
        authority["values"] = [{"value": {"name": name, "id": value_id}}]
    return {"resolutionsPerAuthority": [authority]}


def _tiny(*intents: str, samples: dict | None = None) -> LanguageModel:
    """A small model, exact tier only: these tests are about which phrase matches."""
    samples = samples or {}
    return LanguageModel(
        {
            "interactionModel": {
                "languageModel": {
                    "invocationName": "tiny test",
                    "intents": [{"name": n, "samples": samples.get(n, [])} for n in intents],
                }
            }
        },
        statistical=False,
    )


@pytest.mark.parametrize(
    "utterance",
    [
        "open bone builder",
        "Alexa, open Bone Builder.",
        "launch bone builder",
        "start bone builder",
        "begin bone builder",
        "load bone builder",
        "bone builder",
        "ask bone builder",
        "open bone builder and",
    ],
)
def test_launch(nlu, utterance):
    resolution = nlu.resolve(utterance)
    assert (resolution.kind, resolution.intent, resolution.slots) == ("launch", None, {})
    assert not resolution.one_shot


@pytest.mark.parametrize(
    ("utterance", "intent"),
    [
        ("ask bone builder how heavy should i lift", "HowHeavyIntent"),
        ("Alexa, ask Bone Builder: how heavy should I lift?", "HowHeavyIntent"),
        ("ask bone builder to start my workout", "StartWorkoutIntent"),
        ("tell bone builder to start my workout", "StartWorkoutIntent"),
        ("tell bone builder it hurts", "SymptomIntent"),
        ("open bone builder and tell me about japan", "JapanIntent"),
        ("ask bone builder about squats", "IsExerciseGoodIntent"),
    ],
)
def test_one_shot(nlu, utterance, intent):
    resolution = nlu.resolve(utterance)
    assert (resolution.kind, resolution.intent, resolution.one_shot) == ("intent", intent, True)


def test_in_session_utterance_is_not_one_shot(nlu):
    resolution = nlu.resolve("how heavy should i lift")
    assert (resolution.intent, resolution.one_shot) == ("HowHeavyIntent", False)
    assert resolution.sample == "how heavy should i lift"
    assert resolution.score == 1.0


def test_one_shot_that_matches_nothing_falls_back(nlu):
    resolution = nlu.resolve("ask bone builder blorp zanzibar")
    assert (resolution.intent, resolution.one_shot) == (FALLBACK, True)


@pytest.mark.parametrize("utterance", ["exit", "quit", "goodbye", "Goodbye!", "alexa, exit"])
def test_exit(nlu, utterance):
    resolution = nlu.resolve(utterance)
    assert (resolution.kind, resolution.intent, resolution.slots) == ("exit", None, {})


def test_custom_slot_value_resolves_to_its_id(nlu):
    resolution = nlu.resolve("Are squats good for my bones?")
    assert resolution.intent == "IsExerciseGoodIntent"
    assert resolution.sample == "are {Exercise} good for my bones"
    assert resolution.slots == {
        "Exercise": {
            "name": "Exercise",
            "value": "squats",
            "confirmationStatus": "NONE",
            "resolutions": _er("EXERCISE", "ER_SUCCESS_MATCH", "SQUAT", "squats"),
        }
    }


def test_synonym_resolves_to_the_canonical_value(nlu):
    squat = next(v for t in LM["types"] for v in t["values"] if v.get("id") == "SQUAT")
    assert "goblet squats" in squat["name"]["synonyms"]
    slot = nlu.resolve("are goblet squats good for my bones").slots["Exercise"]
    assert slot["value"] == "goblet squats"
    assert slot["resolutions"] == _er("EXERCISE", "ER_SUCCESS_MATCH", "SQUAT", "squats")


@pytest.mark.parametrize(
    "utterance", ["what about r. d. l.", "What about R.D.L.?", "what about r d l"]
)
def test_spoken_letters(nlu, utterance):
    resolution = nlu.resolve(utterance)
    assert resolution.intent == "IsExerciseGoodIntent"
    expected = _er("EXERCISE", "ER_SUCCESS_MATCH", "ROMANIAN_DEADLIFT", "romanian deadlifts")
    assert resolution.slots["Exercise"]["resolutions"] == expected


def test_unknown_value_is_no_match(exact_only):
    resolution = exact_only.resolve("are bananas good for my bones")
    assert resolution.intent == "IsExerciseGoodIntent"
    assert resolution.slots["Exercise"] == {
        "name": "Exercise",
        "value": "bananas",
        "confirmationStatus": "NONE",
        "resolutions": _er("EXERCISE", "ER_SUCCESS_NO_MATCH"),
    }


def test_known_value_picks_between_samples_with_the_same_words(nlu):
    assert nlu.resolve("what about calcium").intent == "NutritionIntent"
    assert nlu.resolve("what about squats").intent == "IsExerciseGoodIntent"
    assert nlu.resolve("what about japan").intent == "JapanIntent"


def test_a_slot_alone_needs_a_known_value(nlu):
    assert nlu.resolve("deadlifts").intent == "IsExerciseGoodIntent"
    assert nlu.resolve("zanzibar").intent == FALLBACK


def test_log_set_with_numbers_and_unit(nlu):
    resolution = nlu.resolve("I did ten reps with twenty kilos")
    assert resolution.intent == "LogSetIntent"
    assert resolution.slots == {
        "Reps": {"name": "Reps", "value": "10", "confirmationStatus": "NONE"},
        "Weight": {"name": "Weight", "value": "20", "confirmationStatus": "NONE"},
        "Unit": {
            "name": "Unit",
            "value": "kilos",
            "confirmationStatus": "NONE",
            "resolutions": _er("UNIT", "ER_SUCCESS_MATCH", "KILOGRAMS", "kilograms"),
        },
    }


@pytest.mark.parametrize(
    ("said", "value"),
    [
        ("12", "12"),
        ("ten", "10"),
        ("twenty two", "22"),
        ("twenty-two", "22"),
        ("a hundred and five", "105"),
        ("one hundred", "100"),
        ("two point five", "2.5"),
        ("2.5", "2.5"),
    ],
)
def test_numbers(nlu, said, value):
    resolution = nlu.resolve(f"{said} reps")
    assert resolution.intent == "LogSetIntent"
    assert resolution.slots["Reps"] == {
        "name": "Reps",
        "confirmationStatus": "NONE",
        "value": value,
    }


def test_decimal_weight_with_and_without_unit(nlu):
    with_unit = nlu.resolve("i did ten reps with twenty two point five kilos").slots
    assert (with_unit["Weight"]["value"], with_unit["Unit"]["value"]) == ("22.5", "kilos")
    without = nlu.resolve("i did ten reps with twenty two point five")
    assert without.sample == "i did {Reps} reps with {Weight}"
    assert without.slots["Weight"]["value"] == "22.5"


def test_unheard_slots_are_sent_without_a_value(nlu):
    slots = nlu.resolve("i did twelve reps").slots
    assert slots["Reps"]["value"] == "12"
    assert slots["Weight"] == {"name": "Weight", "confirmationStatus": "NONE"}
    assert slots["Unit"] == {"name": "Unit", "confirmationStatus": "NONE"}


@pytest.mark.parametrize(
    ("utterance", "intent"),
    [
        ("stop", "AMAZON.StopIntent"),
        ("Stop!", "AMAZON.StopIntent"),
        ("cancel", "AMAZON.CancelIntent"),
        ("help", "AMAZON.HelpIntent"),
        ("what can i say", "AMAZON.HelpIntent"),
        ("next", "AMAZON.NextIntent"),
        ("repeat", "AMAZON.RepeatIntent"),
        ("say that again", "AMAZON.RepeatIntent"),
        ("yes", "AMAZON.YesIntent"),
        ("I’m ready", "AMAZON.YesIntent"),
        ("no", "AMAZON.NoIntent"),
        ("pause", "AMAZON.PauseIntent"),
        ("resume", "AMAZON.ResumeIntent"),
        ("start over", "AMAZON.StartOverIntent"),
        ("go back", "AMAZON.PreviousIntent"),
        ("go home", "AMAZON.NavigateHomeIntent"),
    ],
)
def test_built_ins(nlu, utterance, intent):
    resolution = nlu.resolve(utterance)
    assert (resolution.kind, resolution.intent, resolution.slots) == ("intent", intent, {})


def test_built_in_phrase_beats_a_sample_matched_with_unknown_slot_words(nlu):
    assert nlu.resolve("start over").intent == "AMAZON.StartOverIntent"
    assert nlu.resolve("pause the workout").intent == "AMAZON.PauseIntent"


def test_custom_sample_beats_built_in_phrase(nlu):
    tiny = _tiny("TellMeMoreIntent", "AMAZON.ResumeIntent", samples={"TellMeMoreIntent": ["go on"]})
    assert tiny.resolve("go on").intent == "TellMeMoreIntent"
    assert nlu.resolve("done").intent == "LogSetIntent"


def test_go_on_and_carry_on_resume_whatever_was_said_before(nlu):
    for said in ("go on", "go on then", "carry on", "keep going", "i'm back"):
        assert nlu.resolve(said).intent == "AMAZON.ResumeIntent", said
    assert nlu.resolve("tell me more").intent == "TellMeMoreIntent"


def test_stop_cancel_and_help_always_win():
    nlu = _tiny(
        "HaltIntent",
        "AMAZON.StopIntent",
        "AMAZON.HelpIntent",
        "AMAZON.NavigateHomeIntent",
        samples={"HaltIntent": ["stop", "help", "go home"]},
    )
    assert nlu.resolve("stop").intent == "AMAZON.StopIntent"
    assert nlu.resolve("help").intent == "AMAZON.HelpIntent"
    assert nlu.resolve("go home").intent == "HaltIntent"


def test_go_on_belongs_to_resume_even_when_next_is_in_the_model():
    assert _tiny("AMAZON.ResumeIntent", "AMAZON.NextIntent").resolve("go on").intent == (
        "AMAZON.ResumeIntent"
    )
    assert _tiny("AMAZON.NextIntent").resolve("go on").intent != "AMAZON.NextIntent"


def test_built_in_phrasings_only_for_intents_in_the_model():
    nlu = _tiny("AMAZON.StopIntent", FALLBACK)
    assert nlu.resolve("stop").intent == "AMAZON.StopIntent"
    assert nlu.resolve("pause").intent == FALLBACK


def test_fallback_hints_at_the_nearest_sample(exact_only):
    resolution = exact_only.resolve("how heavy I should lift")
    assert (resolution.kind, resolution.intent, resolution.slots) == ("intent", FALLBACK, {})
    assert resolution.near[:2] == ("HowHeavyIntent", "how heavy should i lift")
    assert 0.6 <= resolution.near[2] == resolution.score < 1.0
    assert "how heavy should i lift" in resolution.reason


@pytest.mark.parametrize("utterance", ["purple monkey dishwasher zebra", "blorp", ""])
def test_gibberish_falls_back_without_a_hint(exact_only, utterance):
    resolution = exact_only.resolve(utterance)
    assert (resolution.intent, resolution.near, resolution.sample) == (FALLBACK, None, None)
    assert resolution.score < 0.6


def test_resolution_is_deterministic(nlu):
    again = LanguageModel.from_file(MODEL_PATH, skill_id=SKILL_ID)
    for utterance in ["what about calcium", "i did ten reps at twenty pounds", "how heavy i lift"]:
        assert nlu.resolve(utterance) == nlu.resolve(utterance) == again.resolve(utterance)


def test_authority_names_the_skill():
    slot = LanguageModel(MODEL).resolve("what about calcium").slots["Nutrient"]
    authority = slot["resolutions"]["resolutionsPerAuthority"][0]["authority"]
    assert authority == (
        "amzn1.er-authority.echo-sdk.amzn1.ask.skill.00000000-0000-0000-0000-000000000000.NUTRIENT"
    )


@pytest.mark.parametrize("intent", CUSTOM, ids=lambda i: i["name"])
def test_first_sample_of_every_custom_intent_resolves_to_it(nlu, intent):
    phrase = _fill(intent, intent["samples"][0])
    resolution = nlu.resolve(phrase)
    assert resolution.intent == intent["name"], resolution.reason
    assert resolution.sample == intent["samples"][0]
    for name in re.findall(r"\{(\w+)\}", intent["samples"][0]):
        slot = resolution.slots[name]
        assert "value" in slot
        for authority in slot.get("resolutions", {}).get("resolutionsPerAuthority", []):
            assert authority["status"]["code"] == "ER_SUCCESS_MATCH"


@pytest.mark.parametrize("intent", CUSTOM, ids=lambda i: i["name"])
def test_every_sample_resolves_to_its_own_intent(nlu, intent):
    strays = {}
    for sample in intent["samples"]:
        resolution = nlu.resolve(_fill(intent, sample))
        if resolution.intent != intent["name"]:
            strays[sample] = resolution.intent
    assert not strays


def test_suggested_phrases_resolve_to_their_intent(nlu):
    suggestions = nlu.samples()
    assert {intent for intent, _ in suggestions} == {i["name"] for i in CUSTOM}
    for intent, phrase in suggestions:
        assert "{" not in phrase
        assert nlu.resolve(phrase).intent == intent, phrase
    assert ("IsExerciseGoodIntent", "are squats good for my bones") in suggestions
    assert ("OneRepMaxIntent", "i can lift ten kilograms ten times") in suggestions


def test_unknown_slot_words_are_weighed_by_the_statistical_tier(nlu, exact_only):
    """A sample matched only by taking unknown words as a slot value does not win outright:
    "she's seventy" fits "she's {Symptom}" word for word, but is about age."""
    assert exact_only.resolve("she's seventy").intent == "SymptomIntent"
    assert nlu.resolve("she's seventy").intent == "OlderAdultsIntent"
    assert nlu.resolve("i feel dizzy").intent == "SymptomIntent"
