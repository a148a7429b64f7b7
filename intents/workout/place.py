"""The values the workout's state machine works with: where a person is (``Place``), what
they did (``Event``), what to say (``Say``), what to keep (``Effect``) and the outcome of one
event (``Step``). Plain data: no framework, no database."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from skill.content.model import Program


class Stage(StrEnum):
    """Where in a workout a person is, and so what was asked."""

    READY = "ready"  # asked "ready for the set?"
    SET = "set"  # a set announced: counted and asked "how many?", or self-paced
    RESUME = "resume"  # back after a break: "shall we carry on?"
    CHECK_SET = "check_set"  # back after a drop mid-set: "did you finish set one?"
    CONFIRM_DONE = "confirm_done"  # "done" before the set began: "did you already do it?"
    MODE = "mode"  # "shall I count with you?"
    CONFIRM = "confirm"  # asked before starting over


class Mode(StrEnum):
    """How a set is done: counted with the person, or at their own pace."""

    COUNTED = "counted"
    SELF = "self"


class EventKind(StrEnum):
    """What the person did, as the flow hears it (meanings, see ``intents/meaning.py``)."""

    GO = "go"
    NOT_YET = "not_yet"
    CLAIM = "claim"
    DONE = "done"
    NOT_DONE = "not_done"
    RESTART = "restart"
    KEEP_GOING = "keep_going"
    KEEP_FOR_LATER = "keep_for_later"
    CHOOSE_MODE = "choose_mode"
    MODE = "mode"
    PREVIOUS = "previous"
    SKIP = "skip"
    START_OVER = "start_over"
    REPEAT = "repeat"
    HELP = "help"
    PAUSE = "pause"
    STOP = "stop"
    WHATS_NEXT = "whats_next"
    SETS_LEFT = "sets_left"
    REOPEN = "reopen"
    DROPPED = "dropped"


class EffectKind(StrEnum):
    """What to keep; each is one call to the store (``effects.py``)."""

    BEGIN = "begin"  # a new workout
    RECORD = "record"  # a set (its entry), and the new place
    SAVE = "save"  # the place
    SAVE_AS = "save_as"  # a given place (its dict), as the session closes
    FINISH = "finish"  # the workout filed as finished, with its last sets
    MODE = "mode"  # the person's choice of counted or self-paced sets
    RESTART = "restart"  # begin a program (its id) afresh: not the store's, the coach's


STAGES = tuple(Stage)
MODES = tuple(Mode)


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
    stage: Stage
    started: str
    mode: Mode | None = None
    said: dict[str, int] = field(default_factory=dict)
    told_skip: bool = False
    done_sets: int = 0
    switch_to: str | None = None
    asked: dict[str, Any] | None = None
    claimed: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        # Plain strings are accepted ("set", "counted") and kept as the enums they name.
        object.__setattr__(self, "stage", Stage(self.stage))
        if self.mode is not None:
            object.__setattr__(self, "mode", Mode(self.mode))

    @classmethod
    def new(cls, program: Program, started: str, mode: Mode | None) -> Place:
        return cls(uuid.uuid4().hex[:12], program.id, 0, 0, Stage.READY, started, mode)

    def at(self, **changes: Any) -> Place:
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON values: stored, and sent in session attributes."""
        return {
            "id": self.id,
            "program": self.program,
            "ex": self.ex,
            "set": self.set,
            "stage": self.stage.value,
            "started": self.started,
            "mode": self.mode.value if self.mode is not None else None,
            "said": dict(self.said),
            "told_skip": self.told_skip,
            "done_sets": self.done_sets,
            "switch_to": self.switch_to,
            "asked": self.asked,
            "claimed": self.claimed,
        }

    @classmethod
    def from_dict(cls, raw: object, programs: dict[str, Program]) -> Place | None:
        """A place from stored or client-sent data, or None if it is not valid."""
        if not isinstance(raw, dict):
            return None
        try:
            fields = {k: raw[k] for k in ("id", "program", "ex", "set", "stage", "started")}
        except KeyError:
            return None
        program = programs.get(fields["program"]) if isinstance(fields["program"], str) else None
        stage = fields["stage"]
        if (
            program is None
            or not isinstance(fields["id"], str)
            or not isinstance(fields["started"], str)
            or stage not in STAGES
            or not _whole(fields["ex"])
            or not _whole(fields["set"])
            or not fields["ex"] < len(program.exercises)
            or not fields["set"] < program.exercises[fields["ex"]].sets
        ):
            return None
        place = cls(**{**fields, "stage": Stage(stage)})
        said = raw.get("said")
        kept = (
            {k: v for k, v in said.items() if isinstance(k, str) and _whole(v)}
            if isinstance(said, dict)
            else {}
        )
        switch_to = raw.get("switch_to")
        mode = raw.get("mode")
        return place.at(
            mode=Mode(mode) if mode in MODES else None,
            said=kept,
            told_skip=raw.get("told_skip") is True,
            done_sets=raw["done_sets"] if _whole(raw.get("done_sets")) else 0,
            switch_to=switch_to if isinstance(switch_to, str) and switch_to in programs else None,
            asked=_said(raw.get("asked")),
            claimed=_claimed(raw.get("claimed")),
        )


def _said(raw: object) -> dict[str, Any] | None:
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


def _claimed(raw: object) -> dict[str, Any] | None:
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


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


@dataclass(frozen=True)
class Event:
    """What the person did, with the numbers, program or mode they said."""

    kind: EventKind
    reps: float | None = None
    weight: float | None = None
    unit: str | None = None
    program: str | None = None
    mode: Mode | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", EventKind(self.kind))
        if self.mode is not None:
            object.__setattr__(self, "mode", Mode(self.mode))


@dataclass(frozen=True)
class Say:
    """A line of ``content/lines`` to say (``key``), with its fields."""

    key: str
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Effect:
    """Something to keep (see ``EffectKind``): ``entry`` is the set to record, the sets to
    file with a finished workout (``{"sets": [...]}``), the place to save as the session
    closes (``{"place": ...}``) or the program to restart (``{"program": ...}``)."""

    kind: EffectKind
    entry: dict[str, Any] | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", EffectKind(self.kind))


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
