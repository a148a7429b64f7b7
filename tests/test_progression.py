"""The load progression rule on its own and through the webhook: light and heavy loads, kg
and lb, the boundaries (one session against two, top of range, missed bottom), the way
down, fixed dumbbells, the ceilings (a quarter heavier, eighty percent of the estimate)
and the schema that holds the content to them, the supervision line, and a remembered
unit."""

from __future__ import annotations

import json
import shutil

import pytest

from intents.workout import progress
from skill.config import PROJECT_ROOT
from skill.content.loader import load_content
from skill.content.model import ContentError
from skill.web.envelopes import Session, slot
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


#: What the rule gives after two sessions with every set at the top of the range (12), and
#: after three at fifteen reps (weights that can't make the step): (reason, weight).
STEPS = [
    (1, "kg", ("more-reps", 1), ("slower", 1)),
    (2, "kg", ("more-reps", 2), ("slower", 2)),
    (3, "kg", ("more-reps", 3), ("next-weight", 3.5)),
    (4, "kg", ("more-reps", 4), ("next-weight", 4.5)),
    (5, "kg", ("add", 5.5), ("next-weight", 6)),
    (8, "kg", ("add", 8.5), ("next-weight", 9.5)),
    (20, "kg", ("add", 22), ("next-weight", 24)),
    (60, "kg", ("add", 66), ("next-weight", 72)),
    (5, "lb", ("more-reps", 5), ("next-weight", 6)),
    (8, "lb", ("more-reps", 8), ("next-weight", 9)),
    (10, "lb", ("add", 11), ("next-weight", 12)),
    (50, "lb", ("add", 55), ("next-weight", 60)),
    (135, "lb", ("add", 148), ("next-weight", 162)),
]


@pytest.mark.parametrize(("weight", "unit", "at_top", "at_most_reps"), STEPS)
def test_the_steps_the_rule_gives(weight, unit, at_top, at_most_reps):
    tip = suggest(sessions(weight, unit, 12, 2), unit)
    assert (tip.reason, tip.today) == at_top
    tip = suggest(sessions(weight, unit, RULE.most_reps, 3), unit)
    assert (tip.reason, tip.today) == at_most_reps
    assert not tip.supervised


@pytest.mark.parametrize(("weight", "unit", "at_top", "at_most_reps"), STEPS)
def test_no_step_is_more_than_a_quarter_or_past_the_supervision_share(
    weight, unit, at_top, at_most_reps
):
    for reps, count in ((12, 2), (RULE.most_reps, 3)):
        history = sessions(weight, unit, reps, count)
        tip = suggest(history, unit)
        if tip.today is None or tip.today == weight:
            assert tip.reason in ("more-reps", "slower")
            continue
        assert weight + RULE.smallest_step[unit] <= tip.today <= weight * 1.25 + 1e-9
        estimate = progress.estimated_max_kg(progress._sessions_for(history, "x"))
        lifted = tip.today if unit == "kg" else tip.today * 0.45359237
        assert lifted <= 0.8 * estimate + 1e-9


@pytest.mark.parametrize(
    ("field", "value"),
    [("largest_step", 0.15), ("largest_jump", 0.3), ("supervision_above", 0.85)],
)
def test_content_past_a_ceiling_fails_validation(tmp_path, field, value):
    folder = tmp_path / "content"
    shutil.copytree(PROJECT_ROOT / "content", folder)
    path = folder / "workout.json"
    workout = json.loads(path.read_text())
    workout["progression"][field] = value
    path.write_text(json.dumps(workout))
    with pytest.raises(ContentError) as caught:
        load_content(folder)
    [problem] = caught.value.problems
    assert "workout.json" in problem and "progression" in problem and field in problem


def test_the_ceilings_are_in_the_schema():
    schema = json.loads((PROJECT_ROOT / "content/schema.json").read_text())
    rule = schema["$defs"]["workout"]["properties"]["progression"]
    assert {"largest_step", "largest_jump", "supervision_above"} <= set(rule["required"])
    ceilings = {k: rule["properties"][k]["maximum"] for k in ("largest_jump", "supervision_above")}
    assert ceilings == {"largest_jump": 0.25, "supervision_above": 0.8}


def test_the_rule_in_words_names_the_ceilings():
    rule = json.loads((PROJECT_ROOT / "content/workout.json").read_text())["progression"]["rule"]
    assert "no more than a quarter heavier" in rule
    assert "eighty percent of the estimated one-rep max" in rule
    assert "about eighty" not in rule
    assert "slow each rep down or use a band" in rule


def test_one_session_at_the_top_is_not_enough():
    assert suggest(sessions(20, "kg", 12, 1), "kg").reason == "stay"


def test_one_rep_short_of_the_top_is_not_the_top():
    assert suggest(sessions(20, "kg", 11, 2), "kg").reason == "stay"


def test_a_light_weight_whose_smallest_step_is_too_big_adds_reps_then_slows_down():
    # One smallest step on a kilogram is half as heavy again: never suggested.
    assert progress.step_up(1, "kg", RULE) is None
    assert progress.step_up(2, "kg", RULE) == 2.5  # a quarter: the most allowed
    assert suggest(sessions(1, "kg", 14, 3), "kg").reason == "more-reps"
    tip = suggest(sessions(1, "kg", 15, 3), "kg")
    assert (tip.reason, tip.today) == ("slower", 1)


def test_fixed_dumbbells_add_reps_to_fifteen_then_a_bounded_next_weight():
    # Told to go up, but still on the same weight: the step couldn't be made.
    assert suggest(sessions(20, "kg", 12, 3), "kg").reason == "more-reps"
    assert suggest(sessions(20, "kg", 14, 3), "kg").reason == "more-reps"
    tip = suggest(sessions(20, "kg", 15, 3), "kg")
    assert (tip.reason, tip.today) == ("next-weight", 24)


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


@pytest.mark.parametrize(("reps", "supervised"), [(6, True), (7, True), (8, False)])
def test_supervision_starts_at_eighty_percent_of_the_estimate(reps, supervised):
    # Seven reps: the weight is 30/37 (81%) of the Epley estimate; eight: 30/38 (79%).
    tip = suggest(sessions(40, "kg", reps, 1), "kg")
    assert (tip.today, tip.supervised) == (40, supervised)


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


@pytest.mark.parametrize(
    ("weight", "said"),
    [
        (20, "Go up to twenty-four pounds at most, for eight reps."),
        (2, "Stay at two pounds, and lower each rep slowly."),
    ],
)
def test_fifteen_reps_three_times_through_the_webhook(client, content, weight, said):
    program = content.programs["standard"]
    user = Session().user_id
    for _ in range(3):
        talk = Talk(client, Session(user_id=user))
        talk.launch()
        finish_workout(talk, program, reps_for=lambda ex: 15, weight=weight)
    talk = Talk(client, Session(user_id=user))
    talk.launch()
    text = speech(start(talk))
    assert said in text
    assert "trainer or physical therapist watching" not in text


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
