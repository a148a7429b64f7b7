"""What to say about a person's own numbers: a one-rep-max estimate, and recent progress."""

from __future__ import annotations

from skill.content.model import OneRepMaxRule

from ..words import Words
from . import numbers


def one_rep_max_lines(
    weight: float,
    reps: float,
    unit: str,
    settings: OneRepMaxRule,
    words: Words,
    supervise_above: float,
) -> list[str]:
    """The Epley estimate, the working range it implies, and the notes that go with it.

    The supervision note is said whenever the lifted weight or the heaviest suggested one
    is above ``supervise_above`` of the estimate.
    """
    estimate = numbers.epley_one_rep_max(weight, reps)
    low_reps, high_reps = settings.working_reps
    heavy = numbers.round_weight(numbers.epley_weight_for(estimate, low_reps), unit)
    light = numbers.round_weight(numbers.epley_weight_for(estimate, high_reps), unit)
    lines = [
        words(
            "orm_estimate",
            weight=numbers.say_weight(weight, unit),
            times="once" if int(reps) == 1 else f"{numbers.say_number(int(reps))} times",
            estimate=numbers.say_weight(numbers.round_weight(estimate, unit), unit),
        ),
        words(
            "orm_range",
            low=numbers.say_number(low_reps),
            high=numbers.say_number(high_reps),
            light=numbers.say_weight(light, unit),
            heavy=numbers.say_weight(heavy, unit),
        ),
    ]
    if reps > settings.reliable_up_to_reps:
        lines.append(words("orm_rough"))
    if max(weight, heavy) > supervise_above * estimate:
        lines.append(words("orm_supervised"))
    return lines
