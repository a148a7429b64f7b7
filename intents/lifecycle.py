"""Launch, session end and other request types: the requests that carry no reply."""

from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_request_type

from skill.content.model import Content

from . import session
from .request import request_of
from .respond import prompt

log = logging.getLogger(__name__)


class LaunchHandler(AbstractRequestHandler):
    """ "Open bone builder": a short welcome, or the offer to carry on a saved workout."""

    def __init__(self, content: Content, welcome_back=None):
        self.content = content
        self.welcome_back = welcome_back

    def can_handle(self, handler_input: HandlerInput):
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input: HandlerInput):
        if self.welcome_back is not None:
            response = self.welcome_back(handler_input)
            if response is not None:
                return response
        session.set_pending(handler_input, session.ASKED_WELCOME)
        return prompt(handler_input, self.content.messages["welcome"])


class SessionEndedHandler(AbstractRequestHandler):
    """The session closed on Alexa's side: log why, let ``on_end`` keep what matters."""

    def __init__(self, on_end=None):
        self.on_end = on_end

    def can_handle(self, handler_input: HandlerInput):
        return is_request_type("SessionEndedRequest")(handler_input)

    def handle(self, handler_input: HandlerInput):
        if self.on_end is not None:
            self.on_end(handler_input)
        request = request_of(handler_input)
        reason = getattr(request, "reason", None)
        reason = getattr(reason, "value", reason)
        error = getattr(request, "error", None)
        if error is not None:
            log.warning(
                "session ended: %s (%s: %s)",
                reason,
                getattr(error.object_type, "value", error.object_type),
                error.message,
            )
        else:
            log.info("session ended: %s", reason)
        return handler_input.response_builder.response


class OtherRequestHandler(AbstractRequestHandler):
    """Any other request type Alexa may send (events, exceptions): acknowledge silently."""

    def can_handle(self, handler_input: HandlerInput):
        return True

    def handle(self, handler_input: HandlerInput):
        log.info("acknowledged %s", request_of(handler_input).object_type)
        return handler_input.response_builder.response
