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

from skill.envelopes import Session, slot
from tests.helpers import make_app
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
    return make_app(
        {"ALEXA_VERIFY_SIGNATURES": False, "DATABASE_URL": url, "DATABASE_BUSY_TIMEOUT_MS": BUSY_MS}
    )


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
        said = person.log(11)
        assert "couldn't save" not in said
        assert call(base, "/readyz") == (200, {"status": "ready"})
    attrs = app.extensions["bone_builder"].persistence.read(person.session.user_id)
    assert [s["reps"] for s in attrs["workout"]["sets"]] == [10, 11]


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
