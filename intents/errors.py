"""When a handler fails: apologise in speech, log the trace, never show it."""

from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components import AbstractExceptionHandler
from ask_sdk_core.handler_input import HandlerInput

from skill.content.model import Content

from .respond import prompt

log = logging.getLogger(__name__)


class ApologiseOnError(AbstractExceptionHandler):
    def __init__(self, content: Content):
        self.content = content

    def can_handle(self, handler_input: HandlerInput, exception):
        return True

    def handle(self, handler_input: HandlerInput, exception):
        request = handler_input.request_envelope.request
        log.exception(
            "handler failed on %s", getattr(request, "object_type", "?"), exc_info=exception
        )
        handler_input.response_builder.response.card = None
        return prompt(handler_input, self.content.messages["error"])
