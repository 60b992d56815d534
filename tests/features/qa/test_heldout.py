"""Held-out accuracy of the question answering, per language, printed in CI's log.

The held-out part of the corpus (bot/data/qa_corpus/heldout_*.jsonl) was split off before any
tuning and is never trained or tuned on; the classifier learns from train_*.jsonl only.
"""

from __future__ import annotations

from collections import Counter

import pytest

from bot.features.qa.intent_model import corpus
from bot.features.qa.service import answer_question

# A floor against regressions, below the goal of 0.95 (not reached yet): the printed
# figures are the measure.
FLOOR = 0.8


async def test_heldout_accuracy_per_language(sample, capsys):
    """Every held-out message is answered through the service; intent accuracy per language."""
    right, total = Counter(), Counter()
    for row in corpus("heldout"):
        answer = await answer_question(row["text"], locale=row["lang"])
        total[row["lang"]] += 1
        right[row["lang"]] += answer.intent == row["intent"]
    assert set(total) == {"en", "zh", "es", "ru"}
    with capsys.disabled():
        for lang in sorted(total):
            share = right[lang] / total[lang]
            print(f"\nheld-out {lang}: {share:.3f} ({right[lang]}/{total[lang]})")
    for lang in total:
        assert right[lang] / total[lang] >= FLOOR, lang


def test_training_and_heldout_parts_do_not_overlap():
    """No held-out message is also a training message."""
    train = {" ".join(r["text"].casefold().split()) for r in corpus("train")}
    held = {" ".join(r["text"].casefold().split()) for r in corpus("heldout")}
    assert len(held) >= 4 * 75 and not train & held


@pytest.mark.parametrize("lang", ["en", "zh", "es", "ru"])
def test_corpus_has_at_least_300_messages_per_language(lang):
    """The issue's minimum, counted over both parts."""
    rows = [r for r in corpus("train") + corpus("heldout") if r["lang"] == lang]
    assert len(rows) >= 300


def test_old_models_are_pruned(tmp_path):
    """Training a new model keeps only the newest few files of earlier corpora."""
    import os

    from bot.features.qa import intent_model

    for n in range(intent_model.KEEP + 3):
        f = tmp_path / f"intents-{n:016d}.npz"
        f.write_bytes(b"x")
        os.utime(f, (n, n))
    intent_model._prune(tmp_path)
    left = sorted(p.name for p in tmp_path.glob("intents-*.npz"))
    assert len(left) == intent_model.KEEP and left[0] == "intents-0000000000000003.npz"
