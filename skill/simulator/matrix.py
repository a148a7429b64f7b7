"""The conversation matrix (``tests/conversation``): every state, every ordinary reply.

A state file names a state, the words that reach it and the replies people give there, each
with its expected outcome (see ``tests/conversation/README.md``). Every case is played for a
new person: the path, then the reply. What the skill took the reply to mean is read from its
``intents.meaning`` log record; the sets it logged, from the training log.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from sqlalchemy import func, select

from ..store.tables import sets
from .core import InProcess, Simulator, Turn
from .dialogs import _matches
from .nlu import FALLBACK, LanguageModel, Resolution

CHAT_PENDING = frozenset({"welcome", "more", "anything_else"})
REQUIRED = ("event", "logged", "asks_again", "ends")
OPTIONAL = ("speech", "not_speech")
MEANING_LOGGER = "intents.meaning"

#: Meanings after which the question of the state must come back.
ASK_BACK = frozenset(
    {
        "help",
        "repeat",
        "not_understood",
        "answer_question",
        "progress",
        "whats_next",
        "sets_left",
        "exercise_info",
        "difficulty",
        "not_a_warning",
    }
)
#: Meanings that may close the session whatever follows them. Any other meaning may close it
#: only by starting a self-paced set or finishing the workout (``Player.closing``).
MAY_END = frozenset(
    {
        "stop",
        "pause",
        "goodbye",
        "warning",
        "go_ahead_no",
        "checked_no",
        "forget_yes",
        "forget_no",
        "keep_for_later",
    }
)


#: In chat ("What would you like to know?"), a question or "how am I doing" is an answer
#: to the question, and the answer asks its own ("Want to hear more?").
ANSWERS_MOVE_ON = frozenset({"answer_question", "progress"})


class MatrixError(ValueError):
    """A state file that cannot be played."""


@dataclass(frozen=True)
class Case:
    state: str
    say: str
    expect: dict


@dataclass
class StateFile:
    state: str
    path: Path
    reach: list[str]
    cases: list[Case]
    locale: str = "en-US"


@dataclass
class Outcome:
    """What one reply did."""

    event: str | None
    logged: int
    asks_again: bool
    ends: bool
    speech: str
    reprompt: str | None
    question: str | None
    turn: Turn | None = None
    closing: bool = False
    chat: bool = False


@dataclass
class CaseResult:
    case: Case
    outcome: Outcome
    failures: list[str] = field(default_factory=list)


def load(path: Path | str) -> StateFile:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise MatrixError(f"{path}: cannot be read ({exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("state"), str):
        raise MatrixError(f"{path}: needs 'state', 'reach' and 'cases'")
    reach = data.get("reach") or []
    if not isinstance(reach, list) or not all(isinstance(r, str) for r in reach):
        raise MatrixError(f"{path}: 'reach' must be a list of lines (quote yes and no)")
    cases = []
    for number, raw in enumerate(data.get("cases") or [], 1):
        where = f"{path}: case {number}"
        if not isinstance(raw, dict) or not isinstance(raw.get("say"), str):
            raise MatrixError(f"{where}: needs 'say' as text (quote yes and no)")
        expect = raw.get("expect")
        if not isinstance(expect, dict) or any(k not in expect for k in REQUIRED):
            raise MatrixError(f"{where} ({raw['say']!r}): 'expect' needs {', '.join(REQUIRED)}")
        unknown = set(expect) - {*REQUIRED, *OPTIONAL}
        if unknown:
            raise MatrixError(f"{where}: unknown fields {sorted(unknown)}")
        cases.append(Case(data["state"], raw["say"], expect))
    if not cases:
        raise MatrixError(f"{path}: no cases")
    return StateFile(data["state"], path, reach, cases, str(data.get("locale") or "en-US"))


class _Meanings(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        meaning = getattr(record, "meaning", None)
        if isinstance(meaning, str):
            self.seen.append(meaning)


@contextmanager
def _listening() -> Iterator[_Meanings]:
    logger = logging.getLogger(MEANING_LOGGER)
    handler, level = _Meanings(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


class Player:
    """Plays state files against one app, a new person for each case."""

    def __init__(self, app, model: LanguageModel, closing: Callable[[str], bool]):
        """``closing(speech)``: the speech starts a self-paced set or ends the workout."""
        self.app = app
        self.model = model
        self.closing = closing
        self.transport = InProcess(app)

    def _sets(self, user_id: str) -> int:
        """Sets in the person's log: a corrected set is one set, however many rows."""
        persistence = self.app.extensions["bone_builder"].persistence
        logged = (
            select(sets.c.workout_id, sets.c.exercise, sets.c.set_no)
            .where(sets.c.person_id == user_id)
            .distinct()
            .subquery()
        )
        with persistence.reading() as conn:
            return int(conn.execute(select(func.count()).select_from(logged)).scalar_one())

    def reach(self, state_file: StateFile) -> tuple[Simulator, Turn | None]:
        """Play the path to the state; return the last turn that asked something (a
        silence after it, when the session drops, keeps it as the state's question)."""
        user = "amzn1.ask.account.matrix-" + uuid.uuid4().hex
        simulator = Simulator(self.model, self.transport, state_file.locale, user)
        asked = None
        for line in state_file.reach:
            turn = simulator.say(line)
            if turn is not None and turn.intent != "SessionEndedRequest":
                asked = turn
        return simulator, asked

    def play(self, state_file: StateFile, say: str) -> Outcome:
        simulator, asked = self.reach(state_file)
        question = asked.reprompt if asked is not None else None
        where = _where(asked.response if asked is not None else None)
        before = self._sets(simulator.session.user_id)
        was_open = simulator.session.open
        with _listening() as meanings:
            turn = simulator.say(say)
        logged = max(self._sets(simulator.session.user_id) - before, 0)
        if turn is None:
            return Outcome(None, logged, False, True, "", None, question)
        after = _where(turn.response)
        same = after == where if where is not None else turn.reprompt == question
        return Outcome(
            event=meanings.seen[-1] if meanings.seen else None,
            logged=logged,
            asks_again=turn.session_open and question is not None and same,
            ends=not turn.session_open,
            speech=turn.speech,
            reprompt=turn.reprompt,
            question=question,
            turn=turn,
            closing=self.closing(turn.speech)
            or (not was_open and asked is not None and self.closing(asked.speech)),
            chat=where is not None and where[0] in CHAT_PENDING,
        )

    def misses(self, state_file: StateFile, times: int) -> list[Turn]:
        """The state's question met by words Alexa can't place (its fallback intent),
        ``times`` in a row."""
        simulator, _ = self.reach(state_file)
        missed = Resolution("intent", FALLBACK, {}, False, None, 0.0, None, "not understood")
        return [simulator.play("(words not understood)", missed) for _ in range(times)]


def _where(response: dict | None) -> tuple | None:
    """Where a response leaves the conversation: the question pending, the workout's
    exercise, set and stage, and which part of an answer was last said. The same question
    about a new answer, or about the same set in other words, is the question coming back;
    the next piece of a longer answer is not."""
    attrs = (response or {}).get("sessionAttributes") or {}
    workout = attrs.get("workout") or {}
    if not attrs.get("pending") and not workout:
        return None
    last = attrs.get("last") or {}
    return (
        attrs.get("pending"),
        workout.get("ex"),
        workout.get("set"),
        workout.get("stage"),
        workout.get("switch_to"),
        last.get("part"),
        last.get("chunk"),
    )


def check(case: Case, outcome: Outcome) -> list[str]:
    """What differs from the case's expectations, and which invariants it breaks."""
    expect = case.expect
    failures = []
    if outcome.event is not None and outcome.event != expect["event"]:
        failures.append(f"event: expected {expect['event']}, got {outcome.event}")
    for name in ("logged", "asks_again", "ends"):
        got = getattr(outcome, name)
        if got != expect[name]:
            failures.append(f"{name}: expected {expect[name]}, got {got}")
    if "speech" in expect and not _matches(expect["speech"], outcome.speech):
        failures.append(f"speech: expected {expect['speech']!r}")
    if "not_speech" in expect and _matches(expect["not_speech"], outcome.speech):
        failures.append(f"not_speech: said {expect['not_speech']!r}")
    failures += invariants(outcome)
    return failures


def invariants(outcome: Outcome) -> list[str]:
    """The rules every reply in every state keeps, whatever a case expects."""
    broken = []
    event = outcome.event
    if (
        event in ASK_BACK
        and outcome.question is not None
        and not outcome.asks_again
        and not (event in ANSWERS_MOVE_ON and outcome.chat)
    ):
        broken.append(f"invariant: after {event} the question must come back")
    if outcome.logged and event is not None and event != "log_set":
        broken.append(f"invariant: a set was logged on {event}")
    if outcome.ends and not outcome.closing and event is not None and event not in MAY_END:
        broken.append(f"invariant: the session ended on {event}")
    return broken


def run(
    player: Player,
    files: list[StateFile],
    on_case: Callable[[CaseResult], None] | None = None,
) -> list[CaseResult]:
    results = []
    for state_file in files:
        for case in state_file.cases:
            outcome = player.play(state_file, case.say)
            result = CaseResult(case, outcome, check(case, outcome))
            results.append(result)
            if on_case:
                on_case(result)
    return results


def summary(results: list[CaseResult]) -> list[str]:
    """One line per state: cases and failures; then the total."""
    by_state: dict[str, list[CaseResult]] = {}
    for result in results:
        by_state.setdefault(result.case.state, []).append(result)
    lines = [
        f"{state:16} {len(rs):4} cases {sum(1 for r in rs if r.failures):4} failed"
        for state, rs in by_state.items()
    ]
    failed = sum(1 for r in results if r.failures)
    lines.append(f"{'all':16} {len(results):4} cases {failed:4} failed")
    return lines


def describe(result: CaseResult) -> str:
    o = result.outcome
    head = f"[{result.case.state}] {result.case.say!r}: " + "; ".join(result.failures)
    return f"{head}\n    said: {o.speech[:160]!r}\n    reprompt: {o.reprompt!r}"
