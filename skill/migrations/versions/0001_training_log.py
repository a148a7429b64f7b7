"""The training log in tables: people, workouts, sets; JSON records moved over.

Before this, each user's whole state was one JSON document in ``user_state`` (schema 1:
as written; schema 2: every set checked). Each readable record becomes a person row, a
workout row per workout (the one in progress keeps its place), and a set row per set.
Sets that don't fit the stored-set schema are left behind, as reading a schema-1 record
did; a record that can't be read at all is kept in ``user_state_unreadable``.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import json
import logging

import sqlalchemy as sa
from alembic import op

from intents.workout.records import clean_set
from skill.tables import metadata

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

#: What a stored workout holds besides its place.
NOT_PLACE = ("sets", "feedback", "finished")


def upgrade() -> None:
    bind = op.get_bind()
    names = ("people", "workouts", "sets", "bests")
    metadata.create_all(bind, tables=[metadata.tables[n] for n in names])
    if sa.inspect(bind).has_table("user_state"):
        _move_records(bind)


def downgrade() -> None:
    raise NotImplementedError("the training log is not turned back into JSON records")


def _move_records(bind) -> None:
    old = sa.table(
        "user_state",
        sa.column("user_id", sa.String),
        sa.column("version", sa.Integer),
        sa.column("schema", sa.Integer),
        sa.column("data", sa.Text),
    )
    moved = unreadable = 0
    bad = []
    for row in bind.execute(sa.select(old)).all():
        try:
            data = json.loads(row.data)
            if not isinstance(data, dict) or not 1 <= row.schema <= 2:
                raise ValueError("not a record")
        except ValueError:
            bad.append({"user_id": row.user_id, "schema": row.schema, "data": row.data})
            unreadable += 1
            continue
        _move_one(bind, row.user_id, data)
        moved += 1
    if bad:
        kept = sa.Table(
            "user_state_unreadable",
            sa.MetaData(),
            sa.Column("user_id", sa.String(255), primary_key=True),
            sa.Column("schema", sa.Integer),
            sa.Column("data", sa.Text),
        )
        kept.create(bind)
        bind.execute(kept.insert(), bad)
    op.drop_table("user_state")
    log.info(
        "moved %d record(s) into the training log; %d unreadable kept aside", moved, unreadable
    )


def _text(value, most: int):
    return value[:most] if isinstance(value, str) else None


def _move_one(bind, person_id: str, data: dict) -> None:
    from skill.tables import people, sets, workouts
    from skill.training_log import raise_bests, weighted_tops

    unit = data.get("unit") if data.get("unit") in ("kg", "lb") else None
    profile = {
        "person_id": person_id,
        "unit": unit,
        "set_mode": _text(data.get("set_mode"), 16),
        "go_ahead": json.dumps(data["go_ahead"])
        if isinstance(data.get("go_ahead"), dict)
        else None,
        "welcomed": data.get("welcomed") is True,
        "hold": json.dumps(data["hold"]) if isinstance(data.get("hold"), dict) else None,
        "version": 1,
    }
    bind.execute(people.insert().values(profile))
    history = data.get("history") if isinstance(data.get("history"), list) else []
    filed = [w for w in history if isinstance(w, dict)]
    current = data.get("workout") if isinstance(data.get("workout"), dict) else None
    seen: set[str] = set()
    for n, workout in enumerate([*filed, *([current] if current else [])]):
        ref = _text(workout.get("id"), 64) or f"moved-{n}"
        while ref in seen:
            ref = f"{ref[:56]}-{n}"
        seen.add(ref)
        is_current = workout is current
        place = {k: v for k, v in workout.items() if k not in NOT_PLACE} if is_current else None
        feedback = workout.get("feedback")
        workout_id = bind.execute(
            workouts.insert().values(
                person_id=person_id,
                ref=ref,
                program=_text(workout.get("program"), 64),
                started=_text(workout.get("started"), 40),
                finished=None if is_current else _text(workout.get("finished"), 40),
                place=json.dumps(place) if place is not None else None,
                feedback=json.dumps(feedback) if isinstance(feedback, list) else None,
                version=1,
            )
        ).inserted_primary_key[0]
        raw_sets = workout.get("sets") if isinstance(workout.get("sets"), list) else []
        rows = []
        for entry in raw_sets:
            entry = clean_set(entry)
            if entry is None:
                continue
            rows.append(
                {
                    "workout_id": workout_id,
                    "person_id": person_id,
                    "exercise": entry["exercise"],
                    "set_no": entry["set"],
                    "reps": entry.get("reps"),
                    "weight": entry.get("weight"),
                    "unit": entry.get("unit"),
                    "at": entry.get("at"),
                    "session": entry.get("session"),
                    "request_key": None,
                }
            )
        if rows:
            bind.execute(sets.insert(), rows)
        if not is_current and workout.get("finished"):
            moved = [{**r, "set": r["set_no"]} for r in rows]
            raise_bests(bind, person_id, weighted_tops(moved))
        if is_current:
            bind.execute(
                people.update().where(people.c.person_id == person_id).values(workout_id=workout_id)
            )
