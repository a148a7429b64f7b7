"""A set that could not be saved is never lost quietly.

A set logged while the database is down is kept in the session. Every turn that closes
the session (stop, pause, a pain report, the last set, skipping the last exercise, and
Alexa's SessionEndedRequest) tries to save it again; if that fails too, the skill says so
plainly and never says "saved". Each path runs on a locked SQLite file and on PostgreSQL
cut off behind a proxy.
"""

from __future__ import annotations

import re
import sqlite3

import pytest

from skill.web.envelopes import Session, slot
from tests.helpers import Talk, assert_session_rule, local_app, speech, stored_sets
from tests.old_records import write_old_records
from tests.test_faults import postgres_behind_proxy
from tests.test_workout import start as start_workout

UNSAVED_SETS = "unsaved_sets"


class Backend:
    """An app on a database that the test can break and mend."""

    def __init__(self, app, break_db, mend_db):
        self.app, self.break_db, self.mend_db = app, break_db, mend_db


@pytest.fixture(params=["sqlite-locked", "postgresql-cut"])
def backend(request, tmp_path):
    if request.param == "sqlite-locked":
        path = tmp_path / "state.sqlite3"
        app = local_app(f"sqlite:///{path}", DATABASE_BUSY_TIMEOUT_MS=500)
        blocker = sqlite3.connect(path, timeout=5, isolation_level=None)
        locked = []

        def lock():
            blocker.execute("BEGIN EXCLUSIVE")
            locked.append(True)

        def unlock():
            if locked:
                blocker.execute("COMMIT")
                locked.clear()

        yield Backend(app, lock, unlock)
        unlock()
        return
    proxy, proxied = postgres_behind_proxy()
    app = local_app(proxied, DATABASE_BUSY_TIMEOUT_MS=500)
    yield Backend(app, proxy.cut, proxy.restore)
    proxy.restore()


def start(talk: Talk, program: str = "standard") -> None:
    talk.launch()
    start_workout(talk, program.upper())


def log(talk: Talk, reps: int) -> dict:
    return talk.intent("LogSetIntent", {"Reps": str(reps), "Weight": "20"})


def one_set_unsaved(backend: Backend, talk: Talk) -> None:
    """Set 1 saved; set 2 logged while the database is down, so kept in the session."""
    start(talk)
    assert "couldn't save" not in speech(log(talk, 10))
    talk.intent("AMAZON.YesIntent")
    backend.break_db()
    body = log(talk, 11)
    assert "couldn't save that set" in speech(body)
    assert len(talk.session.attributes[UNSAVED_SETS]) == 1


CLOSERS = {
    "stop": lambda talk: talk.intent("AMAZON.StopIntent"),
    "cancel": lambda talk: talk.intent("AMAZON.CancelIntent"),
    "pause": lambda talk: talk.intent("AMAZON.PauseIntent"),
    "pain": lambda talk: talk.intent("PainIntent"),
}


@pytest.mark.parametrize("closer", sorted(CLOSERS))
def test_closing_turn_saves_the_kept_set_once_the_database_is_back(backend, closer):
    talk = Talk(backend.app.test_client(), Session())
    one_set_unsaved(backend, talk)
    backend.mend_db()
    body = CLOSERS[closer](talk)
    assert body["response"]["shouldEndSession"] is True
    assert "saved your place" in speech(body)
    assert [s["reps"] for s in stored_sets(backend.app, talk.session.user_id)] == [10, 11]


@pytest.mark.parametrize("closer", sorted(CLOSERS))
def test_closing_turn_says_plainly_when_the_kept_set_is_lost(backend, closer):
    talk = Talk(backend.app.test_client(), Session())
    one_set_unsaved(backend, talk)
    body = CLOSERS[closer](talk)
    said = speech(body)
    assert body["response"]["shouldEndSession"] is True
    assert "saved your place" not in said and "I'll keep it" not in said
    assert "couldn't save your last set" in said
    backend.mend_db()
    assert [s["reps"] for s in stored_sets(backend.app, talk.session.user_id)] == [10]


def to_last_exercise(talk: Talk, content) -> None:
    """Skip ahead to the last exercise of the standard workout, at its first set."""
    for _ in content.programs["standard"].exercises[:-1]:
        talk.intent("SkipExerciseIntent")


def log_last_exercise(backend: Backend, talk: Talk, content, mend_before_last: bool) -> dict:
    """Log the last exercise; its second-to-last set is logged with the database down."""
    start(talk)
    to_last_exercise(talk, content)
    sets = content.programs["standard"].exercises[-1].sets
    for n in range(sets - 2):
        log(talk, 8 + n)
        talk.intent("AMAZON.YesIntent")
    backend.break_db()
    assert "couldn't save that set" in speech(log(talk, 20))
    talk.intent("AMAZON.YesIntent")
    if mend_before_last:
        backend.mend_db()
    return log(talk, 21)


def test_last_set_files_the_workout_with_the_kept_set(backend, content):
    talk = Talk(backend.app.test_client(), Session())
    body = log_last_exercise(backend, talk, content, mend_before_last=True)
    assert re.search(r"workout (done|finished)", speech(body)) and "couldn't save" not in speech(
        body
    )
    attrs = backend.app.extensions["bone_builder"].persistence.export(talk.session.user_id)
    assert "workout" not in attrs
    assert attrs["history"][-1]["finished"]
    assert [s["reps"] for s in attrs["history"][-1]["sets"]][-2:] == [20, 21]


def test_last_set_says_plainly_when_sets_are_lost(backend, content):
    talk = Talk(backend.app.test_client(), Session())
    body = log_last_exercise(backend, talk, content, mend_before_last=False)
    said = speech(body)
    assert body["response"]["shouldEndSession"] is True
    assert "I'll keep it" not in said and "try again" not in said
    assert "couldn't save your last two sets" in said


def test_skipping_the_last_exercise_saves_the_kept_set(backend, content):
    talk = Talk(backend.app.test_client(), Session())
    start(talk)
    to_last_exercise(talk, content)
    backend.break_db()
    assert "couldn't save that set" in speech(log(talk, 9))
    talk.intent("AMAZON.YesIntent")
    backend.mend_db()
    body = talk.intent("SkipExerciseIntent")
    assert re.search(r"workout (done|finished)", speech(body)) and "couldn't save" not in speech(
        body
    )
    assert [s["reps"] for s in stored_sets(backend.app, talk.session.user_id)] == [9]


def test_session_ended_saves_the_kept_set(backend):
    talk = Talk(backend.app.test_client(), Session())
    one_set_unsaved(backend, talk)
    backend.mend_db()
    talk.send(talk.session.session_ended("EXCEEDED_MAX_REPROMPTS"))
    assert [s["reps"] for s in stored_sets(backend.app, talk.session.user_id)] == [10, 11]


def test_session_ended_with_the_database_still_down_is_logged(backend, caplog):
    talk = Talk(backend.app.test_client(), Session())
    one_set_unsaved(backend, talk)
    talk.send(talk.session.session_ended("EXCEEDED_MAX_REPROMPTS"))
    assert any("1 unsaved set" in r.getMessage() for r in caplog.records)


# -- garbage in the session never reaches the stored record ---------------------------------

CURSOR = {
    "id": "w1",
    "program": "standard",
    "ex": 0,
    "set": 1,
    "stage": "set",
    "started": "2026-01-01T00:00:00+00:00",
}


@pytest.mark.parametrize(
    "garbage",
    [
        {"exercise": "goblet_squat", "weight": "heavy", "unit": "kg"},
        {"exercise": "goblet_squat", "set": 1, "reps": 10, "weight": 1e308, "unit": "kg"},
        {"exercise": "goblet_squat", "set": 1, "reps": "ten", "weight": None, "unit": None},
        {"exercise": "goblet_squat", "set": True, "reps": 10},
        {"exercise": "x" * 5000, "set": 1},
    ],
)
def test_garbage_unsaved_set_does_not_poison_the_record(app, content, garbage):
    session = Session()
    session.open = True
    session.attributes = {"workout": CURSOR, UNSAVED_SETS: [garbage]}
    talk = Talk(app.test_client(), session)
    assert "ten reps" in speech(talk.intent("LogSetIntent", {"Reps": "10", "Weight": "20"}))
    stored = stored_sets(app, session.user_id)
    assert [(s["set"], s["reps"]) for s in stored] == [(2, 10)]
    apology = content.messages["error"].speech
    for _ in range(2):
        talk.session.open = False
        talk.launch()
        body = talk.intent(
            "StartWorkoutIntent", {"Program": slot("Program", "standard", "STANDARD", "PROGRAM")}
        )
        assert apology not in speech(body)
    body = talk.intent("HowAmIDoingIntent")
    assert apology not in speech(body)
    assert_session_rule(body)


def test_unsaved_sets_keep_only_known_fields(app):
    session = Session()
    session.open = True
    kept = {"exercise": "goblet_squat", "set": 1, "reps": 9, "weight": 20, "unit": "kg"}
    session.attributes = {"workout": CURSOR, UNSAVED_SETS: [{**kept, "junk": "x" * 1000}]}
    talk = Talk(app.test_client(), session)
    talk.intent("LogSetIntent", {"Reps": "10", "Weight": "20"})
    first = stored_sets(app, session.user_id)[0]
    assert "junk" not in first
    assert {k: first[k] for k in kept} == kept


def good_set(n: int, weight: float) -> dict:
    return {
        "exercise": "goblet_squat",
        "set": n,
        "reps": 12,
        "weight": weight,
        "unit": "kg",
        "at": "2026-01-01T09:00:00+00:00",
        "session": "s1",
    }


def test_poisoned_stored_record_is_moved_keeping_what_is_valid(tmp_path, content):
    import datetime as dt

    started = (dt.datetime.now(dt.UTC) - dt.timedelta(days=3)).isoformat(timespec="seconds")
    user = Session().user_id
    poisoned = {
        "welcomed": True,
        "unit": "stone",
        "history": [
            {
                "id": "old",
                "program": "standard",
                "started": started,
                "finished": started,
                "sets": [
                    good_set(1, 20),
                    {**good_set(2, 20), "weight": "heavy"},
                    {**good_set(3, 20), "weight": 1e308},
                    "not a set",
                ],
            },
            "not a workout",
            {"id": "junk", "sets": "nope"},
        ],
    }
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    write_old_records(url, {user: poisoned})
    app = local_app(url)
    talk = Talk(app.test_client(), Session(user_id=user))
    talk.launch()
    apology = content.messages["error"].speech
    body = start_workout(talk, "STANDARD")
    assert apology not in speech(body)
    assert "forty-four pounds" in speech(body)
    body = talk.intent("HowAmIDoingIntent")
    assert apology not in speech(body) and "1e" not in speech(body)
    assert not any(len(word) > 12 for word in speech(body).split())
    talk.intent("LogSetIntent", {"Reps": "10", "Weight": "20"})
    attrs = app.extensions["bone_builder"].persistence.export(user)
    old = next(w for w in attrs["history"] if w.get("id") == "old")
    assert old["sets"] == [good_set(1, 20)]
    assert all(isinstance(w, dict) for w in attrs["history"])
    assert "unit" not in attrs or attrs["unit"] in ("kg", "lb")
