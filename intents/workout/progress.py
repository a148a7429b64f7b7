"""Reading training history: today's suggested weight, and the last four weeks' summary.

History is a list of workouts, newest last, each ``{"id", "program", "started",
"finished", "sets": [{"exercise", "set", "reps", "weight", "unit"}], "feedback":
[{"exercise", "difficulty"}]}``. The rule itself is content (``Progression``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from skill.content.model import Progression

from .numbers import convert, epley_one_rep_max, to_kg

SAME_WEIGHT_KG = 0.01
EPSILON = 1e-9
TOO_HARD = "TOO_HARD"


@dataclass(frozen=True)
class Suggestion:
    """Today's weight for one exercise, and why.

    ``reason`` is one of "first", "add", "more-reps", "next-weight" (``today`` is the
    heaviest weight to move up to), "slower" (no weight up is small enough: slow the reps
    or use a band), "lighter", "stay-missed" or "stay". ``supervised`` is set when
    ``today`` is above the share of the estimated one-rep max that must only be lifted
    with someone watching.
    """

    last: float | None
    today: float | None
    unit: str
    reason: str
    supervised: bool = False


@dataclass(frozen=True)
class _Session:
    sets: list[dict]
    too_hard: bool


def _sessions_for(history: list[dict], exercise: str) -> list[_Session]:
    """Per past workout (newest first), the weighted sets logged for ``exercise``."""
    found = []
    for workout in reversed(history):
        sets = [
            s
            for s in workout.get("sets", [])
            if isinstance(s, dict)
            and s.get("exercise") == exercise
            and _is_weight(s.get("weight"))
            and s.get("unit") in ("kg", "lb")
        ]
        if sets:
            feedback = workout.get("feedback")
            too_hard = isinstance(feedback, list) and any(
                isinstance(f, dict)
                and f.get("exercise") == exercise
                and f.get("difficulty") == TOO_HARD
                for f in feedback
            )
            found.append(_Session(sets, too_hard))
    return found


def _is_weight(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


def _reps(entry: dict) -> int | None:
    reps = entry.get("reps")
    return reps if isinstance(reps, int) and not isinstance(reps, bool) else None


def _top_weight_kg(sets: list[dict]) -> float:
    return max(to_kg(s["weight"], s["unit"]) for s in sets)


def _one_weight(session: _Session) -> float | None:
    """The weight every set of a session used, in kg, or None if they differ."""
    top = _top_weight_kg(session.sets)
    same = all(abs(to_kg(s["weight"], s["unit"]) - top) < SAME_WEIGHT_KG for s in session.sets)
    return top if same else None


def _all_reached(session: _Session, reps: int, sets_planned: int) -> bool:
    return len(session.sets) >= sets_planned and all((_reps(s) or 0) >= reps for s in session.sets)


def _missed(session: _Session, low: int) -> bool:
    counts = [_reps(s) for s in session.sets]
    return any(n is not None and n < low for n in counts)


def step_up(last: float, unit: str, rule: Progression) -> float | None:
    """About ``largest_step`` heavier, rounded down to the smallest step and at least one
    step; None when even that one step is more than ``largest_jump`` heavier."""
    step = rule.smallest_step[unit]
    steps = max(1, math.floor(last * rule.largest_step / step + EPSILON))
    heavier = _on_step(last + steps * step, step)
    return heavier if heavier <= last * (1 + rule.largest_jump) + EPSILON else None


def next_weight_up(
    last: float, unit: str, estimate: float | None, rule: Progression
) -> float | None:
    """The heaviest weight, on the smallest step, at most ``largest_jump`` heavier than
    ``last`` and not above the supervision share of the estimated max (kg); None when no
    such weight is heavier than ``last``."""
    step = rule.smallest_step[unit]
    ceiling = last * (1 + rule.largest_jump)
    if estimate:
        ceiling = min(ceiling, convert(rule.supervision_above * estimate, "kg", unit))
    top = _on_step(math.floor(ceiling / step + EPSILON) * step, step)
    return top if top > last + EPSILON else None


def step_down(last: float, unit: str, rule: Progression) -> float:
    """About ``lighter_by`` lighter, rounded to the smallest step, at least one step."""
    step = rule.smallest_step[unit]
    steps = max(1, round(last * rule.lighter_by / step))
    return max(step, _on_step(last - steps * step, step))


def _on_step(weight: float, step: float) -> float:
    return round(round(weight / step) * step, 3)


def estimated_max_kg(sessions: list[_Session]) -> float | None:
    """The best Epley estimate from the last two sessions' sets, in kg."""
    estimates = [
        epley_one_rep_max(to_kg(s["weight"], s["unit"]), reps)
        for session in sessions[:2]
        for s in session.sets
        if (reps := _reps(s))
    ]
    return max(estimates) if estimates else None


def suggest(
    history: list[dict],
    exercise: str,
    reps: tuple[int, int],
    sets_planned: int,
    rule: Progression,
    unit: str,
) -> Suggestion:
    """Apply the double progression in ``content/workout.json`` to one exercise."""
    sessions = _sessions_for(history, exercise)
    if not sessions:
        return Suggestion(None, None, unit, "first")
    step = rule.smallest_step[unit]
    last_kg = _top_weight_kg(sessions[0].sets)
    last = _on_step(convert(last_kg, "kg", unit), step)
    estimate = estimated_max_kg(sessions)
    reason, today = _decide(sessions, last_kg, last, unit, reps, sets_planned, rule, estimate)
    supervised = today is not None and _too_heavy(today, unit, estimate, rule)
    return Suggestion(last, today, unit, reason, supervised)


def _too_heavy(weight: float, unit: str, estimate: float | None, rule: Progression) -> bool:
    """Above the supervision share of the estimated max, exactly as the rule says it."""
    limit = rule.supervision_above * estimate if estimate else math.inf
    return convert(weight, unit, "kg") > limit + EPSILON


def _decide(sessions, last_kg, last, unit, reps, sets_planned, rule, estimate):
    """(reason, today's weight) by the rule; see ``Suggestion`` for the reasons."""
    low, high = reps
    newest = sessions[0]
    recent_missed = sessions[: rule.sessions_missed]
    if newest.too_hard or (
        len(recent_missed) == rule.sessions_missed and all(_missed(s, low) for s in recent_missed)
    ):
        return "lighter", step_down(last, unit, rule)
    streak = 0
    for session in sessions:
        weight = _one_weight(session)
        if weight is None or abs(weight - last_kg) >= SAME_WEIGHT_KG:
            break
        if not _all_reached(session, high, sets_planned):
            break
        streak += 1
    heavier = step_up(last, unit, rule)
    blocked = heavier is None or _too_heavy(heavier, unit, estimate, rule)
    # A step the weights can't make (still at the same weight after being told to go up),
    # or one too big (over a quarter heavier, or past the supervision share): more reps
    # first, then the next weight up within those bounds, else slower reps or a band.
    if streak > rule.sessions_at_top or (streak == rule.sessions_at_top and blocked):
        if _all_reached(newest, rule.most_reps, sets_planned):
            top = next_weight_up(last, unit, estimate, rule)
            return ("next-weight", top) if top else ("slower", last)
        return "more-reps", last
    if streak == rule.sessions_at_top:
        return "add", heavier
    if _missed(newest, low):
        return "stay-missed", last
    return "stay", last
