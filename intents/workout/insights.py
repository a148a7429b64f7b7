"""What to say about a person's own numbers: a one-rep-max estimate, and recent progress."""

from __future__ import annotations

from . import numbers
from .progress import Change


def one_rep_max_lines(weight: float, reps: float, unit: str, settings: dict) -> list[str]:
    """The Epley estimate, the working range it implies, and the notes that go with it."""
    estimate = numbers.epley_one_rep_max(weight, reps)
    low_reps, high_reps = settings["working_reps"]
    heavy = numbers.round_weight(numbers.epley_weight_for(estimate, low_reps), unit)
    light = numbers.round_weight(numbers.epley_weight_for(estimate, high_reps), unit)
    lines = [
        f"By the {settings['formula']} formula, {numbers.say_weight(weight, unit)} "
        f"{int(reps)} {'time' if reps == 1 else 'times'} suggests a one-rep max of about "
        f"{numbers.say_weight(numbers.round_weight(estimate, unit), unit)}.",
        f"For sets of {low_reps} to {high_reps}, that means roughly "
        f"{numbers.say_weight(light, unit)} to {numbers.say_weight(heavy, unit)}.",
    ]
    if reps > settings["reliable_up_to_reps"]:
        lines.append("Estimates from that many reps are rough.")
    if weight / estimate > settings["supervision_above"]:
        lines.append(
            "Lifting above about eighty percent of your max is best done with a trainer "
            "watching, especially with low bone mass."
        )
    return lines


def progress_lines(
    count: int, changes: list[Change], names: dict[str, str], unit: str
) -> list[str]:
    """Workouts in the last four weeks, and up to four exercises' weight changes."""
    if count == 0:
        return [
            "You haven't finished a workout in the last four weeks. "
            "Say, start my workout, to begin."
        ]
    lines = [
        f"In the last four weeks you've done {count} {'workout' if count == 1 else 'workouts'}."
    ]
    for change in changes[:4]:
        name = names.get(change.exercise, change.exercise.replace("_", " "))
        first = numbers.say_weight(change.first, unit)
        latest = numbers.say_weight(change.latest, unit)
        if change.latest > change.first:
            lines.append(f"{name}: up from {first} to {latest}.")
        elif change.latest < change.first:
            lines.append(f"{name}: down from {first} to {latest}.")
        else:
            lines.append(f"{name}: steady at {latest}.")
    return lines
