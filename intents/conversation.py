"""Where the conversation is, and the one handler that interprets every reply by it.

``Where`` names the ``State`` a request finds the conversation in: the question pending in
the session, else the workout under way in it, else (in a new session) the workout saved
in the training log. ``Interpret`` hears the reply, looks its meaning up in
``meaning.TABLE`` and hands it to the action for that meaning.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import assert_never

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_request_type
from ask_sdk_model import Response

from . import session
from .hearing import Heard, Hearing
from .meaning import Meaning, State, meaning
from .request import session_attributes
from .workout.place import Mode, Place, Stage
from .workout.state import session_cursor
from .workout.stored import Records

log = logging.getLogger("intents.meaning")

PENDING_STATES = {
    session.ASKED_WELCOME: State.LAUNCH,
    session.OFFERED_MORE: State.AFTER_ANSWER,
    session.ASKED_ANYTHING_ELSE: State.ANYTHING_ELSE,
    session.ASKED_PROGRAM: State.PROGRAM,
    session.ASKED_UNIT: State.UNIT,
    session.ASKED_ONE_REP_MAX: State.ONE_REP_MAX,
    session.OFFERED_WORKOUT: State.OFFERED_WORKOUT,
    session.OFFERED_SHORTER: State.OFFERED_SHORTER,
    session.ASKED_FORGET: State.FORGET,
    session.ASKED_REMINDER_DAYS: State.REMINDER_DAYS,
    session.ASKED_REMINDER_TIME: State.REMINDER_TIME,
}


def stage_state(place: Place) -> State:
    """The state of a workout under way in this session (every stage has one)."""
    match place.stage:
        case Stage.SET:
            return State.HOW_MANY if place.mode is Mode.COUNTED else State.SET
        case Stage.READY:
            return State.REST if place.done_sets else State.READY
        case Stage.RESUME:
            return State.RESUME
        case Stage.CHECK_SET:
            return State.CHECK_SET
        case Stage.CONFIRM_DONE:
            return State.CONFIRM_DONE
        case Stage.MODE:
            return State.MODE
        case Stage.CONFIRM:
            return State.CONFIRM_RESTART
        case _:
            assert_never(place.stage)


def saved_state(place: Place) -> State:
    """The state of a workout saved in the log, met again in a new session: mid-set (a
    self-paced set, or one dropped part way), or between sets."""
    if place.stage in (Stage.SET, Stage.CHECK_SET):
        return State.SET
    return State.REST if place.done_sets else State.READY


@dataclass(frozen=True)
class Said:
    """One reply in context: what was heard, the state it was said in, and the workout (in
    the session, or saved when ``saved``)."""

    handler_input: HandlerInput
    heard: Heard
    state: State
    place: Place | None = None
    saved: bool = False


class Where:
    """Names the state a request finds the conversation in."""

    def __init__(self, records: Records):
        self.records = records

    def __call__(self, handler_input: HandlerInput) -> tuple[State, Place | None, bool]:
        records = self.records
        place = session_cursor(handler_input, records.programs)
        pending = session.pending(handler_input)
        if pending == session.ASKED_GATE:
            kind = session.pending_data(handler_input).get("kind")
            return (State.HELD if kind == "hold" else State.GO_AHEAD), place, False
        if pending in PENDING_STATES:
            return PENDING_STATES[pending], place, False
        if place is not None:
            return stage_state(place), place, False
        if not session.is_one_shot(handler_input):
            return State.IDLE, None, False
        try:
            saved = records.store.in_progress(records.read(handler_input), records.programs)
        except Exception:
            log.warning("could not read the saved workout", exc_info=True)
            return State.STORE_DOWN, None, False
        if saved is None:
            return State.IDLE, None, False
        return saved_state(saved), saved, True


Action = Callable[[Said], Response]


class Interpret(AbstractRequestHandler):
    """Every intent request: what was heard, in which state, means what; then it is done."""

    def __init__(self, hear: Hearing, where: Where, actions: Mapping[Meaning, Action]):
        self.hear = hear
        self.where = where
        self.actions = actions
        missing = set(Meaning) - set(actions)
        if missing:
            raise ValueError(f"no action for {sorted(missing)}")

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_request_type("IntentRequest")(handler_input)

    def refined(self, what: Meaning, state: State, heard: Heard, place: Place | None) -> Meaning:
        """At "start the standard workout from the beginning?", naming the program asked
        about says yes, and naming the one under way says no."""
        if state is State.CONFIRM_RESTART and what is Meaning.START_WORKOUT and place:
            programs = self.where.records.programs.values()
            named = next((p for p in programs if p.slot_value == heard.program), None)
            if named is not None and named.id == (place.switch_to or place.program):
                return Meaning.RESTART
            if named is not None and named.id == place.program:
                return Meaning.KEEP_GOING
        return what

    def handle(self, handler_input: HandlerInput) -> Response:
        heard = self.hear(handler_input)
        state, place, saved = self.where(handler_input)
        what = self.refined(meaning(state, heard.reply), state, heard, place)
        if log.isEnabledFor(logging.DEBUG):
            log.debug(
                "%s at %s means %s",
                heard.reply,
                state,
                what,
                extra={"state": str(state), "reply": str(heard.reply), "meaning": str(what)},
            )
        if what is not Meaning.NOT_UNDERSTOOD:
            session_attributes(handler_input).pop(session.MISSES, None)
        return self.actions[what](Said(handler_input, heard, state, place, saved))
