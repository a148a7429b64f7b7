"""The workout's adapter: requests become flow events; the flow's effects go to the store;
its ``Say``s become the response.

All the decisions live in ``flow.py`` (pure) and all the words in ``content/lines``. This
module only reads and writes state (one path: ``write`` keeps the request's cached
attributes equal to what was saved) and builds responses.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from ask_sdk_core.handler_input import HandlerInput

from skill.content.model import Content, Exercise, Program

from .. import session as qa_session
from ..respond import ask, prompt, tell
from ..slots import SlotResolver
from ..words import Words
from . import numbers, unsaved
from .flow import Effect, Event, Flow, Place, Say, Step, asking
from .render import Renderer
from .state import WorkoutStore, now_iso, put_cursor, session_cursor, who
from .voice import Voice

log = logging.getLogger(__name__)

MODE_KEY = "set_mode"


class Coach:
    def __init__(self, content: Content, store: WorkoutStore, resolver: SlotResolver):
        self.content = content
        self.programs = content.programs
        self.store = store
        self.resolver = resolver
        self.words = Words(content.lines)
        self.rule = content.progression
        self.flow = Flow(content.programs)
        self.render = Renderer(content, self.words)
        self.voice = Voice(content, store, self.render, self.unit, self.stored_or_empty)

    # -- stored state ------------------------------------------------------------------

    @staticmethod
    def stored(handler_input: HandlerInput) -> dict:
        """This user's stored attributes, read at most once per request (the SDK caches them)."""
        return handler_input.attributes_manager.persistent_attributes

    def stored_or_empty(self, handler_input: HandlerInput) -> dict:
        try:
            return self.stored(handler_input)
        except Exception:
            log.warning("could not read stored attributes", exc_info=True)
            return {}

    @staticmethod
    def write(handler_input: HandlerInput, action: Callable[[], dict | None]) -> bool:
        """Run a store write; keep the request's cached attributes equal to what was saved."""
        try:
            saved = action()
        except Exception:
            log.warning("could not save workout progress", exc_info=True)
            return False
        if isinstance(saved, dict):
            handler_input.attributes_manager.persistent_attributes = saved
        return True

    def unit(self, handler_input: HandlerInput) -> str:
        """The unit this person last used, else the locale's."""
        remembered = self.stored_or_empty(handler_input).get("unit")
        if remembered in ("kg", "lb"):
            return remembered
        return numbers.default_unit(handler_input.request_envelope.request.locale)

    # -- where are we ------------------------------------------------------------------

    def cursor(self, handler_input: HandlerInput) -> Place | None:
        """The workout under way in this session, if any."""
        return session_cursor(handler_input, self.programs)

    def saved_place(self, handler_input: HandlerInput) -> Place | None:
        """The unfinished workout in storage (None when there is none or it can't be read)."""
        try:
            attrs = self.stored(handler_input)
        except Exception:
            log.warning("could not read the saved workout", exc_info=True)
            return None
        return self.store.in_progress(attrs, self.programs)

    def parts(self, place: Place) -> tuple[Program, Exercise]:
        return self.flow.parts(place)

    # -- running the flow --------------------------------------------------------------

    def run(self, handler_input: HandlerInput, place: Place, event: Event):
        """One event at ``place``: a "done" logs the set, with the numbers heard (or, when
        the set was claimed before it began, the numbers said then)."""
        entry = None
        if event.kind == "done" and place.stage in ("set", "check_set", "confirm_done"):
            numbers_heard = (event.reps, event.weight, event.unit)
            if place.stage == "confirm_done" and numbers_heard == (None, None, None):
                claimed = place.claimed or {}
                numbers_heard = (claimed.get("reps"), claimed.get("weight"), claimed.get("unit"))
            entry = self.entry(handler_input, place, *numbers_heard)
        return self.apply(handler_input, place, self.flow.step(place, event, entry))

    def entry(self, handler_input, place: Place, reps=None, weight=None, unit=None) -> dict:
        _, exercise = self.parts(place)
        if weight is not None and unit is None:
            unit = self.unit(handler_input)
        session = handler_input.request_envelope.session
        return {
            "exercise": exercise.id,
            "set": place.set + 1,
            "reps": int(reps) if reps is not None else None,
            "weight": weight,
            "unit": unit if weight is not None else None,
            "at": now_iso(),
            "session": session.session_id if session else None,
            "request": handler_input.request_envelope.request.request_id,
        }

    def apply(self, handler_input: HandlerInput, before: Place, step: Step):
        """Keep what the step says to keep, then say what it says.

        The last set of a workout is saved in the same write that files it as finished,
        with any sets still waiting from a failed save; a step that closes the session
        (a self-paced set) saves its place with them, or says they were lost."""
        step = asking(step)
        effects = step.effects
        if any(e.kind == "finish" for e in effects):
            last = [e.entry for e in effects if e.kind == "record"]
            effects = [Effect("finish", {"sets": last})]
        elif step.end and step.place is not None:
            effects = [
                Effect("save_as", {"place": step.place.to_dict()}) if e.kind == "save" else e
                for e in effects
            ]
        kept = [self._effect(handler_input, before, step, e) for e in effects]
        for effect in step.effects:
            if effect.kind == "restart":
                program = self.programs[effect.entry["program"]]
                return self.gate(handler_input, program) or self.begin(handler_input, program)
        put_cursor(handler_input, step.place)
        parts: list = []
        for item in step.says:
            parts += self.voice.say(handler_input, item, kept)
        lost = handler_input.attributes_manager.request_attributes.get("lost")
        if lost:
            parts.append(unsaved.lost_line(self.content, lost))
        elif False in kept and not any(i.key in ("ack", "saved_place") for i in step.says):
            # The set's or the place's own line already says what could not be saved.
            parts.append(self.words("notebook_down"))
        card = self.voice.card(handler_input, step)
        if step.ask is None:
            return tell(handler_input, parts, card)
        before_question, question = self.render.question(step.ask)
        if step.again:
            before_question = []
        if step.ask.key == "complete_empty":
            qa_session.set_pending(handler_input, qa_session.OFFERED_SHORTER)
        if step.ask.key == "what_now":
            qa_session.set_pending(handler_input, qa_session.ASKED_ANYTHING_ELSE)
        return ask(handler_input, [*parts, *before_question], question, card)

    def _effect(self, handler_input, before: Place, step: Step, effect: Effect) -> bool:
        user = who(handler_input)
        store = self.store
        place = step.place or before
        if effect.kind == "begin":
            return self.write(handler_input, lambda: store.begin(user, place))
        if effect.kind == "record":
            return self._record(handler_input, place, effect.entry)
        if effect.kind == "save":
            return self.write(handler_input, lambda: store.save_position(user, place))
        if effect.kind == "save_as":
            kept = Place.from_dict(effect.entry["place"], self.programs) or before
            return self._keep_unsaved(handler_input, kept)
        if effect.kind == "finish":
            return self._finish(handler_input, before, (effect.entry or {}).get("sets", []))
        if effect.kind == "mode":
            mode = place.mode
            return self.write(handler_input, lambda: store.remember(user, **{MODE_KEY: mode}))
        return True

    def _record(self, handler_input, place: Place, entry: dict) -> bool:
        """Save the set (and any that failed before); keep it in the session if that fails."""
        entries = [*unsaved.kept(handler_input), entry]
        user = who(handler_input)
        if self.write(handler_input, lambda: self.store.record_sets(user, place, entries)):
            unsaved.clear(handler_input)
            return True
        unsaved.keep(handler_input, entries)
        return False

    def _keep_unsaved(self, handler_input, place: Place) -> bool:
        """A turn that closes the session: save the place with any sets still waiting, in
        one write. What still can't be saved is said (``lost``), never hidden."""
        user = who(handler_input)
        pending = unsaved.kept(handler_input)
        unsaved.clear(handler_input)
        saved = self.write(handler_input, lambda: self.store.record_sets(user, place, pending))
        if not saved and pending:
            handler_input.attributes_manager.request_attributes["lost"] = len(pending)
            log.warning("session closing with %d unsaved set(s); they are lost", len(pending))
        return saved

    def _finish(self, handler_input, place: Place, last: list[dict]) -> bool:
        user = who(handler_input)
        request = handler_input.attributes_manager.request_attributes
        pending = [*unsaved.kept(handler_input), *last]
        unsaved.clear(handler_input)
        try:
            request["finished"] = self.store.finish(user, place, pending)
        except Exception:
            log.warning("could not file the finished workout", exc_info=True)
            if pending:
                request["lost"] = len(pending)
            return False
        return True

    # -- starting ----------------------------------------------------------------------

    #: The position words of the program slot's synonyms, for "number two" or a bare "two".
    POSITIONS = ("first", "second", "third", "fourth", "fifth")

    def program_heard(self, handler_input: HandlerInput) -> Program | None:
        """The program named ("the bone-safe one", "the second one"), or numbered ("two")."""
        intent = handler_input.request_envelope.request.intent
        value_id, _ = self.resolver.resolve(intent, "Program")
        if value_id is None:
            slot = (intent.slots or {}).get("Reps")
            number = numbers.parse_number(slot.value) if slot is not None else None
            if number is not None and number == int(number) and 0 < number <= len(self.POSITIONS):
                value_id = self.resolver.value_for("PROGRAM", self.POSITIONS[int(number) - 1])
        return self.content.by_program_slot.get(value_id) if value_id else None

    def start(self, handler_input: HandlerInput):
        """ "Start my workout" or "start the beginner workout"."""
        program = self.program_heard(handler_input)
        under_way = self.cursor(handler_input)
        if under_way is not None:
            event = Event("start_over", program=program.id if program else None)
            return self.run(handler_input, under_way, event)
        attrs = self.stored_or_empty(handler_input)
        current = self.store.in_progress(attrs, self.programs)
        if program is None and current is not None:
            return self.gate(handler_input, None) or self.reopen(handler_input, current)
        if program is None:
            history = self.store.history(attrs, limit=1)
            last = history[-1].get("program") if history else None
            program = self.programs.get(last) if isinstance(last, str) else None
        if program is None:
            qa_session.set_pending(handler_input, qa_session.ASKED_PROGRAM)
            return prompt(handler_input, self.content.messages["which_program"])
        return self.gate(handler_input, program) or self.begin(handler_input, program)

    def gate(self, handler_input: HandlerInput, program: Program | None):
        """Before any exercise: a hold after a warning symptom, then the program's go-ahead.

        Returns the question to ask, or None when nothing stands in the way. ``program``
        is the one to begin after a yes; None means the saved workout is resumed.
        """
        attrs = self.stored_or_empty(handler_input)
        then = {"program": program.id if program else None}
        hold = self.store.held(attrs)
        if hold is not None:
            put_cursor(handler_input, None)
            sign = hold.get("kind") if isinstance(hold.get("kind"), str) else None
            what = hold.get("what")
            if not isinstance(what, str) or not what:
                safety = self.content.safety
                what = safety.kinds[safety.without_symptom].label
            data = {**then, "kind": "hold", "sign": sign, "what": what}
            qa_session.set_pending(handler_input, qa_session.ASKED_GATE, data)
            return ask(handler_input, self.words("held_check", what=what), self.held_question(hold))
        if program and program.go_ahead and not self.store.go_ahead(attrs, program.id):
            put_cursor(handler_input, None)
            qa_session.set_pending(
                handler_input, qa_session.ASKED_GATE, {**then, "kind": "go_ahead"}
            )
            return ask(handler_input, program.go_ahead.speech, program.go_ahead.follow_up)
        return None

    def held_question(self, hold: dict | None) -> str:
        """What to ask before training again after a warning sign of this kind: a doctor
        after chest pain or stroke signs, a doctor or physical therapist after an injury."""
        safety = self.content.safety
        kind = (hold or {}).get("kind")
        if kind not in safety.kinds:
            kind = safety.without_symptom
        return safety.kinds[kind].held_question

    def begin(self, handler_input: HandlerInput, program: Program, lead: str = ""):
        mode = self.stored_or_empty(handler_input).get(MODE_KEY)
        step = self.flow.start(program, now_iso(), mode if mode in ("counted", "self") else None)
        if lead:
            step = Step(
                step.place, [Say("text", {"text": lead}), *step.says], step.ask, step.effects
            )
        return self.apply(handler_input, step.place, step)

    def welcome_back(self, handler_input: HandlerInput):
        """On launch: carry on with an unfinished workout, if there is one."""
        place = self.saved_place(handler_input)
        if place is None:
            return None
        return self.gate(handler_input, None) or self.reopen(handler_input, place)

    def reopen(self, handler_input: HandlerInput, place: Place):
        return self.apply(handler_input, place, self.flow.reopen(place))

    def announce(self, handler_input: HandlerInput, place: Place, lead: str = ""):
        says = [Say("text", {"text": lead})] if lead else []
        return self.apply(handler_input, place, self.flow.announce(place.at(stage="ready"), says))

    def log_asking_unit(self, handler_input, place: Place, reps, weight: float):
        """A set whose weight came in a unit the skill doesn't know ("twenty stone"): logged
        now with its reps, and the unit asked about; ``fill_unit`` adds the weight."""
        step = asking(self.flow.step(place, Event("done"), self.entry(handler_input, place, reps)))
        unit_question = Say("unit_question", {"number": weight})
        response = self.apply(
            handler_input, place, Step(step.place, step.says[:1], unit_question, step.effects)
        )
        put_cursor(handler_input, step.place)  # the set's question, for after the unit
        return response

    def fill_unit(self, handler_input, place: Place, weight: float, unit: str):
        """The unit for the set just logged: its weight filled in, then the rest."""
        found: dict = {}
        user = who(handler_input)
        changes = {"weight": weight, "unit": unit}
        self.write(handler_input, lambda: self.store.correct_last(user, place, changes, found))
        exercises = {e.id: e for e in self.parts(place)[0].exercises}
        done = exercises.get(found.get("exercise")) or self.parts(place)[1]
        line = self.render.line(
            "unit_filled",
            set=found.get("set") or 1,
            exercise=done.name,
            done=self.voice.done(found) if found else "",
        )
        step = self.flow.rest_then_ask(place, done.rest_seconds, Say("text", {"text": line}))
        return self.apply(handler_input, place, step)

    def say_only(self, handler_input, place: Place, event: Event):
        """What ``event`` would say at ``place``, said and the session closed; nothing is
        kept or moved (a one-shot question while a self-paced set goes on)."""
        step = self.flow.step(place, event)
        if event.kind == "help":
            step = Step(place, [Say("finish_self")])
        parts: list = []
        for item in step.says:
            parts += self.render.say(item)
        return tell(handler_input, parts or self.render.say(Say("finish_self")))

    def carry_on(self, handler_input, place: Place, *lines: str):
        """Say ``lines``, then ask again the question just asked."""
        says = [Say("text", {"text": line}) for line in lines if line]
        return self.apply(handler_input, place, self.flow.carry_on(place, *says))

    def help_line(self, place: Place) -> str:
        """What can be said to the question asked at ``place``."""
        return self.render.say(self.flow.help_say(place))[0]

    def about_exercise(self, place: Place, how: bool, why: bool) -> str:
        """ "How do I do it?" (cue and safety note) and "why this one?" (the bone sites)."""
        _, exercise = self.parts(place)
        said = [exercise.cue, exercise.safety or ""] if how else []
        if why:
            said.append(self.voice.why(exercise))
        return " ".join(x for x in said if x)

    # -- corrections and stopping -------------------------------------------------------

    def correct(self, handler_input, place: Place, reps=None, weight=None, unit=None):
        """ "No, I said fifteen": fix the last logged set without moving on."""
        changes: dict = {}
        if reps is not None:
            changes["reps"] = int(reps)
        if weight is not None:
            changes.update(weight=weight, unit=unit or self.unit(handler_input))
        found: dict = {}
        user = who(handler_input)
        if changes:
            self.write(handler_input, lambda: self.store.correct_last(user, place, changes, found))
        if not found:
            return self.carry_on(handler_input, place, self.words("nothing_to_correct"))
        names = {e.id: e.name for e in self.parts(place)[0].exercises}
        line = self.render.line(
            "corrected",
            set=found.get("set") or 1,
            exercise=names.get(found.get("exercise"), ""),
            done=self.voice.done(found),
        )
        return self.carry_on(handler_input, place, line)

    def pause_for(self, handler_input, speech: str):
        """Say ``speech`` and pause the workout under way, if any (say, on a question about pain)."""
        place = self.cursor(handler_input)
        if place is None:
            return None
        step = self.flow.step(place, Event("pause"))
        said = [Say("text", {"text": speech}), *step.says]
        return self.apply(handler_input, place, Step(None, said, None, step.effects, True))

    def session_ended(self, handler_input) -> None:
        """The session dropped mid-workout: keep the place for next time."""
        place = self.cursor(handler_input)
        if place is not None:
            self._keep_unsaved(handler_input, place)

    def no_workout(self, handler_input):
        qa_session.set_pending(handler_input, qa_session.OFFERED_WORKOUT)
        return prompt(handler_input, self.content.messages["no_workout"])
