"""Safety through the webhook: warning symptoms at every stage, holds until checked, the
bone-safe go-ahead and every program's safety line by every route, and the disclaimer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from skill.web.envelopes import Session, slot
from tests.helpers import Talk, assert_session_rule, reprompt, speech
from tests.test_workout import log, program_slot, start, stored

HELD_OUT = yaml.safe_load(
    (Path(__file__).parent / "nlu" / "heldout_symptoms.yaml").read_text(encoding="utf-8")
)
REPRESENTATIVE = {
    "urgent": {"Symptom": slot("Symptom", "chest pain", "CHEST", "SYMPTOM")},
    "fall": {"Symptom": slot("Symptom", "fell", "FALL", "SYMPTOM")},
    "back": {"BodyPart": slot("BodyPart", "back", "BACK", "BODY_PART")},
    "injury": {"BodyPart": slot("BodyPart", "knee", "KNEE", "BODY_PART")},
    "unclear": {},
}


def expected_speech(content, kind: str) -> str:
    return content.safety.kinds[kind].speech.format(emergency="nine one one")


def to_stage(talk: Talk, stage: str) -> None:
    """Bring a conversation to a point of the workout: mid-set, resting, or at the resume
    question after coming back; or a Q&A session with no workout."""
    talk.launch()
    if stage == "qa":
        talk.intent("HowHeavyIntent")
        return
    start(talk)
    if stage in ("resting", "resume"):
        log(talk, 10, 20, "POUNDS")
    if stage == "resume":
        talk.intent("AMAZON.PauseIntent")
        talk.launch()
        assert talk.session.attributes["workout"]["stage"] == "resume"


@pytest.mark.parametrize("stage", ["set", "resting", "resume", "qa"])
@pytest.mark.parametrize("kind", list(REPRESENTATIVE))
def test_a_warning_symptom_stops_everything_at_every_stage(app, talk, content, stage, kind):
    to_stage(talk, stage)
    body = talk.intent("SymptomIntent", REPRESENTATIVE[kind])
    said = speech(body)
    assert said.startswith(
        expected_speech(content, kind).replace("'", "&#x27;")
    ) or said.startswith(expected_speech(content, kind))
    assert body["response"]["shouldEndSession"] is True, "ask nothing else"
    assert "reprompt" not in body["response"]
    attrs = stored(app, talk.session.user_id)
    assert attrs["hold"]["kind"] == kind
    if stage != "qa":
        assert "paused your workout and saved your place" in said
        assert attrs["workout"]["ex"] == 0 and attrs["workout"]["program"] == "standard"
        expected_set = 0 if stage == "set" else 1
        assert attrs["workout"]["set"] == expected_set


def test_urgent_symptoms_name_the_emergency_number(talk):
    talk.launch()
    body = talk.intent("SymptomIntent", REPRESENTATIVE["urgent"])
    assert "call nine one one" in speech(body)
    assert "sit down" in speech(body)


def test_one_shot_symptom_with_a_saved_workout_holds_it(app, client, content):
    user = Session().user_id
    talk = Talk(client, Session(user_id=user))
    talk.launch()
    talk.intent("StartWorkoutIntent", program_slot("BEGINNER"))
    talk.intent("AMAZON.PauseIntent")
    one_shot = Talk(client, Session(user_id=user))
    body = one_shot.intent("SymptomIntent", REPRESENTATIVE["fall"])
    assert speech(body).startswith(expected_speech(content, "fall"))
    assert "paused your workout" in speech(body)
    assert stored(app, user)["hold"]["what"] == content.safety.kinds["fall"].label


def test_the_more_serious_reading_wins(talk, content):
    talk.launch()
    body = talk.intent(
        "SymptomIntent",
        {
            "Symptom": slot("Symptom", "sharp pain", "SEVERE_PAIN", "SYMPTOM"),
            "BodyPart": slot("BodyPart", "chest", "CHEST", "BODY_PART"),
        },
    )
    assert "nine one one" in speech(body)


@pytest.mark.parametrize("route", ["launch", "resume", "next", "start", "start_other"])
def test_after_an_injury_every_way_back_asks_whether_they_were_checked(client, route):
    user = Session().user_id
    talk = Talk(client, Session(user_id=user))
    talk.launch()
    talk.intent("StartWorkoutIntent", program_slot("STANDARD"))
    talk.intent("SymptomIntent", REPRESENTATIVE["injury"])
    talk = Talk(client, Session(user_id=user))
    body = {
        "launch": lambda: talk.launch(),
        "resume": lambda: talk.intent("AMAZON.ResumeIntent"),
        "next": lambda: talk.intent("AMAZON.NextIntent"),
        "start": lambda: talk.intent("StartWorkoutIntent"),
        "start_other": lambda: talk.intent("StartWorkoutIntent", program_slot("BEGINNER")),
    }[route]()
    assert "Last time we stopped because you had pain in your knee" in speech(body)
    assert speech(body).endswith(
        "Have you been checked by a doctor or physical therapist since then?"
    )
    assert_session_rule(body)
    # Anything but an answer leaves the hold in place: the workout does not move on.
    body = talk.intent("LogSetIntent", {"Reps": "10"})
    assert "Have you been checked" in speech(body)


def test_not_checked_keeps_the_place_and_the_hold(app, client):
    user = Session().user_id
    talk = Talk(client, Session(user_id=user))
    talk.launch()
    start(talk)
    log(talk, 10, 20, "POUNDS")
    talk.intent("SymptomIntent", REPRESENTATIVE["back"])
    talk = Talk(client, Session(user_id=user))
    talk.launch()
    body = talk.intent("AMAZON.NoIntent")
    assert "wait until you have" in speech(body)
    assert speech(body).endswith("What would you like to know?")
    attrs = stored(app, user)
    assert attrs["hold"]["kind"] == "back"
    assert attrs["workout"]["set"] == 1


def test_checked_clears_the_hold_and_carries_on_at_the_same_set(app, client):
    user = Session().user_id
    talk = Talk(client, Session(user_id=user))
    talk.launch()
    start(talk)
    log(talk, 10, 20, "POUNDS")
    talk.intent("SymptomIntent", REPRESENTATIVE["urgent"])
    talk = Talk(client, Session(user_id=user))
    talk.launch()
    body = talk.intent("AMAZON.YesIntent")
    assert "Take it gently" in speech(body)
    assert "set two of three" in speech(body).lower()
    assert "hold" not in stored(app, user)
    body = log(talk, 10, 20, "POUNDS")
    assert "ten reps with twenty pounds" in speech(body)


def test_words_not_understood_mid_workout_ask_the_question_again_never_say_stop(talk):
    talk.launch()
    asked = reprompt(talk.intent("StartWorkoutIntent", program_slot("BEGINNER")))
    body = talk.intent("AMAZON.FallbackIntent")
    assert speech(body) == f"Sorry, I didn't catch that. {asked}"
    assert reprompt(body) == asked
    assert_session_rule(body)


def test_forty_sample_phrasings_across_symptoms_and_body_parts():
    from skill.config import PROJECT_ROOT

    raw = json.loads((PROJECT_ROOT / "interaction_model.json").read_text(encoding="utf-8"))
    intents = raw["interactionModel"]["languageModel"]["intents"]
    intent = next(i for i in intents if i["name"] == "SymptomIntent")
    assert len(intent["samples"]) >= 40
    words = " ".join(intent["samples"])
    assert "{Symptom}" in words and "{BodyPart}" in words


# -- the doctor's go-ahead and each program's safety line --------------------------------


def bone_safe_by(route: str, client, user: str) -> list[dict]:
    """Start the bone-safe workout by one route; return every response."""
    talk = Talk(client, Session(user_id=user))
    if route == "one_shot":
        return [talk.intent("StartWorkoutIntent", program_slot("OSTEOPOROSIS"))]
    talk.launch()
    if route == "choice":
        first = talk.intent("StartWorkoutIntent")
        return [first, talk.intent("StartWorkoutIntent", program_slot("OSTEOPOROSIS"))]
    return [talk.intent("StartWorkoutIntent", program_slot("OSTEOPOROSIS"))]


@pytest.mark.parametrize("route", ["launch", "one_shot", "choice"])
def test_bone_safe_asks_for_the_go_ahead_once_and_always_says_to_check(client, content, route):
    program = content.programs["osteoporosis"]
    user = Session().user_id
    bodies = bone_safe_by(route, client, user)
    if route == "choice":
        which = speech(bodies[0])
        assert "doctor" in which and "physical therapist" in which and "spine fracture" in which
    asked = speech(bodies[-1])
    assert asked.endswith(program.go_ahead.follow_up)
    assert bodies[-1]["response"]["shouldEndSession"] is False
    talk = Talk(client, Session(user_id=user))
    talk.session.open = True
    talk.session.attributes = bodies[-1]["sessionAttributes"]
    started = speech(talk.intent("AMAZON.YesIntent"))
    assert program.safety.replace("'", "&#x27;") in started or program.safety in started
    assert "doctor's go-ahead" in program.safety and "physical therapist" in program.safety
    # Next time the question is not asked again, and the safety line is said again.
    again = Talk(client, Session(user_id=user))
    text = speech(again.intent("StartWorkoutIntent", program_slot("OSTEOPOROSIS")))
    assert program.go_ahead.follow_up not in text
    assert "doctor" in text and "spine fracture" in text


def test_no_go_ahead_starts_nothing(app, client, content):
    user = Session().user_id
    talk = Talk(client, Session(user_id=user))
    talk.launch()
    talk.intent("StartWorkoutIntent", program_slot("OSTEOPOROSIS"))
    body = talk.intent("AMAZON.NoIntent")
    assert "check with your doctor first" in speech(body)
    assert speech(body).endswith("What would you like to know?")
    assert stored(app, user).get("workout") is None


@pytest.mark.parametrize("program_id", ["beginner", "standard", "osteoporosis"])
@pytest.mark.parametrize("route", ["launch", "one_shot", "last_program", "start_over"])
def test_each_program_says_its_safety_line_by_every_route(client, content, program_id, route):
    program = content.programs[program_id]
    user = Session().user_id
    talk = Talk(client, Session(user_id=user))
    if program.go_ahead:
        talk.launch()
        talk.intent("StartWorkoutIntent", program_slot(program.slot_value))
        talk.intent("AMAZON.YesIntent")
        talk.intent("AMAZON.StopIntent")
    if route in ("last_program", "start_over"):
        talk.launch()
        talk.intent("StartWorkoutIntent", program_slot(program.slot_value))
        talk.intent("SkipExerciseIntent")
        if route == "last_program":
            for _ in program.exercises[1:]:
                talk.intent("SkipExerciseIntent")
    talk = Talk(client, Session(user_id=user)) if route != "start_over" else talk
    if route == "one_shot":
        body = talk.intent("StartWorkoutIntent", program_slot(program.slot_value))
    elif route == "last_program":
        talk.launch()
        body = talk.intent("StartWorkoutIntent")
    elif route == "start_over":
        body = talk.intent("AMAZON.StartOverIntent")
        assert speech(body).endswith("from the beginning?")
        body = talk.intent("AMAZON.YesIntent")
    else:
        talk.launch()
        body = talk.intent("StartWorkoutIntent", program_slot(program.slot_value))
    said = speech(body).replace("&#x27;", "'")
    assert program.safety in said


# -- the not-medical-advice line ---------------------------------------------------------


@pytest.mark.parametrize("route", ["launch", "one_shot_question", "one_shot_workout"])
def test_the_disclaimer_is_heard_on_first_use_by_any_route_and_then_remembered(
    app, client, content, route
):
    note = content.messages["welcome_first"].speech
    user = Session().user_id

    def first_turn() -> dict:
        talk = Talk(client, Session(user_id=user))
        if route == "launch":
            return talk.launch()
        if route == "one_shot_question":
            return talk.intent("HowHeavyIntent")
        return talk.intent("StartWorkoutIntent", program_slot("BEGINNER"))

    assert speech(first_turn()).startswith(note)
    assert stored(app, user)["welcomed"] is True
    assert note not in speech(first_turn())


def test_the_disclaimer_waits_while_a_warning_is_said(client, content):
    note = content.messages["welcome_first"].speech
    talk = Talk(client, Session())
    body = talk.intent("SymptomIntent", REPRESENTATIVE["urgent"])
    assert note not in speech(body)
    assert speech(Talk(client, Session(user_id=talk.session.user_id)).launch()).startswith(note)


def test_the_disclaimer_is_said_once_in_a_session(talk, content):
    note = content.messages["welcome_first"].speech
    assert speech(talk.launch()).startswith(note)
    assert note not in speech(talk.intent("HowHeavyIntent"))


def test_words_that_are_no_symptom_are_not_taken_as_a_warning(app, talk):
    talk.launch()
    body = talk.intent("SymptomIntent", {"Symptom": slot("Symptom", "seventy", None, "SYMPTOM")})
    assert "nine one one" not in speech(body)
    assert body["response"]["shouldEndSession"] is False
    assert "hold" not in stored(app, talk.session.user_id)
