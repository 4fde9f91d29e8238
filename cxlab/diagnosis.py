"""The diagnosis of one client: every analysis computed once, lazily, as typed results.

A :class:`Diagnosis` is the one owner of a client's analyses. The findings, the report sections, the
widgets and the notebooks all read it, so the report's text and its charts quote the same numbers::

    dx = Diagnosis.open("client/")
    dx.handoffs.matrix            # the handoff matrix (a DataFrame)
    dx.indicators.nps             # NPS by survey (hot, cold)
    dx.findings["handoff.worst_pair"]

Results are grouped by topic (``dx.handoffs``, ``dx.indicators``, ``dx.segments``, ``dx.comments``,
``dx.culture``) and each attribute is computed the first time it is read. Every analysis declares which
settings sections (fields of :class:`~cxlab.config.ClientConfig`) and which other analyses it reads;
:meth:`Diagnosis.with_settings` (a widget's what-if) returns a new diagnosis that reuses every computed
result whose inputs did not change.

Sign convention: an NPS change is always "with − without" (the cases that went through something minus
the others), so negative = worse, in the findings, the report text and the charts alike.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Generic, TypeVar, overload

import pandas as pd

from .config import ClientConfig
from .culture import culture_figures, department_scores, pillar_scores, self_vs_others
from .errors import ConfigError
from .findings import Findings, collect_findings
from .handoffs import (
    HandoffFigures,
    case_flags,
    case_metrics,
    flow_steps,
    handoff_figures,
    handoff_matrix,
    link_satisfaction,
    nps_per_extra_handoff,
    ping_pong_pairs,
    prepare_events,
    satisfaction_by_handoffs,
    satisfaction_by_pair,
    toxic_dynamics,
    worst_handoffs,
)
from .handoffs import (
    handoffs as handoff_rows,
)
from .indicators import (
    add_customer_attributes,
    csat,
    driver_table,
    indicator_summary,
    key_drivers,
    nps,
    survey_findings,
    ultra_detractors,
    ultra_promoters,
)
from .intake import Client, DataQuality, load_client
from .intake.comment_labels import read_comment_labels
from .recommend import AppliedOverrides, generate_recommendations
from .segments import segment_customers
from .text import analyse_comments, detect_themes, sentiment, theme_summary
from .text.model import CommentModel, apply_model, apply_theme_labels, train_model

T = TypeVar("T")

#: settings read when the client's files are loaded: changing them needs a new :meth:`Diagnosis.open`
LOAD_TIME_SETTINGS = frozenset({"tables", "timezone", "root", "source"})


@dataclass(frozen=True)
class AnalysisSpec:
    """What one analysis reads: settings sections (ClientConfig fields) and other analyses."""

    name: str
    settings: frozenset[str]
    uses: tuple[str, ...]


#: every analysis of a Diagnosis, by "topic.name" (filled as the topic classes below are defined)
ANALYSES: dict[str, AnalysisSpec] = {}


class analysis(Generic[T]):  # noqa: N801 — used as a decorator, named like property
    """A lazily computed, cached attribute of a topic, stored in its Diagnosis under "topic.name".

    Like :class:`functools.cached_property`, but the cache lives in the Diagnosis (one dict for all
    topics) and the attribute declares its inputs, so :meth:`Diagnosis.with_settings` knows what to keep.
    """

    def __init__(
        self,
        compute: Callable[[Any], T],
        settings: tuple[str, ...] = (),
        uses: tuple[str, ...] = (),
    ) -> None:
        self.compute = compute
        self.settings = frozenset(settings)
        self.uses = uses
        self.key = compute.__name__
        self.__doc__ = compute.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.key = f"{getattr(owner, 'topic', owner.__name__)}.{name}"
        ANALYSES[self.key] = AnalysisSpec(self.key, self.settings, self.uses)

    @overload
    def __get__(self, obj: None, objtype: type | None = None) -> analysis[T]: ...
    @overload
    def __get__(self, obj: _Topic, objtype: type | None = None) -> T: ...
    def __get__(self, obj: _Topic | None, objtype: type | None = None) -> analysis[T] | T:
        if obj is None:
            return self
        dx = obj.dx
        if dx._computing:  # read while computing another analysis: an input of it (checked by the tests)
            dx._reads.add((dx._computing[-1], self.key))
        if self.key not in dx._results:
            dx._computing.append(self.key)
            try:
                dx._results[self.key] = self.compute(obj)
            finally:
                dx._computing.pop()
        return dx._results[self.key]


def depends_on(
    settings: tuple[str, ...] = (), uses: tuple[str, ...] = ()
) -> Callable[[Callable[[Any], T]], analysis[T]]:
    """Decorator: a topic attribute computed once, reading these settings sections and analyses."""

    def wrap(compute: Callable[[Any], T]) -> analysis[T]:
        return analysis(compute, settings, uses)

    return wrap


def settings_closure(name: str) -> frozenset[str]:
    """Every settings section analysis ``name`` depends on, directly or through the analyses it uses."""
    seen: set[str] = set()
    sections: set[str] = set()
    stack = [name]
    while stack:
        key = stack.pop()
        if key in seen:
            continue
        seen.add(key)
        spec = ANALYSES[key]
        sections |= spec.settings
        stack.extend(spec.uses)
    return frozenset(sections)


class _Topic:
    """A group of analyses on one Diagnosis; its attributes are read-only (computed, never assigned)."""

    topic = ""

    def __init__(self, dx: Diagnosis) -> None:
        object.__setattr__(self, "dx", dx)

    dx: Diagnosis

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only; use Diagnosis.with_settings(...)")

    def __repr__(self) -> str:
        done = [k.split(".", 1)[1] for k in self.dx._results if k.startswith(self.topic + ".")]
        return f"<{type(self).__name__} of {self.dx.client.name!r}; computed: {', '.join(done) or 'none'}>"

    @property
    def _settings(self) -> ClientConfig:
        return self.dx.settings

    def _table(self, name: str) -> pd.DataFrame | None:
        return self.dx.client.tables.get(name)


@dataclass(frozen=True)
class TopHandoff:
    """The worst handoff by total waiting time, with the figures the report quotes about it.

    ``nps_change`` is the NPS of the responses whose case crossed the handoff minus the NPS of the others
    (negative = worse); ``None`` when no NPS answers are linked to cases.
    """

    from_department: str
    to_department: str
    count: int
    median_wait_h: float
    wait_share: float
    nps_change: float | None
    #: the share of all cases that cross the handoff (the volume behind a priority)
    case_share: float | None = None

    @property
    def label(self) -> str:
        return f"{self.from_department} → {self.to_department}"


@dataclass(frozen=True)
class ActionLists:
    """Customers to call back (ultra-detractors) and to ask for a testimonial (ultra-promoters)."""

    ultra_detractors: pd.DataFrame
    ultra_promoters: pd.DataFrame


class Handoffs(_Topic):
    """Cases, handoffs between departments, ping-pong, toxic dynamics and their link to satisfaction."""

    topic = "handoffs"

    @property
    def events(self) -> pd.DataFrame | None:
        events = self._table("events")
        return None if events is None or events.empty else events

    @depends_on(settings=("activities",))
    def cases(self) -> pd.DataFrame | None:
        """One row per case (:func:`cxlab.handoffs.case_metrics`); None without events."""
        return None if self.events is None else case_metrics(self.events, self._settings.activities)

    @depends_on(settings=("activities",))
    def figures(self) -> HandoffFigures | None:
        """The headline figures: cases, handoffs, ping-pong share, departments per case, median and p90
        internal wait, customer wait, timestamp ties (:func:`cxlab.handoffs.handoff_figures`)."""
        return None if self.events is None else handoff_figures(self.events, self._settings.activities)

    @depends_on(settings=("activities",))
    def matrix(self) -> pd.DataFrame | None:
        """From × to department: count, waits, ping-pong rate (:func:`cxlab.handoffs.handoff_matrix`)."""
        return None if self.events is None else handoff_matrix(self.events, self._settings.activities)

    @depends_on(settings=("activities",))
    def prepared_events(self) -> pd.DataFrame | None:
        """The event log sorted and classified (:func:`cxlab.handoffs.prepare_events`)."""
        return None if self.events is None else prepare_events(self.events, self._settings.activities)

    @depends_on(settings=("activities",))
    def transitions(self) -> pd.DataFrame | None:
        """One row per handoff between departments, with its wait (:func:`cxlab.handoffs.handoffs`)."""
        return None if self.events is None else handoff_rows(self.events, self._settings.activities)

    @depends_on(settings=("activities",))
    def ping_pong(self) -> pd.DataFrame | None:
        """Department pairs that bounce cases back and forth (:func:`cxlab.handoffs.ping_pong_pairs`)."""
        return None if self.events is None else ping_pong_pairs(self.events, self._settings.activities)

    @depends_on(settings=("activities",))
    def flags(self) -> pd.DataFrame | None:
        """Per case: self-service, authorisation, contradictory answers (:func:`cxlab.handoffs.case_flags`)."""
        return None if self.events is None else case_flags(self.events, self._settings.activities)

    @depends_on(settings=("activities",))
    def flow(self) -> pd.DataFrame | None:
        """Transitions by step for the flow chart (:func:`cxlab.handoffs.flow_steps`)."""
        return None if self.events is None else flow_steps(self.events, settings=self._settings.activities)

    @depends_on(settings=("activities",), uses=("handoffs.cases",))
    def linked(self) -> pd.DataFrame | None:
        """Survey responses joined to their case (:func:`cxlab.handoffs.link_satisfaction`); None when
        there are no cases, no responses or no response matches a case."""
        responses = self._table("survey_responses")
        if self.cases is None or responses is None or responses.empty:
            return None
        linked = link_satisfaction(self.cases, responses, self._settings.activities)
        return linked if len(linked) else None

    @property
    def _linked_nps(self) -> pd.DataFrame | None:
        linked = self.linked
        return linked if linked is not None and "nps" in linked.columns else None

    @depends_on(settings=("activities", "indicators", "thresholds"), uses=("handoffs.linked",))
    def satisfaction_by_pair(self) -> pd.DataFrame | None:
        """NPS with vs without each handoff (:func:`cxlab.handoffs.satisfaction_by_pair`; its ``nps_gap``
        is without − with) plus ``nps_change`` = with − without (negative = worse), the figure to quote."""
        linked = self._linked_nps
        if linked is None or self.events is None:
            return None
        s = self._settings
        pairs = satisfaction_by_pair(linked, self.events, s.activities, s.indicators, s.thresholds)
        return pairs.assign(nps_change=-pairs["nps_gap"])

    @depends_on(settings=("indicators", "thresholds"), uses=("handoffs.linked",))
    def nps_slope(self) -> pd.Series | None:
        """NPS points per extra handoff, with its interval (the ``nps`` row of
        :func:`cxlab.handoffs.nps_per_extra_handoff`); None without linked NPS answers."""
        linked = self._linked_nps
        if linked is None:
            return None
        slopes = nps_per_extra_handoff(linked, self._settings.indicators, self._settings.thresholds)
        row = slopes[slopes["metric"] == "nps"]
        return None if row.empty else row.iloc[0]

    @depends_on(settings=("indicators", "thresholds"), uses=("handoffs.linked",))
    def satisfaction_by_handoffs(self) -> pd.DataFrame | None:
        """NPS and CSAT by number of handoffs (:func:`cxlab.handoffs.satisfaction_by_handoffs`)."""
        linked = self._linked_nps
        if linked is None:
            return None
        return satisfaction_by_handoffs(linked, self._settings.indicators, self._settings.thresholds)

    @depends_on(
        settings=("activities", "indicators", "thresholds"), uses=("handoffs.linked", "handoffs.cases")
    )
    def toxic(self) -> pd.DataFrame | None:
        """The toxic dynamics and their NPS cost (:func:`cxlab.handoffs.toxic_dynamics`)."""
        if self.events is None:
            return None
        s = self._settings
        return toxic_dynamics(
            self.events, self.linked, s.activities, s.indicators, s.thresholds, cases=self.cases
        )

    @depends_on(settings=("activities",), uses=("handoffs.matrix", "handoffs.satisfaction_by_pair"))
    def worst(self) -> pd.DataFrame | None:
        """The five worst handoffs by waiting time and by NPS points lost
        (:func:`cxlab.handoffs.worst_handoffs`), with ``nps_change`` (with − without, negative = worse)."""
        if self.matrix is None or not len(self.matrix):
            return None
        pairs = self.satisfaction_by_pair
        worst = worst_handoffs(self.matrix, pairs, top=5, min_support=self._settings.activities.min_support)
        if pairs is None or not len(pairs):
            return worst.assign(nps_change=float("nan"))
        return worst.assign(nps_change=-worst["nps_gap"])

    @depends_on(settings=("activities",), uses=("handoffs.matrix", "handoffs.satisfaction_by_pair"))
    def top(self) -> TopHandoff | None:
        """The worst handoff by total waiting time; None when no handoff waits."""
        matrix = self.matrix
        if matrix is None or not len(matrix):
            return None
        total_wait = float(matrix["total_wait_h"].sum())
        supported = matrix[matrix["count"] >= self._settings.activities.min_support]
        if total_wait <= 0 or not len(supported) or float(supported["total_wait_h"].max()) <= 0:
            return None
        row = supported.sort_values("total_wait_h", ascending=False, kind="stable").iloc[0]
        src, dst = str(row["from_department"]), str(row["to_department"])
        change = None
        pairs = self.satisfaction_by_pair
        if pairs is not None and len(pairs):
            hit = pairs[
                (pairs["from_department"].astype(str) == src) & (pairs["to_department"].astype(str) == dst)
            ]
            if len(hit) and pd.notna(hit["nps_change"].iloc[0]):
                change = float(hit["nps_change"].iloc[0])
        return TopHandoff(
            from_department=src,
            to_department=dst,
            count=int(row["count"]),
            median_wait_h=float(row["median_wait_h"]),
            wait_share=float(row["total_wait_h"]) / total_wait,
            nps_change=change,
            case_share=float(row["share_of_cases"]) if "share_of_cases" in row.index else None,
        )


class Segments(_Topic):
    """Customers by current value × future potential."""

    topic = "segments"

    @depends_on(settings=("segments", "analysis_date"))
    def table(self) -> pd.DataFrame | None:
        """One row per customer with value, potential and segment (:func:`cxlab.segments.segment_customers`);
        None without transactions."""
        tx = self._table("transactions")
        if tx is None or tx.empty:
            return None
        return segment_customers(tx, self.dx.analysis_date, self._settings.segments, self._table("customers"))


class Indicators(_Topic):
    """NPS, CSAT and the other survey figures, key drivers and the action lists."""

    topic = "indicators"

    @property
    def _responses_table(self) -> pd.DataFrame | None:
        responses = self._table("survey_responses")
        return None if responses is None or responses.empty else responses

    @depends_on(uses=("segments.table",))
    def responses(self) -> pd.DataFrame | None:
        """Survey responses with the customer's name, industry, region, segment and value segment."""
        responses = self._responses_table
        if responses is None:
            return None
        return add_customer_attributes(responses, self._table("customers"), self.dx.segments.table)

    @depends_on(settings=("indicators", "thresholds"))
    def nps(self) -> pd.DataFrame | None:
        """NPS by survey (hot, cold) or overall when the responses have no survey column."""
        responses = self._responses_table
        if responses is None or "nps" not in responses.columns:
            return None
        by = "survey" if "survey" in responses.columns else None
        return nps(responses, by=by, settings=self._settings, thresholds=self._settings.thresholds)

    @depends_on(settings=("indicators", "thresholds"))
    def csat(self) -> pd.DataFrame | None:
        """CSAT by survey (hot, cold) or overall."""
        responses = self._responses_table
        if responses is None or "csat" not in responses.columns:
            return None
        by = "survey" if "survey" in responses.columns else None
        return csat(responses, by=by, settings=self._settings, thresholds=self._settings.thresholds)

    @depends_on(settings=("indicators", "thresholds"))
    def summary(self) -> pd.DataFrame | None:
        """Headline figures (:func:`cxlab.indicators.indicator_summary`); None without responses."""
        if self._responses_table is None:
            return None
        return indicator_summary(self.dx.client.tables, self._settings)

    @depends_on(settings=("indicators", "thresholds"))
    def survey_findings(self) -> Mapping[str, Any]:
        """Response rates, pressure, barometer drop … keyed as findings
        (:func:`cxlab.indicators.survey_findings`); empty without responses."""
        if self._table("survey_responses") is None:
            return MappingProxyType({})
        return MappingProxyType(survey_findings(self.dx.client.tables, self._settings))

    @depends_on(settings=("indicators", "thresholds"), uses=("handoffs.cases",))
    def key_drivers(self) -> pd.DataFrame | None:
        """Key drivers of hot NPS: handoffs, departments and comment themes
        (:func:`cxlab.indicators.key_drivers`); None without NPS answers or cases."""
        responses = self._responses_table
        cases = self.dx.handoffs.cases
        if responses is None or "nps" not in responses.columns or cases is None:
            return None
        hot = (
            responses[responses["survey"].astype("string") == "hot"]
            if "survey" in responses.columns
            else responses
        )
        themes = detect_themes(hot["comment"].fillna("")) if "comment" in hot.columns else None
        drivers = driver_table(
            hot, cases=cases, events=self._table("events"), themes=themes, touchpoints=False
        )
        if drivers is None or drivers.empty:
            return None
        # fewer than 3 answers link to cases (events of other customers, a damaged file): no driver analysis,
        # rather than a report that fails
        answered = pd.to_numeric(hot["nps"], errors="coerce").notna()
        linked = drivers.reindex(hot.index).notna().all(axis=1) & answered
        if int(linked.sum()) < 3:
            return None
        return key_drivers(hot, drivers, settings=self._settings)

    @depends_on(settings=("indicators", "thresholds"), uses=("segments.table",))
    def action_lists(self) -> ActionLists | None:
        """The call-back and testimonial lists; None without NPS answers."""
        responses = self._responses_table
        if responses is None or "nps" not in responses.columns:
            return None
        customers, segmented, s = self._table("customers"), self.dx.segments.table, self._settings
        return ActionLists(
            ultra_detractors=ultra_detractors(responses, customers, segmented, settings=s),
            ultra_promoters=ultra_promoters(responses, customers, segmented, settings=s),
        )


class Comments(_Topic):
    """Survey comments: sentiment and themes."""

    topic = "comments"

    @depends_on(settings=("text", "language"))
    def model(self) -> CommentModel | None:
        """The per-client sentiment model trained on the consultant's labels (``comment_labels.csv`` in
        the client folder, :mod:`cxlab.text.model`); None without enough labels: the lexicon runs alone."""
        labels = read_comment_labels(self.dx.client.root)
        if labels is None:
            return None
        s = self._settings
        lexicon_scores = sentiment(labels["comment"], None, s.text.neutral_band, default_language=s.language)
        return train_model(labels["comment"], labels["polarity"], lexicon_scores["sentiment"].to_numpy())

    @depends_on(settings=("text", "language"), uses=("comments.model",))
    def analysed(self) -> pd.DataFrame | None:
        """One row per comment with polarity and themes (:func:`cxlab.text.analyse_comments`), the
        sentiment blended with the per-client model when there is one, and the consultant's themes on
        the comments labelled with themes (:func:`cxlab.text.model.apply_theme_labels`); None without
        comments."""
        responses = self._table("survey_responses")
        if responses is None or "comment" not in responses.columns:
            return None
        analysed = analyse_comments(responses, self._settings.text, self._settings.language)
        analysed = apply_model(analysed, self.model, self._settings.text.neutral_band)
        analysed = apply_theme_labels(analysed, read_comment_labels(self.dx.client.root))
        return analysed if len(analysed) else None

    @depends_on(settings=("text", "indicators", "thresholds", "language"), uses=("comments.analysed",))
    def themes(self) -> pd.DataFrame | None:
        """Per theme: mentions, negative share, NPS of the mentioners (:func:`cxlab.text.theme_summary`)."""
        if self.analysed is None:
            return None
        s = self._settings
        return theme_summary(
            self.analysed,
            self._table("survey_responses"),
            s.text,
            s.indicators,
            s.thresholds,
            lang=s.language,
        )


class Culture(_Topic):
    """The culture workshop questionnaire by department and pillar."""

    topic = "culture"

    @property
    def _culture(self) -> pd.DataFrame | None:
        table = self._table("culture")
        return None if table is None or table.empty else table

    @depends_on()
    def pillars(self) -> pd.DataFrame | None:
        """Score per department and pillar (:func:`cxlab.culture.pillar_scores`)."""
        return None if self._culture is None else pillar_scores(self._culture)

    @depends_on()
    def departments(self) -> pd.DataFrame | None:
        """Overall score per department, lowest first (:func:`cxlab.culture.department_scores`)."""
        return None if self._culture is None else department_scores(self._culture)

    @depends_on()
    def self_vs_others(self) -> pd.DataFrame | None:
        """Self-rating vs rating by the other departments (:func:`cxlab.culture.self_vs_others`)."""
        return None if self._culture is None else self_vs_others(self._culture)

    @depends_on()
    def figures(self) -> Mapping[str, object]:
        """The ``culture.*`` findings (:func:`cxlab.culture.culture_figures`); empty without the table."""
        return MappingProxyType({} if self._culture is None else culture_figures(self._culture))


class Outcome(_Topic):
    """What the analyses add up to: the findings and the recommendations."""

    topic = "outcome"

    @depends_on(
        settings=("currency", "analysis_date", "indicators", "thresholds", "activities"),
        uses=(
            "handoffs.cases",
            "handoffs.matrix",
            "handoffs.prepared_events",
            "handoffs.ping_pong",
            "handoffs.flags",
            "handoffs.linked",
            "handoffs.top",
            "handoffs.nps_slope",
            "segments.table",
            "comments.analysed",
            "comments.themes",
            "culture.figures",
            "indicators.survey_findings",
        ),
    )
    def findings(self) -> Findings:
        """The flat, typed figures the recommendation rules read (:func:`cxlab.findings.collect_findings`)."""
        return collect_findings(self.dx)

    @depends_on(uses=("outcome.findings",))
    def recommendations(self) -> AppliedOverrides:
        """Every generated recommendation with the consultant's decision from ``recommendations.yaml``."""
        return generate_recommendations(self.findings, self.dx.client.root)


class Diagnosis:
    """One client's analyses, each computed once when first read.

    ``Diagnosis(client)`` uses the client's own settings; ``Diagnosis(client, settings)`` others (a
    what-if). Read the topics: :attr:`handoffs`, :attr:`indicators`, :attr:`segments`, :attr:`comments`,
    :attr:`culture`, and :attr:`findings`, :attr:`recommendations`, :attr:`data_quality`.
    """

    def __init__(
        self, client: Client, settings: ClientConfig | None = None, *, _results: dict[str, Any] | None = None
    ) -> None:
        self.client = client
        self.settings = settings if settings is not None else client.config
        #: computed analyses by "topic.name" (see ANALYSES)
        self._results: dict[str, Any] = dict(_results or {})
        #: the analyses being computed (innermost last) and which analysis read which while computing
        self._computing: list[str] = []
        self._reads: set[tuple[str, str]] = set()
        self.handoffs = Handoffs(self)
        self.indicators = Indicators(self)
        self.segments = Segments(self)
        self.comments = Comments(self)
        self.culture = Culture(self)
        self._outcome = Outcome(self)

    @classmethod
    def open(cls, client_dir: str | Path, **overrides: Any) -> Diagnosis:
        """Load and validate the client folder; ``overrides`` change settings as :meth:`with_settings`."""
        dx = cls(load_client(client_dir))
        return dx.with_settings(**overrides) if overrides else dx

    @classmethod
    def of(cls, source: Diagnosis | Client | ClientConfig | str | Path) -> Diagnosis:
        """``source`` itself when it is a Diagnosis, else the diagnosis of a loaded client, of a client's
        settings (its folder is loaded) or of a client folder or its ``client.yaml``."""
        if isinstance(source, Diagnosis):
            return source
        if isinstance(source, Client):
            return cls(source)
        if isinstance(source, ClientConfig):
            return cls.open(source.root)
        path = Path(source)
        return cls.open(path.parent if path.suffix in (".yaml", ".yml") else path)

    def __repr__(self) -> str:
        return (
            f"<Diagnosis of {self.client.name!r}: {len(self._results)} of {len(ANALYSES)} analyses computed>"
        )

    @property
    def analysis_date(self) -> pd.Timestamp:
        """The configured analysis date, else the day after the last dated record."""
        if self.settings is self.client.config:
            return self.client.analysis_date
        return dataclasses.replace(self.client, config=self.settings).analysis_date

    @property
    def findings(self) -> Findings:
        return self._outcome.findings

    @property
    def recommendations(self) -> AppliedOverrides:
        return self._outcome.recommendations

    @property
    def data_quality(self) -> DataQuality:
        """What loading the files dropped, blanked or reinterpreted, and why."""
        return self.client.quality

    @property
    def computed(self) -> tuple[str, ...]:
        """The analyses computed so far ("topic.name")."""
        return tuple(self._results)

    def with_settings(self, **changes: Any) -> Diagnosis:
        """A diagnosis of the same client with some settings changed; it keeps every computed analysis
        that depends on none of the changed sections.

        Each keyword is a :class:`~cxlab.config.ClientConfig` field: a new value (``segments=
        SegmentSettings(...)``) or, for a settings section, a mapping of its fields to change
        (``segments={"value_top_share": 0.3}``).
        """
        fields = {f.name for f in dataclasses.fields(ClientConfig)}
        values: dict[str, Any] = {}
        for name, value in changes.items():
            if name not in fields or name in LOAD_TIME_SETTINGS:
                expected = (
                    "a setting used by the analyses (tables and timezone need Diagnosis.open)"
                    if name in fields
                    else "a client.yaml section: " + ", ".join(sorted(fields - LOAD_TIME_SETTINGS))
                )
                raise ConfigError(expected, file="Diagnosis.with_settings", column=name, found=repr(value))
            current = getattr(self.settings, name)
            if isinstance(value, Mapping) and dataclasses.is_dataclass(current):
                try:
                    value = dataclasses.replace(current, **value)  # type: ignore[type-var]
                except TypeError as exc:
                    raise ConfigError(
                        f"fields of {type(current).__name__}",
                        file="Diagnosis.with_settings",
                        column=name,
                        found=", ".join(map(str, value)),
                    ) from exc
            values[name] = value
        settings = dataclasses.replace(self.settings, **values)
        changed = {name for name in values if getattr(settings, name) != getattr(self.settings, name)}
        kept = {key: result for key, result in self._results.items() if not settings_closure(key) & changed}
        return Diagnosis(self.client, settings, _results=kept)


__all__ = [
    "ANALYSES",
    "ActionLists",
    "AnalysisSpec",
    "Comments",
    "Culture",
    "Diagnosis",
    "Handoffs",
    "Indicators",
    "Outcome",
    "Segments",
    "TopHandoff",
    "settings_closure",
]
