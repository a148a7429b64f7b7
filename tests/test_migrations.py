"""The first migration moves JSON records (``user_state``, schema 1 and 2) into the training
log's tables with nothing lost, on SQLite and on PostgreSQL (in a schema of its own)."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import event, inspect, text

from intents.workout.flow import Place
from skill.envelopes import Session
from skill.migrations import upgrade
from skill.persistence import SqlPersistenceAdapter, make_engine
from tests.helpers import Talk, make_app, speech
from tests.old_records import write_old_records

STARTED = "2026-01-05T09:00:00+00:00"


def a_set(exercise: str, n: int, reps: int, weight=None, unit=None) -> dict:
    return {
        "exercise": exercise,
        "set": n,
        "reps": reps,
        "weight": weight,
        "unit": unit,
        "at": f"2026-01-05T09:{n:02d}:00+00:00",
        "session": "amzn1.echo-api.session.1",
    }


def old_history(count: int) -> list[dict]:
    return [
        {
            "id": f"w{n:03d}",
            "program": "standard",
            "started": f"2025-{1 + n % 12:02d}-{1 + n % 27:02d}T08:00:00+00:00",
            "finished": f"2025-{1 + n % 12:02d}-{1 + n % 27:02d}T08:30:00+00:00",
            "sets": [a_set("goblet_squat", k, 10 + k, 20 + n, "kg") for k in (1, 2, 3)],
            **({"feedback": [{"exercise": "goblet_squat", "difficulty": "TOO_HARD"}]} if n else {}),
        }
        for n in range(count)
    ]


RECORDS = {
    "amzn1.ask.account.full": {
        "welcomed": True,
        "unit": "lb",
        "set_mode": "self",
        "go_ahead": {"standard": True},
        "hold": {"what": "chest pain", "at": STARTED},
        "history": old_history(12),
        "workout": {
            **Place("now1", "beginner", 1, 1, "ready", STARTED, "counted").to_dict(),
            "sets": [a_set("sit_to_stand", 1, 10), a_set("sit_to_stand", 2, 9)],
            "feedback": [],
        },
    },
    "amzn1.ask.account.new": {"welcomed": True},
    "amzn1.ask.account.broken": "{not json",
}


@pytest.fixture(params=["sqlite", "postgresql"])
def old_database(request, tmp_path):
    """(url, engine) of a database in the old format; PostgreSQL uses a fresh schema."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
        engine = make_engine(url)
        yield url, engine
        engine.dispose()
        return
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.skip("PostgreSQL tests need TEST_DATABASE_URL (set by .ci/run)")
    schema = "migration_" + uuid.uuid4().hex[:10]
    engine = make_engine(url)

    @event.listens_for(engine, "connect")
    def _search_path(dbapi_conn, _record):
        dbapi_conn.autocommit = True
        dbapi_conn.execute(f"SET search_path TO {schema}")
        dbapi_conn.autocommit = False

    with engine.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    engine.dispose()
    yield url, engine
    engine.dispose()
    with make_engine(url).begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))


def write_and_upgrade(url: str, engine, schema_version: int) -> SqlPersistenceAdapter:
    from tests import old_records

    old_records.old_metadata.create_all(engine)
    with engine.begin() as conn:
        for user_id, record in RECORDS.items():
            data = record if isinstance(record, str) else old_records.json.dumps(record)
            conn.execute(
                old_records.user_state.insert().values(
                    user_id=user_id, version=7, schema=schema_version, data=data
                )
            )
    upgrade(url, engine=engine)
    return SqlPersistenceAdapter(engine)


@pytest.mark.parametrize("schema_version", [1, 2])
def test_old_records_move_with_nothing_lost(old_database, schema_version):
    url, engine = old_database
    adapter = write_and_upgrade(url, engine, schema_version)
    full = adapter.export("amzn1.ask.account.full")
    old = RECORDS["amzn1.ask.account.full"]
    for key in ("welcomed", "unit", "set_mode", "go_ahead", "hold"):
        assert full[key] == old[key]
    assert full["history"] == old["history"]
    assert full["workout"] == old["workout"]
    assert adapter.export("amzn1.ask.account.new")["welcomed"] is True
    tables = set(inspect(engine).get_table_names())
    assert "user_state" not in tables
    with engine.connect() as conn:
        kept = conn.execute(text("select user_id, data from user_state_unreadable")).all()
    assert [tuple(r) for r in kept] == [("amzn1.ask.account.broken", "{not json")]
    with engine.connect() as conn:
        best = conn.execute(text("select exercise, top_kg from bests")).all()
    assert [tuple(r) for r in best] == [("goblet_squat", 31.0)]


def test_upgrade_twice_changes_nothing(old_database):
    url, engine = old_database
    adapter = write_and_upgrade(url, engine, 2)
    before = adapter.export("amzn1.ask.account.full")
    upgrade(url, engine=engine)
    assert adapter.export("amzn1.ask.account.full") == before


def test_a_moved_workout_carries_on_where_it_was(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    write_old_records(url, {"amzn1.ask.account.full": RECORDS["amzn1.ask.account.full"]})
    app = make_app({"ALEXA_VERIFY_SIGNATURES": False, "DATABASE_URL": url})
    talk = Talk(app.test_client(), Session(user_id="amzn1.ask.account.full"))
    body = talk.launch()
    # The moved hold is still there: training waits until they say they are checked.
    assert "chest pain" in speech(body)


def test_the_upgrade_command_makes_the_tables(tmp_path):
    import subprocess
    import sys

    from skill.config import PROJECT_ROOT

    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    done = subprocess.run(
        [sys.executable, "-m", "skill", "db", "--database-url", url, "upgrade"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "revision 0002" in done.stdout
    engine = make_engine(url)
    assert {"people", "workouts", "sets", "goals", "training_weeks", "reminders", "charts"} <= set(
        inspect(engine).get_table_names()
    )
    engine.dispose()
