"""The story of a diagnosis: the insights a report leads with, chosen by rules, and the KPI deltas.

Like the recommendations, the executive summary's insights are not hand-written: each rule below reads
the :class:`~cxlab.diagnosis.Diagnosis` and either returns an :class:`Insight` (a key, a score that ranks
it, and the figures its sentence quotes) or ``None`` when the client's data does not show the fact.
:func:`select_insights` keeps the highest-scoring three to five. The words live in the report layer
(:mod:`cxlab.report.story`); this module returns numbers, keys and the client's own names only.

Rules, in the order of their usual weight:

``barometer_drop``
    the group (industry, region …) whose cold NPS changed most between the last two barometer waves,
    **linked to the handoff that explains it**: among the handoffs that come back to the sender
    (a bounce: the case returns to a department it already visited), the one whose rate in the group's
    cases exceeds the other customers' most (at least ``LINK_MIN_EXCESS``, with ``small_n`` cases),
    with the activity that most often starts the bounce (the client's own words) and the rate before
    and after the first wave.
``premium_nps``
    the NPS of the premium value segment against the other segments and all answers, its share of
    current value and the predicted value of its detractors (revenue at risk).
``pingpong``
    the pair of departments that bounces cases most, when it is not the pair of the first insight.
``selfservice``
    self-service attempts that end in an assisted contact.
``handoff_threshold``
    NPS by number of handoffs as a threshold: "up to k − 1 handoffs NPS holds (or rises); from k on it
    collapses", with both NPS figures and their n.
``comment_theme``
    the comment theme whose authors give the lowest NPS.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .indicators import nps as nps_table
from .indicators import wave_order

if TYPE_CHECKING:  # pragma: no cover
    from .diagnosis import Diagnosis

#: a bounce rate in the group must exceed the others' by at least this share to explain a drop
LINK_MIN_EXCESS = 0.03
MIN_INSIGHTS, MAX_INSIGHTS = 3, 5
#: the value segment whose NPS the summary always reports
PREMIUM = "premium"


@dataclass(frozen=True)
class Insight:
    """One fact the summary leads with: ``key`` names its rule (and its sentence), ``score`` ranks it."""

    key: str
    score: float
    figures: Mapping[str, Any] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Any:
        return self.figures[name]

    def get(self, name: str, default: Any = None) -> Any:
        return self.figures.get(name, default)


@dataclass(frozen=True)
class Kpi:
    """A headline figure with its change against the previous wave or period (``None`` when there is none)."""

    key: str  # nps_cold | nps_hot | closed_loop | response_rate_cold
    value: float
    unit: str  # points | share
    n: int
    previous: float | None = None
    delta: float | None = None
    current_label: str = ""  # a wave ("2026-W2") or ""
    previous_label: str = ""
    #: for a period comparison: the first and last day of the current and of the previous period
    period: tuple[pd.Timestamp, pd.Timestamp] | None = None
    previous_period: tuple[pd.Timestamp, pd.Timestamp] | None = None
    small_n: bool = False
    #: the closed loop's follow-up target (hours) the share is measured against
    target_hours: float | None = None


# ---------------------------------------------------------------------------------------- helpers
def _small_n(dx: Diagnosis) -> int:
    return int(dx.settings.thresholds.small_n)


def _period_kpi(
    key: str,
    unit: str,
    current: tuple[float, int],
    previous: tuple[float, int],
    bounds: tuple[pd.Timestamp, pd.Timestamp, pd.Timestamp],
    small: int,
    **extra: Any,
) -> Kpi:
    """A figure (value, n) over the last period against the period before; ``bounds`` = (start of the previous
    period, start of the current one, end of the current one, exclusive). The previous figure and the change
    are kept only when the previous period has answers."""
    (now, n_now), (prev, n_prev) = current, previous
    start, cut, end = bounds
    has_prev = n_prev > 0
    return Kpi(
        key,
        now,
        unit,
        n_now,
        prev if has_prev else None,
        now - prev if has_prev else None,
        period=(cut, end - pd.Timedelta(days=1)),
        previous_period=(start, cut - pd.Timedelta(days=1)) if has_prev else None,
        small_n=n_now < small or (has_prev and n_prev < small),
        **extra,
    )


def _nps_score(frame: pd.DataFrame, dx: Diagnosis) -> tuple[float, int]:
    answered = frame[frame["nps"].notna()] if "nps" in frame.columns else frame.iloc[0:0]
    if answered.empty:
        return float("nan"), 0
    row = nps_table(answered, settings=dx.settings.indicators, thresholds=dx.settings.thresholds)
    return float(row["score"].iat[0]), int(row["n"].iat[0])


def bounce_link(dx: Diagnosis, by: str, group: str) -> dict[str, Any] | None:
    """The handoff that comes back to its sender most often in the cases of customers with
    ``by == group``, compared with the other customers' cases; ``None`` when no handoff stands out.

    A bounce is a transition back to a department the case already visited (``bounced``); the handoff
    that failed is the reverse of the bounce (Logistics returns the case to Sales: the Sales → Logistics
    handoff came back).
    """
    customers, cases, transitions = dx.client.customers, dx.handoffs.cases, dx.handoffs.transitions
    if customers is None or cases is None or transitions is None or by not in customers.columns:
        return None
    if "customer_id" not in cases.columns:
        return None
    attr = customers.set_index("customer_id")[by].astype("string")
    in_group = cases["customer_id"].map(attr).eq(str(group)).fillna(False).to_numpy(dtype=bool)
    n_group, n_other = int(in_group.sum()), int((~in_group).sum())
    if n_group < _small_n(dx) or n_other < _small_n(dx):
        return None
    bounced = transitions[transitions["bounced"].astype(bool)]
    if bounced.empty:
        return None
    case_index = pd.Index(cases["case_id"])
    best: dict[str, Any] | None = None
    for (source, target), rows in bounced.groupby(["from_department", "to_department"], observed=True):
        hit = case_index.isin(rows["case_id"].unique())
        rate_group = float(hit[in_group].mean())
        rate_other = float(hit[~in_group].mean())
        excess = rate_group - rate_other
        if excess >= LINK_MIN_EXCESS and (best is None or excess > best["excess"]):
            best = {
                "bounce_from": str(source),
                "bounce_to": str(target),
                # the handoff that came back: the reverse of the bounce
                "handoff_from": str(target),
                "handoff_to": str(source),
                "rate_group": rate_group,
                "rate_others": rate_other,
                "excess": excess,
                "cases_group": n_group,
                "cases_group_hit": int(hit[in_group].sum()),
                "_hit": hit,
            }
    if best is None:
        return None
    hit = best.pop("_hit")
    best["activity"] = _bounce_activity(dx, best["bounce_from"], best["bounce_to"])
    best.update(_rate_around_first_wave(dx, cases, in_group, hit))
    return best


def _bounce_activity(dx: Diagnosis, source: str, target: str) -> str | None:
    """The activity that most often ends the visit before a bounce ``source`` → ``target``."""
    events, transitions = dx.handoffs.prepared_events, dx.handoffs.transitions
    if events is None or transitions is None or "activity" not in events.columns:
        return None
    rows = transitions[
        transitions["bounced"].astype(bool)
        & (transitions["from_department"].astype("string") == source)
        & (transitions["to_department"].astype("string") == target)
    ]
    last = events.merge(
        rows[["case_id", "left_at"]].rename(columns={"left_at": "timestamp"}), on=["case_id", "timestamp"]
    )
    last = last[last["department"].astype("string") == source]
    if last.empty:
        return None
    counts = last["activity"].astype("string").value_counts()
    return str(counts.index[0])


def _rate_around_first_wave(
    dx: Diagnosis, cases: pd.DataFrame, in_group: np.ndarray, hit: np.ndarray
) -> dict[str, Any]:
    """The group's bounce rate in cases started before the first of the last two cold waves and after."""
    responses = dx.indicators.responses
    if responses is None or "wave" not in responses.columns or "start" not in cases.columns:
        return {}
    cold = responses[responses["survey"].astype("string") == "cold"] if "survey" in responses else responses
    waves = wave_order(cold)
    if len(waves) < 2:
        return {}
    first = cold.loc[cold["wave"].astype("string") == waves[-2], "answered_at"].min()
    started = pd.to_datetime(cases["start"]).to_numpy()
    before = in_group & (started < np.datetime64(first))
    after = in_group & (started >= np.datetime64(first))
    if before.sum() < _small_n(dx) or after.sum() < _small_n(dx):
        return {}
    return {"rate_before": float(hit[before].mean()), "rate_after": float(hit[after].mean())}


# ------------------------------------------------------------------------------------------ rules
def barometer_drop(dx: Diagnosis) -> Insight | None:
    f = dx.findings
    if "nps.barometer_drop_group" not in f or "nps.barometer_drop_points" not in f:
        return None
    points = float(f["nps.barometer_drop_points"])
    if points >= 0:
        return None
    by, group = str(f["nps.barometer_drop_by"]), str(f["nps.barometer_drop_group"])
    significant = bool(f.get("nps.barometer_drop_significant", False))
    figures: dict[str, Any] = {
        "by": by,
        "group": group,
        "points": points,
        "significant": significant,
        "change_all": f.get("nps.barometer_change"),
    }
    responses = dx.indicators.responses
    if responses is not None:
        cold = responses[responses["survey"].astype("string") == "cold"]
        waves = wave_order(cold)
        if len(waves) >= 2:
            figures["wave_from"], figures["wave_to"] = waves[-2], waves[-1]
    link = bounce_link(dx, by, group)
    if link is not None:
        figures["link"] = link
    score = abs(points) * (2.0 if significant else 1.0) + (25.0 if link else 0.0)
    return Insight("barometer_drop", score, figures)


def premium_nps(dx: Diagnosis) -> Insight | None:
    responses, table = dx.indicators.responses, dx.segments.table
    if responses is None or table is None or not {"value_segment", "nps"} <= set(responses.columns):
        return None
    answered = responses[responses["nps"].notna()]
    if answered.empty:
        return None
    by_segment = nps_table(
        answered, by="value_segment", settings=dx.settings.indicators, thresholds=dx.settings.thresholds
    )
    by_segment = by_segment[by_segment["n"] >= _small_n(dx)]
    scores = dict(zip(by_segment["value_segment"].astype("string"), by_segment["score"], strict=True))
    if PREMIUM not in scores:
        return None
    n = int(by_segment.loc[by_segment["value_segment"].astype("string") == PREMIUM, "n"].iat[0])
    all_score, _ = _nps_score(answered, dx)
    premium = float(scores[PREMIUM])
    lowest = premium <= min(scores.values())
    figures: dict[str, Any] = {
        "nps": premium,
        "n": n,
        "nps_all": all_score,
        "lowest": lowest,
        "segments": len(scores),
        "best_segment": max(scores, key=lambda k: scores[k]),
        "best_nps": float(max(scores.values())),
    }
    f = dx.findings
    if "segments.premium_value_share" in f:
        figures["value_share"] = float(f["segments.premium_value_share"])
    at_risk = revenue_at_risk(dx)
    if at_risk is not None:
        figures["revenue_at_risk"] = at_risk["all"]
        figures["revenue_at_risk_premium"] = at_risk.get(PREMIUM, 0.0)
    gap = all_score - premium
    score = 40.0 + max(gap, 0.0) + (20.0 if lowest else 0.0)
    return Insight("premium_nps", score, figures)


def revenue_at_risk(dx: Diagnosis) -> dict[str, float] | None:
    """The predicted future value of customers whose latest NPS answer is a detractor's, in total and per
    value segment (``None`` without segments or NPS answers)."""
    responses, table = dx.indicators.responses, dx.segments.table
    if responses is None or table is None or not {"customer_id", "nps"} <= set(responses.columns):
        return None
    answered = responses[responses["nps"].notna() & responses["customer_id"].notna()]
    if answered.empty or "future_value" not in table.columns:
        return None
    latest = answered.sort_values("answered_at").groupby("customer_id", observed=True)["nps"].last()
    detractors = latest[latest <= dx.settings.indicators.nps_detractor_max].index
    value = table.set_index("customer_id")
    value = value[value.index.isin(detractors)]
    out = {"all": float(value["future_value"].sum())}
    for segment, amount in value.groupby(value["segment"].astype("string"))["future_value"].sum().items():
        out[str(segment)] = float(amount)
    return out


def _pair(a: str, b: str) -> frozenset[str]:
    return frozenset((a, b))


def pingpong(dx: Diagnosis, skip: frozenset[str] | None = None) -> Insight | None:
    table = dx.handoffs.ping_pong
    if table is None or table.empty:
        return None
    for row in table.itertuples(index=False):
        pair = _pair(str(row.department_a), str(row.department_b))
        if skip is not None and pair == skip:
            continue
        if int(row.cases_bouncing) < _small_n(dx):
            return None
        figures: dict[str, Any] = {
            "a": str(row.department_a),
            "b": str(row.department_b),
            "cases": int(row.cases_bouncing),
            "share_of_cases": float(row.share_of_cases),
            "repeat_rate": float(row.repeat_rate),
        }
        f = dx.findings
        if f.get("authorisation.department") in pair and "authorisation.chaser_share" in f:
            figures["chaser_share"] = float(f["authorisation.chaser_share"])
            figures["authorisation_wait_h"] = f.get("authorisation.wait_h")
        return Insight("pingpong", 30.0 + 100.0 * float(row.share_of_cases), figures)
    return None


def selfservice(dx: Diagnosis) -> Insight | None:
    f = dx.findings
    if "selfservice.failure_to_call_share" not in f or int(f.get("selfservice.cases", 0)) < _small_n(dx):
        return None
    share = float(f["selfservice.failure_to_call_share"])
    if share < 0.2:
        return None
    figures = {
        "share": share,
        "cases": int(f["selfservice.cases"]),
        "department": f.get("selfservice.department"),
    }
    return Insight("selfservice", 20.0 + 20.0 * share, figures)


def comment_theme(dx: Diagnosis) -> Insight | None:
    f = dx.findings
    if "text.worst_nps_theme" not in f:
        return None
    gap = float(f.get("text.worst_nps_theme_nps_gap", 0.0))
    if gap >= 0:
        return None
    figures = {
        "theme": str(f["text.worst_nps_theme"]),
        "nps": float(f["text.worst_nps_theme_nps"]),
        "gap": gap,
        "customers": int(f.get("text.worst_nps_theme_customers", 0)),
        "nps_all": f.get("text.nps_all"),
    }
    return Insight("comment_theme", 10.0 + abs(gap) / 10.0, figures)


def handoff_threshold(dx: Diagnosis) -> Insight | None:
    """NPS against the number of handoffs of the answered case, as the threshold it is: the count ``k``
    that splits the answers into "fewer than k" and "k or more" with the largest NPS fall weighted by
    √(n_below·n_above / n) (both sides with ``small_n`` answers), and, below it, whether NPS still rises or holds between the smallest and
    the largest count with ``small_n`` answers each. ``None`` when no split costs 10 points or more."""
    linked = dx.handoffs.linked
    if linked is None or "handoffs" not in linked.columns or "nps" not in linked.columns:
        return None
    answered = linked[linked["nps"].notna() & linked["handoffs"].notna()]
    if answered.empty:
        return None
    small = _small_n(dx)
    counts = answered["handoffs"].astype(int)
    best: tuple[float, int, float, int, float, int] | None = None
    for k in sorted(counts.unique())[1:]:
        below, n_below = _nps_score(answered[counts < k], dx)
        above, n_above = _nps_score(answered[counts >= k], dx)
        if n_below < small or n_above < small:
            continue
        # the fall weighted by the sizes of both sides (as a two-sample z statistic): a split that isolates
        # a handful of extreme answers does not beat one that separates two large groups
        weight = (below - above) * np.sqrt(n_below * n_above / (n_below + n_above))
        if best is None or weight > best[0]:
            best = (weight, int(k), below, n_below, above, n_above)
    if best is None or best[2] - best[4] < 10.0:
        return None
    _, k, below, n_below, above, n_above = best
    drop = below - above
    figures: dict[str, Any] = {
        "threshold": k,
        "nps_below": below,
        "n_below": n_below,
        "nps_above": above,
        "n_above": n_above,
        "drop": drop,
        "share_above": n_above / (n_below + n_above),
    }
    steady = [(int(c), *_nps_score(answered[counts == c], dx)) for c in sorted(counts[counts < k].unique())]
    steady = [(c, score, n) for c, score, n in steady if n >= small]
    if len(steady) >= 2 and steady[-1][1] >= steady[0][1]:
        (first, nps_first, _), (last, nps_last, _) = steady[0], steady[-1]
        figures.update(first=first, nps_first=nps_first, last=last, nps_last=nps_last)
    return Insight("handoff_threshold", 20.0 + drop / 10.0, figures)


#: the insight rules, in the order they are tried (the score decides the order shown)
RULES: tuple[Callable[..., Insight | None], ...] = (
    barometer_drop,
    premium_nps,
    pingpong,
    selfservice,
    handoff_threshold,
    comment_theme,
)


def select_insights(dx: Diagnosis, limit: int = MAX_INSIGHTS) -> list[Insight]:
    """The insights the client's data supports, highest score first, at most ``limit``; a later rule
    never repeats the department pair an earlier insight already names."""
    found: list[Insight] = []
    first = barometer_drop(dx)
    skip = None
    if first is not None:
        found.append(first)
        link = first.get("link")
        if link:
            skip = _pair(link["handoff_from"], link["handoff_to"])
    for rule in (premium_nps, selfservice, handoff_threshold, comment_theme):
        insight = rule(dx)
        if insight is not None:
            found.append(insight)
    pp = pingpong(dx, skip=skip)
    if pp is not None:
        found.append(pp)
    found.sort(key=lambda i: -i.score)
    return found[:limit]


# -------------------------------------------------------------------------------------------- KPIs
def kpis(dx: Diagnosis, months: int = 3) -> list[Kpi]:
    """Cold NPS (latest wave against the previous), cold response rate per wave, and hot NPS over the
    last ``months`` months against the ``months`` before (n shown; flagged below ``small_n``)."""
    out: list[Kpi] = []
    responses = dx.indicators.responses
    if responses is None or "nps" not in responses.columns:
        return out
    small = _small_n(dx)
    cold = responses[(responses["survey"].astype("string") == "cold") & responses["nps"].notna()]
    waves = wave_order(cold) if len(cold) else []
    if waves:
        now, n_now = _nps_score(cold[cold["wave"].astype("string") == waves[-1]], dx)
        prev, n_prev = (
            _nps_score(cold[cold["wave"].astype("string") == waves[-2]], dx) if len(waves) > 1 else (None, 0)
        )
        out.append(
            Kpi(
                "nps_cold",
                now,
                "points",
                n_now,
                prev,
                None if prev is None else now - prev,
                waves[-1],
                waves[-2] if len(waves) > 1 else "",
                small_n=n_now < small or (prev is not None and n_prev < small),
            )
        )
    hot = responses[(responses["survey"].astype("string") == "hot") & responses["nps"].notna()]
    if len(hot):
        end = pd.Timestamp(dx.analysis_date).normalize() + pd.Timedelta(days=1)
        cut = end - pd.DateOffset(months=months)
        start = cut - pd.DateOffset(months=months)
        when = pd.to_datetime(hot["answered_at"])
        now_rows, prev_rows = hot[(when >= cut) & (when < end)], hot[(when >= start) & (when < cut)]
        now, n_now = _nps_score(now_rows, dx)
        if n_now:
            prev, n_prev = _nps_score(prev_rows, dx)
            out.append(
                _period_kpi("nps_hot", "points", (now, n_now), (prev, n_prev), (start, cut, end), small)
            )
    loop = closed_loop_kpi(dx, months)
    if loop is not None:
        out.append(loop)
    invitations = dx.client.survey_invitations
    if invitations is not None and "wave" in invitations.columns and len(waves) > 1:
        inv = invitations[invitations["survey"].astype("string") == "cold"]
        rates = []
        for wave in waves[-2:]:
            sent = inv[inv["wave"].astype("string") == wave]
            ids = set(sent["invitation_id"])
            answered = (
                responses["invitation_id"].isin(ids).sum() if "invitation_id" in responses.columns else 0
            )
            rates.append((len(sent), int(answered)))
        if all(n for n, _ in rates):
            (n_prev, k_prev), (n_now, k_now) = rates
            out.append(
                Kpi(
                    "response_rate_cold",
                    k_now / n_now,
                    "share",
                    n_now,
                    k_prev / n_prev,
                    k_now / n_now - k_prev / n_prev,
                    waves[-1],
                    waves[-2],
                    small_n=n_now < small,
                )
            )
    return out


def closed_loop_kpi(dx: Diagnosis, months: int = 3) -> Kpi | None:
    """The closed loop: the share of hot detractors contacted within the follow-up target
    (``thresholds.followup_target_hours``) among those answering in the last ``months`` months whose
    target has passed, against the ``months`` before; ``None`` when the data records no follow-up.
    Follow-ups are judged at the last answer of the data (a late call after the period still counts)."""
    from .indicators import closed_loop

    responses = dx.indicators.responses
    if (
        responses is None
        or "followup_at" not in responses.columns
        or "nps" not in responses.columns
        or not responses["followup_at"].notna().any()
    ):
        return None
    settings, thresholds = dx.settings.indicators, dx.settings.thresholds
    when = pd.to_datetime(responses["answered_at"])
    as_of = when.max()
    end = pd.Timestamp(dx.analysis_date).normalize() + pd.Timedelta(days=1)
    cut = end - pd.DateOffset(months=months)
    start = cut - pd.DateOffset(months=months)

    def status(rows: pd.DataFrame) -> tuple[float, int, float]:
        loop = closed_loop(rows, as_of=as_of, settings=settings, thresholds=thresholds)
        due = int(loop[["on_time", "late", "overdue"]].iloc[0].sum()) if len(loop) else 0
        share = float(loop["share_on_time"].iat[0]) if due else float("nan")
        return share, due, float(thresholds.followup_target_hours)

    now, n_now, target = status(responses[(when >= cut) & (when < end)])
    if not n_now:
        return None
    prev, n_prev, _ = status(responses[(when >= start) & (when < cut)])
    return _period_kpi(
        "closed_loop",
        "share",
        (now, n_now),
        (prev, n_prev),
        (start, cut, end),
        _small_n(dx),
        target_hours=target,
    )


# ------------------------------------------------------------------------------ initiative impacts
@dataclass(frozen=True)
class Impact:
    """The expected impact of an initiative, from the data: ``kind`` "nps" (hot NPS points gained if the
    affected answers scored like the others; ``share`` of answers affected, ``n`` answers) or "money"
    (predicted future value of the detractors it addresses)."""

    kind: str  # nps | money
    value: float
    share: float | None = None
    n: int = 0


def _problem_cases(dx: Diagnosis, key: str) -> pd.Series | None:
    cases, flags = dx.handoffs.cases, dx.handoffs.flags
    if cases is None:
        return None
    if key == "handoffs":
        return cases.loc[cases["ping_pongs"] > 0, "case_id"]
    if flags is None:
        return None
    if key == "empowerment" and "authorisation" in flags.columns:
        return flags.loc[flags["authorisation"].astype(bool), "case_id"]
    if key == "self_service" and "self_service" in flags.columns:
        return flags.loc[flags["self_service"].astype(bool), "case_id"]
    if key == "knowledge" and "contradictory_answers" in flags.columns:
        chased = cases.loc[cases["chasers"] > 0, "case_id"] if "chasers" in cases.columns else pd.Series([])
        contradictory = flags.loc[flags["contradictory_answers"].astype(bool), "case_id"]
        return pd.concat([chased, contradictory]).drop_duplicates()
    return None


def nps_gain(dx: Diagnosis, problem_cases: pd.Series) -> Impact | None:
    """Hot NPS points gained if the answers on ``problem_cases`` scored like the other answers:
    share of affected answers × (NPS of the others − NPS of the affected)."""
    linked = dx.handoffs.linked
    if linked is None or "nps" not in linked.columns:
        return None
    answered = linked[linked["nps"].notna()]
    affected = answered["case_id"].isin(set(problem_cases))
    n_aff, n_oth = int(affected.sum()), int((~affected).sum())
    if n_aff < _small_n(dx) or n_oth < _small_n(dx):
        return None
    aff, _ = _nps_score(answered[affected], dx)
    oth, _ = _nps_score(answered[~affected], dx)
    share = n_aff / len(answered)
    gain = share * (oth - aff)
    return Impact("nps", gain, share, len(answered)) if gain > 0 else None


def initiative_impact(dx: Diagnosis, key: str) -> Impact | None:
    """The expected impact of the initiative ``key`` (see :mod:`cxlab.recommend.initiatives`), or None
    when the data gives none (an enabler such as governance)."""
    if key in ("listening", "value"):
        risk = revenue_at_risk(dx)
        if risk is None:
            return None
        amount = risk["all"] if key == "listening" else risk.get(PREMIUM, 0.0) + risk.get("potential", 0.0)
        return Impact("money", amount) if amount > 0 else None
    cases = _problem_cases(dx, key)
    if cases is None or cases.empty:
        return None
    return nps_gain(dx, cases)


# ------------------------------------------------------------------------------ small-sample trends
#: the periods a trend may use, finest first
TREND_PERIODS: tuple[str, ...] = ("M", "Q", "Y")
#: a period length is kept when at least this share of its points reach ``small_n`` answers
TREND_MIN_SHARE = 0.8


def hot_trend_policy(
    responses: pd.DataFrame,
    by: str | None,
    settings: Any,
    thresholds: Any,
    min_share: float = TREND_MIN_SHARE,
) -> tuple[pd.DataFrame, str]:
    """The hot trend at the finest period (month → quarter → year) whose points mostly reach the
    minimum n (``thresholds.small_n``): at least ``min_share`` of the points; the points still below it
    keep ``small_n = True`` (the chart marks them). Returns the trend and the period letter."""
    from .indicators import hot_trend

    trend = pd.DataFrame()
    freq = TREND_PERIODS[0]
    for freq in TREND_PERIODS:
        trend = hot_trend(responses, by=by, freq=freq, settings=settings, thresholds=thresholds)
        if trend.empty or (trend["n"] >= thresholds.small_n).mean() >= min_share:
            break
    return trend, freq


# -------------------------------------------------------------------------------- value × satisfaction
@dataclass(frozen=True)
class ValueSatisfaction:
    """Satisfaction joined to customer value: per value segment the NPS with its promoter / passive /
    detractor split and the revenue at risk (predicted value of the customers whose latest answer is a
    detractor's); per segment × touchpoint the NPS with n (``small_n`` flags the cells below the minimum)."""

    segments: (
        pd.DataFrame
    )  # value_segment, n, share_promoters, share_passives, share_detractors, score, revenue_at_risk, small_n
    by_touchpoint: pd.DataFrame | None  # value_segment, touchpoint, n, score, small_n
    revenue_at_risk: float


def value_satisfaction(dx: Diagnosis) -> ValueSatisfaction | None:
    responses = dx.indicators.responses
    if responses is None or "value_segment" not in responses.columns or "nps" not in responses.columns:
        return None
    answered = responses[responses["nps"].notna() & responses["value_segment"].notna()]
    if answered.empty:
        return None
    s, t = dx.settings.indicators, dx.settings.thresholds
    table = nps_table(answered, by="value_segment", settings=s, thresholds=t)
    risk = revenue_at_risk(dx) or {"all": 0.0}
    table["value_segment"] = table["value_segment"].astype("string")
    table["revenue_at_risk"] = [float(risk.get(str(v), 0.0)) for v in table["value_segment"]]
    cols = ["value_segment", "n", "share_promoters", "share_passives", "share_detractors", "score"]
    segments = table[[*cols, "revenue_at_risk", "small_n"]].reset_index(drop=True)
    by_touchpoint = None
    if "touchpoint" in answered.columns and answered["touchpoint"].notna().any():
        grid = nps_table(answered, by=["value_segment", "touchpoint"], settings=s, thresholds=t)
        grid = grid[grid["n"] > 0]
        by_touchpoint = grid[["value_segment", "touchpoint", "n", "score", "small_n"]].reset_index(drop=True)
        for c in ("value_segment", "touchpoint"):
            by_touchpoint[c] = by_touchpoint[c].astype("string")
    return ValueSatisfaction(segments, by_touchpoint, float(risk.get("all", 0.0)))
