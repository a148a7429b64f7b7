"""Warning signs in people's own words, and ordinary words that are not: held-out phrasings
(``tests/nlu/heldout_symptoms.yaml``, ``tests/nlu/near_misses.yaml``), written before the
samples and never copied into them, played through the simulator's two-tier NLU in every
moment of a workout, including as a one-shot during a self-paced set."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import yaml

from skill.simulator.core import InProcess, Simulator
from skill.simulator.phrases import normalise

NLU = Path(__file__).parent / "nlu"
SIGNS = yaml.safe_load((NLU / "heldout_symptoms.yaml").read_text(encoding="utf-8"))
CONTEXT = yaml.safe_load((NLU / "heldout_context.yaml").read_text(encoding="utf-8"))["cases"]
NEAR_MISSES = yaml.safe_load((NLU / "near_misses.yaml").read_text(encoding="utf-8"))
START = ["open bone builder", "start the beginner workout"]
#: Where a line is said: mid-set, at "Ready?", in a rest, and as a one-shot ("Alexa, tell
#: Bone Builder ...", or "ask") while a self-paced set is under way (the session is closed).
MOMENTS = {
    "mid-set": [*START, "yes", "count for me"],
    "ready": START,
    "rest": [*START, "yes", "count for me", "twelve"],
    "self-paced": [*START, "yes", "no"],
    "self-paced, ask": [*START, "yes", "no"],
}
BAR = 0.95


def help_given(speech: str, safety, locale: str = "en-US") -> str | None:
    """Which kind of warning help ``speech`` starts with, if any."""
    for kind, words in safety.kinds.items():
        if words.warning and speech.startswith(
            words.speech.format(emergency=safety.emergency_number(locale))
        ):
            return kind
    return None


def play(app, model, moment: str, line: str):
    simulator = Simulator(model, InProcess(app), user_id="amzn1.ask.account." + uuid.uuid4().hex)
    for said in MOMENTS[moment]:
        simulator.say(said)
    if moment.startswith("self-paced"):
        assert not simulator.session.open
        verb = "ask" if moment.endswith("ask") else "tell"
        return simulator.say(f"{verb} bone builder {line}")
    return simulator.say(line)


def test_the_held_out_sets_are_big_enough_and_not_copied_into_the_model(model):
    import json

    from skill.config import PROJECT_ROOT
    from skill.simulator.training import out_of_domain_lines

    kinds = {case["kind"] for case in SIGNS}
    assert len(SIGNS) >= 60 and len(NEAR_MISSES) >= 60
    assert {"urgent", "stroke", "fall", "back", "injury", "unclear"} <= kinds
    raw = json.loads((PROJECT_ROOT / "interaction_model.json").read_text(encoding="utf-8"))
    samples = {
        normalise(s) for i in raw["interactionModel"]["languageModel"]["intents"]
        for s in i.get("samples", [])
    }
    samples |= set(out_of_domain_lines())
    # Lines of a few words ("all done", "i'm done") are replies any model has; longer ones
    # are phrasings, and a phrasing here must never be a sample.
    copied = [
        c["say"]
        for c in [*SIGNS, *NEAR_MISSES, *CONTEXT]
        if len(c["say"].split()) >= 4 and normalise(c["say"]) in samples
    ]
    assert not copied


@pytest.mark.parametrize("moment", list(MOMENTS))
def test_warning_signs_get_help_covering_their_kind_in_every_moment(app, model, content, moment):
    safety = content.safety
    missed = []
    for case in SIGNS:
        turn = play(app, model, moment, case["say"])
        given = help_given(turn.speech, safety)
        if given is None or case["kind"] not in safety.kinds[given].covers:
            missed.append(f"{case['say']!r}: expected {case['kind']}, got {given}")
        elif turn.session_open:
            missed.append(f"{case['say']!r}: the session stayed open after the warning")
    right = len(SIGNS) - len(missed)
    assert right / len(SIGNS) >= BAR, f"{right} of {len(SIGNS)}:\n" + "\n".join(missed)


@pytest.mark.parametrize("moment", list(MOMENTS))
def test_ordinary_words_never_get_the_warning_help(app, model, content, moment):
    safety = content.safety
    alarmed = []
    for case in NEAR_MISSES:
        turn = play(app, model, moment, case["say"])
        given = help_given(turn.speech, safety)
        if given is not None:
            alarmed.append(f"{case['say']!r}: got {given} ({turn.intent})")
    quiet = len(NEAR_MISSES) - len(alarmed)
    assert quiet / len(NEAR_MISSES) >= BAR, f"{quiet} of {len(NEAR_MISSES)}:\n" + "\n".join(
        alarmed
    )
