"""Per-label bias offsets (ComplaintClassifier(bias_offsets=...)): the search, and that the offsets move
decisions the way the held-out labels ask and travel with the saved model."""
import numpy as np
import pytest

from nlp.calibration import tune_offsets
from nlp.classifier import ComplaintClassifier

ROAD = ["đường làng bị hư hỏng nặng", "ổ gà trên đường rất nhiều", "đường đất lầy lội khi mưa",
        "cầu và đường xuống cấp", "đường vào xóm sụt lún", "mặt đường nứt nẻ khó đi",
        "đường bê tông bị vỡ", "xe không đi được vì đường hỏng", "đường ngập nước sau mưa",
        "đường thiếu biển báo"]
POWER = ["mất điện cả ngày", "điện chập chờn buổi tối", "cột điện bị nghiêng"]
# Texts that mention both, said by the people who wrote them to be about electricity.
MIXED = ["đường tối vì mất điện", "điện đường hỏng, đường tối om", "đèn điện trên đường không sáng",
         "mất điện nên đường tối", "điện chiếu sáng đường bị cắt", "đường làng mất điện đèn"]


def _fit(bias_offsets, dev):
    texts, labels = ROAD + POWER, ["giao_thong"] * len(ROAD) + ["dien"] * len(POWER)
    return ComplaintClassifier(bias_offsets=bias_offsets).fit(
        texts, labels, dev_texts=[t for _, t in dev], dev_labels=[l for l, _ in dev])


def test_tune_offsets_recovers_a_shifted_label():
    rng = np.random.default_rng(0)
    gold = np.array([0] * 300 + [1] * 40 + [2] * 60)
    scores = rng.normal(0, 0.3, (len(gold), 3))
    scores[np.arange(len(gold)), gold] += 1.0
    scores[:, 1] -= 0.8  # label 1 is systematically under-scored: most of its texts lose to others
    before = (scores.argmax(axis=1) == gold).mean()
    offsets, f1 = tune_offsets(scores, gold)
    assert offsets[0] == 0.0 and offsets[1] >= 0.4  # pushed back up by about what was taken away
    assert ((scores + offsets).argmax(axis=1) == gold).mean() > before
    assert f1 > 0.9


def test_tune_offsets_leaves_a_perfect_ranking_alone():
    gold = np.array([0, 1, 2, 2, 1, 0])
    scores = np.eye(3)[gold]
    offsets, f1 = tune_offsets(scores, gold)
    assert f1 == 1.0 and not offsets.any()


def test_dev_offsets_move_decisions_toward_the_dev_labels_and_survive_save_load(tmp_path):
    dev = [("dien", t) for t in MIXED] + [("giao_thong", t) for t in ROAD[:3]] + [("dien", POWER[0])]
    plain, tuned = _fit(None, dev), _fit("dev", dev)
    offsets = tuned.metadata["bias_offsets"]["offsets"]
    assert offsets["dien"] - offsets["giao_thong"] > 0
    assert "bias_offsets" not in plain.metadata
    before = [p.top_label for p in plain.predict_many(MIXED)]
    after = [p.top_label for p in tuned.predict_many(MIXED)]
    assert before.count("dien") < after.count("dien")  # at least one mixed text changed its answer ...
    assert all(a == "dien" for a, b in zip(after, before) if b == "dien")  # ... and none went back
    path = tuned.save(tmp_path / "m.joblib")
    loaded = ComplaintClassifier.load(path)
    assert [p.top_label for p in loaded.predict_many(MIXED)] == after
    assert loaded.decision(MIXED).tobytes() == tuned.decision(MIXED).tobytes()
    assert loaded.metadata["bias_offsets"]["offsets"] == offsets


def test_cv_offsets_tune_on_out_of_fold_training_scores():
    dev = [("dien", t) for t in MIXED[:2]] + [("giao_thong", ROAD[0])]
    clf = _fit("cv", dev)
    meta = clf.metadata["bias_offsets"]
    assert meta["source"] == "cv" and set(meta["offsets"]) == {"dien", "giao_thong"}
    scores, gold = clf._out_of_fold(ROAD + POWER, ["giao_thong"] * len(ROAD) + ["dien"] * len(POWER), 13)
    assert scores.shape == (2 * (len(ROAD) + len(POWER)), 2) and len(gold) == len(scores)


def test_unknown_bias_offsets_setting_is_refused():
    with pytest.raises(ValueError):
        ComplaintClassifier(bias_offsets="test")
