"""Forgetting a person, by voice (with a confirmation) and with ``python -m skill db forget``:
afterwards no row anywhere holds their id, not even an old record that could not be moved."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import func, select

from skill.config import PROJECT_ROOT
from skill.store.migrations import upgrade
from skill.store.persistence import make_engine
from skill.store.tables import people, sets, unreadable, workouts
from skill.web.envelopes import Session
from tests.fresh_databases import BACKENDS, fresh_database
from tests.helpers import Talk, local_app, speech
from tests.old_records import write_old_records
from tests.test_workout import log, start

PERSON = "amzn1.ask.person.anne"
ACCOUNT = "amzn1.ask.account.household"


def rows_about(app, person_id: str) -> int:
    engine = app.extensions["bone_builder"].persistence.engine
    with engine.connect() as conn:
        return sum(
            conn.execute(
                select(func.count()).select_from(table).where(table.c.person_id == person_id)
            ).scalar()
            for table in (people, workouts, sets)
        )


def trained(app, person_id: str | None = PERSON) -> Talk:
    """Someone with a finished-or-not workout, a unit and the first-use note heard."""
    talk = Talk(app.test_client(), Session(user_id=ACCOUNT, person_id=person_id))
    talk.launch()
    start(talk)
    log(talk, 10, 20, "POUNDS")
    talk.intent("AMAZON.YesIntent")
    log(talk, 9, 20, "POUNDS")
    return talk


def test_forgetting_by_voice_leaves_nothing(app):
    talk = trained(app)
    trained(app, "amzn1.ask.person.bob")
    assert rows_about(app, PERSON) > 3
    body = talk.intent("ForgetHistoryIntent")
    assert "can't be undone" in speech(body)
    assert body["response"]["shouldEndSession"] is False
    body = talk.intent("AMAZON.YesIntent")
    assert "forgotten" in speech(body)
    assert body["response"]["shouldEndSession"] is True
    assert rows_about(app, PERSON) == 0
    assert rows_about(app, "amzn1.ask.person.bob") > 3, "someone else's history is kept"
    assert "workout" not in (body.get("sessionAttributes") or {})
    # Next time they are new: the note again, and no workout to carry on with.
    again = Talk(app.test_client(), Session(user_id=ACCOUNT, person_id=PERSON))
    said = speech(again.launch())
    assert "not medical advice" in said and "Welcome back" not in said


def test_no_keeps_everything_and_goes_back_to_the_workout(app):
    talk = trained(app)
    before = rows_about(app, PERSON)
    talk.intent("ForgetHistoryIntent")
    body = talk.intent("AMAZON.NoIntent")
    assert "kept everything" in speech(body)
    assert body["response"]["shouldEndSession"] is False
    assert talk.session.attributes.get("workout"), "the workout is still under way"
    assert rows_about(app, PERSON) == before


@pytest.mark.slow
def test_the_operator_command_forgets_a_person(tmp_path):
    url = f"sqlite:///{tmp_path / 'state.sqlite3'}"
    app = local_app(url)
    trained(app, None)
    assert rows_about(app, ACCOUNT) > 3
    done = subprocess.run(
        [sys.executable, "-m", "skill", "db", "--database-url", url, "forget", ACCOUNT],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "deleted" in done.stdout
    assert rows_about(app, ACCOUNT) == 0


def unreadable_rows(url: str, user_id: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(
                select(func.count()).select_from(unreadable).where(unreadable.c.user_id == user_id)
            ).scalar()
    finally:
        engine.dispose()


@pytest.fixture(params=BACKENDS)
def kept_aside(request, tmp_path):
    """A database whose old record for ACCOUNT could not be moved and was kept aside."""
    with fresh_database(request.param, tmp_path) as url:
        write_old_records(url, {ACCOUNT: "{not json", "amzn1.ask.account.other": "[]"})
        upgrade(url)
        assert unreadable_rows(url, ACCOUNT) == 1
        yield url


def test_forgetting_by_voice_removes_an_old_unreadable_record(kept_aside):
    app = local_app(kept_aside)
    talk = Talk(app.test_client(), Session(user_id=ACCOUNT))
    talk.launch()
    talk.intent("ForgetHistoryIntent")
    assert "forgotten" in speech(talk.intent("AMAZON.YesIntent"))
    assert unreadable_rows(kept_aside, ACCOUNT) == 0
    assert unreadable_rows(kept_aside, "amzn1.ask.account.other") == 1


@pytest.mark.slow
def test_the_operator_command_removes_an_old_unreadable_record(kept_aside):
    done = subprocess.run(
        [sys.executable, "-m", "skill", "db", "--database-url", kept_aside, "forget", ACCOUNT],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "1 row(s) deleted" in done.stdout
    assert unreadable_rows(kept_aside, ACCOUNT) == 0
    assert unreadable_rows(kept_aside, "amzn1.ask.account.other") == 1
