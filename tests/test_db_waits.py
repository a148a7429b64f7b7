"""Every database wait is bounded, on PostgreSQL too: a held row lock, a locked table and a
silently frozen network path all get a spoken answer well inside Alexa's 8 seconds, and
``/readyz`` tells a load balancer when the database can't be reached.

Requests go over real HTTP to a threaded server; the client gives up after a few seconds,
so an answer at all means the wait was cut short (the locks are held far longer).
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import urllib.error
import urllib.request

import pytest
from werkzeug.serving import make_server

from skill.web.envelopes import Session, slot
from tests.helpers import database_url_for, local_app, make_app, stored_sets
from tests.test_faults import postgres_behind_proxy

CLIENT_GIVES_UP = 6
BUSY_MS = 500


@contextlib.contextmanager
def served(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


def call(base: str, path: str, envelope: dict | None = None) -> tuple[int, dict]:
    data = json.dumps(envelope).encode() if envelope is not None else None
    request = urllib.request.Request(
        base + path, data=data, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=CLIENT_GIVES_UP) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


class Person:
    def __init__(self, base: str, user_id: str | None = None):
        self.base = base
        self.session = Session(user_id=user_id)

    def send(self, envelope: dict) -> dict:
        status, body = call(self.base, "/alexa", envelope)
        assert status == 200, body
        self.session.receive(body)
        return body

    def speech(self, envelope: dict) -> str:
        return self.send(envelope)["response"]["outputSpeech"]["ssml"]

    def start(self) -> None:
        self.send(self.session.launch())
        self.send(
            self.session.intent(
                "StartWorkoutIntent",
                {"Program": slot("Program", "standard", "STANDARD", "PROGRAM")},
            )
        )
        self.send(self.session.intent("AMAZON.YesIntent"))  # ready
        self.send(self.session.intent("AMAZON.YesIntent"))  # count for me

    def log(self, reps: int) -> str:
        return self.speech(self.session.intent("LogSetIntent", {"Reps": str(reps), "Weight": "20"}))


def pg_app(url: str):
    return local_app(url, DATABASE_BUSY_TIMEOUT_MS=BUSY_MS)


def pg_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.skip("needs TEST_DATABASE_URL (set by .ci/run, which starts PostgreSQL)")
    return url


@contextlib.contextmanager
def held(url: str, sql: str, params: dict | None = None):
    """Another PostgreSQL session runs ``sql`` in a transaction and keeps it open."""
    import psycopg

    with psycopg.connect(url.replace("postgresql://", "postgresql://", 1)) as other:
        other.execute(sql, params or {})
        try:
            yield
        finally:
            other.rollback()


def test_row_lock_held_elsewhere_gets_a_prompt_answer():
    url = pg_url()
    app = pg_app(url)
    with served(app) as base:
        person = Person(base)
        person.start()
        sql = "SELECT 1 FROM people WHERE person_id = %(u)s FOR UPDATE"
        with held(url, sql, {"u": person.session.user_id}):
            said = person.log(10)
        assert "ten reps" in said and "couldn't save that set" in said


def test_locked_table_gets_a_prompt_welcome():
    url = pg_url()
    app = pg_app(url)
    with served(app) as base, held(url, "LOCK TABLE people IN ACCESS EXCLUSIVE MODE"):
        person = Person(base)
        assert "Welcome to Bone Builder" in person.speech(person.session.launch())


def test_frozen_network_path_gets_a_prompt_answer_and_readyz_says_so():
    pg_url()
    proxy, proxied = postgres_behind_proxy()
    app = pg_app(proxied)
    with served(app) as base:
        person = Person(base)
        person.start()
        assert call(base, "/readyz") == (200, {"status": "ready"})
        proxy.freeze()
        try:
            said = person.log(10)
            assert "ten reps" in said and "couldn't save that set" in said
            status, body = call(base, "/readyz")
            assert status == 503 and "database" in body["status"]
            assert call(base, "/healthz") == (200, {"status": "ok"})
            fresh = Person(base)
            assert "Welcome to Bone Builder" in fresh.speech(fresh.session.launch())
        finally:
            proxy.thaw()
        person.send(person.session.intent("AMAZON.YesIntent"))  # ready for set two
        said = person.log(11)
        assert "couldn't save" not in said
        assert call(base, "/readyz") == (200, {"status": "ready"})
    assert [s["reps"] for s in stored_sets(app, person.session.user_id)] == [10, 11]


def test_readyz_on_a_database_that_is_gone():
    pg_url()
    proxy, proxied = postgres_behind_proxy()
    app = pg_app(proxied)
    with served(app) as base:
        proxy.cut()
        status, body = call(base, "/readyz")
        assert status == 503 and "database" in body["status"]
        proxy.restore()
        assert call(base, "/readyz") == (200, {"status": "ready"})


def test_readyz_on_sqlite(client):
    reply = client.get("/readyz")
    assert reply.status_code == 200
    assert reply.get_json() == {"status": "ready"}


@contextlib.contextmanager
def lock_waits_counted():
    """Counts the statements the database cut short after waiting for a lock
    (``lock_timeout`` or ``statement_timeout`` on PostgreSQL, whichever came first; the busy
    timeout on SQLite), on every engine."""
    import sqlite3

    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    waits: list[str] = []

    def _error(context) -> None:
        error = context.original_exception
        if type(error).__name__ in ("LockNotAvailable", "QueryCanceled") or (
            isinstance(error, sqlite3.OperationalError) and "locked" in str(error)
        ):
            waits.append(type(error).__name__)

    event.listen(Engine, "handle_error", _error)
    try:
        yield waits
    finally:
        event.remove(Engine, "handle_error", _error)


SKILL_ID = "amzn1.ask.skill.11111111-2222-3333-4444-555555555555"


def lambda_and_webhook(url: str) -> dict:
    """The same request answered by the Lambda handler and by the web app, by name."""
    from skill.deploy.aws_lambda import create_handler

    settings = {
        "ALEXA_SKILL_ID": SKILL_ID,
        "DATABASE_URL": url,
        "DATABASE_BUSY_TIMEOUT_MS": BUSY_MS,
    }
    handler = create_handler(settings)
    client = make_app({**settings, "ALEXA_VERIFY_SIGNATURES": False}).test_client()
    return {
        "lambda": lambda envelope: handler(envelope, None),
        "webhook": lambda envelope: client.post("/alexa", json=envelope).get_json(),
    }


def workout_started(respond) -> Session:
    session = Session(skill_id=SKILL_ID)
    session.receive(respond(session.launch()))
    program = {"Program": slot("Program", "standard", "STANDARD", "PROGRAM", SKILL_ID)}
    session.receive(respond(session.intent("StartWorkoutIntent", program)))
    session.receive(respond(session.intent("AMAZON.YesIntent")))  # ready
    session.receive(respond(session.intent("AMAZON.YesIntent")))  # count for me
    return session


@pytest.mark.parametrize("entry", ["lambda", "webhook"])
def test_one_budget_per_request_under_a_postgresql_table_lock(entry, tmp_path):
    """The first wait spends the request's budget; everything after it gives up at once,
    so a request costs one DATABASE_BUSY_TIMEOUT_MS, not one per query."""
    url = database_url_for("postgresql", tmp_path)
    respond = lambda_and_webhook(url)[entry]
    session = workout_started(respond)
    with held(url, "LOCK TABLE people IN ACCESS EXCLUSIVE MODE"), lock_waits_counted() as waits:
        logged = respond(session.intent("LogSetIntent", {"Reps": "10", "Weight": "20"}))
    said = logged["response"]["outputSpeech"]["ssml"]
    assert "ten reps" in said and "couldn't save that set" in said
    assert len(waits) == 1, waits


@pytest.mark.parametrize("entry", ["lambda", "webhook"])
def test_one_budget_per_request_on_a_locked_sqlite_file(entry, tmp_path):
    import sqlite3

    url = database_url_for("sqlite", tmp_path)
    respond = lambda_and_webhook(url)[entry]
    session = workout_started(respond)
    blocker = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with lock_waits_counted() as waits:
            logged = respond(session.intent("LogSetIntent", {"Reps": "10", "Weight": "20"}))
    finally:
        blocker.execute("COMMIT")
    assert "couldn't save that set" in logged["response"]["outputSpeech"]["ssml"]
    assert len(waits) == 1, waits


@pytest.mark.parametrize("mode", ["ACCESS EXCLUSIVE", "SHARE"])
def test_readyz_says_503_while_a_table_is_locked_against_writes(mode):
    """A lock that holds up every write (a migration, VACUUM FULL, CREATE INDEX) makes the
    server unready; one person's row lock does not."""
    url = pg_url()
    app = pg_app(url)
    with served(app) as base:
        with held(url, f"LOCK TABLE sets IN {mode} MODE"):
            status, body = call(base, "/readyz")
            assert status == 503 and body["status"] == "database unavailable"
        assert call(base, "/readyz") == (200, {"status": "ready"})
        person = Person(base)
        person.start()
        sql = "SELECT 1 FROM people WHERE person_id = %(u)s FOR UPDATE"
        with held(url, sql, {"u": person.session.user_id}):
            assert call(base, "/readyz") == (200, {"status": "ready"})


def test_readyz_says_503_while_sqlite_is_locked_against_writes(tmp_path):
    import sqlite3

    app = local_app(f"sqlite:///{tmp_path / 'state.sqlite3'}", DATABASE_BUSY_TIMEOUT_MS=BUSY_MS)
    blocker = sqlite3.connect(tmp_path / "state.sqlite3", isolation_level=None)
    with served(app) as base:
        blocker.execute("BEGIN EXCLUSIVE")
        try:
            status, body = call(base, "/readyz")
        finally:
            blocker.execute("COMMIT")
        assert status == 503 and body["status"] == "database unavailable"
        assert call(base, "/readyz") == (200, {"status": "ready"})
