"""Headline figures: the executive-summary table and the ``survey.*`` / ``nps.*`` finding keys."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..config import ClientConfig, IndicatorSettings, Thresholds
from ..errors import AnalysisError
from .action_lists import ultra_detractors, ultra_promoters
from .customers import add_customer_attributes
from .grouping import (
    INDICATORS,
    only_survey,
    resolve_settings,
)
from .pressure import can_link, pressure_response_curve, response_rate, stopped_answering, survey_pressure
from .scores import indicator_table, nps
from .waves import barometer, wave_order

Settings = ClientConfig | IndicatorSettings | None


def _table_mapping(tables: Mapping[str, pd.DataFrame]) -> Mapping[str, pd.DataFrame]:
    if not isinstance(tables, Mapping):
        raise AnalysisError(
            "a mapping of table name to DataFrame", column="tables", found=type(tables).__name__
        )
    return tables


def indicator_summary(tables: Mapping[str, pd.DataFrame], settings: Settings = None) -> pd.DataFrame:
    """Headline figures for the executive summary, one row per measure and scope.

    Rows: NPS, CSAT, CES and CXi over all responses, hot, cold and the latest cold wave (scope ``all`` /
    ``hot`` / ``cold`` / ``cold_latest``), then the response rate (measure ``response_rate``) over all,
    hot and cold invitations. Columns: measure, scope, wave, rule, unit, n, score, low, high, small_n.
    ``tables`` maps table names (``survey_responses``, ``survey_invitations``) to frames; ``settings`` is
    a ClientConfig (its indicators and thresholds) or IndicatorSettings (default settings when None).
    """
    tables = _table_mapping(tables)
    ind, t = resolve_settings(settings, None)
    cols = ["measure", "scope", "wave", "rule", "unit", "n", "score", "low", "high", "small_n"]
    parts = []
    responses = tables.get("survey_responses")
    invitations = tables.get("survey_invitations")
    if responses is not None:
        scopes: list[tuple[str, pd.DataFrame, str | None]] = [("all", responses, None)]
        if "survey" in responses.columns:
            scopes += [
                ("hot", only_survey(responses, "hot"), None),
                ("cold", only_survey(responses, "cold"), None),
            ]
            cold = only_survey(responses, "cold")
            order = wave_order(cold)
            if order:
                latest = cold[cold["wave"].astype("str").to_numpy() == order[-1]]
                scopes.append(("cold_latest", latest, order[-1]))
        for scope, frame, wave in scopes:
            if len(frame) == 0:
                continue
            table = indicator_table(frame, None, INDICATORS, ind, t)
            table = table.rename(columns={"indicator": "measure"}).assign(scope=scope, wave=wave)
            parts.append(table)
    if invitations is not None and can_link(invitations, responses):
        rr = response_rate(invitations, responses, by=None, thresholds=t).assign(scope="all")
        if "survey" in invitations.columns:
            rr = pd.concat(
                [
                    rr,
                    response_rate(invitations, responses, by="survey", thresholds=t).rename(
                        columns={"survey": "scope"}
                    ),
                ],
                ignore_index=True,
            )
        rr = rr.assign(
            measure="response_rate",
            wave=None,
            rule="responses / invitations",
            unit="share",
            n=rr["invitations"],
            score=rr["rate"],
        )
        parts.append(rr)
    if not parts:
        return pd.DataFrame(columns=cols)
    out = pd.concat([p.reindex(columns=cols) for p in parts], ignore_index=True)
    out["scope"] = out["scope"].astype("str")
    return out


def survey_findings(tables: Mapping[str, pd.DataFrame], settings: Settings = None) -> dict[str, Any]:
    """The headline survey figures under the ``survey.*`` and ``nps.*`` keys of
    :data:`cxlab.findings.FINDING_SPECS` (response rates, survey pressure, stopped answering, action-list
    sizes, NPS hot/cold, the barometer change and its largest group drop). Keys whose data is missing are
    left out. The barometer drop is searched over the customers' industry, region and own segment and the
    responses' touchpoint and channel (see :func:`_largest_drop` for the rule)."""
    tables = _table_mapping(tables)
    ind, t = resolve_settings(settings, None)
    out: dict[str, Any] = {}
    responses = tables.get("survey_responses")
    invitations = tables.get("survey_invitations")
    customers = tables.get("customers")
    if invitations is not None and can_link(invitations, responses):
        if "survey" in invitations.columns:
            rr = response_rate(invitations, responses, by="survey", thresholds=t)
            for _, row in rr.iterrows():
                if str(row["survey"]) in ("hot", "cold"):
                    out[f"survey.response_rate_{row['survey']}"] = float(row["rate"])
        pressure = survey_pressure(invitations, responses, thresholds=t)
        over = int(pressure["over_surveyed"].sum())
        out["survey.over_surveyed_customers"] = over
        if len(pressure):
            out["survey.over_surveyed_share"] = over / len(pressure)
        curve = pressure_response_curve(invitations, responses, thresholds=t)
        curve = curve[curve["invitations"] > 0]
        if len(curve) > 1:
            out["survey.response_rate_low_pressure"] = float(curve["rate"].iloc[0])
            out["survey.response_rate_high_pressure"] = float(curve["rate"].iloc[-1])
        if "wave" in invitations.columns and len(wave_order(only_survey(invitations, "cold"))) >= 2:
            out["survey.stopped_answering"] = len(stopped_answering(invitations, responses))
    if responses is not None and "nps" in responses.columns:
        ud = ultra_detractors(responses, thresholds=t, settings=ind)
        who = "customer_id" if "customer_id" in ud.columns else "response_id"
        out["survey.ultra_detractors"] = int(ud[who].nunique())
        out["survey.ultra_promoters"] = int(
            ultra_promoters(responses, thresholds=t, settings=ind)[who].nunique()
        )
        if "followup_at" in responses.columns and "answered_at" in responses.columns:
            det = ultra_detractors(responses, per_customer=False, thresholds=t, settings=ind)
            uncalled = det[~_followed_within(det, t.followup_target_hours)]
            out["survey.ultra_detractors_uncalled"] = int(uncalled[who].nunique())
        if "survey" in responses.columns:
            hot = only_survey(responses, "hot")
            if len(hot) and hot["nps"].notna().any():
                out["nps.hot"] = float(nps(hot, settings=ind, thresholds=t)["score"].iloc[0])
            cold = only_survey(responses, "cold")
            order = wave_order(cold)
            if order and cold["nps"].notna().any():
                latest = cold[cold["wave"].astype("str").to_numpy() == order[-1]]
                out["nps.cold"] = float(nps(latest, settings=ind, thresholds=t)["score"].iloc[0])
            if len(order) >= 2:
                overall = barometer(cold, None, ("nps",), order[-2:], ind, t)
                if len(overall):
                    out["nps.barometer_change"] = float(overall["change"].iloc[0])
                out.update(_largest_drop(cold, customers, order[-2:], ind, t))
    return {k: v for k, v in out.items() if not (isinstance(v, float) and np.isnan(v))}


def _followed_within(frame: pd.DataFrame, hours: float) -> np.ndarray:
    if "followup_at" not in frame.columns or len(frame) == 0:
        return np.zeros(len(frame), dtype=bool)
    delta = (frame["followup_at"] - frame["answered_at"]).dt.total_seconds().to_numpy() / 3600
    return np.nan_to_num(delta, nan=np.inf) <= hours


def _largest_drop(
    cold: pd.DataFrame,
    customers: pd.DataFrame | None,
    waves: Sequence[str],
    ind: IndicatorSettings,
    t: Thresholds,
) -> dict[str, Any]:
    """The group whose NPS fell most clearly between two waves.

    Only groups with at least ``small_n`` answers in both waves are considered (a tiny group's plain
    standard error can be 0, which would make any change look decisive), unless no group is that large.
    The grouping columns are searched in the order industry, region, client_segment, touchpoint, channel
    (named as :func:`add_customer_attributes` names them): the first column with a significant drop gives
    the finding (its most negative z), so a drop of a customer attribute is reported rather than a
    correlated one further down the list; with no significant drop, the most negative z overall."""
    frame = add_customer_attributes(cold, customers)
    candidates = [
        c for c in ("industry", "region", "client_segment", "touchpoint", "channel") if c in frame.columns
    ]
    tables = []
    for col in candidates:
        if frame[col].astype("str").nunique() < 2:
            continue
        table = barometer(frame, col, ("nps",), waves, ind, t)
        table = table[table[col].notna() & np.isfinite(table["z"].to_numpy(dtype=float))]
        tables.append(table.assign(by=col, group=table[col].astype("str")).drop(columns=col))
    if not tables:
        return {}
    table = pd.concat(tables, ignore_index=True)
    large = table[~table["small_n"].to_numpy(dtype=bool)]
    table = large if len(large) else table
    if not len(table):
        return {}
    drops = table[table["significant"].to_numpy(dtype=bool) & (table["change"] < 0).to_numpy()]
    if len(drops):
        table = drops[drops["by"] == drops["by"].iloc[0]]  # concat kept the search order
    row = table.loc[table["z"].idxmin()]
    if row["change"] >= 0:
        return {}
    return {
        "nps.barometer_drop_by": str(row["by"]),
        "nps.barometer_drop_group": str(row["group"]),
        "nps.barometer_drop_points": float(row["change"]),
        "nps.barometer_drop_significant": bool(row["significant"]),
    }
