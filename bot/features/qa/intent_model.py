"""The intent classifier at answer time: weights trained on the bundled corpus, applied with
NumPy. Training runs once per corpus and lexicon, in a child process (train.py)."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import subprocess
import sys
import tempfile
import threading
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from bot.features.qa import features as feats
from bot.features.qa import train

log = logging.getLogger(__name__)
CORPUS_DIR = Path(__file__).resolve().parents[2] / "data" / "qa_corpus"
_lock = threading.Lock()
_loaded: dict[Path, IntentModel] = {}


def corpus(split: str = "train") -> list[dict]:
    """The labelled messages of one split ("train" or "heldout"), every language."""
    rows = []
    for path in sorted(CORPUS_DIR.glob(f"{split}_*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            rows += [json.loads(line) for line in fh if line.strip()]
    return rows


@dataclass(frozen=True)
class IntentModel:
    """Vocabulary, idf weights and a linear model per intent."""

    index: dict[str, int]
    idf: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray
    classes: tuple[str, ...]

    @classmethod
    def load(cls, path: Path) -> IntentModel:
        """Read a model written by train.py."""
        with np.load(path, allow_pickle=False) as z:
            vocab = json.loads(str(z["vocab"]))
            return cls(
                {f: i for i, f in enumerate(vocab)},
                z["idf"],
                z["coef"],
                z["intercept"],
                tuple(json.loads(str(z["classes"]))),
            )

    def probabilities(self, features: list[str]) -> dict[str, float]:
        """P(intent | features): the softmax of calibrated linear scores of the tf-idf vector."""
        counts = Counter(self.index[f] for f in features if f in self.index)
        if not counts:
            scores = self.intercept
        else:
            cols = np.fromiter(counts, dtype=np.int64)
            tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float32))
            x = tf * self.idf[cols]
            x /= np.linalg.norm(x)
            scores = self.coef[:, cols] @ x + self.intercept
        exp = np.exp(scores - scores.max())
        probs = exp / exp.sum()
        return {c: float(p) for c, p in zip(self.classes, probs, strict=True)}


def default_dir() -> Path:
    """Where trained models are kept: QA_MODEL_DIR, else data/models (one per corpus and
    lexicon, shared by every process that uses the same directory, like the places index)."""
    return Path(os.environ.get("QA_MODEL_DIR") or "data/models")


@cache
def _corpus_digest() -> str:
    # The bundled corpus does not change while the bot runs: hash its 1 MB once, not at every
    # 30-second refresh of the question answering's cache.
    digest = hashlib.sha256()
    for path in sorted(CORPUS_DIR.glob("train_*.jsonl")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def model_path(directory: Path, signature: str) -> Path:
    """Where the model for this corpus, lexicon and feature set is kept."""
    key = f"{_corpus_digest()}|{signature}|{feats.VERSION}|{train.C}|{train.MIN_DF}".encode()
    return directory / f"intents-{hashlib.sha256(key).hexdigest()[:16]}.npz"


def _train(examples: list[tuple[list[str], str]], path: Path) -> None:
    fd, tmp = tempfile.mkstemp(suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump({"features": [f for f, _ in examples], "labels": [y for _, y in examples]}, fh)
    try:
        subprocess.run(
            [sys.executable, "-m", "bot.features.qa.train", tmp, str(path)],
            check=True,
            capture_output=True,
            timeout=300,
        )
    finally:
        os.unlink(tmp)


# Models of earlier corpora and lexicons kept beside the current one (other processes on the
# machine may still be using them); older ones are deleted when a new one is trained.
KEEP = 8


def _prune(directory: Path) -> None:
    models = sorted(directory.glob("intents-*.npz"), key=lambda p: p.stat().st_mtime)
    for old in models[:-KEEP]:
        old.unlink(missing_ok=True)


def ensure_model(engine, directory: Path | None = None) -> IntentModel | None:
    """The engine's trained model, training it first if this corpus and lexicon are new; None
    when training failed (the engine then falls back to its rules)."""
    path = model_path(directory or default_dir(), engine.signature)
    with _lock:
        if path in _loaded:
            return _loaded[path]
        try:
            if not path.exists():
                examples = [(engine.features(r["text"]), r["intent"]) for r in corpus()]
                _train(examples, path)
                _prune(path.parent)
            _loaded[path] = IntentModel.load(path)
        except (OSError, subprocess.SubprocessError, ValueError, KeyError) as exc:
            log.warning("intent classifier unavailable, using rules: %s", exc)
            return None
        return _loaded[path]
