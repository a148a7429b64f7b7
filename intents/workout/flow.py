"""The workout as a state machine: (place, event) gives (new place, what to say, what to keep).

Pure: no ask-sdk, Flask or database. ``Say`` names a line in ``content/lines`` with its
fields; the adapter (``coach.py``) renders it, runs the ``Effect``s against the store and
builds the response. A few says are rendered specially (see ``render.py``): "rest"
(silences), "count" (a paced rep count), "suggestion" (today's weight, from history),
"complete" (with praise from history) and "ack" (the set just logged).

Stages: "ready" (asked "ready for the set?"), "set" (a set announced: counted and asked
"how many?", or the session closed until "Alexa, tell Bone Builder done"), "resume" (asked
"shall we carry on?"), "check_set" (back after a drop mid-set: "did you finish?"),
"confirm_done" ("done" said before the set began: "did you already do it?"), "mode" (asked
whether to count the reps), "confirm" (asked before starting over).

Events are meanings (see ``intents/meaning.py``): which reply means what in which state is
decided there, so here "done" is always a set finished and "go" always a set begun.
"""

from __future__ import annotations

from skill.content.model import Exercise, Program

from .place import MODES, STAGES, Effect, Event, Place, Say, Step

__all__ = ["MODES", "STAGES", "Effect", "Event", "Flow", "Place", "Say", "Step"]


class Flow:
    """Every transition of a workout; ``step`` is the one entry point."""

    EVENTS = (
        "go",
        "not_yet",
        "claim",
        "done",
        "not_done",
        "restart",
        "keep_going",
        "keep_for_later",
        "choose_mode",
        "mode",
        "previous",
        "skip",
        "start_over",
        "repeat",
        "help",
        "pause",
        "stop",
        "whats_next",
        "sets_left",
        "reopen",
        "dropped",
    )

    def __init__(self, programs: dict[str, Program]):
        self.programs = programs
        self.handlers = {kind: getattr(self, f"_on_{kind}") for kind in self.EVENTS}

    # -- helpers ------------------------------------------------------------------------

    def parts(self, place: Place) -> tuple[Program, Exercise]:
        program = self.programs[place.program]
        return program, program.exercises[place.ex]

    def where(self, place: Place) -> dict:
        _, exercise = self.parts(place)
        return {"set": place.set + 1, "sets": exercise.sets, "exercise": exercise.name}

    def following(self, place: Place) -> Place | None:
        program, exercise = self.parts(place)
        if place.set + 1 < exercise.sets:
            return place.at(set=place.set + 1, stage="ready")
        if place.ex + 1 < len(program.exercises):
            return place.at(ex=place.ex + 1, set=0, stage="ready")
        return None

    @staticmethod
    def vary(place: Place, key: str, again: bool = False, **fields) -> tuple[Place, Say]:
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

    def start(self, program: Program, started: str, mode: str | None) -> Step:
        """The first turn: what's ahead, the safety line, the first exercise."""
        place = Place.new(program, started, mode)
        fields = {"program": program.name, "count": len(program.exercises)}
        says = [
            Say("start_intro", {**fields, "minutes": program.minutes}),
            Say("text", {"text": program.safety or ""}),
            Say("first_up", {"exercise": program.exercises[0].name}),
        ]
        return Step(place, says, ask=Say("ready_start"), effects=[Effect("begin")])

    def announce(self, place: Place, lead: list[Say] | None = None) -> Step:
        """Say the set: counted (then "how many?") or self-paced (then close the session)."""
        _, exercise = self.parts(place)
        if place.mode is None:
            return Step(place.at(stage="mode"), lead or [], ask=Say("mode_question"))
        first = place.set == 0
        place, line = self.vary(
            place.at(stage="set"),
            "set_intro" if first else "set_next",
            **self.where(place),
            target=exercise.id,
        )
        says = [*(lead or []), line]
        if first and exercise.load == "weight":
            says.append(Say("suggestion", {"exercise": exercise.id}))
        if first and exercise.safety:
            says.append(Say("text", {"text": exercise.safety}))
        if place.mode == "counted":
            says.append(Say("count", {"exercise": exercise.id}))
            return Step(place, says, ask=Say("how_many"), effects=[Effect("save")])
        says.append(Say("finish_self"))
        return Step(place, says, effects=[Effect("save")], end=True)

    def log(self, place: Place, entry: dict) -> Step:
        """A finished set: keep it, then rest and ask about the next one (or finish)."""
        program, exercise = self.parts(place)
        place, ack = self.vary(place.at(done_sets=place.done_sets + 1), "ack", **entry)
        following = self.following(place)
        if following is None:
            complete = Say("complete", {"program": program.name, "sets": place.done_sets})
            return Step(
                None, [ack, complete], effects=[Effect("record", entry), Effect("finish")], end=True
            )
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
        return Step(following, says, ask=ask, effects=[Effect("record", entry)])

    def finish_early(self, place: Place, lead: list[Say]) -> Step:
        """The workout ends here (the last exercise skipped): praise, or an offer if empty."""
        program, _ = self.parts(place)
        if place.done_sets == 0:
            return Step(None, lead, ask=Say("complete_empty"), effects=[Effect("finish")])
        complete = Say("complete", {"program": program.name, "sets": place.done_sets})
        return Step(None, [*lead, complete], effects=[Effect("finish")], end=True)

    def step(self, place: Place, event: Event, entry: dict | None = None) -> Step:
        """What ``event`` does at ``place``. ``entry`` is the set to log, for "done"."""
        return asking(self.handlers[event.kind](place, event, entry))

    def _on_go(self, place: Place, event: Event, entry: dict | None) -> Step:
        return self.announce(place.at(claimed=None))

    def _on_not_yet(self, place: Place, event: Event, entry: dict | None) -> Step:
        return self.ask_again(place, [Say("no_rush")])

    def _on_claim(self, place: Place, event: Event, entry: dict | None) -> Step:
        """ "Done" or "twelve" before the set began: was it done already? Nothing is logged."""
        claimed = {"reps": event.reps, "weight": event.weight, "unit": event.unit}
        checking = place.at(stage="confirm_done", claimed=claimed)
        return Step(checking, [], ask=Say("claim_check", self.where(checking)))

    def _on_done(self, place: Place, event: Event, entry: dict | None) -> Step:
        if place.stage in ("ready", "resume"):
            return self._on_claim(place, event, None)
        if place.stage in ("mode", "confirm"):
            return self.ask_again(place, [])
        return self.log(place.at(claimed=None), entry or {})

    def _on_not_done(self, place: Place, event: Event, entry: dict | None) -> Step:
        """The set wasn't done: nothing logged. Counted, it can be tried again when they're
        ready; otherwise it is said again now."""
        if place.stage == "set" and place.mode == "counted":
            ready = place.at(stage="ready")
            ready, ask = self.ready_question(ready)
            return Step(ready, [Say("not_logged")], ask=ask)
        if place.stage in ("set", "check_set", "confirm_done"):
            return self.announce(place.at(stage="ready", claimed=None), [Say("no_problem")])
        return self.ask_again(place, [])

    def _on_restart(self, place: Place, event: Event, entry: dict | None) -> Step:
        target = self.programs.get(place.switch_to or place.program) or self.parts(place)[0]
        return Step(None, [], effects=[Effect("restart", {"program": target.id})])

    def _on_keep_going(self, place: Place, event: Event, entry: dict | None) -> Step:
        back = place.at(stage="ready", switch_to=None)
        return Step(back, [Say("carry_on_then")], ask=self.back_question(back))

    def _on_keep_for_later(self, place: Place, event: Event, entry: dict | None) -> Step:
        return Step(None, [Say("keep_for_later")], ask=Say("what_now"))

    def _choose(self, place: Place, mode: str) -> Step:
        """The set itself, counted or not, shows the choice was heard."""
        step = self.announce(place.at(mode=mode, stage="ready"))
        return Step(step.place, step.says, step.ask, [Effect("mode"), *step.effects], step.end)

    def _on_choose_mode(self, place: Place, event: Event, entry: dict | None) -> Step:
        return self._choose(place, event.mode if event.mode in MODES else "counted")

    def _on_mode(self, place: Place, event: Event, entry: dict | None) -> Step:
        """ "Count for me" or "I'll say when I'm done" mid-workout; "count for me" after a
        counted set counts it again."""
        mode = event.mode if event.mode in MODES else "self"
        if place.stage in ("mode", "ready", "resume"):
            return self._choose(place, mode)
        if place.stage == "set" and mode == "counted" and place.mode == "counted":
            return self.announce(place.at(stage="ready"))
        changed = place.at(mode=mode)
        return Step(
            changed,
            [Say("mode_set_" + mode)],
            self.question(changed),
            [Effect("mode"), Effect("save")],
        )

    def _on_previous(self, place: Place, event: Event, entry: dict | None) -> Step:
        program, _ = self.parts(place)
        if place.set > 0:
            back = place.at(set=place.set - 1)
        elif place.ex > 0:
            back = place.at(ex=place.ex - 1, set=program.exercises[place.ex - 1].sets - 1)
        else:
            back = place
        lead = Say("going_back") if back != place else Say("first_set_already")
        return self.announce(back.at(stage="ready", claimed=None), [lead])

    def _on_skip(self, place: Place, event: Event, entry: dict | None) -> Step:
        program, exercise = self.parts(place)
        lead = [Say("skipping", {"exercise": exercise.name})]
        if place.ex + 1 >= len(program.exercises):
            return self.finish_early(place, lead)
        return self.announce(place.at(ex=place.ex + 1, set=0, stage="ready", claimed=None), lead)

    def _on_start_over(self, place: Place, event: Event, entry: dict | None) -> Step:
        """Start over (or start another program) mid-workout: ask first, saying how far."""
        program, _ = self.parts(place)
        target = self.programs.get(event.program or "") or program
        if place.done_sets == 0 and place.ex == 0:
            return Step(None, [], effects=[Effect("restart", {"program": target.id})])
        confirming = place.at(stage="confirm", switch_to=target.id)
        return Step(confirming, [], ask=self._confirm_question(confirming), effects=[Effect("save")])

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
        if place.stage == "confirm":
            return self._confirm_question(place)
        if place.stage == "mode":
            return Say("mode_question")
        if place.stage == "check_set":
            return Say("check_set", self.where(place))
        if place.stage == "confirm_done":
            return Say("claim_check", self.where(place))
        if place.stage == "resume":
            return Say("resume_question")
        if place.stage == "set":
            return Say("how_many") if place.mode == "counted" else Say("say_done")
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

    def _on_repeat(self, place: Place, event: Event, entry: dict | None) -> Step:
        """The question again: at "ready", with the exercise and set it is about; after a
        counted set, only the question (say "count for me" to hear the count again)."""
        if place.stage == "ready":
            return self.ask_again(place, [Say("repeat_ready", self.where(place))])
        if place.stage == "resume":
            program, _ = self.parts(place)
            fields = {**self.where(place), "program": program.name}
            return self.ask_again(place, [Say("welcome_back", fields)])
        return self.ask_again(place, [])

    def help_say(self, place: Place) -> Say:
        """What can be said to the question asked at ``place``."""
        stage = place.stage
        if stage == "set":
            stage = "how_many" if place.mode == "counted" else "self_set"
        elif stage == "ready" and place.done_sets:
            stage = "rest"
        return Say("help_" + stage, self.where(place))

    def _on_help(self, place: Place, event: Event, entry: dict | None) -> Step:
        """What can be said to the question just asked, then the question again."""
        return self.ask_again(place, [self.help_say(place)])

    def _on_whats_next(self, place: Place, event: Event, entry: dict | None) -> Step:
        program, exercise = self.parts(place)
        # Mid-set, the next thing is the set after this one; otherwise the set they're about to do.
        upcoming = self.following(place) if place.stage == "set" else place
        if upcoming is None:
            line = Say("whats_next_last", {"exercise": exercise.name})
        elif upcoming.ex == place.ex:
            line = Say("whats_next_set", self.where(upcoming))
        else:
            nxt = program.exercises[upcoming.ex]
            line = Say("whats_next_exercise", {"current": exercise.name, "exercise": nxt.name})
        return self.carry_on(place, line)

    def _on_sets_left(self, place: Place, event: Event, entry: dict | None) -> Step:
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

    def _on_pause(self, place: Place, event: Event, entry: dict | None) -> Step:
        return self._stop(place, "paused", "come_back")

    def _on_stop(self, place: Place, event: Event, entry: dict | None) -> Step:
        return self._stop(place, "stopping", "come_back_unwell")

    def _stop(self, place: Place, word: str, then: str) -> Step:
        kept = place.at(
            stage="set" if place.stage == "set" else "ready", switch_to=None, claimed=None
        )
        return Step(
            None,
            [Say(word), Say("saved_place", self.where(kept)), Say(then)],
            effects=[Effect("save_as", {"place": kept.to_dict()})],
            end=True,
        )

    def reopen(self, place: Place) -> Step:
        """Back in a new session: "did you finish?" mid-set, else "shall we carry on?"."""
        program, _ = self.parts(place)
        if place.stage in ("set", "check_set"):
            checking = place.at(stage="check_set")
            return Step(checking, [], ask=Say("check_set", self.where(checking)))
        resuming = place.at(stage="resume", claimed=None)
        fields = {**self.where(resuming), "program": program.name}
        return Step(resuming, [Say("welcome_back", fields)], ask=Say("resume_question"))

    def _on_reopen(self, place: Place, event: Event, entry: dict | None) -> Step:
        return self.reopen(place)

    def _on_dropped(self, place: Place, event: Event, entry: dict | None) -> Step:
        return Step(None, [], effects=[Effect("save_as", {"place": place.to_dict()})])


def asking(step: Step) -> Step:
    """The step with its question kept in the place, to be asked again word for word."""
    if step.place is None or step.ask is None:
        return step
    kept = {"key": step.ask.key, "fields": dict(step.ask.fields)}
    if step.place.asked == kept:
        return step
    return Step(
        step.place.at(asked=kept), step.says, step.ask, step.effects, step.end, step.again
    )
