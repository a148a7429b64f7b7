"""What a reply means, by the state the conversation is in: one table.

Alexa's NLU picks an intent without knowing what the skill just asked, so "no", "done",
"eleven" or "go on" mean nothing on their own. ``hearing.hear`` sorts what was heard into a
``Reply``; ``conversation.state_of`` names the ``State``; this table gives the ``Meaning``,
and ``actions`` carries it out. Handlers never decide meaning themselves.

Pure data: no ask-sdk, Flask or database.
"""

from __future__ import annotations

from enum import StrEnum


class State(StrEnum):
    """What the skill last asked, or where the person is in a workout."""

    IDLE = "idle"  # nothing asked: a one-shot request with no workout saved
    LAUNCH = "launch"  # the welcome: "What would you like to know?"
    AFTER_ANSWER = "after_answer"  # "Would you like to hear more?"
    ANYTHING_ELSE = "anything_else"  # "What else would you like to know?"
    PROGRAM = "program"  # "Which one would you like?"
    GO_AHEAD = "go_ahead"  # the bone-safe program's "has your doctor said it's OK?"
    HELD = "held"  # after a warning sign: "have you been checked since then?"
    FORGET = "forget"  # "Shall I forget everything?"
    UNIT = "unit"  # "Was that kilograms or pounds?"
    ONE_REP_MAX = "one_rep_max"  # "What weight can you lift, and how many times?"
    OFFERED_WORKOUT = "offered_workout"  # "Would you like to start one?"
    OFFERED_SHORTER = "offered_shorter"  # "Want to try a shorter one?"
    MODE = "mode"  # "Shall I count with you?"
    READY = "ready"  # "Ready?" before the first set
    REST = "rest"  # a set logged, a rest, then "Ready for set two?"
    RESUME = "resume"  # back after a break: "Shall we carry on?"
    HOW_MANY = "how_many"  # a counted set was counted: "How many reps?"
    SET = "set"  # a set under way at the person's own pace: "say done"
    CHECK_SET = "check_set"  # back after a drop mid-set: "Did you finish set one?"
    CONFIRM_DONE = "confirm_done"  # "done" before a set began: "Did you already do it?"
    CONFIRM_RESTART = "confirm_restart"  # "Start the beginner workout from the beginning?"
    STORE_DOWN = "store_down"  # a new session, and the training log can't be read
    REMINDER_DAYS = "reminder_days"  # "Which days shall I remind you?"
    REMINDER_TIME = "reminder_time"  # "What time shall I remind you?"


class Reply(StrEnum):
    """What was heard, sorted by kind (see ``hearing.py``)."""

    YES = "yes"
    NO = "no"
    NEXT = "next"  # next, move on
    GO_ON = "go_on"  # continue, carry on, go on, resume
    DONE = "done"  # finished, with no number
    NUMBER = "number"  # a rep count or a weight
    CORRECTION = "correction"  # "no, I said twelve"
    NOT_DONE = "not_done"  # a correction with no number: "no I didn't"
    STOP = "stop"  # stop, cancel, go home, enough for today
    PAUSE = "pause"  # pause, hold on, give me a minute
    HELP = "help"
    REPEAT = "repeat"  # repeat, pardon, what was that
    UNKNOWN = "unknown"  # the NLU's fallback, or an intent the skill doesn't know
    WARNING = "warning"  # a warning sign the skill knows
    TIRED = "tired"  # effort named as a feeling: "my arms are tired"
    UNKNOWN_SYMPTOM = "unknown_symptom"  # symptom words the skill doesn't know
    QUESTION = "question"  # a question about bones or lifting (a content topic)
    MORE = "more"  # tell me more
    SOURCE = "source"  # where is that from
    START = "start"  # start a workout, or a program by name
    START_OVER = "start_over"
    PREVIOUS = "previous"
    SKIP = "skip"
    WHATS_NEXT = "whats_next"
    SETS_LEFT = "sets_left"
    FORM = "form"  # how do I do this
    WHY = "why"  # why this exercise
    DIFFICULTY = "difficulty"
    UNIT = "unit"
    MODE = "mode"  # count for me, or I'll tell you when I'm done
    ONE_REP_MAX = "one_rep_max"
    PROGRESS = "progress"  # how am I doing
    FORGET = "forget"
    SET_REMINDER = "set_reminder"  # remind me to train on Tuesdays at nine
    LIST_REMINDERS = "list_reminders"
    MOVE_REMINDER = "move_reminder"
    STOP_REMINDERS = "stop_reminders"
    SET_GOAL = "set_goal"  # my goal is three workouts a week


class Meaning(StrEnum):
    """What the skill does with a reply (``tests/conversation/README.md`` says each)."""

    WARNING = "warning"
    NOT_A_WARNING = "not_a_warning"
    STOP = "stop"
    PAUSE = "pause"
    HELP = "help"
    REPEAT = "repeat"
    NOT_UNDERSTOOD = "not_understood"
    ANSWER_QUESTION = "answer_question"
    SOURCE = "source"
    PROGRESS = "progress"
    WHATS_NEXT = "whats_next"
    SETS_LEFT = "sets_left"
    EXERCISE_INFO = "exercise_info"
    DIFFICULTY = "difficulty"
    UNIT = "unit"
    FORGET_ASK = "forget_ask"
    START_WORKOUT = "start_workout"
    SKIP = "skip"
    PREVIOUS = "previous"
    SET_MODE = "set_mode"
    ONE_REP_MAX = "one_rep_max"
    NO_WORKOUT = "no_workout"
    STORE_DOWN = "store_down"
    GOODBYE = "goodbye"
    MORE = "more"
    ASK_AWAY = "ask_away"
    CHOOSE_PROGRAM = "choose_program"
    GO_AHEAD_YES = "go_ahead_yes"
    GO_AHEAD_NO = "go_ahead_no"
    CHECKED_YES = "checked_yes"
    CHECKED_NO = "checked_no"
    CHOOSE_MODE = "choose_mode"
    GO = "go"
    NOT_YET = "not_yet"
    CLAIM_DONE = "claim_done"
    LOG_SET = "log_set"
    SET_NOT_DONE = "set_not_done"
    RESTART = "restart"
    KEEP_GOING = "keep_going"
    FORGET_YES = "forget_yes"
    FORGET_NO = "forget_no"
    KEEP_FOR_LATER = "keep_for_later"
    CORRECT = "correct"
    SET_REMINDER = "set_reminder"
    REMINDER_TIME = "reminder_time"
    LIST_REMINDERS = "list_reminders"
    MOVE_REMINDER = "move_reminder"
    STOP_REMINDERS = "stop_reminders"
    SET_GOAL = "set_goal"


R, M = Reply, Meaning

#: In every state, unless the state says otherwise.
ANYWHERE: dict[Reply, Meaning] = {
    R.WARNING: M.WARNING,
    R.TIRED: M.NOT_A_WARNING,
    R.STOP: M.STOP,
    R.PAUSE: M.PAUSE,
    R.HELP: M.HELP,
    R.REPEAT: M.REPEAT,
    R.UNKNOWN: M.NOT_UNDERSTOOD,
    R.UNKNOWN_SYMPTOM: M.NOT_UNDERSTOOD,
    R.QUESTION: M.ANSWER_QUESTION,
    R.SOURCE: M.SOURCE,
    R.PROGRESS: M.PROGRESS,
    R.FORGET: M.FORGET_ASK,
    R.UNIT: M.UNIT,
    R.ONE_REP_MAX: M.ONE_REP_MAX,
    R.DIFFICULTY: M.DIFFICULTY,
    R.START: M.START_WORKOUT,
    R.START_OVER: M.START_WORKOUT,
    R.SET_REMINDER: M.SET_REMINDER,
    R.LIST_REMINDERS: M.LIST_REMINDERS,
    R.MOVE_REMINDER: M.MOVE_REMINDER,
    R.STOP_REMINDERS: M.STOP_REMINDERS,
    R.SET_GOAL: M.SET_GOAL,
    R.YES: M.NOT_UNDERSTOOD,
    R.NO: M.NOT_UNDERSTOOD,
    R.NEXT: M.NOT_UNDERSTOOD,
    R.GO_ON: M.NOT_UNDERSTOOD,
    R.DONE: M.NOT_UNDERSTOOD,
    R.NUMBER: M.NOT_UNDERSTOOD,
    R.CORRECTION: M.NOT_UNDERSTOOD,
    R.NOT_DONE: M.NOT_UNDERSTOOD,
    R.MORE: M.NOT_UNDERSTOOD,
    R.PREVIOUS: M.NOT_UNDERSTOOD,
    R.SKIP: M.SKIP,
    R.WHATS_NEXT: M.WHATS_NEXT,
    R.SETS_LEFT: M.NOT_UNDERSTOOD,
    R.FORM: M.NOT_UNDERSTOOD,
    R.WHY: M.NOT_UNDERSTOOD,
    R.MODE: M.NOT_UNDERSTOOD,
}

#: No workout going and no yes-or-no question waiting: chat.
CHAT: dict[Reply, Meaning] = {
    **ANYWHERE,
    R.YES: M.ASK_AWAY,
    R.GO_ON: M.ASK_AWAY,
    R.NO: M.GOODBYE,
    R.MORE: M.MORE,
    R.WHATS_NEXT: M.HELP,
    R.FORM: M.HELP,
    **dict.fromkeys(
        (
            R.NEXT,
            R.DONE,
            R.NUMBER,
            R.CORRECTION,
            R.NOT_DONE,
            R.PREVIOUS,
            R.SKIP,
            R.SETS_LEFT,
            R.WHY,
            R.MODE,
        ),
        M.NO_WORKOUT,
    ),
}

#: A workout under way, at any of its questions.
WORKOUT: dict[Reply, Meaning] = {
    **ANYWHERE,
    R.UNKNOWN_SYMPTOM: M.WARNING,
    R.MORE: M.EXERCISE_INFO,
    R.FORM: M.EXERCISE_INFO,
    R.WHY: M.EXERCISE_INFO,
    R.WHATS_NEXT: M.WHATS_NEXT,
    R.SETS_LEFT: M.SETS_LEFT,
    R.SKIP: M.SKIP,
    R.PREVIOUS: M.PREVIOUS,
    R.MODE: M.SET_MODE,
}

#: Whatever the set's question, "no I didn't" and "no" mean it wasn't done; a number,
#: "done" or "next" logs it; "carry on" (a set paused part way) means do it now.
SET_ANSWERS: dict[Reply, Meaning] = {
    R.YES: M.LOG_SET,
    R.DONE: M.LOG_SET,
    R.NUMBER: M.LOG_SET,
    R.CORRECTION: M.LOG_SET,
    R.NEXT: M.LOG_SET,
    R.GO_ON: M.GO,
    R.NO: M.SET_NOT_DONE,
    R.NOT_DONE: M.SET_NOT_DONE,
}

#: Before a set begins: "go on" starts it; "done" or a number asks whether it was done.
BEFORE_A_SET: dict[Reply, Meaning] = {
    R.YES: M.GO,
    R.NEXT: M.GO,
    R.GO_ON: M.GO,
    R.NO: M.NOT_YET,
    R.DONE: M.CLAIM_DONE,
    R.NUMBER: M.CLAIM_DONE,
    R.CORRECTION: M.CLAIM_DONE,
}

TABLE: dict[State, dict[Reply, Meaning]] = {
    State.IDLE: CHAT,
    State.LAUNCH: CHAT,
    State.AFTER_ANSWER: {
        **CHAT,
        R.YES: M.MORE,
        R.GO_ON: M.MORE,
        R.NEXT: M.ASK_AWAY,
        R.DONE: M.GOODBYE,
    },
    State.ANYTHING_ELSE: {**CHAT, R.DONE: M.GOODBYE},
    State.STORE_DOWN: {
        **CHAT,
        **{reply: M.STORE_DOWN for reply, meaning in CHAT.items() if meaning is M.NO_WORKOUT},
    },
    State.PROGRAM: {
        **ANYWHERE,
        R.START: M.CHOOSE_PROGRAM,
        R.NUMBER: M.CHOOSE_PROGRAM,
        R.NO: M.GOODBYE,
        R.SKIP: M.GOODBYE,
    },
    State.GO_AHEAD: {**ANYWHERE, R.YES: M.GO_AHEAD_YES, R.NO: M.GO_AHEAD_NO},
    State.HELD: {
        **ANYWHERE,
        R.YES: M.CHECKED_YES,
        R.NO: M.CHECKED_NO,
        R.GO_ON: M.START_WORKOUT,
        R.NEXT: M.START_WORKOUT,
        R.SKIP: M.SKIP,
    },
    State.FORGET: {
        **ANYWHERE,
        R.YES: M.FORGET_YES,
        R.NO: M.FORGET_NO,
        R.NOT_DONE: M.FORGET_NO,
        R.FORGET: M.HELP,
    },
    State.UNIT: {**ANYWHERE, R.NUMBER: M.UNIT, R.CORRECTION: M.UNIT},
    State.REMINDER_DAYS: {**ANYWHERE, R.NO: M.GOODBYE},
    State.REMINDER_TIME: {**ANYWHERE, R.NUMBER: M.REMINDER_TIME, R.NO: M.GOODBYE},
    State.ONE_REP_MAX: {**ANYWHERE, R.NUMBER: M.ONE_REP_MAX, R.NO: M.GOODBYE},
    State.OFFERED_WORKOUT: {
        **CHAT,
        R.YES: M.START_WORKOUT,
        R.GO_ON: M.START_WORKOUT,
        R.NO: M.GOODBYE,
        R.WHATS_NEXT: M.NO_WORKOUT,
    },
    State.OFFERED_SHORTER: {
        **CHAT,
        R.YES: M.START_WORKOUT,
        R.GO_ON: M.START_WORKOUT,
        R.NO: M.GOODBYE,
    },
    State.MODE: {
        **WORKOUT,
        R.YES: M.CHOOSE_MODE,
        R.NO: M.CHOOSE_MODE,
        R.GO_ON: M.CHOOSE_MODE,
        R.MODE: M.CHOOSE_MODE,
        R.DONE: M.CLAIM_DONE,
        R.NUMBER: M.CLAIM_DONE,
        R.CORRECTION: M.CLAIM_DONE,
    },
    State.READY: {**WORKOUT, **BEFORE_A_SET},
    State.REST: {**WORKOUT, **BEFORE_A_SET, R.CORRECTION: M.CORRECT},
    State.RESUME: {**WORKOUT, **BEFORE_A_SET, R.NO: M.KEEP_FOR_LATER},
    State.HOW_MANY: {
        **WORKOUT,
        **SET_ANSWERS,
        R.YES: M.NOT_UNDERSTOOD,
        R.NEXT: M.NOT_UNDERSTOOD,
        R.GO_ON: M.NOT_UNDERSTOOD,
    },
    State.SET: {**WORKOUT, **SET_ANSWERS},
    State.CHECK_SET: {**WORKOUT, **SET_ANSWERS, R.GO_ON: M.NOT_UNDERSTOOD},
    State.CONFIRM_DONE: {
        **WORKOUT,
        **SET_ANSWERS,
        R.GO_ON: M.SET_NOT_DONE,
        R.NEXT: M.NOT_UNDERSTOOD,
    },
    State.CONFIRM_RESTART: {
        **WORKOUT,
        R.YES: M.RESTART,
        R.GO_ON: M.RESTART,
        R.START_OVER: M.RESTART,
        R.NO: M.KEEP_GOING,
        R.NEXT: M.KEEP_GOING,
        R.NOT_DONE: M.KEEP_GOING,
    },
}

#: States inside a workout (the rest are chat or a question outside one).
IN_WORKOUT = frozenset(
    {
        State.MODE,
        State.READY,
        State.REST,
        State.RESUME,
        State.HOW_MANY,
        State.SET,
        State.CHECK_SET,
        State.CONFIRM_DONE,
        State.CONFIRM_RESTART,
    }
)


def meaning(state: State, reply: Reply) -> Meaning:
    """What ``reply`` means in ``state``."""
    return TABLE[state][reply]


def missing() -> list[tuple[State, Reply]]:
    """Every (state, reply) the table leaves out: none, checked by the tests."""
    return [(s, r) for s in State for r in Reply if r not in TABLE.get(s, {})]
