"""A person's own numbers: one-rep-max estimates, their unit, a set corrected, how a set felt."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.content.model import Content, Exercise

from .. import session as qa_session
from ..request import intent_of
from ..respond import ask, prompt
from . import insights, numbers
from .heard import Numbers, WorkoutHearing
from .place import Place, Stage
from .state import who
from .stored import Records
from .voice import Voice

log = logging.getLogger(__name__)

DIFFICULTY_LINES = {
    "TOO_HARD": "difficulty_hard",
    "TOO_EASY": "difficulty_easy",
    "JUST_RIGHT": "difficulty_right",
}


@dataclass(frozen=True)
class UnitGiven:
    """The unit said in answer to "kilograms or pounds?", with the numbers that waited for
    it and what they were for: ``then`` is "log" (a set to log) or "fill" (the weight of
    the set just logged)."""

    unit: str
    then: str
    reps: float | None
    weight: float


class Personal:
    def __init__(self, content: Content, records: Records, heard: WorkoutHearing, voice: Voice):
        self.content = content
        self.records = records
        self.store = records.store
        self.heard = heard
        self.voice = voice
        self.words = voice.words

    def ask_unit(self, handler_input: HandlerInput, said: Numbers, then: str) -> Response:
        """An unknown unit ("twenty stones") is asked about, never guessed."""
        data = {"reps": said.reps, "weight": said.weight, "then": then}
        qa_session.set_pending(handler_input, qa_session.ASKED_UNIT, data)
        weight = said.weight if said.weight is not None else 0
        asked = self.words.prompt("unit_question", number=numbers.say_number(weight))
        return ask(handler_input, asked.speech, asked.follow_up or "")

    def one_rep_max(self, handler_input: HandlerInput) -> Response | str:
        """The estimate's lines; the question when a number is missing or the unit unknown."""
        said = self.heard.numbers(handler_input)
        if said.reps is None or said.weight is None:
            qa_session.set_pending(handler_input, qa_session.ASKED_ONE_REP_MAX)
            return prompt(handler_input, self.content.messages["one_rep_max_missing"])
        if said.unknown_unit:
            return self.ask_unit(handler_input, said, "one_rep_max")
        unit = said.unit or self.records.unit(handler_input)
        return self.estimate(said.reps, said.weight, unit)

    def estimate(self, reps: float, weight: float, unit: str) -> str:
        rule, supervised = self.content.one_rep_max, self.content.progression.supervision_above
        return " ".join(
            insights.one_rep_max_lines(weight, reps, unit, rule, self.words, supervised)
        )

    def unit(self, handler_input: HandlerInput) -> Response | str | UnitGiven:
        """ "Kilograms" after "was that kilograms or pounds?", or "use pounds" at any time:
        kept as the person's unit. Then the estimate or the words to say, or the numbers
        that waited for it (``UnitGiven``)."""
        unit = self.heard.unit(handler_input)
        waiting = qa_session.pending(handler_input) == qa_session.ASKED_UNIT
        data = qa_session.pending_data(handler_input)
        if unit is None:
            if waiting:
                kept = Numbers(data.get("reps"), data.get("weight"), None, True)
                return self.ask_unit(handler_input, kept, data.get("then", ""))
            return self.words("unit_unknown")
        person = who(handler_input)
        self.records.write(handler_input, lambda: self.store.remember(person, unit=unit))
        reps, weight, then = data.get("reps"), data.get("weight"), data.get("then")
        if waiting and isinstance(weight, int | float):
            qa_session.set_pending(handler_input, None)
            reps = reps if isinstance(reps, int | float) else None
            if then == "one_rep_max" and reps:
                return self.estimate(reps, weight, unit)
            if then in ("log", "fill"):
                return UnitGiven(unit, then, reps, weight)
        return self.unit_set(unit)

    def unit_set(self, unit: str) -> str:
        return self.words("unit_set", unit=numbers.UNIT_WORDS[unit][1])

    def correct(self, handler_input: HandlerInput, place: Place) -> str:
        """ "No, I said fifteen": the last logged set fixed, and said."""
        said = self.heard.numbers(handler_input)
        changes: dict = {}
        if said.reps is not None:
            changes["reps"] = int(said.reps)
        if said.weight is not None:
            changes.update(weight=said.weight, unit=said.unit or self.records.unit(handler_input))
        found: dict = {}
        person = who(handler_input)
        if changes:
            self.records.write(
                handler_input, lambda: self.store.correct_last(person, place, changes, found)
            )
        if not found:
            return self.words("nothing_to_correct")
        names = {e.id: e.name for e in self._exercises(place)}
        return self.voice.render.line(
            "corrected",
            set=found.get("set") or 1,
            exercise=names.get(str(found.get("exercise")), ""),
            done=self.voice.done(found),
        )

    def fill_unit(
        self, handler_input: HandlerInput, place: Place, weight: float, unit: str
    ) -> tuple[str, int]:
        """The unit for the set just logged: its weight filled in. The line saying so, and
        the rest that follows the set."""
        found: dict = {}
        person = who(handler_input)
        changes = {"weight": weight, "unit": unit}
        self.records.write(
            handler_input, lambda: self.store.correct_last(person, place, changes, found)
        )
        exercises = {e.id: e for e in self._exercises(place)}
        done = exercises.get(str(found.get("exercise"))) or self._exercises(place)[place.ex]
        line = self.voice.render.line(
            "unit_filled",
            set=found.get("set") or 1,
            exercise=done.name,
            done=self.voice.done(found) if found else "",
        )
        return line, done.rest_seconds

    def difficulty(self, handler_input: HandlerInput, place: Place | None) -> str:
        """ "That was too hard": kept with the exercise, so next time's weight is lighter."""
        intent = intent_of(handler_input)
        value_id, _ = self.heard.resolver.resolve(intent, "Difficulty")
        key = DIFFICULTY_LINES.get(value_id or "")
        if place is None or key is None:
            return self.words("difficulty_no_workout")
        exercise = self._exercises(place)[_just_done(place)]
        person = who(handler_input)
        self.records.write(
            handler_input,
            lambda: self.store.record_feedback(person, place, exercise.id, value_id or ""),
        )
        return self.words(key, exercise=exercise.name)

    def _exercises(self, place: Place) -> tuple[Exercise, ...]:
        return self.content.programs[place.program].exercises


def _just_done(cursor: Place) -> int:
    """The exercise a remark about "that set" is about: the current one, or the one just
    finished when the next exercise is about to start."""
    if cursor.stage is not Stage.SET and cursor.set == 0 and cursor.ex > 0:
        return cursor.ex - 1
    return cursor.ex
