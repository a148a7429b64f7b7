"""Numbers said in words: the forms the workout speaks, and the edges of the speller."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from intents.workout.number_words import ONES, spell
from intents.workout.numbers import say_number, say_weight


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "zero"),
        (1, "one"),
        (13, "thirteen"),
        (20, "twenty"),
        (22, "twenty-two"),
        (99, "ninety-nine"),
        (100, "one hundred"),
        (101, "one hundred and one"),
        (110, "one hundred and ten"),
        (999, "nine hundred and ninety-nine"),
        (1000, "one thousand"),
        (1005, "one thousand and five"),
        (1105, "one thousand, one hundred and five"),
        (1200, "one thousand, two hundred"),
        (12345, "twelve thousand, three hundred and forty-five"),
        (100005, "one hundred thousand and five"),
        (1000001, "one million and one"),
        (
            1234567,
            "one million, two hundred and thirty-four thousand, five hundred and sixty-seven",
        ),
        (2_000_000_000, "two billion"),
        (10**12, "one trillion"),
        (10**15, "one " + " ".join(["zero"] * 15)),
        (-3, "minus three"),
    ],
)
def test_whole_numbers(number, words):
    assert spell(number) == words


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (22.5, "twenty-two point five"),
        (2.5, "two point five"),
        (0.5, "zero point five"),
        (2.05, "two point zero five"),
        (4.25, "four point two five"),
        (-2.5, "minus two point five"),
        (7.0, "seven"),
    ],
)
def test_decimals_are_said_digit_by_digit(number, words):
    assert spell(number) == words


def test_what_the_workout_says():
    assert say_number(22.5) == "twenty-two point five"
    assert say_number(10.0) == "ten"
    assert say_number(2.499999) == "two point five"  # rounded to two places first
    assert say_weight(1, "lb") == "one pound"
    assert say_weight(22.5, "kg") == "twenty-two point five kilograms"


@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_every_word_is_a_number_word(number):
    words = spell(number).replace(",", "").replace("-", " ").split()
    allowed = set(ONES) | {"and", "hundred", "thousand", "million", "billion"}
    allowed |= {"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}
    assert words and set(words) <= allowed
    assert spell(number) != spell(number + 1)


@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=1, max_value=99))
def test_the_point_reads_the_hundredths(whole, hundredths):
    number = round(whole + hundredths / 100, 2)
    head, _, tail = spell(number).partition(" point ")
    assert head == spell(whole)
    assert tail == " ".join(ONES[int(d)] for d in repr(number).split(".")[1])
