"""Reading training history: today's suggested weight, and the last four weeks' summary.

History is a list of workouts, newest last, each ``{"id", "program", "started",
"finished", "sets": [{"exercise", "set", "reps", "weight", "unit"}]}``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .numbers import convert, round_weight, to_kg

SAME_WEIGHT_KG = 0.01


@dataclass(frozen=True)
class Suggestion:
    last: float | None
    today: float | None
    unit: str
    reason: str  # "first", "add", "stay-missed", "stay"


def _sessions_for(history: list[dict], exercise: str) -> list[list[dict]]:
    """Per past workout (newest first), the weighted sets logged for ``exercise``."""
    found = []
    for workout in reversed(history):
        sets = [
            s
            for s in workout.get("sets", [])
            if s.get("exercise") == exercise and s.get("weight") and s.get("unit") in ("kg", "lb")
        ]
        if sets:
            found.append(sets)
    return found


def _top_weight_kg(sets: list[dict]) -> float:
    return max(to_kg(s["weight"], s["unit"]) for s in sets)


def suggest(
    history: list[dict],
    exercise: str,
    reps: tuple[int, int],
    sets_planned: int,
    rule: dict,
    unit: str,
) -> Suggestion:
    """Apply the progression rule in ``content/workout.json`` to one exercise."""
    sessions = _sessions_for(history, exercise)
    if not sessions:
        return Suggestion(None, None, unit, "first")
    last_kg = _top_weight_kg(sessions[0])
    last = round_weight(convert(last_kg, "kg", unit), unit)
    low, high = reps
    recent = sessions[: rule["sessions_at_top"]]
    at_top = len(recent) == rule["sessions_at_top"] and all(
        len(s) >= sets_planned
        and all((x.get("reps") or 0) >= high for x in s)
        and abs(_top_weight_kg(s) - last_kg) < SAME_WEIGHT_KG
        and all(abs(to_kg(x["weight"], x["unit"]) - last_kg) < SAME_WEIGHT_KG for x in s)
        for s in recent
    )
    if at_top:
        return Suggestion(last, last + rule["increase"][unit], unit, "add")
    if any(x.get("reps") is not None and x["reps"] < low for x in sessions[0]):
        return Suggestion(last, last, unit, "stay-missed")
    return Suggestion(last, last, unit, "stay")


@dataclass(frozen=True)
class Change:
    exercise: str
    first: float
    latest: float
    unit: str


def recent_summary(history: list[dict], now: dt.datetime, unit: str, days: int = 28):
    """Workouts in the last ``days`` days, and each exercise's top weight, first against latest."""
    since = now - dt.timedelta(days=days)
    recent = [w for w in history if _when(w) and _when(w) >= since]
    firsts: dict[str, float] = {}
    latest: dict[str, float] = {}
    for workout in recent:
        per_exercise: dict[str, list[dict]] = {}
        for s in workout.get("sets", []):
            if s.get("weight") and s.get("unit") in ("kg", "lb"):
                per_exercise.setdefault(s["exercise"], []).append(s)
        for exercise, sets in per_exercise.items():
            top = _top_weight_kg(sets)
            firsts.setdefault(exercise, top)
            latest[exercise] = top
    changes = [
        Change(
            e,
            round_weight(convert(firsts[e], "kg", unit), unit),
            round_weight(convert(latest[e], "kg", unit), unit),
            unit,
        )
        for e in latest
    ]
    return len(recent), changes


def _when(workout: dict) -> dt.datetime | None:
    try:
        stamp = dt.datetime.fromisoformat(workout.get("started", ""))
    except (TypeError, ValueError):
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=dt.UTC)
