"""Forgetting a person: "forget my history", confirmed, deletes everything kept about them
(profile, workouts, sets, goal, weeks, and the reminders the skill set). Operators do the same with ``python -m skill db forget``."""

from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name

from . import session
from .respond import ask, tell
from .safety import DEFER_DISCLAIMER
from .words import Words
from .workout import unsaved
from .workout.state import WorkoutStore, put_cursor, user_id

log = logging.getLogger(__name__)

FORGET_INTENT = "ForgetHistoryIntent"


class AskToForget(AbstractRequestHandler):
    """ "Forget my history": asks first, at any time (a workout under way waits)."""

    def __init__(self, words: Words):
        self.words = words

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return is_intent_name(FORGET_INTENT)(handler_input)

    def handle(self, handler_input: HandlerInput):
        session.set_pending(handler_input, session.ASKED_FORGET)
        confirm = self.words.prompt("forget_confirm")
        return ask(handler_input, confirm.speech, confirm.follow_up)


class AnswerToForget(AbstractRequestHandler):
    """Yes: everything about this person goes, and the session ends. No: all is kept."""

    def __init__(self, words: Words, store: WorkoutStore, carry_on, before=None):
        """``before(handler_input)`` runs first: it deletes what the skill made outside its
        database (the reminders)."""
        self.words = words
        self.store = store
        self.carry_on = carry_on
        self.before = before

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return session.pending(handler_input) == session.ASKED_FORGET and (
            is_intent_name("AMAZON.YesIntent")(handler_input)
            or is_intent_name("AMAZON.NoIntent")(handler_input)
        )

    def handle(self, handler_input: HandlerInput):
        session.set_pending(handler_input, None)
        if is_intent_name("AMAZON.NoIntent")(handler_input):
            return self.carry_on(handler_input, self.words("forget_kept"))
        if self.before is not None:
            self.before(handler_input)
        try:
            self.store.forget(user_id(handler_input))
        except Exception:
            log.warning("could not forget a person", exc_info=True)
            return tell(handler_input, self.words("forget_failed"))
        put_cursor(handler_input, None)
        unsaved.clear(handler_input)
        # Nothing is written after this, not even that the first-use note was heard.
        handler_input.attributes_manager.request_attributes[DEFER_DISCLAIMER] = True
        handler_input.attributes_manager.persistent_attributes = {}
        return tell(handler_input, self.words("forget_done"))
