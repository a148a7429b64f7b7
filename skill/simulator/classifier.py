"""The statistical tier: an intent classifier trained on the model's samples.

Each phrase of ``training.rows`` (samples with slot values filled in, built-in phrasings,
out-of-domain lines) becomes a sentence embedding (``embedding``: all-MiniLM-L6-v2 on
onnxruntime), and scikit-learn's multinomial logistic regression learns the intents from
them. Its probability for the best intent is the confidence; below the threshold for the
model's fallback sensitivity, or when the best class is ``AMAZON.FallbackIntent``, the
utterance falls back, as Alexa's does. ``bench/nlu_candidates.py`` compares these features
with TF-IDF n-grams (``tfidf_features``) and others on the held-out set.

Embedding the training phrases takes seconds, so a trained classifier is kept in memory and
on disk (``.cache/nlu/``, git-ignored), keyed by a hash of everything it was trained from.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from . import embedding
from .phrases import FALLBACK
from .training import rows

log = logging.getLogger(__name__)

FORMAT = 5  # bump when the features or the estimator change, to retrain (rows are hashed)
CACHE_ENV = "BONE_BUILDER_NLU_CACHE"
DEFAULT_CACHE = Path(__file__).resolve().parents[2] / ".cache" / "nlu"
# Alexa's "fallbackIntentSensitivity" levels (LOW is Alexa's default) as confidence thresholds.
THRESHOLDS = {"LOW": 0.25, "MEDIUM": 0.35, "HIGH": 0.45}
DEFAULT_SENSITIVITY = "LOW"
REGULARISATION = 30.0

_memory: dict[str, IntentClassifier] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class Prediction:
    """The classifier's view of one utterance."""

    intent: str
    confidence: float
    top: tuple[tuple[str, float], ...]
    threshold: float

    @property
    def accepted(self) -> bool:
        return self.intent != FALLBACK and self.confidence >= self.threshold


class IntentClassifier:
    """Features of the training rows (sentence embeddings by default) and a logistic
    regression over them."""

    def __init__(self, lm: dict, features=None):
        """Train on ``lm``; ``features`` is any scikit-learn style transformer of texts
        (sentence embeddings by default; ``bench/nlu_candidates.py`` tries others)."""
        from sklearn.linear_model import LogisticRegression
        from sklearn.preprocessing import normalize

        data = rows(lm)
        self.texts = [text for text, _ in data]
        self.labels = [intent for _, intent in data]
        self.features = features if features is not None else SideBySide()
        matrix = self.features.fit_transform(self.texts)
        self.estimator = LogisticRegression(
            C=REGULARISATION, max_iter=3000, class_weight="balanced"
        ).fit(matrix, self.labels)
        self.classes = [str(c) for c in self.estimator.classes_]
        self.matrix = normalize(matrix)

    def predict(self, text: str, threshold: float, k: int = 3) -> Prediction:
        """The best intent, its probability and the top ``k`` (intent, probability)."""
        return self._predict(text, threshold, k)

    @functools.lru_cache(maxsize=2048)  # noqa: B019 - one classifier per model, kept for good
    def _predict(self, text: str, threshold: float, k: int) -> Prediction:
        probabilities = self.estimator.predict_proba(self.features.transform([text]))[0]
        order = probabilities.argsort()[::-1][:k]
        top = tuple((self.classes[i], round(float(probabilities[i]), 3)) for i in order)
        return Prediction(top[0][0], top[0][1], top, threshold)

    def nearest(self, text: str, k: int = 3) -> list[tuple[str, str, float]]:
        """The ``k`` training phrases most like ``text``: (phrase, intent, cosine)."""
        from sklearn.preprocessing import normalize

        scores = self.matrix @ normalize(self.features.transform([text])).T
        scores = (scores.toarray() if hasattr(scores, "toarray") else scores).ravel()
        best = scores.argsort()[::-1][:k]
        return [(self.texts[i], self.labels[i], round(float(scores[i]), 3)) for i in best]


class SideBySide:
    """TF-IDF word and character n-grams beside the sentence embedding: the embedding
    carries meaning ("I've come over all woozy" is like "I feel dizzy"), the n-grams the
    exact words a sample shares ("went over", "tumble")."""

    def __init__(self, tfidf_weight: float = 0.5):
        self.tfidf = tfidf_features()
        self.embedder = embedding.SentenceEmbedder()
        self.tfidf_weight = tfidf_weight

    def fit_transform(self, texts, labels=None):
        return self._stack(self.tfidf.fit_transform(texts), texts)

    def transform(self, texts):
        return self._stack(self.tfidf.transform(texts), texts)

    def _stack(self, sparse, texts):
        from scipy.sparse import csr_matrix, hstack

        dense = csr_matrix(self.embedder.transform(texts))
        return hstack([sparse * self.tfidf_weight, dense]).tocsr()


def tfidf_features():
    """Word 1-2-grams and in-word character 2-5-grams, TF-IDF weighted."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_union

    return make_union(
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
    )


def fingerprint(lm: dict) -> str:
    """A hash of everything the classifier learns from, and of how it learns."""
    import sklearn

    digest = hashlib.sha256()
    for part in (
        json.dumps(rows(lm)),
        f"{FORMAT} {REGULARISATION} sklearn {sklearn.__version__} {embedding.versions()}",
    ):
        digest.update(part.encode())
    return digest.hexdigest()[:16]


def threshold_for(lm: dict) -> float:
    """The out-of-domain threshold for the model's ``fallbackIntentSensitivity`` level."""
    level = lm.get("modelConfiguration", {}).get("fallbackIntentSensitivity", {}).get("level")
    return THRESHOLDS.get(str(level).upper(), THRESHOLDS[DEFAULT_SENSITIVITY])


def cache_dir() -> Path:
    return Path(os.environ.get(CACHE_ENV) or DEFAULT_CACHE)


def load_or_train(lm: dict) -> IntentClassifier:
    """The classifier for ``lm``: from memory, from the disk cache, or trained now and saved."""
    key = fingerprint(lm)
    with _lock:
        if key in _memory:
            return _memory[key]
        import joblib

        path = cache_dir() / f"{key}.joblib"
        classifier = None
        if path.exists():
            try:
                classifier = joblib.load(path)
            except Exception:  # a truncated or foreign file: train again
                log.warning("NLU cache %s could not be read; training again", path)
        if not isinstance(classifier, IntentClassifier):
            classifier = IntentClassifier(lm)
            _save(classifier, path)
        _memory[key] = classifier
        return classifier


def _save(classifier: IntentClassifier, path: Path) -> None:
    import joblib

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        joblib.dump(classifier, partial)
        partial.replace(path)
    except OSError as exc:
        log.warning("NLU cache %s could not be written (%s); kept in memory only", path, exc)
