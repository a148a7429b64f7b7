"""The training log in tables: people, workouts, sets; JSON records moved over.

Before this, each user's whole state was one JSON document in ``user_state`` (schema 1:
as written; schema 2: every set checked). Each readable record becomes a person row, a
workout row per workout (the one in progress keeps its place), and a set row per set.
Sets that don't fit the stored-set schema are left behind, as reading a schema-1 record
did. A record that can't be read (not JSON, not an object, nested deeper than
``MAX_DEPTH``, or failing in any other way) is kept as it was in ``user_state_unreadable``,
with the reason: one bad record never stops the migration for everyone else.

Each record is worked out in full before anything of it is written, and every value written
fits its column, so a record is moved whole or kept aside whole. Records are read in
batches, so a large table doesn't have to fit in memory.

Everything this needs is in ``skill.store.migrations.frozen_0001``, never in live code.

Revision ID: 0001
Revises:
"""

# No ``from __future__ import annotations``: Alembic loads this file without registering it
# as a module, and dataclasses need real annotations then.
import json
import logging
from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa
from alembic import op

from skill.store.migrations.frozen_0001 import (
    MAX_DEPTH,
    bests,
    clean_set,
    clean_text,
    depth,
    metadata,
    people,
    sets,
    unreadable,
    weighted_tops,
    workouts,
)

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

#: What a stored workout holds besides its place.
NOT_PLACE = ("sets", "feedback", "finished")
#: Records read at a time.
BATCH = 500

OLD = sa.table(
    "user_state",
    sa.column("user_id", sa.String),
    sa.column("version", sa.Integer),
    sa.column("schema", sa.Integer),
    sa.column("data", sa.Text),
)


class Unreadable(ValueError):
    """An old record that can't be moved; the message says why, never what it holds."""


@dataclass
class MovedWorkout:
    values: dict
    sets: list[dict]
    current: bool


@dataclass
class MovedRecord:
    profile: dict
    workouts: list[MovedWorkout] = field(default_factory=list)
    bests: dict[str, float] = field(default_factory=dict)


def upgrade() -> None:
    bind = op.get_bind()
    metadata.create_all(bind, tables=[people, workouts, sets, bests])
    if sa.inspect(bind).has_table("user_state"):
        _move_records(bind)


def downgrade() -> None:
    raise NotImplementedError("the training log is not turned back into JSON records")


def _batches(bind):
    """The old records, a batch at a time, in user id order."""
    last = None
    while True:
        query = sa.select(OLD).order_by(OLD.c.user_id).limit(BATCH)
        if last is not None:
            query = query.where(OLD.c.user_id > last)
        rows = bind.execute(query).all()
        if not rows:
            return
        yield rows
        last = rows[-1].user_id


def _move_records(bind) -> None:
    moved = 0
    reasons: Counter[str] = Counter()
    for rows in _batches(bind):
        kept = []
        for row in rows:
            try:
                record = plan(row.user_id, row.schema, row.data)
            except Unreadable as exc:
                reason = str(exc)
            except Exception as exc:  # any record at all must leave the others to move
                reason = f"could not be moved ({type(exc).__name__})"
            else:
                write(bind, record)
                moved += 1
                continue
            reasons[reason] += 1
            kept.append(
                {"user_id": row.user_id, "schema": row.schema, "data": row.data, "reason": reason}
            )
        if kept:
            unreadable.create(bind, checkfirst=True)
            bind.execute(unreadable.insert(), kept)
    op.drop_table("user_state")
    log.info(
        "moved %d record(s) into the training log; %d unreadable kept aside%s",
        moved,
        reasons.total(),
        "".join(f"; {n} {reason}" for reason, n in sorted(reasons.items())),
    )


def parse(schema, text) -> dict:
    """The old record's JSON object, or Unreadable saying why not."""
    if schema not in (1, 2):
        raise Unreadable(f"schema {schema} is not 1 or 2")
    if not isinstance(text, str):
        raise Unreadable("no text")
    try:
        data = json.loads(text)
    except ValueError:
        raise Unreadable("not JSON") from None
    except RecursionError:
        raise Unreadable(f"nested deeper than {MAX_DEPTH}") from None
    if not isinstance(data, dict):
        raise Unreadable("not a JSON object")
    if depth(data) > MAX_DEPTH:
        raise Unreadable(f"nested deeper than {MAX_DEPTH}")
    return data


def _json_object(value) -> str | None:
    return json.dumps(value) if isinstance(value, dict) else None


def plan(person_id: str, schema, text) -> MovedRecord:
    """Everything one old record becomes, worked out before anything is written."""
    data = parse(schema, text)
    record = MovedRecord(
        profile={
            "person_id": person_id,
            "unit": data.get("unit") if data.get("unit") in ("kg", "lb") else None,
            "set_mode": clean_text(data.get("set_mode"), 16),
            "go_ahead": _json_object(data.get("go_ahead")),
            "welcomed": data.get("welcomed") is True,
            "hold": _json_object(data.get("hold")),
            "version": 1,
        }
    )
    history = data.get("history") if isinstance(data.get("history"), list) else []
    current = data.get("workout") if isinstance(data.get("workout"), dict) else None
    filed = [w for w in history if isinstance(w, dict)]
    refs: set[str] = set()
    for n, workout in enumerate([*filed, *([current] if current else [])]):
        is_current = workout is current
        ref = _unique_ref(clean_text(workout.get("id"), 64) or f"moved-{n}", n, refs)
        place = {k: v for k, v in workout.items() if k not in NOT_PLACE} if is_current else None
        feedback = workout.get("feedback")
        raw_sets = workout.get("sets") if isinstance(workout.get("sets"), list) else []
        found = [s for s in map(clean_set, raw_sets) if s is not None]
        record.workouts.append(
            MovedWorkout(
                values={
                    "person_id": person_id,
                    "ref": ref,
                    "program": clean_text(workout.get("program"), 64),
                    "started": clean_text(workout.get("started"), 40),
                    "finished": None if is_current else clean_text(workout.get("finished"), 40),
                    "place": json.dumps(place) if place is not None else None,
                    "feedback": json.dumps(feedback) if isinstance(feedback, list) else None,
                    "version": 1,
                },
                sets=[
                    {
                        "person_id": person_id,
                        "exercise": s["exercise"],
                        "set_no": s["set"],
                        "reps": s.get("reps"),
                        "weight": s.get("weight"),
                        "unit": s.get("unit"),
                        "at": s.get("at"),
                        "session": s.get("session"),
                        "request_key": None,
                    }
                    for s in found
                ],
                current=is_current,
            )
        )
        if not is_current and workout.get("finished"):
            for exercise, kg in weighted_tops(found).items():
                record.bests[exercise] = max(record.bests.get(exercise, 0.0), kg)
    return record


def _unique_ref(ref: str, n: int, taken: set[str]) -> str:
    """``ref``, or a variant of it no other workout of this person has."""
    candidate, extra = ref, 0
    while candidate in taken:
        extra += 1
        suffix = f"-{n}" if extra == 1 else f"-{n}-{extra}"
        candidate = ref[: 64 - len(suffix)] + suffix
    taken.add(candidate)
    return candidate


def write(bind, record: MovedRecord) -> None:
    person_id = record.profile["person_id"]
    bind.execute(people.insert().values(record.profile))
    for workout in record.workouts:
        workout_id = bind.execute(workouts.insert().values(workout.values)).inserted_primary_key[0]
        if workout.sets:
            bind.execute(sets.insert(), [{**s, "workout_id": workout_id} for s in workout.sets])
        if workout.current:
            bind.execute(
                people.update().where(people.c.person_id == person_id).values(workout_id=workout_id)
            )
    if record.bests:
        bind.execute(
            bests.insert(),
            [
                {"person_id": person_id, "exercise": e, "top_kg": kg}
                for e, kg in record.bests.items()
            ],
        )
