"""Launch, help, stop, fallback and session end: the skill's built-in conversation."""

from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.utils import is_intent_name, is_request_type

from skill.content import Content

from .respond import prompt

log = logging.getLogger(__name__)

STOP_INTENTS = ("AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NavigateHomeIntent")


class LaunchHandler(AbstractRequestHandler):
    """ "Open bone builder": a short welcome, or the offer to carry on a saved workout."""

    def __init__(self, content: Content, welcome_back=None):
        self.content = content
        self.welcome_back = welcome_back

    def can_handle(self, handler_input):
        return is_request_type("LaunchRequest")(handler_input)

    def handle(self, handler_input):
        if self.welcome_back is not None:
            response = self.welcome_back(handler_input)
            if response is not None:
                return response
        return prompt(handler_input, self.content.messages["welcome"])


class HelpHandler(AbstractRequestHandler):
    def __init__(self, content: Content):
        self.content = content

    def can_handle(self, handler_input):
        return is_intent_name("AMAZON.HelpIntent")(handler_input)

    def handle(self, handler_input):
        return prompt(handler_input, self.content.messages["help"])


class StopHandler(AbstractRequestHandler):
    """Stop, cancel and "go home" all end the session."""

    def __init__(self, content: Content):
        self.content = content

    def can_handle(self, handler_input):
        return any(is_intent_name(name)(handler_input) for name in STOP_INTENTS)

    def handle(self, handler_input):
        return prompt(handler_input, self.content.messages["goodbye"])


class FallbackHandler(AbstractRequestHandler):
    """Out-of-domain speech, or an intent this skill does not know: say what it can do;
    after two misses in a row, the help menu (``missed``)."""

    def __init__(self, content: Content, missed=None):
        self.content = content
        self.missed = missed or (lambda handler_input: None)

    def can_handle(self, handler_input):
        return is_request_type("IntentRequest")(handler_input)

    def handle(self, handler_input):
        intent = handler_input.request_envelope.request.intent
        name = intent.name if intent else None
        if name != "AMAZON.FallbackIntent":
            log.info("no handler for intent %r; answering with the fallback", name)
        return self.missed(handler_input) or prompt(
            handler_input, self.content.messages["fallback"]
        )


class SessionEndedHandler(AbstractRequestHandler):
    """The session closed on Alexa's side: log why, let ``on_end`` keep what matters."""

    def __init__(self, on_end=None):
        self.on_end = on_end

    def can_handle(self, handler_input):
        return is_request_type("SessionEndedRequest")(handler_input)

    def handle(self, handler_input):
        if self.on_end is not None:
            self.on_end(handler_input)
        request = handler_input.request_envelope.request
        reason = getattr(request.reason, "value", request.reason)
        error = request.error
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

    def can_handle(self, handler_input):
        return True

    def handle(self, handler_input):
        log.info("acknowledged %s", handler_input.request_envelope.request.object_type)
        return handler_input.response_builder.response
