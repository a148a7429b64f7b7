"""The not-medical-advice note: heard once by every person, on their first use, by any route."""

from __future__ import annotations

import logging
from collections.abc import Callable
from html import escape

from ask_sdk_core.dispatch_components import AbstractResponseInterceptor
from ask_sdk_core.handler_input import HandlerInput

from .request import persistent_attributes, request_attributes, session_attributes
from .safety import DEFER_DISCLAIMER

log = logging.getLogger(__name__)

WELCOMED = "welcomed"
HEARD_THIS_SESSION = "disclaimer_heard"


class FirstUseDisclaimer(AbstractResponseInterceptor):
    """Puts the note before the first spoken response a person ever gets, and remembers it.

    Launch, a one-shot question and a one-shot workout all count as a first use. A warning
    symptom's answer is said alone; the note waits for the next response. If storage is
    down the note is said again next time: better twice than never.
    """

    def __init__(self, note: Callable[[], str], remember):
        self.note = note
        self.remember = remember

    def process(self, handler_input: HandlerInput, response) -> None:
        speech = getattr(response, "output_speech", None) if response is not None else None
        if speech is None or not getattr(speech, "ssml", None):
            return
        if request_attributes(handler_input).get(DEFER_DISCLAIMER):
            return
        if session_attributes(handler_input).get(HEARD_THIS_SESSION):
            return
        try:
            heard = bool(persistent_attributes(handler_input).get(WELCOMED))
        except Exception:
            log.warning("could not read whether the note was heard", exc_info=True)
            heard = False
        if not heard:
            speech.ssml = speech.ssml.replace("<speak>", f"<speak>{escape(self.note())} ", 1)
            try:
                self.remember(handler_input)
            except Exception:
                log.warning("could not remember that the note was heard", exc_info=True)
        if response.should_end_session is not True:
            session_attributes(handler_input)[HEARD_THIS_SESSION] = True
