"""Chart specs of the survey indicators, tested as dicts (title, encodings, interval layer)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxlab import indicators as ind
from cxlab.charts import indicators as ch
from cxlab.errors import CxlabError


def marks(spec: dict) -> list[str]:
    return [m["mark"]["type"] if isinstance(m["mark"], dict) else m["mark"] for m in spec["layer"]]


def data_of(spec: dict, layer: int) -> list[dict]:
    return spec["datasets"][spec["layer"][layer]["data"]["name"]]


@pytest.fixture(scope="module")
def responses() -> pd.DataFrame:
    rng = np.random.default_rng(1)
    n = 400
    survey = np.where(np.arange(n) < 200, "hot", "cold")
    return pd.DataFrame(
        {
            "response_id": [f"R{i}" for i in range(n)],
            "customer_id": [f"C{i % 150}" for i in range(n)],
            "answered_at": pd.Timestamp("2026-01-01") + pd.to_timedelta(rng.integers(0, 300, n), unit="D"),
            "survey": pd.Categorical(survey),
            "wave": np.where(survey == "cold", np.where(np.arange(n) < 300, "W1", "W2"), np.array(None)),
            "touchpoint": pd.Categorical(
                np.where(survey == "hot", rng.choice(["delivery", "service"], n), "rel")
            ),
            "industry": pd.Categorical(rng.choice(["Construction", "Retail"], n)),
            "nps": rng.integers(0, 11, n).astype(float),
            "csat": rng.integers(1, 6, n).astype(float),
            "ces": rng.integers(1, 8, n).astype(float),
            "cxi_ease": rng.integers(1, 6, n).astype(float),
            "cxi_enjoy": rng.integers(1, 6, n).astype(float),
            "cxi_needs": rng.integers(1, 6, n).astype(float),
        }
    )


def test_indicator_chart_has_interval_layer(responses):
    spec = ch.indicator_chart(ind.nps(responses, by="touchpoint"), lang="it").to_dict()
    assert marks(spec) == ["rule", "bar", "rule", "text"]  # zero line, bars, interval, n labels
    assert spec["title"] == "NPS per gruppo"
    interval = spec["layer"][2]["encoding"]
    assert interval["x"]["field"] == "low" and interval["x2"]["field"] == "high"
    assert spec["layer"][1]["encoding"]["x"]["field"] == "score"
    assert {d["group"] for d in data_of(spec, 1)} == {"Consegna", "service", "rel"}  # cxlab's code translated
    csat = ch.indicator_chart(ind.csat(responses), lang="en").to_dict()
    assert marks(csat) == ["bar", "rule", "text"]  # a share: no zero line
    assert csat["title"] == "CSAT" and csat["layer"][0]["encoding"]["x"]["axis"]["format"] == ".0%"
    with pytest.raises(CxlabError):
        ch.indicator_chart(ind.indicator_table(responses))  # several indicators: pick one
    assert ch.indicator_chart(ind.indicator_table(responses), indicator="cxi").to_dict()["title"] == (
        "CXi-style index"
    )


def test_barometer_chart_shows_the_interval(responses):
    table = ind.barometer(responses, by="industry")
    spec = ch.barometer_chart(table, "nps", lang="en").to_dict()
    assert marks(spec) == ["rule", "rule", "point"]
    interval = spec["layer"][1]["encoding"]
    assert interval["x"]["field"] == "low" and interval["x2"]["field"] == "high"
    assert spec["layer"][2]["encoding"]["x"]["field"] == "change"
    assert spec["layer"][2]["encoding"]["color"]["field"] == "significance"
    assert spec["title"] == "NPS: change between barometer waves"
    it = ch.barometer_chart(table, "csat", lang="it").to_dict()
    assert it["title"] == "CSAT: variazione tra ondate"
    assert it["layer"][2]["encoding"]["color"]["scale"]["domain"][0] == "Calo significativo"


def test_hot_cold_chart(responses):
    spec = ch.hot_cold_chart(ind.hot_vs_cold(responses, by="industry"), "nps", lang="it").to_dict()
    assert marks(spec) == ["rule", "bar", "rule"]
    bars = spec["layer"][1]["encoding"]
    assert bars["yOffset"]["field"] == "survey_label" and bars["y"]["field"] == "group"
    assert bars["color"]["scale"]["domain"] == ["Caldo (transazionale)", "Freddo (relazionale)"]
    assert spec["layer"][2]["encoding"]["x2"]["field"] == "high"
    assert spec["title"] == "NPS: sondaggi caldi e freddi"


def test_hot_trend_chart(responses):
    spec = ch.hot_trend_chart(ind.hot_trend(responses, freq="M")).to_dict()
    assert marks(spec) == ["area", "line", "point", "text"]  # band, line, points, n beside each point
    assert "datum.small" in str(spec["layer"][2]["encoding"]["fillOpacity"])  # below small_n: hollow
    assert spec["layer"][3]["encoding"]["text"]["field"] == "n"
    band = spec["layer"][0]["encoding"]
    assert band["y"]["field"] == "low" and band["y2"]["field"] == "high"
    assert spec["layer"][1]["encoding"]["x"] == {"field": "period", "type": "temporal", "title": "Period"}
    assert spec["title"] == "NPS of hot surveys over time"


def test_response_rate_chart_draws_the_band():
    inv = pd.DataFrame(
        {
            "invitation_id": [f"I{i}" for i in range(40)],
            "customer_id": [f"C{i}" for i in range(40)],
            "sent_at": pd.Timestamp("2026-01-01"),
            "survey": pd.Categorical(["cold"] * 20 + ["hot"] * 20),
            "responded_at": [pd.Timestamp("2026-01-02") if i % 4 == 0 else pd.NaT for i in range(40)],
        }
    )
    spec = ch.response_rate_chart(ind.response_rate(inv), lang="it").to_dict()
    assert marks(spec) == ["rect", "bar", "rule", "rule"]
    band = data_of(spec, 0)[0]
    assert (band["band_low"], band["band_high"]) == (0.15, 0.25)
    assert spec["layer"][2]["encoding"]["x"]["field"] == "low"
    assert spec["title"] == "Tasso di risposta"


def test_pressure_chart_title_follows_the_trend_test():
    rows = [(f"K{i}", 0, i % 3 == 0) for i in range(60)] + [("M", d, False) for d in range(0, 80, 10)]
    cust, day, ans = zip(*rows, strict=True)
    sent = pd.Timestamp("2026-01-01") + pd.to_timedelta(list(day), unit="D")
    inv = pd.DataFrame(
        {
            "invitation_id": [f"I{i}" for i in range(len(rows))],
            "customer_id": list(cust),
            "sent_at": sent,
            "responded_at": [s if a else pd.NaT for s, a in zip(sent, ans, strict=True)],
        }
    )
    curve = ind.pressure_response_curve(inv)
    spec = ch.pressure_chart(curve, lang="en").to_dict()
    assert marks(spec) == ["bar", "rule", "text"]
    assert spec["layer"][1]["encoding"]["y"]["field"] == "low"
    assert spec["layer"][0]["encoding"]["x"]["sort"] == ["1", "2", "3", "4", "5", "6+"]
    assert spec["title"] == (
        "Response rate falls as survey pressure rises"
        if curve.attrs["falls"]
        else ("Response rate by survey pressure")
    )


def test_key_driver_quadrant_chart(responses):
    drivers = ind.driver_table(responses)
    hot = responses["survey"] == "hot"
    kd = ind.key_drivers(responses[hot], drivers[hot])
    spec = ch.key_driver_chart(kd, lang="it").to_dict()
    assert marks(spec) == ["rule", "rule", "circle", "text", "text"]  # labels right of / left of points
    points = spec["layer"][2]["encoding"]
    assert points["x"]["field"] == "importance" and points["y"]["field"] == "performance"
    assert points["color"]["scale"]["domain"] == [
        "Da correggere subito", "Da mantenere", "Bassa priorità", "Possibile eccesso",
    ]  # fmt: skip
    assert spec["title"].startswith("Fattori chiave: importanza × prestazione (R² = 0,")
    assert data_of(spec, 3)[0]["label"].startswith("Punto di contatto: ")
