"""The training log on SQLite and PostgreSQL: round trips, append-only sets that survive
concurrency and retries, and unreadable stored state.

PostgreSQL runs when TEST_DATABASE_URL points at a server (``.ci/run`` starts one);
otherwise those cases skip and say why.
"""

from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy import func, select, update

from intents.workout.flow import Place, Stage
from intents.workout.state import WorkoutStore
from skill.store.persistence import PERSON_KEY, VERSION_KEY, SqlPersistenceAdapter, make_engine
from skill.store.tables import sets, workouts
from skill.web.envelopes import Session
from tests.helpers import Talk, local_app, prepare_database, speech
from tests.test_workout import start

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture
def adapter(database_url):
    prepare_database(database_url)
    return SqlPersistenceAdapter(make_engine(database_url))


def new_user() -> str:
    return "amzn1.ask.account.test-" + uuid.uuid4().hex


def store_for(adapter) -> WorkoutStore:
    return WorkoutStore(adapter)


def place(programs, workout_id: str = "w1") -> Place:
    return Place(workout_id, "beginner", 0, 0, Stage.SET, "2026-01-05T09:00:00+00:00", None)


def a_set(n: int, request: str | None = None, **more) -> dict:
    entry = {"exercise": "sit_to_stand", "set": n, "reps": 10, "weight": None, "unit": None}
    return {**entry, "at": f"2026-01-05T09:0{n % 10}:00+00:00", "session": "s1", **more} | (
        {"request": request} if request else {}
    )


def test_round_trip_and_versions(adapter):
    user = new_user()
    store = store_for(adapter)
    assert adapter.read(user) == {VERSION_KEY: None, PERSON_KEY: user}
    store.remember(user, unit="kg")
    again = adapter.read(user)
    assert again["unit"] == "kg" and again[VERSION_KEY] == 2
    store.remember(user, unit="lb", welcomed=True)
    after = adapter.read(user)
    assert after["unit"] == "lb" and after["welcomed"] is True and after[VERSION_KEY] == 3


def test_a_retried_request_does_not_log_a_set_twice(adapter, content):
    user = new_user()
    store = store_for(adapter)
    where = place(content.programs)
    store.begin(user, where)
    for _ in range(2):
        store.record_sets(user, where, [a_set(1, request="amzn1.echo-api.request.1")])
    with adapter.engine.connect() as conn:
        rows = conn.execute(
            select(func.count()).select_from(sets).where(sets.c.person_id == user)
        ).scalar()
    assert rows == 1
    assert [s["set"] for s in adapter.read(user)["workout"]["sets"]] == [1]


def test_a_correction_is_appended_and_supersedes(adapter, content):
    user = new_user()
    store = store_for(adapter)
    where = place(content.programs)
    store.begin(user, where)
    store.record_sets(user, where, [a_set(1, request="r1")])
    found: dict = {}
    store.correct_last(user, where, {"reps": 12}, found)
    assert found["reps"] == 12
    query = select(sets.c.reps).where(sets.c.person_id == user).order_by(sets.c.id)
    with adapter.engine.connect() as conn:
        reps = conn.execute(query).scalars().all()
    assert reps == [10, 12]
    assert [s["reps"] for s in adapter.read(user)["workout"]["sets"]] == [12]


def test_concurrent_set_inserts_lose_nothing(database_url, content):
    """Eight writers (four engines, like four server workers) log sets into one workout."""
    user = new_user()
    stores = [store_for(SqlPersistenceAdapter(make_engine(database_url))) for _ in range(4)]
    where = place(content.programs)
    stores[0].begin(user, where)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        store = stores[n % len(stores)]
        try:
            for i in range(5):
                entry = a_set(1 + i, request=f"r-{n}-{i}", session=f"device-{n}")
                store.record_sets(user, where, [entry])
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    logged = stores[0].adapter.read(user)["workout"]["sets"]
    assert sorted((s["session"], s["set"]) for s in logged) == sorted(
        (f"device-{n}", 1 + i) for n in range(8) for i in range(5)
    )


def test_two_devices_logging_sets_at_once_through_the_webhook(database_url):
    app = local_app(database_url)
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
    stored = app.extensions["bone_builder"].persistence.export(user)
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
def test_an_unreadable_place_starts_afresh(database_url, stored_data):
    app = local_app(database_url)
    adapter = app.extensions["bone_builder"].persistence
    user = new_user()
    talk = Talk(app.test_client(), Session(user_id=user))
    talk.launch()
    start(talk)
    with adapter.engine.begin() as conn:
        conn.execute(update(workouts).where(workouts.c.person_id == user).values(place=stored_data))
    body = Talk(app.test_client(), Session(user_id=user)).launch()
    assert "not medical advice" not in speech(body)
    assert "workout" not in adapter.read(user)
    assert adapter.read(user)["welcomed"] is True


def test_whole_workout_on_each_backend(database_url):
    from tests.test_workout import finish_workout

    app = local_app(database_url)
    content = app.extensions["bone_builder"].skill.content
    user = new_user()
    talk = Talk(app.test_client(), Session(user_id=user))
    talk.launch()
    finish_workout(talk, content.programs["beginner"])
    history = app.extensions["bone_builder"].persistence.export(user)["history"]
    assert len(history[-1]["sets"]) == content.programs["beginner"].total_sets


def test_praise_facts_come_from_bounded_queries(adapter):
    """The count stops at eleven; tops are per exercise, in kg, from finished workouts only,
    as they were before the workout just finished."""
    user = new_user()
    store = store_for(adapter)
    for n in range(14):
        where = place(None, f"w{n}")
        store.begin(user, where)
        weight, unit = (20 + n, "lb") if n % 2 else (10 + n, "kg")
        entry = a_set(1, request=f"r{n}", weight=weight, unit=unit, exercise="goblet_squat")
        if n == 12:
            store.record_sets(user, where, [entry])  # left unfinished: not counted
        else:
            finished = store.finish(user, where, [entry])
    count, tops = store.praise_facts(adapter.read(user), finished)
    assert count == 11  # twelve others finished
    assert tops["goblet_squat"] == pytest.approx(20.0)  # w10's 20 kg beats w11's 31 lb
    retried = store.finish(user, place(None, "w13"), [])  # filed already: read afresh
    assert store.praise_facts(adapter.read(user), retried) == (11, {"goblet_squat": 20.0})
