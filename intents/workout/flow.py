"""The workout as a state machine: (place, event) gives (new place, what to say, what to keep).

Pure: no ask-sdk, Flask or database. ``Say`` names a line in ``content/lines`` with its
fields; the adapter (``coach.py``) renders it, runs the ``Effect``s against the store and
builds the response. A few says are rendered specially (see ``render.py``): "rest"
(silences), "count" (a paced rep count), "suggestion" (today's weight, from history),
"complete" (with praise from history) and "ack" (the set just logged).

The stages (``Stage``), events (``EventKind``) and effects (``EffectKind``) are enums, and
``step`` handles every event kind (mypy checks it). Events are meanings (see
``intents/meaning.py``): which reply means what in which state is decided there, so here
"done" is always a set finished and "go" always a set begun.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, assert_never

from skill.content.model import Exercise, Program

from .place import (
    MODES,
    STAGES,
    Effect,
    EffectKind,
    Event,
    EventKind,
    Mode,
    Place,
    Say,
    Stage,
    Step,
)

__all__ = [
    "MODES",
    "STAGES",
    "Effect",
    "EffectKind",
    "Event",
    "EventKind",
    "Flow",
    "Mode",
    "Place",
    "Say",
    "Stage",
    "Step",
]

#: A set to log: exercise, set, reps, weight, unit and when (see ``Coach.entry``).
Entry = dict[str, Any]


class Flow:
    """Every transition of a workout; ``step`` is the one entry point."""

    def __init__(self, programs: dict[str, Program]):
        self.programs = programs

    # -- helpers ------------------------------------------------------------------------

    def parts(self, place: Place) -> tuple[Program, Exercise]:
        program = self.programs[place.program]
        return program, program.exercises[place.ex]

    def where(self, place: Place) -> dict[str, Any]:
        _, exercise = self.parts(place)
        return {"set": place.set + 1, "sets": exercise.sets, "exercise": exercise.name}

    def following(self, place: Place) -> Place | None:
        program, exercise = self.parts(place)
        if place.set + 1 < exercise.sets:
            return place.at(set=place.set + 1, stage=Stage.READY)
        if place.ex + 1 < len(program.exercises):
            return place.at(ex=place.ex + 1, set=0, stage=Stage.READY)
        return None

    @staticmethod
    def vary(place: Place, key: str, again: bool = False, **fields: Any) -> tuple[Place, Say]:
        """A line with variants: the next one in turn, so none is said twice running;
        ``again`` says the last one again (for "repeat")."""
        count = place.said.get(key, 0)
        if again:
            return place, Say(key, {**fields, "turn": max(count - 1, 0)})
        said = {**place.said, key: count + 1}
        return place.at(said=said), Say(key, {**fields, "turn": count})

    def ready_question(self, place: Place, again: bool = False) -> tuple[Place, Say]:
        _, exercise = self.parts(place)
        if place.set == 0:
            return self.vary(place, "ready_exercise", again, exercise=exercise.name)
        return self.vary(place, "ready_set", again, set=place.set + 1, sets=exercise.sets)

    def back_question(self, place: Place) -> Say:
        return Say("back_question", self.where(place))

    # -- the steps ------------------------------------------------------------------------

    def start(self, program: Program, started: str, mode: Mode | None) -> Step:
        """The first turn: what's ahead, the safety line, the first exercise."""
        place = Place.new(program, started, mode)
        fields = {"program": program.name, "count": len(program.exercises)}
        says = [
            Say("start_intro", {**fields, "minutes": program.minutes}),
            Say("text", {"text": program.safety or ""}),
            Say("first_up", {"exercise": program.exercises[0].name}),
        ]
        return Step(place, says, ask=Say("ready_start"), effects=[Effect(EffectKind.BEGIN)])

    def announce(self, place: Place, lead: list[Say] | None = None) -> Step:
        """Say the set: counted (then "how many?") or self-paced (then close the session)."""
        _, exercise = self.parts(place)
        if place.mode is None:
            return Step(place.at(stage=Stage.MODE), lead or [], ask=Say("mode_question"))
        first = place.set == 0
        place, line = self.vary(
            place.at(stage=Stage.SET),
            "set_intro" if first else "set_next",
            **self.where(place),
            target=exercise.id,
        )
        says = [*(lead or []), line]
        if first and exercise.load == "weight":
            says.append(Say("suggestion", {"exercise": exercise.id}))
        if first and exercise.safety:
            says.append(Say("text", {"text": exercise.safety}))
        if place.mode is Mode.COUNTED:
            says.append(Say("count", {"exercise": exercise.id}))
            return Step(place, says, ask=Say("how_many"), effects=[Effect(EffectKind.SAVE)])
        says.append(Say("finish_self"))
        return Step(place, says, effects=[Effect(EffectKind.SAVE)], end=True)

    def log(self, place: Place, entry: Entry) -> Step:
        """A finished set: keep it, then rest and ask about the next one (or finish)."""
        program, exercise = self.parts(place)
        place, ack = self.vary(place.at(done_sets=place.done_sets + 1), "ack", **entry)
        following = self.following(place)
        if following is None:
            complete = Say("complete", {"program": program.name, "sets": place.done_sets})
            # The last set is filed with the finished workout, in one write.
            finish = Effect(EffectKind.FINISH, {"sets": [entry]})
            return Step(None, [ack, complete], effects=[finish], end=True)
        says = [ack, Say("rest", {"seconds": exercise.rest_seconds})]
        if not following.told_skip:
            says.append(Say("skip_rest_tip"))
            following = following.at(told_skip=True)
        if following.set == 0:
            upcoming = program.exercises[following.ex]
            following, line = self.vary(
                following, "next_exercise", done=exercise.name, exercise=upcoming.name
            )
            says.append(line)
        following, ask = self.ready_question(following)
        return Step(following, says, ask=ask, effects=[Effect(EffectKind.RECORD, entry)])

    def finish_early(self, place: Place, lead: list[Say]) -> Step:
        """The workout ends here (the last exercise skipped): praise, or an offer if empty."""
        program, _ = self.parts(place)
        if place.done_sets == 0:
            return Step(None, lead, ask=Say("complete_empty"), effects=[Effect(EffectKind.FINISH)])
        complete = Say("complete", {"program": program.name, "sets": place.done_sets})
        return Step(None, [*lead, complete], effects=[Effect(EffectKind.FINISH)], end=True)

    def step(self, place: Place, event: Event, entry: Entry | None = None) -> Step:
        """What ``event`` does at ``place``. ``entry`` is the set to log, for "done"."""
        return asking(self._handler(event.kind)(place, event, entry))

    def _handler(self, kind: EventKind) -> Callable[[Place, Event, Entry | None], Step]:
        """The transition for each kind of event: the match covers every ``EventKind``."""
        match kind:
            case EventKind.GO:
                return self._on_go
            case EventKind.NOT_YET:
                return self._on_not_yet
            case EventKind.CLAIM:
                return self._on_claim
            case EventKind.DONE:
                return self._on_done
            case EventKind.NOT_DONE:
                return self._on_not_done
            case EventKind.RESTART:
                return self._on_restart
            case EventKind.KEEP_GOING:
                return self._on_keep_going
            case EventKind.KEEP_FOR_LATER:
                return self._on_keep_for_later
            case EventKind.CHOOSE_MODE:
                return self._on_choose_mode
            case EventKind.MODE:
                return self._on_mode
            case EventKind.PREVIOUS:
                return self._on_previous
            case EventKind.SKIP:
                return self._on_skip
            case EventKind.START_OVER:
                return self._on_start_over
            case EventKind.REPEAT:
                return self._on_repeat
            case EventKind.HELP:
                return self._on_help
            case EventKind.PAUSE:
                return self._on_pause
            case EventKind.STOP:
                return self._on_stop
            case EventKind.WHATS_NEXT:
                return self._on_whats_next
            case EventKind.SETS_LEFT:
                return self._on_sets_left
            case EventKind.REOPEN:
                return self._on_reopen
            case EventKind.DROPPED:
                return self._on_dropped
            case _:
                assert_never(kind)

    def _on_go(self, place: Place, event: Event, entry: Entry | None) -> Step:
        return self.announce(place.at(claimed=None))

    def _on_not_yet(self, place: Place, event: Event, entry: Entry | None) -> Step:
        return self.ask_again(place, [Say("no_rush")])

    def _on_claim(self, place: Place, event: Event, entry: Entry | None) -> Step:
        """ "Done" or "twelve" before the set began: was it done already? Nothing is logged."""
        claimed = {"reps": event.reps, "weight": event.weight, "unit": event.unit}
        checking = place.at(stage=Stage.CONFIRM_DONE, claimed=claimed)
        return Step(checking, [], ask=Say("claim_check", self.where(checking)))

    def _on_done(self, place: Place, event: Event, entry: Entry | None) -> Step:
        if place.stage in (Stage.READY, Stage.RESUME):
            return self._on_claim(place, event, None)
        if place.stage in (Stage.MODE, Stage.CONFIRM):
            return self.ask_again(place, [])
        return self.log(place.at(claimed=None), entry or {})

    def _on_not_done(self, place: Place, event: Event, entry: Entry | None) -> Step:
        """The set wasn't done: nothing logged. Counted, it can be tried again when they're
        ready; otherwise it is said again now."""
        if place.stage is Stage.SET and place.mode is Mode.COUNTED:
            ready = place.at(stage=Stage.READY)
            ready, ask = self.ready_question(ready)
            return Step(ready, [Say("not_logged")], ask=ask)
        if place.stage in (Stage.SET, Stage.CHECK_SET, Stage.CONFIRM_DONE):
            return self.announce(place.at(stage=Stage.READY, claimed=None), [Say("no_problem")])
        return self.ask_again(place, [])

    def _on_restart(self, place: Place, event: Event, entry: Entry | None) -> Step:
        target = self.programs.get(place.switch_to or place.program) or self.parts(place)[0]
        return Step(None, [], effects=[Effect(EffectKind.RESTART, {"program": target.id})])

    def _on_keep_going(self, place: Place, event: Event, entry: Entry | None) -> Step:
        back = place.at(stage=Stage.READY, switch_to=None)
        return Step(back, [Say("carry_on_then")], ask=self.back_question(back))

    def _on_keep_for_later(self, place: Place, event: Event, entry: Entry | None) -> Step:
        return Step(None, [Say("keep_for_later")], ask=Say("what_now"))

    def _choose(self, place: Place, mode: Mode) -> Step:
        """The set itself, counted or not, shows the choice was heard."""
        step = self.announce(place.at(mode=mode, stage=Stage.READY))
        return Step(
            step.place, step.says, step.ask, [Effect(EffectKind.MODE), *step.effects], step.end
        )

    def _on_choose_mode(self, place: Place, event: Event, entry: Entry | None) -> Step:
        return self._choose(place, event.mode or Mode.COUNTED)

    def _on_mode(self, place: Place, event: Event, entry: Entry | None) -> Step:
        """ "Count for me" or "I'll say when I'm done" mid-workout; "count for me" after a
        counted set counts it again."""
        mode = event.mode or Mode.SELF
        if place.stage in (Stage.MODE, Stage.READY, Stage.RESUME):
            return self._choose(place, mode)
        if place.stage is Stage.SET and mode is Mode.COUNTED and place.mode is Mode.COUNTED:
            return self.announce(place.at(stage=Stage.READY))
        changed = place.at(mode=mode)
        return Step(
            changed,
            [Say("mode_set_" + mode.value)],
            self.question(changed),
            [Effect(EffectKind.MODE), Effect(EffectKind.SAVE)],
        )

    def _on_previous(self, place: Place, event: Event, entry: Entry | None) -> Step:
        program, _ = self.parts(place)
        if place.set > 0:
            back = place.at(set=place.set - 1)
        elif place.ex > 0:
            back = place.at(ex=place.ex - 1, set=program.exercises[place.ex - 1].sets - 1)
        else:
            back = place
        lead = Say("going_back") if back != place else Say("first_set_already")
        return self.announce(back.at(stage=Stage.READY, claimed=None), [lead])

    def _on_skip(self, place: Place, event: Event, entry: Entry | None) -> Step:
        program, exercise = self.parts(place)
        lead = [Say("skipping", {"exercise": exercise.name})]
        if place.ex + 1 >= len(program.exercises):
            return self.finish_early(place, lead)
        return self.announce(
            place.at(ex=place.ex + 1, set=0, stage=Stage.READY, claimed=None), lead
        )

    def _on_start_over(self, place: Place, event: Event, entry: Entry | None) -> Step:
        """Start over (or start another program) mid-workout: ask first, saying how far."""
        program, _ = self.parts(place)
        target = self.programs.get(event.program or "") or program
        if place.done_sets == 0 and place.ex == 0:
            return Step(None, [], effects=[Effect(EffectKind.RESTART, {"program": target.id})])
        confirming = place.at(stage=Stage.CONFIRM, switch_to=target.id)
        return Step(
            confirming,
            [],
            ask=self._confirm_question(confirming),
            effects=[Effect(EffectKind.SAVE)],
        )

    def _confirm_question(self, place: Place) -> Say:
        program, _ = self.parts(place)
        target = self.programs[place.switch_to or place.program]
        return Say(
            "confirm_restart" if place.done_sets else "confirm_restart_none",
            {
                "done": place.done_sets,
                "exercise": place.ex + 1,
                "exercises": len(program.exercises),
                "target": target.name,
            },
        )

    def question(self, place: Place) -> Say | None:
        """The question that fits where they are (None: a set is under way, self-paced)."""
        if place.stage is Stage.CONFIRM:
            return self._confirm_question(place)
        if place.stage is Stage.MODE:
            return Say("mode_question")
        if place.stage is Stage.CHECK_SET:
            return Say("check_set", self.where(place))
        if place.stage is Stage.CONFIRM_DONE:
            return Say("claim_check", self.where(place))
        if place.stage is Stage.RESUME:
            return Say("resume_question")
        if place.stage is Stage.SET:
            return Say("how_many") if place.mode is Mode.COUNTED else Say("say_done")
        return self.back_question(place)

    def asked(self, place: Place) -> Say:
        """The question asked last at ``place`` (or the one that fits, if none was kept)."""
        if place.asked is not None:
            return Say(place.asked["key"], dict(place.asked["fields"]))
        return self.question(place) or Say("say_done")

    def rest_then_ask(self, place: Place, seconds: int, lead: Say) -> Step:
        """``lead``, a rest of ``seconds``, then the question asked last."""
        return Step(place, [lead, Say("rest", {"seconds": seconds})], ask=self.asked(place))

    def ask_again(self, place: Place, says: list[Say]) -> Step:
        """Say ``says``, then the very question asked last."""
        return Step(place, says, ask=self.asked(place), again=bool(says))

    def _on_repeat(self, place: Place, event: Event, entry: Entry | None) -> Step:
        """The question again: at "ready", with the exercise and set it is about; after a
        counted set, only the question (say "count for me" to hear the count again)."""
        if place.stage is Stage.READY:
            return self.ask_again(place, [Say("repeat_ready", self.where(place))])
        if place.stage is Stage.RESUME:
            program, _ = self.parts(place)
            fields = {**self.where(place), "program": program.name}
            return self.ask_again(place, [Say("welcome_back", fields)])
        return self.ask_again(place, [])

    def help_say(self, place: Place) -> Say:
        """What can be said to the question asked at ``place``."""
        key = place.stage.value
        if place.stage is Stage.SET:
            key = "how_many" if place.mode is Mode.COUNTED else "self_set"
        elif place.stage is Stage.READY and place.done_sets:
            key = "rest"
        return Say("help_" + key, self.where(place))

    def _on_help(self, place: Place, event: Event, entry: Entry | None) -> Step:
        """What can be said to the question just asked, then the question again."""
        return self.ask_again(place, [self.help_say(place)])

    def _on_whats_next(self, place: Place, event: Event, entry: Entry | None) -> Step:
        program, exercise = self.parts(place)
        # Mid-set, the next thing is the set after this one; otherwise the set they're about to do.
        upcoming = self.following(place) if place.stage is Stage.SET else place
        if upcoming is None:
            line = Say("whats_next_last", {"exercise": exercise.name})
        elif upcoming.ex == place.ex:
            line = Say("whats_next_set", self.where(upcoming))
        else:
            nxt = program.exercises[upcoming.ex]
            line = Say("whats_next_exercise", {"current": exercise.name, "exercise": nxt.name})
        return self.carry_on(place, line)

    def _on_sets_left(self, place: Place, event: Event, entry: Entry | None) -> Step:
        program, _ = self.parts(place)
        done_before = sum(e.sets for e in program.exercises[: place.ex]) + place.set
        left = program.total_sets - done_before
        after = len(program.exercises) - place.ex - 1
        return self.carry_on(
            place, Say("sets_left", {**self.where(place), "left": left, "after": after})
        )

    def carry_on(self, place: Place, *lines: Say) -> Step:
        """Say ``lines``, then ask the question just asked again: the conversation stays
        where it was."""
        return self.ask_again(place, list(lines))

    def _on_pause(self, place: Place, event: Event, entry: Entry | None) -> Step:
        return self._stop(place, "paused", "come_back")

    def _on_stop(self, place: Place, event: Event, entry: Entry | None) -> Step:
        return self._stop(place, "stopping", "come_back_unwell")

    def _stop(self, place: Place, word: str, then: str) -> Step:
        kept = place.at(
            stage=Stage.SET if place.stage is Stage.SET else Stage.READY,
            switch_to=None,
            claimed=None,
        )
        return Step(
            None,
            [Say(word), Say("saved_place", self.where(kept)), Say(then)],
            effects=[Effect(EffectKind.SAVE_AS, {"place": kept.to_dict()})],
            end=True,
        )

    def reopen(self, place: Place) -> Step:
        """Back in a new session: "did you finish?" mid-set, else "shall we carry on?"."""
        program, _ = self.parts(place)
        if place.stage in (Stage.SET, Stage.CHECK_SET):
            checking = place.at(stage=Stage.CHECK_SET)
            return Step(checking, [], ask=Say("check_set", self.where(checking)))
        resuming = place.at(stage=Stage.RESUME, claimed=None)
        fields = {**self.where(resuming), "program": program.name}
        return Step(resuming, [Say("welcome_back", fields)], ask=Say("resume_question"))

    def _on_reopen(self, place: Place, event: Event, entry: Entry | None) -> Step:
        return self.reopen(place)

    def _on_dropped(self, place: Place, event: Event, entry: Entry | None) -> Step:
        return Step(None, [], effects=[Effect(EffectKind.SAVE_AS, {"place": place.to_dict()})])


def asking(step: Step) -> Step:
    """The step with its question kept in the place, to be asked again word for word."""
    if step.place is None or step.ask is None:
        return step
    kept = {"key": step.ask.key, "fields": dict(step.ask.fields)}
    if step.place.asked == kept:
        return step
    return Step(step.place.at(asked=kept), step.says, step.ask, step.effects, step.end, step.again)
