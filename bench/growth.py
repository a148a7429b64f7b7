"""Does the per-request cost stay flat when the content grows tenfold?

A copy of ``content/`` and ``interaction_model.json`` gets nine new topics for every
existing one, each a new intent with its own samples, checked by the validator's rules
(``skill.builder.load_checked``). The same request mix is timed against both apps.
"""

from __future__ import annotations

import json
import shutil
import string
import time
from pathlib import Path
from statistics import median

from skill.builder import load_checked
from skill.config import PROJECT_ROOT

from .mix import build_mix, skill_app
from .wsgi_call import interleave, kind_ratios, ratio

FACTOR = 10
TEMPLATES = (
    "what is {w}",
    "tell me about {w}",
    "how does {w} work",
    "explain {w}",
    "is {w} good for my bones",
    "what should i know about {w}",
    "describe {w}",
    "help me understand {w}",
    "give me the facts on {w}",
    "does {w} build bone",
    "should i try {w}",
    "what do you know about {w}",
)


def _letters(n: int, width: int = 3) -> str:
    """0 -> "aaa", 1 -> "aab", ...: a unique lower-case code for each generated topic."""
    out = ""
    for _ in range(width):
        n, digit = divmod(n, 26)
        out = string.ascii_lowercase[digit] + out
    return out


def _topic(topic_id: str, intent: str, word: str, source: str) -> dict:
    answer = {
        "speech": f"This is the generated answer about {word}, kept short enough to speak.",
        "follow_up": f"Want to hear more about {word}?",
        "card": {"title": f"About {word}", "text": f"A generated card about {word}."},
        "sources": [source],
        "more": f"This is the longer generated answer about {word}, for tell me more.",
    }
    return {"id": topic_id, "intent": intent, "answer": answer}


def grow(folder: Path, factor: int = FACTOR) -> dict:
    """Copy content and model into ``folder`` with ``factor`` times the topics; return settings."""
    content = folder / "content"
    shutil.copytree(PROJECT_ROOT / "content", content)
    model = json.loads((PROJECT_ROOT / "interaction_model.json").read_text(encoding="utf-8"))
    intents = model["interactionModel"]["languageModel"]["intents"]
    existing = len(list((content / "topics").glob("*.json")))
    source = next(iter(json.loads((content / "sources.json").read_text(encoding="utf-8"))))
    for n in range(existing * (factor - 1)):
        code = _letters(n)
        word = f"zorb{code}"
        name = f"GrownTopic{code.upper()}Intent"
        topic = _topic(f"grown_{code}", name, word, source)
        (content / "topics" / f"grown_{code}.json").write_text(json.dumps(topic, indent=2))
        intents.append(
            {"name": name, "slots": [], "samples": [t.format(w=word) for t in TEMPLATES]}
        )
    model_path = folder / "interaction_model.json"
    model_path.write_text(json.dumps(model, indent=2), encoding="utf-8")
    settings = {"CONTENT_DIR": content, "INTERACTION_MODEL": model_path}
    load_checked(content, model_path)  # the validator's rules: raises ContentError naming the problem
    return settings


def _create_ms(workdir: Path, config: dict, times: int = 3) -> float:
    """Median ms of ``create_app`` in this (already warm) process: start-up cost of content."""
    spent = []
    for n in range(times):
        folder = workdir / f"startup-{n}"
        folder.mkdir()
        start = time.perf_counter()
        skill_app(folder, **config)
        spent.append((time.perf_counter() - start) * 1000)
    return round(median(spent), 1)


def _topics(app) -> int:
    return len(app.extensions["bone_builder"].skill.content.topics)


def run(workdir: Path, rounds: int, per_round: int) -> dict:
    grown_dir = workdir / "grown"
    grown_dir.mkdir()
    settings = grow(grown_dir)
    normal_dir = workdir / "normal"
    normal_dir.mkdir()
    normal = skill_app(normal_dir)
    grown = skill_app(grown_dir, **settings)
    create_ms = {
        "normal": _create_ms(normal_dir, {}),
        "grown": _create_ms(grown_dir, settings),
    }
    mix = build_mix(normal)
    both = interleave({"normal": normal, "grown": grown}, mix, rounds, per_round)
    return {
        "topics": {"normal": _topics(normal), "grown": _topics(grown)},
        "create_app_ms": create_ms,
        "normal": both["normal"],
        "grown": both["grown"],
        "ratio": ratio(both["grown"], both["normal"]),
        "by_kind_ratio": kind_ratios(both["grown"], both["normal"]),
        "rounds": rounds,
        "per_round": per_round,
    }
