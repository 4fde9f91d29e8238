"""Words from numbers for the value segments (issue 19): each sentence that states a fact about the
client's customers is computed from them, and absent on a client where the fact does not hold."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from cxlab.findings import Findings, _dilemma_facts
from cxlab.recommend import evaluate
from cxlab.recommend.playbook import BUILTIN_RULES

RULES = {r.id: r for r in BUILTIN_RULES}
AS_OF = dt.date(2026, 10, 31)


def _table(prob_alive: list[float], value: list[float], future: list[float]) -> pd.DataFrame:
    n = len(prob_alive)
    return pd.DataFrame(
        {
            "customer_id": [f"d{i}" for i in range(n)] + ["m"],
            "segment": ["dilemma"] * n + ["maintain"],
            "value": [*value, 10.0],
            "future_value": [*future, 1.0],
            "prob_alive": [*prob_alive, np.nan],
        }
    )


def _facts(table: pd.DataFrame) -> dict:
    out: dict = {}
    _dilemma_facts(table, table["segment"] == "dilemma", out)
    return out


def test_active_dilemma_customers_are_not_called_silent() -> None:
    # the client: median probability active 0.999
    table = _table([0.999, 0.998, 0.999, 0.97, 0.999, 0.999], [900.0] * 6, [300.0] * 6)
    facts = _facts(table)
    assert facts["segments.dilemma_prob_alive"] == pytest.approx(0.999)
    assert facts["segments.dilemma_silent_share"] == 0.0
    assert facts["segments.dilemma_future_ratio"] == pytest.approx(1800.0 / 5400.0)
    findings = Findings({**facts, "segments.dilemma_customers": 6, "segments.dilemma_value_share": 0.3})
    recs = {
        r.id: r
        for r in evaluate(
            findings, [RULES["segment_dilemma_decision"], RULES["segment_dilemma_winback"]], as_of=AS_OF
        )
    }
    assert set(recs) == {"segment_dilemma_decision"}
    sentence = recs["segment_dilemma_decision"].evidence.get("en")
    assert "silent" not in sentence and "stopped" not in sentence
    assert findings.format("segments.dilemma_future_ratio", "en") in sentence


def test_silent_dilemma_customers_are_named_with_their_share() -> None:
    table = _table([0.1, 0.2, 0.3, 0.9, 0.05], [500.0] * 5, [50.0] * 5)
    facts = _facts(table)
    assert facts["segments.dilemma_silent_share"] == pytest.approx(4 / 5)
    assert facts["segments.dilemma_prob_alive"] == pytest.approx(0.2)
    findings = Findings({**facts, "segments.dilemma_customers": 5, "segments.dilemma_value_share": 0.4})
    recs = {r.id: r for r in evaluate(findings, [RULES["segment_dilemma_winback"]], as_of=AS_OF)}
    assert "80" in recs["segment_dilemma_winback"].evidence.get("en")


def test_dilemma_customers_predicted_to_grow_get_no_dilemma_sentence() -> None:
    table = _table([0.9] * 5, [100.0] * 5, [250.0] * 5)
    facts = _facts(table)
    assert facts["segments.dilemma_future_ratio"] == pytest.approx(2.5)
    findings = Findings({**facts, "segments.dilemma_customers": 5, "segments.dilemma_value_share": 0.4})
    assert evaluate(findings, [RULES["segment_dilemma_decision"]], as_of=AS_OF) == []


def test_trend_only_dilemma_customers_state_no_probability() -> None:
    # no model customer among them: no probability active, so no sentence about silence at all
    facts = _facts(_table([np.nan] * 5, [100.0] * 5, [20.0] * 5))
    assert "segments.dilemma_prob_alive" not in facts and "segments.dilemma_silent_share" not in facts


def test_one_premium_customer_reads_in_the_singular() -> None:
    findings = Findings(
        {"segments.premium_customers": 1, "segments.premium_share": 0.01, "segments.premium_value_share": 0.4}
    )
    (rec,) = evaluate(findings, [RULES["segment_premium_service"]], as_of=AS_OF)
    for lang in ("en", "it"):
        text = rec.evidence.get(lang)
        assert "1 premium customers" not in text and "1 clienti" not in text
    # ngettext: the singular form for one, the plural for more, in both languages
    assert rec.evidence.get("en").startswith("1 premium customer (") and " brings " in rec.evidence.get("en")
    assert rec.evidence.get("it").startswith("1 cliente premium (") and " rappresenta " in rec.evidence.get(
        "it"
    )
    many = Findings(
        {"segments.premium_customers": 3, "segments.premium_share": 0.03, "segments.premium_value_share": 0.4}
    )
    (rec,) = evaluate(many, [RULES["segment_premium_service"]], as_of=AS_OF)
    assert rec.evidence.get("en").startswith("3 premium customers (") and " bring " in rec.evidence.get("en")
    assert rec.evidence.get("it").startswith("3 clienti premium (") and " rappresentano " in rec.evidence.get(
        "it"
    )
