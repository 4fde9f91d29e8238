"""Findings: the typed, flat set of named figures that the recommendation rules read.

Every analysis contributes a few headline figures under a dotted key (``handoff.worst_pair``,
``survey.response_rate_cold``, ``culture.gap_max`` ...). :data:`FINDING_SPECS` declares each known key
once: its kind (which fixes the Python type and how it is printed), its unit and its meaning.
:class:`Findings` is an immutable mapping of key -> value that checks values against those specs;
:func:`collect_findings` runs the analyses that are available on a loaded client and fills the keys it
can. A table or an analysis that is missing leaves its keys **absent** (never ``None`` or 0): the rules
that need them are skipped, and :attr:`Findings.skipped` says why.

Kinds and how they print (via :mod:`cxlab.i18n`):

========= ======================= ===================================================================
kind      Python type              printed as
========= ======================= ===================================================================
share     float 0–1                percentage, ``23%`` / ``23 %``
hours     float ≥ 0                ``5.2 h``; days past 48 h (``3.1 days`` / ``3,1 giorni``)
points    float                    NPS points, one decimal
delta     float                    signed change in points, ``−30.2``
score     float 1–5                workshop score, one decimal
number    float                    one decimal
count     int ≥ 0                  whole number with thousands separator
z         float                    two decimals
text      str                      as is (department names, pairs like ``Sales → Logistics``)
pillar    str (a PILLARS key)      the pillar's name in the report language
theme     str (a comment theme)    the theme's label in the report language (:func:`cxlab.text.theme_label`)
bool      bool                     yes / no (sì / no)
========= ======================= ===================================================================

Keys outside :data:`FINDING_SPECS` are accepted when they look like ``topic.name`` (third-party rule
packages may use their own) and are printed by their Python type. A NaN value counts as absent.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal, TypeGuard

import numpy as np
import pandas as pd

from . import i18n
from .config import IndicatorSettings
from .errors import CxlabError
from .i18n import gettext, pgettext
from .indicators import nps
from .questionnaire import PILLARS
from .stats import nps_interval
from .text import theme_label

if TYPE_CHECKING:  # pragma: no cover — the Diagnosis imports this module (it computes dx.findings)
    from .diagnosis import Diagnosis

Kind = Literal[
    "share", "hours", "points", "delta", "score", "number", "count", "z", "text", "pillar", "theme", "bool"
]
FindingValue = float | int | str | bool

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+$")


class FindingsError(CxlabError):
    """A finding has an invalid key or a value of the wrong type for its kind."""


@dataclass(frozen=True)
class FindingSpec:
    key: str
    kind: Kind
    unit: str
    meaning: str
    #: the analysis (module) that provides the figure
    source: str


def _specs(source: str, rows: list[tuple[str, Kind, str, str]]) -> dict[str, FindingSpec]:
    return {key: FindingSpec(key, kind, unit, meaning, source) for key, kind, unit, meaning in rows}


#: every key collect_findings may fill, with its kind, unit and meaning
FINDING_SPECS: Mapping[str, FindingSpec] = MappingProxyType(
    {
        **_specs(
            "handoffs",
            [
                ("handoff.cases", "count", "cases", "cases in the event log"),
                ("handoff.worst_pair", "text", "", "worst handoff by total waiting time, 'From → To'"),
                ("handoff.worst_pair_from", "text", "", "department handing over at the worst handoff"),
                ("handoff.worst_pair_to", "text", "", "department receiving at the worst handoff"),
                ("handoff.worst_pair_count", "count", "handoffs", "handoffs at the worst pair"),
                ("handoff.worst_pair_wait_h", "hours", "h", "median wait at the worst handoff"),
                (
                    "handoff.worst_pair_wait_share",
                    "share",
                    "of total wait",
                    "share of all handoff waiting time spent at the worst handoff",
                ),
                (
                    "handoff.worst_pair_case_share",
                    "share",
                    "of cases",
                    "cases crossing the worst handoff, among all cases (the volume behind a priority)",
                ),
                (
                    "handoff.worst_pair_nps_gap",
                    "delta",
                    "NPS points",
                    "NPS of cases crossing the worst handoff minus NPS of the other cases",
                ),
                ("handoff.pingpong_share", "share", "of cases", "cases with at least one ping-pong A→B→A"),
                ("handoff.pingpong_pair", "text", "", "pair that ping-pongs most, 'A ↔ B'"),
                (
                    "handoff.pingpong_rate",
                    "share",
                    "of cases crossing the pair",
                    "cases that bounce between the top ping-pong pair, among cases crossing it",
                ),
                ("handoff.pingpong_cases", "count", "cases", "cases bouncing between the top pair"),
                (
                    "handoff.pingpong_case_share",
                    "share",
                    "of cases",
                    "cases bouncing between the top pair, among all cases (the volume behind a priority)",
                ),
                ("handoff.pingpong2_pair", "text", "", "second ping-pong pair, 'A ↔ B'"),
                (
                    "handoff.pingpong2_rate",
                    "share",
                    "of cases crossing the pair",
                    "as pingpong_rate, 2nd pair",
                ),
                ("handoff.pingpong2_cases", "count", "cases", "cases bouncing between the second pair"),
                (
                    "handoff.pingpong2_case_share",
                    "share",
                    "of cases",
                    "as pingpong_case_share, 2nd pair",
                ),
                (
                    "handoff.rework_share",
                    "share",
                    "of cases",
                    "cases that re-visit a department (rework > 0)",
                ),
                ("handoff.mean_breadth", "number", "departments", "distinct departments per case, mean"),
                (
                    "handoff.nps_per_handoff",
                    "delta",
                    "NPS points",
                    "change in NPS per extra handoff in a case",
                ),
                ("authorisation.department", "text", "", "department that gives most authorisations"),
                ("authorisation.cases", "count", "cases", "cases that wait on an authorisation"),
                ("authorisation.wait_h", "hours", "h", "median wait for an authorisation"),
                (
                    "authorisation.chaser_share",
                    "share",
                    "of authorisation cases",
                    "authorisation cases in which the customer chased while waiting",
                ),
                ("chasers.cases", "count", "cases", "cases with at least one customer chaser"),
                ("chasers.share_of_cases", "share", "of cases", "cases with at least one customer chaser"),
                ("chasers.per_chased_case", "number", "chasers", "chasers per chased case, mean"),
                ("chasers.department", "text", "", "department holding the case most often when chased"),
                ("chasers.nps_gap", "delta", "NPS points", "NPS of chased cases minus NPS of the others"),
                ("selfservice.cases", "count", "cases", "cases with a self-service attempt"),
                (
                    "selfservice.failure_to_call_share",
                    "share",
                    "of self-service cases",
                    "self-service attempts followed by an assisted contact on the same case",
                ),
                ("selfservice.department", "text", "", "department that runs the self-service channel"),
                ("contradictory.cases", "count", "cases", "cases with contradictory answers"),
                ("contradictory.share", "share", "of cases", "cases with contradictory answers"),
            ],
        ),
        **_specs(
            "indicators",
            [
                ("survey.has_hot", "bool", "", "hot (transactional) surveys are in the data"),
                ("survey.has_cold", "bool", "", "cold (relational) surveys are in the data"),
                ("survey.cold_waves", "count", "waves", "cold barometer waves"),
                ("survey.response_rate_cold", "share", "of invitations", "cold response rate"),
                ("survey.response_rate_hot", "share", "of invitations", "hot response rate"),
                (
                    "survey.over_surveyed_customers",
                    "count",
                    "customers",
                    "customers above the survey-pressure threshold",
                ),
                ("survey.over_surveyed_share", "share", "of invited customers", "over-surveyed customers"),
                (
                    "survey.response_rate_low_pressure",
                    "share",
                    "of invitations",
                    "response rate at the lowest pressure level",
                ),
                (
                    "survey.response_rate_high_pressure",
                    "share",
                    "of invitations",
                    "response rate at the highest pressure level",
                ),
                (
                    "survey.stopped_answering",
                    "count",
                    "customers",
                    "answered an earlier wave, not the latest",
                ),
                ("survey.ultra_detractors", "count", "customers", "ultra-detractors (NPS 0–1)"),
                (
                    "survey.ultra_detractors_uncalled",
                    "count",
                    "customers",
                    "ultra-detractors with no follow-up contact within the target hours",
                ),
                (
                    "survey.followup_tracked",
                    "bool",
                    "",
                    "the responses record when the respondent was first contacted (followup_at)",
                ),
                ("survey.ultra_promoters", "count", "customers", "ultra-promoters (NPS ≥ 9 by default)"),
                ("nps.cold", "points", "NPS", "NPS of the latest cold wave"),
                ("nps.hot", "points", "NPS", "NPS of hot surveys"),
                ("nps.barometer_change", "delta", "NPS points", "latest cold wave minus the previous one"),
                ("nps.barometer_drop_by", "text", "", "grouping column of the largest barometer drop"),
                ("nps.barometer_drop_group", "text", "", "group with the largest NPS drop between waves"),
                ("nps.barometer_drop_points", "delta", "NPS points", "that group's NPS change"),
                ("nps.barometer_drop_significant", "bool", "", "that change is significant"),
                ("indicators.measured", "count", "indicators", "indicators with data among NPS/CSAT/CES/CXi"),
                ("indicators.missing", "text", "", "indicators with no data, comma-separated"),
            ],
        ),
        **_specs(
            "segments",
            [
                ("segments.premium_customers", "count", "customers", "premium customers"),
                ("segments.premium_share", "share", "of customers", "premium customers"),
                ("segments.premium_value_share", "share", "of current value", "value of premium customers"),
                ("segments.potential_customers", "count", "customers", "potential customers"),
                ("segments.potential_share", "share", "of customers", "potential customers"),
                ("segments.dilemma_customers", "count", "customers", "dilemma customers"),
                ("segments.dilemma_value_share", "share", "of current value", "value of dilemma customers"),
                (
                    "segments.dilemma_future_ratio",
                    "number",
                    "× current value",
                    "predicted value of the dilemma customers over the horizon, against their current value",
                ),
                (
                    "segments.dilemma_prob_alive",
                    "share",
                    "probability",
                    "median probability that a dilemma customer is still active (model customers)",
                ),
                (
                    "segments.dilemma_silent_share",
                    "share",
                    "of dilemma customers",
                    "dilemma customers probably no longer active (probability active below 50 %)",
                ),
            ],
        ),
        **_specs(
            "text",
            [
                ("text.comments", "count", "comments", "survey comments analysed"),
                ("text.negative_share", "share", "of comments", "comments with negative sentiment"),
                (
                    "text.ultra_detractor_comments",
                    "count",
                    "comments",
                    "comments written by ultra-detractors (NPS 0–1)",
                ),
                ("text.top_negative_theme", "theme", "", "theme mentioned most in negative comments"),
                (
                    "text.top_negative_theme_share",
                    "share",
                    "of negative comments",
                    "negative comments that mention the top theme",
                ),
                (
                    "text.top_negative_theme_nps",
                    "points",
                    "NPS",
                    "NPS of the customers who mention the top negative theme (all their answers)",
                ),
                (
                    "text.top_negative_theme_nps_gap",
                    "delta",
                    "NPS points",
                    "NPS of the customers who mention the top negative theme minus NPS of all answers",
                ),
                (
                    "text.worst_nps_theme",
                    "theme",
                    "",
                    "theme whose mentioners give the lowest NPS (groups below small_n left out)",
                ),
                ("text.worst_nps_theme_nps", "points", "NPS", "NPS of the customers who mention it"),
                (
                    "text.worst_nps_theme_nps_gap",
                    "delta",
                    "NPS points",
                    "NPS of the customers who mention it minus NPS of all answers",
                ),
                ("text.worst_nps_theme_customers", "count", "customers", "customers who mention it"),
                ("text.nps_all", "points", "NPS", "NPS of all survey answers (the base of the gaps)"),
            ],
        ),
        **_specs(
            "culture",
            [
                ("culture.departments", "count", "departments", "departments that answered"),
                ("culture.gap_department", "text", "", "department whose self-rating exceeds others' most"),
                ("culture.gap_max", "score", "points on 1–5", "self-rating minus rating by others, largest"),
                ("culture.gap_self", "score", "1–5", "that department's self-rating"),
                ("culture.gap_others", "score", "1–5", "that department as rated by the others"),
                (
                    "culture.harshest_rater",
                    "text",
                    "",
                    "department rating itself most above how it rates others",
                ),
                ("culture.harshest_rater_self", "score", "1–5", "its self-rating on the cross questions"),
                ("culture.harshest_rater_given", "score", "1–5", "its rating of the other departments"),
                ("culture.harshest_rater_gap", "score", "points on 1–5", "self-rating minus rating given"),
                ("culture.spread_pillar", "pillar", "", "pillar with the largest spread between departments"),
                ("culture.spread_max", "score", "points on 1–5", "highest minus lowest department score"),
                ("culture.lowest_department", "text", "", "department with the lowest overall score"),
                ("culture.lowest_score", "score", "1–5", "its overall score"),
                ("culture.info_lowest_department", "text", "", "lowest on passing/receiving information"),
                ("culture.info_lowest_score", "score", "1–5", "its score on q03/q04"),
                ("culture.empowerment_score", "score", "1–5", "front-line empowerment (q08), mean"),
                ("culture.listening_score", "score", "1–5", "trained to listen (q11), mean"),
                ("culture.listening_lowest_department", "text", "", "lowest on q11"),
                ("culture.listening_lowest_score", "score", "1–5", "its q11 score"),
                ("culture.voice_of_customer_score", "score", "1–5", "someone speaks for the customer (q10)"),
                ("culture.roles_clear_score", "score", "1–5", "clear ownership of requests (q07), mean"),
                ("culture.internal_customer_score", "score", "1–5", "colleagues as internal customers (q12)"),
            ],
        ),
    }
)


def _is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check(key: str, value: object) -> FindingValue:
    spec = FINDING_SPECS.get(key)
    if not KEY_PATTERN.match(key):
        raise FindingsError("a key like 'topic.name' (lower case, dotted)", column=key, found=repr(key))

    def fail(expected: str) -> FindingsError:
        return FindingsError(expected, file="findings", column=key, found=repr(value))

    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars -> Python
        value = value.item()
    if spec is None:
        if isinstance(value, bool | str) or _is_number(value):
            return value
        raise fail("a number, text or true/false")
    kind = spec.kind
    if kind == "bool":
        if isinstance(value, bool):
            return value
        raise fail("true or false")
    if kind in ("text", "pillar", "theme"):
        if not isinstance(value, str) or not value:
            raise fail("non-empty text")
        if kind == "pillar" and value not in PILLARS:
            raise fail("one of " + ", ".join(PILLARS))
        return value
    if kind == "count":
        if _is_number(value) and float(value) == int(value) and value >= 0:
            return int(value)
        raise fail("a whole number ≥ 0")
    if not _is_number(value) or not math.isfinite(value):
        raise fail("a number")
    value = float(value)
    if kind == "share" and not -1e-9 <= value <= 1 + 1e-9:
        raise fail("a share from 0 to 1")
    if kind == "hours" and value < 0:
        raise fail("hours ≥ 0")
    return value


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


class Findings(Mapping[str, FindingValue]):
    """An immutable, validated mapping of finding key -> value.

    ``skipped`` maps an analysis name to the reason it did not contribute (missing table, not installed).
    ``currency`` and ``analysis_date`` travel with the figures for formatting and due dates.
    """

    __slots__ = ("_values", "skipped", "analysis_date", "currency")
    _values: Mapping[str, FindingValue]
    skipped: Mapping[str, str]
    analysis_date: dt.date | None
    currency: str

    def __init__(
        self,
        values: Mapping[str, object] | None = None,
        *,
        skipped: Mapping[str, str] | None = None,
        analysis_date: dt.date | None = None,
        currency: str = "EUR",
    ) -> None:
        clean = {k: _check(k, v) for k, v in (values or {}).items() if not _is_missing(v)}
        object.__setattr__(self, "_values", MappingProxyType(dict(sorted(clean.items()))))
        object.__setattr__(self, "skipped", MappingProxyType(dict(skipped or {})))
        object.__setattr__(self, "analysis_date", analysis_date)
        object.__setattr__(self, "currency", currency)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Findings are immutable; use .updated(...)")

    def __getitem__(self, key: str) -> FindingValue:
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Findings({dict(self._values)!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Findings):
            return dict(self._values) == dict(other._values)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self):
        # immutable + __slots__: rebuild through the constructor (pickling for batch workers, deepcopy)
        return (_rebuild, (dict(self._values), dict(self.skipped), self.analysis_date, self.currency))

    def updated(self, values: Mapping[str, object] | None = None, **skipped: str) -> Findings:
        """A copy with more (or replaced) values and skipped-analysis notes."""
        return Findings(
            {**self._values, **(values or {})},
            skipped={**self.skipped, **skipped},
            analysis_date=self.analysis_date,
            currency=self.currency,
        )

    def without(self, *keys: str) -> Findings:
        """A copy without the given keys (handy in tests and what-if views)."""
        return Findings(
            {k: v for k, v in self._values.items() if k not in keys},
            skipped=self.skipped,
            analysis_date=self.analysis_date,
            currency=self.currency,
        )

    def format(self, key: str, lang: str = "en") -> str:
        """The value of ``key`` printed for a report in ``lang``."""
        return format_value(key, self[key], lang)

    def frame(self, lang: str = "en"):
        """A tidy table of every figure: key, kind, unit, meaning (in ``lang``), value, formatted."""
        rows = []
        for key, value in self._values.items():
            spec = FINDING_SPECS.get(key)
            rows.append(
                {
                    "key": key,
                    "kind": spec.kind if spec else type(value).__name__,
                    "unit": gettext(lang, spec.unit) if spec and spec.unit else "",
                    "meaning": gettext(lang, spec.meaning) if spec else "",
                    "value": value,
                    "formatted": format_value(key, value, lang),
                }
            )
        return pd.DataFrame(rows, columns=["key", "kind", "unit", "meaning", "value", "formatted"])


def _rebuild(values: dict, skipped: dict, analysis_date: dt.date | None, currency: str) -> Findings:
    return Findings(values, skipped=skipped, analysis_date=analysis_date, currency=currency)


def specs_frame() -> pd.DataFrame:
    """The reference of every known key (key, kind, unit, meaning, source) — for docs and the appendix."""
    return pd.DataFrame(
        [(s.key, s.kind, s.unit, s.meaning, s.source) for s in FINDING_SPECS.values()],
        columns=["key", "kind", "unit", "meaning", "source"],
    )


def format_value(key: str, value: FindingValue, lang: str = "en") -> str:
    """Print one finding value by its kind (see the module docstring)."""
    spec = FINDING_SPECS.get(key)
    kind: str = spec.kind if spec else ""
    if isinstance(value, bool):
        return pgettext(lang, "answer", "yes" if value else "no")
    if isinstance(value, str):
        if kind == "pillar":
            return i18n.translate(PILLARS, value, lang)
        if kind == "theme":
            return theme_label(value, lang)
        return value
    formatters: dict[str, Callable[[float], str]] = {
        "share": lambda v: i18n.format_percent(v, lang, 0),
        "hours": lambda v: i18n.format_duration_hours(v, lang),
        "points": lambda v: i18n.format_number(v, lang, 1).replace("-", "−"),  # as delta: a real minus
        "delta": lambda v: i18n.format_signed(v, lang, 1),
        "score": lambda v: i18n.format_number(v, lang, 1),
        "number": lambda v: i18n.format_number(v, lang, 1),
        "count": lambda v: i18n.format_number(v, lang, 0),
        "z": lambda v: i18n.format_number(v, lang, 2),
    }
    if kind in formatters:
        return formatters[kind](value)
    decimals = 0 if isinstance(value, int) else 1
    return i18n.format_number(value, lang, decimals)


# --------------------------------------------------------------------------------------------------
# collecting the figures from a loaded client


class _Skip(Exception):
    """Internal: an analysis cannot contribute (missing table or column); the message says why."""


def _mode(values) -> str | None:
    """The most frequent value (ties: first in sorted order), as text."""
    s = pd.Series(values).dropna().astype(str)
    if s.empty:
        return None
    counts = s.value_counts()
    top = counts[counts == counts.iloc[0]].index
    return str(sorted(top)[0])


def _nps(scores, promoter_min: int, detractor_max: int) -> tuple[float, int]:
    """(NPS in points, answers) of some 0–10 scores, by :func:`cxlab.indicators.nps`."""
    frame = pd.DataFrame({"nps": np.asarray(scores, dtype=float)})
    settings = IndicatorSettings(nps_promoter_min=promoter_min, nps_detractor_max=detractor_max)
    row = nps(frame, settings=settings).iloc[0]
    n = int(row["n"])
    return (float(row["score"]), n) if n else (math.nan, 0)


def _table_facts(dx: Diagnosis, out: dict, notes: dict) -> None:
    """Facts about the survey tables themselves (which surveys, waves and indicators exist)."""
    responses, invitations = dx.client.survey_responses, dx.client.survey_invitations
    frames = [f for f in (responses, invitations) if f is not None and "survey" in f.columns]
    if not frames:
        raise _Skip("no survey_responses or survey_invitations table")
    kinds = set()
    for f in frames:
        kinds |= set(f["survey"].dropna().astype(str))
    out["survey.has_hot"] = "hot" in kinds
    out["survey.has_cold"] = "cold" in kinds
    waves = set()
    for f in frames:
        if "wave" in f.columns:
            cold = f[f["survey"].astype(str) == "cold"]
            waves |= set(cold["wave"].dropna().astype(str))
    if "cold" in kinds:
        out["survey.cold_waves"] = len(waves) or 1
    if responses is not None:
        out["survey.followup_tracked"] = bool(
            "followup_at" in responses.columns and responses["followup_at"].notna().any()
        )
        present = {
            "NPS": "nps" in responses.columns and responses["nps"].notna().any(),
            "CSAT": "csat" in responses.columns and responses["csat"].notna().any(),
            "CES": "ces" in responses.columns and responses["ces"].notna().any(),
            "CXi": any(
                c in responses.columns and responses[c].notna().any()
                for c in ("cxi_ease", "cxi_enjoy", "cxi_needs")
            ),
        }
        out["indicators.measured"] = sum(present.values())
        missing = [k for k, v in present.items() if not v]
        if missing:
            out["indicators.missing"] = ", ".join(missing)
        # the action-list sizes (survey.ultra_*) come with the other survey figures: _indicator_facts


def _handoff_facts(dx: Diagnosis, out: dict, notes: dict) -> None:
    if dx.client.events is None:
        raise _Skip("no events table")
    ho = dx.handoffs
    cases = ho.cases
    n = 0 if cases is None else len(cases)
    out["handoff.cases"] = n
    if cases is None or n == 0:
        return
    out["handoff.pingpong_share"] = float((cases["ping_pongs"] > 0).mean())
    out["handoff.rework_share"] = float((cases["rework"] > 0).mean())
    out["handoff.mean_breadth"] = float(cases["departments"].mean())

    try:
        top = ho.top  # also links the NPS answers: a failure there keeps the figures without NPS
    except CxlabError as exc:
        notes["handoffs.satisfaction"] = str(exc)
        top = None
    if top is not None:
        out["handoff.worst_pair"] = top.label
        out["handoff.worst_pair_from"] = top.from_department
        out["handoff.worst_pair_to"] = top.to_department
        out["handoff.worst_pair_count"] = top.count
        out["handoff.worst_pair_wait_h"] = top.median_wait_h
        out["handoff.worst_pair_wait_share"] = top.wait_share
        if top.case_share is not None:
            out["handoff.worst_pair_case_share"] = top.case_share

    pairs = ho.ping_pong
    if pairs is not None and len(pairs):
        # ranked pairs need a stated minimum support (activities.min_support handoffs between them)
        support = dx.settings.activities.min_support
        pairs = pairs[(pairs["cases_bouncing"] > 0) & (pairs["cases_crossing"] >= support)]
        for prefix, (_, row) in zip(
            ("handoff.pingpong", "handoff.pingpong2"), pairs.head(2).iterrows(), strict=False
        ):
            out[f"{prefix}_pair"] = f"{row['department_a']} ↔ {row['department_b']}"
            out[f"{prefix}_rate"] = float(row["bounce_rate"])
            out[f"{prefix}_cases"] = int(row["cases_bouncing"])
            out[f"{prefix}_case_share"] = int(row["cases_bouncing"]) / n

    chased = cases["chasers"] > 0
    out["chasers.cases"] = int(chased.sum())
    out["chasers.share_of_cases"] = float(chased.mean())
    pe = ho.prepared_events
    if chased.any() and pe is not None:
        out["chasers.per_chased_case"] = float(cases.loc[chased, "chasers"].mean())
        # the department holding the case when the customer chases = department of the previous event
        same_case = pe["case_id"].astype(str).eq(pe["case_id"].astype(str).shift(1)).to_numpy()
        prev = pe["department"].astype(str).shift(1).to_numpy()
        holding = prev[pe["is_chaser"].to_numpy(dtype=bool) & same_case]
        dept = _mode(holding)
        if dept:
            out["chasers.department"] = dept

    flags = ho.flags
    if flags is None or pe is None:
        return
    ss = flags["self_service"].to_numpy(dtype=bool)
    if ss.any():
        out["selfservice.cases"] = int(ss.sum())
        out["selfservice.failure_to_call_share"] = float(
            flags["tortuous_flow"].to_numpy(dtype=bool)[ss].mean()
        )
        dept = _mode(pe.loc[pe["is_self_service"].to_numpy(dtype=bool), "department"])
        if dept:
            out["selfservice.department"] = dept
    auth = flags["authorisation"].to_numpy(dtype=bool)
    if auth.any():
        out["authorisation.cases"] = int(auth.sum())
        wait = flags.loc[auth, "authorisation_wait_hours"]
        if wait.notna().any():
            out["authorisation.wait_h"] = float(wait.median())
        out["authorisation.chaser_share"] = float((flags.loc[auth, "chasers_while_waiting"] > 0).mean())
        dept = _mode(pe.loc[pe["is_authorisation"].to_numpy(dtype=bool), "department"])
        if dept:
            out["authorisation.department"] = dept
    contradictory = flags["contradictory_answers"].to_numpy(dtype=bool)
    out["contradictory.cases"] = int(contradictory.sum())
    out["contradictory.share"] = float(contradictory.mean())

    # satisfaction: join responses to cases; a failure here keeps the figures above
    responses = dx.client.survey_responses
    if responses is None or "nps" not in responses.columns:
        notes["handoffs.satisfaction"] = "no NPS answers to link to cases"
        return
    try:
        linked = ho.linked
        if linked is None:
            return
        top = ho.top  # the NPS change read by the report text and the charts alike (with − without)
        if top is not None and top.nps_change is not None:
            out["handoff.worst_pair_nps_gap"] = top.nps_change
        slope = ho.nps_slope
        if slope is not None and pd.notna(slope["slope"]):
            out["handoff.nps_per_handoff"] = float(slope["slope"])
        ind = dx.settings.indicators
        chaser_n = pd.to_numeric(linked["chasers"], errors="coerce").fillna(0) > 0
        with_c, n_with = _nps(linked.loc[chaser_n, "nps"], ind.nps_promoter_min, ind.nps_detractor_max)
        without, n_without = _nps(linked.loc[~chaser_n, "nps"], ind.nps_promoter_min, ind.nps_detractor_max)
        if n_with and n_without:
            out["chasers.nps_gap"] = with_c - without
    except CxlabError as exc:
        notes["handoffs.satisfaction"] = str(exc)


def _segment_facts(dx: Diagnosis, out: dict, notes: dict) -> None:
    if dx.client.transactions is None:
        raise _Skip("no transactions table")
    table = dx.segments.table
    n = 0 if table is None else len(table)
    if table is None or n == 0:
        raise _Skip("no customers with transactions")
    total = float(table["value"].sum())
    segment = table["segment"].astype(str)
    for name in ("premium", "potential", "dilemma"):
        mask = segment == name
        out[f"segments.{name}_customers"] = int(mask.sum())
        if name != "dilemma":
            out[f"segments.{name}_share"] = float(mask.mean())
        if name != "potential" and total > 0:
            out[f"segments.{name}_value_share"] = float(table.loc[mask, "value"].sum()) / total
    _dilemma_facts(table, segment == "dilemma", out)


def _dilemma_facts(table: pd.DataFrame, dilemma: pd.Series, out: dict) -> None:
    """What the dilemma rules may say, computed: predicted against current value, and how many of them
    the model finds probably inactive (only for customers the model valued)."""
    if not dilemma.any():
        return
    current = float(table.loc[dilemma, "value"].sum())
    if current > 0:
        out["segments.dilemma_future_ratio"] = float(table.loc[dilemma, "future_value"].sum()) / current
    alive = pd.to_numeric(table.loc[dilemma, "prob_alive"], errors="coerce").dropna()
    if len(alive):
        out["segments.dilemma_prob_alive"] = float(alive.median())
        out["segments.dilemma_silent_share"] = float((alive < 0.5).mean())


def _text_facts(dx: Diagnosis, out: dict, notes: dict) -> None:
    """Comment analysis: how negative the comments are, the theme that dominates the negative ones and
    the theme whose mentioners are least likely to recommend (NPS over all their answers)."""
    responses = dx.client.survey_responses
    if responses is None:
        raise _Skip("no survey_responses table")
    if "comment" not in responses.columns or not responses["comment"].notna().any():
        raise _Skip("no comments in the survey responses")
    cfg = dx.settings
    analysed = dx.comments.analysed
    n = 0 if analysed is None else len(analysed)
    out["text.comments"] = n
    if analysed is None or n == 0:
        return
    negative = analysed["polarity"].astype(object).to_numpy() == "negative"
    out["text.negative_share"] = float(negative.mean())
    if "nps" in analysed.columns:
        ultra = analysed["nps"].to_numpy(dtype=float) <= cfg.thresholds.ultra_detractor_max
        out["text.ultra_detractor_comments"] = int(ultra.sum())
    summary = dx.comments.themes
    summary = summary[summary["mentions"] > 0] if summary is not None else pd.DataFrame()
    if "nps" in responses.columns:
        scores = responses["nps"].to_numpy(dtype=float)
        scores = scores[~np.isnan(scores)]
        ind = cfg.indicators
        if len(scores):
            nps_all = float(
                nps_interval(
                    (scores >= ind.nps_promoter_min).sum(),
                    (scores <= ind.nps_detractor_max).sum(),
                    len(scores),
                )[0]
            )
            out["text.nps_all"] = nps_all
    if not len(summary):
        return
    if negative.any():
        top = summary[summary["negative"] > 0].head(1)  # sorted by negative_rank
        if len(top):
            row = top.iloc[0]
            out["text.top_negative_theme"] = str(row["theme"])
            out["text.top_negative_theme_share"] = float(row["negative"]) / float(negative.sum())
            if row["nps_n"] > 0:
                out["text.top_negative_theme_nps"] = float(row["nps"])
                if "text.nps_all" in out:
                    out["text.top_negative_theme_nps_gap"] = float(row["nps"]) - out["text.nps_all"]
    measured = summary[(summary["nps_n"] > 0) & ~summary["small_n"].astype(bool)]
    if len(measured):
        row = measured.sort_values(["nps", "theme"], kind="stable").iloc[0]
        out["text.worst_nps_theme"] = str(row["theme"])
        out["text.worst_nps_theme_nps"] = float(row["nps"])
        if "customers" in row.index:
            out["text.worst_nps_theme_customers"] = int(row["customers"])
        if "text.nps_all" in out:
            out["text.worst_nps_theme_nps_gap"] = float(row["nps"]) - out["text.nps_all"]


def _culture_facts(dx: Diagnosis, out: dict, notes: dict) -> None:
    if dx.client.culture is None:
        raise _Skip("no culture table")
    out.update(dx.culture.figures)


def _indicator_facts(dx: Diagnosis, out: dict, notes: dict) -> None:
    """Response rates, survey pressure, stopped answering, action-list sizes, NPS hot/cold, the
    barometer drop (:func:`cxlab.indicators.survey_findings`)."""
    if dx.client.survey_responses is None and dx.client.survey_invitations is None:
        raise _Skip("no survey_responses or survey_invitations table")
    out.update(dx.indicators.survey_findings)


#: analysis name -> collector; each fills keys of FINDING_SPECS from the Diagnosis's analyses
_COLLECTORS: dict[str, Callable[[Diagnosis, dict, dict], None]] = {
    "surveys": _table_facts,
    "indicators": _indicator_facts,
    "handoffs": _handoff_facts,
    "segments": _segment_facts,
    "text": _text_facts,
    "culture": _culture_facts,
}


def collect_findings(dx: Diagnosis, analyses: Sequence[str] | None = None) -> Findings:
    """Collect the headline figures of a client's diagnosis (:class:`cxlab.diagnosis.Diagnosis`).

    ``analyses`` limits the run to some of :data:`ANALYSES` (default: all). An analysis whose table is
    missing, whose module is not installed, or that fails, contributes nothing: its keys stay absent and
    :attr:`Findings.skipped` holds the reason. A figure that fails validation is dropped with a note.
    ``dx.findings`` is the same, computed once per diagnosis.
    """
    values: dict[str, object] = {}
    notes: dict[str, str] = {}
    for name, collector in _COLLECTORS.items():
        if analyses is not None and name not in analyses:
            continue
        part: dict[str, object] = {}
        try:
            collector(dx, part, notes)
        except _Skip as exc:
            notes[name] = str(exc)
        except ImportError as exc:
            notes[name] = f"analysis module not available ({exc.name or exc})"
        except CxlabError as exc:
            notes[name] = str(exc)
        except Exception as exc:  # noqa: BLE001 — one broken analysis must not stop the others
            notes[name] = f"failed: {type(exc).__name__}: {exc}"
        for key, value in part.items():
            if _is_missing(value):
                continue
            try:
                values[key] = _check(key, value)
            except FindingsError as exc:
                notes[key] = str(exc)
    analysis_day = dx.analysis_date
    return Findings(
        values,
        skipped=notes,
        analysis_date=analysis_day.date() if analysis_day is not None else None,
        currency=dx.settings.currency,
    )


ANALYSES: tuple[str, ...] = tuple(_COLLECTORS)
