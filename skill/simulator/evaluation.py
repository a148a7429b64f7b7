"""Offline NLU evaluation: annotated utterances against the simulator's understanding.

The same idea as Amazon's NLU Evaluation tool, run locally. Reads this project's YAML
(``tests/nlu/heldout.yaml``: ``cases`` of ``say``, ``intent``, optional ``slots``) or Amazon's
annotation-set JSON (``{"data": [{"inputs": {"utterance"}, "expected": [{"intent": ...}]}]}``),
and writes the latter, so one set runs here and against the live skill.
"""

from __future__ import annotations

import json
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from . import yaml_text
from .nlu import LanguageModel, Resolution
from .phrases import FALLBACK, NUMBER, normalise, number_value


class AnnotationError(ValueError):
    """A file of annotations that cannot be read."""


@dataclass(frozen=True)
class Case:
    """One annotation: an utterance, the intent it must reach (or any of ``also``, when
    several intents are equally right in every state) and the slot values it carries."""

    utterance: str
    intent: str
    slots: dict[str, str] = field(default_factory=dict)
    source: str = ""
    also: tuple[str, ...] = ()

    @property
    def intents(self) -> tuple[str, ...]:
        return (self.intent, *self.also)


@dataclass
class Outcome:
    case: Case
    resolution: Resolution
    wrong_slots: dict[str, tuple[str, str | None]]

    @property
    def intent_ok(self) -> bool:
        return self.resolution.intent in self.case.intents

    @property
    def passed(self) -> bool:
        return self.intent_ok and not self.wrong_slots


def load(path: Path | str) -> list[Case]:
    """Cases from a YAML file of ``cases`` or an Amazon annotation-set JSON file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix == ".json" else yaml_text.parse(text)
    except OSError as exc:
        raise AnnotationError(f"{path}: cannot be read ({exc.strerror})") from exc
    except ValueError as exc:
        raise AnnotationError(f"{path}: not valid JSON or YAML ({exc})") from exc
    if isinstance(data, dict) and "data" in data:
        return [_from_annotation(item, path, n) for n, item in enumerate(data["data"] or [], 1)]
    entries = data.get("cases") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise AnnotationError(f"{path}: expected a list of 'cases' or an annotation set 'data'")
    return [_from_case(entry, path, n) for n, entry in enumerate(entries, 1)]


def _from_case(entry, path: Path, n: int) -> Case:
    if not isinstance(entry, dict) or not entry.get("say") or not entry.get("intent"):
        raise AnnotationError(f"{path}: case {n} needs 'say' and 'intent'")
    slots = entry.get("slots") or {}
    if not isinstance(slots, dict):
        raise AnnotationError(f"{path}: case {n}: 'slots' must map slot names to values")
    values = {str(k): str(v) for k, v in slots.items()}
    intents = entry["intent"] if isinstance(entry["intent"], list) else [entry["intent"]]
    if not intents or not all(isinstance(i, str) and i for i in intents):
        raise AnnotationError(f"{path}: case {n}: 'intent' is a name or a list of names")
    where = f"{path.name}:{n}"
    return Case(str(entry["say"]), intents[0], values, where, tuple(intents[1:]))


def _from_annotation(item, path: Path, n: int) -> Case:
    try:
        utterance = item["inputs"]["utterance"]
        intent = item["expected"][0]["intent"]
        slots = {}
        for name, slot in (intent.get("slots") or {}).items():
            value = slot.get("slotValue", slot).get("value")
            if value is not None:
                slots[name] = str(value)
        return Case(str(utterance), str(intent["name"]), slots, f"{path.name}:{n}")
    except (KeyError, IndexError, TypeError, AttributeError) as exc:
        raise AnnotationError(
            f"{path}: annotation {n} needs inputs.utterance and expected[0].intent.name"
        ) from exc


def to_annotation_set(cases: list[Case]) -> dict:
    """Amazon's annotation-set JSON for ``cases`` (upload it in the developer console's NLU
    Evaluation, or with SMAPI / ASK CLI)."""
    data = []
    for case in cases:
        intent: dict = {"name": case.intent}
        if case.slots:
            intent["slots"] = {
                name: {"slotValue": {"type": "Simple", "value": value}}
                for name, value in case.slots.items()
            }
        data.append({"inputs": {"utterance": case.utterance}, "expected": [{"intent": intent}]})
    return {"data": data}


def _slot_matches(expected: str, slot: dict, slot_type: str | None) -> bool:
    heard = slot.get("value")
    if heard is None:
        return False
    if slot_type == NUMBER:
        want = normalise(expected)
        return number_value(want) == heard if want else False
    said = {normalise(heard)}
    for authority in slot.get("resolutions", {}).get("resolutionsPerAuthority", []):
        for value in authority.get("values", []):
            said |= {normalise(value["value"]["name"]), value["value"]["id"].lower()}
    return normalise(expected) in said


def evaluate(model: LanguageModel, cases: list[Case]) -> Report:
    """Resolve every case, as an in-session utterance, and compare."""
    outcomes, times = [], []
    if model.statistical:
        model.classifier()  # trained or loaded before timing starts
    for case in cases:
        start = time.perf_counter()
        resolution = model.resolve(case.utterance)
        times.append((time.perf_counter() - start) * 1000)
        wrong = {}
        if resolution.intent in case.intents:
            types = model.slot_types(resolution.intent)
            for name, value in case.slots.items():
                slot = resolution.slots.get(name, {})
                if not _slot_matches(value, slot, types.get(name)):
                    wrong[name] = (value, slot.get("value"))
        outcomes.append(Outcome(case, resolution, wrong))
    return Report(outcomes, sorted(times))


@dataclass
class Report:
    outcomes: list[Outcome]
    times_ms: list[float]

    @property
    def ms_per_utterance(self) -> float:
        """Median time to resolve one utterance."""
        return statistics.median(self.times_ms) if self.times_ms else 0.0

    @property
    def ms_p90(self) -> float:
        return self.times_ms[int(0.9 * (len(self.times_ms) - 1))] if self.times_ms else 0.0

    @property
    def in_domain(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.case.intent != FALLBACK]

    @property
    def out_of_domain(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.case.intent == FALLBACK]

    @property
    def accuracy(self) -> float:
        """In-domain cases whose intent and every annotated slot are right."""
        cases = self.in_domain
        return sum(o.passed for o in cases) / len(cases) if cases else 1.0

    @property
    def intent_accuracy(self) -> float:
        cases = self.in_domain
        return sum(o.intent_ok for o in cases) / len(cases) if cases else 1.0

    @property
    def false_accept_rate(self) -> float:
        """Out-of-domain cases that reached an intent instead of falling back."""
        cases = self.out_of_domain
        return sum(not o.intent_ok for o in cases) / len(cases) if cases else 0.0

    def per_intent(self) -> list[tuple[str, float | None, float | None, int]]:
        """(intent, precision, recall, cases expecting it), by intent name."""
        expected: Counter[str | None] = Counter(o.case.intent for o in self.outcomes)
        predicted: Counter[str | None] = Counter(o.resolution.intent for o in self.outcomes)
        right: Counter[str | None] = Counter(o.case.intent for o in self.outcomes if o.intent_ok)
        rows = []
        for intent in sorted(set(expected) | set(predicted), key=str):
            precision = right[intent] / predicted[intent] if predicted[intent] else None
            recall = right[intent] / expected[intent] if expected[intent] else None
            rows.append((str(intent), precision, recall, expected[intent]))
        return rows

    def confused(self, k: int = 10) -> list[tuple[tuple[str, str], int]]:
        pairs = Counter(
            (o.case.intent, str(o.resolution.intent)) for o in self.outcomes if not o.intent_ok
        )
        return pairs.most_common(k)

    def misses(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.passed]

    def tiers(self) -> Counter:
        return Counter(o.resolution.tier for o in self.outcomes)


def _pct(value: float | None) -> str:
    return "   -" if value is None else f"{value:4.0%}"


def render(report: Report, model: LanguageModel, nearest: int = 3) -> str:
    """The report as text: totals, per intent, confusions, false accepts and misses."""
    ind, ood = report.in_domain, report.out_of_domain
    lines = [
        f"in-domain accuracy: {report.accuracy:.1%} ({sum(o.passed for o in ind)}/{len(ind)}; "
        f"intent alone {report.intent_accuracy:.1%})",
        f"out-of-domain false accepts: {report.false_accept_rate:.1%} "
        f"({sum(not o.intent_ok for o in ood)}/{len(ood)})",
        "tiers: " + ", ".join(f"{t} {n}" for t, n in sorted(report.tiers().items())),
        f"time per utterance: median {report.ms_per_utterance:.2f} ms, "
        f"90th percentile {report.ms_p90:.2f} ms",
        "",
        "per intent:        precision  recall  cases",
    ]
    for intent, precision, recall, count in report.per_intent():
        lines.append(f"  {intent:<30} {_pct(precision)}   {_pct(recall)}  {count:5d}")
    pairs = report.confused()
    if pairs:
        lines += ["", "most confused (expected -> got):"]
        lines += [f"  {n} x {want} -> {got}" for (want, got), n in pairs]
    false_accepts = [o for o in ood if not o.intent_ok]
    if false_accepts:
        lines += ["", "out-of-domain false accepts:"]
        lines += [f'  "{o.case.utterance}" -> {_heard(o.resolution)}' for o in false_accepts]
    misses = [o for o in report.misses() if o.case.intent != FALLBACK]
    if misses:
        lines += ["", "misses, with the nearest samples:"]
    for outcome in misses:
        case = outcome.case
        lines.append(f'  "{case.utterance}" ({case.source})')
        lines.append(f"    expected {' or '.join(case.intents)}, got {_heard(outcome.resolution)}")
        for name, (want, got) in outcome.wrong_slots.items():
            lines.append(f"    slot {name}: expected {want!r}, got {got!r}")
        for phrase, intent, score in model.nearest(case.utterance, nearest):
            lines.append(f'    near: "{phrase}" ({intent}, {score:.2f})')
    return "\n".join(lines)


def _heard(resolution: Resolution) -> str:
    if resolution.tier == "statistical":
        return f"{resolution.intent} (statistical, {resolution.confidence:.2f})"
    return f"{resolution.intent} ({resolution.tier})"
