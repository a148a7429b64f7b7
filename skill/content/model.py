"""The content model: what the skill can say, as typed, frozen values.

``skill.content.loader`` makes them from ``content/``, checked against
``content/schema.json`` and the speech rules; nothing here reads files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class ContentError(Exception):
    """Content that must not be served; ``problems`` name the file, entry and field."""

    def __init__(self, problems: list[str]):
        super().__init__("content is invalid:\n  " + "\n  ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Card:
    title: str
    text: str


@dataclass(frozen=True)
class Answer:
    speech: str
    follow_up: str
    card: Card
    sources: tuple[str, ...]
    more: str


@dataclass(frozen=True)
class Topic:
    id: str
    intent: str
    answer: Answer
    slot: str | None = None
    variants: dict[str, Answer] = field(default_factory=dict)
    pauses_workout: bool = False

    def pick(self, value_id: str | None) -> tuple[str | None, Answer]:
        """The variant for a resolved slot value id, or the general answer."""
        if value_id and value_id in self.variants:
            return value_id, self.variants[value_id]
        return None, self.answer


@dataclass(frozen=True)
class Source:
    id: str
    authors: str
    year: int
    title: str
    journal: str
    spoken: str
    pmid: str | None = None
    doi: str | None = None
    url: str | None = None

    def reference(self) -> str:
        """The full reference, as printed on a card."""
        ids = [f"PMID {self.pmid}" if self.pmid else "", f"doi:{self.doi}" if self.doi else ""]
        ids.append(self.url or "")
        return f"{self.authors} ({self.year}). {self.title}. {self.journal}. " + ", ".join(
            i for i in ids if i
        )


@dataclass(frozen=True)
class Prompt:
    speech: str
    follow_up: str | None = None


@dataclass(frozen=True)
class Exercise:
    id: str
    name: str
    sets: int
    reps: tuple[int, int]
    rest_seconds: int
    load: str
    cue: str
    loads: tuple[str, ...]
    sources: tuple[str, ...]
    safety: str | None = None
    per_side: bool = False


@dataclass(frozen=True)
class Program:
    id: str
    name: str
    slot_value: str
    summary: str
    minutes: int
    audience: str
    exercises: tuple[Exercise, ...]
    safety: str | None = None
    go_ahead: Prompt | None = None

    @property
    def total_sets(self) -> int:
        return sum(e.sets for e in self.exercises)


@dataclass(frozen=True)
class SymptomKind:
    """What to say for one kind of warning sign, how serious it is, and what to ask before
    training again. ``covers``: the kinds whose advice these words include. ``warning``:
    False for a feeling that is not a warning sign (tired muscles)."""

    speech: str
    severity: int
    label: str
    held_question: str
    covers: tuple[str, ...]
    warning: bool = True


@dataclass(frozen=True)
class Symptom:
    """A symptom slot value: its kind of help, the hold's label, and the kinds it takes with
    particular body parts (numbness in an arm is a stroke sign; in a hand it is unclear)."""

    kind: str
    label: str
    with_body_part: dict[str, str] = field(default_factory=dict)
    body_part_decides: bool = False


@dataclass(frozen=True)
class Safety:
    """Warning signs (``content/safety.json``): slot value ids to kinds, and their words."""

    emergency_numbers: dict[str, str]
    kinds: dict[str, SymptomKind]
    symptoms: dict[str, Symptom]
    body_parts: dict[str, tuple[str, str]]
    without_symptom: str

    def emergency_number(self, locale: str | None) -> str:
        return self.emergency_numbers.get(locale or "", self.emergency_numbers["en-US"])


@dataclass(frozen=True)
class Progression:
    """The load progression rule (``content/workout.json``, ``progression``)."""

    sessions_at_top: int
    largest_step: float
    largest_jump: float
    smallest_step: dict[str, float]
    most_reps: int
    sessions_missed: int
    lighter_by: float
    supervision_above: float
    sources: tuple[str, ...]


@dataclass(frozen=True)
class RestRule:
    """How rests are said (``content/workout.json``, ``rest``)."""

    longest_spoken_seconds: int
    break_seconds: int


@dataclass(frozen=True)
class OneRepMaxRule:
    """The one-rep-max estimate (``content/workout.json``, ``one_rep_max``)."""

    formula: str
    working_reps: tuple[int, int]
    reliable_up_to_reps: int


#: A workout line: plain text, variants, or a line that asks a question.
Line = str | tuple[str, ...] | Prompt


@dataclass(frozen=True)
class Content:
    topics: dict[str, Topic]
    sources: dict[str, Source]
    messages: dict[str, Prompt]
    programs: dict[str, Program]
    workout: dict[str, Any]
    safety: Safety
    lines: dict[str, Line]
    progression: Progression
    rest: RestRule
    one_rep_max: OneRepMaxRule
    by_intent: dict[str, Topic] = field(init=False)
    by_program_slot: dict[str, Program] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_intent", {t.intent: t for t in self.topics.values()})
        object.__setattr__(
            self, "by_program_slot", {p.slot_value: p for p in self.programs.values()}
        )

