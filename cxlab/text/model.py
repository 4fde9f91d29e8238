"""The per-client comment model: trained on the consultant's own labels, blended with the lexicon.

A TF-IDF representation of the comment (word 1–2-grams and character 3–5-grams inside words, which cope
with inflections and typos) plus the lexicon's score as one more feature feed a logistic regression
(scikit-learn). The regression learns how far to trust the lexicon for this client's language and
vocabulary: with few labels it leans on the lexicon, with more on the words of the client's comments.
With no labels there is no model and the lexicon runs alone, exactly as without this module.

train_model(texts, labels, lexicon_scores)      -> CommentModel | None
model_scores(model, texts, lexicon_scores)      -> sentiment in [-1, 1] per comment
apply_model(analysed, model, neutral_band)      -> analysed comments with the blended sentiment
apply_theme_labels(analysed, labels)            -> labelled comments take the consultant's themes
least_sure(analysed, labelled=None, n=20)       -> the comments to label next (active learning)
learning_curve(texts, labels, language, sizes)  -> AUC by number of labels (benchmarks/text.py)

Pure functions: frames and arrays in, arrays and frames out (reading and writing the labels file is
:mod:`cxlab.intake.comment_labels`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .sentiment import polarity, sentiment

#: fewer labels than this (or a single class) train no model: the lexicon runs alone
MIN_LABELS = 10
#: scale of the lexicon-score feature beside the TF-IDF features (whose rows have unit norm)
LEXICON_FEATURE_SCALE = 3.0
#: inverse regularisation strength of the logistic regression
C = 10.0
LABEL_VALUES = ("negative", "positive")


@dataclass(frozen=True)
class CommentModel:
    """A trained per-client model: ``n_labels`` labelled comments, ``n_positive`` of them positive."""

    vectoriser: Any
    classifier: Any
    n_labels: int
    n_positive: int
    n_negative: int

    @property
    def name(self) -> str:
        return "tfidf-logistic+lexicon"


def _features(model_vectoriser: Any, texts: pd.Series, lexicon_scores: np.ndarray, fit: bool = False) -> Any:
    from scipy import sparse

    text = texts.astype(object).fillna("").astype(str)
    x = model_vectoriser.fit_transform(text) if fit else model_vectoriser.transform(text)
    lex = np.nan_to_num(np.asarray(lexicon_scores, dtype=float), nan=0.0)[:, None] * LEXICON_FEATURE_SCALE
    return sparse.hstack([x, sparse.csr_matrix(lex)]).tocsr()


def _new_vectoriser() -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_union

    return make_union(
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True),
    )


def train_model(
    texts: pd.Series, labels: pd.Series, lexicon_scores: np.ndarray | pd.Series
) -> CommentModel | None:
    """Train on comments labelled "positive" or "negative" (other labels, such as "neutral" or blank, are
    left out); None with fewer than ``MIN_LABELS`` such labels or only one of the two."""
    from sklearn.linear_model import LogisticRegression

    lab = labels.astype(object).to_numpy()
    keep = np.isin(lab, LABEL_VALUES)
    y = (lab[keep] == "positive").astype(int)
    if keep.sum() < MIN_LABELS or y.min(initial=1) == y.max(initial=0):
        return None
    vectoriser = _new_vectoriser()
    x = _features(vectoriser, texts[keep], np.asarray(lexicon_scores, dtype=float)[keep], fit=True)
    classifier = LogisticRegression(C=C, max_iter=1000).fit(x, y)
    return CommentModel(vectoriser, classifier, int(keep.sum()), int(y.sum()), int(len(y) - y.sum()))


def model_scores(model: CommentModel, texts: pd.Series, lexicon_scores: np.ndarray | pd.Series) -> np.ndarray:
    """Blended sentiment in [-1, 1]: 2 × P(positive) − 1 of the model (which includes the lexicon score)."""
    if len(texts) == 0:
        return np.zeros(0)
    x = _features(model.vectoriser, texts, np.asarray(lexicon_scores, dtype=float))
    return 2.0 * model.classifier.predict_proba(x)[:, 1] - 1.0


def apply_model(
    analysed: pd.DataFrame, model: CommentModel | None, neutral_band: float = 0.15
) -> pd.DataFrame:
    """The analysed comments with ``sentiment`` and ``polarity`` from the blended model; the lexicon's own
    score is kept in ``sentiment_lexicon``. Comments in another language keep no score. Without a model
    the frame is returned unchanged."""
    if model is None or analysed.empty:
        return analysed
    out = analysed.copy()
    out["sentiment_lexicon"] = analysed["sentiment"]
    scorable = analysed["language"].astype(object).isin(["it", "en"]).to_numpy()
    scores = np.full(len(out), np.nan)
    scores[scorable] = model_scores(
        model, analysed["comment"][scorable], analysed["sentiment"].to_numpy(dtype=float)[scorable]
    )
    out["sentiment"] = scores
    out["polarity"] = polarity(scores, neutral_band)
    return out


def apply_theme_labels(analysed: pd.DataFrame, labels: pd.DataFrame | None) -> pd.DataFrame:
    """The analysed comments where each comment the consultant gave themes to (a non-blank ``themes``
    cell of the labels) carries those themes instead of the taxonomy's; the taxonomy's are kept in
    ``themes_rules``. A blank cell means the themes were not judged: the taxonomy's stay. Theme keys
    are cleaned (stripped, de-duplicated, joined by ";"); keys outside the taxonomy are ignored later
    by the theme summary. Without any judged themes the frame is returned unchanged."""
    if labels is None or analysed.empty or "themes" not in labels.columns or "themes" not in analysed:
        return analysed
    cells = labels["themes"].fillna("").astype(str)
    keys = [list(dict.fromkeys(k.strip() for k in cell.split(";") if k.strip())) for cell in cells]
    judged = {str(c): ";".join(k) for c, k in zip(labels["comment"], keys, strict=True) if k}
    if not judged:
        return analysed
    given = analysed["comment"].astype(str).map(judged)
    hit = given.notna().to_numpy()
    if not hit.any():
        return analysed
    out = analysed.copy()
    out["themes_rules"] = analysed["themes"]
    out.loc[hit, "themes"] = given[hit]
    return out


def least_sure(analysed: pd.DataFrame, labelled: pd.Series | None = None, n: int = 20) -> pd.DataFrame:
    """The ``n`` comments the current scoring is least sure of, not yet labelled: no-signal comments
    first, then by |sentiment| (closest to 0 first), longer comments first on ties. ``labelled`` holds the
    comments (texts) already labelled."""
    if analysed.empty:
        return analysed
    done = set(labelled.astype(str)) if labelled is not None else set()
    todo = analysed[~analysed["comment"].astype(str).isin(done)]
    sure = todo["sentiment"].abs().fillna(-1.0)
    order = pd.DataFrame({"sure": sure, "len": -todo["comment"].astype(str).str.len()}, index=todo.index)
    return todo.loc[order.sort_values(["sure", "len"], kind="stable").index].head(n)


def _auc(y: np.ndarray, score: np.ndarray) -> float:
    ranks = pd.Series(score).rank().to_numpy()
    n1 = int(y.sum())
    n0 = len(y) - n1
    return float((ranks[y == 1].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def learning_curve(
    texts: pd.Series,
    labels: pd.Series,
    language: str | None = None,
    sizes: tuple[int, ...] = (50, 100, 200, 500),
    draws: int = 5,
    seed: int = 0,
) -> pd.DataFrame:
    """AUC of the lexicon alone, of a TF-IDF model without the lexicon and of the blended model, by number
    of training labels: for each size, ``draws`` random training sets (seeded), each tested on all the
    comments not drawn; means over the draws. ``labels`` are "positive" / "negative"."""
    from sklearn.linear_model import LogisticRegression

    texts = texts.reset_index(drop=True)
    y = (labels.astype(object).to_numpy() == "positive").astype(int)
    lex = sentiment(texts, language, default_language=language or "other")["sentiment"].fillna(0.0).to_numpy()
    rng = np.random.default_rng(seed)
    rows = []
    for size in sizes:
        if size >= len(texts):
            continue
        aucs = []
        for _ in range(draws):
            idx = rng.permutation(len(texts))
            train, test = idx[:size], idx[size:]
            if y[train].min() == y[train].max():
                continue
            blend = train_model(texts[train], labels.iloc[train].reset_index(drop=True), lex[train])
            assert blend is not None
            vec = _new_vectoriser()
            plain = LogisticRegression(C=C, max_iter=1000).fit(vec.fit_transform(texts[train]), y[train])
            aucs.append(
                (
                    _auc(y[test], lex[test]),
                    _auc(y[test], plain.decision_function(vec.transform(texts[test]))),
                    _auc(y[test], model_scores(blend, texts[test], lex[test])),
                )
            )
        if aucs:
            mean = np.mean(aucs, axis=0)
            rows.append({"labels": size, "auc_lexicon": mean[0], "auc_model": mean[1], "auc_blend": mean[2]})
    return pd.DataFrame(rows, columns=["labels", "auc_lexicon", "auc_model", "auc_blend"])
