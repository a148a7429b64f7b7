"""The guided workout: what to say at each step, and what to remember after it.

Every method takes the handler input and returns a response; the request handlers in
``handlers.py`` only decide which method a request goes to. Words come from content
(``content/lines``, the programs and ``messages.json``) through ``Words``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from ask_sdk_core.handler_input import HandlerInput

from skill.content import Content, Exercise, Program

from .. import session as qa_session
from ..respond import ask, prompt, tell
from ..slots import SlotResolver
from ..words import Words
from . import lines, numbers, progress, unsaved
from .state import Cursor, WorkoutStore, now_iso, put_cursor, session_cursor, user_id

log = logging.getLogger(__name__)


class Coach:
    def __init__(self, content: Content, store: WorkoutStore, resolver: SlotResolver):
        self.content = content
        self.programs = content.programs
        self.store = store
        self.resolver = resolver
        self.words = Words(content.lines)
        self.rule = content.progression
        self.rest = content.workout["rest"]

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

    def cursor(self, handler_input: HandlerInput) -> Cursor | None:
        """The workout under way in this session, if any."""
        return session_cursor(handler_input, self.programs)

    def saved_place(self, handler_input: HandlerInput) -> Cursor | None:
        """The unfinished workout in storage, ready to resume (None when it can't be read)."""
        try:
            attrs = self.stored(handler_input)
        except Exception:
            log.warning("could not read the saved workout", exc_info=True)
            return None
        cursor = self.store.in_progress(attrs, self.programs)
        return cursor.at(stage="ready") if cursor else None

    def parts(self, cursor: Cursor) -> tuple[Program, Exercise]:
        program = self.programs[cursor.program]
        return program, program.exercises[cursor.ex]

    def where(self, cursor: Cursor) -> str:
        _, exercise = self.parts(cursor)
        return f"set {cursor.set + 1} of {exercise.sets} of the {exercise.name}"

    # -- starting ----------------------------------------------------------------------

    def start(self, handler_input: HandlerInput):
        """ "Start my workout" or "start the beginner workout"."""
        intent = handler_input.request_envelope.request.intent
        value_id, _ = self.resolver.resolve(intent, "Program")
        program = self.content.by_program_slot.get(value_id) if value_id else None
        attrs = self.stored_or_empty(handler_input)
        current = self.store.in_progress(attrs, self.programs)
        if program is None and current is not None:
            return self.gate(handler_input, None) or self.offer_resume(handler_input, current)
        if program is None:
            history = self.store.history(attrs)
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
            qa_session.set_pending(handler_input, qa_session.ASKED_GATE, {**then, "kind": "hold"})
            what = hold.get("what")
            if not isinstance(what, str) or not what:
                safety = self.content.safety
                what = safety.kinds[safety.without_symptom].label
            check = self.words.prompt("held_check", what=what)
            return ask(handler_input, check.speech, check.follow_up)
        if program and program.go_ahead and not self.store.go_ahead(attrs, program.id):
            put_cursor(handler_input, None)
            qa_session.set_pending(
                handler_input, qa_session.ASKED_GATE, {**then, "kind": "go_ahead"}
            )
            return ask(handler_input, program.go_ahead.speech, program.go_ahead.follow_up)
        return None

    def begin(self, handler_input: HandlerInput, program: Program, lead: str = ""):
        cursor = Cursor.new(program)
        saved = self.write(handler_input, lambda: self.store.begin(user_id(handler_input), cursor))
        count = len(program.exercises)
        intro = f"Let's do the {program.name}: {count} exercises, about {program.minutes} minutes."
        opening = [lead, intro, program.safety or ""]
        if not saved:
            opening.append("I can't reach my notebook right now, so today's sets may not be saved.")
        return self.announce(handler_input, cursor, lead=" ".join(x for x in opening if x))

    def welcome_back(self, handler_input: HandlerInput):
        """On launch: offer to carry on with an unfinished workout, if there is one."""
        cursor = self.saved_place(handler_input)
        if cursor is None:
            return None
        return self.gate(handler_input, None) or self.offer_resume(handler_input, cursor)

    def detour(self, handler_input: HandlerInput) -> str | None:
        """After a question answered mid-workout: the way back to it, if one is under way."""
        cursor = self.cursor(handler_input)
        return self.back_question(handler_input, cursor) if cursor else None

    def offer_resume(
        self, handler_input: HandlerInput, cursor: Cursor, lead: str = "Welcome back:"
    ):
        cursor = cursor.at(stage="resume")
        put_cursor(handler_input, cursor)
        program, _ = self.parts(cursor)
        return ask(
            handler_input,
            f"{lead} you were on {self.where(cursor)}, in the {program.name}.",
            "Shall we carry on?",
        )

    # -- the set-by-set flow -----------------------------------------------------------

    def announce(self, handler_input: HandlerInput, cursor: Cursor, lead: str = "", intro=True):
        """Say the current set, introducing the exercise on its first set."""
        program, exercise = self.parts(cursor)
        cursor = cursor.at(stage="set")
        put_cursor(handler_input, cursor)
        parts = [lead]
        introduced = cursor.set == 0 and intro
        first_time = False
        if introduced:
            text, first_time = self._introduce(handler_input, cursor, exercise)
            parts.append(text)
        parts.append(
            lines.set_line(
                cursor.set + 1, exercise, named=not introduced, starting_light=first_time
            )
        )
        speech = " ".join(p for p in parts if p)
        return ask(handler_input, speech, lines.finish_instruction(exercise))

    def _introduce(self, handler_input, cursor: Cursor, exercise: Exercise) -> tuple[str, bool]:
        """The exercise's name, today's weight, cue and safety note; and whether it's new."""
        opener = "First up" if cursor.ex == 0 else "Next up"
        parts = [f"{opener}: {exercise.name}."]
        first_time = False
        if exercise.load == "weight":
            tip = self.suggestion(handler_input, exercise)
            first_time = tip is not None and tip.reason == "first"
            parts.append(self._say_suggestion(tip, exercise) if tip else "")
        parts.append(exercise.cue)
        if exercise.safety:
            parts.append(exercise.safety)
        return " ".join(p for p in parts if p), first_time

    def suggestion(self, handler_input, exercise: Exercise) -> progress.Suggestion | None:
        try:
            attrs = self.stored(handler_input)
        except Exception:
            log.warning("could not read history for a suggestion", exc_info=True)
            return None
        return progress.suggest(
            self.store.history(attrs),
            exercise.id,
            exercise.reps,
            exercise.sets,
            self.rule,
            self.unit(handler_input),
        )

    def _say_suggestion(self, tip: progress.Suggestion, exercise: Exercise) -> str:
        if tip.reason == "first":
            return self.words("first_weight")
        fields = {
            "last": numbers.say_weight(tip.last, tip.unit),
            "today": numbers.say_weight(tip.today, tip.unit) if tip.today else "",
            "most": self.rule.most_reps,
            "low": exercise.reps[0],
        }
        key = "suggest_" + tip.reason.replace("-", "_")
        said = self.words(key, **fields)
        if tip.supervised:
            said = f"{said} {self.words('supervised')}"
        return said

    def log_set(self, handler_input, cursor: Cursor, reps=None, weight=None, unit=None):
        """A finished set: save it, then rest and ask about the next one (or finish)."""
        program, exercise = self.parts(cursor)
        if weight is not None and unit is None:
            unit = self.unit(handler_input)
        entry = {
            "exercise": exercise.id,
            "set": cursor.set + 1,
            "reps": int(reps) if reps is not None else None,
            "weight": weight,
            "unit": unit if weight is not None else None,
            "at": now_iso(),
            "session": handler_input.request_envelope.session.session_id
            if handler_input.request_envelope.session
            else None,
        }
        following = self._advance(cursor)
        if following is None:
            return self._complete(handler_input, cursor, entry=entry)
        saved = self._record(handler_input, following, entry)
        return self._rest(handler_input, following, exercise, self._acknowledge(entry, saved))

    def _advance(self, cursor: Cursor) -> Cursor | None:
        program, exercise = self.parts(cursor)
        if cursor.set + 1 < exercise.sets:
            return cursor.at(set=cursor.set + 1, stage="ready")
        if cursor.ex + 1 < len(program.exercises):
            return cursor.at(ex=cursor.ex + 1, set=0, stage="ready")
        return None

    def _record(self, handler_input, cursor: Cursor, entry: dict) -> bool:
        """Save the set (and any that failed before); keep it in the session if that fails."""
        entries = [*unsaved.kept(handler_input), entry]
        user = user_id(handler_input)
        if self.write(handler_input, lambda: self.store.record_sets(user, cursor, entries)):
            unsaved.clear(handler_input)
            return True
        unsaved.keep(handler_input, entries)
        return False

    @staticmethod
    def _done(entry: dict) -> str:
        """ "12 reps with 20 pounds", "12 reps", or "set 2 done"."""
        if entry.get("reps") and entry.get("weight") and entry.get("unit") in ("kg", "lb"):
            return f"{entry['reps']} reps with {numbers.say_weight(entry['weight'], entry['unit'])}"
        if entry.get("reps"):
            return f"{entry['reps']} reps"
        return f"set {entry.get('set')} done"

    def _acknowledge(self, entry: dict, saved: bool) -> str:
        done = self._done(entry)
        if saved:
            return f"Got it: {done}."
        return f"Got it: {done}. {self.content.messages['save_failed'].speech}"

    def _rest(self, handler_input, following: Cursor, finished: Exercise, ack: str):
        put_cursor(handler_input, following)
        _, upcoming = self.parts(following)
        parts = [
            ack,
            *lines.rest(
                finished.rest_seconds,
                self.rest["longest_spoken_seconds"],
                self.rest["break_seconds"],
            ),
        ]
        if following.set == 0:
            parts.append(f"That's {finished.name} done. Next up is {upcoming.name}.")
        return ask(handler_input, parts, lines.ready_question(following.set, upcoming))

    def _complete(self, handler_input, cursor: Cursor, lead: str = "", entry: dict | None = None):
        """File the workout as finished, with any sets still waiting (and the last one)."""
        program, _ = self.parts(cursor)
        put_cursor(handler_input, None)
        pending = [*unsaved.kept(handler_input), *([entry] if entry else [])]
        unsaved.clear(handler_input)
        ack = self._acknowledge(entry, saved=True) if entry else lead
        try:
            sets = self.store.finish(user_id(handler_input), cursor, pending).get("sets", [])
        except Exception:
            log.warning("could not file the finished workout", exc_info=True)
            lost = f" {unsaved.lost_line(self.content, len(pending))}" if pending else ""
            return tell(
                handler_input,
                f"{ack} Well done, that's the {program.name} finished.{lost} "
                "Rest up, and come back in two or three days.",
            )
        exercises = len({s.get("exercise") for s in sets if isinstance(s, dict)})
        return tell(
            handler_input,
            f"{ack} Well done, that's the {program.name} finished: {len(sets)} sets "
            f"across {exercises} exercises. Rest up, and come back in two or three days.",
        )

    # -- moving around -----------------------------------------------------------------

    def next(self, handler_input, cursor: Cursor):
        if cursor.stage == "set":
            return self.log_set(handler_input, cursor)
        return self.announce(handler_input, cursor)

    def previous(self, handler_input, cursor: Cursor):
        program, _ = self.parts(cursor)
        if cursor.set > 0:
            back = cursor.at(set=cursor.set - 1)
        elif cursor.ex > 0:
            back = cursor.at(ex=cursor.ex - 1, set=program.exercises[cursor.ex - 1].sets - 1)
        else:
            back = cursor
        lead = "Going back." if back != cursor else "This is the first set."
        user = user_id(handler_input)
        self.write(handler_input, lambda: self.store.save_position(user, back))
        return self.announce(handler_input, back, lead=lead, intro=False)

    def skip(self, handler_input, cursor: Cursor):
        program, exercise = self.parts(cursor)
        if cursor.ex + 1 >= len(program.exercises):
            return self._complete(handler_input, cursor, lead=f"Skipping {exercise.name}.")
        following = cursor.at(ex=cursor.ex + 1, set=0)
        user = user_id(handler_input)
        self.write(handler_input, lambda: self.store.save_position(user, following))
        return self.announce(handler_input, following, lead=f"Okay, skipping {exercise.name}.")

    def start_over(self, handler_input, cursor: Cursor):
        program, _ = self.parts(cursor)
        return self.gate(handler_input, program) or self.begin(handler_input, program)

    def repeat(self, handler_input, cursor: Cursor):
        """Say the last instruction again, worked out from where they are."""
        if cursor.stage == "resume":
            return self.offer_resume(handler_input, cursor, lead="Again:")
        if cursor.stage == "ready":
            return ask(handler_input, "", lines.ready_question(cursor.set, self.parts(cursor)[1]))
        return self.announce(handler_input, cursor)

    def resume(self, handler_input, cursor: Cursor):
        return self.announce(handler_input, cursor)

    def sets_left(self, handler_input, cursor: Cursor):
        program, exercise = self.parts(cursor)
        done_before = sum(e.sets for e in program.exercises[: cursor.ex]) + cursor.set
        left = program.total_sets - done_before
        exercises_after = len(program.exercises) - cursor.ex - 1
        line = (
            f"You're on {self.where(cursor)}. Counting this one, {left} "
            f"{'set is' if left == 1 else 'sets are'} left, with {exercises_after} more "
            f"{'exercise' if exercises_after == 1 else 'exercises'} after this."
        )
        return self.carry_on(handler_input, cursor, line)

    def whats_next(self, handler_input, cursor: Cursor):
        """ "What's next?": the set or exercise after this one, then carry on."""
        program, exercise = self.parts(cursor)
        following = self._advance(cursor.at(stage="set")) if cursor.stage == "set" else cursor
        if cursor.stage != "set" and following is not None:
            following = self._advance(following.at(stage="set"))
        if following is None:
            line = self.words("whats_next_last", exercise=exercise.name)
        elif following.ex == cursor.ex:
            upcoming = program.exercises[following.ex]
            line = self.words(
                "whats_next_set", set=following.set + 1, sets=upcoming.sets, exercise=upcoming.name
            )
        else:
            line = self.words(
                "whats_next_exercise",
                current=exercise.name,
                exercise=program.exercises[following.ex].name,
            )
        return self.carry_on(handler_input, cursor, line)

    def correct(self, handler_input, cursor: Cursor, reps=None, weight=None, unit=None):
        """ "No, I said fifteen": fix the last logged set without moving on."""
        changes: dict = {}
        if reps is not None:
            changes["reps"] = int(reps)
        if weight is not None:
            changes.update(weight=weight, unit=unit or self.unit(handler_input))
        found: dict = {}
        user = user_id(handler_input)
        if changes:
            self.write(handler_input, lambda: self.store.correct_last(user, cursor, changes, found))
        if not found:
            return self.carry_on(handler_input, cursor, self.words("nothing_to_correct"))
        program = self.programs[cursor.program]
        names = {e.id: e.name for e in program.exercises}
        line = self.words(
            "corrected",
            set=found.get("set"),
            exercise=names.get(found.get("exercise"), ""),
            done=self._done(found),
        )
        return self.carry_on(handler_input, cursor, line)

    def carry_on(self, handler_input, cursor: Cursor, line: str):
        """Say ``line``, then the question or instruction that fits where they are."""
        if cursor.stage == "set":
            _, exercise = self.parts(cursor)
            return ask(handler_input, line, lines.finish_instruction(exercise))
        return ask(handler_input, line, self.back_question(handler_input, cursor))

    def back_question(self, handler_input, cursor: Cursor) -> str:
        """ "Ready to get back to …?", after a detour; a yes announces the set."""
        cursor = cursor.at(stage="ready")
        put_cursor(handler_input, cursor)
        return f"Ready to get back to {self.where(cursor)}?"

    # -- yes, no, help, stop -------------------------------------------------------------

    def yes(self, handler_input, cursor: Cursor):
        if cursor.stage == "set":
            return self.log_set(handler_input, cursor)
        return self.announce(handler_input, cursor)

    def no(self, handler_input, cursor: Cursor):
        if cursor.stage == "resume":
            put_cursor(handler_input, None)
            return ask(
                handler_input,
                "All right, I'll keep your place for later.",
                "What would you like to do?",
            )
        if cursor.stage == "ready":
            return ask(handler_input, "No rush.", "Say next when you're ready. Ready now?")
        return self.reminder(handler_input, cursor)

    def help(self, handler_input, cursor: Cursor):
        line = self.content.messages["workout_help"].speech
        return ask(handler_input, line, self.back_question(handler_input, cursor))

    def reminder(self, handler_input, cursor: Cursor):
        """Unexpected words mid-workout: where they are, what to say, and how to stop."""
        return self.carry_on(
            handler_input, cursor, self.words("reminder", where=self.where(cursor))
        )

    def stop(self, handler_input, cursor: Cursor, word: str = "Stopping here."):
        put_cursor(handler_input, None)
        user = user_id(handler_input)
        pending = unsaved.kept(handler_input)
        unsaved.clear(handler_input)
        saved = self.write(handler_input, lambda: self.store.record_sets(user, cursor, pending))
        if saved:
            line = f"{word} I've saved your place: {self.where(cursor)}."
        elif pending:
            line = f"{word} {unsaved.lost_line(self.content, len(pending))}"
        else:
            line = f"{word} I couldn't save your place just now, sorry."
        return tell(handler_input, f"{line} {self.content.messages['come_back'].speech}")

    def pause_for(self, handler_input, speech: str):
        """Say ``speech`` and pause the workout under way, if any (say, on a question about pain)."""
        cursor = self.cursor(handler_input)
        if cursor is None:
            return None
        return self.stop(handler_input, cursor, f"{speech} I've paused your workout.")

    def pause(self, handler_input, cursor: Cursor):
        return self.stop(handler_input, cursor, "Paused.")

    def session_ended(self, handler_input) -> None:
        """The session dropped mid-workout: keep the place for next time."""
        cursor = self.cursor(handler_input)
        if cursor is not None:
            user = user_id(handler_input)
            pending = unsaved.kept(handler_input)
            saved = self.write(handler_input, lambda: self.store.record_sets(user, cursor, pending))
            if not saved and pending:
                log.warning("session ended with %d unsaved set(s); they are lost", len(pending))

    def no_workout(self, handler_input):
        qa_session.set_pending(handler_input, qa_session.OFFERED_WORKOUT)
        return prompt(handler_input, self.content.messages["no_workout"])

    def follow_on(self, handler_input, line: str):
        """Answer, then back to the workout if one is under way, else invite a question."""
        cursor = self.cursor(handler_input)
        if cursor is not None:
            return self.carry_on(handler_input, cursor, line)
        if qa_session.is_one_shot(handler_input):
            return tell(handler_input, line)
        return ask(handler_input, line, self.content.messages["anything_else"].follow_up)
