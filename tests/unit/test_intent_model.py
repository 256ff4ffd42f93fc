import numpy as np
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

from assistant.intent_model import SublinearTfidf, build_pipeline, rank

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
