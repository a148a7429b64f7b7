"""Request handlers: what each reply means in its state, and which content to say.

Nothing here knows about Flask or HTTP; ``skill.builder`` wires these into ask-sdk-core.
One handler interprets every intent request (``conversation.Interpret``): ``hearing`` sorts
what was heard into a reply, ``meaning`` says what that reply means in the conversation's
state, and ``actions`` does it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ask_sdk_core.dispatch_components import (
    AbstractExceptionHandler,
    AbstractRequestHandler,
    AbstractRequestInterceptor,
    AbstractResponseInterceptor,
)
from ask_sdk_core.handler_input import HandlerInput

from skill.content.model import Content
from skill.store.persistence import SqlPersistenceAdapter

from . import session
from .actions import Conversation
from .conversation import Interpret, Where
from .errors import ApologiseOnError
from .forget import Forgetting
from .hearing import HANDLED_INTENTS, Hearing
from .interceptors import (
    CheckSessionRule,
    KeepOwnSessionAttributes,
    LogRequest,
    UseRequestLocale,
)
from .keep.consent import ConsentAnswered
from .keep.keeping import SESSION_KEY as REMINDERS_KEY
from .keep.keeping import ChartMaker, KeepTraining
from .keep.store import KeepStore
from .lifecycle import LaunchHandler, OtherRequestHandler, SessionEndedHandler
from .profile import HEARD_THIS_SESSION, WELCOMED, FirstUseDisclaimer
from .questions import Answers
from .session import ForgetUnasked
from .slots import SlotResolver
from .words import Words
from .workout.coach import Coach
from .workout.effects import Effects
from .workout.flow import Flow
from .workout.gates import Gates
from .workout.heard import WorkoutHearing
from .workout.personal import Personal
from .workout.render import Renderer
from .workout.speaker import Speaker
from .workout.state import SESSION_KEY, WorkoutStore, user_id
from .workout.stored import Records
from .workout.unsaved import UNSAVED_KEY
from .workout.voice import Voice

__all__ = [
    "HANDLED_INTENTS",
    "SESSION_NAMES",
    "ChartMaker",
    "SessionNames",
    "Workout",
    "build_workout",
]

#: Every session attribute the skill keeps. Anything else a client sends is not echoed
#: back (a key the skill itself sets but is missing here is kept, and logged as an error).
SESSION_KEYS = frozenset(
    {
        session.LAST,
        session.PENDING,
        session.PENDING_DATA,
        session.MISSES,
        HEARD_THIS_SESSION,
        SESSION_KEY,
        UNSAVED_KEY,
        REMINDERS_KEY,
    }
)


@dataclass(frozen=True)
class SessionNames:
    """The session attributes that say where the conversation is, for a listener outside
    the skill (the simulator's walk): the workout under way, the question pending, the
    pending question that offers more of an answer, and those that ask to choose."""

    workout: str = SESSION_KEY
    pending: str = session.PENDING
    offered_more: str = session.OFFERED_MORE
    choices: frozenset[str] = frozenset({session.ASKED_PROGRAM, session.ASKED_UNIT})


SESSION_NAMES = SessionNames()


@dataclass(frozen=True)
class Workout:
    """The skill's parts, built once at start-up."""

    content: Content
    records: Records
    coach: Coach
    gates: Gates
    personal: Personal
    conversation: Conversation
    interpret: Interpret
    keep: KeepTraining


def build_workout(
    content: Content,
    language_model: dict,
    persistence: SqlPersistenceAdapter,
    charts: ChartMaker | None = None,
) -> Workout:
    """The skill's parts; ``charts`` makes progress-chart links (``skill.web.charts.ChartLinks``),
    None for text cards."""
    words = Words(content.lines)
    resolver = SlotResolver(language_model)
    store = WorkoutStore(persistence, content.workout["history_kept"])
    records = Records(store, content.programs, content.workout["default_unit"])
    heard = WorkoutHearing(resolver, content.by_program_slot)
    keep = KeepTraining(words, resolver, records, KeepStore(persistence), charts=charts)
    voice = Voice(content, records, Renderer(content, words), after_workout=keep.after_workout)
    gates = Gates(content, records)
    coach = Coach(Flow(content.programs), Effects(records), Speaker(content, voice), records, gates)
    personal = Personal(content, records, heard, voice)
    forgetting = Forgetting(words, records.store, before=keep.forget_reminders)
    conversation = Conversation(
        content,
        records,
        heard,
        coach,
        gates,
        personal,
        Answers(content, resolver),
        forgetting,
        keep,
    )
    keep.follow_on = conversation.follow_on
    interpret = Interpret(Hearing(content, resolver), Where(records), conversation.actions())
    return Workout(content, records, coach, gates, personal, conversation, interpret, keep)


def request_handlers(workout: Workout) -> list[AbstractRequestHandler]:
    """Handlers in the order they are tried: request types, then every intent request."""
    conversation = workout.conversation
    return [
        LaunchHandler(workout.content, welcome_back=conversation.welcome_back),
        SessionEndedHandler(on_end=conversation.session_ended),
        ConsentAnswered(workout.keep.consent_answered),
        workout.interpret,
        OtherRequestHandler(),
    ]


def exception_handlers(content: Content) -> list[AbstractExceptionHandler]:
    return [ApologiseOnError(content)]


def request_interceptors() -> list[AbstractRequestInterceptor]:
    return [UseRequestLocale(), LogRequest()]


def response_interceptors(workout: Workout) -> list[AbstractResponseInterceptor]:
    records = workout.records

    def remember_heard(handler_input: HandlerInput) -> None:
        user = user_id(handler_input)
        records.write(handler_input, lambda: records.store.remember(user, **{WELCOMED: True}))

    messages = workout.content.messages

    def note() -> str:
        return messages["welcome_first"].speech

    return [
        ForgetUnasked(),
        FirstUseDisclaimer(note, remember_heard),
        KeepOwnSessionAttributes(SESSION_KEYS),
        CheckSessionRule(),
    ]
