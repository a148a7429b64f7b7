"""A person's own numbers: one-rep-max estimates, recent progress, their unit, how a set felt."""

from __future__ import annotations

import datetime as dt
import logging

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from .. import session as qa_session
from ..respond import ask, prompt
from . import insights, numbers, progress
from .coach import Coach
from .flow import Event
from .place import Place
from .state import who

log = logging.getLogger(__name__)

UNKNOWN_UNIT = "?"
DIFFICULTY_LINES = {
    "TOO_HARD": "difficulty_hard",
    "TOO_EASY": "difficulty_easy",
    "JUST_RIGHT": "difficulty_right",
}


class Personal:
    def __init__(self, coach: Coach):
        self.coach = coach
        self.words = coach.words
        self.orm = coach.content.one_rep_max

    def number_slots(self, handler_input: HandlerInput):
        """(reps, weight, unit): unit is "kg", "lb", None (not said) or UNKNOWN_UNIT."""
        intent = handler_input.request_envelope.request.intent
        slots = intent.slots or {}

        def value(name):
            slot = slots.get(name)
            return numbers.parse_number(slot.value) if slot is not None else None

        unit_id, heard = self.coach.resolver.resolve(intent, "Unit")
        unit = numbers.UNIT_IDS.get(unit_id) if unit_id else None
        if unit is None and heard:
            unit = UNKNOWN_UNIT
        return value("Reps"), value("Weight"), unit

    def ask_unit(self, handler_input, reps, weight, then: str):
        """An unknown unit ("twenty stones") is asked about, never guessed."""
        data = {"reps": reps, "weight": weight, "then": then}
        qa_session.set_pending(handler_input, qa_session.ASKED_UNIT, data)
        asked = self.words.prompt("unit_question", number=numbers.say_number(weight))
        return ask(handler_input, asked.speech, asked.follow_up)

    def log(self, handler_input: HandlerInput, place: Place):
        """The set at ``place`` logged with the numbers heard; an unknown unit is asked about."""
        reps, weight, unit = self.number_slots(handler_input)
        if weight is not None and unit == UNKNOWN_UNIT:
            if place.stage == "confirm_done" or self.coach.flow.following(place) is None:
                return self.ask_unit(handler_input, reps, weight, "log")
            response = self.coach.log_asking_unit(handler_input, place, reps, weight)
            data = {"reps": reps, "weight": weight, "then": "fill"}
            qa_session.set_pending(handler_input, qa_session.ASKED_UNIT, data)
            return response
        unit = None if unit == UNKNOWN_UNIT else unit
        event = Event("done", reps=reps, weight=weight, unit=unit)
        return self.coach.run(handler_input, place, event)

    def claim(self, handler_input: HandlerInput, place: Place):
        """ "Done" or "twelve" before the set began: asked about, never logged."""
        reps, weight, unit = self.number_slots(handler_input)
        unit = None if unit == UNKNOWN_UNIT else unit
        if weight is not None and unit is None:
            unit = self.coach.unit(handler_input)
        event = Event("claim", reps=reps, weight=weight, unit=unit)
        return self.coach.run(handler_input, place, event)

    def correct(self, handler_input: HandlerInput, place: Place):
        reps, weight, unit = self.number_slots(handler_input)
        unit = None if unit == UNKNOWN_UNIT else unit
        return self.coach.correct(handler_input, place, reps, weight, unit)

    def mode_heard(self, handler_input: HandlerInput) -> str | None:
        """ "counted" or "self" from a ``SetModeIntent``, None when its words are unknown."""
        intent = handler_input.request_envelope.request.intent
        value_id, _ = self.coach.resolver.resolve(intent, "Mode")
        return {"COUNTED": "counted", "SELF_PACED": "self"}.get(value_id or "")

    def one_rep_max(self, handler_input: HandlerInput) -> Response | str:
        """The estimate's lines; the question when a number is missing or the unit unknown."""
        reps, weight, unit = self.number_slots(handler_input)
        if reps is None or weight is None:
            qa_session.set_pending(handler_input, qa_session.ASKED_ONE_REP_MAX)
            return prompt(handler_input, self.coach.content.messages["one_rep_max_missing"])
        if unit == UNKNOWN_UNIT:
            return self.ask_unit(handler_input, reps, weight, "one_rep_max")
        return self._estimate(reps, weight, unit or self.coach.unit(handler_input))

    def _estimate(self, reps: float, weight: float, unit: str) -> str:
        said = insights.one_rep_max_lines(
            weight, reps, unit, self.orm, self.words, self.coach.rule.supervision_above
        )
        return " ".join(said)

    def unit_heard(self, handler_input: HandlerInput) -> str | None:
        """ "kg" or "lb" from the request's Unit slot, None when none was understood."""
        intent = handler_input.request_envelope.request.intent
        unit_id, _ = self.coach.resolver.resolve(intent, "Unit")
        return numbers.UNIT_IDS.get(unit_id) if unit_id else None

    def unit(self, handler_input: HandlerInput, place: Place | None) -> Response | str:
        """ "Kilograms" after "was that kilograms or pounds?", or "use pounds" at any time."""
        intent = handler_input.request_envelope.request.intent
        unit_id, _ = self.coach.resolver.resolve(intent, "Unit")
        unit = numbers.UNIT_IDS.get(unit_id) if unit_id else None
        waiting = qa_session.pending(handler_input) == qa_session.ASKED_UNIT
        data = qa_session.pending_data(handler_input)
        if unit is None:
            if waiting:
                return self.ask_unit(
                    handler_input, data.get("reps"), data.get("weight"), data.get("then", "")
                )
            return self.words("unit_unknown")
        user = who(handler_input)
        self.coach.write(handler_input, lambda: self.coach.store.remember(user, unit=unit))
        reps, weight = data.get("reps"), data.get("weight")
        if waiting and isinstance(weight, int | float):
            qa_session.set_pending(handler_input, None)
            reps = reps if isinstance(reps, int | float) else None
            if data.get("then") == "one_rep_max" and reps:
                return self._estimate(reps, weight, unit)
            if data.get("then") == "log" and place is not None:
                event = Event("done", reps=reps, weight=weight, unit=unit)
                return self.coach.run(handler_input, place, event)
            if data.get("then") == "fill" and place is not None:
                return self.coach.fill_unit(handler_input, place, weight, unit)
        return self.words("unit_set", unit=numbers.UNIT_WORDS[unit][1])

    def difficulty(self, handler_input: HandlerInput, place: Place | None) -> str:
        """ "That was too hard": kept with the exercise, so next time's weight is lighter."""
        intent = handler_input.request_envelope.request.intent
        value_id, _ = self.coach.resolver.resolve(intent, "Difficulty")
        key = DIFFICULTY_LINES.get(value_id or "")
        if place is None or key is None:
            return self.words("difficulty_no_workout")
        program = self.coach.programs[place.program]
        exercise = program.exercises[_just_done(place)]
        user = who(handler_input)
        self.coach.write(
            handler_input,
            lambda: self.coach.store.record_feedback(user, place, exercise.id, value_id),
        )
        return self.words(key, exercise=exercise.name)

    def progress(self, handler_input: HandlerInput, in_workout: bool) -> tuple[str, bool]:
        """ "How am I doing": (the summary, whether they have finished any workout lately)."""
        coach = self.coach
        try:
            attrs = coach.stored(handler_input)
        except Exception:
            log.warning("could not read history for a summary", exc_info=True)
            return self.words("notes_unreachable"), True
        unit = coach.unit(handler_input)
        now = dt.datetime.now(dt.UTC)
        since = (now - dt.timedelta(days=28)).isoformat(timespec="seconds")
        count, changes = progress.recent_summary(coach.store.history(attrs, since=since), now, unit)
        names = {e.id: e.name for p in coach.programs.values() for e in p.exercises}
        said = insights.progress_lines(count, changes, names, unit, self.words, in_workout)
        return " ".join(said), count > 0


def _just_done(cursor: Place) -> int:
    """The exercise a remark about "that set" is about: the current one, or the one just
    finished when the next exercise is about to start."""
    if cursor.stage != "set" and cursor.set == 0 and cursor.ex > 0:
        return cursor.ex - 1
    return cursor.ex
