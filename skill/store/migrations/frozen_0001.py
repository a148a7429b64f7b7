"""What revision 0001 knew, frozen: the tables as it made them, the stored-set schema, the
rule for each person's best weights, and the bounds on an old JSON record.

Never edit this module. Live code (``skill.store.tables``, ``intents.workout.records``,
``skill.store.training_log``) goes on changing; a migration that imported it would make different
tables, or move different sets, depending on when it ran. A later revision that needs any of
this copies it.
"""

from __future__ import annotations

import math

from jsonschema import Draft202012Validator
from jsonschema.validators import extend
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)

#: Integer on SQLite (so it is the rowid and autoincrements), BIGINT elsewhere.
Key = BigInteger().with_variant(Integer, "sqlite")

metadata = MetaData()

people = Table(
    "people",
    metadata,
    Column("person_id", String(255), primary_key=True),
    Column("unit", String(8)),
    Column("set_mode", String(16)),
    Column("go_ahead", Text),
    Column("welcomed", Boolean, nullable=False, server_default="0"),
    Column("hold", Text),
    Column("workout_id", Key),
    Column("version", Integer, nullable=False, server_default="1"),
    Column("updated_at", DateTime(timezone=True), server_default=func.now(), nullable=False),
)

workouts = Table(
    "workouts",
    metadata,
    Column("id", Key, primary_key=True, autoincrement=True),
    Column(
        "person_id",
        String(255),
        ForeignKey("people.person_id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("ref", String(64), nullable=False),
    Column("program", String(64)),
    Column("started", String(40)),
    Column("finished", String(40)),
    Column("place", Text),
    Column("feedback", Text),
    Column("version", Integer, nullable=False, server_default="1"),
    UniqueConstraint("person_id", "ref", name="uq_workouts_person_ref"),
    Index("ix_workouts_person_started", "person_id", "started"),
)

sets = Table(
    "sets",
    metadata,
    Column("id", Key, primary_key=True, autoincrement=True),
    Column("workout_id", Key, ForeignKey("workouts.id", ondelete="CASCADE"), nullable=False),
    Column("person_id", String(255), nullable=False),
    Column("exercise", String(64), nullable=False),
    Column("set_no", Integer, nullable=False),
    Column("reps", Integer),
    Column("weight", Float),
    Column("unit", String(8)),
    Column("at", String(40)),
    Column("session", String(255)),
    Column("request_key", String(400)),
    UniqueConstraint("person_id", "request_key", name="uq_sets_person_request"),
    Index("ix_sets_workout", "workout_id", "id"),
    Index("ix_sets_person_exercise", "person_id", "exercise", "workout_id"),
)

bests = Table(
    "bests",
    metadata,
    Column(
        "person_id",
        String(255),
        ForeignKey("people.person_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("exercise", String(64), primary_key=True),
    Column("top_kg", Float, nullable=False),
)

#: Old records that could not be moved, kept as they were, with why.
unreadable = Table(
    "user_state_unreadable",
    MetaData(),
    Column("user_id", String(255), primary_key=True),
    Column("schema", Integer),
    Column("data", Text),
    Column("reason", String(200)),
)

#: The deepest nesting an old record may have (as deep as a request envelope may be).
MAX_DEPTH = 64

MAX_REPS = 10_000
MAX_WEIGHT = 10_000
KG_PER_LB = 0.45359237

STORED_SET = {
    "type": "object",
    "required": ["exercise", "set"],
    "properties": {
        "exercise": {"type": "string", "pattern": "^[a-z][a-z0-9_]{0,63}$"},
        "set": {"type": "integer", "minimum": 1, "maximum": 50},
        "reps": {"type": ["integer", "null"], "minimum": 0, "maximum": MAX_REPS},
        "weight": {"type": ["number", "null"], "exclusiveMinimum": 0, "maximum": MAX_WEIGHT},
        "unit": {"enum": ["kg", "lb", None]},
        "at": {"type": ["string", "null"], "maxLength": 40},
        "session": {"type": ["string", "null"], "maxLength": 255},
    },
    "if": {"required": ["weight"], "properties": {"weight": {"type": "number"}}},
    "then": {"required": ["unit"], "properties": {"unit": {"enum": ["kg", "lb"]}}},
}
SET_FIELDS = tuple(STORED_SET["properties"])

_FINITE = Draft202012Validator.TYPE_CHECKER.redefine(
    "number",
    lambda checker, value: (
        Draft202012Validator.TYPE_CHECKER.is_type(value, "number") and math.isfinite(value)
    ),
)
_set_validator = extend(Draft202012Validator, type_checker=_FINITE)(STORED_SET)


def clean_text(value, most: int) -> str | None:
    """``value`` cut to ``most`` characters, or None unless it is text every database can
    store (no NUL character, no lone surrogate)."""
    if not isinstance(value, str) or "\x00" in value:
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return value[:most]


def clean_set(entry) -> dict | None:
    """The set with only its known fields, or None if it does not fit the schema; text
    that no database could store is dropped from it."""
    if not isinstance(entry, dict):
        return None
    kept = {k: entry[k] for k in SET_FIELDS if k in entry}
    if not _set_validator.is_valid(kept):
        return None
    for field in ("at", "session"):
        if kept.get(field) is not None:
            kept[field] = clean_text(kept[field], 255)
    return kept


def weighted_tops(found: list[dict]) -> dict[str, float]:
    """Each exercise's top weight in kg among these (clean) sets."""
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


def depth(value) -> int:
    """How deeply lists and objects nest in ``value``, walked without recursion."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children)
    return deepest
