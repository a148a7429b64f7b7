"""Request handlers: which content to say for each request.

Nothing here knows about Flask or HTTP; ``skill.builder`` wires these into ask-sdk-core.
"""

from __future__ import annotations

from skill.content import Content

from .errors import ApologiseOnError
from .interceptors import CheckSessionRule, LogRequest
from .lifecycle import (
    FallbackHandler,
    HelpHandler,
    LaunchHandler,
    OtherRequestHandler,
    SessionEndedHandler,
    StopHandler,
)
from .questions import TellMeMoreHandler, TopicAnswerHandler, WhereFromHandler, YesNoHandler
from .slots import SlotResolver

#: Custom intents answered by a handler rather than by a content topic.
HANDLED_INTENTS = frozenset({"TellMeMoreIntent", "WhereFromIntent"})


def request_handlers(content: Content, language_model: dict) -> list:
    """Handlers in the order they are tried: the most specific first."""
    resolver = SlotResolver(language_model)
    return [
        LaunchHandler(content),
        SessionEndedHandler(),
        StopHandler(content),
        HelpHandler(content),
        TopicAnswerHandler(content, resolver),
        TellMeMoreHandler(content),
        WhereFromHandler(content),
        YesNoHandler(content),
        FallbackHandler(content),
        OtherRequestHandler(),
    ]


def exception_handlers(content: Content) -> list:
    return [ApologiseOnError(content)]


def request_interceptors() -> list:
    return [LogRequest()]


def response_interceptors() -> list:
    return [CheckSessionRule()]
