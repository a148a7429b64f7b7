"""Rules for text Alexa reads aloud: say numbers and units in words, keep lists short.

Alexa's text-to-speech reads digits, "%" and abbreviations in ways a listener may not
catch ("kg", "1RM"), may spell an all-capitals name letter by letter, and a list of more
than three things is hard to follow by ear. Cards are read on screen and are not checked.
``{placeholder}`` fields, filled in at run time, are not text and are skipped.

No library does this for spoken English, so the rules are a few regular expressions.
"""

from __future__ import annotations

import re

MAX_LIST_ITEMS = 3
MAX_ITEM_WORDS = 8
MAX_WORDS_BEFORE_LAST_JOIN = 5

UNIT_ABBREVIATIONS = frozenset(
    {"kg", "kgs", "lb", "lbs", "oz", "g", "mg", "mcg", "µg", "iu", "cm", "mm", "km", "ml"}
    | {"min", "mins", "sec", "secs", "hr", "hrs", "mph", "kcal"}
)

_PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
_TOKEN = re.compile(r"[A-Za-zµ]+(?:['’][A-Za-z]+)*")
_DIGIT = re.compile(r"\d")
_ONE_REP_MAX = re.compile(r"\d\s*-?\s*RM\b|\bRM\b")
_ALL_CAPITALS = re.compile(r"\b[A-Z]{4,}\b")
_NUMBER_WORD = (
    r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|"
    r"forty|fifty|sixty|seventy|eighty|ninety|hundred)"
)
_SPOKEN_DECIMAL_PERCENT = re.compile(
    rf"\b{_NUMBER_WORD}\s+point\s+{_NUMBER_WORD}(?:[\s-]+{_NUMBER_WORD})*\s+percent\b",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r"[.?!;:]+(?:\s+|$)")
_LEAD_IN = frozenset(
    {"if", "when", "with", "for", "in", "to", "after", "before", "because", "as", "while"}
    | {"once", "unless", "since", "although", "though", "at", "on", "during"}
    | {"by", "from", "without"}
)
_SUBJECT = re.compile(
    r"^(?:and|or)\s+(?:i|we|you|it|they|he|she|that|this|there)(?:['’]\w+)?\b", re.IGNORECASE
)
_JOIN = re.compile(r"\s(and|or)\s", re.IGNORECASE)
_NUMBER = re.compile(rf"^{_NUMBER_WORD}$", re.IGNORECASE)
_OPENS_LIST = re.compile(r"\b(?:such as|like|including|for example)\s+\S", re.IGNORECASE)
_ANNOUNCES_LIST = re.compile(r"\b(?:like|such as|including|include|includes)$", re.IGNORECASE)


def _last_item(segment: str) -> int:
    """Items the segment adds as the end of a list: 1 ("and toe touches"), 2 ("lunges and
    step-ups"), or 0 when it is not a list's end (a new clause, "two or three", a long phrase)."""
    words = segment.split()
    if words and words[0].lower() in ("and", "or"):
        return 0 if _SUBJECT.match(segment) else 1
    match = _JOIN.search(f" {segment} ")
    if match is None or words[0].lower() in _LEAD_IN:
        return 0
    before = segment[: max(match.start() - 1, 0)].split()
    after = segment[match.end() - 1 :].split()
    if len(before) > MAX_WORDS_BEFORE_LAST_JOIN or not before or not after:
        return 0
    if _NUMBER.match(before[-1]) and _NUMBER.match(after[0]):
        return 0
    return 2


def list_items(clause: str) -> int:
    """How many items the comma-separated list in ``clause`` has (0 when there is none).

    A list is a run of short comma-separated segments that ends in "and" or "or":
    "milk, yogurt, cheese and beans" or "sit-ups, crunches, and toe touches". The run stops
    at a lead-in that opens the sentence ("If your bones are fragile", "For your hips") or
    announces the list ("Good foods include"), after a segment that holds the first item
    ("such as oily fish", "with a sturdy chair"), or at a segment longer than
    ``MAX_ITEM_WORDS``. So a first item buried in a long lead-in is not counted, and a
    short clause just before a list is counted as an item: reword such a sentence.
    """
    segments = [s.strip() for s in clause.split(",") if s.strip()]
    last, items = None, 0
    for index in range(len(segments) - 1, 0, -1):
        items = _last_item(segments[index])
        if items:
            last = index
            break
    if last is None:
        return 0
    for index in range(last - 1, -1, -1):
        segment = segments[index]
        words = segment.split()
        opening = words[0].lower()
        if (
            len(words) > MAX_ITEM_WORDS
            or (index == 0 and opening in _LEAD_IN)
            or opening in ("and", "or")
            or _ANNOUNCES_LIST.search(segment)
        ):
            break
        items += 1
        if opening in _LEAD_IN or _OPENS_LIST.search(segment):
            break
    return items


def problems(text: str) -> list[str]:
    """What a listener would mishear in ``text``, one message per rule broken."""
    plain = _PLACEHOLDER.sub(" ", text)
    found: list[str] = []
    if _ONE_REP_MAX.search(plain):
        found.append("says '1RM': say 'the most you could lift once' or 'one-rep max'")
    if _DIGIT.search(plain):
        found.append("has digits: write numbers as words")
    if "%" in plain:
        found.append("has '%': say 'percent'")
    if _SPOKEN_DECIMAL_PERCENT.search(plain):
        found.append("has a percentage with a decimal: round it ('nearly three percent')")
    units = sorted({t for t in _TOKEN.findall(plain) if t.lower() in UNIT_ABBREVIATIONS})
    if units:
        found.append(f"has unit abbreviations ({', '.join(units)}): say the unit in full")
    capitals = sorted(set(_ALL_CAPITALS.findall(plain)))
    if capitals:
        found.append(
            f"has {', '.join(capitals)} in capitals, which Alexa may spell out: "
            "write it as words or describe it"
        )
    for clause in _CLAUSE_END.split(plain):
        items = list_items(clause)
        if items > MAX_LIST_ITEMS:
            found.append(
                f"lists {items} things in one breath (at most {MAX_LIST_ITEMS}; "
                f"put the rest on the card): '{clause.strip()[:60]}...'"
            )
    return found
