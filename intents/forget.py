"""Forgetting a person: "forget my history", confirmed, deletes everything kept about them
(profile, workouts, sets, goal, weeks, and the reminders the skill set). Operators do the same with ``python -m skill db forget``."""

from __future__ import annotations

import logging

from ask_sdk_core.handler_input import HandlerInput

from . import session
from .request import request_attributes
from .respond import ask, tell
from .safety import DEFER_DISCLAIMER
from .words import Words
from .workout import unsaved
from .workout.state import WorkoutStore, put_cursor, user_id

log = logging.getLogger(__name__)


class Forgetting:
    """ "Forget my history": asked first, at any time (a workout under way waits); yes
    deletes everything about this person and ends the session."""

    def __init__(self, words: Words, store: WorkoutStore, before=None):
        """``before(handler_input)`` runs first: it deletes what the skill made outside its
        database (the reminders)."""
        self.words = words
        self.store = store
        self.before = before

    def ask(self, handler_input: HandlerInput):
        session.set_pending(handler_input, session.ASKED_FORGET)
        confirm = self.words.prompt("forget_confirm")
        return ask(handler_input, confirm.speech, confirm.follow_up)

    def forget(self, handler_input: HandlerInput):
        session.set_pending(handler_input, None)
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
        request_attributes(handler_input)[DEFER_DISCLAIMER] = True
        handler_input.attributes_manager.persistent_attributes = {}
        return tell(handler_input, self.words("forget_done"))
