"""Hold ``interaction_model.json`` to Alexa's rules, and cross-check it with the content."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from .model import Content

REQUIRED_BUILT_INS = (
    "AMAZON.CancelIntent",
    "AMAZON.HelpIntent",
    "AMAZON.StopIntent",
    "AMAZON.NavigateHomeIntent",
    "AMAZON.FallbackIntent",
)
MIN_SAMPLES = 10
LAUNCH_WORDS = {"launch", "ask", "tell", "open", "load", "begin", "enable", "start", "play"}
WAKE_WORDS = {"alexa", "amazon", "echo", "computer", "skill", "app"}
_INVOCATION = re.compile(r"^[a-z]+(?:'s)?(?: (?:[a-z]+(?:'s)?|(?:[a-z]\.)+))*$|^(?:[a-z]\. ?)+$")
_TOKEN = re.compile(r"^(?:\{[A-Za-z][A-Za-z0-9_]*\}|[a-z]+(?:['-][a-z]+)*'?|(?:[a-z]\.)+s?)$")
_SLOT_REF = re.compile(r"\{([^}]*)\}")


def load_model(path: Path | str) -> dict[str, Any]:
    model: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    return model


def language_model(model: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = model["interactionModel"]["languageModel"]
    return found


def _normalise(sample: str) -> str:
    return " ".join(sample.lower().split())


def _shape(sample: str) -> str:
    """The sample with every slot alike: two intents must never share a shape."""
    return _SLOT_REF.sub("{}", _normalise(sample))


def check_model(model: dict[str, Any]) -> list[str]:
    """Problems with the interaction model itself, by Alexa's rules."""
    problems: list[str] = []
    try:
        lm = language_model(model)
        intents = lm["intents"]
    except (KeyError, TypeError):
        return ["interaction model: missing interactionModel.languageModel.intents"]

    name = lm.get("invocationName", "")
    if not isinstance(name, str) or not _INVOCATION.match(name):
        problems.append(
            f"invocationName '{name}': only lower-case letters, spaces, possessive "
            "apostrophes and periods in abbreviations are allowed"
        )
    else:
        words = name.replace(".", " ").split()
        if len(words) < 2:
            problems.append(f"invocationName '{name}': use two or more words")
        if LAUNCH_WORDS & set(words) or WAKE_WORDS & set(words):
            problems.append(f"invocationName '{name}': must not hold launch phrases or wake words")

    types = {t.get("name") for t in lm.get("types", [])}
    seen_samples: dict[str, str] = {}
    shapes: dict[str, tuple[str, str]] = {}
    names = set()
    for intent in intents:
        iname = intent.get("name", "?")
        if iname in names:
            problems.append(f"intent {iname}: defined twice")
        names.add(iname)
        slots = {s.get("name"): s.get("type") for s in intent.get("slots", [])}
        for slot, stype in slots.items():
            if slot in names or slot == iname:
                problems.append(f"intent {iname}: slot name {slot} clashes with an intent name")
            if not str(stype).startswith("AMAZON.") and stype not in types:
                problems.append(f"intent {iname}: slot {slot} has undefined type {stype}")
        samples = intent.get("samples", [])
        if not iname.startswith("AMAZON.") and len(samples) < MIN_SAMPLES:
            problems.append(
                f"intent {iname}: custom intents need sample utterances "
                f"(at least {MIN_SAMPLES}, phrased the way people speak; it has {len(samples)})"
            )
        used = set()
        for sample in samples:
            for token in sample.split():
                if not _TOKEN.match(token):
                    problems.append(
                        f"intent {iname}: sample '{sample}': token '{token}' is not allowed "
                        "(lower-case words, possessive apostrophes, hyphens inside words, "
                        "periods for spoken letters, {Slot} placeholders)"
                    )
                    break
            for ref in _SLOT_REF.findall(sample):
                used.add(ref)
                if ref not in slots:
                    problems.append(
                        f"intent {iname}: sample '{sample}' references slot {{{ref}}}, "
                        "which the intent does not define"
                    )
            shape = _shape(sample)
            other, other_sample = shapes.get(shape, (iname, sample))
            if not _SLOT_REF.sub("", sample).strip():
                problems.append(
                    f"intent {iname}: sample '{sample}' is only a slot: it would catch any "
                    "words of that type; put words around it"
                )
            elif other != iname:
                problems.append(
                    f"intent {iname}: sample '{sample}' has the same words as '{other_sample}' "
                    f"in {other}, only the slot differs: reword one or drop it"
                )
            shapes.setdefault(shape, (iname, sample))
            key = _normalise(sample)
            if key in seen_samples:
                where = seen_samples[key]
                problems.append(
                    f"intent {iname}: sample '{sample}' is also in {where}"
                    if where != iname
                    else f"intent {iname}: sample '{sample}' is listed twice"
                )
            seen_samples[key] = iname
        for slot in slots:
            if slot not in used and not iname.startswith("AMAZON."):
                problems.append(f"intent {iname}: slot {slot} is not used in any sample")

    for built_in in REQUIRED_BUILT_INS:
        if built_in not in names:
            problems.append(f"required built-in intent {built_in} is missing")

    for stype in lm.get("types", []):
        seen_words: dict[str, str] = {}
        for value in stype.get("values", []):
            vid = value.get("id")
            if not vid:
                problems.append(f"type {stype.get('name')}: value '{value}' has no id")
            spoken = [value.get("name", {}).get("value", "")]
            spoken += value.get("name", {}).get("synonyms", [])
            for word in spoken:
                key = _normalise(word)
                if key in seen_words and seen_words[key] != vid:
                    problems.append(
                        f"type {stype.get('name')}: '{word}' belongs to both {seen_words[key]} and {vid}"
                    )
                seen_words[key] = vid
    return problems


def check_against_content(model: dict[str, Any], content: Content, handled_intents: set[str]) -> list[str]:
    """Every custom intent is handled, and every content topic can be reached."""
    problems: list[str] = []
    lm = language_model(model)
    intents = {i["name"]: i for i in lm["intents"]}
    type_ids = {t["name"]: {v.get("id") for v in t.get("values", [])} for t in lm.get("types", [])}
    for iname in intents:
        if iname.startswith("AMAZON."):
            continue
        if iname not in content.by_intent and iname not in handled_intents:
            problems.append(f"intent {iname}: no content topic and no handler answers it")
    for topic in content.topics.values():
        where = f"content/topics/{topic.id}.json"
        intent = intents.get(topic.intent)
        if intent is None:
            problems.append(f"{where}: intent {topic.intent} is not in the interaction model")
            continue
        if topic.slot is None:
            continue
        slots = {s["name"]: s["type"] for s in intent.get("slots", [])}
        if topic.slot not in slots:
            problems.append(f"{where}: slot {topic.slot} is not defined on {topic.intent}")
            continue
        known = type_ids.get(slots[topic.slot], set())
        for value_id in topic.variants:
            if value_id not in known:
                problems.append(
                    f"{where}: variant {value_id} is not a value id of slot type {slots[topic.slot]}"
                )
    return problems
