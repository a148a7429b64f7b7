"""What stands between a person and exercise: a warning symptom, and the doctor's go-ahead.

A warning symptom pauses the workout and puts a hold on training; the next start or
resume first asks whether a doctor or physical therapist has checked them. A program
with a ``go_ahead`` question (the bone-safe one) asks it the first time it is started.
"""

from __future__ import annotations

from dataclasses import dataclass

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.content.model import Content, Program

from .. import session as qa_session
from ..respond import ask
from ..words import Words
from . import unsaved
from .state import GO_AHEAD_KEY, now_iso, put_cursor, session_cursor, who
from .stored import Records


@dataclass(frozen=True)
class Cleared:
    """Yes to the gate's question: begin ``program`` (None: resume the saved workout),
    after ``lead``."""

    program: Program | None
    lead: str = ""


class Gates:
    def __init__(self, content: Content, records: Records):
        self.content = content
        self.records = records
        self.store = records.store
        self.words = Words(content.lines)

    def check(self, handler_input: HandlerInput, program: Program | None) -> Response | None:
        """Before any exercise: a hold after a warning symptom, then the program's go-ahead.

        Returns the question to ask, or None when nothing stands in the way. ``program``
        is the one to begin after a yes; None means the saved workout is resumed.
        """
        attrs = self.records.read_or_empty(handler_input)
        then = {"program": program.id if program else None}
        hold = self.store.held(attrs)
        if hold is not None:
            put_cursor(handler_input, None)
            sign = hold.get("kind") if isinstance(hold.get("kind"), str) else None
            what = hold.get("what")
            if not isinstance(what, str) or not what:
                safety = self.content.safety
                what = safety.kinds[safety.without_symptom].label
            data = {**then, "kind": "hold", "sign": sign, "what": what}
            qa_session.set_pending(handler_input, qa_session.ASKED_GATE, data)
            return ask(handler_input, self.words("held_check", what=what), self.held_question(hold))
        if program and program.go_ahead and not self.store.go_ahead(attrs, program.id):
            put_cursor(handler_input, None)
            qa_session.set_pending(
                handler_input, qa_session.ASKED_GATE, {**then, "kind": "go_ahead"}
            )
            return ask(handler_input, program.go_ahead.speech, program.go_ahead.follow_up or "")
        return None

    def held_question(self, hold: dict | None) -> str:
        """What to ask before training again after a warning sign of this kind: a doctor
        after chest pain or stroke signs, a doctor or physical therapist after an injury."""
        safety = self.content.safety
        kind = (hold or {}).get("kind")
        if kind not in safety.kinds:
            kind = safety.without_symptom
        return safety.kinds[kind].held_question

    def warning(self, handler_input: HandlerInput, kind: str, what: str) -> str:
        """Pause any workout (in this session or saved) and hold training; say what was done."""
        programs = self.records.programs
        cursor = session_cursor(handler_input, programs) or self.records.saved_place(handler_input)
        put_cursor(handler_input, None)
        hold = {"kind": kind, "what": what, "at": now_iso()}
        person = who(handler_input)
        pending = unsaved.kept(handler_input) if cursor is not None else []
        unsaved.clear(handler_input)
        saved = self.records.write(
            handler_input, lambda: self.store.hold(person, cursor, hold, pending)
        )
        if cursor is None:
            return ""
        if not saved and pending:
            lost = unsaved.lost_line(self.content, len(pending))
            return f"{self.words('paused_unsaved')} {lost}"
        return self.words("paused_saved" if saved else "paused_unsaved")

    def questions_instead(self, handler_input: HandlerInput, line: str) -> Response:
        """No training today: say why, and offer to answer questions instead."""
        offer = self.words.prompt("questions_instead")
        qa_session.set_pending(handler_input, qa_session.ASKED_WELCOME)
        return ask(handler_input, f"{line} {offer.speech}", offer.follow_up or "")

    def answer(self, handler_input: HandlerInput, yes: bool) -> Response | Cleared:
        """Yes or no to "have you been checked?" or "has your doctor given the go-ahead?":
        no training today (the offer of questions instead), or what to begin."""
        asked = qa_session.pending_data(handler_input)
        qa_session.set_pending(handler_input, None)
        program = self.records.programs.get(asked.get("program") or "")
        person = who(handler_input)
        if asked.get("kind") == "hold":
            if not yes:
                return self.questions_instead(handler_input, self.words("held_not_checked"))
            self.records.write(handler_input, lambda: self.store.remember(person, hold=None))
            return Cleared(program, self.words("held_cleared"))
        if not yes or program is None:
            return self.questions_instead(handler_input, self.words("go_ahead_declined"))
        given = self.records.read_or_empty(handler_input).get(GO_AHEAD_KEY)
        given = {**given, program.id: True} if isinstance(given, dict) else {program.id: True}
        self.records.write(
            handler_input, lambda: self.store.remember(person, **{GO_AHEAD_KEY: given})
        )
        return Cleared(program)
