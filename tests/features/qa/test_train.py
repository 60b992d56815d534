"""The classifier's training: calibrated probabilities, and the bot's NumPy inference agreeing
with scikit-learn's own predictions."""

from __future__ import annotations

import numpy as np

from bot.features.qa import train
from bot.features.qa.intent_model import IntentModel

WORDS = {
    "costs": ["pay", "cost", "money", "price", "fee", "hotel", "flight"],
    "schedule": ["when", "date", "start", "month", "calendar", "june", "week"],
    "apply": ["apply", "form", "register", "documents", "nominate", "submit", "how"],
}


def _examples(seed: int, n: int) -> tuple[list[list[str]], list[str]]:
    rng = np.random.default_rng(seed)
    feats, labels = [], []
    for _ in range(n):
        label = str(rng.choice(list(WORDS)))
        own = list(rng.choice(WORDS[label], size=3))
        noise = list(rng.choice([w for k, ws in WORDS.items() if k != label for w in ws], size=1))
        feats.append([f"w:{w}" for w in own + noise])
        labels.append(label)
    return feats, labels


def test_numpy_inference_matches_scikit_learn(tmp_path):
    feats, labels = _examples(0, 300)
    path = tmp_path / "m.npz"
    train.save(train.fit(feats, labels), path)
    model = IntentModel.load(path)
    test_feats, test_labels = _examples(1, 100)
    right = 0
    for f, want in zip(test_feats, test_labels, strict=True):
        probs = model.probabilities(f)
        assert abs(sum(probs.values()) - 1) < 1e-5
        right += max(probs, key=probs.__getitem__) == want
    assert right >= 95
    # A text of unseen words has no evidence: no intent is near certain.
    assert max(model.probabilities(["w:zzz"]).values()) < 0.9


def test_temperature_calibrates():
    """Scores that are right 3 times in 4 get the factor whose probabilities say about 0.75."""
    scores = np.tile(np.array([[1.0, 0.0]]), (400, 1))
    truth = np.array([0, 0, 0, 1] * 100)
    t = train.temperature(scores, truth)
    p = np.exp(t) / (np.exp(t) + 1)
    assert abs(p - 0.75) < 0.03
