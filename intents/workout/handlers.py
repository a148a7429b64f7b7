"""Route workout requests to the coach: a table of intents, not a class per intent."""

from __future__ import annotations

from collections.abc import Callable

from ask_sdk_core.dispatch_components import AbstractRequestHandler

from .. import session as qa_session
from .coach import Coach

WORKOUT_ONLY = {
    "LogSetIntent": "log_from_slots",
    "AMAZON.NextIntent": "next",
    "AMAZON.PreviousIntent": "previous",
    "SkipExerciseIntent": "skip",
    "AMAZON.StartOverIntent": "start_over",
    "AMAZON.PauseIntent": "pause",
    "AMAZON.ResumeIntent": "resume",
    "SetsLeftIntent": "sets_left",
    "AMAZON.RepeatIntent": "repeat",
}
DURING_WORKOUT = {
    "AMAZON.YesIntent": "yes",
    "AMAZON.NoIntent": "no",
    "AMAZON.HelpIntent": "help",
    "AMAZON.StopIntent": "stop",
    "AMAZON.CancelIntent": "stop",
    "AMAZON.NavigateHomeIntent": "stop",
    "AMAZON.FallbackIntent": "reminder",
}
ANY_TIME = {
    "StartWorkoutIntent": "start",
    "OneRepMaxIntent": "one_rep_max",
    "HowAmIDoingIntent": "how_am_i_doing",
}


def _intent_name(handler_input) -> str | None:
    request = handler_input.request_envelope.request
    intent = getattr(request, "intent", None)
    return intent.name if intent is not None else None


class Route(AbstractRequestHandler):
    """Sends the intents in ``table`` to the coach method named there, when ``when`` holds.

    With ``needs_place`` the method also gets the workout under way (from the session, or
    the stored one for a new session); without one the person hears how to start one.
    """

    def __init__(
        self,
        coach: Coach,
        table: dict[str, str],
        needs_place: bool,
        when: Callable[[object], bool] | None = None,
    ):
        self.coach = coach
        self.table = table
        self.needs_place = needs_place
        self.when = when

    def can_handle(self, handler_input):
        name = _intent_name(handler_input)
        return name in self.table and (self.when is None or self.when(handler_input))

    def handle(self, handler_input):
        method = getattr(self.coach, self.table[_intent_name(handler_input)])
        if not self.needs_place:
            return method(handler_input)
        cursor = self.coach.cursor(handler_input, load=True)
        if cursor is None:
            return self.coach.no_workout(handler_input)
        return method(handler_input, cursor)


class YesToStart(AbstractRequestHandler):
    """ "Yes" to "would you like to start one?"."""

    def __init__(self, coach: Coach):
        self.coach = coach

    def can_handle(self, handler_input):
        return (
            _intent_name(handler_input) == "AMAZON.YesIntent"
            and qa_session.pending(handler_input) == qa_session.OFFERED_WORKOUT
        )

    def handle(self, handler_input):
        qa_session.set_pending(handler_input, None)
        return self.coach.start(handler_input)


class AnythingMidWorkout(AbstractRequestHandler):
    """Any other intent mid-workout (one this skill does not know): a short reminder."""

    def __init__(self, coach: Coach):
        self.coach = coach

    def can_handle(self, handler_input):
        return (
            _intent_name(handler_input) is not None and self.coach.cursor(handler_input) is not None
        )

    def handle(self, handler_input):
        return self.coach.reminder(handler_input, self.coach.cursor(handler_input))


def workout_handlers(coach: Coach) -> tuple[list, list]:
    """(handlers tried before the Q&A ones, handlers tried after them)."""
    in_workout = lambda hi: coach.cursor(hi) is not None  # noqa: E731
    first = [
        Route(coach, DURING_WORKOUT, needs_place=True, when=in_workout),
        YesToStart(coach),
        Route(coach, WORKOUT_ONLY, needs_place=True),
        Route(coach, ANY_TIME, needs_place=False),
    ]
    return first, [AnythingMidWorkout(coach)]
