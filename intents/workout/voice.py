"""What the workout says where the words depend on the person: the set just logged, today's
weight from their history, praise when a workout is finished, and the how-to card."""

from __future__ import annotations

import logging
from collections.abc import Callable

from ask_sdk_core.handler_input import HandlerInput

from skill.content.model import Content, Exercise

from ..request import request_attributes
from ..words import Words
from . import numbers, praise, progress
from .effects import Kept
from .place import Say, Stage, Step
from .render import Renderer
from .stored import Records

log = logging.getLogger(__name__)


#: Lines said after a workout is finished (the week and the streak):
#: (handler_input, the finished workout) -> lines.
AfterWorkout = Callable[[HandlerInput, dict], list[str]]


class Voice:
    def __init__(
        self,
        content: Content,
        records: Records,
        render: Renderer,
        after_workout: AfterWorkout | None = None,
    ):
        self.content = content
        self.records = records
        self.store = records.store
        self.render = render
        self.words: Words = render.words
        self.after_workout = after_workout

    def say(self, handler_input: HandlerInput, item: Say, kept: Kept) -> list:
        """The words for one ``Say``: lines that need the person's history or this turn's
        saves are made here; the rest by ``Renderer``."""
        if item.key == "ack":
            done = self.done(item.fields)
            line = self.render.line("ack", turn=item.fields.get("turn", 0), done=done)
            if not kept.all_saved and not kept.lost:
                return [line, self.content.messages["save_failed"].speech]
            return [line]
        if item.key == "suggestion":
            return [self._suggestion(handler_input, item.fields["exercise"])]
        if item.key == "complete":
            return self._complete(handler_input, item, kept.finished or {})
        if item.key == "saved_place" and not kept.all_saved:
            return [] if kept.lost else [self.words("place_not_saved")]
        return self.render.say(item)

    def done(self, entry: dict) -> str:
        """ "twelve reps with twenty pounds", "twelve reps", or "set two done"."""
        reps, weight, unit = entry.get("reps"), entry.get("weight"), entry.get("unit")
        if reps and weight and unit in ("kg", "lb"):
            return self.render.line(
                "done_reps_weight", reps=reps, weight=numbers.say_weight(weight, unit)
            )
        if reps:
            return self.render.line("done_reps", reps=reps)
        return self.render.line("done_set", set=entry.get("set") or 1)

    def _complete(self, handler_input: HandlerInput, item: Say, finished: dict) -> list:
        sets = [s for s in finished.get("sets", []) if isinstance(s, dict)]
        count = len(sets) or item.fields["sets"]
        exercises = len({s.get("exercise") for s in sets}) or 1
        line = self.render.line(
            "complete",
            turn=count,
            program=item.fields["program"],
            sets=self.render.count_of("sets", count),
            exercises=self.render.count_of("exercises", exercises),
        )
        said = [line]
        attributes = self.records.read_or_empty(handler_input)
        count, tops = self.store.praise_facts(attributes, finished)
        names = {e.id: e.name for e in self.render.exercises.values()}
        for key, fields in praise.earned_from(count, tops, finished, names):
            if "weight" in fields:
                fields["weight"] = numbers.say_weight(*fields["weight"])
            said.append(self.render.line(key, **fields))
        if self.after_workout is not None:
            said += self.after_workout(handler_input, finished)
        said.append(self.words("rest_up"))
        return said

    def card(self, handler_input: HandlerInput, step: Step) -> tuple[str, str] | None:
        """Set announcements carry the how-to on the card: cue, safety note, why this
        weight, and the bone sites."""
        if step.place is None or step.place.stage is not Stage.SET:
            return None
        exercise = self.content.programs[step.place.program].exercises[step.place.ex]
        why_weight = request_attributes(handler_input).get("why_weight", "")
        lines = [exercise.cue, exercise.safety or "", why_weight, self.why(exercise)]
        return exercise.name.capitalize(), "\n".join(x for x in lines if x)

    def why(self, exercise: Exercise) -> str:
        sites = list(exercise.loads)
        said = sites[0] if len(sites) == 1 else ", ".join(sites[:-1]) + " and " + sites[-1]
        return self.words("why", exercise=exercise.name, sites=said)

    def _suggestion(self, handler_input: HandlerInput, exercise_id: str) -> str:
        exercise = self.render.exercises[exercise_id]
        try:
            attributes = self.records.read(handler_input)
            history = self.store.history(attributes, exercise.id, limit=20)
        except Exception:
            log.warning("could not read history for a suggestion", exc_info=True)
            return ""
        unit = self.records.unit(handler_input)
        rule = self.content.progression
        tip = progress.suggest(history, exercise.id, exercise.reps, exercise.sets, rule, unit)
        reason = "why_" + tip.reason.replace("-", "_")
        request_attributes(handler_input)["why_weight"] = self.words(reason)
        if tip.reason == "first" or tip.last is None:
            return self.words("first_weight")
        fields = {
            "last": numbers.say_weight(tip.last, tip.unit),
            "today": numbers.say_weight(tip.today, tip.unit) if tip.today else "",
            "most": numbers.say_number(rule.most_reps),
            "low": numbers.say_number(exercise.reps[0]),
        }
        said = self.words("suggest_" + tip.reason.replace("-", "_"), **fields)
        return f"{said} {self.words('supervised')}" if tip.supervised else said
