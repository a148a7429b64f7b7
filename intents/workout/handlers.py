"""Route workout requests: tables of intents to callables, not a class per intent."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput

from .. import session as qa_session
from ..keep.keeping import INTENTS as KEEP_INTENTS
from ..keep.keeping import KeepTraining
from .coach import Coach
from .flow import Event
from .gates import Gates
from .personal import Personal
from .state import Cursor, put_cursor

#: Needs a workout under way: gets (handler_input, cursor).
PlaceAction = Callable[[HandlerInput, Cursor], object]
#: Works with or without one: gets (handler_input).
Action = Callable[[HandlerInput], object]


@dataclass(frozen=True)
class Workout:
    """The workout's parts, built once at start-up."""

    coach: Coach
    gates: Gates
    personal: Personal
    keep: KeepTraining | None = None

    def workout_only(self) -> dict[str, PlaceAction]:
        on = self.coach.on
        return {
            "LogSetIntent": self.personal.log_from_slots,
            "AMAZON.NextIntent": on("next"),
            "AMAZON.PreviousIntent": on("previous"),
            "SkipExerciseIntent": on("skip"),
            "AMAZON.StartOverIntent": on("start_over"),
            "AMAZON.PauseIntent": on("pause"),
            "AMAZON.ResumeIntent": on("resume"),
            "SetsLeftIntent": on("sets_left"),
            "WhatsNextIntent": on("whats_next"),
            "CorrectionIntent": self.personal.correct_from_slots,
            "FormIntent": self.coach.form,
            "WhyExerciseIntent": self.coach.why,
            "SetModeIntent": self.personal.set_mode,
        }

    def during_workout(self) -> dict[str, PlaceAction]:
        on = self.coach.on
        return {
            "AMAZON.YesIntent": on("yes"),
            "AMAZON.NoIntent": on("no"),
            "AMAZON.HelpIntent": on("help"),
            "AMAZON.StopIntent": on("stop"),
            "AMAZON.CancelIntent": on("stop"),
            "AMAZON.NavigateHomeIntent": on("stop"),
            "AMAZON.FallbackIntent": on("fallback"),
            "AMAZON.RepeatIntent": on("repeat"),
        }

    def any_time(self) -> dict[str, Action]:
        p = self.personal
        return {
            "StartWorkoutIntent": self.coach.start,
            "OneRepMaxIntent": p.one_rep_max,
            "HowAmIDoingIntent": p.how_am_i_doing,
            "DifficultyIntent": p.difficulty,
            "UnitIntent": p.unit,
            **(self.keep.intents() if self.keep is not None else {}),
        }


#: The intents in each table, for the model check, the fuzzer and the tests.
WORKOUT_ONLY = frozenset(
    {
        "LogSetIntent",
        "AMAZON.NextIntent",
        "AMAZON.PreviousIntent",
        "SkipExerciseIntent",
        "AMAZON.StartOverIntent",
        "AMAZON.PauseIntent",
        "AMAZON.ResumeIntent",
        "SetsLeftIntent",
        "WhatsNextIntent",
        "CorrectionIntent",
        "FormIntent",
        "WhyExerciseIntent",
        "SetModeIntent",
    }
)
DURING_WORKOUT = frozenset(
    {
        "AMAZON.YesIntent",
        "AMAZON.NoIntent",
        "AMAZON.HelpIntent",
        "AMAZON.StopIntent",
        "AMAZON.CancelIntent",
        "AMAZON.NavigateHomeIntent",
        "AMAZON.FallbackIntent",
        "AMAZON.RepeatIntent",
    }
)
ANY_TIME = frozenset(
    {
        "StartWorkoutIntent",
        "OneRepMaxIntent",
        "HowAmIDoingIntent",
        "DifficultyIntent",
        "UnitIntent",
        *KEEP_INTENTS,
    }
)
#: Custom intents the workout answers (the model check needs every intent answered).
WORKOUT_INTENTS = frozenset(n for n in WORKOUT_ONLY | ANY_TIME if not n.startswith("AMAZON."))


def _intent_name(handler_input: HandlerInput) -> str | None:
    request = handler_input.request_envelope.request
    intent = getattr(request, "intent", None)
    return intent.name if intent is not None else None


class Route(AbstractRequestHandler):
    """Sends the intents in ``table`` to their callable, when ``when`` holds."""

    def __init__(
        self, table: dict[str, Action], when: Callable[[HandlerInput], bool] | None = None
    ):
        self.table = table
        self.when = when

    def can_handle(self, handler_input):
        name = _intent_name(handler_input)
        return name in self.table and (self.when is None or self.when(handler_input))

    def handle(self, handler_input):
        return self.table[_intent_name(handler_input)](handler_input)


class RouteWithPlace(Route):
    """Like ``Route``, and hands over the workout under way: from the session, or the saved
    one for a new session (after the hold and go-ahead questions, if any are due).
    Without one the person hears how to start one."""

    def __init__(self, coach: Coach, table: dict[str, PlaceAction], when=None):
        super().__init__(table, when)
        self.coach = coach

    def handle(self, handler_input):
        action = self.table[_intent_name(handler_input)]
        cursor = self.coach.cursor(handler_input)
        if cursor is None:
            cursor = self.coach.saved_place(handler_input)
            if cursor is None:
                return self.coach.no_workout(handler_input)
            asked = self.coach.gate(handler_input, None)
            if asked is not None:
                return asked
            put_cursor(handler_input, cursor)
        return action(handler_input, cursor)


class Answer(AbstractRequestHandler):
    """An answer to a question the skill just asked (``pending``): yes/no, a number, a unit."""

    def __init__(self, intents: tuple[str, ...], pending: str, action: Action):
        self.intents = intents
        self.pending = pending
        self.action = action

    def can_handle(self, handler_input):
        return (
            _intent_name(handler_input) in self.intents
            and qa_session.pending(handler_input) == self.pending
        )

    def handle(self, handler_input):
        return self.action(handler_input)


class AnythingMidWorkout(AbstractRequestHandler):
    """Any other intent mid-workout (one this skill does not know): a short reminder."""

    def __init__(self, coach: Coach):
        self.coach = coach

    def can_handle(self, handler_input):
        return (
            _intent_name(handler_input) is not None and self.coach.cursor(handler_input) is not None
        )

    def handle(self, handler_input):
        place = self.coach.cursor(handler_input)
        return self.coach.run(handler_input, place, Event("fallback"))


def workout_handlers(workout: Workout, ask_again: AbstractRequestHandler) -> tuple[list, list]:
    """(handlers tried before the Q&A ones, handlers tried after them).

    ``ask_again`` comes first after the answers: a question waiting for an answer wins
    over the workout's own "repeat" and reminder."""
    coach, gates = workout.coach, workout.gates

    def yes_to_start(handler_input):
        qa_session.set_pending(handler_input, None)
        return coach.start(handler_input)

    def yes_to_shorter(handler_input):
        qa_session.set_pending(handler_input, None)
        shortest = min(coach.programs.values(), key=lambda p: p.minutes)
        return coach.gate(handler_input, shortest) or coach.begin(handler_input, shortest)

    first = [
        Answer(("AMAZON.YesIntent",), qa_session.ASKED_GATE, lambda hi: gates.answer(hi, True)),
        Answer(("AMAZON.NoIntent",), qa_session.ASKED_GATE, lambda hi: gates.answer(hi, False)),
        Answer(
            ("LogSetIntent", "OneRepMaxIntent"),
            qa_session.ASKED_ONE_REP_MAX,
            workout.personal.one_rep_max,
        ),
        ask_again,
        RouteWithPlace(
            coach, workout.during_workout(), when=lambda hi: coach.cursor(hi) is not None
        ),
        Answer(("AMAZON.YesIntent",), qa_session.OFFERED_WORKOUT, yes_to_start),
        Answer(("AMAZON.YesIntent",), qa_session.OFFERED_SHORTER, yes_to_shorter),
        RouteWithPlace(coach, workout.workout_only()),
        Route(workout.any_time()),
    ]
    return first, [AnythingMidWorkout(coach)]
