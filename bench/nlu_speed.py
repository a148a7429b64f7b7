"""How fast the simulator turns typed words into an intent (``LanguageModel.resolve``).

Samples take the exact tier; the non-matching phrases take the statistical tier (sentence
embedding and classifier), which is trained or loaded from its cache before timing starts."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

from skill.config import PROJECT_ROOT
from skill.simulator.nlu import FALLBACK, NUMBER, LanguageModel

NON_MATCHING = (
    "what's the weather like in paris tomorrow",
    "play some jazz music in the kitchen",
    "order more paper towels",
    "how tall is the eiffel tower",
    "set a timer for ten minutes",
    "tell me a joke about penguins",
    "what time does the pharmacy close",
    "turn off the living room lights",
    "who won the football game last night",
    "remind me to call my sister on sunday",
    "how do i bake sourdough bread",
    "translate good morning into spanish",
    "what is the capital of australia",
    "add eggs and milk to my shopping list",
    "how many ounces are in a cup",
    "read me the news headlines",
)
_SLOT = re.compile(r"\{(\w+)\}")


def filled_samples(model: dict) -> list[tuple[str, str]]:
    """(intent, sample with each slot filled by its type's first value or "ten")."""
    lm = model["interactionModel"]["languageModel"]
    first = {t["name"]: t["values"][0]["name"]["value"] for t in lm.get("types", [])}
    out = []
    for intent in lm["intents"]:
        types = {s["name"]: s["type"] for s in intent.get("slots", [])}

        def fill(ref: re.Match, types=types) -> str:
            slot_type = types[ref[1]]
            return "ten" if slot_type == NUMBER else first.get(slot_type, "something")

        out += [(intent["name"], _SLOT.sub(fill, s)) for s in intent.get("samples", [])]
    return out


def _mean_us(model: LanguageModel, phrases: list[str], seconds: float) -> tuple[float, int]:
    """Mean µs per resolve over whole passes of ``phrases``, for about ``seconds``."""
    calls, spent = 0, 0
    while spent < seconds * 1e9 or calls == 0:
        start = time.perf_counter_ns()
        for phrase in phrases:
            model.resolve(phrase)
        spent += time.perf_counter_ns() - start
        calls += len(phrases)
    return spent / calls / 1000, calls


def run(quick: bool = False, model_path: Path | None = None) -> dict:
    path = model_path or PROJECT_ROOT / "interaction_model.json"
    start = time.perf_counter()
    model = LanguageModel.from_file(path)
    compile_ms = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    model.classifier()
    classifier_ms = (time.perf_counter() - start) * 1000
    samples = filled_samples(json.loads(path.read_text(encoding="utf-8")))
    phrases = [text for _, text in samples]
    misses = [p for p in NON_MATCHING if model.resolve(p).intent != FALLBACK]
    wrong = [(i, p) for i, p in samples if model.resolve(p).intent != i]
    seconds = 0.3 if quick else 2.0
    matched_us, matched_calls = _mean_us(model, phrases, seconds)
    fallback_us, fallback_calls = _mean_us(model, list(NON_MATCHING), seconds)
    return {
        "compile_ms": round(compile_ms, 1),
        "classifier_ms": round(classifier_ms, 1),
        "samples": len(samples),
        "samples_resolved_elsewhere": len(wrong),
        "samples_resolved_elsewhere_examples": wrong[:5],
        "sample_mean_us": round(matched_us, 1),
        "sample_calls": matched_calls,
        "non_matching": len(NON_MATCHING),
        "non_matching_not_fallback": misses,
        "fallback_mean_us": round(fallback_us, 1),
        "fallback_calls": fallback_calls,
    }
