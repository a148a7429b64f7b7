"""The workout's adapter at the SDK's edge: a request becomes a flow event, and the step it
gives becomes the response.

One path for every turn of a workout: ``run`` hands the event to the pure ``Flow``, its
effects to ``Effects`` (one store call each) and the step to the ``Speaker``. The
decisions live in ``flow.py``, the words in ``content/lines``.
"""

from __future__ import annotations

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.content.model import Program

from ..request import request_of
from .effects import Effects
from .flow import Entry, Flow, asking
from .gates import Gates
from .place import EffectKind, Event, EventKind, Mode, Place, Say, Stage, Step
from .speaker import Speaker
from .state import now_iso, put_cursor
from .stored import MODE_KEY, Records

#: Stages at which "done" logs the set under way.
LOGGING = (Stage.SET, Stage.CHECK_SET, Stage.CONFIRM_DONE)


class Coach:
    def __init__(
        self, flow: Flow, effects: Effects, speaker: Speaker, records: Records, gates: Gates
    ):
        self.flow = flow
        self.effects = effects
        self.speaker = speaker
        self.records = records
        self.gates = gates

    def run(self, handler_input: HandlerInput, place: Place, event: Event) -> Response:
        """One event at ``place``: a "done" logs the set, with the numbers heard (or, when
        the set was claimed before it began, the numbers said then)."""
        entry = None
        if event.kind is EventKind.DONE and place.stage in LOGGING:
            heard = (event.reps, event.weight, event.unit)
            if place.stage is Stage.CONFIRM_DONE and heard == (None, None, None):
                claimed = place.claimed or {}
                heard = (claimed.get("reps"), claimed.get("weight"), claimed.get("unit"))
            entry = self.entry(handler_input, place, *heard)
        return self.apply(handler_input, place, self.flow.step(place, event, entry))

    def apply(self, handler_input: HandlerInput, before: Place, step: Step) -> Response:
        """Keep what the step says to keep, then say what it says (a restart begins its
        program instead, past the gates)."""
        step = asking(step)
        kept = self.effects.run(handler_input, before, step)
        for effect in step.effects:
            if effect.kind is EffectKind.RESTART and effect.entry is not None:
                program = self.flow.programs[effect.entry["program"]]
                return self.gates.check(handler_input, program) or self.begin(
                    handler_input, program
                )
        return self.speaker.respond(handler_input, step, kept)

    def entry(
        self,
        handler_input: HandlerInput,
        place: Place,
        reps: float | None = None,
        weight: float | None = None,
        unit: str | None = None,
    ) -> Entry:
        """The set at ``place`` as the training log keeps it, with this request's ids."""
        _, exercise = self.flow.parts(place)
        if weight is not None and unit is None:
            unit = self.records.unit(handler_input)
        session = handler_input.request_envelope.session
        return {
            "exercise": exercise.id,
            "set": place.set + 1,
            "reps": int(reps) if reps is not None else None,
            "weight": weight,
            "unit": unit if weight is not None else None,
            "at": now_iso(),
            "session": session.session_id if session else None,
            "request": request_of(handler_input).request_id,
        }

    # -- steps that start somewhere other than an event ----------------------------------

    def begin(self, handler_input: HandlerInput, program: Program, lead: str = "") -> Response:
        """A new workout of ``program``, counted or not as the person chose last time."""
        kept = self.records.read_or_empty(handler_input).get(MODE_KEY)
        mode = Mode(kept) if kept in tuple(Mode) else None
        step = self.flow.start(program, now_iso(), mode)
        if lead:
            step = Step(
                step.place, [Say("text", {"text": lead}), *step.says], step.ask, step.effects
            )
        assert step.place is not None  # a start always has a place
        return self.apply(handler_input, step.place, step)

    def reopen(self, handler_input: HandlerInput, place: Place) -> Response:
        """A saved workout met again in a new session."""
        return self.apply(handler_input, place, self.flow.reopen(place))

    def announce(self, handler_input: HandlerInput, place: Place, lead: str = "") -> Response:
        """The set at ``place`` said now (after the gates were cleared)."""
        says = [Say("text", {"text": lead})] if lead else []
        ready = place.at(stage=Stage.READY)
        return self.apply(handler_input, place, self.flow.announce(ready, says))

    def carry_on(self, handler_input: HandlerInput, place: Place, *lines: str) -> Response:
        """Say ``lines``, then ask again the question just asked."""
        says = [Say("text", {"text": line}) for line in lines if line]
        return self.apply(handler_input, place, self.flow.carry_on(place, *says))

    def rest_then_ask(
        self, handler_input: HandlerInput, place: Place, seconds: int, line: str
    ) -> Response:
        """``line``, a rest of ``seconds``, then the question asked last."""
        step = self.flow.rest_then_ask(place, seconds, Say("text", {"text": line}))
        return self.apply(handler_input, place, step)

    def log_then_ask_unit(
        self, handler_input: HandlerInput, place: Place, reps: float | None, weight: float
    ) -> Response:
        """A set whose weight came in a unit the skill doesn't know ("twenty stone"): logged
        now with its reps, and the unit asked about; the weight is filled in once it is known."""
        entry = self.entry(handler_input, place, reps)
        step = asking(self.flow.step(place, Event(EventKind.DONE), entry))
        unit_question = Say("unit_question", {"number": weight})
        asked = Step(step.place, step.says[:1], unit_question, step.effects)
        response = self.apply(handler_input, place, asked)
        put_cursor(handler_input, step.place)  # the set's own question, for after the unit
        return response

    def pause_with(self, handler_input: HandlerInput, place: Place, speech: str) -> Response:
        """Say ``speech`` and pause the workout (on a question about pain, say)."""
        step = self.flow.step(place, Event(EventKind.PAUSE))
        says = [Say("text", {"text": speech}), *step.says]
        return self.apply(handler_input, place, Step(None, says, None, step.effects, True))

    def say_only(self, handler_input: HandlerInput, place: Place, event: Event) -> Response:
        """What ``event`` would say at ``place``, said and the session closed; nothing is
        kept or moved (a one-shot question while a self-paced set goes on)."""
        says = self.flow.step(place, event).says
        if event.kind is EventKind.HELP:
            says = [Say("finish_self")]
        return self.speaker.say_only(handler_input, says)

    def drop(self, handler_input: HandlerInput, place: Place) -> None:
        """The session dropped mid-workout: keep the place for next time."""
        self.effects.run(handler_input, place, self.flow.step(place, Event(EventKind.DROPPED)))

    # -- what to say at a place -----------------------------------------------------------

    def help_line(self, place: Place) -> str:
        """What can be said to the question asked at ``place``."""
        return self.speaker.line(self.flow.help_say(place))

    def lines_for(self, place: Place, event: Event) -> str:
        """What ``event`` would say at ``place``, as text; nothing is kept or moved."""
        return self.speaker.lines(self.flow.step(place, event).says)

    def about_exercise(self, place: Place, how: bool, why: bool) -> str:
        return self.speaker.about_exercise(place, how, why)
