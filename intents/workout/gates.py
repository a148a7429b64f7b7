"""What stands between a person and exercise: a warning symptom, and the doctor's go-ahead.

A warning symptom pauses the workout and puts a hold on training; the next start or
resume first asks whether a doctor or physical therapist has checked them. A program
with a ``go_ahead`` question (the bone-safe one) asks it the first time it is started.
"""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput

from .. import session as qa_session
from ..respond import ask
from . import unsaved
from .coach import Coach
from .state import GO_AHEAD_KEY, now_iso, put_cursor, who


class Gates:
    def __init__(self, coach: Coach):
        self.coach = coach
        self.words = coach.words

    def warning(self, handler_input: HandlerInput, kind: str, what: str) -> str:
        """Pause any workout (in this session or saved) and hold training; say what was done."""
        coach = self.coach
        cursor = coach.cursor(handler_input) or coach.saved_place(handler_input)
        put_cursor(handler_input, None)
        hold = {"kind": kind, "what": what, "at": now_iso()}
        user = who(handler_input)
        pending = unsaved.kept(handler_input) if cursor is not None else []
        unsaved.clear(handler_input)
        saved = coach.write(handler_input, lambda: coach.store.hold(user, cursor, hold, pending))
        if cursor is None:
            return ""
        if not saved and pending:
            return (
                f"{self.words('paused_unsaved')} {unsaved.lost_line(coach.content, len(pending))}"
            )
        return self.words("paused_saved" if saved else "paused_unsaved")

    def questions_instead(self, handler_input: HandlerInput, line: str):
        """No training today: say why, and offer to answer questions instead."""
        offer = self.words.prompt("questions_instead")
        qa_session.set_pending(handler_input, qa_session.ASKED_WELCOME)
        return ask(handler_input, f"{line} {offer.speech}", offer.follow_up)

    def answer(self, handler_input: HandlerInput, yes: bool):
        """Yes or no to "have you been checked?" or "has your doctor given the go-ahead?"."""
        coach = self.coach
        asked = qa_session.pending_data(handler_input)
        qa_session.set_pending(handler_input, None)
        kind = asked.get("kind")
        program = coach.programs.get(asked.get("program") or "")
        user = who(handler_input)
        if kind == "hold":
            if not yes:
                return self.questions_instead(handler_input, self.words("held_not_checked"))
            coach.write(handler_input, lambda: coach.store.remember(user, hold=None))
            lead = self.words("held_cleared")
        else:
            if not yes or program is None:
                return self.questions_instead(handler_input, self.words("go_ahead_declined"))
            given = coach.stored_or_empty(handler_input).get(GO_AHEAD_KEY)
            given = {**given, program.id: True} if isinstance(given, dict) else {program.id: True}
            coach.write(handler_input, lambda: coach.store.remember(user, **{GO_AHEAD_KEY: given}))
            lead = ""
        if program is not None:
            return coach.gate(handler_input, program) or coach.begin(handler_input, program, lead)
        place = coach.saved_place(handler_input)
        if place is None:
            return coach.no_workout(handler_input)
        return coach.gate(handler_input, None) or coach.announce(handler_input, place, lead=lead)
