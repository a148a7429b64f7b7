"""The first migration moves JSON records (``user_state``, schema 1 and 2) into the training
log's tables with nothing lost, on SQLite and on PostgreSQL (in a schema of its own)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid

import pytest
from sqlalchemy import event, inspect, text

from intents.workout.flow import Mode, Place, Stage
from skill.config import PROJECT_ROOT
from skill.store.migrations import known_revisions, upgrade
from skill.store.persistence import SqlPersistenceAdapter, make_engine
from skill.web.envelopes import Session
from tests.helpers import Talk, local_app, speech
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
            **Place("now1", "beginner", 1, 1, Stage.READY, STARTED, Mode.COUNTED).to_dict(),
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
    app = local_app(url)
    talk = Talk(app.test_client(), Session(user_id="amzn1.ask.account.full"))
    body = talk.launch()
    # The moved hold is still there: training waits until they say they are checked.
    assert "chest pain" in speech(body)


@pytest.mark.slow
def test_the_upgrade_command_makes_the_tables(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    done = subprocess.run(
        [sys.executable, "-m", "skill", "db", "--database-url", url, "upgrade"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert f"revision {known_revisions()[-1]}" in done.stdout
    engine = make_engine(url)
    assert {"people", "workouts", "sets", "goals", "training_weeks", "reminders", "charts"} <= set(
        inspect(engine).get_table_names()
    )
    engine.dispose()


def nested(levels: int) -> str:
    """A record whose history is ``levels`` lists deep, as JSON text."""
    return '{"welcomed": true, "history": ' + "[" * levels + "]" * levels + "}"


BAD_RECORDS = {
    "amzn1.ask.account.deep": nested(5000),
    "amzn1.ask.account.deepish": nested(100),
    "amzn1.ask.account.list": "[1, 2, 3]",
    "amzn1.ask.account.text": '"just text"',
}
#: Readable, with values no database column can hold; moved without those values.
ODD_RECORDS = {
    "amzn1.ask.account.nul": {
        "set_mode": "self\u0000",
        "history": [
            {
                "id": "w1",
                "program": "standard\u0000",
                "started": "2025-01-01T08:00:00+00:00",
                "finished": "2025-01-01T08:30:00+00:00",
                "sets": [{**a_set("goblet_squat", 1, 10, 20, "kg"), "session": "s\u0000"}],
            }
        ],
    },
    "amzn1.ask.account.surrogate": {
        "history": [{"id": "w\ud800", "started": "\udfff", "sets": [a_set("row", 1, 8, 10, "kg")]}],
    },
}


def write_records(engine, records: dict, schema: int = 2) -> None:
    from tests import old_records

    old_records.old_metadata.create_all(engine)
    with engine.begin() as conn:
        for user_id, record in records.items():
            data = record if isinstance(record, str) else old_records.json.dumps(record)
            conn.execute(
                old_records.user_state.insert().values(
                    user_id=user_id, version=1, schema=schema, data=data
                )
            )


def kept_aside(engine) -> dict[str, str]:
    with engine.connect() as conn:
        rows = conn.execute(text("select user_id, reason from user_state_unreadable")).all()
    return dict(rows)


def test_bad_records_are_kept_aside_and_the_rest_move(old_database):
    url, engine = old_database
    write_records(engine, {**RECORDS, **BAD_RECORDS, **ODD_RECORDS})
    upgrade(url, engine=engine)
    adapter = SqlPersistenceAdapter(engine)
    assert (
        adapter.export("amzn1.ask.account.full")["history"]
        == RECORDS["amzn1.ask.account.full"]["history"]
    )
    assert kept_aside(engine) == {
        "amzn1.ask.account.broken": "not JSON",
        "amzn1.ask.account.deep": "nested deeper than 64",
        "amzn1.ask.account.deepish": "nested deeper than 64",
        "amzn1.ask.account.list": "not a JSON object",
        "amzn1.ask.account.text": "not a JSON object",
    }
    with engine.connect() as conn:
        kept = conn.execute(
            text("select data from user_state_unreadable where user_id = 'amzn1.ask.account.deep'")
        ).scalar()
    assert kept == BAD_RECORDS["amzn1.ask.account.deep"], "kept exactly as it was"
    nul = adapter.export("amzn1.ask.account.nul")
    assert nul.get("set_mode") is None
    [workout] = nul["history"]
    assert workout["program"] is None and workout["sets"][0]["session"] is None
    assert workout["sets"][0]["reps"] == 10
    [workout] = adapter.export("amzn1.ask.account.surrogate")["history"]
    assert workout["started"] is None and workout["sets"][0]["exercise"] == "row"


@pytest.mark.slow
def test_the_upgrade_command_survives_any_old_record(tmp_path):
    """Workouts whose ids collide however they are cut, a record too deep to parse, and
    one of an unknown schema: the command finishes and says what it kept aside."""
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    long_id = "x" * 64
    collide = {
        "history": [
            {"id": long_id, "sets": []},
            {"id": long_id[:62] + "-1", "sets": []},
            {"id": long_id, "sets": []},
            {"id": long_id, "sets": []},
        ]
    }
    write_old_records(url, {"amzn1.ask.account.collide": collide}, schema=2)
    write_old_records(url, {"amzn1.ask.account.deep": nested(100_000)}, schema=2)
    write_old_records(url, {"amzn1.ask.account.future": {"welcomed": True}}, schema=7)
    done = subprocess.run(
        [sys.executable, "-m", "skill", "db", "--database-url", url, "upgrade"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "moved 1 record(s)" in done.stderr and "2 unreadable kept aside" in done.stderr
    assert "amzn1" not in done.stderr, "the log names no one"
    engine = make_engine(url)
    refs = [
        w["id"]
        for w in SqlPersistenceAdapter(engine).export("amzn1.ask.account.collide")["history"]
    ]
    assert len(set(refs)) == 4 and all(len(ref) <= 64 for ref in refs)
    assert kept_aside(engine) == {
        "amzn1.ask.account.deep": "nested deeper than 64",
        "amzn1.ask.account.future": "schema 7 is not 1 or 2",
    }
    engine.dispose()


def test_a_table_kept_aside_before_reasons_gets_them(tmp_path):
    """A database that revision 0001 migrated before it kept reasons (its table has none)."""
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    upgrade(url, "0001")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "create table user_state_unreadable (user_id varchar(255) primary key, schema integer, data text)"
            )
        )
        conn.execute(
            text("insert into user_state_unreadable values ('amzn1.ask.account.x', 1, '{')")
        )
    upgrade(url)
    with engine.connect() as conn:
        rows = conn.execute(text("select user_id, data, reason from user_state_unreadable")).all()
    assert [tuple(r) for r in rows] == [("amzn1.ask.account.x", "{", None)]
    engine.dispose()


def test_the_migrated_tables_are_the_ones_the_code_reads(old_database):
    """Frozen copies and later revisions add up to ``skill.store.tables``, on either database."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from skill.store.tables import metadata

    url, engine = old_database
    upgrade(url, engine=engine)
    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    assert differences == []


def test_revision_files_are_named_for_their_revisions_in_order():
    from alembic.script import ScriptDirectory

    from skill.store.migrations import alembic_config

    scripts = ScriptDirectory.from_config(alembic_config(None))
    order = [script.revision for script in reversed(list(scripts.walk_revisions()))]
    assert tuple(order) == known_revisions()
    assert scripts.get_heads() == [known_revisions()[-1]]
    for script in scripts.walk_revisions():
        assert script.path.rsplit("/", 1)[-1].startswith(script.revision + "_")


def test_migrations_import_no_live_code():
    """A revision must do the same whenever it runs: it imports only libraries and its own
    frozen copies (``skill.store.migrations.frozen_*``), never ``intents`` or the rest of ``skill``."""
    import ast

    from skill.store.migrations import HERE

    revisions = sorted((HERE / "versions").glob("*.py"))
    for path in [*revisions, *sorted(HERE.glob("frozen_*.py")), HERE / "env.py"]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [("." * node.level) + (node.module or "")]
            else:
                continue
            for name in names:
                ours = name.startswith((".", "skill", "intents"))
                assert not ours or name.startswith("skill.store.migrations.frozen_"), (path.name, name)
