"""What "how am I doing" reads from the history: the main lifts' trend, a new best, and
the numbers the progress chart draws. Pure: no SDK, no database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..workout.numbers import convert, round_weight, to_kg
from .weeks import Week

#: At most this many lifts are said; the chart draws the first.
LIFTS_SAID = 2
CHART_WEEKS = 12


@dataclass(frozen=True)
class Trend:
    """One exercise's top weight per workout, oldest first, in ``unit``."""

    exercise: str
    unit: str
    points: tuple[tuple[str, float], ...]

    @property
    def first(self) -> float:
        return self.points[0][1]

    @property
    def latest(self) -> float:
        return self.points[-1][1]


def _tops(workout: dict) -> dict[str, float]:
    """Each exercise's top weight in kg in one workout."""
    tops: dict[str, float] = {}
    for s in workout.get("sets", []):
        if not isinstance(s, dict) or s.get("unit") not in ("kg", "lb"):
            continue
        weight, exercise = s.get("weight"), str(s.get("exercise"))
        if isinstance(weight, int | float) and not isinstance(weight, bool) and weight > 0:
            kg = to_kg(weight, s["unit"])
            tops[exercise] = max(tops.get(exercise, 0.0), kg)
    return tops


def trends(history: list[dict], unit: str, order: dict[str, int] | None = None) -> list[Trend]:
    """The main lifts: exercises with a weight logged in at least two workouts of
    ``history`` (oldest first), most often trained first, then in ``order`` (an exercise's
    place in its program: the big lifts come first)."""
    series: dict[str, list[tuple[str, float]]] = {}
    for workout in history:
        day = str(workout.get("started") or "")[:10]
        for exercise, kg in _tops(workout).items():
            if isinstance(exercise, str):
                weight = round_weight(convert(kg, "kg", unit), unit)
                series.setdefault(exercise, []).append((day, weight))
    found = [Trend(e, unit, tuple(p)) for e, p in series.items() if len(p) >= 2]
    order = order or {}
    return sorted(
        found, key=lambda t: (-len(t.points), order.get(t.exercise, len(order)), t.exercise)
    )


def new_best(history: list[dict]) -> tuple[str, float] | None:
    """(exercise, kg) when the latest workout lifted more on an exercise than any earlier
    workout in ``history`` did."""
    if len(history) < 2:
        return None
    latest = _tops(history[-1])
    earlier: dict[str, float] = {}
    for workout in history[:-1]:
        for exercise, kg in _tops(workout).items():
            earlier[exercise] = max(earlier.get(exercise, 0.0), kg)
    for exercise, kg in latest.items():
        if exercise in earlier and kg > earlier[exercise] + 0.01:
            return exercise, kg
    return None


def span_weeks(trend: Trend, today: dt.date) -> int:
    """How many weeks back the trend reaches: four to twelve."""
    try:
        first = dt.date.fromisoformat(trend.points[0][0])
    except ValueError:
        return CHART_WEEKS
    return min(CHART_WEEKS, max(4, -(-(today - first).days // 7)))


def chart_weeks(weeks: list[Week], current: Week) -> list[list]:
    """[week, sessions, goal] for the last ``CHART_WEEKS`` weeks, oldest first; a week
    without workouts is drawn as none against today's goal."""
    kept = {w.start: w for w in weeks}
    rows = []
    for back in range(CHART_WEEKS - 1, -1, -1):
        start = current.start - dt.timedelta(days=7 * back)
        week = current if start == current.start else kept.get(start)
        rows.append(
            [start.isoformat(), week.sessions if week else 0, week.goal if week else current.goal]
        )
    return rows
