"""The Diagnosis: each analysis once per report, one signed NPS figure per handoff in text and charts,
and what-ifs (with_settings) that recompute exactly what depends on the changed settings."""

from __future__ import annotations

import dataclasses
import functools
import html
import json
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import cxlab.diagnosis as diagnosis_module
from cxlab import report
from cxlab.demo import generate_demo_client
from cxlab.diagnosis import ANALYSES, Diagnosis, settings_closure
from cxlab.errors import ConfigError
from cxlab.intake import load_client
from cxlab.report.context import ReportContext
from cxlab.widgets import HandoffExplorer, SegmentExplorer

#: the analysis functions diagnosis.py calls (looked up in its namespace, so spies can replace them)
ANALYSIS_FUNCTIONS = (
    "case_flags",
    "case_metrics",
    "flow_steps",
    "handoff_matrix",
    "link_satisfaction",
    "nps_per_extra_handoff",
    "ping_pong_pairs",
    "prepare_events",
    "satisfaction_by_handoffs",
    "satisfaction_by_pair",
    "toxic_dynamics",
    "worst_handoffs",
    "add_customer_attributes",
    "csat",
    "driver_table",
    "indicator_summary",
    "key_drivers",
    "nps",
    "survey_findings",
    "ultra_detractors",
    "ultra_promoters",
    "segment_customers",
    "analyse_comments",
    "detect_themes",
    "theme_summary",
    "culture_figures",
    "department_scores",
    "pillar_scores",
    "self_vs_others",
    "collect_findings",
    "generate_recommendations",
)


@pytest.fixture(scope="session")
def small_client_dir(tmp_path_factory) -> Path:
    return generate_demo_client(
        tmp_path_factory.mktemp("diagnosis") / "client", seed=7, customers=200, cases=800, language="en"
    )


@pytest.fixture(scope="session")
def small_client(small_client_dir):
    return load_client(small_client_dir)


def _sections(ctx: ReportContext) -> list[str]:
    parts = [
        report.executive_summary(ctx),
        report.indicators_section(ctx),
        report.handoffs_section(ctx),
        report.journey_section(ctx),
        report.segments_section(ctx),
        report.comments_section(ctx),
        report.culture_section(ctx),
        report.recommendations_section(ctx),
        report.data_quality_section(ctx),
        report.methodology_section(ctx),
    ]
    return [p.html() for p in parts if p is not None]


@pytest.fixture(scope="session")
def report_pages(small_client) -> tuple[ReportContext, list[str]]:
    ctx = ReportContext(small_client, "en")
    return ctx, _sections(ctx)


def _spy(name: str, calls: Counter) -> Any:
    real = getattr(diagnosis_module, name)

    @functools.wraps(real)
    def spy(*args: Any, **kwargs: Any) -> Any:
        calls[name] += 1
        return real(*args, **kwargs)

    return spy


# ---------------------------------------------------------------------------- (a) once per report
def test_each_analysis_runs_once_per_report(small_client, tmp_path, monkeypatch):
    calls: Counter = Counter()
    for name in ANALYSIS_FUNCTIONS:
        monkeypatch.setattr(diagnosis_module, name, _spy(name, calls))
    ctx = ReportContext(small_client, "en")
    _sections(ctx)
    report.write_attachments(ctx, tmp_path)
    ctx.review_status()
    # the chains that used to run twice (findings + sections) or three times (the NPS slope)
    for name in (
        "case_metrics",
        "handoff_matrix",
        "link_satisfaction",
        "satisfaction_by_pair",
        "nps_per_extra_handoff",
        "worst_handoffs",
        "segment_customers",
        "analyse_comments",
        "theme_summary",
        "survey_findings",
        "indicator_summary",
        "collect_findings",
        "generate_recommendations",
    ):
        assert calls[name] == 1, name
    assert calls and all(n == 1 for n in calls.values()), {k: v for k, v in calls.items() if v != 1}


def test_every_analysis_is_declared_once_by_topic():
    assert "handoffs.satisfaction_by_pair" in ANALYSES and "outcome.findings" in ANALYSES
    for name, spec in ANALYSES.items():
        assert all(use in ANALYSES for use in spec.uses), name
    assert settings_closure("handoffs.worst") == {"activities", "indicators", "thresholds"}
    assert settings_closure("indicators.responses") == {"segments", "analysis_date"}
    assert settings_closure("culture.figures") == frozenset()


# --------------------------------------------------------- (b) the top handoff: one figure, one sign
def _chart_specs(page: str) -> Iterator[dict]:
    for raw in re.findall(
        r'<script type="application/json" class="cx-chart-spec">(.*?)</script>', page, re.S
    ):
        yield json.loads(raw)


def _data_rows(spec: Any) -> Iterator[dict]:
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key in ("values", "datasets") or isinstance(value, dict | list):
                yield from _data_rows(value)
    elif isinstance(spec, list):
        for item in spec:
            if isinstance(item, dict) and not any(isinstance(v, dict | list) for v in item.values()):
                yield item
            else:
                yield from _data_rows(item)


def _numbers(text: str) -> list[float]:
    return [float(m.replace("−", "-").replace(",", "")) for m in re.findall(r"[−-]?\d[\d,]*(?:\.\d+)?", text)]


def test_top_handoff_has_one_signed_nps_figure_in_text_and_charts(report_pages):
    ctx, pages = report_pages
    top = ctx.dx.handoffs.top
    assert top is not None and top.nps_change is not None
    assert top.nps_change < 0  # the demo plants a costly handoff: crossing it lowers NPS
    page = html.unescape("".join(pages))

    # the text: the recommendation's evidence names the pair and quotes its NPS change, signed
    sentences = [s for s in re.split(r"(?<=\.)\s|<", page) if top.label in s and "NPS" in s]
    assert sentences, f"no sentence about the NPS of {top.label}"
    text_figures = {n for s in sentences for n in _numbers(s)}
    assert round(top.nps_change, 1) in text_figures

    # the charts: every NPS number drawn for that pair is the same signed figure
    chart_figures: list[float] = []
    drawn_pair = False
    for spec in _chart_specs("".join(pages)):
        for row in _data_rows(spec):
            if str(row.get("from_department")) != top.from_department:
                continue
            if str(row.get("to_department")) != top.to_department:
                continue
            drawn_pair = True
            chart_figures += [v for k, v in row.items() if "nps" in k and isinstance(v, int | float)]
            if row.get("ranking") == "satisfaction":
                chart_figures.append(row["value"])
    assert drawn_pair
    assert chart_figures and all(round(v, 1) == round(top.nps_change, 1) for v in chart_figures), (
        chart_figures
    )
    assert ctx.findings["handoff.worst_pair_nps_gap"] == top.nps_change


# ---------------------------------------------------------------------- (c) what-ifs: with_settings
def _compute_all(dx: Diagnosis) -> None:
    for key in ANALYSES:
        topic, name = key.split(".")
        getattr(dx._outcome if topic == "outcome" else getattr(dx, topic), name)


def test_with_settings_keeps_exactly_what_does_not_depend_on_the_change(small_client, monkeypatch):
    dx = Diagnosis(small_client)
    _compute_all(dx)
    assert set(dx.computed) == set(ANALYSES)
    segments = dataclasses.replace(dx.settings.segments, value_top_share=0.3)
    what_if = dx.with_settings(segments=segments)

    recomputed = set(ANALYSES) - set(what_if.computed)
    assert recomputed == {
        "segments.table",
        "indicators.responses",
        "indicators.action_lists",
        "outcome.findings",
        "outcome.recommendations",
    }
    assert what_if.handoffs.satisfaction_by_pair is dx.handoffs.satisfaction_by_pair  # reused, not copied
    assert what_if.settings.segments.value_top_share == 0.3
    assert dx.settings.segments.value_top_share != 0.3  # the original diagnosis is unchanged

    calls: Counter = Counter()
    for name in ANALYSIS_FUNCTIONS:
        monkeypatch.setattr(diagnosis_module, name, _spy(name, calls))
    _compute_all(what_if)
    assert calls["segment_customers"] == 1 and calls["collect_findings"] == 1
    assert calls["case_metrics"] == calls["satisfaction_by_pair"] == calls["theme_summary"] == 0
    premium = (what_if.segments.table["segment"].astype(str) == "premium").mean()
    assert premium > (dx.segments.table["segment"].astype(str) == "premium").mean()


def test_with_settings_by_mapping_and_thresholds(small_client):
    dx = Diagnosis(small_client)
    _ = dx.handoffs.satisfaction_by_pair, dx.segments.table, dx.culture.figures
    what_if = dx.with_settings(thresholds={"confidence": 0.9})
    assert set(what_if.computed) == {
        "handoffs.cases",
        "handoffs.linked",
        "segments.table",
        "culture.figures",
    }
    same = dx.with_settings(thresholds=dx.settings.thresholds)  # no change: everything kept
    assert set(same.computed) == set(dx.computed)


def test_with_settings_refuses_unknown_and_load_time_settings(small_client):
    dx = Diagnosis(small_client)
    with pytest.raises(ConfigError, match="colour"):
        dx.with_settings(colour="red")
    with pytest.raises(ConfigError, match="timezone"):
        dx.with_settings(timezone="UTC")
    with pytest.raises(ConfigError, match="segments"):
        dx.with_settings(segments={"no_such_field": 1})


def test_topics_are_read_only_and_open_loads_the_folder(small_client_dir):
    dx = Diagnosis.open(small_client_dir, thresholds={"confidence": 0.9})
    assert dx.settings.thresholds.confidence == 0.9
    with pytest.raises(AttributeError):
        dx.handoffs.cases = None  # type: ignore[misc]
    assert dx.indicators.nps is not None and set(dx.indicators.nps["survey"].astype(str)) == {"hot", "cold"}


# ------------------------------------------------------------------------------ the widgets read dx
def test_widgets_read_the_diagnosis(small_client):
    dx = Diagnosis(small_client)
    handoffs = HandoffExplorer(dx, lang="en")
    top = dx.handoffs.top
    assert top is not None and handoffs.pair == [top.from_department, top.to_department]
    assert handoffs.detail["nps_gap"] == pytest.approx(top.nps_change)  # the report's signed figure
    segments = SegmentExplorer(dx, lang="en")
    segments.value_share = 0.3  # a what-if: a new diagnosis that keeps the handoff analyses
    assert segments.dx is not dx and segments.dx.settings.segments.value_top_share == 0.3
    assert segments.dx.handoffs.cases is dx.handoffs.cases
    assert dx.settings.segments.value_top_share == 0.2


def test_toxic_dynamics_chart_uses_the_same_sign_as_the_text(report_pages):
    """The text gives the NPS of the affected cases and of the others; the chart draws affected − others."""
    _, pages = report_pages
    rows = [
        row
        for spec in _chart_specs("".join(pages))
        for row in _data_rows(spec)
        if "finding" in row and row.get("nps_affected") is not None
    ]
    assert rows
    for row in rows:
        assert row["nps_gap"] == pytest.approx(row["nps_affected"] - row["nps_others"])
        assert row["gap_low"] <= row["nps_gap"] <= row["gap_high"]
    assert min(row["nps_gap"] for row in rows) < 0  # the planted dynamics cost NPS: drawn negative


def test_explorers_static_views_speak_the_report_language(small_client):
    dx = Diagnosis(small_client)
    handoffs = HandoffExplorer(dx, lang="it").to_html()
    assert "Passaggi tra reparti (per attesa totale)" in handoffs and "Selezionato:" in handoffs
    segments = SegmentExplorer(dx, lang="it").to_html()
    assert "Segmenti di clienti" in segments and "primi 20" in segments


def test_analyses_read_only_the_analyses_they_declare(small_client):
    """What with_settings keeps rests on the declared inputs: every analysis read while computing another
    must be among the declared inputs of that other one (directly or through its inputs)."""
    dx = Diagnosis(small_client)
    _compute_all(dx)

    def inputs(name: str) -> set[str]:
        found, stack = set(), list(ANALYSES[name].uses)
        while stack:
            key = stack.pop()
            if key not in found:
                found.add(key)
                stack.extend(ANALYSES[key].uses)
        return found

    assert dx._reads  # the recording works: e.g. linked reads cases
    assert ("handoffs.linked", "handoffs.cases") in dx._reads
    undeclared = sorted((reader, read) for reader, read in dx._reads if read not in inputs(reader))
    assert not undeclared


@pytest.fixture(scope="session")
def computed_dx(small_client) -> Diagnosis:
    dx = Diagnosis(small_client)
    _compute_all(dx)
    return dx


def _read(dx: Diagnosis, key: str) -> Any:
    topic, name = key.split(".")
    return getattr(dx._outcome if topic == "outcome" else getattr(dx, topic), name)


def _assert_same(kept: Any, fresh: Any, key: str) -> None:
    if isinstance(kept, pd.DataFrame):
        pd.testing.assert_frame_equal(kept, fresh, obj=key)
    elif isinstance(kept, pd.Series):
        pd.testing.assert_series_equal(kept, fresh, obj=key)
    elif dataclasses.is_dataclass(kept) and not isinstance(kept, type):
        for field in dataclasses.fields(kept):
            _assert_same(getattr(kept, field.name), getattr(fresh, field.name), f"{key}.{field.name}")
    elif isinstance(kept, Mapping):
        assert dict(kept) == pytest.approx(dict(fresh), nan_ok=True), key
    else:
        assert kept == fresh, key


@pytest.mark.parametrize(
    "changes",
    [
        {"thresholds": {"confidence": 0.9, "small_n": 10}},
        {"text": {"neutral_band": 0.3}},
        {"segments": {"potential_top_share": 0.35}},
    ],
    ids=["thresholds", "text", "segments"],
)
def test_what_with_settings_keeps_equals_a_fresh_computation(computed_dx, changes):
    """Every result a what-if keeps is what a fresh diagnosis with the new settings computes."""
    what_if = computed_dx.with_settings(**changes)
    kept = [key for key in what_if.computed]
    assert kept and len(kept) < len(ANALYSES)
    fresh = Diagnosis(computed_dx.client, what_if.settings)
    for key in kept:
        _assert_same(_read(what_if, key), _read(fresh, key), key)
