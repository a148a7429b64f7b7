"""The values the workout's state machine works with: where a person is (``Place``), what
they did (``Event``), what to say (``Say``), what to keep (``Effect``) and the outcome of one
event (``Step``). Plain data: no framework, no database."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace

from skill.content.model import Program

STAGES = ("ready", "set", "resume", "check_set", "confirm_done", "mode", "confirm")
MODES = ("counted", "self")


@dataclass(frozen=True)
class Place:
    """Where a person is in a workout, and what was last asked.

    ``said`` counts how often each varied line was said, so the next one differs;
    ``done_sets`` counts sets logged; ``switch_to`` is the program a "start over" asks about;
    ``asked`` is the question just asked (a ``Say`` as a dict), so that help, repeat and
    anything not understood ask the very same question again; ``claimed`` holds the numbers
    of a set someone said was done before it began, while the skill asks whether it was.
    """

    id: str
    program: str
    ex: int
    set: int
    stage: str
    started: str
    mode: str | None = None
    said: dict = field(default_factory=dict)
    told_skip: bool = False
    done_sets: int = 0
    switch_to: str | None = None
    asked: dict | None = None
    claimed: dict | None = None

    @classmethod
    def new(cls, program: Program, started: str, mode: str | None) -> Place:
        return cls(uuid.uuid4().hex[:12], program.id, 0, 0, "ready", started, mode)

    def at(self, **changes) -> Place:
        return replace(self, **changes)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "program": self.program,
            "ex": self.ex,
            "set": self.set,
            "stage": self.stage,
            "started": self.started,
            "mode": self.mode,
            "said": dict(self.said),
            "told_skip": self.told_skip,
            "done_sets": self.done_sets,
            "switch_to": self.switch_to,
            "asked": self.asked,
            "claimed": self.claimed,
        }

    @classmethod
    def from_dict(cls, raw, programs: dict[str, Program]) -> Place | None:
        """A place from stored or client-sent data, or None if it is not valid."""
        if not isinstance(raw, dict):
            return None
        try:
            place = cls(**{k: raw[k] for k in ("id", "program", "ex", "set", "stage", "started")})
        except (KeyError, TypeError):
            return None
        program = programs.get(place.program) if isinstance(place.program, str) else None
        if (
            program is None
            or not isinstance(place.id, str)
            or not isinstance(place.started, str)
            or place.stage not in STAGES
            or not _whole(place.ex)
            or not _whole(place.set)
            or not place.ex < len(program.exercises)
            or not place.set < program.exercises[place.ex].sets
        ):
            return None
        said = raw.get("said") if isinstance(raw.get("said"), dict) else {}
        kept = {k: v for k, v in said.items() if isinstance(k, str) and _whole(v)}
        switch_to = raw.get("switch_to")
        return place.at(
            mode=raw.get("mode") if raw.get("mode") in MODES else None,
            said=kept,
            told_skip=raw.get("told_skip") is True,
            done_sets=raw["done_sets"] if _whole(raw.get("done_sets")) else 0,
            switch_to=switch_to if isinstance(switch_to, str) and switch_to in programs else None,
            asked=_said(raw.get("asked")),
            claimed=_claimed(raw.get("claimed")),
        )


def _said(raw) -> dict | None:
    """A question as kept: a line key and plain fields, or None."""
    if not isinstance(raw, dict) or not isinstance(raw.get("key"), str):
        return None
    fields = raw.get("fields")
    if not isinstance(fields, dict) or not all(
        isinstance(k, str) and (v is None or isinstance(v, str | int | float))
        for k, v in fields.items()
    ):
        return None
    return {"key": raw["key"], "fields": dict(fields)}


def _claimed(raw) -> dict | None:
    """The numbers of a set said to be done before it began, or None."""
    if not isinstance(raw, dict):
        return None
    reps, weight, unit = raw.get("reps"), raw.get("weight"), raw.get("unit")
    number = (int, float)
    return {
        "reps": reps if isinstance(reps, number) and not isinstance(reps, bool) else None,
        "weight": weight if isinstance(weight, number) and not isinstance(weight, bool) else None,
        "unit": unit if unit in ("kg", "lb") else None,
    }


def _whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


@dataclass(frozen=True)
class Event:
    """What the person did. ``kind`` is one of ``Flow.EVENTS``."""

    kind: str
    reps: float | None = None
    weight: float | None = None
    unit: str | None = None
    program: str | None = None
    mode: str | None = None


@dataclass(frozen=True)
class Say:
    key: str
    fields: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Effect:
    """Something to keep: "begin", "record" (a set, in ``entry``), "save", "finish",
    "mode" (remember the person's choice of counted or self-paced sets)."""

    kind: str
    entry: dict | None = None


@dataclass(frozen=True)
class Step:
    """The outcome of one event: the new place (None: no workout in this session).
    ``again``: the question is asked again after other words, so only the question itself
    is said, not the words that led up to it the first time."""

    place: Place | None
    says: list[Say]
    ask: Say | None = None
    effects: list[Effect] = field(default_factory=list)
    end: bool = False
    again: bool = False
