"""The flow's effects, carried out: each ``Effect`` of a step is one call to the store.

Sets the database can't take yet wait in the session (``unsaved``) and go with the next
write that saves sets; a step that closes the session saves its place with them, and what
still can't be saved is counted as lost, to be said, never hidden.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, assert_never

from ask_sdk_core.handler_input import HandlerInput

from . import unsaved
from .place import Effect, EffectKind, Place, Step
from .state import Who, who
from .stored import MODE_KEY, Records

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Kept:
    """What a step's effects kept: one flag per effect (False: it could not be saved), the
    workout filed as finished (if one was), and how many sets were lost as the session
    closed."""

    saved: tuple[bool, ...] = ()
    finished: dict[str, Any] | None = None
    lost: int = 0

    @property
    def all_saved(self) -> bool:
        return False not in self.saved


@dataclass
class _Outcome:
    finished: dict[str, Any] | None = None
    lost: int = 0
    saved: list[bool] = field(default_factory=list)


class Effects:
    """Carries out a step's effects against the training log (``WorkoutStore``)."""

    def __init__(self, records: Records):
        self.records = records
        self.store = records.store

    def run(self, handler_input: HandlerInput, before: Place, step: Step) -> Kept:
        """Keep what ``step`` says to keep; ``before`` is the place the step started from."""
        outcome = _Outcome()
        for effect in step.effects:
            outcome.saved.append(self._one(handler_input, effect, before, step, outcome))
        return Kept(tuple(outcome.saved), outcome.finished, outcome.lost)

    def _one(
        self,
        handler_input: HandlerInput,
        effect: Effect,
        before: Place,
        step: Step,
        outcome: _Outcome,
    ) -> bool:
        person = who(handler_input)
        place = step.place or before
        write = self.records.write
        match effect.kind:
            case EffectKind.BEGIN:
                return write(handler_input, lambda: self.store.begin(person, place))
            case EffectKind.RECORD:
                return self._record(handler_input, person, place, effect.entry or {})
            case EffectKind.SAVE if step.end:
                return self._save_closing(handler_input, person, place, outcome)
            case EffectKind.SAVE:
                return write(handler_input, lambda: self.store.save_position(person, place))
            case EffectKind.SAVE_AS:
                kept = Place.from_dict((effect.entry or {}).get("place"), self.records.programs)
                return self._save_closing(handler_input, person, kept or before, outcome)
            case EffectKind.FINISH:
                sets = list((effect.entry or {}).get("sets", []))
                return self._finish(handler_input, person, before, sets, outcome)
            case EffectKind.MODE:
                mode = place.mode.value if place.mode is not None else None
                return write(handler_input, lambda: self.store.remember(person, **{MODE_KEY: mode}))
            case EffectKind.RESTART:
                return True  # nothing to keep: the coach begins the program afresh
            case _:
                assert_never(effect.kind)

    def _record(self, handler_input: HandlerInput, person: Who, place: Place, entry: dict) -> bool:
        """Save the set (and any that failed before); keep it in the session if that fails."""
        entries = [*unsaved.kept(handler_input), entry]
        if self.records.write(
            handler_input, lambda: self.store.record_sets(person, place, entries)
        ):
            unsaved.clear(handler_input)
            return True
        unsaved.keep(handler_input, entries)
        return False

    def _save_closing(
        self, handler_input: HandlerInput, person: Who, place: Place, outcome: _Outcome
    ) -> bool:
        """A turn that closes the session: save the place with any sets still waiting, in
        one write. What still can't be saved is lost, and said."""
        pending = unsaved.kept(handler_input)
        unsaved.clear(handler_input)
        saved = self.records.write(
            handler_input, lambda: self.store.record_sets(person, place, pending)
        )
        if not saved and pending:
            outcome.lost = len(pending)
            log.warning("session closing with %d unsaved set(s); they are lost", len(pending))
        return saved

    def _finish(
        self,
        handler_input: HandlerInput,
        person: Who,
        place: Place,
        last: list[dict],
        outcome: _Outcome,
    ) -> bool:
        """File the workout as finished, with its last sets and any still waiting."""
        pending = [*unsaved.kept(handler_input), *last]
        unsaved.clear(handler_input)
        try:
            outcome.finished = self.store.finish(person, place, pending)
        except Exception:
            log.warning("could not file the finished workout", exc_info=True)
            if pending:
                outcome.lost = len(pending)
            return False
        return True
