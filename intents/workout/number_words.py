"""Numbers in English words, as Alexa should say them: 22.5 -> "twenty-two point five".

Written here rather than taken from a library: ``num2words`` (every release) requires
``docopt``, which PyPI has only as a source archive, so it cannot be installed for another
platform from wheels, as the Lambda bundle is; ``inflect`` installs from wheels but takes
about 1.5 s to import (``typeguard`` instruments it), three times the skill's whole cold
start. The words follow num2words' English: "one hundred and five", "one thousand, two
hundred", "one million and one", digits after the point one by one.
"""

from __future__ import annotations

ONES = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
)  # fmt: skip
TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
SCALES = ("", "thousand", "million", "billion", "trillion")


def _under_hundred(n: int) -> str:
    if n < 20:
        return ONES[n]
    tens, ones = divmod(n, 10)
    return TENS[tens] + (f"-{ONES[ones]}" if ones else "")


def _under_thousand(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    if not hundreds:
        return _under_hundred(rest)
    words = f"{ONES[hundreds]} hundred"
    return f"{words} and {_under_hundred(rest)}" if rest else words


def _whole(n: int) -> str:
    if n < 1000:
        return _under_thousand(n)
    if n >= 1000 ** len(SCALES):  # past the trillions: digit by digit
        return " ".join(ONES[int(digit)] for digit in str(n))
    groups = []
    rest = n
    while rest:
        rest, group = divmod(rest, 1000)
        groups.append(group)
    parts = [
        f"{_under_thousand(group)} {SCALES[i]}".rstrip()
        for i, group in reversed(list(enumerate(groups)))
        if group
    ]
    if groups[0] and groups[0] < 100 and len(parts) > 1:
        return ", ".join(parts[:-1]) + " and " + parts[-1]
    return ", ".join(parts)


def spell(number: int | float) -> str:
    """``number`` in words; a float keeps the digits after the point that its repr shows."""
    if number < 0:
        return f"minus {spell(-number)}"
    if isinstance(number, int) or float(number).is_integer():
        return _whole(int(number))
    whole, _, fraction = repr(float(number)).partition(".")
    if "e" in fraction or "e" in whole:
        return _whole(round(number))
    return f"{_whole(int(whole))} point " + " ".join(ONES[int(d)] for d in fraction)
