"""Faults: a locked or vanished database, and slow or broken certificate downloads.

The skill keeps answering questions, says when progress could not be saved, never
acknowledges an unsaved set as saved, and catches up by itself once the database is back.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from skill import create_app
from skill.simulator.signing import StandInPKI
from skill.web import verify as verify_module
from skill.web.envelopes import Session, slot
from tests.faults import CuttableProxy
from tests.helpers import (
    Talk,
    assert_session_rule,
    local_app,
    make_app,
    prepare_database,
    speech,
    stored_sets,
)
from tests.test_workout import start


def start_standard(talk: Talk) -> None:
    talk.launch()
    start(talk, "STANDARD")


def log_set(talk: Talk, reps: int) -> dict:
    body = talk.intent("LogSetIntent", {"Reps": str(reps), "Weight": "20"})
    talk.intent("AMAZON.YesIntent")
    return body


def saved_reps(app, user_id: str) -> list[int]:
    return [s["reps"] for s in stored_sets(app, user_id)]


def run_through_outage(app, talk: Talk, break_db, mend_db) -> None:
    """One set saved, one during the outage, one after: all three end up stored."""
    start_standard(talk)
    assert "couldn't save" not in speech(log_set(talk, 10))
    break_db()
    try:
        during = log_set(talk, 11)
        assert "eleven reps" in speech(during)
        assert "couldn't save that set" in speech(during)
        assert_session_rule(during)
        answer = talk.intent("HowOftenIntent")
        assert "two to three days a week" in speech(answer)
    finally:
        mend_db()
    after = log_set(talk, 12)
    assert "couldn't save" not in speech(after)
    assert saved_reps(app, talk.session.user_id) == [10, 11, 12]


def sqlite_app_and_blocker(path):
    """An app on a SQLite file with short waits, and a second connection that can lock it."""
    app = local_app(f"sqlite:///{path}", DATABASE_BUSY_TIMEOUT_MS=100)
    return app, sqlite3.connect(path, timeout=0.1, isolation_level=None)


def test_sqlite_locked(tmp_path):
    app, blocker = sqlite_app_and_blocker(tmp_path / "state.sqlite3")

    def lock():
        blocker.execute("BEGIN EXCLUSIVE")

    def unlock():
        blocker.execute("COMMIT")

    run_through_outage(app, Talk(app.test_client(), Session()), lock, unlock)


def test_sqlite_locked_at_launch_still_welcomes(tmp_path):
    app, blocker = sqlite_app_and_blocker(tmp_path / "state.sqlite3")
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        talk = Talk(app.test_client(), Session())
        assert "Welcome to Bone Builder" in speech(talk.launch())
        body = talk.intent(
            "StartWorkoutIntent", {"Program": slot("Program", "beginner", "BEGINNER", "PROGRAM")}
        )
        assert "may not be saved" in speech(body)
    finally:
        blocker.execute("COMMIT")


def postgres_behind_proxy() -> tuple[CuttableProxy, str]:
    """A proxy in front of the test PostgreSQL server, and the database URL through it."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.skip("needs TEST_DATABASE_URL (set by .ci/run, which starts PostgreSQL)")
    target = urlsplit(url)
    proxy = CuttableProxy(target.hostname or "127.0.0.1", target.port or 5432)
    return proxy, url.replace(f"{target.hostname}:{target.port}", f"127.0.0.1:{proxy.port}")


def test_postgresql_goes_away_mid_run_and_comes_back():
    proxy, proxied = postgres_behind_proxy()
    app = local_app(proxied, DATABASE_BUSY_TIMEOUT_MS=500)
    run_through_outage(app, Talk(app.test_client(), Session()), proxy.cut, proxy.restore)


def test_app_starts_when_the_database_is_down_and_recovers(tmp_path):
    proxy, proxied = postgres_behind_proxy()
    prepare_database(proxied)
    proxy.cut()
    app = create_app(
        {"ALEXA_VERIFY_SIGNATURES": False, "DATABASE_URL": proxied, "DATABASE_BUSY_TIMEOUT_MS": 500}
    )
    talk = Talk(app.test_client(), Session())
    assert "Welcome to Bone Builder" in speech(talk.launch())
    assert "eight to twelve" in speech(talk.intent("HowHeavyIntent"))
    proxy.restore()
    start_standard(talk)
    log_set(talk, 9)
    assert saved_reps(app, talk.session.user_id) == [9]


class _SlowChain(BaseHTTPRequestHandler):
    """Serves a chain too slowly: nothing at all, or a byte at a time."""

    def do_GET(self):
        if self.path.endswith("silent.pem"):
            time.sleep(30)
            return
        if self.path.endswith("drip-headers.pem"):
            for byte in b"HTTP/1.0 200 OK\r\nX-Slow: " + b"z" * 150:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.2)
            return
        self.send_response(200)
        self.end_headers()
        for _ in range(300):
            self.wfile.write(b"-")
            self.wfile.flush()
            time.sleep(0.1)

    def log_message(self, *args):
        pass


@pytest.fixture
def slow_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SlowChain)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.mark.parametrize("name", ["silent", "drip", "drip-headers"])
def test_slow_certificate_download_gives_400_in_bounded_time(
    tmp_path, slow_server, monkeypatch, name
):
    monkeypatch.setattr(verify_module, "CHAIN_FETCH_TIMEOUT", 0.5)
    pki = StandInPKI()
    app = make_app(
        {
            "ALEXA_VERIFY_SIGNATURES": True,
            "ALEXA_SKILL_ID": Session().skill_id,
            "ALEXA_TRUSTED_ROOTS": [pki.root],
            "ALEXA_CERT_MIRROR": slow_server,
            "DATABASE_URL": f"sqlite:///{tmp_path / 's.db'}",
        }
    )
    from werkzeug.serving import make_server

    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        body = json.dumps(Session().launch()).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{httpd.server_port}/alexa",
            data=body,
            headers={
                "Content-Type": "application/json",
                "Signature-256": pki.sign(body),
                "SignatureCertChainUrl": f"https://s3.amazonaws.com/echo.api/{name}.pem",
            },
        )
        # The client gives up long before the chain server would finish (30 s):
        # an answer at all means the download was cut short.
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(request, timeout=10)
        assert caught.value.code == 400
        assert "could not be downloaded" in caught.value.read().decode()
    finally:
        httpd.shutdown()


def test_chain_missing_its_intermediate(tmp_path):
    pki = StandInPKI()
    leaf_only = (
        pki.chain_pem().split(b"-----END CERTIFICATE-----")[0] + b"-----END CERTIFICATE-----\n"
    )
    certificates = verify_module.SigningCertificates([pki.root], fetch=lambda url: leaf_only)
    with pytest.raises(verify_module.RequestRejected, match="trusted root"):
        certificates.public_key_for("https://s3.amazonaws.com/echo.api/x.pem")
