"""On the demo client the planted comment themes come out among the top negative themes."""

from __future__ import annotations

import pytest

from cxlab.intake import load_client
from cxlab.text import analyse_comments, theme_summary, theme_trend, verbatims


@pytest.fixture(scope="module")
def analysed(demo_client_dir_full):
    client = load_client(demo_client_dir_full)
    a = analyse_comments(client.survey_responses, client.config.text, client.config.language)
    return client, a


def test_demo_languages(analysed):
    _, a = analysed
    share_it = (a["language"] == "it").mean()
    assert 0.6 < share_it < 0.9  # ~75 % Italian, ~25 % English


def test_planted_themes_rank_among_top_negative(analysed):
    client, a = analysed
    s = theme_summary(a, client.survey_responses, client.config.text, client.config.indicators,
                      client.config.thresholds).set_index("theme")  # fmt: skip
    print("\n", s[["mentions", "negative", "mean_sentiment", "nps", "negative_rank", "sentiment_rank"]])
    # late delivery after address loss: the theme with most negative comments
    assert s.loc["delivery", "negative_rank"] <= 2
    # being passed between Customer Service and Credit: the most negative theme on average,
    # and within the top half by volume of negative comments
    assert s.loc["passed_around", "sentiment_rank"] <= 2
    assert s.loc["passed_around", "negative_rank"] <= 4
    assert s.loc["passed_around", "nps"] < s.loc["staff_attitude", "nps"]
    # positive themes (helpful staff) do not rank among the negative ones
    assert s.loc["staff_attitude", "negative_rank"] > 4


def test_demo_sentiment_agrees_with_nps(analysed):
    _, a = analysed
    low = a.loc[a["nps"] <= 6, "sentiment"].mean()
    high = a.loc[a["nps"] >= 9, "sentiment"].mean()
    assert low < -0.2 and high > 0.4


def test_demo_verbatims_and_trend(analysed):
    _, a = analysed
    v = verbatims(a, "delivery", n=5)
    assert len(v) == 5 and (v["polarity"] == "negative").all()
    ultra = v["ultra_detractor"].to_numpy()
    assert ultra[0] and (ultra[:-1] >= ultra[1:]).all()  # ultra-detractors first
    t = theme_trend(a)
    assert t["period"].nunique() >= 6 and (t["mentions"] > 0).all()
