"""Words as Alexa hears them: normalising typed text, numbers, and built-in phrasings.

Shared by the exact tier (``nlu``), the statistical tier's training (``training``) and its
slot filling (``slot_filling``).
"""

from __future__ import annotations

import re

FALLBACK = "AMAZON.FallbackIntent"
NUMBER = "AMAZON.NUMBER"
TIME = "AMAZON.TIME"

BUILT_IN_PHRASES = {
    "AMAZON.StopIntent": ("stop", "stop it", "shut up", "off", "be quiet"),
    "AMAZON.CancelIntent": ("cancel", "never mind", "forget it"),
    "AMAZON.HelpIntent": (
        "help",
        "help me",
        "what can i say",
        "what can you do",
        "i need help",
        "can you help me",
    ),
    "AMAZON.NextIntent": ("next", "skip ahead", "next one", "move on"),
    "AMAZON.PreviousIntent": ("previous", "go back", "back", "last one", "go back one", "back up"),
    "AMAZON.RepeatIntent": (
        "repeat",
        "say that again",
        "repeat that",
        "what did you say",
        "come again",
        "pardon",
    ),
    "AMAZON.YesIntent": (
        "yes",
        "yeah",
        "yep",
        "sure",
        "ok",
        "okay",
        "yes please",
        "sounds good",
        "ready",
        "i'm ready",
        "let's go",
    ),
    "AMAZON.NoIntent": ("no", "nope", "no thanks", "not yet", "not now"),
    "AMAZON.PauseIntent": ("pause", "pause that", "hold on", "wait", "pause the workout"),
    "AMAZON.ResumeIntent": ("resume", "continue", "carry on", "keep going", "go on"),
    "AMAZON.StartOverIntent": ("start over", "start again", "restart", "from the beginning"),
    "AMAZON.NavigateHomeIntent": ("go home", "home"),
}
ALWAYS_BUILT_IN = frozenset({"stop", "cancel", "help"})

_QUOTES = str.maketrans("\u2019\u2018`\u00b4", "''''")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")
_DECIMAL = re.compile(r"(?<=\d)\.(?=\d)")
_SPELLED = re.compile(r"(?<![\w'])(?:[a-z]\.\s*){2,}")
_DIGIT_LETTER = re.compile(r"(?<=\d)(?=[a-z])")
_STRAY_APOSTROPHE = re.compile(r"(?<!\w)'|'(?!\w)")
_OTHER = re.compile(r"[^\w'\x00]|_")
_LETTER_DOT = re.compile(r"(?<=\b[a-z])\.")

_UNITS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = [
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_SMALL = {"zero": 0, **{w: i for i, w in enumerate(_UNITS + _TEENS, 1)}}
_SMALL.update({w: 10 * i for i, w in enumerate(_TENS, 2)})
_DIGITS = {"zero": "0", "oh": "0", **{w: str(i) for i, w in enumerate(_UNITS, 1)}}
#: Every word a spoken number up to 999 is made of.
NUMBER_WORDS = frozenset([*_SMALL, "hundred", "point", "oh"])


def _any(words: list[str]) -> str:
    return "(?:" + "|".join(words) + ")"


_BELOW_100 = f"(?:{_any(_TENS)}(?: {_any(_UNITS)})?|{_any(_TEENS)}|{_any(_UNITS)})"
_WHOLE = f"(?:(?:a|{_any(_UNITS)}) hundred(?:(?: and)? {_BELOW_100})?|{_BELOW_100}|zero)"
_POINT = f"point(?: {_any(list(_DIGITS))})+"
NUMBER_RE = rf"(?:\d+(?:\.\d+)?|{_WHOLE}(?: {_POINT})?|{_POINT})"


def normalise(text: str) -> str:
    """Lower-case words, as Alexa hears them: no punctuation but in-word apostrophes,
    decimal points and the periods of spoken letters ("r. d. l.")."""
    text = text.lower().translate(_QUOTES)
    text = _THOUSANDS.sub("", text)
    text = _DECIMAL.sub("\x00", text)
    text = _SPELLED.sub(_spelled, text)
    text = _DIGIT_LETTER.sub(" ", text)
    text = _STRAY_APOSTROPHE.sub("", text)
    text = _OTHER.sub(" ", text)
    return " ".join(text.split()).replace("\x00", ".")


def _spelled(letters: re.Match) -> str:
    return " ".join(c + "\x00" for c in re.findall(r"[a-z]", letters[0])) + " "


def key(text: str) -> str:
    """Compare spoken letters with or without their periods."""
    return _LETTER_DOT.sub("", text)


def words_pattern(text: str) -> str:
    """A normalised phrase as a regex; a single letter may carry a period or not."""
    return " ".join(
        re.escape(w[0]) + r"\.?" if len(w.rstrip(".")) == 1 and w[0].isalpha() else re.escape(w)
        for w in text.split()
    )


def number_value(words: str) -> str:
    """Digits, or number words up to 999 ("a hundred and five", "two point five"), as digits."""
    if words[0].isdigit():
        return words
    whole, _, decimals = words.partition("point")
    value = 0
    for word in whole.split():
        if word == "a":
            value = 1
        elif word == "hundred":
            value = (value or 1) * 100
        elif word in _SMALL:
            value += _SMALL[word]
    digits = "".join(_DIGITS[w] for w in decimals.split())
    return f"{value}.{digits}" if digits else str(value)


_HOUR_WORDS = [*_UNITS, "ten", "eleven", "twelve"]
_HOUR = rf"(?:{_any(_HOUR_WORDS)}|[01]?\d|2[0-3])"
_MINUTE_WORDS = rf"(?:oh {_any(_UNITS)}|{_any(_TEENS)}|{_any(_TENS[:4])}(?: {_any(_UNITS)})?)"
_MINUTE = rf"(?:{_MINUTE_WORDS}|[0-5]\d)"
_MERIDIEM = r"(?:a\.? m\.?|p\.? m\.?|am|pm|in the morning|in the afternoon|in the evening|at night|tonight)"
_PARTS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "tonight": "NI"}
#: What ``AMAZON.TIME`` hears: "nine", "nine thirty", "half past six", "seven p. m.",
#: "eight in the evening", "noon", or a part of the day ("in the morning").
TIME_RE = (
    r"(?:noon|midday|midnight"
    rf"|(?:half past|quarter past|quarter to) {_HOUR}(?: {_MERIDIEM})?"
    rf"|{_HOUR}(?: {_MINUTE})?(?: o'clock)?(?: {_MERIDIEM})?"
    r"|(?:in the |this )?(?:morning|afternoon|evening)|at night|tonight)"
)


def _hour(word: str) -> int:
    return int(word) if word.isdigit() else _HOUR_WORDS.index(word) + 1


def time_value(words: str) -> str:
    """An ``AMAZON.TIME`` value as Alexa sends it: "09:00", "18:30", or "MO", "AF", "EV",
    "NI" for a part of the day. A bare hour is taken as said ("nine" is 09:00)."""
    text = " ".join(words.replace(".", " ").split())
    if text in ("noon", "midday"):
        return "12:00"
    if text == "midnight":
        return "00:00"
    for part, code in _PARTS.items():
        if text in (part, f"in the {part}", f"this {part}", f"at {part}"):
            return code
    later = any(m in text for m in ("p m", "pm", "afternoon", "evening", "night", "tonight"))
    earlier = any(m in text for m in ("a m", "am", "morning"))
    tokens = text.replace("o'clock", "").split()
    minute = 0
    if tokens[:2] in (["half", "past"], ["quarter", "past"], ["quarter", "to"]):
        hour = _hour(tokens[2])
        minute = {"half": 30, "past": 15}.get(tokens[0], 15)
        if tokens[:2] == ["quarter", "to"]:
            hour, minute = (hour - 1) % 24 or 12, 45
    else:
        hour = _hour(tokens[0])
        rest = [t for t in tokens[1:] if t not in ("a", "m", "p", "am", "pm", "in", "the", "at")]
        rest = [t for t in rest if t not in _PARTS and t != "oh"]
        if rest and rest[0].isdigit():
            minute = int(rest[0])
        elif rest:
            minute = int(number_value(" ".join(rest)))
    if later and hour < 12:
        hour += 12
    if earlier and hour == 12:
        hour = 0
    return f"{hour % 24:02d}:{minute % 60:02d}"
