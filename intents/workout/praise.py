"""Praise from a person's real history: the first workout, the tenth, a new best weight."""

from __future__ import annotations

from .numbers import to_kg

MILESTONES = {1: "praise_first", 10: "praise_tenth"}


def earned(history: list[dict], finished: dict, names: dict[str, str]) -> list[tuple[str, dict]]:
    """(line key, fields) for each piece of praise the workout just ``finished`` earned.

    ``history`` already holds ``finished`` as its newest entry.
    """
    before = [w for w in history[:-1] if w.get("finished")]
    tops: dict[str, float] = {}
    for workout in before:
        for s in _weighted(workout):
            tops[s["exercise"]] = max(tops.get(s["exercise"], 0.0), to_kg(s["weight"], s["unit"]))
    return earned_from(len(before), tops, finished, names)


def earned_from(
    finished_before: int, tops: dict[str, float], finished: dict, names: dict[str, str]
) -> list[tuple[str, dict]]:
    """Like ``earned``, from what the history holds instead of the history itself: how many
    workouts were finished before this one, and each exercise's top weight (kg) in them."""
    if not finished.get("sets"):
        return []
    said: list[tuple[str, dict]] = []
    if finished_before + 1 in MILESTONES:
        said.append((MILESTONES[finished_before + 1], {}))
    best = _new_best(tops, finished)
    if best is not None:
        exercise, weight, unit = best
        said.append(
            ("praise_best", {"exercise": names.get(exercise, ""), "weight": (weight, unit)})
        )
    return said


def _new_best(tops: dict[str, float], finished: dict) -> tuple[str, float, str] | None:
    """The exercise whose top weight today beats every earlier one (the first such)."""
    for s in _weighted(finished):
        earlier = tops.get(s["exercise"])
        if earlier is not None and to_kg(s["weight"], s["unit"]) > earlier + 0.01:
            return s["exercise"], s["weight"], s["unit"]
    return None


def _weighted(workout: dict) -> list[dict]:
    return [
        s
        for s in workout.get("sets", [])
        if isinstance(s, dict)
        and isinstance(s.get("weight"), int | float)
        and not isinstance(s.get("weight"), bool)
        and s.get("unit") in ("kg", "lb")
        and isinstance(s.get("exercise"), str)
    ]
