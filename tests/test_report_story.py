"""The report a partner signs: the story first (insights chosen by rules, KPI deltas), recommendations as
initiatives, drafts marked, ``--final``, names kept out of the report, one minus sign — on the demo client.

Figures are checked against independent computations from the raw files of the demo folder.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from cxlab.cli import main
from cxlab.errors import ReportError
from cxlab.insights import kpis, select_insights
from cxlab.recommend.initiatives import department_pair, group_initiatives, top_actions
from cxlab.report import build_report, open_client, story
from cxlab.report.html import SECTION_METADATA
from cxlab.report.run import check_final
from cxlab.report.sections import cover, indicators_section


@pytest.fixture(scope="module")
def ctx(demo_client_dir_full):
    return open_client(demo_client_dir_full)


@pytest.fixture(scope="module")
def report(tmp_path_factory, demo_client_dir_full) -> tuple[str, Path]:
    out = tmp_path_factory.mktemp("story") / "out"
    result = build_report(demo_client_dir_full, out)
    assert result.ok
    return result.html.read_text(encoding="utf-8"), out


def _section(page: str, section_id: str) -> str:
    start = page.index(f'<section class="cx-section" id="{section_id}">')
    return page[start : page.index("</section>", start)]


def visible_text(page: str) -> str:
    body = re.sub(r"<(script|style)\b.*?</\1>", "", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "\n", body))


# ------------------------------------------------------------------------------- independent figures
def _bounce_rates(folder: Path) -> tuple[float, float]:
    """Share of cases in which Logistics hands the case back to Sales (already visited) — Edilizia
    customers against the others — straight from eventi.csv and clienti.csv."""
    events = pd.read_csv(folder / "data" / "eventi.csv", parse_dates=["timestamp"])
    events = events.sort_values(["case_id", "timestamp"], kind="stable")
    customers = pd.read_csv(folder / "data" / "clienti.csv", sep=";", encoding="utf-8-sig")
    industry = dict(zip(customers["codice_cliente"], customers["settore"], strict=True))
    hits: dict[bool, list[bool]] = {True: [], False: []}
    for _, case in events.groupby("case_id", sort=False):
        departments = case["department"].fillna("unknown").tolist()
        visits = [d for i, d in enumerate(departments) if i == 0 or d != departments[i - 1]]
        seen, bounced = {visits[0]}, False
        for a, b in zip(visits, visits[1:], strict=False):
            if a == "Logistics" and b == "Sales" and b in seen:
                bounced = True
            seen.add(b)
        hits[industry.get(case["customer_id"].iat[0]) == "Edilizia"].append(bounced)
    return sum(hits[True]) / len(hits[True]), sum(hits[False]) / len(hits[False])


def _nps(scores: pd.Series) -> float:
    scores = scores.dropna()
    return 100 * ((scores >= 9).mean() - (scores <= 6).mean())


# ------------------------------------------------------------------------------------- the insights
def test_first_insight_is_the_construction_drop_linked_to_the_sales_logistics_handoff(
    ctx, demo_client_dir_full
):
    insights = select_insights(ctx.dx)
    assert 3 <= len(insights) <= 5
    first = insights[0]
    assert first.key == "barometer_drop"
    assert first["group"] == "Construction" and first["by"] == "industry" and first["significant"]
    link = first["link"]
    assert (link["handoff_from"], link["handoff_to"]) == ("Sales", "Logistics")
    assert "address" in link["activity"].lower()  # the client's own activity: the address went missing
    group_rate, others_rate = _bounce_rates(demo_client_dir_full)
    assert link["rate_group"] == pytest.approx(group_rate, abs=0.005)
    assert link["rate_others"] == pytest.approx(others_rate, abs=0.005)
    assert group_rate > others_rate + 0.05
    # the cold NPS of Edilizia between the two waves, from risposte.csv
    responses = pd.read_csv(demo_client_dir_full / "data" / "risposte.csv")
    customers = pd.read_csv(demo_client_dir_full / "data" / "clienti.csv", sep=";", encoding="utf-8-sig")
    cold = responses[responses["survey"] == "cold"].merge(
        customers, left_on="customer_id", right_on="codice_cliente"
    )
    edilizia = cold[cold["settore"] == "Edilizia"]
    change = _nps(edilizia[edilizia["wave"] == "2026-W2"]["nps"]) - _nps(
        edilizia[edilizia["wave"] == "2026-W1"]["nps"]
    )
    assert first["points"] == pytest.approx(change, abs=0.05) and change < -25


def test_summary_tells_the_story_with_both_figures(report, ctx):
    page, _ = report
    summary = _section(page, "summary")
    items = re.findall(r'<li class="cx-insight" data-insight="(\w+)">(.*?)</li>', summary, re.S)
    assert items and items[0][0] == "barometer_drop"
    first = html.unescape(items[0][1])
    link = select_insights(ctx.dx)[0]["link"]
    assert "Edilizia" in first and "Construction" not in first  # the client's own label
    assert "Sales → Logistics" in first
    points = select_insights(ctx.dx)[0]["points"]
    assert f"{abs(points):.1f}".replace(".", ",") in first  # the drop: 33,2 points
    assert f"{round(link['rate_group'] * 100)}%" in first and f"{round(link['rate_others'] * 100)}%" in first


def test_premium_nps_is_in_the_summary(report, ctx, demo_client_dir_full):
    page, _ = report
    responses = pd.read_csv(demo_client_dir_full / "data" / "risposte.csv")
    segment = ctx.dx.segments.table.set_index("customer_id")["segment"]
    premium = responses[responses["customer_id"].map(segment) == "premium"]
    expected = _nps(premium["nps"])
    insight = next(i for i in select_insights(ctx.dx) if i.key == "premium_nps")
    assert insight["nps"] == pytest.approx(expected, abs=0.01) and insight["lowest"]
    text = html.unescape(_section(page, "summary"))
    assert f"NPS di −{abs(round(expected))} (n = {premium['nps'].notna().sum()})" in text
    assert "Fatturato a rischio" in text


def test_kpi_tiles_show_their_change_against_the_last_wave(report, ctx, demo_client_dir_full):
    page, _ = report
    cold = next(k for k in kpis(ctx.dx) if k.key == "nps_cold")
    responses = pd.read_csv(demo_client_dir_full / "data" / "risposte.csv")
    waves = responses[responses["survey"] == "cold"].groupby("wave")["nps"].apply(_nps)
    assert cold.value == pytest.approx(waves["2026-W2"]) and cold.delta == pytest.approx(
        waves["2026-W2"] - waves["2026-W1"]
    )
    text = html.unescape(_section(page, "summary"))
    assert "NPS a freddo, ondata 2026-W2" in text
    assert f"−{abs(cold.delta):.1f}".replace(".", ",") + " punti rispetto a 2026-W1" in text


def test_closed_loop_status_is_a_kpi_tile_with_its_change(report, ctx, demo_client_dir_full):
    """Share of hot detractors called back within 48 h, last 3 months against the 3 before, recomputed
    from risposte.csv (follow-ups judged at the last answer of the data)."""
    page, _ = report
    loop = next(k for k in kpis(ctx.dx) if k.key == "closed_loop")
    raw = pd.read_csv(
        demo_client_dir_full / "data" / "risposte.csv", parse_dates=["answered_at", "followup_at"]
    )
    as_of = raw["answered_at"].max()
    end = pd.Timestamp(ctx.dx.analysis_date).normalize() + pd.Timedelta(days=1)
    cut, start = end - pd.DateOffset(months=3), end - pd.DateOffset(months=6)

    def on_time_share(lo, hi):
        d = raw[
            (raw["survey"] == "hot")
            & (raw["nps"] <= 6)
            & (raw["answered_at"] >= lo)
            & (raw["answered_at"] < hi)
        ]
        hours = (d["followup_at"] - d["answered_at"]).dt.total_seconds() / 3600
        due = d["followup_at"].notna() | ((as_of - d["answered_at"]).dt.total_seconds() / 3600 > 48)
        return (hours[due] <= 48).sum() / due.sum(), int(due.sum())

    now, n_now = on_time_share(cut, end)
    before, _ = on_time_share(start, cut)
    assert loop.target_hours == 48 and loop.n == n_now
    assert loop.value == pytest.approx(now) and loop.delta == pytest.approx(now - before)
    text = html.unescape(_section(page, "summary"))
    assert "Detrattori caldi ricontattati entro 48 h, ultimi 3 mesi" in text
    assert f"{round(100 * now)}%" in text


def _split_nps(frame: pd.DataFrame, k: int) -> tuple[float, int, float, int]:
    below, above = frame[frame["handoffs"] < k]["nps"], frame[frame["handoffs"] >= k]["nps"]
    return _nps(below), len(below), _nps(above), len(above)


def test_handoffs_against_nps_is_told_as_the_threshold_it_is(report, ctx):
    """The threshold is recomputed by hand from the answered cases: the split with the largest size-weighted
    NPS fall; below it NPS rises (2 → 3 handoffs on the demo), from it on it collapses."""
    page, _ = report
    linked = ctx.dx.handoffs.linked
    answered = linked[linked["nps"].notna()]
    small = ctx.config.thresholds.small_n
    candidates = {}
    for k in range(int(answered["handoffs"].min()) + 1, int(answered["handoffs"].max()) + 1):
        below, n_below, above, n_above = _split_nps(answered, k)
        if n_below >= small and n_above >= small:
            candidates[k] = (below - above) * (n_below * n_above / (n_below + n_above)) ** 0.5
    k = max(candidates, key=candidates.get)
    below, n_below, above, n_above = _split_nps(answered, k)
    insight = next(i for i in select_insights(ctx.dx) if i.key == "handoff_threshold")
    assert insight["threshold"] == k == 4  # the planted collapse at 4 handoffs or more
    assert insight["nps_below"] == pytest.approx(below) and insight["nps_above"] == pytest.approx(above)
    assert insight["n_above"] == n_above and below - above > 50
    by_count = answered.groupby("handoffs")["nps"].agg([_nps, "size"])
    steady = by_count[(by_count.index < k) & (by_count["size"] >= small)]
    assert insight["first"] == steady.index[0] and insight["last"] == steady.index[-1]
    assert insight["nps_last"] == pytest.approx(steady["_nps"].iloc[-1])
    assert insight["nps_first"] == pytest.approx(steady["_nps"].iloc[0])
    assert insight["nps_first"] <= insight["nps_last"]  # below the threshold NPS holds or rises
    text = html.unescape(_section(page, "summary"))
    assert "L'NPS non cala a ogni passaggio, ha una soglia" in text
    assert f"poi scende a −{abs(round(above))} da 4 passaggi in su ({n_above} risposte" in text


def test_handoff_threshold_is_absent_when_nps_does_not_fall(ctx):
    """A fact stated only when it holds: flat NPS across handoff counts gives no threshold insight; a
    steady fall gives the sentence without the "rises" claim."""
    from types import SimpleNamespace

    from cxlab.insights import handoff_threshold

    rng = pytest.importorskip("numpy").random.default_rng(3)
    flat = pd.DataFrame({"handoffs": rng.integers(1, 6, 600), "nps": rng.integers(0, 11, 600).astype(float)})

    def fake(linked):
        return SimpleNamespace(handoffs=SimpleNamespace(linked=linked), settings=ctx.dx.settings)

    assert handoff_threshold(fake(flat)) is None
    falling = flat.assign(nps=(10 - 2 * flat["handoffs"]).clip(0).astype(float))
    insight = handoff_threshold(fake(falling))
    assert insight is not None and "first" not in insight.figures


def test_kpi_tiles_measure_against_the_clients_targets(ctx):
    """report.targets in client.yaml: a tile with a target states the gap to it; one without says nothing."""
    from types import SimpleNamespace

    from cxlab.config import config_from_dict
    from cxlab.errors import ConfigError

    cfg = config_from_dict({"name": "x", "report": {"targets": {"nps_cold": 30, "closed_loop": 0.8}}})
    fake = SimpleNamespace(lang="it", config=cfg)
    cards = {k.key: (k, story.kpi_card(fake, k)[2]) for k in kpis(ctx.dx)}
    cold, note = cards["nps_cold"]
    gap = f"{cold.value - 30:+.1f}".replace(".", ",").replace("-", "−")
    assert f"obiettivo 30: {gap} punti" in note and cold.value == pytest.approx(20.0)
    loop, note = cards["closed_loop"]
    gap = f"{100 * (loop.value - 0.8):+.1f}".replace(".", ",").replace("-", "−")
    assert f"obiettivo 80%: {gap} punti" in note
    assert "obiettivo" not in cards["nps_hot"][1]  # no target set for it
    assert not any("obiettivo" in story.kpi_card(ctx, k)[2] for k in kpis(ctx.dx))  # the demo sets none
    with pytest.raises(ConfigError, match="report.targets.nps_cold"):
        config_from_dict({"name": "x", "report": {"targets": {"nps_cold": 130}}})
    with pytest.raises(ConfigError, match="report.targets.nps_warm"):
        config_from_dict({"name": "x", "report": {"targets": {"nps_warm": 10}}})


# ---------------------------------------------------------------------------------- the initiatives
def test_recommendations_merge_into_five_to_eight_initiatives(report, ctx):
    page, _ = report
    section = _section(page, "recommendations")
    keys = re.findall(r'data-initiative="(\w+)"', section)
    assert 5 <= len(keys) <= 8 and len(set(keys)) == len(keys)
    assert "Impatto atteso" in section and "Roadmap per trimestre" in section
    assert "action_plan.xlsx" in section  # the full list stays in the attachment
    # every shown recommendation is in exactly one initiative
    text = html.unescape(section)
    titles = [story.client_words(ctx, r.title.get("it")) for r in ctx.recommendations]
    assert all(text.count(f"<strong>{t}</strong>") == 1 for t in titles)
    assert "Construction" not in text and "Edilizia" in text  # the playbook's words, in the client's labels


def test_no_two_top_actions_name_the_same_department_pair(report, ctx):
    page, _ = report
    actions = top_actions(story._initiatives(ctx))
    assert 3 <= len(actions) <= 5
    pairs = [department_pair(r) for r in actions if department_pair(r) is not None]
    assert len(pairs) == len(set(pairs))
    summary = _section(page, "summary")
    assert summary.count("</li>", summary.index('class="cx-top-recs"')) == len(actions)
    # the cause is known: the summary's first action is no "find out why" for Construction
    assert actions[0].id != "barometer_drop_group"


def test_initiative_grouping_is_pure_and_keeps_every_recommendation(ctx):
    recs = ctx.recommendations
    initiatives = group_initiatives(recs)
    assert sum(len(i.recommendations) for i in initiatives) == len(recs)
    assert [i.priority for i in initiatives] == sorted((i.priority for i in initiatives), reverse=True)


# ----------------------------------------------------------------------------------------- drafts
def test_unreviewed_recommendations_are_marked_and_the_report_is_a_draft(report, ctx):
    page, _ = report
    unreviewed = sum(r.status == "proposed" for r in ctx.recommendations)
    assert unreviewed == len(ctx.recommendations) > 0
    assert re.search(r'<div [^>]*class="cx-watermark"[^>]*>Bozza</div>', page)
    assert 'class="cx-is-draft"' in page
    section = _section(page, "recommendations")
    n_initiatives = len(re.findall(r"data-initiative=", section))
    assert section.count('<span class="cx-draft-tag">Proposta</span>') == unreviewed + n_initiatives
    assert f"Bozza: {unreviewed} delle {unreviewed} raccomandazioni" in html.unescape(page)


def test_reviewed_report_carries_no_draft_mark(demo_client_copy):
    ctx = open_client(demo_client_copy)
    decisions = {r.id: {"status": "accepted"} for r in ctx.review.recommendations}
    decisions[next(iter(decisions))] = {"status": "rejected"}
    (demo_client_copy / "recommendations.yaml").write_text(
        yaml.safe_dump({"recommendations": decisions}), encoding="utf-8"
    )
    ctx = open_client(demo_client_copy)
    assert story.unreviewed_count(ctx) == 0 and len(ctx.recommendations) == len(decisions) - 1
    assert "draft" not in cover(ctx).values
    assert "cx-draft" not in story.recommendations_section(ctx).html()
    assert "cx-draft" not in story.executive_summary(ctx).html()


def test_final_refuses_while_recommendations_are_unreviewed(demo_client_dir, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["report", str(demo_client_dir), "--out", str(out), "--final"])
    assert result.exit_code == 1
    pending = open_client(demo_client_dir).review.proposed
    assert f"{len(pending)} recommendation(s) not reviewed yet" in result.output
    assert not (out / "report.html").exists() and (out / "client_report.ipynb").is_file()


def _notebook_with_counts(**counts: int) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("")
    meta = {"id": "recommendations", "title": "R", "counts": counts}
    cell.outputs = [
        nbformat.v4.new_output("display_data", {"text/html": ""}, metadata={SECTION_METADATA: meta})
    ]
    nb.cells.append(cell)
    return nb


def test_check_final_passes_when_everything_is_reviewed(tmp_path):
    check_final(_notebook_with_counts(unreviewed=0, pending=0), tmp_path / "nb.ipynb")  # no error
    with pytest.raises(ReportError, match="2 recommendation"):
        check_final(_notebook_with_counts(unreviewed=0, pending=2), tmp_path / "nb.ipynb")


# ----------------------------------------------------------------------------- privacy and language
def test_no_customer_name_in_the_report_by_default(report, demo_client_dir_full):
    page, out = report
    names = pd.read_csv(demo_client_dir_full / "data" / "clienti.csv", sep=";", encoding="utf-8-sig")[
        "ragione_sociale"
    ]
    text = html.unescape(page)
    assert not [n for n in names if n in text]
    # the names stay with the consultant, in the attachment
    call_back = pd.read_excel(out / "action_lists.xlsx", sheet_name="call_back")
    assert call_back["name"].isin(set(names)).all() and len(call_back)


def test_show_names_puts_them_back(demo_client_copy):
    path = demo_client_copy / "client.yaml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    config["report"] = {"show_names": True}
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    ctx = open_client(demo_client_copy)
    first = ctx.action_lists["ultra_detractors"]["name"].iat[0]
    assert html.escape(first) in indicators_section(ctx).html()


def test_one_minus_sign_in_the_visible_text(report):
    page, _ = report
    text = visible_text(page)
    assert not re.findall(r"(?<![\w-])-\d", text), re.findall(r".{20}(?<![\w-])-\d.{10}", text)
    assert text.count("−") > 10


# ------------------------------------------------------------------------------- labels and charts
def chart_specs(page: str) -> list[dict]:
    return [
        json.loads(m)
        for m in re.findall(r'<script[^>]*class="cx-chart-spec"[^>]*>(.*?)</script>', page, re.S)
    ]


def _title(spec: dict) -> str:
    title = spec.get("title")
    return str(title.get("text") if isinstance(title, dict) else title)


#: keys of a spec whose strings are names, expressions or settings rather than shown text
SPEC_NAME_KEYS = {
    "config",
    "$schema",
    "field",
    "name",
    "as",
    "groupby",
    "calculate",
    "filter",
    "test",
    "data",
}
SNAKE = re.compile(r"^[a-z]+(?:_[a-z0-9]+)+$")


def _shown_strings(value, out: list[str], key: str = "") -> None:
    if key in SPEC_NAME_KEYS:
        return
    if isinstance(value, dict):
        for k, v in value.items():
            _shown_strings(v, out, k)
    elif isinstance(value, list):
        for v in value:
            _shown_strings(v, out, key)
    elif isinstance(value, str):
        out.append(value)


def _english_keys(client_dir: Path) -> set[str]:
    """The canonical (English) category keys a chart must never show in the Italian report: the
    client's mapped values, cxlab's touchpoints and survey kinds, comment themes, pillars, quadrants."""
    from cxlab.questionnaire import PILLARS
    from cxlab.text import theme_label

    config = yaml.safe_load((client_dir / "client.yaml").read_text(encoding="utf-8"))
    keys = {
        v for t in config["tables"].values() for m in (t.get("values") or {}).values() for v in m.values()
    }
    keys |= {"hot", "cold", "delivery", "customer service", "relationship", "industry", "touchpoint", "end"}
    keys |= set(PILLARS) | {"fix_first", "keep_up", "low_priority", "possible_overkill"}
    keys |= {
        k
        for k in ("delivery", "waiting_time", "passed_around", "staff_attitude")
        if theme_label(k, "it") != k
    }
    return keys


def test_no_raw_or_english_key_in_the_italian_charts_and_tables(report, demo_client_dir_full):
    page, _ = report
    english = _english_keys(demo_client_dir_full)
    bad = []
    for spec in chart_specs(page):
        shown: list[str] = []
        _shown_strings({k: v for k, v in spec.items() if k != "datasets"}, shown)
        for rows in (spec.get("datasets") or {}).values():
            for row in rows:
                shown += [v for v in row.values() if isinstance(v, str)]
        bad += [(_title(spec), s) for s in shown if SNAKE.match(s) or s in english]
    assert not bad, bad[:10]
    cells = [html.unescape(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", page, re.S)]
    assert not [c for c in cells if SNAKE.match(c) or c in english]


def test_every_trend_point_reaches_the_minimum_n_or_is_flagged(report, ctx):
    page, _ = report
    trend = next(s for s in chart_specs(page) if _title(s) == "NPS dei sondaggi caldi nel tempo")
    rows = [row for rows in trend["datasets"].values() for row in rows if "n" in row]
    small_n = ctx.config.thresholds.small_n
    assert rows and all(row["n"] >= small_n or row["small"] for row in rows)
    assert sum(row["n"] >= small_n for row in rows) / len(rows) >= 0.8  # month -> quarter reached it
    text = json.dumps(trend)
    assert '"fillOpacity"' in text and "datum.small" in text  # below-minimum points are drawn hollow
    assert any(layer.get("encoding", {}).get("text", {}).get("field") == "n" for layer in trend["layer"])
    assert "Un punto per trimestre" in html.unescape(_section(page, "indicators"))


def test_culture_is_a_heatmap_and_the_driver_rule_is_stated(report):
    page, _ = report
    specs = {_title(s): s for s in chart_specs(page)}
    culture = specs["Cultura del cliente: il punteggio di ogni reparto su ogni pilastro (1–5)"]
    assert culture["layer"][0]["mark"]["type"] == "rect"
    drivers = next(s for t, s in specs.items() if t.startswith("Fattori chiave"))
    labels = [r.get("label") for rows in drivers["datasets"].values() for r in rows]
    assert "Passaggi per pratica > 2" in labels  # the rule of a case driver, not a bare key
    assert any("Tema dei commenti: " in str(label) for label in labels)


# ------------------------------------------------------------------------------ value × satisfaction
def test_value_and_satisfaction_are_joined(report, ctx, demo_client_dir_full):
    from cxlab.insights import value_satisfaction

    page, _ = report
    responses = pd.read_csv(demo_client_dir_full / "data" / "risposte.csv", parse_dates=["answered_at"])
    table = ctx.dx.segments.table.set_index("customer_id")
    responses["segment"] = responses["customer_id"].map(table["segment"])
    answered = responses[responses["nps"].notna() & responses["segment"].notna()]
    joined = value_satisfaction(ctx.dx)
    premium = joined.segments.set_index("value_segment").loc["premium"]
    mine = answered[answered["segment"] == "premium"]["nps"]
    assert premium["share_promoters"] == pytest.approx((mine >= 9).mean())
    assert premium["share_passives"] == pytest.approx(((mine >= 7) & (mine <= 8)).mean())
    assert premium["share_detractors"] == pytest.approx((mine <= 6).mean())
    # revenue at risk: predicted value of the customers whose latest answer is a detractor's
    latest = answered.sort_values("answered_at").groupby("customer_id")["nps"].last()
    detractors = latest[latest <= 6].index
    assert joined.revenue_at_risk == pytest.approx(table.loc[detractors, "future_value"].sum())
    section = html.unescape(_section(page, "segments"))
    assert "Valore e soddisfazione" in section and "Fatturato a rischio" in section
    titles = [_title(s) for s in chart_specs(page)]
    assert "NPS per segmento di valore: promotori, passivi, detrattori" in titles
    assert any(t.startswith("NPS per segmento di valore e punto di contatto") for t in titles)
