"""Training rows for the statistical tier: the model's samples with their slots filled in.

Alexa trains on the samples and the slot values together; so does the simulator. Each sample
with slots becomes a few phrases, its slots filled with values and synonyms of their types
(taken in turn, so that different samples show different values) and numbers said in words
or digits. The model has no sample that is only a slot, yet the skill asks for some values
by name ("Which program?"): a value of such a type said on its own is learned for the one
intent whose samples take the type, as Alexa learns slot values with the samples. Built-in
intents learn the phrasings the simulator already knows for them, and
``AMAZON.FallbackIntent`` learns a list of requests meant for other skills
(``out_of_domain.txt``), as Amazon's own fallback model is trained on out-of-domain speech.
"""

from __future__ import annotations

import re
from pathlib import Path

from .phrases import BUILT_IN_PHRASES, FALLBACK, NUMBER, NUMBER_RE, TIME, normalise

OUT_OF_DOMAIN_FILE = Path(__file__).with_name("out_of_domain.txt")
FILLS_PER_SAMPLE = 3
NUMBER_WORDS = (
    "ten",
    "twelve",
    "two",
    "eight",
    "twenty five",
    "fifteen",
    "three",
    "5",
    "thirty",
    "two point five",
    "one",
    "six",
    "forty",
    "twenty",
    "four",
    "100",
)
TIME_WORDS = (
    "nine",
    "seven thirty",
    "six p. m.",
    "eight in the morning",
    "half past five",
    "ten",
    "quarter past nine",
    "six in the evening",
    "ten a. m.",
    "four in the afternoon",
    "eight o'clock",
    "noon",
)
_SLOT = re.compile(r"\{(\w+)\}")
NUMBER_ALONE = re.compile(NUMBER_RE)
#: Slot types whose values are said alone: answers to a question the skill asks by name, and
#: warning signs, which people say as a whole sentence ("the room's spinning"). With the
#: intent that takes them when more than one intent has the type (None: only when one intent
#: alone has it).
ANSWER_TYPES: dict[str, str | None] = {
    "PROGRAM": None,
    "EXERCISE": "IsExerciseGoodIntent",
    "SET_MODE": None,
    "DIFFICULTY": None,
    "SYMPTOM": None,
    TIME: "SetReminderIntent",
}


def out_of_domain_lines() -> list[str]:
    """Requests for other skills: one a line, ``#`` starts a comment."""
    lines = OUT_OF_DOMAIN_FILE.read_text(encoding="utf-8").splitlines()
    return [normalise(line) for line in lines if line.strip() and not line.startswith("#")]


def spoken_values(lm: dict) -> dict[str, list[str]]:
    """Slot type -> every way a value is said (names, then synonyms), normalised."""
    out = {}
    for slot_type in lm.get("types", []):
        names = [v["name"]["value"] for v in slot_type.get("values", [])]
        synonyms = [s for v in slot_type.get("values", []) for s in v["name"].get("synonyms", [])]
        out[slot_type["name"]] = [normalise(w) for w in names + synonyms]
    return out


def rows(lm: dict) -> list[tuple[str, str]]:
    """(phrase, intent) for every sample, built-in phrasing and out-of-domain line."""
    values = spoken_values(lm)
    values[NUMBER] = list(NUMBER_WORDS)
    values[TIME] = list(TIME_WORDS)
    out: list[tuple[str, str]] = []
    turn = 0
    names = {i["name"] for i in lm["intents"]}
    for intent in lm["intents"]:
        types = {s["name"]: s["type"] for s in intent.get("slots", [])}
        for sample in intent.get("samples", []):
            refs = _SLOT.findall(sample)
            slot_only = bool(refs) and not _SLOT.sub("", sample).strip()
            fills = len(values.get(types[refs[0]], ())) if slot_only else FILLS_PER_SAMPLE
            for _ in range(max(fills, 1) if refs else 1):
                turn += 1
                out.append((normalise(_fill(sample, types, values, turn)), intent["name"]))
    out += _values_alone(lm, values)
    for intent, phrases in BUILT_IN_PHRASES.items():
        if intent in names:
            out += [(normalise(p), intent) for p in phrases]
    if FALLBACK in names:
        out += [(line, FALLBACK) for line in out_of_domain_lines()]
    return list(dict.fromkeys(out))


def _values_alone(lm: dict, values: dict) -> list[tuple[str, str]]:
    """Each value of an answer type that one intent alone takes, said alone, for it."""
    takers: dict[str, set[str]] = {}
    for intent in lm["intents"]:
        types = {s["name"]: s["type"] for s in intent.get("slots", [])}
        for sample in intent.get("samples", []):
            for ref in _SLOT.findall(sample):
                takers.setdefault(types[ref], set()).add(intent["name"])
    answered = {
        slot_type: ANSWER_TYPES[slot_type] or next(iter(intents))
        for slot_type, intents in takers.items()
        if slot_type in ANSWER_TYPES and (len(intents) == 1 or ANSWER_TYPES[slot_type] in intents)
    }
    return [
        (said, intent)
        for slot_type, intent in answered.items()
        for said in values[slot_type]
        if not NUMBER_ALONE.fullmatch(said)  # "nine" alone is a number: a count, or an hour
    ]


def _fill(sample: str, types: dict, values: dict, turn: int) -> str:
    """The sample with slot ``{Name}`` said as the ``turn``-th way its type is said."""

    def said(ref: re.Match) -> str:
        ways = values.get(types.get(ref[1], ""), ()) or ("something",)
        return ways[(turn + sum(map(ord, ref[1]))) % len(ways)]

    return _SLOT.sub(said, sample)
