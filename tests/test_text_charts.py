"""Spec tests of the comment-analysis charts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxlab.charts.text import theme_sentiment_chart, theme_trend_chart
from cxlab.charts.theme import POLARITY_COLOURS
from cxlab.errors import AnalysisError
from cxlab.text import analyse_comments, theme_summary, theme_trend


@pytest.fixture()
def analysed() -> pd.DataFrame:
    return analyse_comments(
        pd.DataFrame(
            {
                "customer_id": ["a", "b", "c", "d"],
                "answered_at": pd.to_datetime(["2025-01-03", "2025-01-09", "2025-02-01", "2025-03-01"]),
                "nps": [2.0, 9.0, 4.0, 10.0],
                "comment": [
                    "Consegna in ritardo",
                    "Consegna puntuale",
                    "Fattura sbagliata",
                    "Ottimo portale",
                ],
            }
        ),
        language="it",
    )


def test_theme_sentiment_chart_spec(analysed):
    spec = theme_sentiment_chart(theme_summary(analysed, lang="it"), lang="it").to_dict()
    enc = spec["encoding"]
    assert spec["mark"]["type"] == "bar"
    assert enc["x"]["field"] == "comments" and enc["x"]["stack"] == "zero"
    # most negative comments first, ties by mean sentiment (billing: -; delivery: one - and one +)
    assert enc["y"]["sort"] == ["Fatturazione", "Consegne", "Self-service e sito web"]
    assert enc["color"]["scale"]["domain"] == ["Negativo", "Neutro", "Positivo"]
    assert enc["color"]["scale"]["range"] == [
        POLARITY_COLOURS[p] for p in ("negative", "neutral", "positive")
    ]
    rows = next(iter(spec["datasets"].values()))
    delivery = {r["polarity"]: r["comments"] for r in rows if r["label"] == "Consegne"}
    assert delivery == {"negative": 1, "neutral": 0, "positive": 1}
    assert {r["label"] for r in rows} == {
        "Consegne",
        "Fatturazione",
        "Self-service e sito web",
    }  # no empty themes


def test_theme_trend_chart_spec(analysed):
    trend = theme_trend(analysed)
    spec = theme_trend_chart(trend, metric="negative_share", themes=["delivery"], lang="en").to_dict()
    assert spec["mark"]["type"] == "line"
    assert spec["encoding"]["x"]["field"] == "period" and spec["encoding"]["x"]["type"] == "temporal"
    assert spec["encoding"]["y"]["axis"]["format"] == ".0%"
    rows = next(iter(spec["datasets"].values()))
    assert {r["label"] for r in rows} == {"Delivery"}
    assert [r["negative_share"] for r in rows] == [0.5]
    with pytest.raises(AnalysisError):
        theme_trend_chart(trend, metric="volume")
    with pytest.raises(AnalysisError):
        theme_sentiment_chart(pd.DataFrame({"theme": ["x"], "mentions": [np.int64(1)]}))
