"""Days, times and counts said the way a person says them, from ``content/lines/keep.json``:
"Tuesdays and Fridays", "nine in the morning", "two sessions", "four weeks"."""

from __future__ import annotations

from ..words import Words
from ..workout.numbers import say_number
from .schedule import Schedule


def join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def days(words: Words, codes: tuple[str, ...]) -> str:
    return join([words(f"day_{code.lower()}") for code in codes])


def clock(words: Words, hour: int, minute: int) -> str:
    """ "nine in the morning", "six thirty in the evening", "noon"."""
    if (hour, minute) == (12, 0):
        return words("time_noon")
    if (hour, minute) == (0, 0):
        return words("time_midnight")
    said = say_number(hour % 12 or 12)
    if minute:
        said += " " + (f"oh {say_number(minute)}" if minute < 10 else say_number(minute))
    if 5 <= hour < 12:
        part = "time_morning"
    elif 12 <= hour < 17:
        part = "time_afternoon"
    elif 17 <= hour < 21:
        part = "time_evening"
    else:
        part = "time_night"
    return words(part, time=said)


def schedule(words: Words, chosen: Schedule) -> dict[str, str]:
    """The ``days`` and ``time`` fields of a reminder line."""
    return {"days": days(words, chosen.days), "time": clock(words, chosen.hour, chosen.minute)}


def sessions(words: Words, n: int) -> str:
    return words("sessions_one") if n == 1 else words("sessions_many", n=say_number(n))


def weeks(words: Words, n: int) -> str:
    return words("weeks_one") if n == 1 else words("weeks_many", n=say_number(n))
