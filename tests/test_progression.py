"""The load progression rule on its own and through the webhook: light and heavy loads, kg
and lb, the boundaries (one session against two, top of range, missed bottom), the way
down, fixed dumbbells, the supervision line, and a remembered unit."""

from __future__ import annotations

import pytest

from intents.workout import progress
from skill.config import PROJECT_ROOT
from skill.content import load_content
from skill.envelopes import Session, slot
from tests.helpers import Talk, speech
from tests.test_workout import all_logged_sets, finish_workout, log, start, stored

RULE = load_content(PROJECT_ROOT / "content").progression


def sessions(weight, unit, reps, count, sets=2, feedback=None):
    """``count`` past workouts of one exercise, oldest first."""
    made = []
    for _ in range(count):
        workout = {
            "sets": [
                {"exercise": "x", "set": n + 1, "reps": reps, "weight": weight, "unit": unit}
                for n in range(sets)
            ]
        }
        made.append(workout)
    if feedback:
        made[-1]["feedback"] = [{"exercise": "x", "difficulty": feedback}]
    return made


def suggest(history, unit):
    return progress.suggest(history, "x", (8, 12), 2, RULE, unit)


@pytest.mark.parametrize(
    ("weight", "unit", "today"),
    [
        (4, "kg", 4.5),
        (20, "kg", 22),
        (60, "kg", 66),
        (10, "lb", 11),
        (50, "lb", 55),
        (135, "lb", 148),
    ],
)
def test_two_sessions_at_the_top_add_at_most_a_tenth_or_one_smallest_step(weight, unit, today):
    tip = suggest(sessions(weight, unit, 12, 2), unit)
    assert (tip.reason, tip.today) == ("add", today)
    step = RULE.smallest_step[unit]
    assert tip.today - weight <= max(weight * RULE.largest_step, step) + 1e-9
    assert tip.today - weight >= step
    assert not tip.supervised


def test_one_session_at_the_top_is_not_enough():
    assert suggest(sessions(20, "kg", 12, 1), "kg").reason == "stay"


def test_one_rep_short_of_the_top_is_not_the_top():
    assert suggest(sessions(20, "kg", 11, 2), "kg").reason == "stay"


def test_a_light_weight_whose_smallest_step_is_too_big_adds_reps_first():
    tip = suggest(sessions(2, "kg", 12, 2), "kg")
    assert (tip.reason, tip.today) == ("more-reps", 2)
    tip = suggest(sessions(5, "lb", 12, 2), "lb")
    assert (tip.reason, tip.today) == ("more-reps", 5)


def test_fixed_dumbbells_add_reps_to_fifteen_then_the_next_weight():
    # Told to go up, but still on the same weight: the step couldn't be made.
    assert suggest(sessions(4, "kg", 12, 3), "kg").reason == "more-reps"
    assert suggest(sessions(4, "kg", 14, 3), "kg").reason == "more-reps"
    tip = suggest(sessions(4, "kg", 15, 3), "kg")
    assert (tip.reason, tip.today) == ("next-weight", None)


def test_missing_the_bottom_twice_suggests_about_a_tenth_lighter():
    assert suggest(sessions(20, "kg", 7, 1), "kg").reason == "stay-missed"
    tip = suggest(sessions(20, "kg", 7, 2), "kg")
    assert (tip.reason, tip.today) == ("lighter", 18)
    tip = suggest(sessions(50, "lb", 6, 2), "lb")
    assert (tip.reason, tip.today) == ("lighter", 45)


def test_too_hard_once_is_enough_to_go_lighter():
    tip = suggest(sessions(20, "kg", 10, 1, feedback="TOO_HARD"), "kg")
    assert (tip.reason, tip.today) == ("lighter", 18)


def test_never_lighter_than_one_smallest_step():
    assert suggest(sessions(0.5, "kg", 5, 2), "kg").today == 0.5


def test_a_suggested_weight_near_the_estimated_max_must_be_supervised():
    # Three reps with a weight: it is about nine tenths of the estimated maximum.
    tip = suggest(sessions(40, "kg", 3, 1), "kg")
    assert tip.today == 40 and tip.supervised


def test_suggestions_come_in_the_unit_asked_for():
    tip = suggest(sessions(10, "kg", 12, 2), "lb")
    assert tip.unit == "lb" and tip.last == 22 and tip.today == 24


def test_supervision_line_is_said_through_the_webhook(client, content):
    program = content.programs["standard"]
    user = Session().user_id
    talk = Talk(client, Session(user_id=user))
    talk.launch()
    finish_workout(talk, program, reps_for=lambda ex: 3, weight=40, unit="KILOGRAMS")
    talk = Talk(client, Session(user_id=user))
    text = speech(start(talk))
    assert "Only lift that with a trainer or physical therapist watching" in text


def test_too_hard_through_the_webhook_makes_next_time_lighter(app, client, content):
    program = content.programs["standard"]
    user = Session().user_id
    talk = Talk(client, Session(user_id=user))
    talk.launch()
    start(talk)
    log(talk, 10, 20, "KILOGRAMS")
    body = talk.intent(
        "DifficultyIntent", {"Difficulty": slot("Difficulty", "too hard", "TOO_HARD", "DIFFICULTY")}
    )
    assert "a little less for the goblet squat" in speech(body)
    assert speech(body).endswith("?")
    workout = stored(app, user)["workout"]
    assert workout["feedback"] == [{"exercise": program.exercises[0].id, "difficulty": "TOO_HARD"}]
    talk.intent("AMAZON.StopIntent")
    talk = Talk(client, Session(user_id=user))
    text = speech(start(talk))
    assert "lighter today: eighteen kilograms" in text


def test_the_unit_last_said_is_used_across_turns_and_sessions(app, client):
    user = Session().user_id
    talk = Talk(client, Session(user_id=user))
    talk.launch()
    start(talk)
    assert "twelve reps with four kilograms" in speech(log(talk, 12, 4, "KILOGRAMS"))
    talk.intent("AMAZON.YesIntent")
    assert "twelve reps with four kilograms" in speech(log(talk, 12, 4))
    talk.intent("AMAZON.PauseIntent")
    talk = Talk(client, Session(user_id=user))
    talk.launch()
    talk.intent("AMAZON.YesIntent")
    assert "ten reps with five kilograms" in speech(log(talk, 10, 5))
    assert all(s["unit"] == "kg" for s in stored(app, user)["workout"]["sets"])
    body = talk.intent("OneRepMaxIntent", {"Weight": "40", "Reps": "10"})
    assert "forty kilograms ten times" in speech(body)


def test_an_unknown_unit_is_asked_about_never_guessed(app, talk):
    talk.launch()
    start(talk)
    body = talk.intent(
        "LogSetIntent",
        {"Reps": "10", "Weight": "20", "Unit": slot("Unit", "stones", None, "UNIT")},
    )
    assert speech(body) == (
        "Got it: ten reps. I didn't catch the unit for twenty. Was that kilograms or pounds?"
    )
    assert body["response"]["shouldEndSession"] is False
    logged = all_logged_sets(app, talk.session.user_id)
    assert [(s["reps"], s["weight"]) for s in logged] == [(10, None)], "the reps are kept"
    body = talk.intent("UnitIntent", {"Unit": slot("Unit", "kilos", "KILOGRAMS", "UNIT")})
    assert "set one of the goblet squat was ten reps with twenty kilograms" in speech(body)
    assert speech(body).endswith("Ready for set two?")
    logged = all_logged_sets(app, talk.session.user_id)
    assert [(s["reps"], s["weight"], s["unit"]) for s in logged] == [(10, 20, "kg")]


def test_one_rep_max_asks_about_an_unknown_unit(talk):
    talk.launch()
    body = talk.intent(
        "OneRepMaxIntent",
        {"Reps": "10", "Weight": "20", "Unit": slot("Unit", "stone", None, "UNIT")},
    )
    assert speech(body).endswith("Was that kilograms or pounds?")
    body = talk.intent("UnitIntent", {"Unit": slot("Unit", "pounds", "POUNDS", "UNIT")})
    assert "twenty pounds ten times" in speech(body)


def test_use_kilograms_sets_the_unit(app, talk):
    talk.launch()
    body = talk.intent("UnitIntent", {"Unit": slot("Unit", "kilograms", "KILOGRAMS", "UNIT")})
    assert "use kilograms from now on" in speech(body)
    assert stored(app, talk.session.user_id)["unit"] == "kg"
