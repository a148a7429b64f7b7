"""Build spoken responses: SSML, reprompts and cards, with the session rule built in.

A response that keeps the microphone open always ends in a question and carries it
as the reprompt; every other response closes the session. The speech is SSML made here
(``ssml``), so it is set on the response as it is, not passed through the SDK's
``ResponseFactory.speak``, which would take the ``<speak>`` tags off and put them back.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response
from ask_sdk_model.ui import Reprompt, SimpleCard, SsmlOutputSpeech

from skill.content.model import Prompt


class Raw(str):
    """A fragment that is already SSML (a break tag, say) and must not be escaped."""


#: Characters XML 1.0 does not allow (controls, lone surrogates, U+FFFE/U+FFFF), named
#: themselves: the complement of the allowed ranges takes sre milliseconds to compile.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` without the characters XML forbids."""
    return _NOT_XML.sub("", text)


@lru_cache(maxsize=4096)
def plain(text: str) -> str:
    """Text made safe inside SSML: escaped, with characters XML forbids removed. Kept for the
    texts said most (content's lines come back on every request)."""
    return escape(xml_safe(text), quote=False)


def ssml(*parts: str) -> str:
    """Join parts into one SSML document, escaping plain text that SSML would misread."""
    body = " ".join(p if isinstance(p, Raw) else plain(p) for p in parts if p)
    return "<speak>" + body + "</speak>"


def pause(seconds: int) -> Raw:
    return Raw(f'<break time="{seconds}s"/>')


#: What to say: text, or a list of parts (some of them ``Raw`` SSML).
Speech = str | list[str]


def ask(
    handler_input: HandlerInput,
    speech: Speech,
    question: str | None,
    card: tuple[str, str] | None = None,
) -> Response:
    """Say ``speech`` then ``question``, keep the session open, and reprompt with the question.

    ``speech`` may be a list of parts, some of them ``Raw`` SSML.
    """
    response = handler_input.response_builder.response
    parts = speech if isinstance(speech, list) else [speech]
    response.output_speech = SsmlOutputSpeech(ssml=ssml(*parts, question or ""))
    response.reprompt = Reprompt(output_speech=SsmlOutputSpeech(ssml=ssml(question or "")))
    response.should_end_session = False
    if card:
        response.card = SimpleCard(title=card[0], content=card[1])
    return response


def tell(
    handler_input: HandlerInput, speech: Speech, card: tuple[str, str] | None = None
) -> Response:
    """Say ``speech`` (text, or a list of parts as for ``ask``) and close the session."""
    response = handler_input.response_builder.response
    parts = speech if isinstance(speech, list) else [speech]
    response.output_speech = SsmlOutputSpeech(ssml=ssml(*parts))
    response.should_end_session = True
    if card:
        response.card = SimpleCard(title=card[0], content=card[1])
    return response


def prompt(handler_input: HandlerInput, line: Prompt, prefix: str = "") -> Response:
    """Say a fixed line from content: ask when it has a follow-up question, else tell."""
    speech = f"{prefix} {line.speech}".strip()
    if line.follow_up:
        return ask(handler_input, speech, line.follow_up)
    return tell(handler_input, speech)
