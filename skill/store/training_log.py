"""Queries on the training log (``skill.store.tables``), each on a connection the caller holds.

Reads are bounded: a person's row and the workout in progress (with its sets), or a slice
of the history picked by an index (one exercise, a time window, the last few workouts).
Writes are append-only set inserts and small updates of one row.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from typing import Any

from sqlalchemy import and_, bindparam, delete, exists, func, insert, select, update

from .privacy import user_tag
from .tables import bests, device_workouts, people, sets, unreadable, workouts

log = logging.getLogger(__name__)

KG_PER_LB = 0.45359237

VERSION_KEY = "_row_version"
PERSON_KEY = "_person"
#: In a workout just finished: (other workouts finished, up to 11; earlier top weights).
PRAISE_KEY = "_praise"
#: Profile values kept as columns; go_ahead and hold are JSON objects.
PROFILE = ("unit", "set_mode", "go_ahead", "welcomed", "hold")
_JSON = ("go_ahead", "hold")
SET_FIELDS = ("exercise", "set", "reps", "weight", "unit", "at", "session")


# Built once: the statements every request runs (SQLAlchemy then reuses their compiled form).
_PERSON = (
    select(people, workouts.c.place, workouts.c.feedback)
    .select_from(people.outerjoin(workouts, workouts.c.id == people.c.workout_id))
    .where(people.c.person_id == bindparam("person"))
)
#: The same for an account with no recognised voice: the workout in progress on one device.
_PERSON_ON_DEVICE = (
    select(
        people,
        device_workouts.c.workout_id.label("on_device"),
        workouts.c.place,
        workouts.c.feedback,
    )
    .select_from(
        people.outerjoin(
            device_workouts,
            and_(
                device_workouts.c.person_id == people.c.person_id,
                device_workouts.c.device_id == bindparam("device"),
            ),
        ).outerjoin(workouts, workouts.c.id == device_workouts.c.workout_id)
    )
    .where(people.c.person_id == bindparam("person"))
)
_WORKOUT_SETS = select(sets).where(sets.c.workout_id == bindparam("workout")).order_by(sets.c.id)
_FIND = (
    select(workouts.c.id, people.c.workout_id)
    .select_from(workouts.join(people, people.c.person_id == workouts.c.person_id))
    .where(workouts.c.person_id == bindparam("person"), workouts.c.ref == bindparam("ref"))
)


def _loads(text, person_id: str | None = None, what: str = "value"):
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        if person_id is not None:
            log.warning("stored %s for %s is unreadable; left out", what, user_tag(person_id))
        return None


def _number(value):
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _set_dict(row) -> dict:
    return {
        "exercise": row.exercise,
        "set": row.set_no,
        "reps": row.reps,
        "weight": _number(row.weight),
        "unit": row.unit,
        "at": row.at,
        "session": row.session,
    }


def latest_sets(rows: Iterable) -> list[dict]:
    """Set rows (in insert order) as set dicts: a later row for the same exercise, set
    number and session replaces an earlier one, and moves to its place in order."""
    kept: dict = {}
    for row in rows:
        slot = (row.exercise, row.set_no, row.session)
        kept.pop(slot, None)
        kept[slot] = _set_dict(row)
    return list(kept.values())


def read_person(conn, person_id: str, device: str | None = None) -> dict:
    """Profile values, the workout in progress (its place, sets and feedback) and the row's
    version; a person never seen has only ``VERSION_KEY`` None. With ``device``, the workout
    in progress is that device's (an account whose voice was not recognised)."""
    if device is None:
        row = conn.execute(_PERSON, {"person": person_id}).first()
    else:
        row = conn.execute(_PERSON_ON_DEVICE, {"person": person_id, "device": device}).first()
    attrs: dict = {PERSON_KEY: person_id, VERSION_KEY: None}
    if row is None:
        return attrs
    attrs[VERSION_KEY] = row.version
    for key in PROFILE:
        value = getattr(row, key)
        value = _loads(value, person_id, key) if key in _JSON else value
        if value is not None and value is not False:
            attrs[key] = value
    current, place, feedback = (
        (row.workout_id if device is None else row.on_device),
        row.place,
        row.feedback,
    )
    if device is not None and current is None and row.workout_id is not None:
        # A workout begun before each device kept its own: this device carries it on.
        current = row.workout_id
        legacy = conn.execute(
            select(workouts.c.place, workouts.c.feedback).where(workouts.c.id == current)
        ).first()
        place, feedback = (legacy.place, legacy.feedback) if legacy else (None, None)
    place = _loads(place, person_id, "place")
    if current is not None and isinstance(place, dict):
        found = conn.execute(_WORKOUT_SETS, {"workout": current})
        feedback = _loads(feedback)
        attrs["workout"] = {
            **place,
            "sets": latest_sets(found),
            "feedback": feedback if isinstance(feedback, list) else [],
        }
    return attrs


def _dialect(conn):
    """The dialect module with the upsert of ``conn``'s database (PostgreSQL's or SQLite's),
    imported when first used: a server on one never loads the other."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects import postgresql

        return postgresql
    from sqlalchemy.dialects import sqlite

    return sqlite


def _insert_ignoring(conn, table, values: list[dict] | dict):
    """An insert that does nothing where a row with the same unique key is already there."""
    return conn.execute(_dialect(conn).insert(table).on_conflict_do_nothing(), values)


def ensure_person(conn, person_id: str) -> None:
    if conn.dialect.name in ("postgresql", "sqlite"):
        _insert_ignoring(conn, people, {"person_id": person_id, "welcomed": False, "version": 1})
        return
    if conn.execute(select(people.c.person_id).where(people.c.person_id == person_id)).first():
        return
    conn.execute(insert(people).values(person_id=person_id, welcomed=False, version=1))


def set_profile(conn, person_id: str, values: dict) -> None:
    """Set profile values (None clears one) and bump the person's version."""
    ensure_person(conn, person_id)
    changes: dict[str, Any] = {}
    for key, value in values.items():
        if key not in PROFILE:
            raise KeyError(key)
        if key == "welcomed":
            changes[key] = bool(value)
        elif key in _JSON:
            changes[key] = None if value is None else json.dumps(value, allow_nan=False)
        else:
            changes[key] = value
    conn.execute(
        update(people)
        .where(people.c.person_id == person_id)
        .values(**changes, version=people.c.version + 1)
    )


def latest_device(conn, person_id: str) -> str | None:
    """The device with the person's most recently begun workout in progress, if any."""
    return conn.execute(
        select(device_workouts.c.device_id)
        .where(device_workouts.c.person_id == person_id)
        .order_by(device_workouts.c.workout_id.desc())
        .limit(1)
    ).scalar()


def current_workout(conn, person_id: str, device: str | None = None):
    """(id, ref) of the workout in progress (on ``device``, when given), or None."""
    if device is not None:
        on_device = conn.execute(
            select(workouts.c.id, workouts.c.ref)
            .select_from(
                device_workouts.join(workouts, workouts.c.id == device_workouts.c.workout_id)
            )
            .where(device_workouts.c.person_id == person_id, device_workouts.c.device_id == device)
        ).first()
        if on_device is not None:
            return on_device
    return conn.execute(
        select(workouts.c.id, workouts.c.ref)
        .select_from(people.join(workouts, workouts.c.id == people.c.workout_id))
        .where(people.c.person_id == person_id)
    ).first()


def _has_sets(conn, workout_id: int) -> bool:
    return conn.execute(select(exists().where(sets.c.workout_id == workout_id))).scalar()


def _set_current(conn, person_id: str, workout_id, device: str | None = None) -> None:
    if device is not None:
        mine = and_(device_workouts.c.person_id == person_id, device_workouts.c.device_id == device)
        conn.execute(delete(device_workouts).where(mine))
        current = current_workout(conn, person_id)
        if current is not None and current.id != workout_id:
            # A workout begun before each device kept its own: it is this device's now.
            conn.execute(
                update(people).where(people.c.person_id == person_id).values(workout_id=None)
            )
        if workout_id is not None:
            conn.execute(
                insert(device_workouts).values(
                    person_id=person_id, device_id=device, workout_id=workout_id
                )
            )
        conn.execute(
            update(people)
            .where(people.c.person_id == person_id)
            .values(version=people.c.version + 1)
        )
        return
    conn.execute(
        update(people)
        .where(people.c.person_id == person_id)
        .values(workout_id=workout_id, version=people.c.version + 1)
    )


def _file_current(conn, person_id: str, device: str | None = None) -> None:
    """The workout in progress leaves the person's row (or the device's): kept, unfinished,
    if it has sets; dropped if not."""
    current = current_workout(conn, person_id, device)
    if current is None:
        return
    _set_current(conn, person_id, None, device)
    if _has_sets(conn, current.id):
        conn.execute(update(workouts).where(workouts.c.id == current.id).values(place=None))
    else:
        conn.execute(delete(workouts).where(workouts.c.id == current.id))


def begin(conn, person_id: str, place: dict, device: str | None = None) -> int:
    """A new workout in progress (on ``device``, when given); the one before it there is
    filed (``_file_current``)."""
    ensure_person(conn, person_id)
    _file_current(conn, person_id, device)
    existing = conn.execute(
        select(workouts.c.id).where(
            workouts.c.person_id == person_id, workouts.c.ref == place["id"]
        )
    ).first()
    if existing is not None:
        workout_id = existing.id
        conn.execute(
            update(workouts)
            .where(workouts.c.id == workout_id)
            .values(place=json.dumps(place), finished=None, version=workouts.c.version + 1)
        )
    else:
        workout_id = conn.execute(
            insert(workouts).values(
                person_id=person_id,
                ref=place["id"],
                program=place.get("program"),
                started=place.get("started"),
                place=json.dumps(place),
                version=1,
            )
        ).inserted_primary_key[0]
    _set_current(conn, person_id, workout_id, device)
    return workout_id


def find(conn, person_id: str, place: dict, device: str | None = None) -> tuple[int, bool]:
    """(workout id, whether it is the one in progress) for this place: in progress, filed,
    or begun now if neither."""
    row = conn.execute(_FIND, {"person": person_id, "ref": place["id"]}).first()
    if row is not None:
        if device is None:
            return row.id, row.id == row.workout_id
        current = current_workout(conn, person_id, device)
        return row.id, current is not None and current.id == row.id
    return begin(conn, person_id, place, device), True


def move(conn, workout_id: int, place: dict) -> None:
    """Keep the place of a workout in progress (its version goes up)."""
    conn.execute(
        update(workouts)
        .where(workouts.c.id == workout_id)
        .values(place=json.dumps(place), version=workouts.c.version + 1)
    )


def add_sets(
    conn, person_id: str, workout_id: int, entries: list[dict], request_id: str | None
) -> None:
    """Append sets; a set this request already added (same request, exercise, set) is not
    added twice. The last unit used becomes the person's unit."""
    rows = []
    for entry in entries:
        key = (
            f"{request_id}/{entry.get('exercise')}/{entry.get('set')}/{entry.get('session')}"
            if request_id
            else None
        )
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
                "request_key": key[:400] if key else None,
            }
        )
    if rows:
        _insert_ignoring(conn, sets, rows)
    units = [e["unit"] for e in entries if e.get("unit") in ("kg", "lb")]
    if units:
        conn.execute(
            update(people)
            .where(people.c.person_id == person_id, people.c.unit.is_distinct_from(units[-1]))
            .values(unit=units[-1], version=people.c.version + 1)
        )


def workout_sets(conn, workout_id: int) -> list[dict]:
    return latest_sets(conn.execute(_WORKOUT_SETS, {"workout": workout_id}))


def set_feedback(conn, workout_id: int, exercise: str, difficulty: str) -> None:
    raw = conn.execute(select(workouts.c.feedback).where(workouts.c.id == workout_id)).scalar()
    kept = [f for f in (_loads(raw) or []) if isinstance(f, dict) and f.get("exercise") != exercise]
    kept.append({"exercise": exercise, "difficulty": difficulty})
    conn.execute(
        update(workouts)
        .where(workouts.c.id == workout_id)
        .values(feedback=json.dumps(kept), version=workouts.c.version + 1)
    )


def finish(
    conn, person_id: str, workout_id: int, current: bool, when: str, device: str | None = None
) -> dict:
    """File the workout as finished (kept as it was if it already was); return it.

    The first time, it also carries ``PRAISE_KEY``: how many other workouts were finished
    (up to 11) and the person's earlier top weights for today's exercises, read before its
    own sets are added to ``bests``."""
    if current:
        _set_current(conn, person_id, None, device)
    filed = conn.execute(
        update(workouts)
        .where(workouts.c.id == workout_id, workouts.c.finished.is_(None))
        .values(finished=when, place=None, version=workouts.c.version + 1)
    ).rowcount
    row = conn.execute(select(workouts).where(workouts.c.id == workout_id)).first()
    workout = _workout_dict(row, workout_sets(conn, workout_id))
    if filed:
        tops = weighted_tops(workout["sets"])
        workout[PRAISE_KEY] = (
            finished_count(conn, person_id, row.ref, most=11),
            top_weights(conn, person_id, tops),
        )
        raise_bests(conn, person_id, tops)
    return workout


def weighted_tops(found: list[dict]) -> dict[str, float]:
    """Each exercise's top weight in kg among these sets."""
    tops: dict[str, float] = {}
    for s in found:
        weight, unit = s.get("weight"), s.get("unit")
        if (
            isinstance(weight, int | float)
            and not isinstance(weight, bool)
            and unit in ("kg", "lb")
        ):
            kg = weight * KG_PER_LB if unit == "lb" else float(weight)
            tops[s["exercise"]] = max(tops.get(s["exercise"], 0.0), kg)
    return tops


def raise_bests(conn, person_id: str, tops: dict[str, float]) -> None:
    """Keep the higher of each stored best and ``tops``."""
    if not tops:
        return
    statement = _dialect(conn).insert(bests)
    higher = (func.greatest if conn.dialect.name == "postgresql" else func.max)(
        bests.c.top_kg, statement.excluded.top_kg
    )
    statement = statement.on_conflict_do_update(
        index_elements=[bests.c.person_id, bests.c.exercise], set_={"top_kg": higher}
    )
    conn.execute(
        statement,
        [{"person_id": person_id, "exercise": e, "top_kg": kg} for e, kg in tops.items()],
    )


def _workout_dict(row, found: list[dict]) -> dict:
    workout = {
        "id": row.ref,
        "program": row.program,
        "started": row.started,
        "finished": row.finished,
        "sets": found,
    }
    feedback = _loads(row.feedback)
    if feedback:
        workout["feedback"] = feedback
    return workout


def history(
    conn,
    person_id: str,
    exercise: str | None = None,
    since: str | None = None,
    limit: int | None = 200,
) -> list[dict]:
    """Filed workouts, oldest first: the last ``limit`` of them, only those with a set of
    ``exercise`` and only those started at or after ``since`` when given."""
    query = select(workouts).where(workouts.c.person_id == person_id, workouts.c.place.is_(None))
    if exercise is not None:
        query = query.where(
            exists().where(and_(sets.c.workout_id == workouts.c.id, sets.c.exercise == exercise))
        )
    if since is not None:
        query = query.where(workouts.c.started >= since)
    query = query.order_by(workouts.c.started.desc(), workouts.c.id.desc())
    rows = conn.execute(query if limit is None else query.limit(limit)).all()
    if not rows:
        return []
    by_workout: dict = {row.id: [] for row in rows}
    found = conn.execute(
        select(sets).where(sets.c.workout_id.in_(list(by_workout))).order_by(sets.c.id)
    )
    for row in found:
        by_workout[row.workout_id].append(row)
    return [_workout_dict(row, latest_sets(by_workout[row.id])) for row in reversed(rows)]


def finished_count(conn, person_id: str, other_than: str | None, most: int) -> int:
    """How many finished workouts there are besides ``other_than`` (a ref), up to ``most``."""
    query = (
        select(workouts.c.id)
        .where(workouts.c.person_id == person_id, workouts.c.finished.is_not(None))
        .limit(most)
    )
    if other_than is not None:
        query = query.where(workouts.c.ref != other_than)
    return conn.execute(select(func.count()).select_from(query.subquery())).scalar()


def top_weights(conn, person_id: str, exercises) -> dict[str, float]:
    """The person's best weight in kg for each of these exercises (one row each)."""
    names = sorted(e for e in exercises if isinstance(e, str))
    if not names:
        return {}
    query = select(bests.c.exercise, bests.c.top_kg).where(
        bests.c.person_id == person_id, bests.c.exercise.in_(names)
    )
    return {exercise: float(top) for exercise, top in conn.execute(query)}


def forget(conn, person_id: str) -> int:
    """Delete the person, their workouts, sets and bests, and any old record of theirs that
    could not be moved; return how many rows went."""
    gone = conn.execute(
        delete(device_workouts).where(device_workouts.c.person_id == person_id)
    ).rowcount
    gone += conn.execute(delete(sets).where(sets.c.person_id == person_id)).rowcount
    gone += conn.execute(delete(bests).where(bests.c.person_id == person_id)).rowcount
    gone += conn.execute(delete(workouts).where(workouts.c.person_id == person_id)).rowcount
    gone += conn.execute(delete(people).where(people.c.person_id == person_id)).rowcount
    gone += conn.execute(delete(unreadable).where(unreadable.c.user_id == person_id)).rowcount
    return gone
