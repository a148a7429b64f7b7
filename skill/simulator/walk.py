"""Walk the whole skill as a listener would, and keep every response it gives.

The walk drives the skill only from outside, with request envelopes sent in-process:

- launch, help, a word it doesn't know, stop, and launch again as a returning person;
- every topic's answer and each of its variants, each followed by "tell me more";
- every program from its start to its end, twice: a new person who tells their reps (and
  weight, where the exercise takes one) after each set, then the same person again, who
  says only "done" and hears sets that draw on that history; then "how am I doing".

It answers what the skill asks in the simplest way: a number of reps when asked how many,
"done" (or the numbers, on the first pass) when a set is announced ("tell bone builder
done" if the session was closed for the set), the first choice when asked to choose, "yes"
to any other question, and "open bone builder" when the session closed before the
program's end. A walk that stops making progress, or runs past its bound, raises
``WalkError`` saying where and why. Each response is classified as ``response_kinds`` says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..content.model import Program, Topic
from ..content.model_check import language_model
from ..web.envelopes import Session, slot
from .core import InProcess
from .nlu import FALLBACK, LanguageModel
from .phrases import normalise
from .response_kinds import (
    CHOICE,
    COUNT,
    SET_RESULT,
    Exchange,
    asks,
    classify,
    position,
    question,
)
from .speech import to_text
from .training import spoken_values

_OPTIONS = re.compile(r",?\s+or\s+|[:,;]\s*", re.IGNORECASE)


class WalkError(Exception):
    """The walk cannot go on: the skill failed, stopped making progress, or ran too long."""


@dataclass(frozen=True)
class Replies:
    """What the walk says back to each kind of question."""

    yes: str = "yes"
    done: str = "done"
    reps: str = "{reps} reps"
    reps_and_weight: str = "{reps} reps with twenty pounds"
    count: str = "{reps} reps"
    done_later: str = "tell bone builder done"
    first_choice: str = "the first one"
    more: str = "tell me more"
    opened: str = "open bone builder"
    help: str = "help"
    unknown: str = "banana"
    stop: str = "stop"
    progress: str = "how am i doing"


@dataclass(frozen=True)
class Heard:
    """One response of the walk: where it came, what was said before it, its kind and SSML."""

    where: str
    said: str
    kind: str
    ssml: str

    @property
    def text(self) -> str:
        return to_text(self.ssml)


class Walker:
    """Walks one app; ``heard`` collects every response in the order it came."""

    def __init__(self, app, replies: Replies | None = None, stall_turns: int = 15):
        built = app.extensions["bone_builder"].skill
        self.content = built.content
        self.names = built.session_names
        # Exact matching only: the walk says what the model names, never a near guess.
        self.model = LanguageModel(built.model, statistical=False)
        self.types = {
            t["name"]: {v.get("id") or v["name"]["value"]: v["name"]["value"] for v in t["values"]}
            for t in language_model(built.model).get("types", [])
        }
        self.slot_types = {
            i["name"]: {s["name"]: s["type"] for s in i.get("slots", [])}
            for i in language_model(built.model)["intents"]
        }
        self.transport = InProcess(app)
        self.replies = replies or Replies()
        self.slot_values = {v for said in spoken_values(language_model(built.model)).values() for v in said}
        self.stall_turns = stall_turns
        self.heard: list[Heard] = []

    def everything(self) -> list[Heard]:
        self.lifecycle()
        self.questions()
        for program in self.content.programs.values():
            person = Session()
            self.workout(program, person, "first time", tells_numbers=True)
            self.workout(program, person, "second time", tells_numbers=True)
            # Two sessions at the top of the range: the third suggests the next weight up.
            self.workout(program, person, "again", tells_numbers=False)
            self.progress(person, program)
        return self.heard

    def progress(self, person: Session, program: Program) -> None:
        """ "How am I doing?" after a program's two workouts: the week, the streak, the
        lifts' trend, a new best."""
        where = f"progress after the {program.id} workouts"
        if not person.open:
            self.say(person, self.replies.opened, where + ", launch")
        self.say(person, self.replies.progress, where)

    # -- sending ---------------------------------------------------------------------

    def words(self, session: Session, words: str) -> dict:
        """The envelope for ``words``, understood as the simulator understands them."""
        resolution = self.model.resolve(words)
        if resolution.kind == "launch":
            return session.launch()
        understood = resolution.intent != FALLBACK or words == self.replies.unknown
        if resolution.kind != "intent" or not understood:
            raise WalkError(f'the walk said "{words}", which the model does not understand')
        if resolution.one_shot:
            session.open = False
        assert resolution.intent is not None  # every "intent" resolution names one
        return session.intent(resolution.intent, resolution.slots)

    def send(self, session: Session, envelope: dict, where: str) -> Exchange:
        status, body = self.transport.send(envelope)
        if status != 200 or not isinstance(body, dict) or "response" not in body:
            raise WalkError(f"{where}: the skill answered HTTP {status}: {body}")
        session.receive(body)
        return Exchange(envelope, body)

    def hear(self, exchange: Exchange, where: str, said: str, kind: str) -> None:
        if exchange.ssml is None:
            raise WalkError(f'{where}: no speech after "{said}"')
        self.heard.append(Heard(where, said, kind, exchange.ssml))

    def say(self, session: Session, words: str, where: str) -> Exchange:
        exchange = self.send(session, self.words(session, words), where)
        self.hear(exchange, where, words, classify(exchange, True, self.names))
        return exchange

    # -- the three walks -------------------------------------------------------------

    def lifecycle(self) -> None:
        person, r = Session(), self.replies
        for n, words in enumerate((r.opened, r.help, r.unknown, r.stop, r.opened), 1):
            self.say(person, words, f"launch, help, fallback, stop: turn {n}")

    def questions(self) -> None:
        person = Session()
        self.say(person, self.replies.opened, "questions: launch")
        for topic in self.content.topics.values():
            for value_id in (None, *topic.variants):
                where = f"questions: {topic.id}" + (f"/{value_id}" if value_id else "")
                if not person.open:
                    self.say(person, self.replies.opened, where + ", launch")
                exchange = self.send(person, self._ask(person, topic, value_id), where)
                said = topic.intent + (f" ({topic.slot} {value_id})" if value_id else "")
                self.hear(exchange, where, said, classify(exchange, True, self.names))
                if not person.open:
                    raise WalkError(f'{where}: the answer closed the session before "tell me more"')
                self.say(person, self.replies.more, where)

    def _ask(self, person: Session, topic: Topic, value_id: str | None) -> dict:
        if value_id is None or topic.slot is None:
            return person.intent(topic.intent)
        slot_type = self.slot_types[topic.intent][topic.slot]
        name = self.types.get(slot_type, {}).get(value_id, value_id.lower())
        return person.intent(
            topic.intent, {topic.slot: slot(topic.slot, name, value_id, slot_type)}
        )

    def workout(self, program: Program, person: Session, when: str, tells_numbers: bool) -> None:
        """One program from launch to its end; every set must have been announced."""
        where = f"{program.id} workout ({when})"
        expected = {(i, n) for i, e in enumerate(program.exercises) for n in range(e.sets)}
        announced: set = set()
        started = False
        said = self.replies.opened
        envelope = self.words(person, said)
        last_progress, bound = 0, 10 * program.total_sets + 40
        for turn in range(1, bound + 1):
            at = f"{where}, turn {turn}"
            exchange = self.send(person, envelope, at)
            kind = classify(exchange, started, self.names)
            started = started or kind == "start"
            self.hear(exchange, at, said, kind)
            asked = asks(exchange, self.names)
            if asked in (COUNT, SET_RESULT):
                key = position(exchange.after, self.names) or ("announcement", len(announced))
                if key not in announced:
                    announced.add(key)
                    last_progress = turn
            if turn - last_progress > self.stall_turns:
                raise WalkError(self._stuck(at, expected - announced, exchange))
            if turn == 1:
                said = f"start the {program.name}"
                envelope = person.intent(
                    "StartWorkoutIntent",
                    {"Program": slot("Program", program.id, program.slot_value, "PROGRAM")},
                )
                continue
            if not person.open and asked not in (COUNT, SET_RESULT) and not expected - announced:
                return
            said = self.reply(exchange, asked, program, tells_numbers)
            envelope = self.words(person, said)
        raise WalkError(f"{where}: not finished after {bound} turns")

    def reply(
        self,
        exchange: Exchange,
        asked: str,
        program: Program | None = None,
        tells_numbers: bool = False,
    ) -> str:
        """The simplest answer to what ``exchange`` asked."""
        r = self.replies
        at = position(exchange.after, self.names)
        exercise = program.exercises[at[0]] if program and at else None
        reps = exercise.reps[1] if exercise else 10
        if asked == COUNT:
            if tells_numbers and exercise and exercise.load == "weight":
                return r.reps_and_weight.format(reps=reps)
            return r.count.format(reps=reps)
        if asked == SET_RESULT and tells_numbers and exercise and exchange.is_open:
            said = r.reps_and_weight if exercise.load == "weight" else r.reps
            return said.format(reps=reps)
        if asked == SET_RESULT:
            return r.done if exchange.is_open else r.done_later
        if not exchange.is_open:
            return r.opened
        if asked == CHOICE:
            return self._first_choice(exchange)
        return r.yes

    def _first_choice(self, exchange: Exchange) -> str:
        """The first option named in the question that the model understands (the whole
        option, or its last few words; a slot value after "in", as no sample is only a slot);
        else
        "the first one" for a choice the skill keeps pending; else "yes"."""
        for option in _OPTIONS.split(question(exchange).rstrip("?")):
            words = option.split()
            tails = [option, *(" ".join(words[-n:]) for n in (1, 2, 3))]
            values = [f"in {tail}" for tail in tails if normalise(tail) in self.slot_values]
            for candidate in [*tails, *values]:
                intent = self.model.resolve(candidate).intent if candidate else None
                if intent not in (None, FALLBACK, "AMAZON.YesIntent", "AMAZON.NoIntent"):
                    return candidate
        if exchange.after.get(self.names.pending) in self.names.choices:
            return self.replies.first_choice
        return self.replies.yes

    def _stuck(self, where: str, missing: set, exchange: Exchange) -> str:
        sets = ", ".join(f"exercise {i + 1} set {n + 1}" for i, n in sorted(missing)) or "none"
        return (
            f"{where}: stuck, no new set announced in {self.stall_turns} turns. "
            f"Sets never announced: {sets}. Last response: {to_text(exchange.ssml)!r}"
        )


def walk(app, replies: Replies | None = None) -> list[Heard]:
    """Every response of a whole walk of ``app`` (see the module docstring)."""
    return Walker(app, replies).everything()
