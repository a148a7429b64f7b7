"""Answer the bone-health questions. One handler serves every content topic."""

from __future__ import annotations

import logging
import re

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.utils import is_intent_name, is_request_type

from skill.content import Answer, Content

from . import session
from .respond import ask, prompt, tell, xml_safe
from .slots import SlotResolver
from .words import Words

log = logging.getLogger(__name__)

MAX_ECHOED_WORDS = 6
MAX_ECHOED_CHARS = 60


def _card(answer: Answer, text: str | None = None) -> tuple[str, str]:
    return answer.card.title, text or answer.card.text


def find_answer(content: Content, last: tuple[str, str | None] | None) -> Answer | None:
    """The answer a (topic id, variant id) pair from the session points at, if it still exists."""
    if last is None or last[0] not in content.topics:
        return None
    return content.topics[last[0]].pick(last[1])[1]


class TopicAnswerHandler(AbstractRequestHandler):
    """Answers any intent that has a topic in ``content/topics``.

    In a session it offers more and keeps listening; a one-shot question is
    answered and the session closes.
    """

    def __init__(self, content: Content, resolver: SlotResolver, detour=None, pause=None):
        self.content = content
        self.resolver = resolver
        self.detour = detour or (lambda handler_input: None)
        self.pause = pause or (lambda handler_input, speech: None)

    def can_handle(self, handler_input):
        request = handler_input.request_envelope.request
        return (
            is_request_type("IntentRequest")(handler_input)
            and request.intent is not None
            and request.intent.name in self.content.by_intent
        )

    def handle(self, handler_input):
        intent = handler_input.request_envelope.request.intent
        topic = self.content.by_intent[intent.name]
        value_id, spoken = (None, None)
        if topic.slot:
            value_id, spoken = self.resolver.resolve(intent, topic.slot)
        variant, answer = topic.pick(value_id)
        prefix = ""
        heard = " ".join(xml_safe(spoken or "").split()[:MAX_ECHOED_WORDS])[:MAX_ECHOED_CHARS]
        if heard and variant is None:
            # The words themselves are never logged: they are what someone said at home.
            log.info("no %s variant for the words heard (%s)", topic.slot, value_id)
            prefix = self.content.messages["unknown_value"].speech.format(value=heard)
        speech = f"{prefix} {answer.speech}".strip()
        if topic.pauses_workout:
            paused = self.pause(handler_input, speech)
            if paused is not None:
                return paused
        if session.is_one_shot(handler_input):
            return tell(handler_input, speech, _card(answer))
        session.remember_answer(handler_input, topic.id, variant)
        return self.offer(handler_input, speech, answer)

    def offer(self, handler_input, speech: str, answer: Answer):
        """Say an answer and offer more (or the way back to the workout)."""
        back = self.detour(handler_input)
        if back:
            session.set_pending(handler_input, None)
            return ask(handler_input, speech, back, _card(answer))
        return ask(handler_input, speech, answer.follow_up, _card(answer))


MORE_WORDS = 60


def pieces(text: str, most_words: int = MORE_WORDS) -> list[str]:
    """``text`` in pieces of whole sentences of at most about ``most_words`` words each, so
    a long answer can be said in breaths ("tell me more" has a 30-second budget)."""
    sentences = re.split(r"(?<=[.!?])\s+", text.strip())
    out: list[str] = []
    for sentence in sentences:
        if out and len(out[-1].split()) + len(sentence.split()) <= most_words:
            out[-1] = f"{out[-1]} {sentence}"
        else:
            out.append(sentence)
    return out


class TellMeMoreHandler(AbstractRequestHandler):
    """ "Tell me more", or "yes" to "want to hear more?": the longer form of the last answer,
    a piece at a time, offering the rest after each piece; the whole of it on the card."""

    def __init__(self, content: Content, detour=None):
        self.content = content
        self.detour = detour or (lambda handler_input: None)
        self.words = Words(content.lines)

    def can_handle(self, handler_input):
        return is_intent_name("TellMeMoreIntent")(handler_input) or (
            is_intent_name("AMAZON.YesIntent")(handler_input)
            and session.pending(handler_input) == session.OFFERED_MORE
        )

    def handle(self, handler_input, again: bool = False):
        answer = find_answer(self.content, session.last_answer(handler_input))
        if answer is None:
            return prompt(handler_input, self.content.messages["nothing_to_expand"])
        parts = pieces(answer.more)
        going_on = (
            session.last_part(handler_input) == "more"
            and session.pending(handler_input) == session.OFFERED_MORE
        )
        chunk = session.last_chunk(handler_input) + (0 if again else 1) if going_on or again else 0
        chunk = min(chunk, len(parts) - 1)
        session.said_part(handler_input, "more", chunk)
        if chunk + 1 < len(parts):
            session.set_pending(handler_input, session.OFFERED_MORE)
            follow_up = self.words("more_rest")
        else:
            session.set_pending(handler_input, session.ASKED_ANYTHING_ELSE)
            follow_up = (
                self.detour(handler_input) or self.content.messages["anything_else"].follow_up
            )
        return ask(handler_input, parts[chunk], follow_up, _card(answer, answer.more))


class WhereFromHandler(AbstractRequestHandler):
    """ "Where is that from?": the study behind the last answer, full references on the card."""

    def __init__(self, content: Content, detour=None):
        self.content = content
        self.detour = detour or (lambda handler_input: None)

    def can_handle(self, handler_input):
        return is_intent_name("WhereFromIntent")(handler_input)

    def handle(self, handler_input):
        answer = find_answer(self.content, session.last_answer(handler_input))
        if answer is None:
            return prompt(handler_input, self.content.messages["nothing_to_expand"])
        sources = [self.content.sources[s] for s in answer.sources]
        references = "\n\n".join(s.reference() for s in sources)
        session.set_pending(handler_input, session.ASKED_ANYTHING_ELSE)
        session.said_part(handler_input, "source")
        follow_up = self.detour(handler_input) or self.content.messages["anything_else"].follow_up
        return ask(handler_input, sources[0].spoken, follow_up, ("Sources", references))


class YesNoHandler(AbstractRequestHandler):
    """Yes or no when no more detail was on offer: invite a question, or say goodbye."""

    def __init__(self, content: Content):
        self.content = content

    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.YesIntent")(handler_input) or is_intent_name(
            "AMAZON.NoIntent"
        )(handler_input)

    def handle(self, handler_input):
        said_no = is_intent_name("AMAZON.NoIntent")(handler_input)
        if said_no and session.pending(handler_input) != session.OFFERED_MORE:
            return prompt(handler_input, self.content.messages["goodbye"])
        session.set_pending(handler_input, session.ASKED_ANYTHING_ELSE)
        return prompt(handler_input, self.content.messages["anything_else"])


class RepeatHandler(AbstractRequestHandler):
    """ "Repeat" outside a workout: the last thing said, worked out from the session's record
    of it (never echoed from client-sent text); with nothing said yet, the welcome."""

    def __init__(
        self, answers: TopicAnswerHandler, more: TellMeMoreHandler, source: WhereFromHandler
    ):
        self.answers = answers
        self.parts = {"more": more, "source": source}

    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.RepeatIntent")(handler_input)

    def handle(self, handler_input):
        content = self.answers.content
        last = session.last_answer(handler_input)
        answer = find_answer(content, last)
        if answer is None:
            return prompt(handler_input, content.messages["welcome"])
        part = session.last_part(handler_input)
        if part == "more":
            return self.parts[part].handle(handler_input, again=True)
        if part in self.parts:
            return self.parts[part].handle(handler_input)
        session.remember_answer(handler_input, last[0], last[1])
        return self.answers.offer(handler_input, answer.speech, answer)
