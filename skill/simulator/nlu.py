"""Understand typed utterances the way Alexa would, from ``interaction_model.json``.

Two tiers. **Exact**: every sample becomes one regular expression, compiled once. A custom
slot matches its values and synonyms (``ER_SUCCESS_MATCH``), or one to three other words
(``ER_SUCCESS_NO_MATCH``, or the value said inside them) when the sample also has literal
words; a sample matched mostly by such words yields to out of domain; ``AMAZON.NUMBER`` matches
digits or number words, ``AMAZON.TIME`` a time of day ("nine thirty", "seven p. m.").
Built-in intents that have no samples get their usual phrasings.
**Statistical**: what matches nothing goes to a classifier trained on the samples
(``classifier``), which names the intent with a confidence, or ``AMAZON.FallbackIntent`` below
the out-of-domain threshold; its slots are found in the words (``slot_filling``). With
``statistical=False`` (``--strict``) whatever matches nothing falls back, with the closest
sample as a hint.
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .embedding import EmbeddingUnavailable, ModelMismatch
from .phrases import (
    ALWAYS_BUILT_IN,
    BUILT_IN_PHRASES,
    FALLBACK,
    NUMBER,
    NUMBER_RE,
    NUMBER_WORDS,
    TIME,
    TIME_RE,
    key,
    normalise,
    number_value,
    time_value,
    words_pattern,
)
from .slot_filling import SlotFiller

if TYPE_CHECKING:
    from .classifier import IntentClassifier, Prediction

__all__ = ["FALLBACK", "NUMBER", "LanguageModel", "Resolution", "normalise", "number_value"]

log = logging.getLogger(__name__)

DEFAULT_SKILL_ID = "amzn1.ask.skill.00000000-0000-0000-0000-000000000000"
NEAR_THRESHOLD = 0.6
EXIT_WORDS = frozenset({"exit", "quit", "goodbye"})
LAUNCH_VERBS = ("open", "launch", "start", "begin", "load")
CONNECTORS = frozenset({"to", "about", "for", "whether", "if", "that"})

# Words a custom slot takes when they are not among its values: one to three words.
UNKNOWN_SLOT_WORDS = r"[^ ]+(?: [^ ]+){0,2}?"

_SLOT = re.compile(r"\{(\w+)\}")


#: Words too common to show that an utterance is about anything the model knows.
_LITTLE_WORDS = frozenset(
    {"a", "an", "the", "i", "i'm", "me", "my", "it", "it's", "is", "are", "was", "be", "to"}
    | {"of", "and", "or", "but", "so", "oh", "ah", "um", "er", "on", "in", "at", "for", "with"}
)


@functools.cache
def _regex(pattern: str) -> re.Pattern:
    """Compile each sample once per process, however many models are built (one per app)."""
    return re.compile(pattern)


@dataclass(frozen=True)
class Resolution:
    """What Alexa would send for one utterance, and why."""

    kind: str
    intent: str | None
    slots: dict
    one_shot: bool
    sample: str | None
    score: float
    near: tuple[str, str, float] | None
    reason: str
    tier: str = "exact"
    confidence: float = 1.0
    top: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class _Sample:
    intent: str
    order: tuple[int, int]
    text: str
    regex: re.Pattern
    slots: tuple[tuple[str, str, str], ...]
    literals: frozenset
    n_literals: int


@dataclass(frozen=True)
class _Match:
    sample: _Sample
    filled: dict
    known: int
    exact: bool
    notes: tuple[str, ...]
    rivals: int
    loose: int = 0


class LanguageModel:
    """A compiled interaction model that resolves utterances to intents and slots."""

    def __init__(
        self,
        model: dict,
        skill_id: str = DEFAULT_SKILL_ID,
        statistical: bool = True,
        classifier: Callable[[dict], IntentClassifier] | None = None,
    ):
        lm = model.get("interactionModel", {}).get("languageModel", model)
        self._lm = lm
        self.statistical = statistical
        self._classifier_for = classifier
        self._classifier: IntentClassifier | None = None
        self.unavailable: str | None = None
        self._slot_filler: SlotFiller | None = None
        self.invocation_name = normalise(lm["invocationName"])
        self._skill_id = skill_id
        self._intents = {i["name"]: i.get("slots", []) for i in lm["intents"]}
        self._raw = {i["name"]: i.get("samples", []) for i in lm["intents"]}
        self._types = {t["name"]: self._compile_type(t) for t in lm.get("types", [])}
        self._samples = [
            self._compile_sample(intent, (i, j), text)
            for i, intent in enumerate(self._intents)
            for j, text in enumerate(self._raw[intent])
            if text.strip()
        ]
        self._by_first: dict[str, list[_Sample]] = {}
        self._slot_first: list[_Sample] = []
        for sample in self._samples:
            first = sample.text.split()[0]
            if _SLOT.fullmatch(first):
                self._slot_first.append(sample)
            else:
                self._by_first.setdefault(key(first), []).append(sample)
        self._phrases: dict[str, str] = {}
        for intent, phrases in BUILT_IN_PHRASES.items():
            if intent in self._intents:
                for phrase in phrases:
                    self._phrases.setdefault(phrase, intent)
        name = words_pattern(self.invocation_name)
        verbs = "|".join(LAUNCH_VERBS)
        self._open = re.compile(rf"(?:(?:{verbs}) )?{name}(?: and(?: (?P<rest>.+))?)?")
        self._ask = re.compile(rf"(?:ask|tell) {name}(?: (?P<rest>.+))?")
        self._build_similarity()

    @classmethod
    def from_file(
        cls, path, skill_id: str = DEFAULT_SKILL_ID, statistical: bool = True
    ) -> LanguageModel:
        return cls(json.loads(Path(path).read_text(encoding="utf-8")), skill_id, statistical)

    def _compile_type(self, slot_type: dict) -> dict:
        values: dict[str, tuple[str, str]] = {}
        patterns = set()
        for value in slot_type.get("values", []):
            name = value["name"]["value"]
            entry = (value.get("id") or name, name)
            for said in map(normalise, [name, *value["name"].get("synonyms", [])]):
                values.setdefault(key(said), entry)
                patterns.add(words_pattern(said))
        alternatives = sorted(patterns - {""}, key=lambda p: (-len(p), p))
        pattern = "|".join(alternatives)
        within = re.compile(rf"(?<!\S)(?:{pattern})(?!\S)") if pattern else None
        return {"values": values, "pattern": pattern, "within": within}

    def _compile_sample(self, intent: str, order: tuple[int, int], text: str) -> _Sample:
        types = {s["name"]: s["type"] for s in self._intents[intent]}
        tokens: list[str] = []
        for raw in text.split():
            tokens += [raw] if _SLOT.fullmatch(raw) else normalise(raw).split()
        literals = [t for t in tokens if not _SLOT.fullmatch(t)]
        parts: list[str] = []
        slots: list[tuple[str, str, str]] = []
        for token in tokens:
            slot = _SLOT.fullmatch(token)
            if not slot:
                parts.append(words_pattern(token))
                continue
            name = slot[1]
            if name not in types:
                raise ValueError(f"{intent}: sample {text!r} uses undefined slot {name}")
            group = f"s{len(slots)}"
            slots.append((group, name, types[name]))
            parts.append(f"(?P<{group}>{self._slot_pattern(types[name], bool(literals))})")
        return _Sample(
            intent=intent,
            order=order,
            text=" ".join(tokens),
            regex=_regex(" ".join(parts)),
            slots=tuple(slots),
            literals=frozenset(key(w) for w in literals),
            n_literals=len(literals),
        )

    def _slot_pattern(self, slot_type: str, any_words: bool) -> str:
        if slot_type == NUMBER:
            return NUMBER_RE
        if slot_type == TIME:
            return TIME_RE
        alternatives = [self._types[slot_type]["pattern"]] if slot_type in self._types else []
        if any_words:
            alternatives.append(UNKNOWN_SLOT_WORDS)
        return "|".join(a for a in alternatives if a) or "(?!)"

    def _build_similarity(self) -> None:
        self._sim_words = [
            tuple("*" if _SLOT.fullmatch(w) else w for w in s.text.split()) for s in self._samples
        ]
        self._sim_sizes = [(len(w), len(set(w))) for w in self._sim_words]
        self._postings: dict[str, list[tuple[int, int]]] = {}
        for index, words in enumerate(self._sim_words):
            for word, count in Counter(words).items():
                self._postings.setdefault(word, []).append((index, count))

    def resolve(self, utterance: str) -> Resolution:
        """The request Alexa would make for ``utterance``: launch, exit or an intent."""
        text = normalise(utterance)
        if text == "alexa" or text.startswith("alexa "):
            text = text[len("alexa") :].strip()
        asked = self._ask.fullmatch(text)
        if asked and asked["rest"]:
            return self._one_shot(asked["rest"])
        opened = None if asked else self._open.fullmatch(text)
        if opened and opened["rest"]:
            return self._understand(opened["rest"], one_shot=True)
        if asked or opened:
            return Resolution(
                "launch", None, {}, False, text, 1.0, None, f'"{text}" opens the skill'
            )
        if text in EXIT_WORDS:
            return Resolution(
                "exit", None, {}, False, text, 1.0, None, f'"{text}" ends the session'
            )
        return self._understand(text, one_shot=False)

    def _one_shot(self, rest: str) -> Resolution:
        first, _, tail = rest.partition(" ")
        if first not in CONNECTORS or not tail:
            return self._understand(rest, one_shot=True)
        stripped = self._understand(tail, one_shot=True)
        if stripped.intent != FALLBACK:
            return stripped
        whole = self._understand(rest, one_shot=True)
        return whole if whole.intent != FALLBACK or whole.score > stripped.score else stripped

    def _understand(self, text: str, one_shot: bool) -> Resolution:
        phrase = self._phrases.get(text)
        if phrase and text in ALWAYS_BUILT_IN:
            return self._built_in(phrase, text, one_shot, "always wins for this word")
        match = self._best_match(text)
        if match and not match.exact and phrase is None:
            # A sample matched only by taking unknown words as a slot value ("i'm {Symptom}"
            # for "i'm seventy"): a device weighs that against everything else it knows, so
            # the statistical tier decides, and the sample stands only if it agrees or
            # finds nothing better.
            other = self._statistical_or_none(text, one_shot)
            if other is not None and other.intent not in (FALLBACK, match.sample.intent):
                return other
            if other is not None and other.intent == FALLBACK and self._mostly_unknown(match):
                # "blue cheese and pickle" fits "{Day} and {DayTwo}" by its one "and": with
                # more unknown slot words than the sample's own, out of domain stands.
                return other
        if match and (phrase is None or match.exact):
            return self._from_match(match, one_shot, phrase)
        if phrase:
            why = "beats a sample matched with unknown slot words" if match else "no sample matched"
            return self._built_in(phrase, text, one_shot, why)
        return self._statistical_or_none(text, one_shot) or self._fallback(text, one_shot)

    def _statistical_or_none(self, text: str, one_shot: bool) -> Resolution | None:
        if not self.statistical or not text:
            return None
        try:
            return self._statistical(text, one_shot)
        except ModelMismatch as exc:
            self.statistical = False
            self.unavailable = f"statistical tier unavailable: {exc}"
            log.error("%s; exact matching only", exc)
            return None
        except (ImportError, EmbeddingUnavailable) as exc:
            self.statistical = False
            self.unavailable = f"statistical tier unavailable: {exc}"
            log.warning("%s; exact matching only (pip install -e '.[simulator]')", exc)
            return None

    def _built_in(self, intent: str, text: str, one_shot: bool, why: str) -> Resolution:
        reason = f'built-in phrase "{text}" of {intent} ({why})'
        return Resolution(
            "intent", intent, self._slot_dicts(intent, {}), one_shot, text, 1.0, None, reason
        )

    def _best_match(self, text: str) -> _Match | None:
        """The sample with the most literal words plus known slot values, then the fewest
        unknown slot values, the most literal words, and the first in the model."""
        tokens = text.split()
        if not tokens:
            return None
        words = {key(t) for t in tokens}
        best, best_rank, matched = None, None, 0
        for sample in chain(self._by_first.get(key(tokens[0]), ()), self._slot_first):
            if not sample.literals <= words:
                continue
            found = sample.regex.fullmatch(text)
            if not found:
                continue
            matched += 1
            filled, known, notes, loose = self._fill(sample, found)
            unknown = len(sample.slots) - known
            intent_at, sample_at = sample.order
            rank = (sample.n_literals + known, -unknown, sample.n_literals, -intent_at, -sample_at)
            if best_rank is None or rank > best_rank:
                best_rank = rank
                best = (sample, filled, known, notes, loose)
        if best is None:
            return None
        sample, filled, known, notes, loose = best
        exact = known == len(sample.slots) and not loose
        return _Match(sample, filled, known, exact, notes, matched - 1, loose)

    @staticmethod
    def _mostly_unknown(match: _Match) -> bool:
        """More of the utterance is slot words no value accounts for than the sample's own."""
        return match.loose > match.sample.n_literals

    def _fill(self, sample: _Sample, found: re.Match) -> tuple[dict, int, tuple[str, ...], int]:
        """The slots a sample's match heard, how many are known values, notes, and how many
        words its custom slots took that no known value accounts for."""
        heard = [(name, found[group], slot_type) for group, name, slot_type in sample.slots]
        filled, known, notes = self._slots_heard(heard)
        loose = 0
        for _name, said, slot_type in heard:
            if slot_type in self._types:
                inside = self._types[slot_type]["within"]
                inner = inside.search(said) if inside else None
                loose += len(said.split()) - (len(inner[0].split()) if inner else 0)
        return filled, known, notes, loose

    def _slots_heard(self, heard: list[tuple[str, str, str]]) -> tuple[dict, int, tuple[str, ...]]:
        """Slot dicts as Alexa sends them for (name, words, type), how many values are known,
        and a note for each."""
        filled, known, notes = {}, 0, []
        for name, said, slot_type in heard:
            slot: dict[str, Any] = {"name": name, "value": said, "confirmationStatus": "NONE"}
            if slot_type == NUMBER:
                slot["value"] = number_value(said)
                known += 1
                notes.append(f"{name}={slot['value']}")
            elif slot_type == TIME:
                slot["value"] = time_value(said)
                known += 1
                notes.append(f"{name}={slot['value']}")
            elif slot_type in self._types:
                entry = self._known_within(slot_type, said)
                slot["resolutions"] = self._resolutions(slot_type, entry)
                known += entry is not None
                notes.append(f'{name}="{said}"' + (f"->{entry[0]}" if entry else " (no match)"))
            else:
                notes.append(f'{name}="{said}"')
            filled[name] = slot
        return filled, known, tuple(notes)

    def _known_within(self, slot_type: str, said: str) -> tuple[str, str] | None:
        """The value a custom slot's words resolve to: the words themselves, or else the
        longest value said inside them ("the standard", "kilo weight"), as entity resolution
        looks past the carrier words a slot took in."""
        values = self._types[slot_type]["values"]
        entry = values.get(key(said))
        within = self._types[slot_type]["within"]
        if entry is None and within is not None:
            found = within.search(said)
            if found:
                return values.get(key(found[0]))
        return entry

    def _resolutions(self, slot_type: str, entry: tuple[str, str] | None) -> dict:
        authority: dict[str, Any] = {
            "authority": f"amzn1.er-authority.echo-sdk.{self._skill_id}.{slot_type}",
            "status": {"code": "ER_SUCCESS_MATCH" if entry else "ER_SUCCESS_NO_MATCH"},
        }
        if entry:
            authority["values"] = [{"value": {"name": entry[1], "id": entry[0]}}]
        return {"resolutionsPerAuthority": [authority]}

    def _slot_dicts(self, intent: str, filled: dict) -> dict:
        """Every slot of the intent, as Alexa sends it: heard ones with a value, others bare."""
        return {
            s["name"]: filled.get(s["name"], {"name": s["name"], "confirmationStatus": "NONE"})
            for s in self._intents.get(intent, [])
        }

    def _from_match(self, match: _Match, one_shot: bool, phrase: str | None) -> Resolution:
        sample = match.sample
        reason = (
            f'sample "{sample.text}" of {sample.intent}: {sample.n_literals} literal words, '
            f"{match.known}/{len(sample.slots)} known slot values"
        )
        if match.notes:
            reason += f" ({', '.join(match.notes)})"
        if match.rivals:
            reason += f"; best of {match.rivals + 1} matching samples"
        if phrase:
            reason += f"; custom sample beats built-in {phrase}"
        slots = self._slot_dicts(sample.intent, match.filled)
        return Resolution(
            "intent", sample.intent, slots, one_shot, self._raw_sample(sample), 1.0, None, reason
        )

    def _raw_sample(self, sample: _Sample) -> str:
        return self._raw[sample.intent][sample.order[1]]

    def _statistical(self, text: str, one_shot: bool) -> Resolution:
        """The classifier's intent when it is sure enough, with slots found in the words."""
        from .classifier import threshold_for

        prediction = self._entity_aware(
            text, self.classifier().predict(text, threshold_for(self._lm))
        )
        if not prediction.accepted or prediction.intent not in self._intents:
            return self._fallback(text, one_shot, prediction)
        if not prediction.intent.startswith("AMAZON.") and not self._knows_a_word(text):
            # "tiddlywinks", "eh?": a device learns a custom intent from its samples alone,
            # so an utterance sharing no meaningful word with the model can't reach one,
            # whatever the sentence embedding finds near it. Built-in intents ("righto" for
            # yes) are trained by Amazon on far more than the model's samples.
            unknown = replace(prediction, intent=FALLBACK)
            return self._fallback(text, one_shot, unknown, "no word of it is in the model")
        intent = prediction.intent
        types = {s["name"]: s["type"] for s in self._intents[intent]}
        said = self._filler().fill(text, intent)
        filled, _, notes = self._slots_heard([(n, w, types[n]) for n, w in said.items()])
        reason = (
            f"no sample matched; statistical tier: {intent} at {prediction.confidence:.2f} "
            f"(out-of-domain threshold {prediction.threshold:.2f})"
        )
        if notes:
            reason += f" ({', '.join(notes)})"
        return Resolution(
            "intent",
            intent,
            self._slot_dicts(intent, filled),
            one_shot,
            None,
            prediction.confidence,
            None,
            reason,
            tier="statistical",
            confidence=prediction.confidence,
            top=prediction.top,
        )

    #: A runner-up that names one of its own slot values in two or more words beats "out of
    #: domain" when it is at least this sure: Alexa weighs words it knows as slot values.
    ENTITY_RUNNER_UP = 0.25

    def _entity_aware(self, text: str, prediction: Prediction) -> Prediction:
        """Out of domain, unless a runner-up intent hears one of its custom slot values of two
        or more words ("mum's had a tumble": a symptom value), with some confidence."""
        if prediction.intent != FALLBACK:
            return prediction
        for intent, confidence in prediction.top[1:]:
            if confidence < self.ENTITY_RUNNER_UP or intent not in self._intents:
                continue
            custom = {s["type"] for s in self._intents[intent]} & set(self._types)
            spans = self._filler().spans(text, custom) if custom else []
            if any(" " in span.said for span in spans):
                return replace(prediction, intent=intent, confidence=confidence)
        return prediction

    def _knows_a_word(self, text: str) -> bool:
        """Whether ``text`` has a word, other than the commonest little ones, that the model's
        samples, slot values or synonyms use, or a number."""
        return any(
            word in self._vocabulary or word[0].isdigit()
            for word in text.split()
            if word not in _LITTLE_WORDS
        )

    @functools.cached_property
    def _vocabulary(self) -> frozenset[str]:
        texts = [_SLOT.sub(" ", sample) for samples in self._raw.values() for sample in samples]
        texts += list(self._phrases)
        for slot_type in self._lm.get("types", []):
            for value in slot_type.get("values", []):
                name = value.get("name", {})
                texts += [name.get("value", ""), *name.get("synonyms", [])]
        words = {word for t in texts for word in normalise(t).split()}
        return frozenset(words | NUMBER_WORDS) - _LITTLE_WORDS

    def _filler(self) -> SlotFiller:
        if self._slot_filler is None:
            patterns = {name: t["pattern"] for name, t in self._types.items()}
            self._slot_filler = SlotFiller(self._lm, patterns)
        return self._slot_filler

    def _fallback(
        self,
        text: str,
        one_shot: bool,
        prediction: Prediction | None = None,
        why: str | None = None,
    ) -> Resolution:
        score, index = self._closest(text)
        closest = None if index is None else self._samples[index]
        near = None
        reason = "no sample matched"
        if prediction is not None:
            best, confidence = prediction.top[0]
            reason += (
                f"; statistical tier: {best} at {confidence:.2f}, but {why}"
                if why
                else "; statistical tier: out of domain"
                if best == FALLBACK
                else f"; statistical tier: {best} at {confidence:.2f}, below the "
                f"out-of-domain threshold {prediction.threshold:.2f}"
            )
        if closest and score >= NEAR_THRESHOLD:
            near = (closest.intent, self._raw_sample(closest), round(score, 3))
            reason += f'; closest is "{near[1]}" of {near[0]} ({near[2]:.2f}): add this phrasing?'
        intent, sample = FALLBACK, None
        if FALLBACK not in self._intents and closest:
            intent, sample = closest.intent, self._raw_sample(closest)
            reason += f"; the model has no {FALLBACK}, so the closest intent wins"
        slots = self._slot_dicts(intent, {})
        return Resolution(
            "intent",
            intent,
            slots,
            one_shot,
            sample,
            round(score, 3),
            near,
            reason,
            tier="statistical" if prediction else "exact",
            confidence=prediction.confidence if prediction else 0.0,
            top=prediction.top if prediction else (),
        )

    def _closest(self, text: str) -> tuple[float, int | None]:
        """Best word similarity to any sample: 0.7 x difflib ratio + 0.3 x word Jaccard."""
        words = text.split()
        counts = Counter(words)
        overlap: dict[int, list[int]] = {}
        for word, count in counts.items():
            for index, in_sample in self._postings.get(word, ()):
                shared = overlap.setdefault(index, [0, 0])
                shared[0] += min(count, in_sample)
                shared[1] += 1
        ranked = []
        for index, (common, distinct) in overlap.items():
            length, unique = self._sim_sizes[index]
            jaccard = distinct / (len(counts) + unique - distinct)
            bound = 0.7 * 2 * common / (len(words) + length) + 0.3 * jaccard
            ranked.append((-bound, index, jaccard))
        ranked.sort()
        matcher = SequenceMatcher(None, b=words, autojunk=False)
        best, best_index = 0.0, None
        for negative_bound, index, jaccard in ranked:
            if -negative_bound < best:
                break
            matcher.set_seq1(self._sim_words[index])
            score = 0.7 * matcher.ratio() + 0.3 * jaccard
            if score > best:
                best, best_index = score, index
        return best, best_index

    def slot_types(self, intent: str) -> dict[str, str]:
        """Slot name -> slot type, for ``intent``."""
        return {s["name"]: s["type"] for s in self._intents.get(intent, [])}

    def classifier(self) -> IntentClassifier:
        """The statistical tier's classifier, trained (or loaded) on first use."""
        if self._classifier is None:
            if self._classifier_for is None:
                from .classifier import load_or_train

                self._classifier_for = load_or_train
            self._classifier = self._classifier_for(self._lm)
        return self._classifier

    def nearest(self, utterance: str, k: int = 3) -> list[tuple[str, str, float]]:
        """The ``k`` training phrases (samples with slots filled) most like ``utterance``."""
        return self.classifier().nearest(normalise(utterance), k)

    def samples(self) -> list[tuple[str, str]]:
        """One or two example phrases per custom intent, slots filled, that resolve to it."""
        out = []
        for intent, raw in self._raw.items():
            if intent.startswith("AMAZON.") or not raw:
                continue
            filled = [self._example(intent, text) for text in raw]
            with_slots = [p for p, text in zip(filled, raw, strict=True) if _SLOT.search(text)]
            order = [filled[0], *with_slots[:1], *filled[1:]]
            chosen: list[str] = []
            for phrase in order:
                if phrase not in chosen and self.resolve(phrase).intent == intent:
                    chosen.append(phrase)
                if len(chosen) == 2:
                    break
            out += [(intent, phrase) for phrase in chosen]
        return out

    def _example(self, intent: str, text: str) -> str:
        types = {s["name"]: s["type"] for s in self._intents[intent]}

        def value(slot: re.Match) -> str:
            slot_type = types.get(slot[1])
            if slot_type == NUMBER:
                return "ten"
            if slot_type == TIME:
                return "nine"
            values = self._types.get(slot_type, {}).get("values")
            return next(iter(values.values()))[1] if values else "something"

        return _SLOT.sub(value, text)
