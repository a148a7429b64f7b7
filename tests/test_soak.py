"""Soak: simulated people finish whole workouts at once, over HTTP, against gunicorn with
several workers; afterwards every stored log equals what they said, exactly, and the
server's log holds none of their ids and none of their words."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

from bench.servers import free_port
from skill.config import PROJECT_ROOT
from skill.simulator.core import OverHttp, Simulator
from skill.simulator.nlu import LanguageModel
from skill.store.persistence import SqlPersistenceAdapter, make_engine
from skill.store.tables import people as people_table
from skill.web.envelopes import Session
from tests.helpers import prepare_database

#: Every test here starts a subprocess (bin/test --fast leaves them out).
pytestmark = pytest.mark.slow

USERS = 24
PAIRS = 6
WORKERS = 3
NUMBER_WORDS = {8: "eight", 9: "nine", 10: "ten", 11: "eleven", 12: "twelve"}
#: Said by every person before their workout: free, health-related words no log may keep.
PRIVATE_WORDS = "aqua zumba with my neighbour margaret"
TELLING_WORDS = ("zumba", "neighbour", "margaret")


@pytest.fixture
def gunicorn(database_url, tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALEXA_")}
    prepare_database(database_url)
    env.update(ALEXA_VERIFY_SIGNATURES="0", DATABASE_URL=database_url)
    executable = Path(sys.executable).with_name("gunicorn")
    log_file = (tmp_path / "server.log").open("w+")
    server = subprocess.Popen(
        [
            str(executable),
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "skill.wsgi:app",
        ],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            break
        except OSError:
            if server.poll() is not None:
                pytest.fail((tmp_path / "server.log").read_text())
            time.sleep(0.05)
    yield base + "/alexa", database_url, tmp_path / "server.log"
    server.terminate()
    server.wait(timeout=30)
    log_file.close()


def test_many_people_finish_workouts_at_once(gunicorn):
    url, database_url, server_log = gunicorn
    model = LanguageModel.from_file(PROJECT_ROOT / "interaction_model.json")
    said: dict[str, list[int]] = {}
    counts = {"requests": 0, "errors": 0}
    lock = threading.Lock()

    users = [f"amzn1.ask.account.soak-{uuid.uuid4().hex}" for _ in range(USERS)]
    # One person's stored hold is unreadable: the skill leaves it out, and says so in the
    # log without naming them.
    with make_engine(database_url).begin() as conn:
        conn.execute(people_table.insert().values(person_id=users[0], version=1, hold="{"))

    def person(n: int) -> None:
        user = users[n]
        simulator = Simulator(model, OverHttp(url, timeout=30), user_id=user)
        reps_said: list[int] = []
        turns = [
            simulator.say("open bone builder"),
            simulator.say(f"is {PRIVATE_WORDS} good for my bones"),
            simulator.say("start the beginner workout"),
        ]
        while turns[-1] is not None and turns[-1].session_open and len(turns) < 80:
            stage = (turns[-1].attributes.get("workout") or {}).get("stage")
            if stage == "set":
                reps = 8 + (n + len(reps_said)) % 5
                reps_said.append(reps)
                turns.append(simulator.say(f"i did {NUMBER_WORDS[reps]} reps"))
            else:
                turns.append(simulator.say("yes"))
        with lock:
            said[user] = reps_said
            counts["requests"] += len(turns)
            counts["errors"] += sum(1 for t in turns if t is None or t.status != 200)

    def two_devices(n: int) -> None:
        """One person on two Echos at once: their first visits race to be saved."""
        user = f"amzn1.ask.account.soak-pair-{uuid.uuid4().hex}"
        said[user] = []
        devices = [
            Simulator(
                model,
                OverHttp(url, timeout=30),
                session=Session(user_id=user, device_id=f"amzn1.ask.device.soak-{n}-{d}"),
            )
            for d in range(2)
        ]
        both = [threading.Thread(target=d.say, args=("open bone builder",)) for d in devices]
        for t in both:
            t.start()
        for t in both:
            t.join(timeout=60)

    started = time.monotonic()
    threads = [threading.Thread(target=person, args=(n,)) for n in range(USERS)]
    threads += [threading.Thread(target=two_devices, args=(n,)) for n in range(PAIRS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    duration = time.monotonic() - started

    adapter = SqlPersistenceAdapter(make_engine(database_url))
    people = {user: reps for user, reps in said.items() if "soak-pair" not in user}
    for user, reps in people.items():
        history = adapter.export(user)["history"]
        assert len(history) == 1 and history[0]["finished"]
        assert [s["reps"] for s in history[0]["sets"]] == reps
    report = {
        "backend": database_url.split(":")[0],
        "users": USERS,
        "workers": WORKERS,
        "requests": counts["requests"],
        "errors": counts["errors"],
        "seconds": round(duration, 2),
    }
    artifacts = PROJECT_ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / f"soak-{report['backend']}.json").write_text(json.dumps(report, indent=2))
    print(f"\nsoak: {report}")
    assert len(people) == USERS
    assert counts["errors"] == 0
    assert all(len(r) == 12 for r in people.values())
    logged = server_log.read_text()
    assert not [u for u in said if u in logged], "a user id is in the server log"
    assert "unreadable" in logged
    assert not [w for w in TELLING_WORDS if w in logged], logged
    assert "parameters:" not in logged
