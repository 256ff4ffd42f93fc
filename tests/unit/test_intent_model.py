import numpy as np
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

from assistant.intent_model import SublinearTfidf, build_pipeline, rank, ready_for_prediction

DOCS = ["what is suboxone", "suboxone side effects", "what are your hours", "hours on saturday?", "what is methadone"]


def test_weights_equal_sklearns_tfidf():
    counts = CountVectorizer(analyzer="char_wb", ngram_range=(2, 4)).fit_transform(DOCS)
    ours = SublinearTfidf().fit(counts).transform(counts).toarray()
    theirs = TfidfTransformer(sublinear_tf=True).fit(counts).transform(counts).toarray()
    assert np.allclose(ours, theirs)


def test_ranking_puts_the_right_label_first():
    labels = ["med_info", "med_side_effects", "center_hours", "center_hours", "med_info"]
    model = build_pipeline().fit(DOCS * 3, labels * 3)
    [ranking] = rank(model, ["when are u open on saturday"])
    assert ranking[0].label == "center_hours"
    assert abs(sum(p.confidence for p in ranking) - 1.0) < 1e-6


def test_ready_for_prediction_keeps_every_probability():
    labels = ["med_info", "med_side_effects", "center_hours", "center_hours", "med_info"]
    model = build_pipeline().fit(DOCS * 3, labels * 3)
    texts = ["when are u open", "is suboxone safe", "", "methadone??"]
    before = model.predict_proba(texts)
    ready = ready_for_prediction(model)
    assert ready[-1].coef_.flags.f_contiguous  # its transpose is row-major: no copy per message
    assert np.array_equal(ready.predict_proba(texts), before)
