"""History stage: the cost of a workout turn for people with 0, 50, 200 and 1,000 finished
workouts, side by side in one run (interleaved, so drift hits every size alike).

Two turns, each replayed with a fresh request id:
- ``log_set``: "ten reps with twenty kilograms" mid-workout (appends a set, moves the place,
  reads the person's row and workout in progress). The sets a round added are deleted after
  it, untimed, so the workout in progress stays the size of one real workout.
- ``start``: "start the standard workout" (files the last one, begins a new one, reads the
  last program and the first exercise's history for today's weight).
- ``finish``: the last set of a workout, replayed: the workout is filed by the first
  request; each replay files it again as a retry would (a no-op) and reads the praise's
  facts: finished workouts counted up to eleven, and the bests of today's exercises.
"""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path
from statistics import median

from sqlalchemy import delete, insert

from skill.store.tables import people, sets, workouts
from skill.web.envelopes import Session, slot

from .mix import skill_app
from .wsgi_call import post

SIZES = (0, 50, 200, 1000)
KINDS = ("log_set", "start", "finish")


def _seed(engine, person_id: str, count: int, exercises: list[str]) -> None:
    """``count`` finished standard workouts, three sets of each exercise, a day apart."""
    with engine.begin() as conn:
        conn.execute(
            insert(people).values(person_id=person_id, welcomed=True, set_mode="counted", unit="kg")
        )
        for n in range(count):
            day = 1_700_000_000 + 86_400 * (n - count)
            started = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(day))
            workout_id = conn.execute(
                insert(workouts).values(
                    person_id=person_id,
                    ref=f"seed{n}",
                    program="standard",
                    started=started,
                    finished=started,
                )
            ).inserted_primary_key[0]
            rows = [
                {
                    "workout_id": workout_id,
                    "person_id": person_id,
                    "exercise": exercise,
                    "set_no": k,
                    "reps": 10,
                    "weight": 20 + n % 7,
                    "unit": "kg",
                    "at": started,
                    "session": f"s{n}",
                }
                for exercise in exercises
                for k in (1, 2, 3)
            ]
            conn.execute(insert(sets), rows)


def _send(app, session: Session, envelope: dict) -> dict:
    status, reply = post(app, json.dumps(envelope).encode())
    answer = json.loads(reply)
    speech = answer.get("response", {}).get("outputSpeech", {}).get("ssml", "")
    if status != 200 or "went wrong" in speech:
        raise RuntimeError(f"the skill did not answer: {reply[:300]!r}")
    session.receive(answer)
    return answer


def _requests(app, size: int) -> dict[str, dict]:
    """The envelope of each kind of turn for the person with ``size`` workouts."""
    program = slot("Program", "standard", "STANDARD", "PROGRAM")
    lifter = Session(user_id=f"amzn1.ask.account.bench-log-{size}")
    _send(app, lifter, lifter.launch())
    _send(app, lifter, lifter.intent("StartWorkoutIntent", {"Program": program}))
    for _ in range(3):
        if (lifter.attributes.get("workout") or {}).get("stage") == "set":
            break
        _send(app, lifter, lifter.intent("AMAZON.YesIntent"))
    unit = slot("Unit", "kilograms", "KILOGRAMS", "UNIT")
    log_set = lifter.intent("LogSetIntent", {"Reps": "10", "Weight": "20", "Unit": unit})
    starter = Session(user_id=f"amzn1.ask.account.bench-start-{size}")
    _send(app, starter, starter.launch())
    start = starter.intent("StartWorkoutIntent", {"Program": program})
    return {"log_set": log_set, "start": start, "finish": _last_set(app, size, program, unit)}


def _last_set(app, size: int, program: dict, unit: dict) -> dict:
    """The envelope of the workout's last set, for the person with ``size`` workouts."""
    finisher = Session(user_id=f"amzn1.ask.account.bench-finish-{size}")
    _send(app, finisher, finisher.launch())
    _send(app, finisher, finisher.intent("StartWorkoutIntent", {"Program": program}))
    logged = {"Reps": "10", "Weight": "20", "Unit": unit}
    for _ in range(200):
        place = finisher.attributes.get("workout") or {}
        if place.get("stage") != "set":
            _send(app, finisher, finisher.intent("AMAZON.YesIntent"))
            continue
        envelope = finisher.intent("LogSetIntent", logged)
        answer = _send(app, finisher, envelope)
        if answer["response"].get("shouldEndSession"):
            return envelope
    raise RuntimeError("the workout did not finish")


def run(workdir: Path, rounds: int, per_round: int) -> dict:
    app = skill_app(workdir)
    runtime = app.extensions["bone_builder"]
    engine = runtime.persistence.engine
    program = runtime.skill.content.programs["standard"]
    exercises = [e.id for e in program.exercises]
    for size in SIZES:
        for kind in ("log", "start", "finish"):
            _seed(engine, f"amzn1.ask.account.bench-{kind}-{size}", size, exercises)
    requests = {size: _requests(app, size) for size in SIZES}
    spent: dict = {size: {kind: [] for kind in KINDS} for size in SIZES}
    per_size = max(10, per_round // len(SIZES))
    for _ in range(rounds):
        for size in SIZES:
            for kind in KINDS:
                envelope = requests[size][kind]
                for _ in range(per_size):
                    envelope["request"]["requestId"] = f"bench.{uuid.uuid4()}"
                    body = json.dumps(envelope).encode()
                    started = time.perf_counter()
                    status, _reply = post(app, body)
                    spent[size][kind].append(time.perf_counter() - started)
                    if status != 200:
                        raise RuntimeError(f"{kind} at {size} workouts answered {status}")
            with engine.begin() as conn:
                conn.execute(delete(sets).where(sets.c.request_key.like("bench.%")))
    us = {size: {kind: round(median(spent[size][kind]) * 1e6) for kind in KINDS} for size in SIZES}
    base = us[SIZES[0]]
    return {
        "sizes": list(SIZES),
        "us_per_request": {str(size): us[size] for size in SIZES},
        "ratio_to_new": {
            str(size): {kind: round(us[size][kind] / base[kind], 2) for kind in KINDS}
            for size in SIZES
        },
        "requests_per_kind": rounds * per_size,
    }
