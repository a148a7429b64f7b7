"""Answer the bone-health questions: one way of answering serves every content topic."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.content.model import Answer, Content, Prompt

from . import session
from .conversation import Said
from .meaning import State
from .request import intent_of
from .respond import ask, prompt, tell, xml_safe
from .slots import SlotResolver
from .words import Words

log = logging.getLogger(__name__)

#: The states in which an answer offers more: no workout, no other question waiting.
CHAT = frozenset(
    {State.IDLE, State.LAUNCH, State.AFTER_ANSWER, State.ANYTHING_ELSE, State.STORE_DOWN}
)
#: Between two sets of a workout saved in the log, an answer leads back to the next set.
BETWEEN_SETS = frozenset({State.READY, State.REST})
MAX_ECHOED_WORDS = 6
#: Say some lines, then ask the state's question again (``Conversation.back``).
Back = Callable[..., Response]
#: Say this and pause the workout under way; None when there is none.
Pause = Callable[[Said, str], Response | None]
MAX_ECHOED_CHARS = 60


def _card(answer: Answer, text: str | None = None) -> tuple[str, str]:
    return answer.card.title, text or answer.card.text


def find_answer(content: Content, last: tuple[str, str | None] | None) -> Answer | None:
    """The answer a (topic id, variant id) pair from the session points at, if it still exists."""
    if last is None or last[0] not in content.topics:
        return None
    return content.topics[last[0]].pick(last[1])[1]


class Answers:
    """Answers the bone-health questions: one answer per content topic, the longer form a
    piece at a time ("tell me more"), the source ("where is that from?"), and the answer
    again ("repeat").

    In chat an answer offers more and keeps listening; asked at another question (the
    program choice, a workout's "Ready?") it is followed by that question again
    (``back``); a one-shot question is answered and the session closes.
    """

    def __init__(self, content: Content, resolver: SlotResolver):
        self.content = content
        self.resolver = resolver
        self.words = Words(content.lines)

    def answer(self, said: Said, back: Back, pause: Pause) -> Response:
        """The topic's answer; a question about pain (``pauses_workout``) during a workout
        is answered by ``pause``, which pauses it."""
        handler_input = said.handler_input
        intent = intent_of(handler_input)
        topic = self.content.by_intent[intent.name or ""]
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
        if topic.pauses_workout and said.place is not None and not said.saved:
            paused = pause(said, speech)
            if paused is not None:
                return paused
        if session.is_one_shot(handler_input) and not (said.saved and said.state in BETWEEN_SETS):
            return tell(handler_input, speech, _card(answer))
        if said.state in CHAT:
            session.remember_answer(handler_input, topic.id, variant)
            return ask(handler_input, speech, answer.follow_up, _card(answer))
        session.remember_topic(handler_input, topic.id, variant)
        return back(said, speech, card=_card(answer))

    def offer_again(self, handler_input: HandlerInput) -> Prompt:
        """The last answer and its offer of more, as said (a piece of the longer form, when
        that was the last thing said)."""
        answer = find_answer(self.content, session.last_answer(handler_input))
        if answer is None:
            return self.content.messages["anything_else"]
        if session.last_part(handler_input) == "more":
            parts = pieces(answer.more)
            chunk = min(session.last_chunk(handler_input), len(parts) - 1)
            return Prompt(parts[chunk], self.words("more_rest"))
        return Prompt(answer.speech, answer.follow_up)

    def more(self, said: Said, back: Back) -> Response:
        """ "Tell me more", or yes to "want to hear more?": the next piece of the longer form,
        offering the rest after each piece; the whole of it on the card."""
        handler_input = said.handler_input
        answer = find_answer(self.content, session.last_answer(handler_input))
        if answer is None:
            return prompt(handler_input, self.content.messages["nothing_to_expand"])
        parts = pieces(answer.more)
        going_on = (
            session.last_part(handler_input) == "more"
            and session.pending(handler_input) == session.OFFERED_MORE
        )
        chunk = session.last_chunk(handler_input) + 1 if going_on else 0
        return self._piece(handler_input, answer, parts, min(chunk, len(parts) - 1))

    def _piece(
        self, handler_input: HandlerInput, answer: Answer, parts: list[str], chunk: int
    ) -> Response:
        session.said_part(handler_input, "more", chunk)
        if chunk + 1 < len(parts):
            session.set_pending(handler_input, session.OFFERED_MORE)
            follow_up = self.words("more_rest")
        else:
            session.set_pending(handler_input, session.ASKED_ANYTHING_ELSE)
            follow_up = self.content.messages["anything_else"].follow_up or ""
        return ask(handler_input, parts[chunk], follow_up, _card(answer, answer.more))

    def source(self, said: Said, back: Back) -> Response:
        """ "Where is that from?": the study behind the last answer, full references on the
        card; then the question of the state again."""
        handler_input = said.handler_input
        answer = find_answer(self.content, session.last_answer(handler_input))
        if answer is None:
            return back(said, self.content.messages["nothing_to_expand"].speech)
        sources = [self.content.sources[s] for s in answer.sources]
        references = "\n\n".join(s.reference() for s in sources)
        if said.state in CHAT:
            session.set_pending(handler_input, session.ASKED_ANYTHING_ELSE)
            session.said_part(handler_input, "source")
            follow_up = self.content.messages["anything_else"].follow_up
            return ask(handler_input, sources[0].spoken, follow_up, ("Sources", references))
        return back(said, sources[0].spoken)

    def repeat(self, handler_input: HandlerInput) -> Response | None:
        """The last thing said about the last answer (worked out from the session's record,
        never echoed from client-sent text), or None when there is none."""
        last = session.last_answer(handler_input)
        answer = find_answer(self.content, last)
        if answer is None:
            return None
        part = session.last_part(handler_input)
        if part == "more":
            parts = pieces(answer.more)
            chunk = min(session.last_chunk(handler_input), len(parts) - 1)
            return self._piece(handler_input, answer, parts, chunk)
        if part == "source":
            sources = [self.content.sources[s] for s in answer.sources]
            references = "\n\n".join(s.reference() for s in sources)
            session.set_pending(handler_input, session.ASKED_ANYTHING_ELSE)
            follow_up = self.content.messages["anything_else"].follow_up
            return ask(handler_input, sources[0].spoken, follow_up, ("Sources", references))
        assert last is not None  # the answer was found from it
        session.remember_answer(handler_input, last[0], last[1])
        return ask(handler_input, answer.speech, answer.follow_up, _card(answer))


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
