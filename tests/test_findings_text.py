"""Comment-analysis findings (``text.*``): hand-computed on a tiny survey, formatted by theme label."""

from __future__ import annotations

import pandas as pd
import pytest

from cxlab.config import ClientConfig, Thresholds
from cxlab.diagnosis import Diagnosis
from cxlab.findings import Findings, collect_findings
from cxlab.intake import Client, DataQuality
from cxlab.recommend import evaluate
from cxlab.recommend.playbook import BUILTIN_RULES

RULES = {r.id: r for r in BUILTIN_RULES}


def _client(small_n: int = 1, comments: bool = True) -> Client:
    rows = [
        ("r1", "A", 0, "The delivery was late again, terrible service."),
        ("r2", "B", 2, "Delivery arrived late and damaged, awful."),
        ("r3", "C", 3, "The invoice was wrong, very disappointing."),
        ("r4", "D", 9, "Great products, excellent and helpful staff."),
        ("r5", "E", 10, "Excellent, the delivery is always on time."),
        ("r6", "F", 8, None),
    ]
    frame = pd.DataFrame(rows, columns=["response_id", "customer_id", "nps", "comment"])
    frame["nps"] = frame["nps"].astype("float64")
    frame["answered_at"] = pd.Timestamp("2026-10-01")
    frame["survey"] = pd.Categorical(["hot"] * len(frame))
    if not comments:
        frame = frame.drop(columns="comment")
    config = ClientConfig(name="tiny", language="en", thresholds=Thresholds(small_n=small_n))
    return Client(config=config, tables={"survey_responses": frame}, quality=DataQuality())


def test_text_facts_hand_computed():
    f = collect_findings(Diagnosis(_client()), analyses=["text"])
    assert "text" not in f.skipped
    assert f["text.comments"] == 5
    assert f["text.negative_share"] == pytest.approx(3 / 5)
    assert f["text.ultra_detractor_comments"] == 1  # r1, NPS 0
    # delivery: in 2 of the 3 negative comments; its mentioners A, B, E answered 0, 2, 10
    assert f["text.top_negative_theme"] == "delivery"
    assert f["text.top_negative_theme_share"] == pytest.approx(2 / 3)
    assert f["text.top_negative_theme_nps"] == pytest.approx(100 * (1 - 2) / 3)
    # all six answers: promoters 9, 10; detractors 0, 2, 3
    assert f["text.nps_all"] == pytest.approx(100 * (2 - 3) / 6)
    assert f["text.top_negative_theme_nps_gap"] == pytest.approx(100 * (1 - 2) / 3 - 100 * (2 - 3) / 6)
    # the billing complainer (NPS 3) is the theme with the lowest NPS
    assert f["text.worst_nps_theme"] == "billing"
    assert f["text.worst_nps_theme_nps"] == pytest.approx(-100.0)
    assert f["text.worst_nps_theme_customers"] == 1


def test_small_theme_groups_are_not_the_worst_theme():
    f = collect_findings(Diagnosis(_client(small_n=30)), analyses=["text"])
    assert "text.top_negative_theme" in f
    assert not any(k.startswith("text.worst_nps_theme") for k in f)


def test_no_comments_means_skipped():
    f = collect_findings(Diagnosis(_client(comments=False)), analyses=["text"])
    assert not any(k.startswith("text.") for k in f)
    assert "comment" in f.skipped["text"]


def test_theme_is_printed_by_its_label():
    f = collect_findings(Diagnosis(_client()), analyses=["text"])
    assert f.format("text.top_negative_theme", "en") == "Delivery"
    assert f.format("text.top_negative_theme", "it") == "Consegne"
    assert f.format("text.worst_nps_theme_nps", "en") == "−100.0"
    (rec,) = evaluate(f, [RULES["comment_theme_action"]])
    assert "'Delivery'" in rec.evidence.en and "«Consegne»" in rec.evidence.it
    assert "67%" in rec.evidence.en and "60%" in rec.evidence.it


def test_custom_theme_key_falls_back_to_its_name():
    f = Findings({"text.top_negative_theme": "site_access"})
    assert f.format("text.top_negative_theme", "it") == "site access"
