"""The persistence adapter on SQLite and PostgreSQL: round trips, lost-update safety under
concurrency, and unreadable stored state.

PostgreSQL runs when TEST_DATABASE_URL points at a server (``.ci/run`` starts one);
otherwise those cases skip and say why.
"""

from __future__ import annotations

import logging
import threading
import uuid

import pytest
from sqlalchemy import update

from skill import create_app
from skill.envelopes import Session, slot
from skill.persistence import (
    VERSION_KEY,
    SqlPersistenceAdapter,
    StaleWrite,
    make_engine,
    user_state,
)
from tests.helpers import Talk, database_url_for, speech
from tests.test_workout import start

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path):
    return database_url_for(request.param, tmp_path)


@pytest.fixture
def adapter(database_url):
    return SqlPersistenceAdapter(make_engine(database_url))


def new_user() -> str:
    return "amzn1.ask.account.test-" + uuid.uuid4().hex


def test_round_trip_and_versions(adapter):
    user = new_user()
    fresh = adapter.read(user)
    assert fresh == {VERSION_KEY: None}
    fresh["unit"] = "kg"
    adapter.write(user, fresh)
    again = adapter.read(user)
    assert again["unit"] == "kg" and again[VERSION_KEY] == 1
    again["unit"] = "lb"
    adapter.write(user, again)
    assert adapter.read(user)[VERSION_KEY] == 2


def test_a_stale_write_is_refused(adapter):
    user = new_user()
    adapter.write(user, {VERSION_KEY: None, "n": 0})
    first, second = adapter.read(user), adapter.read(user)
    first["n"] = 1
    adapter.write(user, first)
    second["n"] = 2
    with pytest.raises(StaleWrite):
        adapter.write(user, second)
    assert adapter.read(user)["n"] == 1


def test_two_first_writes_do_not_both_win(adapter):
    user = new_user()
    a, b = adapter.read(user), adapter.read(user)
    adapter.write(user, {**a, "who": "a"})
    with pytest.raises(StaleWrite):
        adapter.write(user, {**b, "who": "b"})


def test_concurrent_updates_lose_nothing(database_url):
    """Eight writers (four engines, like four server workers) append to one user's log."""
    user = new_user()
    adapters = [SqlPersistenceAdapter(make_engine(database_url)) for _ in range(4)]
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        store = adapters[n % len(adapters)]
        try:
            for i in range(10):
                store.update(
                    user,
                    lambda attrs, i=i: attrs.setdefault("log", []).append(f"{n}-{i}"),
                    attempts=200,
                )
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    final = adapters[0].read(user)
    assert sorted(final["log"]) == sorted(f"{n}-{i}" for n in range(8) for i in range(10))
    assert final[VERSION_KEY] == 80


def test_two_devices_logging_sets_at_once_through_the_webhook(database_url):
    app = create_app({"ALEXA_VERIFY_SIGNATURES": False, "DATABASE_URL": database_url})
    user = new_user()
    devices = [Talk(app.test_client(), Session(user_id=user)) for _ in range(2)]
    for talk in devices:
        talk.launch()
    start(devices[0], "STANDARD")
    devices[1].launch()
    barrier = threading.Barrier(2)
    replies: list[dict] = []

    def log_sets(talk: Talk, weight: int) -> None:
        barrier.wait()
        for _ in range(3):
            replies.append(talk.intent("LogSetIntent", {"Reps": "10", "Weight": str(weight)}))
            talk.intent("AMAZON.YesIntent")

    threads = [
        threading.Thread(target=log_sets, args=(d, w))
        for d, w in zip(devices, (20, 30), strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    acknowledged = [
        r for r in replies if "reps with" in speech(r) and "couldn't save" not in speech(r)
    ]
    stored = app.extensions["bone_builder"].persistence.read(user)
    sets = [s for w in stored.get("history", []) for s in w["sets"]] + stored["workout"]["sets"]
    assert len(acknowledged) == 6
    # Every acknowledged set is stored, once, from both devices.
    assert sorted((s["set"], s["weight"]) for s in sets) == [
        (1, 20),
        (1, 30),
        (2, 20),
        (2, 30),
        (3, 20),
        (3, 30),
    ]


@pytest.mark.parametrize("stored_data", ["{not json", "[1, 2]", '"text"'])
def test_corrupt_state_starts_afresh(database_url, stored_data, caplog):
    app = create_app({"ALEXA_VERIFY_SIGNATURES": False, "DATABASE_URL": database_url})
    adapter = app.extensions["bone_builder"].persistence
    user = new_user()
    adapter.write(user, {VERSION_KEY: None, "welcomed": True})
    with adapter.engine.begin() as conn:
        conn.execute(
            update(user_state).where(user_state.c.user_id == user).values(data=stored_data)
        )
    caplog.set_level(logging.WARNING)
    talk = Talk(app.test_client(), Session(user_id=user))
    body = talk.launch()
    assert "not medical advice" in speech(body)
    assert any("unreadable" in r.getMessage() for r in caplog.records)
    assert adapter.read(user)["welcomed"] is True


def test_unknown_schema_version_starts_afresh(database_url, caplog):
    app = create_app({"ALEXA_VERIFY_SIGNATURES": False, "DATABASE_URL": database_url})
    adapter = app.extensions["bone_builder"].persistence
    user = new_user()
    adapter.write(user, {VERSION_KEY: None, "workout": {"program": "beginner"}})
    with adapter.engine.begin() as conn:
        conn.execute(update(user_state).where(user_state.c.user_id == user).values(schema=99))
    talk = Talk(app.test_client(), Session(user_id=user))
    body = talk.intent(
        "StartWorkoutIntent", {"Program": slot("Program", "beginner", "BEGINNER", "PROGRAM")}
    )
    assert "beginner workout" in speech(body)
    assert any("unknown schema version 99" in r.getMessage() for r in caplog.records)


def test_whole_workout_on_each_backend(database_url):
    from tests.test_workout import finish_workout

    app = create_app({"ALEXA_VERIFY_SIGNATURES": False, "DATABASE_URL": database_url})
    content = app.extensions["bone_builder"].skill.content
    user = new_user()
    talk = Talk(app.test_client(), Session(user_id=user))
    talk.launch()
    finish_workout(talk, content.programs["beginner"])
    history = app.extensions["bone_builder"].persistence.read(user)["history"]
    assert len(history[-1]["sets"]) == content.programs["beginner"].total_sets
