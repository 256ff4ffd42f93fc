"""The intent classifier: TF-IDF word and character n-grams + logistic regression.

Measured on the held-out set (tests/nlu/heldout.yml) it beat DIET +
ResponseSelector clearly (accuracy 0.945 vs 0.886 with the same data) and
trains in seconds instead of minutes on 2 cores. One flat model predicts full
labels, retrieval keys included ("program/relapse"), so there is no second
stage to get wrong. Plain sklearn: testable without Rasa.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline, make_union
from sklearn.preprocessing import normalize


@dataclass(frozen=True)
class Prediction:
    label: str
    confidence: float


class SublinearTfidf(TransformerMixin, BaseEstimator):
    """TF-IDF weighting (1 + log tf, smooth idf, L2 rows), as sklearn's TfidfTransformer computes it.

    sklearn 1.1 multiplies by a sparse diagonal matrix that scipy converts on
    every call: with ~100k character n-grams that was 4 ms of a 10 ms parse.
    Multiplying by the idf row vector gives the same numbers without it.
    """

    def fit(self, counts, y=None):
        documents = counts.shape[0]
        document_frequency = np.bincount(counts.indices, minlength=counts.shape[1])
        self.idf_ = np.log((1 + documents) / (1 + document_frequency)) + 1.0
        return self

    def transform(self, counts):
        weighted = sparse.csr_matrix(counts, dtype=np.float64, copy=True)
        weighted.data = 1.0 + np.log(weighted.data)
        weighted.data *= self.idf_[weighted.indices]
        return normalize(weighted)


def build_pipeline(c: float = 20.0, seed: int = 7):
    features = make_union(
        make_pipeline(CountVectorizer(ngram_range=(1, 2), lowercase=True), SublinearTfidf()),
        # Characters within words catch typos and shorthand (suboxen, withdrawl, u, ur).
        make_pipeline(CountVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, lowercase=True), SublinearTfidf()),
    )
    return make_pipeline(features, LogisticRegression(C=c, max_iter=3000, random_state=seed))


def ready_for_prediction(pipeline):
    """The same model, with its coefficients stored column-major.

    LogisticRegression scores a message as features @ coef_.T; scipy copies a
    transposed row-major coef_ (classes x ~100k n-grams) into row-major order
    on every call (4 ms a message, measured). Column-major, the transpose
    needs no copy. The numbers are unchanged.
    """
    classifier = pipeline[-1]
    classifier.coef_ = np.asfortranarray(classifier.coef_)
    return pipeline


def rank(pipeline, texts: list[str], top: int = 10) -> list[list[Prediction]]:
    """For each text, the labels ordered by probability (at most `top`)."""
    probabilities = pipeline.predict_proba([t or "" for t in texts])
    classes = pipeline.classes_
    ranked = []
    for row in probabilities:
        order = np.argsort(-row)[:top]
        ranked.append([Prediction(str(classes[i]), float(row[i])) for i in order])
    return ranked
