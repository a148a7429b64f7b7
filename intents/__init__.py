"""Request handlers: which content to say for each request.

Nothing here knows about Flask or HTTP; ``skill.builder`` wires these into ask-sdk-core.
"""

from __future__ import annotations

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.utils import is_intent_name

from skill.content import Content

from . import session
from .asked import MISSES, AskAgain, CountMisses, Restate
from .errors import ApologiseOnError
from .forget import FORGET_INTENT, AnswerToForget, AskToForget
from .interceptors import (
    CheckSessionRule,
    KeepOwnSessionAttributes,
    LogRequest,
    UseRequestLocale,
)
from .keep.consent import ConsentAnswered
from .keep.keeping import SESSION_KEY as REMINDERS_KEY
from .keep.keeping import KeepTraining
from .keep.store import KeepStore
from .lifecycle import (
    FallbackHandler,
    HelpHandler,
    LaunchHandler,
    OtherRequestHandler,
    SessionEndedHandler,
    StopHandler,
)
from .profile import HEARD_THIS_SESSION, WELCOMED, FirstUseDisclaimer
from .questions import (
    RepeatHandler,
    TellMeMoreHandler,
    TopicAnswerHandler,
    WhereFromHandler,
    YesNoHandler,
)
from .safety import SYMPTOM_INTENT, SymptomHandler
from .session import ForgetUnasked
from .slots import SlotResolver
from .workout.coach import Coach
from .workout.gates import Gates
from .workout.handlers import WORKOUT_INTENTS, Workout, workout_handlers
from .workout.personal import Personal
from .workout.state import SESSION_KEY, WorkoutStore, user_id
from .workout.unsaved import UNSAVED_KEY

__all__ = ["Workout", "HANDLED_INTENTS", "build_workout"]

#: Custom intents answered by a handler rather than by a content topic.
HANDLED_INTENTS = frozenset(
    {"TellMeMoreIntent", "WhereFromIntent", SYMPTOM_INTENT, FORGET_INTENT, *WORKOUT_INTENTS}
)
#: Every session attribute the skill keeps. Anything else a client sends is not echoed
#: back (a key the skill itself sets but is missing here is kept, and logged as an error).
SESSION_KEYS = frozenset(
    {
        session.LAST,
        session.PENDING,
        session.PENDING_DATA,
        MISSES,
        HEARD_THIS_SESSION,
        SESSION_KEY,
        UNSAVED_KEY,
        REMINDERS_KEY,
    }
)


def build_workout(content: Content, language_model: dict, persistence, charts=None) -> Workout:
    """The workout and what keeps people training; ``charts`` makes progress-chart links
    (``skill.charts.ChartLinks``), None for text cards."""
    resolver = SlotResolver(language_model)
    coach = Coach(content, WorkoutStore(persistence, content.workout["history_kept"]), resolver)
    keep = KeepTraining(coach, KeepStore(persistence), charts=charts)
    coach.voice.after_workout = keep.after_workout
    return Workout(coach, Gates(coach), Personal(coach), keep)


class AnswerTime(AbstractRequestHandler):
    """A bare number ("nine") when the skill just asked what time to remind."""

    def __init__(self, action):
        self.action = action

    def can_handle(self, handler_input):
        return (
            session.pending(handler_input) == session.ASKED_REMINDER_TIME
            and is_intent_name("LogSetIntent")(handler_input)
        )

    def handle(self, handler_input):
        return self.action(handler_input)


def request_handlers(workout: Workout) -> list:
    """Handlers in the order they are tried: the most specific first."""
    coach, content = workout.coach, workout.coach.content
    restate = Restate(content)
    workout_first, workout_last = workout_handlers(workout, AskAgain(restate))
    answers = TopicAnswerHandler(
        content, coach.resolver, detour=coach.detour, pause=coach.pause_for
    )
    more = TellMeMoreHandler(content, detour=coach.detour)
    source = WhereFromHandler(content, detour=coach.detour)
    keep = workout.keep
    return [
        SymptomHandler(content, coach.resolver, hold=workout.gates.warning),
        AnswerToForget(
            coach.words,
            coach.store,
            carry_on=coach.follow_on,
            before=keep.forget_reminders if keep else None,
        ),
        *([AnswerTime(keep.time_answer), ConsentAnswered(keep.consent_answered)] if keep else []),
        AskToForget(coach.words),
        LaunchHandler(content, welcome_back=coach.welcome_back),
        SessionEndedHandler(on_end=coach.session_ended),
        *workout_first,
        StopHandler(content),
        HelpHandler(content),
        answers,
        more,
        source,
        YesNoHandler(content),
        RepeatHandler(answers, more, source),
        *workout_last,
        FallbackHandler(content, missed=restate.missed),
        OtherRequestHandler(),
    ]


def exception_handlers(content: Content) -> list:
    return [ApologiseOnError(content)]


def request_interceptors() -> list:
    return [UseRequestLocale(), LogRequest(), CountMisses()]


def response_interceptors(workout: Workout) -> list:
    coach = workout.coach

    def remember_heard(handler_input) -> None:
        user = user_id(handler_input)
        coach.write(handler_input, lambda: coach.store.remember(user, **{WELCOMED: True}))

    messages = coach.content.messages

    def note() -> str:
        return messages["welcome_first"].speech

    return [
        ForgetUnasked(),
        FirstUseDisclaimer(note, remember_heard),
        KeepOwnSessionAttributes(SESSION_KEYS),
        CheckSessionRule(),
    ]
