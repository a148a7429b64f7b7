"""Scripted conversations: YAML dialog files with expectations, and ``ask dialog`` replays.

A dialog file::

    name: ask how heavy
    locale: en-US
    user_id: optional, to share progress between files
    permissions: [reminders]    # optional: allowed already
    consent: deny               # optional: the answer when Alexa asks for one (accept)
    timezone: Europe/London     # optional: the device's time zone (UTC)
    turns:
      - say: open bone builder
        expect: {session_open: true}
      - say: how heavy should i lift
        expect: {intent: HowHeavyIntent, speech: "/eight to twelve|8 to 12/"}

``speech``, ``reprompt`` and ``card`` match a substring, or a regular expression
between slashes; ``intent``, ``session_open`` and ``status`` must be equal; ``slots``
maps slot names to the resolved value id or the words heard. When a turn's answer hands
the conversation to Alexa to ask for a permission, the answer that follows belongs to the
same turn: ``intent`` is checked on the words said, the rest on what was heard last
(``speech`` on everything heard).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import yaml_text
from .core import Simulator, Turn

TEXT_FIELDS = ("speech", "reprompt", "card")
EXACT_FIELDS = ("intent", "session_open", "status")
KNOWN_FIELDS = {*TEXT_FIELDS, *EXACT_FIELDS, "slots"}


class DialogError(ValueError):
    """A dialog file that cannot be run."""


@dataclass
class Dialog:
    name: str
    path: Path
    locale: str
    user_id: str | None
    turns: list[dict]
    replay: bool = False
    #: ``permissions``, ``consent`` and ``timezone`` for the simulated person.
    settings: dict = field(default_factory=dict)


@dataclass
class Failure:
    turn: int
    say: str
    field: str
    expected: object
    got: object


@dataclass
class Result:
    dialog: Dialog
    turns: list[Turn] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures


def load(path: Path | str) -> Dialog:
    """A YAML dialog file, or an ``ask dialog`` replay file (JSON with ``userInput``)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DialogError(f"{path}: cannot be read ({exc.strerror})") from exc
    try:
        data = json.loads(text) if path.suffix == ".json" else yaml_text.parse(text)
    except ValueError as exc:
        raise DialogError(
            f"{path}: not valid {'JSON' if path.suffix == '.json' else 'YAML'}: {exc}"
        ) from exc
    if isinstance(data, dict) and "userInput" in data:
        return _replay(path, data)
    if not isinstance(data, dict) or not isinstance(data.get("turns"), list) or not data["turns"]:
        raise DialogError(f"{path}: needs a non-empty 'turns' list")
    for number, turn in enumerate(data["turns"], 1):
        if not isinstance(turn, dict) or "say" not in turn:
            raise DialogError(f"{path}: turn {number} needs 'say' with the words to say")
        if not isinstance(turn["say"], str):
            raise DialogError(
                f"{path}: turn {number}: 'say' must be text; quote words YAML reads as "
                f'other values, like say: "yes" (got {turn["say"]!r})'
            )
        unknown = set(turn.get("expect") or {}) - KNOWN_FIELDS
        if unknown:
            raise DialogError(f"{path}: turn {number} expects unknown fields {sorted(unknown)}")
    settings = {k: data[k] for k in ("permissions", "consent", "timezone") if k in data}
    if not isinstance(settings.get("permissions", []), list):
        raise DialogError(f"{path}: 'permissions' must be a list, like [reminders]")
    return Dialog(
        name=str(data.get("name") or path.stem),
        path=path,
        locale=str(data.get("locale") or "en-US"),
        user_id=data.get("user_id"),
        turns=data["turns"],
        settings=settings,
    )


def options(dialog: Dialog) -> dict:
    """``Simulator`` keywords for the dialog's ``permissions``, ``consent`` and ``timezone``."""
    settings = dialog.settings
    found: dict[str, Any] = {}
    if "permissions" in settings:
        found["permissions"] = tuple(settings["permissions"])
    if "consent" in settings:
        found["consent"] = str(settings["consent"])
    if "timezone" in settings:
        found["time_zone"] = str(settings["timezone"])
    return found


def _replay(path: Path, data: dict) -> Dialog:
    inputs = data.get("userInput")
    if data.get("type", "text") != "text" or not isinstance(inputs, list):
        raise DialogError(f"{path}: an ask dialog replay needs type 'text' and a userInput list")
    return Dialog(
        name=path.stem,
        path=path,
        locale=str(data.get("locale") or "en-US"),
        user_id=None,
        turns=[{"say": str(line), "expect": {"status": 200}} for line in inputs],
        replay=True,
    )


def _matches(expected, actual) -> bool:
    text = "" if actual is None else str(actual)
    if (
        isinstance(expected, str)
        and len(expected) > 1
        and expected.startswith("/")
        and expected.endswith("/")
    ):
        return re.search(expected[1:-1], text, re.IGNORECASE) is not None
    return str(expected).lower() in text.lower()


def _card_text(card: dict | None) -> str | None:
    if not card:
        return None
    return f"{card.get('title', '')}\n{card.get('content') or card.get('text') or ''}"


def check_turn(number: int, step: dict, turn: Turn) -> list[Failure]:
    failures = []
    last = turn.chain()[-1]
    cards = [t.card for t in turn.chain() if t.card]
    got_by_field = {
        "speech": " ".join(t.speech for t in turn.chain() if t.speech),
        "reprompt": last.reprompt,
        "card": _card_text(cards[-1] if cards else None),
        "intent": turn.intent,
        "session_open": last.session_open,
        "status": next((t.status for t in turn.chain() if t.status != 200), 200),
    }
    for name, expected in (step.get("expect") or {}).items():
        if name == "slots":
            for slot, value in (expected or {}).items():
                got = turn.slots.get(slot)
                if got is None or str(got).lower() != str(value).lower():
                    failures.append(Failure(number, turn.utterance, f"slots.{slot}", value, got))
        elif name in TEXT_FIELDS:
            if not _matches(expected, got_by_field[name]):
                failures.append(Failure(number, turn.utterance, name, expected, got_by_field[name]))
        elif got_by_field[name] != expected:
            failures.append(Failure(number, turn.utterance, name, expected, got_by_field[name]))
    return failures


def run(
    dialog: Dialog,
    make_simulator: Callable[[Dialog], Simulator],
    on_turn: Callable[[Turn], None] | None = None,
) -> Result:
    """Play every turn of ``dialog`` in one simulator and check the expectations."""
    simulator = make_simulator(dialog)
    result = Result(dialog)
    for number, step in enumerate(dialog.turns, 1):
        turn = simulator.say(step["say"])
        if turn is None:
            continue
        result.turns.append(turn)
        if on_turn:
            on_turn(turn)
        result.failures.extend(check_turn(number, step, turn))
    return result


def report(result: Result) -> str:
    """A readable account of what was expected and what came back."""
    where = f"{result.dialog.path} ({result.dialog.name})"
    if result.passed:
        return f"PASS {where}: {len(result.turns)} turns"
    lines = [f"FAIL {where}"]
    for f in result.failures:
        lines.append(f'  turn {f.turn} "{f.say}": {f.field}')
        lines.append(f"    expected: {f.expected!r}")
        lines.append(f"    got:      {f.got!r}")
    return "\n".join(lines)
