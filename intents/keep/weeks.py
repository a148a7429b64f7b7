"""Weeks and streaks, in the person's own time zone. Pure: no SDK, no database.

A week starts on Monday at midnight where the person is. It is met when its finished
workouts reach the goal in force that week. The streak is the run of met weeks ending with
this week, or with last week while this one is still under way: a week not yet over never
breaks a streak.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

#: Two sessions a week: what the trials behind the skill's answers used (LIFTMOR, twice a
#: week for eight months).
DEFAULT_GOAL = 2
MOST_GOAL = 7
UTC = ZoneInfo("UTC")


@dataclass(frozen=True)
class Week:
    start: dt.date
    sessions: int
    goal: int

    @property
    def met(self) -> bool:
        return self.sessions >= self.goal


def zone_named(name: object) -> ZoneInfo | None:
    """The IANA time zone ``name`` ("Europe/London"), or None if there is no such zone."""
    if not isinstance(name, str) or not 0 < len(name) <= 64 or name.startswith(("/", ".")):
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def week_start(instant: dt.datetime, zone: ZoneInfo) -> dt.date:
    """The Monday of the week ``instant`` falls in, where the person is."""
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=dt.UTC)
    day = instant.astimezone(zone).date()
    return day - dt.timedelta(days=day.weekday())


def weeks_from_rows(rows: Iterable[tuple[str, int, int]]) -> list[Week]:
    """``(week, sessions, goal)`` rows as ``Week``s; unreadable rows are left out."""
    found = []
    for week, sessions, goal in rows:
        try:
            start = dt.date.fromisoformat(week)
        except (TypeError, ValueError):
            continue
        found.append(Week(start, int(sessions), max(1, int(goal))))
    return found


def this_week(weeks: Iterable[Week], start: dt.date, goal: int) -> Week:
    """The week beginning ``start``, judged against today's ``goal``."""
    sessions = next((w.sessions for w in weeks if w.start == start), 0)
    return Week(start, sessions, goal)


def streak(weeks: Iterable[Week], current: Week) -> int:
    """Weeks in a row that met their goal, up to ``current`` (counted only once it is met)."""
    met = {w.start for w in weeks if w.met and w.start != current.start}
    count = 1 if current.met else 0
    day = current.start - dt.timedelta(days=7)
    while day in met:
        count += 1
        day -= dt.timedelta(days=7)
    return count


def missed_last_week(weeks: Iterable[Week], current: Week) -> bool:
    """True when last week fell short of its goal (or had no workouts) and there was an
    earlier week with any workouts: someone coming back, who hears encouragement."""
    earlier = [w for w in weeks if w.start < current.start]
    if not earlier:
        return False
    last = current.start - dt.timedelta(days=7)
    return not any(w.start == last and w.met for w in earlier)
