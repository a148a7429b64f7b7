"""The guided workout through the webhook: every program, pauses, drops, logging and progress."""

from __future__ import annotations

import json
import re

import pytest

from intents.workout.handlers import ANY_TIME, DURING_WORKOUT, WORKOUT_ONLY
from skill.envelopes import Session, slot
from tests.helpers import Talk, assert_session_rule, reprompt, speech


def program_slot(value_id: str) -> dict:
    return {"Program": slot("Program", value_id.lower(), value_id, "PROGRAM")}


def unit_slot(value_id: str) -> dict:
    return slot("Unit", value_id.lower(), value_id, "UNIT")


def log(talk: Talk, reps=None, weight=None, unit=None) -> dict:
    slots = {}
    if reps is not None:
        slots["Reps"] = str(reps)
    if weight is not None:
        slots["Weight"] = str(weight)
    if unit is not None:
        slots["Unit"] = unit_slot(unit)
    return talk.intent("LogSetIntent", slots)


def stage(talk: Talk) -> str | None:
    cursor = talk.session.attributes.get("workout")
    return cursor["stage"] if cursor else None


def stored(app, user_id: str) -> dict:
    return app.extensions["bone_builder"].persistence.read(user_id)


def all_logged_sets(app, user_id: str) -> list[dict]:
    attrs = stored(app, user_id)
    sets = [s for w in attrs.get("history", []) for s in w["sets"]]
    return sets + attrs.get("workout", {}).get("sets", [])


def finish_workout(talk: Talk, program, reps_for=lambda ex: ex.reps[1], weight=20, unit="POUNDS"):
    """Play a whole program by voice, saying yes to a go-ahead question; return every
    response from the workout's first one."""
    bodies = [talk.intent("StartWorkoutIntent", program_slot(program.slot_value))]
    if talk.session.attributes.get("pending") == "gate":
        bodies = [talk.intent("AMAZON.YesIntent")]
    while talk.session.open:
        assert_session_rule(bodies[-1])
        if stage(talk) == "set":
            cursor = talk.session.attributes["workout"]
            exercise = program.exercises[cursor["ex"]]
            if exercise.load == "weight":
                bodies.append(log(talk, reps_for(exercise), weight, unit))
            else:
                bodies.append(log(talk, reps_for(exercise)))
        else:
            bodies.append(talk.intent("AMAZON.YesIntent"))
        assert len(bodies) < 200
    return bodies


@pytest.mark.parametrize("program_id", ["beginner", "standard", "osteoporosis"])
def test_whole_program_start_to_finish(app, talk, content, program_id):
    program = content.programs[program_id]
    talk.launch()
    bodies = finish_workout(talk, program)
    first = speech(bodies[0])
    assert f"{len(program.exercises)} exercises" in first
    assert f"{program.minutes} minutes" in first
    assert program.exercises[0].name in first
    assert f"Set 1 of {program.exercises[0].sets}" in first
    last = bodies[-1]
    assert last["response"]["shouldEndSession"] is True
    assert "Well done" in speech(last) and program.name in speech(last)
    sets = all_logged_sets(app, talk.session.user_id)
    assert len(sets) == program.total_sets
    expected = [(e.id, n + 1) for e in program.exercises for n in range(e.sets)]
    assert [(s["exercise"], s["set"]) for s in sets] == expected
    assert stored(app, talk.session.user_id).get("workout") is None
    assert stored(app, talk.session.user_id)["history"][-1]["finished"]


def test_each_set_announcement_names_exercise_set_target_and_what_to_say(talk, content):
    program = content.programs["standard"]
    talk.launch()
    body = talk.intent("StartWorkoutIntent", program_slot("STANDARD"))
    text = speech(body)
    exercise = program.exercises[0]
    assert exercise.name in text
    assert f"Set 1 of {exercise.sets}: {exercise.reps[0]} to {exercise.reps[1]} reps" in text
    # The first time, the weight is chosen light: the set doesn't also ask for a hard one.
    assert "Start light" in text and "hard by the last rep" not in text
    assert text.endswith("say done, or tell me your reps and weight.")
    assert reprompt(body) == "When you finish, say done, or tell me your reps and weight."


def test_rest_is_spoken_with_short_breaks_then_asks(talk, content):
    talk.launch()
    talk.intent("StartWorkoutIntent", program_slot("STANDARD"))
    body = log(talk, 10, 20, "POUNDS")
    ssml = body["response"]["outputSpeech"]["ssml"]
    breaks = [int(b) for b in re.findall(r'<break time="(\d+)s"/>', ssml)]
    assert breaks and max(breaks) <= 10
    assert sum(breaks) <= content.workout["rest"]["longest_spoken_seconds"]
    assert speech(body).endswith("Ready for set 2 of 3?")
    assert reprompt(body) == "Ready for set 2 of 3?"
    assert_session_rule(body)


def test_pause_and_resume_in_a_new_session(app, client, content):
    user = Session()
    first = Talk(client, user)
    first.launch()
    first.intent("StartWorkoutIntent", program_slot("BEGINNER"))
    log(first, 10)
    body = first.intent("AMAZON.PauseIntent")
    assert body["response"]["shouldEndSession"] is True
    assert "open bone builder" in speech(body)

    later = Talk(client, Session(user_id=user.user_id))
    body = later.launch()
    exercise = content.programs["beginner"].exercises[0]
    assert f"Welcome back: you were on set 2 of {exercise.sets} of the {exercise.name}" in speech(
        body
    )
    assert speech(body).endswith("Shall we carry on?")
    body = later.intent("AMAZON.YesIntent")
    assert f"Set 2 of {exercise.sets} of the {exercise.name}:" in speech(body)
    assert stage(later) == "set"


def test_resume_intent_in_a_new_session(client, content):
    user = Session()
    first = Talk(client, user)
    first.launch()
    first.intent("StartWorkoutIntent", program_slot("BEGINNER"))
    first.intent("AMAZON.PauseIntent")
    body = Talk(client, Session(user_id=user.user_id)).intent("AMAZON.ResumeIntent")
    assert "Set 1 of" in speech(body)


def _on_set_two(client) -> tuple[Session, Talk]:
    """A person who has logged the first set of the standard workout and started the second."""
    user = Session()
    talk = Talk(client, user)
    talk.launch()
    talk.intent("StartWorkoutIntent", program_slot("STANDARD"))
    log(talk, 10, 20, "POUNDS")
    talk.intent("AMAZON.YesIntent")
    return user, talk


def test_stop_mid_set_then_relaunch_carries_on_at_the_same_set(app, client, content):
    user, talk = _on_set_two(client)
    body = talk.intent("AMAZON.StopIntent")
    assert "saved your place: set 2 of 3" in speech(body)
    assert body["response"]["shouldEndSession"] is True
    again = Talk(client, Session(user_id=user.user_id))
    assert "set 2 of 3" in speech(again.launch())
    body = log(again, 11, 20, "POUNDS")
    assert "Ready for set 3 of 3?" in speech(body)
    sets = all_logged_sets(app, user.user_id)
    assert [(s["set"], s["reps"]) for s in sets] == [(1, 10), (2, 11)]


def test_dropped_session_then_one_shot_done_logs_the_right_set(app, client, content):
    user, talk = _on_set_two(client)
    talk.send(user.session_ended("EXCEEDED_MAX_REPROMPTS"))
    one_shot = Talk(client, Session(user_id=user.user_id))
    body = log(one_shot, 9, 20, "POUNDS")
    assert "Got it: 9 reps with 20 pounds" in speech(body)
    sets = all_logged_sets(app, user.user_id)
    assert [(s["exercise"], s["set"], s["reps"]) for s in sets][-1][1:] == (2, 9)


@pytest.mark.parametrize(
    ("locale", "unit_slot_id", "expect_unit", "expect_word"),
    [
        ("en-US", None, "lb", "pounds"),
        ("en-GB", None, "kg", "kilograms"),
        ("en-US", "KILOGRAMS", "kg", "kilograms"),
        ("en-GB", "POUNDS", "lb", "pounds"),
    ],
)
def test_logging_with_and_without_units(
    app, client, locale, unit_slot_id, expect_unit, expect_word
):
    talk = Talk(client, Session(locale=locale))
    talk.launch()
    talk.intent("StartWorkoutIntent", program_slot("STANDARD"))
    body = log(talk, 10, 22.5, unit_slot_id)
    assert f"10 reps with 22.5 {expect_word}" in speech(body)
    [entry] = all_logged_sets(app, talk.session.user_id)
    assert (entry["reps"], entry["weight"], entry["unit"]) == (10, 22.5, expect_unit)


def test_done_and_next_log_a_set_without_numbers(app, talk):
    talk.launch()
    talk.intent("StartWorkoutIntent", program_slot("BEGINNER"))
    body = log(talk)
    assert "set 1 done" in speech(body)
    talk.intent("AMAZON.NextIntent")
    body = talk.intent("AMAZON.NextIntent")
    assert "Got it: set 2 done" in speech(body)
    sets = all_logged_sets(app, talk.session.user_id)
    assert [(s["set"], s["reps"]) for s in sets] == [(1, None), (2, None)]


def test_overload_rule_over_several_sessions(client, content):
    program = content.programs["standard"]
    user_id = Session().user_id

    def session(reps_for, weight=20):
        talk = Talk(client, Session(user_id=user_id))
        talk.launch()
        return finish_workout(talk, program, reps_for=reps_for, weight=weight)

    def squat_intro() -> str:
        talk = Talk(client, Session(user_id=user_id))
        talk.launch()
        text = speech(talk.intent("StartWorkoutIntent", program_slot("STANDARD")))
        talk.intent("AMAZON.StopIntent")
        return text

    assert "Start light" in squat_intro()
    session(lambda ex: ex.reps[1])
    # One session at the top of the range is not yet enough.
    assert "Last time you lifted 20 pounds. Stay at 20 pounds" in squat_intro()
    session(lambda ex: ex.reps[1])
    assert "try 22 pounds today" in squat_intro()
    session(lambda ex: ex.reps[0] - 1, weight=22)
    assert "some sets fell short, so stay at 22 pounds" in squat_intro()
    session(lambda ex: ex.reps[0] - 1, weight=22)
    # Missing the bottom of the range twice running: about a tenth lighter.
    assert "try a little lighter today: 20 pounds" in squat_intro()


def test_starting_again_keeps_an_unfinished_workout_in_the_history(app, talk, content):
    talk.launch()
    talk.intent("StartWorkoutIntent", program_slot("STANDARD"))
    log(talk, 10, 20, "POUNDS")
    talk.intent("StartWorkoutIntent", program_slot("BEGINNER"))
    attrs = stored(app, talk.session.user_id)
    assert attrs["history"][-1]["sets"][0]["reps"] == 10
    assert attrs["history"][-1]["finished"] is None
    assert attrs["workout"]["program"] == "beginner"


@pytest.mark.parametrize(
    ("weight", "reps", "unit", "expect", "supervision"),
    [
        (
            40,
            10,
            "KILOGRAMS",
            ["most you could lift once is about 53.5 kilograms", "38 kilograms to 42 kilograms"],
            False,
        ),
        (100, 5, "POUNDS", ["lift once is about 117 pounds", "83 pounds to 92 pounds"], True),
        (50, 1, "KILOGRAMS", ["50 kilograms once means", "lift once is about 50 kilograms"], True),
    ],
)
def test_one_rep_max_estimate(talk, weight, reps, unit, expect, supervision):
    talk.launch()
    body = talk.intent(
        "OneRepMaxIntent", {"Weight": str(weight), "Reps": str(reps), "Unit": unit_slot(unit)}
    )
    text = speech(body)
    for phrase in expect:
        assert phrase in text
    assert ("only be lifted with a trainer or physical therapist watching" in text) is supervision
    assert_session_rule(body)


def test_one_rep_max_uses_the_locale_unit_and_asks_when_numbers_are_missing(client):
    talk = Talk(client, Session(locale="en-GB"))
    talk.launch()
    assert "kilograms" in speech(talk.intent("OneRepMaxIntent", {"Weight": "40", "Reps": "10"}))
    body = talk.intent("OneRepMaxIntent", {"Weight": "?"})
    assert speech(body).endswith("?") and "how many times" in speech(body)


def test_how_am_i_doing(client, content):
    program = content.programs["standard"]
    user_id = Session().user_id
    for weight in (20, 25):
        talk = Talk(client, Session(user_id=user_id))
        talk.launch()
        finish_workout(talk, program, weight=weight)
    talk = Talk(client, Session(user_id=user_id))
    talk.launch()
    body = talk.intent("HowAmIDoingIntent")
    text = speech(body)
    assert "you've done 2 workouts" in text
    assert "goblet squat: up from 20 pounds to 25 pounds" in text
    assert_session_rule(body)


def _mid_set(talk: Talk) -> None:
    talk.launch()
    talk.intent("StartWorkoutIntent", program_slot("STANDARD"))
    log(talk, 10, 20, "POUNDS")
    talk.intent("AMAZON.YesIntent")
    assert stage(talk) == "set"


@pytest.mark.parametrize(
    ("intent", "expect", "open_after"),
    [
        ("AMAZON.NextIntent", "Got it: set 2 done", True),
        ("AMAZON.PreviousIntent", "Going back. Set 1 of 3", True),
        ("AMAZON.RepeatIntent", "Set 2 of 3", True),
        ("SkipExerciseIntent", "skipping goblet squat", True),
        ("AMAZON.StartOverIntent", "Set 1 of 3", True),
        ("AMAZON.PauseIntent", "Paused. I've saved your place: set 2 of 3", False),
        ("AMAZON.ResumeIntent", "Set 2 of 3", True),
        ("SetsLeftIntent", "Counting this one, 14 sets are left, with 4 more exercises", True),
        ("AMAZON.HelpIntent", "or pause. If anything feels wrong, say stop", True),
        ("AMAZON.YesIntent", "Got it: set 2 done", True),
        ("AMAZON.NoIntent", "We're on set 2 of 3", True),
        ("AMAZON.StopIntent", "I've saved your place: set 2 of 3", False),
        ("AMAZON.CancelIntent", "I've saved your place: set 2 of 3", False),
        ("AMAZON.NavigateHomeIntent", "I've saved your place: set 2 of 3", False),
        ("AMAZON.FallbackIntent", "We're on set 2 of 3 of the goblet squat", True),
        ("OrderPizzaIntent", "We're on set 2 of 3 of the goblet squat", True),
    ],
)
def test_each_built_in_mid_workout(talk, intent, expect, open_after):
    _mid_set(talk)
    body = talk.intent(intent)
    assert expect.lower() in speech(body).lower()
    assert talk.session.open is open_after
    assert_session_rule(body)


def test_help_mid_workout_then_yes_carries_on(talk):
    _mid_set(talk)
    body = talk.intent("AMAZON.HelpIntent")
    assert speech(body).endswith("Ready to get back to set 2 of 3 of the goblet squat?")
    assert "Set 2 of 3" in speech(talk.intent("AMAZON.YesIntent"))


def test_no_to_ready_waits(talk):
    talk.launch()
    talk.intent("StartWorkoutIntent", program_slot("STANDARD"))
    log(talk, 10, 20, "POUNDS")
    body = talk.intent("AMAZON.NoIntent")
    assert "No rush" in speech(body)
    assert "Set 2 of 3" in speech(talk.intent("AMAZON.NextIntent"))


def test_no_to_carry_on_keeps_the_place_for_later(client):
    user = Session()
    talk = Talk(client, user)
    talk.launch()
    talk.intent("StartWorkoutIntent", program_slot("BEGINNER"))
    talk.intent("AMAZON.StopIntent")
    again = Talk(client, Session(user_id=user.user_id))
    again.launch()
    body = again.intent("AMAZON.NoIntent")
    assert "keep your place" in speech(body)
    assert_session_rule(body)
    assert "Welcome back" in speech(Talk(client, Session(user_id=user.user_id)).launch())


def test_question_mid_workout_is_answered_then_the_workout_continues(talk, content):
    _mid_set(talk)
    body = talk.intent("HowOftenIntent")
    assert content.by_intent["HowOftenIntent"].answer.speech in speech(body)
    assert speech(body).endswith("Ready to get back to set 2 of 3 of the goblet squat?")
    body = talk.intent("AMAZON.YesIntent")
    assert "Set 2 of 3" in speech(body)


def test_workout_commands_without_a_workout(talk, content):
    talk.launch()
    body = log(talk, 10)
    assert content.messages["no_workout"].speech in speech(body)
    assert_session_rule(body)
    body = talk.intent("AMAZON.YesIntent")
    assert "Which one would you like?" in speech(body)
    body = talk.intent("StartWorkoutIntent", program_slot("BEGINNER"))
    assert "beginner workout" in speech(body)


def test_start_my_workout_without_a_program_uses_the_last_one(client, content):
    user = Session()
    talk = Talk(client, user)
    talk.launch()
    finish_workout(talk, content.programs["osteoporosis"])
    again = Talk(client, Session(user_id=user.user_id))
    again.launch()
    assert "bone-safe workout" in speech(again.intent("StartWorkoutIntent"))


def test_unmatched_program_words_are_treated_as_no_program(talk):
    talk.launch()
    body = talk.intent("StartWorkoutIntent", {"Program": slot("Program", "over", None, "PROGRAM")})
    assert "Which one would you like?" in speech(body)


def test_garbage_workout_cursor_is_ignored(client, content):
    session = Session()
    session.open = True
    session.attributes = {"workout": {"program": "beginner", "ex": 99, "set": "x"}}
    reply = client.post("/alexa", json=session.intent("AMAZON.NextIntent"))
    assert reply.status_code == 200
    assert content.messages["no_workout"].speech in json.dumps(reply.get_json())


def test_pain_mid_workout_pauses_and_saves_the_place(app, talk, content):
    _mid_set(talk)
    body = talk.intent("PainIntent")
    text = speech(body)
    assert content.by_intent["PainIntent"].answer.speech in text
    assert "I've saved your place: set 2 of 3" in text
    assert body["response"]["shouldEndSession"] is True
    saved = stored(app, talk.session.user_id)["workout"]
    assert (saved["ex"], saved["set"]) == (0, 1)


def test_repeat_while_resting_asks_the_same_question(talk):
    talk.launch()
    talk.intent("StartWorkoutIntent", program_slot("STANDARD"))
    log(talk, 10, 20, "POUNDS")
    body = talk.intent("AMAZON.RepeatIntent")
    assert speech(body) == "Ready for set 2 of 3?"
    assert_session_rule(body)


def test_routing_tables_name_the_intents_they_route(app):
    workout = app.extensions["bone_builder"].skill.workout
    assert set(workout.workout_only()) == WORKOUT_ONLY
    assert set(workout.during_workout()) == DURING_WORKOUT
    assert set(workout.any_time()) == ANY_TIME
