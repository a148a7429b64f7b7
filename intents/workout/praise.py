"""Praise from a person's real history: the first workout, the tenth, a new best weight."""

from __future__ import annotations

from .numbers import to_kg

MILESTONES = {1: "praise_first", 10: "praise_tenth"}


def earned(history: list[dict], finished: dict, names: dict[str, str]) -> list[tuple[str, dict]]:
    """(line key, fields) for each piece of praise the workout just ``finished`` earned.

    ``history`` already holds ``finished`` as its newest entry.
    """
    if not finished.get("sets"):
        return []
    done = [w for w in history[:-1] if w.get("finished")] + [finished]
    said: list[tuple[str, dict]] = []
    if len(done) in MILESTONES:
        said.append((MILESTONES[len(done)], {}))
    best = _new_best(done[:-1], finished)
    if best is not None:
        exercise, weight, unit = best
        said.append(
            ("praise_best", {"exercise": names.get(exercise, ""), "weight": (weight, unit)})
        )
    return said


def _new_best(before: list[dict], finished: dict) -> tuple[str, float, str] | None:
    """The exercise whose top weight today beats every earlier one (the first such)."""
    tops: dict[str, float] = {}
    for workout in before:
        for s in _weighted(workout):
            tops[s["exercise"]] = max(tops.get(s["exercise"], 0.0), to_kg(s["weight"], s["unit"]))
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
