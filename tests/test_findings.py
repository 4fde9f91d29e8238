"""The Findings mapping: validation by kind, formatting, immutability."""

from __future__ import annotations

import math

import numpy as np
import pytest

from cxlab.findings import FINDING_SPECS, Findings, FindingsError, format_value
from cxlab.i18n import gettext


def test_values_are_checked_by_kind():
    f = Findings(
        {
            "handoff.worst_pair_wait_share": np.float64(0.4),
            "chasers.cases": np.int64(12),
            "survey.has_cold": True,
            "culture.spread_pillar": "roles",
            "handoff.worst_pair": "Sales → Logistics",
        }
    )
    assert f["chasers.cases"] == 12 and type(f["chasers.cases"]) is int
    assert type(f["handoff.worst_pair_wait_share"]) is float
    assert len(f) == 5 and "survey.has_cold" in f


@pytest.mark.parametrize(
    "key, value",
    [
        ("handoff.worst_pair_wait_share", 1.4),  # share above 1
        ("chasers.cases", 2.5),  # count not whole
        ("chasers.cases", -1),
        ("survey.has_cold", "no"),  # bool as text
        ("culture.spread_pillar", "money"),  # not a pillar
        ("handoff.worst_pair_wait_h", -3.0),
        ("handoff.worst_pair", ""),
        ("nps.cold", "high"),
        ("NotAKey", 1),
        ("vendor.figure", [1, 2]),
    ],
)
def test_invalid_values_are_refused(key, value):
    with pytest.raises(FindingsError) as err:
        Findings({key: value})
    assert key in str(err.value)


def test_nan_and_none_mean_absent():
    f = Findings({"nps.cold": math.nan, "chasers.cases": None, "nps.hot": 12.0})
    assert list(f) == ["nps.hot"]


def test_third_party_keys_are_allowed():
    f = Findings({"acme.churn_risk": 0.3})
    assert f.format("acme.churn_risk", "it") == "0,3"


def test_immutable_and_updated():
    f = Findings({"nps.cold": 10.0})
    with pytest.raises(AttributeError):
        f.currency = "USD"  # type: ignore[misc]
    with pytest.raises(TypeError):
        f["nps.cold"] = 3  # type: ignore[index]
    g = f.updated({"nps.hot": 20.0}, segments="no transactions table")
    assert set(g) == {"nps.cold", "nps.hot"} and set(f) == {"nps.cold"}
    assert g.skipped == {"segments": "no transactions table"}
    assert set(g.without("nps.cold")) == {"nps.hot"}


@pytest.mark.parametrize(
    "key, value, en, it",
    [
        ("survey.response_rate_cold", 0.204, "20%", "20%"),  # CLDR Italian: no space
        ("handoff.worst_pair_wait_h", 5.25, "5.2 h", "5,2 h"),
        ("handoff.worst_pair_wait_h", 72.0, "3.0 days", "3,0 giorni"),
        ("nps.barometer_drop_points", -30.24, "−30.2", "−30,2"),
        ("chasers.cases", 1234, "1,234", "1.234"),
        ("culture.gap_max", 2.16, "2.2", "2,2"),
        ("survey.has_cold", False, "no", "no"),
        ("culture.spread_pillar", "delegation", "Delegated responsibility, prepared employees", None),
        ("text.top_negative_theme", "passed_around", "Passed between departments", "Rimpallo tra reparti"),
        ("nps.cold", -12.34, "−12.3", "−12,3"),
        ("nps.cold", 48.0, "48.0", "48,0"),
    ],
)
def test_formatting(key, value, en, it):
    assert format_value(key, value, "en") == en
    if it is not None:
        assert format_value(key, value, "it") == it


def test_every_spec_is_documented():
    for key, spec in FINDING_SPECS.items():
        assert spec.key == key and spec.meaning and spec.source
        assert key.split(".")[0] in {
            "handoff",
            "authorisation",
            "chasers",
            "selfservice",
            "contradictory",
            "survey",
            "nps",
            "indicators",
            "segments",
            "text",
            "culture",
        }


def test_frame_lists_every_figure():
    f = Findings({"nps.cold": 10.0, "chasers.cases": 3})
    frame = f.frame("it")
    assert list(frame["key"]) == ["chasers.cases", "nps.cold"]
    assert list(frame["formatted"]) == ["3", "10,0"]


def test_pickle_and_deepcopy_round_trip():
    import copy
    import datetime as dt
    import pickle

    f = Findings({"nps.cold": 10.0}, skipped={"text": "no comments"}, analysis_date=dt.date(2026, 10, 31))
    for g in (pickle.loads(pickle.dumps(f)), copy.deepcopy(f)):
        assert g == f and g.skipped == f.skipped and g.analysis_date == f.analysis_date


def test_specs_frame():
    from cxlab.findings import specs_frame

    frame = specs_frame()
    assert len(frame) == len(FINDING_SPECS) and frame["key"].is_unique
    assert set(frame["kind"]) <= {"share", "hours", "points", "delta", "score", "number", "count", "z"} | {
        "text",
        "pillar",
        "theme",
        "bool",
    }


def test_every_finding_meaning_and_unit_has_an_italian_translation():
    words = {s.meaning for s in FINDING_SPECS.values()} | {s.unit for s in FINDING_SPECS.values() if s.unit}
    words -= {"NPS", "h", "1–5"}  # the same in Italian
    untranslated = sorted(w for w in words if gettext("it", w) == w)
    assert not untranslated


def test_findings_table_in_italian():
    f = Findings({"survey.has_hot": True, "handoff.worst_pair_nps_gap": -114.5})
    table = f.frame("it").set_index("key")
    assert table.loc["survey.has_hot", "formatted"] == "sì"
    assert table.loc["handoff.worst_pair_nps_gap", "formatted"] == "−114,5"
    assert table.loc["handoff.worst_pair_nps_gap", "unit"] == "punti NPS"
    assert table.loc["handoff.worst_pair_nps_gap", "meaning"].startswith(
        "NPS delle pratiche che attraversano"
    )
    assert f.frame("en").set_index("key").loc["survey.has_hot", "formatted"] == "yes"
