"""What the skill does for each ``Meaning``: one callable per meaning.

Every action gets the reply in context (``Said``). Many say something and then ask the
question of the state again (``back``), so help, repeat, a question answered mid-workout
or words not understood never lose the question.
"""

from __future__ import annotations

import logging

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.content.model import Content, Program, Prompt

from . import session
from .conversation import Action, Said, Where, stage_state
from .forget import Forgetting
from .hearing import Heard
from .keep.keeping import KeepTraining
from .meaning import IN_WORKOUT, Meaning, Reply, State
from .questions import Answers
from .request import session_attributes
from .respond import ask, prompt, tell
from .safety import Sign, Warning
from .words import Words
from .workout.coach import Coach
from .workout.gates import Gates
from .workout.heard import WorkoutHearing
from .workout.personal import Personal, UnitGiven
from .workout.place import Event, EventKind, Mode, Place, Stage
from .workout.render import Renderer
from .workout.state import put_cursor, session_cursor
from .workout.stored import Records

log = logging.getLogger("intents.meaning")

#: In chat, help is the help message, and words not understood get the fallback message.
CHAT = frozenset({State.IDLE, State.LAUNCH, State.ANYTHING_ELSE, State.STORE_DOWN})
#: What can be said to each question outside a workout (``content/lines``).
HELP_LINES = {
    State.AFTER_ANSWER: "help_after_answer",
    State.PROGRAM: "help_program",
    State.GO_AHEAD: "help_yes_no",
    State.HELD: "help_yes_no",
    State.FORGET: "help_forget",
    State.UNIT: "help_unit",
    State.ONE_REP_MAX: "help_one_rep_max",
    State.OFFERED_WORKOUT: "help_offer",
    State.OFFERED_SHORTER: "help_offer",
}
#: Workout events that only tell something, and change nothing.
INFORMATION = frozenset(
    {EventKind.HELP, EventKind.REPEAT, EventKind.WHATS_NEXT, EventKind.SETS_LEFT}
)
#: "Shall I count with you?": yes or "go on" is counted, no is at their own pace.
MODE_ANSWERS = {Reply.YES: Mode.COUNTED, Reply.GO_ON: Mode.COUNTED, Reply.NO: Mode.SELF}
#: The pending question each state keeps asking.
PENDING = {
    State.LAUNCH: session.ASKED_WELCOME,
    State.AFTER_ANSWER: session.OFFERED_MORE,
    State.ANYTHING_ELSE: session.ASKED_ANYTHING_ELSE,
    State.PROGRAM: session.ASKED_PROGRAM,
    State.GO_AHEAD: session.ASKED_GATE,
    State.HELD: session.ASKED_GATE,
    State.FORGET: session.ASKED_FORGET,
    State.UNIT: session.ASKED_UNIT,
    State.ONE_REP_MAX: session.ASKED_ONE_REP_MAX,
    State.OFFERED_WORKOUT: session.OFFERED_WORKOUT,
    State.OFFERED_SHORTER: session.OFFERED_SHORTER,
    State.REMINDER_DAYS: session.ASKED_REMINDER_DAYS,
    State.REMINDER_TIME: session.ASKED_REMINDER_TIME,
}


class Conversation:
    """The actions, one per meaning; ``actions()`` is the table ``Interpret`` uses."""

    def __init__(
        self,
        content: Content,
        records: Records,
        heard: WorkoutHearing,
        coach: Coach,
        gates: Gates,
        personal: Personal,
        answers: Answers,
        forgetting: Forgetting,
        keep: KeepTraining,
    ):
        self.content = content
        self.records = records
        self.heard = heard
        self.coach = coach
        self.gates = gates
        self.personal = personal
        self.answers = answers
        self.forgetting = forgetting
        self.keep = keep
        self.words = Words(content.lines)
        self.warning = Warning(content, gates.warning)
        self.where = Where(records)

    # -- the question of each state --------------------------------------------------------

    def question(self, said: Said) -> Prompt:
        """The question the state asked, with the words that came before it."""
        hi, state = said.handler_input, said.state
        messages = self.content.messages
        data = session.pending_data(hi)
        if state is State.LAUNCH:
            return messages["welcome"]
        if state is State.AFTER_ANSWER:
            return self.answers.offer_again(hi)
        if state is State.PROGRAM:
            return messages["which_program"]
        if state is State.GO_AHEAD:
            program = self.records.programs.get(data.get("program") or "")
            if program is not None and program.go_ahead is not None:
                return program.go_ahead
            return Prompt("", self.words("held_fallback_question"))
        if state is State.HELD:
            what = data.get("what") or self.content.safety.kinds["unclear"].label
            hold = {"kind": data.get("sign")}
            return Prompt(self.words("held_check", what=what), self.gates.held_question(hold))
        if state is State.FORGET:
            return self.words.prompt("forget_confirm")
        if state is State.UNIT:
            number = data.get("weight")
            said_number = Renderer.value(number) if number is not None else ""
            return self.words.prompt("unit_question", number=said_number)
        if state is State.ONE_REP_MAX:
            return messages["one_rep_max_missing"]
        if state is State.OFFERED_WORKOUT:
            return messages["no_workout"]
        if state is State.OFFERED_SHORTER:
            return self.words.prompt("complete_empty")
        if state in (State.REMINDER_DAYS, State.REMINDER_TIME):
            return self.keep.question(hi, PENDING[state])
        return messages["anything_else"]

    def back(self, said: Said, *lines: str, card: tuple[str, str] | None = None) -> Response:
        """Say ``lines``, then ask the state's question again (a one-shot just says them)."""
        hi, state = said.handler_input, said.state
        text = " ".join(line for line in lines if line)
        if said.saved and state is State.SET:
            # A self-paced set is under way: answer, and leave the microphone closed.
            return tell(hi, text, card)
        if said.place is not None and state in IN_WORKOUT:
            place = self._place(said)
            if isinstance(place, Response):
                return place
            return self.coach.carry_on(hi, place, text)
        if state in (State.IDLE, State.STORE_DOWN) and session.is_one_shot(hi):
            return tell(hi, text, card)
        pending = PENDING.get(state, session.ASKED_ANYTHING_ELSE)
        session.set_pending(hi, pending, session.pending_data(hi))
        return ask(hi, text, self.question(said).follow_up or "", card)

    def _place(self, said: Said) -> Place | Response:
        """The workout to act on: the session's, or the saved one after the hold and the
        go-ahead, put in the session; with none, how to start one."""
        hi = said.handler_input
        if said.place is None:
            return self.no_workout(said)
        if not said.saved:
            return said.place
        asked = self.gates.check(hi, None)
        if asked is not None:
            return asked
        put_cursor(hi, said.place)
        return said.place

    def _run(self, said: Said, event: Event) -> Response:
        if said.saved and said.place and said.state is State.SET and event.kind in INFORMATION:
            # Asked as a one-shot during a self-paced set: answered, the set goes on.
            return self.coach.say_only(said.handler_input, said.place, event)
        place = self._place(said)
        if isinstance(place, Response):
            return place
        return self.coach.run(said.handler_input, place, event)

    def _lines(self, said: Said, result: Response | str) -> Response:
        return result if isinstance(result, Response) else self.back(said, result)

    @staticmethod
    def _answered(said: Said) -> Said:
        """After the answer to a pending question: back to the workout, or to chat."""
        session.set_pending(said.handler_input, None)
        if said.place is not None and not said.saved:
            return Said(said.handler_input, said.heard, stage_state(said.place), said.place)
        return Said(said.handler_input, said.heard, State.ANYTHING_ELSE)

    # -- anywhere ----------------------------------------------------------------------------

    def warn(self, said: Said) -> Response:
        sign = said.heard.sign
        if sign is None:
            kind = self.content.safety.without_symptom
            sign = Sign(kind, self.content.safety.kinds[kind].label, True)
        return self.warning(said.handler_input, sign)

    def not_a_warning(self, said: Said) -> Response:
        kind = said.heard.sign.kind if said.heard.sign else "tired"
        return self.back(said, self.content.safety.kinds[kind].speech)

    def stop(self, said: Said) -> Response:
        if said.place is not None:
            return self.coach.run(said.handler_input, said.place, Event(EventKind.STOP))
        return prompt(said.handler_input, self.content.messages["goodbye"])

    def pause(self, said: Said) -> Response:
        if said.place is not None:
            return self.coach.run(said.handler_input, said.place, Event(EventKind.PAUSE))
        return tell(said.handler_input, self.words("pause_chat"))

    def goodbye(self, said: Said) -> Response:
        return prompt(said.handler_input, self.content.messages["goodbye"])

    def help(self, said: Said) -> Response:
        if said.place is not None and said.state in IN_WORKOUT:
            return self._run(said, Event(EventKind.HELP))
        if said.state in (State.IDLE, State.STORE_DOWN):
            return prompt(said.handler_input, self.content.messages["help"])
        return self.back(said, self._help_line(said))

    def repeat(self, said: Said) -> Response:
        hi, state = said.handler_input, said.state
        if said.place is not None and state in IN_WORKOUT:
            return self._run(said, Event(EventKind.REPEAT))
        if state in (State.AFTER_ANSWER, State.ANYTHING_ELSE):
            repeated = self.answers.repeat(hi)
            if repeated is not None:
                return repeated
        if state in (State.IDLE, State.STORE_DOWN):
            session.set_pending(hi, session.ASKED_WELCOME)
            return prompt(hi, self.content.messages["welcome"])
        return self.back(said, self.question(said).speech)

    def not_understood(self, said: Said) -> Response:
        """Sorry and the question again; from the second miss in a row, what can be said and
        a way out."""
        hi = said.handler_input
        log.debug("not understood", extra={"meaning": str(Meaning.NOT_UNDERSTOOD)})
        attrs = session_attributes(hi)
        kept = attrs.get(session.MISSES)
        misses = kept if isinstance(kept, int) else 0
        attrs[session.MISSES] = misses + 1
        way_out = [self.words("way_out")] if misses >= 1 else []
        if said.place is not None and said.state in IN_WORKOUT:
            lines = [self.words("again_sorry")]
            if misses >= 1:
                lines += [self.coach.help_line(said.place), *way_out]
            return self.back(said, *lines)
        if said.state in (State.IDLE, State.STORE_DOWN):
            session.set_pending(hi, session.ASKED_WELCOME)
            return prompt(hi, self.content.messages["fallback"])
        if said.state in CHAT:
            return self.back(said, self.content.messages["fallback"].speech, *way_out)
        return self.back(said, self.words("again_sorry"), self._help_line(said), *way_out)

    def _help_line(self, said: Said) -> str:
        if said.place is not None and said.state in IN_WORKOUT:
            return self.coach.help_line(said.place)
        if said.state in (State.REMINDER_DAYS, State.REMINDER_TIME):
            return self.keep.help_line(PENDING[said.state])
        if said.state in HELP_LINES:
            return self.words(HELP_LINES[said.state])
        return self.content.messages["help"].speech

    def answer_question(self, said: Said) -> Response:
        return self.answers.answer(said, self.back, self._pause_with)

    def _pause_with(self, said: Said, speech: str) -> Response | None:
        """Say ``speech`` and pause the workout under way in this session, if any."""
        place = session_cursor(said.handler_input, self.records.programs)
        if place is None:
            return None
        return self.coach.pause_with(said.handler_input, place, speech)

    def source(self, said: Said) -> Response:
        return self.answers.source(said, self.back)

    def more(self, said: Said) -> Response:
        return self.answers.more(said, self.back)

    def ask_away(self, said: Said) -> Response:
        """Yes, with no question yet: "all right", and the question again; "carry on" with
        a workout saved for later carries it on."""
        if said.heard.reply is Reply.GO_ON and self.records.saved_place(said.handler_input):
            return self.no_workout(said)
        if said.state in (State.LAUNCH, State.ANYTHING_ELSE):
            return self.back(said, self.content.messages["anything_else"].speech)
        session.set_pending(said.handler_input, session.ASKED_ANYTHING_ELSE)
        return prompt(said.handler_input, self.content.messages["anything_else"])

    def follow_on(self, handler_input: HandlerInput, *lines: str) -> Response:
        """Say ``lines``, then carry on the conversation where it is (for callers that
        answer outside the table, such as the permission's answer coming back)."""
        state, place, saved = self.where(handler_input)
        said = Said(handler_input, Heard(None, Reply.UNKNOWN), state, place, saved)
        return self.back(said, *lines)

    def progress(self, said: Said) -> Response:
        line, any_workouts = self.keep.how_am_i_doing(said.handler_input)
        if not any_workouts and said.state in CHAT | {State.AFTER_ANSWER}:
            session.set_pending(said.handler_input, session.OFFERED_WORKOUT)
            return ask(said.handler_input, line, self.content.messages["no_workout"].follow_up)
        return self.back(said, line)

    def forget_ask(self, said: Said) -> Response:
        return self.forgetting.ask(said.handler_input)

    def forget_yes(self, said: Said) -> Response:
        return self.forgetting.forget(said.handler_input)

    def forget_no(self, said: Said) -> Response:
        return self.back(self._answered(said), self.words("forget_kept"))

    def unit(self, said: Said) -> Response:
        hi, place = said.handler_input, said.place
        if said.state is State.UNIT and self.personal.heard.unit(hi) is None:
            return self.not_understood(said)
        result = self.personal.unit(hi)
        if isinstance(result, UnitGiven):
            if result.then == "log" and place is not None:
                event = Event(EventKind.DONE, result.reps, result.weight, result.unit)
                return self.coach.run(hi, place, event)
            if result.then == "fill" and place is not None:
                line, rest = self.personal.fill_unit(hi, place, result.weight, result.unit)
                return self.coach.rest_then_ask(hi, place, rest, line)
            result = self.personal.unit_set(result.unit)
        return self._lines(self._answered(said) if said.state is State.UNIT else said, result)

    def one_rep_max(self, said: Said) -> Response:
        if said.state is State.ONE_REP_MAX:
            said = self._answered(said)
        return self._lines(said, self.personal.one_rep_max(said.handler_input))

    def difficulty(self, said: Said) -> Response:
        place = said.place if said.state in IN_WORKOUT else None
        return self.back(said, self.personal.difficulty(said.handler_input, place))

    def start_workout(self, said: Said) -> Response:
        hi = said.handler_input
        session.set_pending(hi, None)
        if said.state is State.OFFERED_SHORTER:
            shortest = min(self.records.programs.values(), key=lambda p: p.minutes)
            return self._begin(hi, shortest)
        return self._start(hi)

    def _start(self, hi: HandlerInput) -> Response:
        """ "Start my workout" or "start the beginner workout": the program named, else the
        saved workout, else the last program done, else the question which one."""
        program = self.heard.program(hi)
        under_way = session_cursor(hi, self.records.programs)
        if under_way is not None:
            event = Event(EventKind.START_OVER, program=program.id if program else None)
            return self.coach.run(hi, under_way, event)
        current = self.records.saved_place(hi)
        if program is None and current is not None:
            return self.gates.check(hi, None) or self.coach.reopen(hi, current)
        program = program or self.records.last_program(hi)
        if program is None:
            session.set_pending(hi, session.ASKED_PROGRAM)
            return prompt(hi, self.content.messages["which_program"])
        return self._begin(hi, program)

    def _begin(self, hi: HandlerInput, program: Program, lead: str = "") -> Response:
        """``program`` from its start, past the gates."""
        return self.gates.check(hi, program) or self.coach.begin(hi, program, lead)

    def choose_program(self, said: Said) -> Response:
        hi = said.handler_input
        program = self.heard.program(hi)
        if program is None:
            return self.not_understood(said)
        session.set_pending(hi, None)
        return self._begin(hi, program)

    def no_workout(self, said: Said) -> Response:
        """A workout reply with no workout in the session: the saved one, if there is one."""
        hi = said.handler_input
        place = self.records.saved_place(hi)
        if place is None:
            return self._offer_workout(hi)
        session.set_pending(hi, None)
        return self.gates.check(hi, None) or self.coach.reopen(hi, place)

    def _offer_workout(self, hi: HandlerInput) -> Response:
        session.set_pending(hi, session.OFFERED_WORKOUT)
        return prompt(hi, self.content.messages["no_workout"])

    def welcome_back(self, hi: HandlerInput) -> Response | None:
        """On launch: carry on with an unfinished workout, if there is one."""
        place = self.records.saved_place(hi)
        if place is None:
            return None
        return self.gates.check(hi, None) or self.coach.reopen(hi, place)

    def session_ended(self, hi: HandlerInput) -> None:
        """The session dropped: a workout under way keeps its place for next time."""
        place = session_cursor(hi, self.records.programs)
        if place is not None:
            self.coach.drop(hi, place)

    def store_down(self, said: Said) -> Response:
        return tell(said.handler_input, self.words("log_unreachable"))

    def gate_answer(self, yes: bool) -> Action:
        return lambda said: self._gate_answered(said.handler_input, yes)

    def _gate_answered(self, hi: HandlerInput, yes: bool) -> Response:
        """After the hold's or the go-ahead's question: no training today, the program
        begun, or the saved workout's set said."""
        cleared = self.gates.answer(hi, yes)
        if isinstance(cleared, Response):
            return cleared
        if cleared.program is not None:
            return self._begin(hi, cleared.program, cleared.lead)
        place = self.records.saved_place(hi)
        if place is None:
            return self._offer_workout(hi)
        return self.gates.check(hi, None) or self.coach.announce(hi, place, lead=cleared.lead)

    # -- in a workout ------------------------------------------------------------------------

    def event(self, kind: EventKind) -> Action:
        return lambda said: self._run(said, Event(kind))

    def information(self, kind: EventKind) -> Action:
        """What's next or how many sets are left: in a workout, said and the workout's
        question asked again; at another question mid-workout (the unit, say), said and
        that question asked again; with no workout, what can be said to the question."""

        def inform(said: Said) -> Response:
            if said.state in IN_WORKOUT or said.place is None:
                if said.place is None:
                    return self.back(said, self._help_line(said))
                return self._run(said, Event(kind))
            return self.back(said, self.coach.lines_for(said.place, Event(kind)))

        return inform

    def skip(self, said: Said) -> Response:
        """Skip this exercise; at a question with no workout ("can we skip that?"), the
        question again with what can be said to it."""
        if said.place is None and said.state not in CHAT:
            return self.back(said, self._help_line(said))
        return self._run(said, Event(EventKind.SKIP))

    def exercise_info(self, said: Said) -> Response:
        if said.place is None:
            return self.no_workout(said)
        reply = said.heard.reply.value
        line = self.coach.about_exercise(said.place, how=reply != "why", why=reply != "form")
        return self.back(said, line)

    def set_mode(self, said: Said) -> Response:
        mode = self.heard.mode(said.handler_input)
        if mode is None:
            return self.not_understood(said)
        return self._run(said, Event(EventKind.MODE, mode=mode))

    def choose_mode(self, said: Said) -> Response:
        mode = MODE_ANSWERS.get(said.heard.reply) or self.heard.mode(said.handler_input)
        if mode is None:
            return self.not_understood(said)
        return self._run(said, Event(EventKind.CHOOSE_MODE, mode=mode))

    def log_set(self, said: Said) -> Response:
        """A set done: handler → event → flow → effects → store, in ``Coach.run``. A weight
        in a unit the skill doesn't know is asked about first."""
        place = self._place(said)
        if isinstance(place, Response):
            return place
        hi = said.handler_input
        heard = self.heard.numbers(hi)
        if heard.weight is not None and heard.unknown_unit:
            if place.stage is Stage.CONFIRM_DONE or self.coach.flow.following(place) is None:
                return self.personal.ask_unit(hi, heard, "log")
            response = self.coach.log_then_ask_unit(hi, place, heard.reps, heard.weight)
            data = {"reps": heard.reps, "weight": heard.weight, "then": "fill"}
            session.set_pending(hi, session.ASKED_UNIT, data)
            return response
        event = Event(EventKind.DONE, heard.reps, heard.weight, heard.unit)
        return self.coach.run(hi, place, event)

    def claim_done(self, said: Said) -> Response:
        """ "Done" or "twelve" before the set began: asked about, never logged."""
        place = self._place(said)
        if isinstance(place, Response):
            return place
        hi = said.handler_input
        heard = self.heard.numbers(hi)
        unit = heard.unit
        if heard.weight is not None and unit is None:
            unit = self.records.unit(hi)
        event = Event(EventKind.CLAIM, heard.reps, heard.weight, unit)
        return self.coach.run(hi, place, event)

    def correct(self, said: Said) -> Response:
        """ "No, I said fifteen": the last set fixed, without moving on."""
        place = self._place(said)
        if isinstance(place, Response):
            return place
        line = self.personal.correct(said.handler_input, place)
        return self.coach.carry_on(said.handler_input, place, line)

    def actions(self) -> dict[Meaning, Action]:
        M = Meaning
        return {
            M.WARNING: self.warn,
            M.NOT_A_WARNING: self.not_a_warning,
            M.STOP: self.stop,
            M.PAUSE: self.pause,
            M.HELP: self.help,
            M.REPEAT: self.repeat,
            M.NOT_UNDERSTOOD: self.not_understood,
            M.ANSWER_QUESTION: self.answer_question,
            M.SOURCE: self.source,
            M.PROGRESS: self.progress,
            M.WHATS_NEXT: self.information(EventKind.WHATS_NEXT),
            M.SETS_LEFT: self.information(EventKind.SETS_LEFT),
            M.EXERCISE_INFO: self.exercise_info,
            M.DIFFICULTY: self.difficulty,
            M.UNIT: self.unit,
            M.FORGET_ASK: self.forget_ask,
            M.START_WORKOUT: self.start_workout,
            M.SKIP: self.skip,
            M.PREVIOUS: self.event(EventKind.PREVIOUS),
            M.SET_MODE: self.set_mode,
            M.ONE_REP_MAX: self.one_rep_max,
            M.NO_WORKOUT: self.no_workout,
            M.STORE_DOWN: self.store_down,
            M.GOODBYE: self.goodbye,
            M.MORE: self.more,
            M.ASK_AWAY: self.ask_away,
            M.CHOOSE_PROGRAM: self.choose_program,
            M.GO_AHEAD_YES: self.gate_answer(True),
            M.GO_AHEAD_NO: self.gate_answer(False),
            M.CHECKED_YES: self.gate_answer(True),
            M.CHECKED_NO: self.gate_answer(False),
            M.CHOOSE_MODE: self.choose_mode,
            M.GO: self.event(EventKind.GO),
            M.NOT_YET: self.event(EventKind.NOT_YET),
            M.CLAIM_DONE: self.claim_done,
            M.LOG_SET: self.log_set,
            M.SET_NOT_DONE: self.event(EventKind.NOT_DONE),
            M.RESTART: self.event(EventKind.RESTART),
            M.KEEP_GOING: self.event(EventKind.KEEP_GOING),
            M.FORGET_YES: self.forget_yes,
            M.FORGET_NO: self.forget_no,
            M.KEEP_FOR_LATER: self.event(EventKind.KEEP_FOR_LATER),
            M.CORRECT: self.correct,
            M.SET_REMINDER: self._keep(self.keep.set_reminder),
            M.REMINDER_TIME: self._keep(self.keep.time_answer),
            M.LIST_REMINDERS: self._keep(self.keep.list_reminders),
            M.MOVE_REMINDER: self._keep(self.keep.move_reminder),
            M.STOP_REMINDERS: self._keep(self.keep.stop_reminders),
            M.SET_GOAL: self._keep(self.keep.set_goal),
        }

    @staticmethod
    def _keep(action) -> Action:
        return lambda said: action(said.handler_input)
