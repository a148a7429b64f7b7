"""The guided workout: what to say at each step, and what to remember after it.

Every method takes the handler input and returns a response; the request handlers in
``handlers.py`` only decide which method a request goes to.
"""

from __future__ import annotations

import datetime as dt
import logging

from skill.content import Content, Exercise, Program

from .. import session as qa_session
from ..respond import ask, prompt, tell
from ..slots import SlotResolver
from . import insights, lines, numbers, progress, unsaved
from .state import Cursor, WorkoutStore, now_iso, put_cursor, session_cursor, user_id

log = logging.getLogger(__name__)


class Coach:
    def __init__(self, content: Content, store: WorkoutStore, resolver: SlotResolver):
        self.content = content
        self.programs = content.programs
        self.store = store
        self.resolver = resolver
        self.rule = content.workout["progression"]
        self.rest = content.workout["rest"]
        self.orm = content.workout["one_rep_max"]

    # -- where are we ------------------------------------------------------------------

    def cursor(self, handler_input, load: bool = False) -> Cursor | None:
        """The workout under way: from the session, or (``load``) from storage."""
        cursor = session_cursor(handler_input, self.programs)
        if cursor is None and load:
            cursor = self._saved_place(handler_input)
            if cursor is not None:
                cursor = cursor.at(stage="ready")
                put_cursor(handler_input, cursor)
        return cursor

    def _saved_place(self, handler_input) -> Cursor | None:
        """The unfinished workout in storage, if any (None when storage can't be read)."""
        try:
            attrs = self._stored(handler_input)
        except Exception:
            log.warning("could not read the saved workout", exc_info=True)
            return None
        return self.store.in_progress(attrs, self.programs)

    @staticmethod
    def _stored(handler_input) -> dict:
        """This user's stored attributes, read at most once per request (the SDK caches them)."""
        return handler_input.attributes_manager.persistent_attributes

    def _parts(self, cursor: Cursor) -> tuple[Program, Exercise]:
        program = self.programs[cursor.program]
        return program, program.exercises[cursor.ex]

    def where(self, cursor: Cursor) -> str:
        _, exercise = self._parts(cursor)
        return f"set {cursor.set + 1} of {exercise.sets} of the {exercise.name}"

    def _unit(self, handler_input, attrs: dict | None = None) -> str:
        if attrs and attrs.get("unit") in ("kg", "lb"):
            return attrs["unit"]
        return numbers.default_unit(handler_input.request_envelope.request.locale)

    # -- starting ----------------------------------------------------------------------

    def start(self, handler_input):
        """ "Start my workout" or "start the beginner workout"."""
        intent = handler_input.request_envelope.request.intent
        value_id, _ = self.resolver.resolve(intent, "Program")
        program = self.content.by_program_slot.get(value_id) if value_id else None
        try:
            attrs = self._stored(handler_input)
        except Exception:
            log.warning("could not read saved workouts", exc_info=True)
            attrs = {}
        current = self.store.in_progress(attrs, self.programs)
        if program is None and current is not None:
            return self.offer_resume(handler_input, current)
        if program is None:
            history = self.store.history(attrs)
            last = history[-1].get("program") if history else None
            program = self.programs.get(last) if isinstance(last, str) else None
        if program is None:
            qa_session.set_pending(handler_input, qa_session.ASKED_PROGRAM)
            return prompt(handler_input, self.content.messages["which_program"])
        return self.begin(handler_input, program)

    def begin(self, handler_input, program: Program):
        cursor = Cursor.new(program)
        saved = self._save(lambda: self.store.begin(user_id(handler_input), cursor))
        count = len(program.exercises)
        intro = f"Let's do the {program.name}: {count} exercises, about {program.minutes} minutes."
        opening = [intro, program.safety or ""]
        if not saved:
            opening.append("I can't reach my notebook right now, so today's sets may not be saved.")
        return self.announce(handler_input, cursor, lead=" ".join(x for x in opening if x))

    def welcome_back(self, handler_input):
        """On launch: offer to carry on with an unfinished workout, if there is one."""
        cursor = self._saved_place(handler_input)
        return self.offer_resume(handler_input, cursor) if cursor else None

    def detour(self, handler_input) -> str | None:
        """After a question answered mid-workout: the way back to it, if one is under way."""
        cursor = self.cursor(handler_input)
        return self.back_question(handler_input, cursor) if cursor else None

    def offer_resume(self, handler_input, cursor: Cursor, lead: str = "Welcome back:"):
        cursor = cursor.at(stage="resume")
        put_cursor(handler_input, cursor)
        program, _ = self._parts(cursor)
        return ask(
            handler_input,
            f"{lead} you were on {self.where(cursor)}, in the {program.name}.",
            "Shall we carry on?",
        )

    # -- the set-by-set flow -----------------------------------------------------------

    def announce(self, handler_input, cursor: Cursor, lead: str = "", intro: bool = True):
        """Say the current set, introducing the exercise on its first set."""
        program, exercise = self._parts(cursor)
        cursor = cursor.at(stage="set")
        put_cursor(handler_input, cursor)
        parts = [lead]
        introduced = cursor.set == 0 and intro
        if introduced:
            parts.append(self._introduce(handler_input, cursor, exercise))
        parts.append(lines.set_line(cursor.set + 1, exercise, named=not introduced))
        speech = " ".join(p for p in parts if p)
        return ask(handler_input, speech, lines.finish_instruction(exercise))

    def _introduce(self, handler_input, cursor: Cursor, exercise: Exercise) -> str:
        opener = "First up" if cursor.ex == 0 else "Next up"
        parts = [f"{opener}: {exercise.name}."]
        if exercise.load == "weight":
            parts.append(self._suggestion(handler_input, exercise))
        parts.append(exercise.cue)
        if exercise.safety:
            parts.append(exercise.safety)
        return " ".join(p for p in parts if p)

    def _suggestion(self, handler_input, exercise: Exercise) -> str:
        try:
            attrs = self._stored(handler_input)
        except Exception:
            log.warning("could not read history for a suggestion", exc_info=True)
            return ""
        unit = self._unit(handler_input, attrs)
        tip = progress.suggest(
            self.store.history(attrs), exercise.id, exercise.reps, exercise.sets, self.rule, unit
        )
        if tip.reason == "first":
            return "Start light: a weight you could lift a few more times than the target."
        last = numbers.say_weight(tip.last, unit)
        today = numbers.say_weight(tip.today, unit)
        if tip.reason == "add":
            return (
                f"Last time you lifted {last} and hit the top of the range, so try {today} today."
            )
        if tip.reason == "stay-missed":
            return (
                f"Last time you lifted {last} and some sets fell short, so stay at {today} today."
            )
        return f"Last time you lifted {last}. Stay at {today} and aim for more reps."

    def log_set(
        self,
        handler_input,
        cursor: Cursor,
        reps: float | None = None,
        weight: float | None = None,
        unit: str | None = None,
    ):
        """A finished set: save it, then rest and ask about the next one (or finish)."""
        program, exercise = self._parts(cursor)
        if weight is not None and unit is None:
            unit = self._unit(handler_input, None)
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
        program, exercise = self._parts(cursor)
        if cursor.set + 1 < exercise.sets:
            return cursor.at(set=cursor.set + 1, stage="ready")
        if cursor.ex + 1 < len(program.exercises):
            return cursor.at(ex=cursor.ex + 1, set=0, stage="ready")
        return None

    def _record(self, handler_input, cursor: Cursor, entry: dict) -> bool:
        """Save the set (and any that failed before); keep it in the session if that fails."""
        entries = [*unsaved.kept(handler_input), entry]
        if self._save(lambda: self.store.record_sets(user_id(handler_input), cursor, entries)):
            unsaved.clear(handler_input)
            return True
        unsaved.keep(handler_input, entries)
        return False

    @staticmethod
    def _save(action) -> bool:
        try:
            action()
            return True
        except Exception:
            log.warning("could not save workout progress", exc_info=True)
            return False

    def _acknowledge(self, entry: dict, saved: bool) -> str:
        if entry["reps"] and entry["weight"]:
            done = f"{entry['reps']} reps with {numbers.say_weight(entry['weight'], entry['unit'])}"
        elif entry["reps"]:
            done = f"{entry['reps']} reps"
        else:
            done = f"set {entry['set']} done"
        if saved:
            return f"Got it: {done}."
        return f"Got it: {done}. {self.content.messages['save_failed'].speech}"

    def _rest(self, handler_input, following: Cursor, finished: Exercise, ack: str):
        put_cursor(handler_input, following)
        _, upcoming = self._parts(following)
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
        program, _ = self._parts(cursor)
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
        program, _ = self._parts(cursor)
        if cursor.set > 0:
            back = cursor.at(set=cursor.set - 1)
        elif cursor.ex > 0:
            back = cursor.at(ex=cursor.ex - 1, set=program.exercises[cursor.ex - 1].sets - 1)
        else:
            back = cursor
        lead = "Going back." if back != cursor else "This is the first set."
        self._save(lambda: self.store.save_position(user_id(handler_input), back))
        return self.announce(handler_input, back, lead=lead, intro=False)

    def skip(self, handler_input, cursor: Cursor):
        program, exercise = self._parts(cursor)
        if cursor.ex + 1 >= len(program.exercises):
            return self._complete(handler_input, cursor, lead=f"Skipping {exercise.name}.")
        following = cursor.at(ex=cursor.ex + 1, set=0)
        self._save(lambda: self.store.save_position(user_id(handler_input), following))
        return self.announce(handler_input, following, lead=f"Okay, skipping {exercise.name}.")

    def start_over(self, handler_input, cursor: Cursor):
        program, _ = self._parts(cursor)
        return self.begin(handler_input, program)

    def repeat(self, handler_input, cursor: Cursor):
        """Say the last instruction again, worked out from where they are."""
        if cursor.stage == "resume":
            return self.offer_resume(handler_input, cursor, lead="Again:")
        if cursor.stage == "ready":
            return ask(handler_input, "", lines.ready_question(cursor.set, self._parts(cursor)[1]))
        return self.announce(handler_input, cursor)

    def resume(self, handler_input, cursor: Cursor):
        return self.announce(handler_input, cursor)

    def sets_left(self, handler_input, cursor: Cursor):
        program, exercise = self._parts(cursor)
        done_before = sum(e.sets for e in program.exercises[: cursor.ex]) + cursor.set
        left = program.total_sets - done_before
        exercises_after = len(program.exercises) - cursor.ex - 1
        line = (
            f"You're on {self.where(cursor)}. Counting this one, {left} "
            f"{'set is' if left == 1 else 'sets are'} left, with {exercises_after} more "
            f"{'exercise' if exercises_after == 1 else 'exercises'} after this."
        )
        return self.carry_on(handler_input, cursor, line)

    def carry_on(self, handler_input, cursor: Cursor, line: str):
        """Say ``line``, then the question or instruction that fits where they are."""
        if cursor.stage == "set":
            _, exercise = self._parts(cursor)
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
        """Unexpected words mid-workout: where they are, and what to say."""
        return self.carry_on(handler_input, cursor, f"We're on {self.where(cursor)}.")

    def stop(self, handler_input, cursor: Cursor, word: str = "Stopping here."):
        put_cursor(handler_input, None)
        pending = unsaved.kept(handler_input)
        unsaved.clear(handler_input)
        saved = self._save(lambda: self.store.record_sets(user_id(handler_input), cursor, pending))
        if saved:
            line = f"{word} I've saved your place: {self.where(cursor)}."
        elif pending:
            line = f"{word} {unsaved.lost_line(self.content, len(pending))}"
        else:
            line = f"{word} I couldn't save your place just now, sorry."
        return tell(handler_input, f"{line} {self.content.messages['come_back'].speech}")

    def pause_for(self, handler_input, speech: str):
        """Say ``speech`` and pause the workout under way, if any (say, on reports of pain)."""
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
            pending = unsaved.kept(handler_input)
            uid = user_id(handler_input)
            if not self._save(lambda: self.store.record_sets(uid, cursor, pending)) and pending:
                log.warning("session ended with %d unsaved set(s); they are lost", len(pending))

    def no_workout(self, handler_input):
        qa_session.set_pending(handler_input, qa_session.OFFERED_WORKOUT)
        return prompt(handler_input, self.content.messages["no_workout"])

    # -- numbers about you ---------------------------------------------------------------

    def number_slots(self, handler_input) -> tuple[float | None, float | None, str | None]:
        intent = handler_input.request_envelope.request.intent
        slots = intent.slots or {}

        def value(name):
            slot = slots.get(name)
            return numbers.parse_number(slot.value) if slot is not None else None

        unit_id, _ = self.resolver.resolve(intent, "Unit")
        return value("Reps"), value("Weight"), numbers.UNIT_IDS.get(unit_id)

    def log_from_slots(self, handler_input, cursor: Cursor):
        reps, weight, unit = self.number_slots(handler_input)
        return self.log_set(handler_input, cursor, reps, weight, unit)

    def one_rep_max(self, handler_input):
        reps, weight, unit = self.number_slots(handler_input)
        if reps is None or weight is None:
            return prompt(handler_input, self.content.messages["one_rep_max_missing"])
        unit = unit or self._unit(handler_input)
        said = insights.one_rep_max_lines(weight, reps, unit, self.orm)
        return self.follow_on(handler_input, " ".join(said))

    def how_am_i_doing(self, handler_input):
        try:
            attrs = self._stored(handler_input)
        except Exception:
            log.warning("could not read history for a summary", exc_info=True)
            return self.follow_on(handler_input, "I can't reach your training notes right now.")
        unit = self._unit(handler_input, attrs)
        count, changes = progress.recent_summary(
            self.store.history(attrs), dt.datetime.now(dt.UTC), unit
        )
        names = {e.id: e.name for p in self.programs.values() for e in p.exercises}
        said = insights.progress_lines(count, changes, names, unit)
        return self.follow_on(handler_input, " ".join(said))

    def follow_on(self, handler_input, line: str):
        """Answer, then back to the workout if one is under way, else invite a question."""
        cursor = self.cursor(handler_input)
        if cursor is not None:
            return ask(handler_input, line, self.back_question(handler_input, cursor))
        if qa_session.is_one_shot(handler_input):
            return tell(handler_input, line)
        return ask(handler_input, line, self.content.messages["anything_else"].follow_up)
