"""The workout's state machine on its own: every stage against every event, and the paths
that matter (going back across exercises, skipping, repeating, starting over, the end)."""

from __future__ import annotations

import ast
import inspect

import pytest

from intents.workout import flow as flow_module
from intents.workout import place as place_module
from intents.workout.flow import STAGES, Event, EventKind, Flow, Mode, Place, Stage, asking
from skill.content.loader import load_content

CONTENT = load_content("content")
FLOW = Flow(CONTENT.programs)
SPECIAL = {"text", "rest", "count", "suggestion", "complete", "ack"}
KNOWN = set(CONTENT.lines) | set(CONTENT.messages) | SPECIAL
ENTRY = {"exercise": "x", "set": 1, "reps": 10, "weight": None, "unit": None}


def place_at(stage: str, program: str = "beginner", ex: int = 1, set_: int = 1, **more) -> Place:
    return Place(
        "w1", program, ex, set_, Stage(stage), "2026-01-01T00:00:00+00:00", Mode.COUNTED, **more
    )


@pytest.mark.parametrize("module", [flow_module, place_module])
def test_the_flow_imports_no_framework_or_database(module):
    tree = ast.parse(inspect.getsource(module))
    imported = {
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert not {
        m
        for m in imported
        if m.split(".")[0] in {"ask_sdk_core", "ask_sdk_model", "flask", "sqlalchemy"}
    }


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("kind", list(EventKind))
@pytest.mark.parametrize("mode", ["counted", "self", None])
def test_every_stage_and_event_gives_a_well_formed_step(stage, kind, mode):
    place = place_at(stage, switch_to="standard" if stage == "confirm" else None).at(mode=mode)
    event = Event(kind, mode="counted" if kind in ("mode", "choose_mode") else None)
    step = FLOW.step(place, event, dict(ENTRY))
    for say in [*step.says, *([step.ask] if step.ask else [])]:
        assert say.key in KNOWN, say.key
    if step.place is not None:
        assert Place.from_dict(step.place.to_dict(), CONTENT.programs) == step.place
    restarts = [e for e in step.effects if e.kind == "restart"]
    if not step.end and not restarts and step.place is not None and kind != "dropped":
        assert step.ask is not None, "an open session must ask something"
    if step.end:
        assert step.ask is None


def test_going_back_across_exercises_lands_on_the_last_set_of_the_one_before():
    step = FLOW.step(place_at("set", ex=1, set_=0), Event("previous"))
    assert (step.place.ex, step.place.set) == (
        0,
        CONTENT.programs["beginner"].exercises[0].sets - 1,
    )
    assert step.says[0].key == "going_back"


def test_going_back_from_the_first_set_stays_and_says_so():
    step = FLOW.step(place_at("set", ex=0, set_=0), Event("previous"))
    assert (step.place.ex, step.place.set) == (0, 0)
    assert step.says[0].key == "first_set_already"


def test_skip_moves_to_the_next_exercise_and_skipping_the_last_ends():
    step = FLOW.step(place_at("set", ex=1, set_=1), Event("skip"))
    assert (step.place.ex, step.place.set, step.place.stage) == (2, 0, "set")
    last = len(CONTENT.programs["beginner"].exercises) - 1
    step = FLOW.step(place_at("set", ex=last, set_=0, done_sets=3), Event("skip"))
    assert step.place is None and step.end
    assert [e.kind for e in step.effects] == ["finish"]


def test_skipping_everything_offers_a_shorter_workout_instead_of_praise():
    last = len(CONTENT.programs["beginner"].exercises) - 1
    step = FLOW.step(place_at("set", ex=last, set_=0), Event("skip"))
    assert step.ask.key == "complete_empty"
    assert all(s.key != "complete" for s in step.says)


def test_repeat_at_the_resume_question_asks_it_again():
    step = FLOW.step(place_at("resume"), Event("repeat"))
    assert step.place.stage == "resume" and step.ask.key == "resume_question"


def test_repeat_while_resting_says_the_same_variant_again_with_what_it_is_about():
    step = FLOW.step(place_at("set"), Event("done"), dict(ENTRY))
    again = FLOW.step(step.place, Event("repeat"))
    assert again.ask == step.ask
    assert [s.key for s in again.says] == ["repeat_ready"]


@pytest.mark.parametrize("kind", ["help", "repeat"])
@pytest.mark.parametrize("stage", STAGES)
def test_help_and_repeat_ask_the_very_question_asked_last(stage, kind):
    place = place_at(stage, switch_to="standard" if stage == "confirm" else None)
    asked = FLOW.step(place, Event("whats_next"))
    again = FLOW.step(asked.place, Event(kind))
    assert again.ask == asked.ask
    assert again.place.stage == asked.place.stage


def test_repeat_after_a_counted_set_asks_how_many_without_counting_again():
    counted = FLOW.announce(place_at("ready"))
    again = FLOW.step(asking(counted).place, Event("repeat"))
    assert again.ask.key == "how_many" and again.says == []
    recount = FLOW.step(asking(counted).place, Event("mode", mode="counted"))
    assert any(s.key == "count" for s in recount.says)


def test_done_before_a_set_begins_asks_and_logs_nothing():
    claim = FLOW.step(place_at("ready"), Event("claim", reps=12))
    assert claim.place.stage == "confirm_done" and claim.ask.key == "claim_check"
    assert claim.place.claimed == {"reps": 12, "weight": None, "unit": None}
    assert not any(e.kind == "record" for e in claim.effects)
    done = FLOW.step(place_at("ready"), Event("done"), dict(ENTRY))
    assert done.place.stage == "confirm_done" and not done.effects
    yes = FLOW.step(claim.place, Event("done"), dict(ENTRY))
    assert [e.kind for e in yes.effects] == ["record"] and yes.place.claimed is None
    no = FLOW.step(claim.place, Event("not_done"))
    assert no.place.stage == "set" and not any(e.kind == "record" for e in no.effects)


def test_a_set_not_done_is_never_logged():
    for stage in ("set", "check_set", "confirm_done"):
        step = FLOW.step(place_at(stage), Event("not_done"))
        assert not any(e.kind in ("record", "finish") for e in step.effects), stage
    counted = FLOW.step(place_at("set"), Event("not_done"))
    assert counted.place.stage == "ready" and counted.says[0].key == "not_logged"


def test_stop_says_how_to_report_feeling_unwell_and_pause_how_to_come_back():
    stop = FLOW.step(place_at("set"), Event("stop"))
    pause = FLOW.step(place_at("set"), Event("pause"))
    assert stop.says[-1].key == "come_back_unwell" and stop.end
    assert pause.says[-1].key == "come_back" and pause.end


def test_start_over_asks_first_saying_how_far_then_restarts_on_yes():
    place = place_at("set", done_sets=3)
    asked = FLOW.step(place, Event("start_over"))
    assert asked.place.stage == "confirm"
    assert asked.ask.key == "confirm_restart" and asked.ask.fields["done"] == 3
    yes = FLOW.step(asked.place, Event("restart"))
    assert [(e.kind, e.entry) for e in yes.effects] == [("restart", {"program": "beginner"})]
    no = FLOW.step(asked.place, Event("keep_going"))
    assert no.place.stage == "ready" and no.place.ex == place.ex


def test_the_last_set_finishes_the_program():
    program = CONTENT.programs["beginner"]
    last = len(program.exercises) - 1
    place = place_at("set", ex=last, set_=program.exercises[last].sets - 1, done_sets=11)
    step = FLOW.step(place, Event("done"), dict(ENTRY))
    assert step.place is None and step.end
    assert [(e.kind, e.entry) for e in step.effects] == [("finish", {"sets": [ENTRY]})]
    assert step.says[-1].key == "complete" and step.says[-1].fields["sets"] == 12


def test_varied_lines_never_repeat_twice_running():
    place = place_at("ready")
    turns = []
    for _ in range(6):
        place, say = FLOW.vary(place, "ack")
        turns.append(say.fields["turn"])
    assert all(a != b for a, b in zip(turns, turns[1:], strict=False))


def test_self_paced_sets_close_the_session_and_counted_ones_ask_how_many():
    counted = FLOW.announce(place_at("ready"))
    assert counted.ask.key == "how_many" and not counted.end
    assert any(s.key == "count" for s in counted.says)
    paced = FLOW.announce(place_at("ready").at(mode="self"))
    assert paced.end and paced.says[-1].key == "finish_self"


def test_reopening_mid_set_asks_whether_it_was_finished():
    step = FLOW.reopen(place_at("set"))
    assert step.place.stage == "check_set" and step.ask.key == "check_set"
    step = FLOW.reopen(place_at("ready"))
    assert step.place.stage == "resume" and step.ask.key == "resume_question"


def test_the_skip_rest_tip_is_said_once():
    first = FLOW.step(place_at("set", ex=0, set_=0), Event("done"), dict(ENTRY))
    assert any(s.key == "skip_rest_tip" for s in first.says)
    second = FLOW.step(first.place.at(stage="set"), Event("done"), dict(ENTRY))
    assert not any(s.key == "skip_rest_tip" for s in second.says)
