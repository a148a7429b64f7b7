"""A server on a database that was never migrated, or is behind this version's migrations,
says so in one log line at start-up, refuses requests naming the cause (never answering a
set with "I couldn't save that"), and ``/readyz`` says 503 with the cause; after
``python -m skill db upgrade`` the same server serves. On SQLite and PostgreSQL, over real
HTTP; the Lambda handler likewise."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest
from sqlalchemy import text

from skill import create_app
from skill.config import PROJECT_ROOT
from skill.deploy.aws_lambda import create_handler
from skill.store.migrations import known_revisions, upgrade
from skill.store.persistence import make_engine
from skill.store.schema_guard import SchemaNotReady
from skill.web.envelopes import Session, slot
from tests.fresh_databases import BACKENDS, fresh_database
from tests.test_db_waits import call, served

NEEDED = known_revisions()[-1]
SKILL_ID = "amzn1.ask.skill.11111111-2222-3333-4444-555555555555"


@pytest.fixture(params=BACKENDS)
def empty_url(request, tmp_path):
    with fresh_database(request.param, tmp_path) as url:
        yield url


def app_on(url: str, **extra):
    return create_app(
        {"ALEXA_VERIFY_SIGNATURES": False, "ALEXA_SKILL_ID": None, "DATABASE_URL": url, **extra}
    )


def guard_lines(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "skill.store.schema_guard"]


def a_set(base: str) -> tuple[int, dict]:
    session = Session()
    session.open = True
    program = {"Program": slot("Program", "standard", "STANDARD", "PROGRAM")}
    call(base, "/alexa", session.intent("StartWorkoutIntent", program))
    return call(base, "/alexa", session.intent("LogSetIntent", {"Reps": "10", "Weight": "20"}))


def db_upgrade(url: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "skill", "db", "--database-url", url, "upgrade"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.slow
def test_a_never_migrated_database_is_refused_until_upgraded(empty_url, caplog):
    caplog.set_level(logging.INFO)
    app = app_on(empty_url, SCHEMA_RECHECK_SECONDS=0)
    [line] = guard_lines(caplog)
    assert line.levelno == logging.ERROR
    assert "never migrated" in line.getMessage() and "db upgrade" in line.getMessage()
    assert "\n" not in line.getMessage()
    with served(app) as base:
        status, body = call(base, "/alexa", Session().launch())
        assert status == 503 and "never migrated" in body["error"]
        assert "python -m skill db upgrade" in body["error"]
        status, body = a_set(base)
        assert status == 503 and "couldn't save" not in str(body)
        status, body = call(base, "/readyz")
        assert status == 503
        assert body["status"] == "database not migrated" and "db upgrade" in body["reason"]
        assert call(base, "/healthz") == (200, {"status": "ok"})
        assert len(guard_lines(caplog)) == 1, "one line, not one per request"

        db_upgrade(empty_url)
        status, body = call(base, "/alexa", Session().launch())
        assert status == 200 and "Welcome" in body["response"]["outputSpeech"]["ssml"]
        assert call(base, "/readyz") == (200, {"status": "ready"})
        status, body = a_set(base)
        assert status == 200 and "couldn't save" not in body["response"]["outputSpeech"]["ssml"]
    assert "serving requests" in guard_lines(caplog)[-1].getMessage()


def test_a_database_behind_the_code_is_refused(empty_url, caplog):
    upgrade(empty_url, known_revisions()[-2])
    app = app_on(empty_url)
    [line] = guard_lines(caplog)
    said = line.getMessage()
    assert f"revision {known_revisions()[-2]}" in said and NEEDED in said and "db upgrade" in said
    with served(app) as base:
        status, body = a_set(base)
        assert status == 503 and "behind" in body["error"]
        status, body = call(base, "/readyz")
        assert status == 503 and body["status"] == "database behind the code"


def test_a_database_ahead_of_the_code_is_served_with_a_warning(empty_url, caplog):
    upgrade(empty_url)
    engine = make_engine(empty_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    app = app_on(empty_url)
    [line] = guard_lines(caplog)
    assert line.levelno == logging.WARNING and "9999" in line.getMessage()
    with served(app) as base:
        status, body = a_set(base)
        assert status == 200 and "couldn't save" not in body["response"]["outputSpeech"]["ssml"]
        assert call(base, "/readyz") == (200, {"status": "ready"})


def test_the_lambda_handler_refuses_a_never_migrated_database(empty_url, caplog):
    handler = create_handler({"ALEXA_SKILL_ID": SKILL_ID, "DATABASE_URL": empty_url})
    [line] = guard_lines(caplog)
    assert "never migrated" in line.getMessage()
    with pytest.raises(SchemaNotReady, match="db upgrade"):
        handler(Session(skill_id=SKILL_ID).launch(), None)
    upgrade(empty_url)
    ready = create_handler({"ALEXA_SKILL_ID": SKILL_ID, "DATABASE_URL": empty_url})
    assert (
        "Welcome"
        in ready(Session(skill_id=SKILL_ID).launch(), None)["response"]["outputSpeech"]["ssml"]
    )
