"""``python -m skill simulate``: talk to the skill in a terminal, or check scripted dialogs."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Callable

from flask import Flask

from ..config import from_environment
from ..content.locales import LOCALES
from . import dialogs
from .core import CONSENT, InProcess, OverHttp, Simulator, SkillUnreachable, Turn
from .nlu import LanguageModel
from .speech import espeak_available, spoken_seconds
from .standin import AlexaApiStandIn


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "utterances",
        nargs="*",
        help="lines to say, in order, as one session (none: talk interactively)",
    )
    parser.add_argument(
        "--url",
        help="send real HTTP to a running skill, e.g. http://127.0.0.1:8000/alexa (default: "
        "the skill in this process, no server needed)",
    )
    parser.add_argument(
        "--locale",
        default="en-US",
        choices=LOCALES,
        help="the locale each request carries (default: %(default)s)",
    )
    parser.add_argument(
        "--user-id",
        help="the Alexa user id to send; give the same one on a later run to carry on with "
        "saved progress (default: a new user each run, so nothing carries over)",
    )
    parser.add_argument(
        "--person-id",
        help="the person Alexa recognised by voice (context.System.person.personId): people "
        "sharing a device keep their own workouts (default: nobody recognised)",
    )
    parser.add_argument(
        "--permissions",
        choices=("reminders",),
        help="permissions the person has already allowed (default: none, so the skill asks "
        "for the reminders permission by voice when it needs it)",
    )
    parser.add_argument(
        "--consent",
        choices=tuple(CONSENT),
        default="accept",
        help="how the person answers when Alexa asks for a permission: accept, deny, none "
        "(no answer) or unsupported (a device that can't ask by voice) (default: %(default)s)",
    )
    parser.add_argument(
        "--timezone",
        default="UTC",
        help="the device's time zone, as Alexa's Settings API reports it, e.g. Europe/London "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="one JSON object per turn, with api_calls: each call the skill made to Alexa's APIs",
    )
    parser.add_argument(
        "--verbose",
        action="store_true",
        help="show the intent and slots chosen, why, and the classifier's top three intents",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="exact sample matching only: what Alexa will surely route (no statistical tier)",
    )
    parser.add_argument(
        "--speak", action="store_true", help="speak each answer with espeak-ng and time it"
    )
    parser.add_argument(
        "--check",
        nargs="+",
        metavar="FILE",
        help="run dialog files (YAML, or ask dialog replay JSON); exit 1 on any failure",
    )


class Runner:
    """Builds simulators for the chosen transport, and prints turns."""

    def __init__(self, args, local_app: Callable[[], Flask]):
        """``local_app`` makes the skill to talk to in this process (unless ``--url``)."""
        self.args = args
        settings = from_environment()
        self.model = LanguageModel.from_file(settings.interaction_model, statistical=not args.strict)
        self.skill_id = settings.skill_id
        # Alexa's APIs (reminders, time zone, permissions) answer from a local stand-in.
        self.apis = AlexaApiStandIn(getattr(args, "timezone", None) or "UTC").start()
        self.transport: OverHttp | InProcess
        if args.url:
            self.transport = OverHttp(args.url)
        else:
            self.transport = InProcess(local_app())

    def simulator(
        self, locale: str | None = None, user_id: str | None = None, **dialog
    ) -> Simulator:
        """A simulated person; ``dialog`` (``dialogs.options`` of a dialog file) overrides
        the command line's permissions, consent and time zone."""
        args = self.args
        chosen = {
            "permissions": (args.permissions,) if args.permissions else (),
            "consent": args.consent,
            "time_zone": args.timezone,
            **dialog,
        }
        return Simulator(
            self.model,
            self.transport,
            locale or args.locale,
            user_id or args.user_id,
            self.skill_id,
            person_id=getattr(args, "person_id", None),
            apis=self.apis,
            **chosen,
        )

    def show(self, turn: Turn) -> None:
        for each in turn.chain():
            self._show(each)

    def _show(self, turn: Turn) -> None:
        if self.args.json:
            print(json.dumps({**turn.to_json(), "then": None}), flush=True)
            return
        if turn.intent in ("SessionResumedRequest", "Connections.Response"):
            print(
                f"alexa > (asks for permission to set reminders)\nyou   > {turn.utterance.split(') ', 1)[-1]}"
            )
        lines = []
        if turn.tier and turn.intent not in (None, "LaunchRequest", "SessionEndedRequest"):
            lines.append(f"        heard: {heard(turn)}")
        if self.args.verbose:
            lines.append(f"        [{turn.intent}] {json.dumps(turn.slots) if turn.slots else ''}")
            lines.append(f"        why: {turn.note}")
            if turn.top:
                ranked = ", ".join(f"{intent} {score:.2f}" for intent, score in turn.top)
                lines.append(f"        top three: {ranked}")
            if turn.near:
                intent, sample, score = turn.near
                lines.append(
                    f'        closest sample: "{sample}" ({intent}, {score:.0%} alike): '
                    "add this phrasing if it should match"
                )
        elif turn.near:
            intent, sample, score = turn.near
            lines.append(
                f'        hint: no sample matched; closest is "{sample}" ({intent}, {score:.0%})'
            )
        if turn.speech:
            lines.append(f"alexa > {turn.speech}")
        if turn.reprompt:
            lines.append(f"        reprompt: {turn.reprompt}")
        if turn.card:
            text = turn.card.get("content") or turn.card.get("text") or ""
            text = text or ", ".join(turn.card.get("permissions") or [])
            lines.append(f"        card: {turn.card.get('title', turn.card.get('type'))}: {text}")
            image = (turn.card.get("image") or {}).get("largeImageUrl")
            if image:
                lines.append(f"        card image: {image}")
        for call in turn.api_calls:
            lines.append(f"        api: {call['method']} {call['path']} -> {call['status']}")
        lines.append(
            "        (microphone open)" if turn.session_open else "        (session closed)"
        )
        print("\n".join(lines), flush=True)
        if self.args.speak:
            self.speak(turn)

    def speak(self, turn: Turn) -> None:
        if not espeak_available():
            print("        (cannot speak: espeak-ng is not installed; apt-get install espeak-ng)")
            return
        ssml = ((turn.response or {}).get("response", {}).get("outputSpeech") or {}).get("ssml")
        if ssml:
            print(f"        spoken in {spoken_seconds(ssml, play=True):.1f} s", flush=True)


def heard(turn: Turn) -> str:
    """The intent and the tier that chose it, e.g. "HowHeavyIntent (statistical, 0.93)"."""
    if turn.tier == "statistical":
        best, score = turn.top[0] if turn.top else (turn.intent, turn.confidence)
        if best != turn.intent:
            return f"{turn.intent} (statistical: best {best} at {score:.2f}, under the threshold)"
        return f"{turn.intent} (statistical, {turn.confidence:.2f})"
    if turn.intent == "AMAZON.FallbackIntent":
        return f"{turn.intent} (exact: no sample matched)"
    return f"{turn.intent} (exact)"


def _interactive(runner: Runner) -> int:
    with contextlib.suppress(ImportError):
        import readline  # noqa: F401 - line editing and history where available
    simulator = runner.simulator()
    print('Say something to Bone Builder ("open bone builder", "exit" to end, Ctrl-D to quit).')
    while True:
        try:
            line = input("you   > ")
        except EOFError:
            print()
            return 0
        turn = simulator.say(line)
        if turn is not None:
            runner.show(turn)


def _check(runner: Runner, files: list[str]) -> int:
    failed = 0
    for name in files:
        try:
            dialog = dialogs.load(name)
        except dialogs.DialogError as exc:
            print(f"ERROR {exc}")
            failed += 1
            continue
        result = dialogs.run(
            dialog,
            lambda d: runner.simulator(d.locale, d.user_id, **dialogs.options(d)),
            on_turn=runner.show if runner.args.verbose else None,
        )
        print(dialogs.report(result), flush=True)
        failed += not result.passed
    print(f"{len(files) - failed} passed, {failed} failed")
    return 1 if failed else 0


def run(args, local_app: Callable[[], Flask]) -> int:
    """Talk to the skill: over HTTP with ``--url``, else to the one ``local_app`` makes."""
    runner = Runner(args, local_app)
    try:
        return _run(runner, args)
    except SkillUnreachable as exc:
        print(
            f"Cannot reach the skill: {exc}. Is it running? Start it with bin/serve, or leave "
            "out --url to talk to it in this process.",
            file=sys.stderr,
        )
        return 1
    finally:
        runner.apis.close()


def _run(runner: Runner, args) -> int:
    if args.check:
        return _check(runner, args.check)
    if not args.utterances:
        return _interactive(runner)
    simulator = runner.simulator()
    for line in args.utterances:
        if not args.json:
            print(f"you   > {line}")
        turn = simulator.say(line)
        if turn is not None:
            runner.show(turn)
    return 0
