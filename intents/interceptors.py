"""Interceptors: log each request, catch responses that break the session rule, and send
back only the session attributes the skill owns."""

from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components import (
    AbstractRequestInterceptor,
    AbstractResponseInterceptor,
)
from ask_sdk_core.handler_input import HandlerInput

from skill.content.localized import use_locale

from .request import request_of, session_attributes

log = logging.getLogger(__name__)


class UseRequestLocale(AbstractRequestInterceptor):
    """Content answers in the request's locale (shared English for one the skill lacks)."""

    def process(self, handler_input: HandlerInput):
        use_locale(getattr(handler_input.request_envelope.request, "locale", None))


class LogRequest(AbstractRequestInterceptor):
    def process(self, handler_input: HandlerInput):
        if log.isEnabledFor(logging.DEBUG):
            request = request_of(handler_input)
            intent = getattr(getattr(request, "intent", None), "name", None)
            log.debug("%s %s", request.object_type, intent or "")


class CheckSessionRule(AbstractResponseInterceptor):
    """An open microphone needs a reprompt; say so loudly in the log if a handler forgets."""

    def process(self, handler_input: HandlerInput, response):
        if response is not None and response.should_end_session is False and not response.reprompt:
            log.error("response keeps the session open without a reprompt")


class KeepOwnSessionAttributes(AbstractResponseInterceptor):
    """Session attributes come back from the client: echo only the keys the skill uses.

    A key outside ``owned`` that a handler set or changed this turn is the skill's own
    all the same: it is kept, and logged as an error so that ``owned`` gets it.
    """

    def __init__(self, owned: frozenset[str]):
        self.owned = owned

    def process(self, handler_input: HandlerInput, response):
        attrs = session_attributes(handler_input)
        session = handler_input.request_envelope.session
        sent = (session.attributes if session else None) or {}
        for key in [k for k in attrs if k not in self.owned]:
            if key in sent and attrs[key] == sent[key]:
                del attrs[key]
            else:
                log.error("session attribute %r is set but not in SESSION_KEYS", key)
