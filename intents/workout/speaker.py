"""A workout step said: its lines in words, its question asked and reprompted, its how-to
on the card, and its place kept in the session for the next turn."""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.content.model import Content

from .. import session as qa_session
from ..respond import ask, tell
from ..words import Words
from . import unsaved
from .effects import Kept
from .place import Place, Say, Step
from .render import Renderer
from .state import put_cursor
from .voice import Voice

#: Says whose own line tells what could not be saved (so no other line does).
OWN_SAVE_LINE = ("ack", "saved_place")


class Speaker:
    """Turns a ``Step`` and what its effects kept into the response."""

    def __init__(self, content: Content, voice: Voice):
        self.content = content
        self.voice = voice
        self.render: Renderer = voice.render
        self.words: Words = voice.words

    def respond(self, handler_input: HandlerInput, step: Step, kept: Kept) -> Response:
        """Say the step's lines, then ask its question (or close the session)."""
        put_cursor(handler_input, step.place)
        parts: list = []
        for item in step.says:
            parts += self.voice.say(handler_input, item, kept)
        if kept.lost:
            parts.append(unsaved.lost_line(self.content, kept.lost))
        elif not kept.all_saved and not any(i.key in OWN_SAVE_LINE for i in step.says):
            parts.append(self.words("notebook_down"))
        card = self.voice.card(handler_input, step)
        if step.ask is None:
            return tell(handler_input, parts, card)
        before_question, question = self.render.question(step.ask)
        if step.again:
            before_question = []
        if step.ask.key == "complete_empty":
            qa_session.set_pending(handler_input, qa_session.OFFERED_SHORTER)
        if step.ask.key == "what_now":
            qa_session.set_pending(handler_input, qa_session.ASKED_ANYTHING_ELSE)
        return ask(handler_input, [*parts, *before_question], question, card)

    def say_only(self, handler_input: HandlerInput, says: list[Say]) -> Response:
        """``says`` said and the session closed; nothing kept or moved."""
        return tell(handler_input, self._parts(says) or self.render.say(Say("finish_self")))

    def line(self, say: Say) -> str:
        """One line in words (a help line, say)."""
        return str(self.render.say(say)[0])

    def lines(self, says: list[Say]) -> str:
        """Several lines in words, as one text."""
        return " ".join(part for part in self._parts(says) if isinstance(part, str))

    def _parts(self, says: list[Say]) -> list:
        """Each line's rendered parts, in order."""
        return [part for say in says for part in self.render.say(say)]

    def about_exercise(self, place: Place, how: bool, why: bool) -> str:
        """ "How do I do it?" (cue and safety note) and "why this one?" (the bone sites)."""
        exercise = self.content.programs[place.program].exercises[place.ex]
        said = [exercise.cue, exercise.safety or ""] if how else []
        if why:
            said.append(self.voice.why(exercise))
        return " ".join(x for x in said if x)
