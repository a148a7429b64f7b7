"""Every example the skill speaks ("say, start a workout", "for example, forty pounds ten
times") works in the place it is spoken: collected from content, played in context."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from skill.config import PROJECT_ROOT
from skill.simulator.core import InProcess, Simulator
from skill.simulator.nlu import FALLBACK

CONTENT = PROJECT_ROOT / "content"
#: "say, X", "say: X", "for example, X", "like X", "such as X", "ask X", up to the sentence's end.
EXAMPLE = re.compile(
    r"(?<!would you )(?<!you'd )\b(?:say|for example|things like|like|such as|ask)[,:]?\s+"
    r"(?P<said>[^.?!]+)",
    re.IGNORECASE,
)
NOT_EXAMPLES = re.compile(
    r"^(?:a |an |the |my |this |that |you |your |about |it |to |me |ask me |we'll |tell me |"
    r"how many you |say$|things like$)",
    re.IGNORECASE,
)

#: Where each line is spoken: what to say first to get there, and the intents that an
#: example may reach there. Lines not listed are spoken in an open session after launch.
WORKOUT = ["start the beginner workout"]
COUNTED = [*WORKOUT, "yes", "count for me"]
CONTEXT = {
    "messages.workout_help": (COUNTED, None),
    "messages.come_back": ([], {"LaunchRequest"}),
    # The answer's own words reach the set-logging intent; the pending question routes
    # them to the estimate (checked by the speech below).
    "messages.one_rep_max_missing": (["what's my one rep max"], {"LogSetIntent"}),
    "lines.help_one_rep_max": (["what's my one rep max"], {"LogSetIntent"}),
    "lines.finish_self": ([*WORKOUT, "yes", "no"], {"LogSetIntent", "SymptomIntent"}),
    "lines.come_back_unwell": ([*COUNTED, "stop"], {"LaunchRequest", "SymptomIntent"}),
    "lines.pause_chat": ([], {"LaunchRequest"}),
    "lines.skip_rest_tip": ([*COUNTED, "twelve"], {"AMAZON.YesIntent"}),
    "lines.check_set": ([*WORKOUT, "yes", "no"], {"LogSetIntent"}),
    "lines.help_program": (["start a workout"], {"StartWorkoutIntent"}),
    "lines.help_ready": (WORKOUT, None),
    "lines.help_rest": ([*COUNTED, "twelve"], None),
    "lines.help_how_many": (COUNTED, None),
    "lines.help_mode": ([*WORKOUT, "yes"], {"AMAZON.YesIntent", "AMAZON.NoIntent"}),
    "lines.help_confirm_done": ([*COUNTED, "twelve", "done"], None),
    "lines.help_confirm": ([*COUNTED, "twelve", "start over"], None),
    "lines.help_forget": (["forget my history"], {"AMAZON.YesIntent", "AMAZON.NoIntent"}),
    "lines.unit_unknown": ([], {"UnitIntent"}),
    "lines.start_hint": ([], {"StartWorkoutIntent"}),
}


def spoken_lines() -> dict[str, str]:
    """Every spoken line of messages, workout lines and topics' follow-up questions."""
    lines: dict[str, str] = {}
    for key, line in json.loads((CONTENT / "messages.json").read_text()).items():
        for field in ("speech", "follow_up"):
            if line.get(field):
                lines[f"messages.{key}"] = lines.get(f"messages.{key}", "") + " " + line[field]
    for path in sorted((CONTENT / "lines").glob("*.json")):
        for key, line in json.loads(path.read_text()).items():
            texts = line if isinstance(line, list) else [line]
            texts = [t for x in texts for t in (x.values() if isinstance(x, dict) else [x])]
            lines[f"lines.{key}"] = " ".join(texts)
    for path in sorted((CONTENT / "topics").glob("*.json")):
        topic = json.loads(path.read_text())
        answers = [topic["answer"], *topic.get("variants", {}).values()]
        lines[f"topics.{topic['id']}"] = " ".join(a["follow_up"] for a in answers)
    return lines


def examples(text: str) -> list[str]:
    """The example phrases in ``text``, with "your" turned to "my" as a person would say it."""
    found = []
    for match in EXAMPLE.finditer(re.sub(r"\bAlexa, ", "Alexa ", text)):
        said = re.sub(r"\{[a-z_]+\}", "", match.group("said"))
        for part in re.split(r",\s*(?:or\s+|and\s+)?|\s+or\s+", said):
            part = part.strip().lower()
            part = re.sub(r"\byour\b", "my", part)
            part = re.sub(r"^like ", "", part)
            if part and not NOT_EXAMPLES.match(part) and len(part.split()) <= 8:
                found.append(part)
    return found


CASES = [(key, example) for key, text in spoken_lines().items() for example in examples(text)]


def test_the_collection_finds_the_examples_people_hear():
    found = {example for _, example in CASES}
    for expected in ("start a workout", "forty pounds ten times", "done", "use kilograms"):
        assert expected in found
    assert len(CASES) >= 20


@pytest.mark.parametrize(("key", "example"), CASES, ids=[f"{k}:{e}" for k, e in CASES])
def test_each_example_works_where_it_is_spoken(app, model, key, example):
    before, allowed = CONTEXT.get(key, (None, None))
    simulator = Simulator(model, InProcess(app))
    simulator.say("open bone builder")
    for line in before or []:
        simulator.say(line)
    turn = simulator.say(example)
    heard = turn.intent if turn else None
    assert heard not in (None, FALLBACK), f"{example!r} ({key}) fell back"
    if allowed:
        assert heard in allowed, f"{example!r} ({key}) reached {heard}"
    assert turn.status == 200
    assert "went wrong" not in turn.speech
    if "one_rep_max" in key:
        assert "most you could lift once" in turn.speech


def test_examples_are_collected_from_content_not_code():
    assert Path(CONTENT / "messages.json").exists()
