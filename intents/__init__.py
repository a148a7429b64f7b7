"""Request handlers: which content to say for each request.

Nothing here knows about Flask or HTTP; ``skill.builder`` wires these into ask-sdk-core.
"""

from __future__ import annotations

from skill.content import Content

from . import session
from .errors import ApologiseOnError
from .interceptors import CheckSessionRule, KeepOwnSessionAttributes, LogRequest
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
from .workout.coach import Coach
from .workout.handlers import ANY_TIME, WORKOUT_ONLY, workout_handlers
from .workout.state import SESSION_KEY, WorkoutStore
from .workout.unsaved import UNSAVED_KEY

#: Custom intents answered by a handler rather than by a content topic.
HANDLED_INTENTS = frozenset({"TellMeMoreIntent", "WhereFromIntent", *WORKOUT_ONLY, *ANY_TIME})
#: Every session attribute the skill keeps; anything else a client sends is not echoed back.
SESSION_KEYS = frozenset({session.LAST, session.PENDING, SESSION_KEY, UNSAVED_KEY})


def request_handlers(content: Content, language_model: dict, persistence) -> list:
    """Handlers in the order they are tried: the most specific first."""
    resolver = SlotResolver(language_model)
    coach = Coach(content, WorkoutStore(persistence, content.workout["history_kept"]), resolver)
    workout_first, workout_last = workout_handlers(coach)
    return [
        LaunchHandler(content, welcome_back=coach.welcome_back),
        SessionEndedHandler(on_end=coach.session_ended),
        *workout_first,
        StopHandler(content),
        HelpHandler(content),
        TopicAnswerHandler(content, resolver, detour=coach.detour, pause=coach.pause_for),
        TellMeMoreHandler(content, detour=coach.detour),
        WhereFromHandler(content, detour=coach.detour),
        YesNoHandler(content),
        *workout_last,
        FallbackHandler(content),
        OtherRequestHandler(),
    ]


def exception_handlers(content: Content) -> list:
    return [ApologiseOnError(content)]


def request_interceptors() -> list:
    return [LogRequest()]


def response_interceptors() -> list:
    return [KeepOwnSessionAttributes(SESSION_KEYS), CheckSessionRule()]
