"""Training days and a time: from slots, to an RFC 5545 rule for the Reminders API, and back.

Pure: no SDK, no database. Days are the two-letter RFC 5545 codes ("TU", "FR"), also the
ids of the model's ``TRAINING_DAY`` slot values. A time is (hour, minute), 24-hour clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
#: AMAZON.TIME says a part of the day for "in the morning" and the like; the hour used.
DAY_PARTS = {"MO": (9, 0), "AF": (14, 0), "EV": (18, 0), "NI": (20, 0)}
_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class Schedule:
    """Weekly on ``days`` at ``hour``:``minute``."""

    days: tuple[str, ...]
    hour: int
    minute: int

    @property
    def rule(self) -> str:
        """The recurrence rule, e.g. ``FREQ=WEEKLY;BYDAY=TU,FR;BYHOUR=9;BYMINUTE=0``."""
        return f"FREQ=WEEKLY;BYDAY={','.join(self.days)};BYHOUR={self.hour};BYMINUTE={self.minute}"

    @property
    def at(self) -> str:
        return f"{self.hour:02d}:{self.minute:02d}"


def ordered_days(days) -> tuple[str, ...]:
    """Known day codes, each once, Monday first."""
    chosen = {d for d in days if d in DAYS}
    return tuple(d for d in DAYS if d in chosen)


def time_of(value: object) -> tuple[int, int] | None:
    """An AMAZON.TIME value ("09:00", "21:30", or "MO" for morning) as (hour, minute)."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if value in DAY_PARTS:
        return DAY_PARTS[value]
    found = _CLOCK.match(value)
    return (int(found[1]), int(found[2])) if found else None


def from_rule(rule: object) -> Schedule | None:
    """A weekly rule as the Reminders API returns it; None for anything else."""
    if not isinstance(rule, str):
        return None
    parts = {}
    for piece in rule.removeprefix("RRULE:").split(";"):
        name, _, value = piece.partition("=")
        if name:
            parts[name.strip().upper()] = value.strip().upper()
    if parts.get("FREQ") != "WEEKLY":
        return None
    days = ordered_days(parts.get("BYDAY", "").split(","))
    try:
        hour, minute = int(parts.get("BYHOUR", "")), int(parts.get("BYMINUTE", "0"))
    except ValueError:
        return None
    if not days or not (0 <= hour < 24 and 0 <= minute < 60):
        return None
    return Schedule(days, hour, minute)


def from_kept(days: str, at: str) -> Schedule | None:
    """A schedule as the ``reminders`` table keeps it ("TU,FR", "09:00")."""
    clock = time_of(at)
    chosen = ordered_days(days.split(","))
    return Schedule(chosen, *clock) if clock and chosen else None
