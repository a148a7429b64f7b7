"""Slots for an utterance no sample matched: values found in the words, placed by context.

Custom slot values and synonyms are found anywhere in the utterance (longest first), and
numbers from digits or words. When an intent has several slots of one type (reps and weight
are both numbers), each number goes to the slot whose neighbouring words in the intent's
samples it shares: "with ten pounds" puts ten where samples say "with {Weight} {Unit}".
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from .phrases import NUMBER, NUMBER_RE, TIME, TIME_RE, normalise

_SLOT = re.compile(r"\{(\w+)\}")
_NUMBERS = re.compile(rf"(?<!\S){NUMBER_RE}(?!\S)")
_TIMES = re.compile(rf"(?<!\S){TIME_RE}(?!\S)")


@dataclass(frozen=True)
class Span:
    """Words in the utterance that can fill a slot of ``slot_type``."""

    slot_type: str
    said: str
    start: int
    end: int


class SlotFiller:
    """Learns each slot's neighbouring words from the samples; fills slots by them."""

    def __init__(self, lm: dict, type_patterns: dict[str, str]):
        # A value may carry a possessive: "my arm's gone weak" names the arm.
        self._finders = {
            name: re.compile(rf"(?<!\S)(?:{pattern})(?=(?:'s)?(?!\S))")
            for name, pattern in type_patterns.items()
            if pattern
        }
        self._slots: dict[str, dict[str, str]] = {}
        self._before: dict[tuple[str, str], Counter] = defaultdict(Counter)
        self._after: dict[tuple[str, str], Counter] = defaultdict(Counter)
        self._uses: Counter = Counter()
        for intent in lm["intents"]:
            types = {s["name"]: s["type"] for s in intent.get("slots", [])}
            self._slots[intent["name"]] = types
            for sample in intent.get("samples", []):
                self._learn(intent["name"], types, sample)

    def _learn(self, intent: str, types: dict[str, str], sample: str) -> None:
        tokens: list[str] = []
        places: list[tuple[int, str]] = []
        for raw in sample.split():
            slot = _SLOT.fullmatch(raw)
            if slot:
                places.append((len(tokens), slot[1]))
                tokens.append("{" + types.get(slot[1], "") + "}")
            else:
                tokens += normalise(raw).split()
        for index, name in places:
            self._uses[(intent, name)] += 1
            # The start and the end of a sample are neighbours too ("" as the utterance's
            # own edges are): "just the four" ends on its reps, as "{Reps}" samples do.
            self._before[(intent, name)][tokens[index - 1] if index > 0 else ""] += 1
            self._after[(intent, name)][tokens[index + 1] if index + 1 < len(tokens) else ""] += 1

    def spans(self, text: str, slot_types: set[str]) -> list[Span]:
        """Every place in ``text`` that says a value of one of ``slot_types``."""
        found = []
        for slot_type in slot_types:
            finder = {NUMBER: _NUMBERS, TIME: _TIMES}.get(slot_type) or self._finders.get(slot_type)
            if finder:
                found += [Span(slot_type, m[0], m.start(), m.end()) for m in finder.finditer(text)]
        return sorted(found, key=lambda s: (s.start, -s.end))

    def fill(self, text: str, intent: str) -> dict[str, str]:
        """Slot name -> the words that fill it, for the slots of ``intent`` found in ``text``."""
        types = self._slots.get(intent, {})
        if not types:
            return {}
        spans = self._joined(self._without_overlaps(self.spans(text, set(types.values()))), types)
        filled: dict[str, str] = {}
        for span in spans:
            candidates = [n for n, t in types.items() if t == span.slot_type and n not in filled]
            if not candidates:
                continue
            before, after = self._neighbours(text, span, spans)
            best = max(
                candidates,
                key=lambda n: (
                    self._before[(intent, n)][before] + self._after[(intent, n)][after],
                    self._uses[(intent, n)],
                ),
            )
            filled[best] = span.said or text[span.start : span.end]
        return filled

    @staticmethod
    def _joined(spans: list[Span], types: dict[str, str]) -> list[Span]:
        """Several values of a type the intent has one slot for ("terrible vertigo") fill it
        as one run of words, as a sample's slot takes the words between its neighbours."""
        single = {t for t in types.values() if list(types.values()).count(t) == 1}
        out: list[Span] = []
        for span in spans:
            last = out[-1] if out else None
            if (
                last is not None
                and last.slot_type == span.slot_type
                and span.slot_type in single
                and span.start - last.end <= 16
            ):
                out[-1] = Span(span.slot_type, "", last.start, span.end)
            else:
                out.append(span)
        return out

    @staticmethod
    def _without_overlaps(spans: list[Span]) -> list[Span]:
        kept: list[Span] = []
        for span in spans:
            if not kept or span.start >= kept[-1].end:
                kept.append(span)
        return kept

    @staticmethod
    def _neighbours(text: str, span: Span, spans: list[Span]) -> tuple[str, str]:
        """The word (or ``{TYPE}`` of a found value) just before and just after ``span``."""
        marks = {s.start: s for s in spans}
        ends = {s.end: s for s in spans}
        left = text[: span.start].rstrip()
        right = text[span.end :].lstrip()
        before = left.split()[-1] if left else ""
        if len(left) in ends:
            before = "{" + ends[len(left)].slot_type + "}"
        after = right.split()[0] if right else ""
        next_start = len(text) - len(right)
        if next_start in marks and right:
            after = "{" + marks[next_start].slot_type + "}"
        return before, after
