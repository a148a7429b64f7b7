"""Weights, units and one-rep-max arithmetic, and how to say them."""

from __future__ import annotations

from .number_words import spell

KG_PER_LB = 0.45359237
UNIT_WORDS = {"kg": ("kilogram", "kilograms"), "lb": ("pound", "pounds")}
UNIT_IDS = {"KILOGRAMS": "kg", "POUNDS": "lb"}


def parse_number(value) -> float | None:
    """An AMAZON.NUMBER slot value ("10", "2.5"), or None when Alexa heard none ("?")."""
    if not isinstance(value, str):
        return None
    try:
        number = float(value.strip())
    except ValueError:
        return None
    if number != number or number <= 0 or number > 10_000:
        return None
    return number


def to_kg(weight: float, unit: str) -> float:
    return weight if unit == "kg" else weight * KG_PER_LB


def convert(weight: float, from_unit: str, to_unit: str) -> float:
    if from_unit == to_unit:
        return weight
    return to_kg(weight, from_unit) if to_unit == "kg" else weight / KG_PER_LB


def round_weight(weight: float, unit: str) -> float:
    """Kilograms to the nearest half, pounds to the nearest whole."""
    return round(weight * 2) / 2 if unit == "kg" else float(round(weight))


def say_number(number: float) -> str:
    """Numbers as Alexa should say them, in words: 22.5 -> "twenty-two point five"."""
    whole = float(number).is_integer()
    return spell(int(number) if whole else round(float(number), 2))


def say_weight(weight: float, unit: str) -> str:
    """ "twenty-two point five kilograms", "one pound"."""
    one, many = UNIT_WORDS[unit]
    return f"{say_number(weight)} {one if weight == 1 else many}"


def epley_one_rep_max(weight: float, reps: float) -> float:
    """Epley: weight × (1 + reps / 30); a single rep is its own maximum."""
    return weight if reps <= 1 else weight * (1 + reps / 30)


def epley_weight_for(one_rep_max: float, reps: float) -> float:
    """The weight Epley's formula expects someone to lift ``reps`` times."""
    return one_rep_max if reps <= 1 else one_rep_max / (1 + reps / 30)
