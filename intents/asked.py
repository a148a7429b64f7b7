"""The question the skill just asked, said again: for "repeat", and when an answer to it
was not understood (a fallback). After two misses in a row the help menu is offered."""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler, AbstractRequestInterceptor
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_intent_name

from skill.content import Content, Prompt

from . import session
from .respond import ask, prompt
from .words import Words

MISSES = "misses"
AGAIN = {
    session.ASKED_PROGRAM: "again_program",
    session.OFFERED_MORE: "again_more",
    session.OFFERED_WORKOUT: "again_start",
    session.ASKED_UNIT: "again_unit",
    session.ASKED_ONE_REP_MAX: "again_one_rep_max",
    session.ASKED_FORGET: "again_forget",
    session.ASKED_REMINDER_DAYS: "again_reminder_days",
    session.ASKED_REMINDER_TIME: "again_reminder_time",
}


class Restate:
    def __init__(self, content: Content):
        self.content = content
        self.words = Words(content.lines)

    def question(self, handler_input: HandlerInput) -> Prompt | None:
        """How to ask the pending question again, with an example answer, if one is pending."""
        pending = session.pending(handler_input)
        data = session.pending_data(handler_input)
        if pending == session.ASKED_GATE:
            return Prompt(self.words("again_yes_no"), self._gate_question(data))
        key = AGAIN.get(pending or "")
        if key is None:
            return None
        number = data.get("weight")
        number = f"{number:g}" if isinstance(number, int | float) else "that"
        return self.words.prompt(key, number=number)

    def _gate_question(self, data: dict) -> str:
        if data.get("kind") == "go_ahead":
            program = self.content.programs.get(data.get("program") or "")
            if program and program.go_ahead:
                return program.go_ahead.follow_up
        return self.words.prompt("held_check", what="").follow_up

    def again(self, handler_input: HandlerInput, missed: bool):
        """The pending question again (kept pending), or None when nothing is pending."""
        asked = self.question(handler_input)
        if asked is None:
            return None
        session.set_pending(
            handler_input, session.pending(handler_input), session.pending_data(handler_input)
        )
        lead = self.words("again_sorry") if missed else ""
        return ask(handler_input, f"{lead} {asked.speech}".strip(), asked.follow_up)

    def missed(self, handler_input: HandlerInput):
        """A fallback: after two misses in a row, the help menu; else the question again."""
        attrs = handler_input.attributes_manager.session_attributes
        misses = attrs.get(MISSES) if isinstance(attrs.get(MISSES), int) else 0
        attrs[MISSES] = misses + 1
        if misses + 1 >= 2:
            attrs.pop(MISSES, None)
            help_line = self.content.messages["help"]
            return prompt(handler_input, help_line, self.words("help_after_misses"))
        return self.again(handler_input, missed=True)


class AskAgain(AbstractRequestHandler):
    """ "Repeat", or words not understood, while a question is waiting: ask it again."""

    def __init__(self, restate: Restate):
        self.restate = restate

    def can_handle(self, handler_input):
        if self.restate.question(handler_input) is None:
            return False
        if is_intent_name("AMAZON.FallbackIntent")(handler_input):
            return True
        # After an answer, "repeat" means the answer (see RepeatHandler), not its offer.
        return (
            is_intent_name("AMAZON.RepeatIntent")(handler_input)
            and session.pending(handler_input) != session.OFFERED_MORE
        )

    def handle(self, handler_input):
        if is_intent_name("AMAZON.RepeatIntent")(handler_input):
            return self.restate.again(handler_input, missed=False)
        return self.restate.missed(handler_input)


class CountMisses(AbstractRequestInterceptor):
    """Any turn that is not a fallback ends a run of misses."""

    def process(self, handler_input):
        if not is_intent_name("AMAZON.FallbackIntent")(handler_input):
            handler_input.attributes_manager.session_attributes.pop(MISSES, None)
