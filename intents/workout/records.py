"""What a stored set looks like.

One schema serves every place a set can come from: a set kept in session attributes (which
come back from the client, so anything can be in them), and a set in a JSON record of an
earlier version, moved into the tables by the first migration.
"""

from __future__ import annotations

import math
from functools import cache
from typing import Any

MAX_REPS = 10_000
MAX_WEIGHT = 10_000

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
#: The fields a set carries; anything else that arrives with one is left behind.
SET_FIELDS = tuple(STORED_SET["properties"])


@cache
def _validator() -> Any:
    """The schema's validator, with finite numbers only; made on first use, so a request
    that carries no set never imports jsonschema."""
    from jsonschema import Draft202012Validator
    from jsonschema.validators import extend

    finite = Draft202012Validator.TYPE_CHECKER.redefine(
        "number",
        lambda checker, value: (
            Draft202012Validator.TYPE_CHECKER.is_type(value, "number") and math.isfinite(value)
        ),
    )
    return extend(Draft202012Validator, type_checker=finite)(STORED_SET)


def is_valid_set(entry) -> bool:
    return bool(_validator().is_valid(entry))


def clean_set(entry) -> dict | None:
    """The set with only its known fields, or None if it does not fit the schema."""
    if not isinstance(entry, dict):
        return None
    kept = {k: entry[k] for k in SET_FIELDS if k in entry}
    return kept if is_valid_set(kept) else None
