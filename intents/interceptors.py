"""Interceptors: log each request, and catch responses that break the session rule."""

from __future__ import annotations

import logging

from ask_sdk_core.dispatch_components import (
    AbstractRequestInterceptor,
    AbstractResponseInterceptor,
)

log = logging.getLogger(__name__)


class LogRequest(AbstractRequestInterceptor):
    def process(self, handler_input):
        if log.isEnabledFor(logging.DEBUG):
            request = handler_input.request_envelope.request
            intent = getattr(getattr(request, "intent", None), "name", None)
            log.debug("%s %s", request.object_type, intent or "")


class CheckSessionRule(AbstractResponseInterceptor):
    """An open microphone needs a reprompt; say so loudly in the log if a handler forgets."""

    def process(self, handler_input, response):
        if response is not None and response.should_end_session is False and not response.reprompt:
            log.error("response keeps the session open without a reprompt")
