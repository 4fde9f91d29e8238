"""Unit tests of cxlab.text: language, sentiment rules (hand-computed scores), themes, per-theme views."""

from __future__ import annotations

import math
import socket

import numpy as np
import pandas as pd
import pytest

from cxlab.config import TextSettings, config_from_dict
from cxlab.errors import ConfigError, MissingColumnError
from cxlab.text import (
    _resources,
    analyse_comments,
    detect_language,
    detect_themes,
    sentiment,
    taxonomy,
    theme_summary,
    theme_trend,
    verbatims,
)


def _score(text: str, lang: str) -> float:
    return float(sentiment(pd.Series([text]), lang)["sentiment"].iloc[0])


def _norm(s: float) -> float:
    return s / math.sqrt(s * s + 4)


# ---------------------------------------------------------------- language


def test_language_detection_it_en_other_and_default():
    texts = pd.Series(
        [
            "La consegna è arrivata in ritardo e nessuno ci ha avvisato.",
            "The delivery was late and nobody told us.",
            "Die Lieferung ist nicht angekommen und wir sind sehr unzufrieden.",
            "La livraison est arrivée en retard, nous ne sommes pas contents.",
            "10/10",
            "",
        ]
    )
    got = detect_language(texts, default="it").astype(object).tolist()
    assert got == ["it", "en", "other", "other", "it", "it"]
    assert detect_language(pd.Series(["ok"])).iloc[0] == "other"


# ---------------------------------------------------------------- sentiment rules (hand-computed)


def test_single_word_and_normalisation():
    assert _score("Ottimo.", "it") == pytest.approx(_norm(2.5))
    assert _score("Excellent.", "en") == pytest.approx(_norm(2.8))


def test_negation_flips_positive_strongly_and_negative_mildly():
    assert _score("Non ottimo.", "it") == pytest.approx(_norm(2.5 * -0.9))
    assert _score("Not bad.", "en") == pytest.approx(_norm(-1.8 * -0.6))
    # negative concord: "non ... mai" is one negation
    assert _score("Non sono mai puntuali.", "it") == pytest.approx(_norm(-1.8))
    # negation does not cross a clause boundary (the bare "non lo so" is a mild -0.6 of its own)
    assert _score("Non lo so, ottimo.", "it") == pytest.approx(_norm(2.5 - 0.6))
    # outside the window (more than 4 tokens after the negator) no flip
    assert _score("Non capisco il perché del vostro ottimo lavoro", "it") > 0


def test_expectation_words_have_their_own_negated_valence():
    assert _score("Rimborso mai ricevuto.", "it") == pytest.approx(_norm(-1.5))
    assert _score("Nobody called me back.", "en") == pytest.approx(_norm(-1.8))
    assert _score("They called me back.", "en") == pytest.approx(_norm(1.0))


def test_intensifiers_diminishers_and_poco():
    assert _score("Molto gentile.", "it") == pytest.approx(_norm(1.8 * 1.5))
    assert _score("Very polite.", "en") == pytest.approx(_norm(1.8 * 1.5))
    assert _score("Abbastanza soddisfatto.", "it") == pytest.approx(_norm(1.8 * 0.7))
    assert _score("Poco chiaro.", "it") == pytest.approx(_norm(1.0 * -0.6))
    assert _score("Slightly slow.", "en") == pytest.approx(_norm(-1.5 * 0.5))


def test_contrast_weights_the_clause_after():
    assert _score("Buono ma lento.", "it") == pytest.approx(_norm(1.5 * 0.5 - 1.5 * 1.5))
    assert _score("Slow but good.", "en") == pytest.approx(_norm(-1.5 * 0.5 + 1.5 * 1.5))
    # concessive clause weighs half, the main clause stays
    assert _score("Not bad, although slow.", "en") == pytest.approx(_norm(1.08 - 1.5 * 0.5))


def test_italian_stemming_and_superlatives():
    base = _norm(1.8)
    for word in ("gentile", "gentili", "gentilmente"):
        assert _score(word, "it") == pytest.approx(base)
    assert _score("gentilissimo", "it") == pytest.approx(_norm(1.8 * 1.4))
    for word in ("ritardo", "ritardi", "ritardato"):
        assert _score(word, "it") == pytest.approx(_norm(-1.8))


def test_phrases_override_their_words():
    # "nessun problema": the negator and "problema" are one positive phrase, not negated again
    assert _score("Nessun problema.", "it") == pytest.approx(_norm(2.0))
    assert _score("Non c'è nessun problema.", "it") == pytest.approx(_norm(2.0))
    assert _score("Mi hanno passato da un ufficio all'altro.", "it") < -0.5


def test_polarity_labels_language_and_missing():
    texts = pd.Series(
        ["Servizio pessimo", "Great service", "Ordine 4521", "", None, "Sehr schlecht und nicht gut"]
    )
    out = sentiment(texts, None, default_language="it")
    # an order number carries no sentiment word: "no signal", not neutral, and no score
    assert out["polarity"].astype(object).tolist()[:3] == ["negative", "positive", "no_signal"]
    assert np.isnan(out["sentiment"].iloc[2]) and out["sentiment_words"].iloc[2] == 0
    assert out["polarity"].isna().tolist() == [False, False, False, True, True, True]
    assert np.isnan(out["sentiment"].iloc[3]) and np.isnan(out["sentiment"].iloc[5])
    assert out["language"].astype(object).tolist()[5] == "other"
    assert out.index.equals(texts.index)
    assert ((out["sentiment"].dropna() >= -1) & (out["sentiment"].dropna() <= 1)).all()


# ---------------------------------------------------------------- themes


def test_default_themes_several_per_comment():
    texts = pd.Series(
        [
            "Fattura sbagliata e consegna in ritardo",
            "I was bounced between Customer Service and Credit for days",
            "Il portale non funziona",
            "Prezzi in linea",
            "Tutto bene, grazie",
        ]
    )
    m = detect_themes(texts)
    assert set(m.columns) == {
        "delivery", "billing", "price_value", "product_quality", "staff_attitude", "customer_service",
        "waiting_time", "passed_around", "self_service", "returns_refunds",
    }  # fmt: skip
    assert set(m.columns[m.iloc[0]]) == {"billing", "delivery"}
    assert m.loc[1, "passed_around"]
    assert set(m.columns[m.iloc[2]]) == {"self_service"}
    assert set(m.columns[m.iloc[3]]) == {"price_value"}
    assert not m.iloc[4].any()


def test_client_themes_extend_or_replace_the_taxonomy():
    cfg = config_from_dict(
        {"name": "x", "text": {"themes": {"pricing": ["prezz", "price"], "delivery": ["PALLET"]}}}
    )
    tax = taxonomy(cfg.text)
    assert "pricing" in tax and "PALLET" in tax["delivery"].patterns and "billing" in tax
    m = detect_themes(pd.Series(["Prezzi alti", "Pallet rotto"]), cfg.text)
    assert m.loc[0, "pricing"] and m.loc[1, "delivery"]
    only = TextSettings(themes={"pricing": ["prezz"]}, replace_themes=True)
    assert list(taxonomy(only)) == ["pricing"]
    with pytest.raises(ConfigError, match="text.themes.pricing"):
        taxonomy(TextSettings(themes={"pricing": ["prezz("]}))
    with pytest.raises(ConfigError):
        taxonomy(TextSettings(themes={"pricing": "prezz"}))  # type: ignore[dict-item]


# ---------------------------------------------------------------- per-theme views


@pytest.fixture()
def responses() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "response_id": ["r1", "r2", "r3", "r4", "r5", "r6"],
            "customer_id": ["c1", "c2", "c3", "c1", "c4", "c5"],
            "answered_at": pd.to_datetime(
                ["2025-01-10", "2025-01-20", "2025-02-05", "2025-02-06", "2025-02-07", "2025-02-08"]
            ),
            "nps": [10.0, 0.0, 8.0, 5.0, np.nan, 9.0],
            "comment": [
                "Consegna puntuale, grazie",
                "Consegna in ritardo <di nuovo> & nessuno mi ha richiamato",
                "Consegna in ritardo",
                None,
                "ok!",
                "Fattura corretta",
            ],
        }
    )


def test_analyse_comments(responses):
    a = analyse_comments(responses, TextSettings(), language="it")
    assert list(a.index) == [0, 1, 2, 4, 5]  # blank comment dropped, "ok!" kept (3 chars)
    assert a.loc[1, "themes"] == "delivery;waiting_time"
    assert a.loc[4, "themes"] == "" and a.loc[4, "language"] == "it"
    assert a.loc[0, "polarity"] == "positive" and a.loc[1, "polarity"] == "negative"
    short = analyse_comments(responses, TextSettings(min_comment_chars=4), language="it")
    assert 4 not in short.index
    with pytest.raises(MissingColumnError):
        analyse_comments(responses.drop(columns="comment"))


def test_theme_summary_hand_computed(responses):
    a = analyse_comments(responses, language="it")
    s = theme_summary(a).set_index("theme")
    d = s.loc["delivery"]
    # delivery: r1 (10, positive), r2 (0, negative), r3 (8, negative) -> NPS (1 - 1) / 3 = 0
    assert (d["mentions"], d["negative"], d["positive"], d["nps_n"]) == (3, 2, 1, 3)
    assert d["nps"] == pytest.approx(0.0)
    assert d["ultra_detractors"] == 1 and d["customers"] == 3
    assert d["share"] == pytest.approx(3 / 5)
    assert d["mean_sentiment"] == pytest.approx(a.loc[[0, 1, 2], "sentiment"].mean())
    assert s.loc["returns_refunds", "mentions"] == 0 and np.isnan(s.loc["returns_refunds", "nps"])
    assert s["negative_rank"].loc["delivery"] == 1
    # with the responses frame: all responses of customers who mention it (c1 also gave 5)
    s2 = theme_summary(a, responses).set_index("theme")
    assert s2.loc["delivery", "nps_n"] == 4
    assert s2.loc["delivery", "nps"] == pytest.approx((1 - 2) / 4 * 100)
    assert list(theme_summary(a, lang="it")["label"])[0] == "Consegne"


def test_theme_trend(responses):
    a = analyse_comments(responses, language="it")
    t = theme_trend(a)
    jan = t[(t["period"] == pd.Timestamp("2025-01-01")) & (t["theme"] == "delivery")].iloc[0]
    assert (jan["mentions"], jan["comments"], jan["nps_n"]) == (2, 2, 2)
    assert jan["nps"] == pytest.approx(0.0) and jan["share"] == pytest.approx(1.0)
    feb = t[(t["period"] == pd.Timestamp("2025-02-01")) & (t["theme"] == "delivery")].iloc[0]
    assert feb["comments"] == 3 and feb["negative_share"] == pytest.approx(1.0)


def test_verbatims_ultra_detractors_first_and_escaping(responses):
    a = analyse_comments(responses, language="it")
    v = verbatims(a, "delivery", n=5)
    assert list(v["response_id"]) == ["r2", "r3"]  # ultra-detractor (NPS 0) first, only negatives
    assert bool(v["ultra_detractor"].iloc[0])
    assert "<di nuovo>" in v["comment"].iloc[0]  # raw text
    pos = verbatims(a, polarity="positive")
    assert set(pos["theme"]) == {"delivery", "billing"}
    assert (
        len(verbatims(a, n=1, polarity=None))
        == a["themes"].str.split(";").explode().replace("", np.nan).nunique()
    )


def test_no_network_access(monkeypatch, responses):
    """The whole analysis runs with sockets disabled (data files come from the package)."""

    def refuse(*args, **kwargs):
        raise OSError("network access attempted")

    for fn in (_resources.lexicon, _resources.modifiers, _resources.default_taxonomy):
        fn.cache_clear()  # make the test read the shipped data files with sockets off
    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    from cxlab.charts.text import theme_sentiment_chart, theme_trend_chart

    a = analyse_comments(responses, language="it")
    s = theme_summary(a, responses)
    theme_sentiment_chart(s).to_dict()
    theme_trend_chart(theme_trend(a)).to_dict()
    assert len(verbatims(a)) > 0
    with pytest.raises(OSError):
        socket.socket()
