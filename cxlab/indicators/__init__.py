"""Survey indicators: NPS, CSAT, CES, the CXi-style index, barometer waves, hot vs cold, response rates,
survey pressure, action lists, key drivers and the closed loop (DESIGN §2 and §4).

Definitions
-----------
* **NPS** = % promoters (≥ ``nps_promoter_min``, default 9) − % detractors (≤ ``nps_detractor_max``,
  default 6), in points (−100…100). ``se`` is the plain trinomial standard error
  sqrt([p + d − (p − d)²] / n) × 100 (used by the two-wave Wald z); the 95 % interval ``low``/``high`` is
  the adjusted-Wald one (add 3 to n and ¾ to promoters and detractors; Rocks 2016), from
  :func:`cxlab.stats.nps_interval`.
* **CSAT** (1–5): share of answers ≥ ``csat_top_min`` (top-2-box, Wilson interval) and the mean (normal
  interval); ``csat_rule`` (``top2box`` | ``mean``) picks which one is the ``score``.
* **CES** (1–7, "… made it easy to handle my issue"): share ≥ ``ces_top_min`` (5–7, Wilson) and the mean;
  ``ces_rule`` (``top3box`` | ``mean``) picks the ``score``. CES scoring is not standard across vendors:
  the rule is printed by :func:`cxlab.report.methodology.methodology`.
* **CXi-style index**: for each of ``cxi_needs``, ``cxi_ease``, ``cxi_enjoy`` (1–5), % answers ≥ 4 − %
  answers ≤ 2, averaged over the questions (the older public Forrester CxPi form; Forrester's current CX
  Index uses proprietary weights and is *not* claimed). Its interval comes from each respondent's mean of
  the per-question scores (+100 / 0 / −100), so the correlation between the three answers is accounted
  for.
* Blank answers are not responses to that question (``blanks: exclude``). A group with fewer than
  ``thresholds.small_n`` (default 30) answers is flagged ``small_n``, never hidden.
* **Barometer**: cold waves ordered by date; the change of each indicator between consecutive waves per
  group, z = (score₂ − score₁) / sqrt(se₁² + se₂²) (Wald), interval change ± z₀.₉₇₅ × that SE, significant
  when the interval excludes 0.
* **Response rate** = responded invitations / invitations (an invitation has responded when it has a
  ``responded_at`` or a response carries its ``invitation_id``), Wilson interval, against the 15–25 % band
  (``thresholds.response_rate_band``) typical of cold surveys.
* **Survey pressure** of an invitation = invitations to the same customer sent in the trailing
  ``thresholds.pressure_window_days`` (90) days, itself included. A customer whose pressure exceeds
  ``thresholds.over_surveyed`` (3) at some point is over-surveyed.
* **Key drivers**: Johnson's relative weights (:func:`cxlab.stats.relative_weights`) of the drivers for
  the 0–10 answer, shown with R², plus the plain NPS difference between responses that did and did not
  experience each driver, with its Wald interval; an importance × performance quadrant.

Public API (pure: DataFrames in, tidy DataFrames out; ``by`` is a column name or a list of them; the
names ``month``, ``week``, ``quarter`` and ``year`` are derived from ``answered_at`` / ``sent_at`` when
the frame has no such column; ``settings`` is an :class:`~cxlab.config.IndicatorSettings` or a whole
:class:`~cxlab.config.ClientConfig`, ``thresholds`` a :class:`~cxlab.config.Thresholds`)::

    nps(responses, by=None, settings=None, thresholds=None)             # n, shares, score, se, low, high
    csat(responses, by=None, settings=None, thresholds=None)            # mean + top-2-box, score per rule
    ces(responses, by=None, settings=None, thresholds=None)             # mean + % 5–7, score per rule
    cxi(responses, by=None, settings=None, thresholds=None)             # per-question net + index
    indicator_table(responses, by=None, indicators=INDICATORS, ...)     # the four in one long table
    barometer(responses, by=None, indicators=INDICATORS, waves=None, ...)   # change between cold waves
    hot_vs_cold(responses, by=None, indicators=INDICATORS, ...)         # long table with a survey column
    hot_trend(responses, by="touchpoint", freq="M", indicators=("nps",), ...)   # hot results per period
    wave_order(frame)                                                   # wave labels by their first date
    responded(invitations, responses=None)                              # bool per invitation
    response_rate(invitations, responses=None, by="survey", ...)        # rate, Wilson interval, band
    add_customer_attributes(frame, customers=None, segments=None)       # + name, industry, segments
    invitation_pressure(invitations, thresholds=None)                   # pressure of each invitation
    survey_pressure(invitations, responses=None, customers=None, ...)   # one row per customer
    over_surveyed(invitations, responses=None, customers=None, segments=None, ...)
    pressure_response_curve(invitations, responses=None, by=None, max_bucket=6, ...)  # + trend test
    stopped_answering(invitations, responses=None, customers=None, waves=None, ...)
    ultra_detractors(responses, customers=None, segments=None, ...)     # call-back list, newest first
    ultra_promoters(responses, customers=None, segments=None, ...)      # testimonial list
    driver_table(responses, cases=None, events=None, themes=None, ...)  # response × driver matrix
    key_drivers(responses, drivers=None, target="nps", ...)             # relative weights + differences
    closed_loop(responses, by=None, ..., detail=False)                  # detractor follow-up vs 48 h
    indicator_summary(tables, settings=None)                            # headline figures (exec summary)
    survey_findings(tables, settings=None)                              # the indicator keys of findings

Modules, one per topic: :mod:`.scores` (the four indicators), :mod:`.waves` (barometer, hot vs cold, hot
trend), :mod:`.pressure` (response rates, survey pressure), :mod:`.customers` (customer attributes),
:mod:`.action_lists`, :mod:`.drivers`, :mod:`.followup` (closed loop), :mod:`.summary` (headline figures);
:mod:`.grouping` holds the shared group-code machinery. The wording of the scoring rules for the report
lives in :mod:`cxlab.report.methodology`.

Export of the action lists to CSV/XLSX is I/O and lives in :mod:`cxlab.exports`.
Everything is vectorised (factorised group codes + ``np.bincount``); there are no per-row Python loops.
"""

from __future__ import annotations

from .action_lists import ACTION_COLUMNS, ultra_detractors, ultra_promoters
from .customers import CUSTOMER_COLUMNS, add_customer_attributes
from .drivers import QUADRANTS, driver_table, key_drivers
from .followup import FOLLOWUP_STATUS, closed_loop
from .grouping import COMMON, CXI_QUESTIONS, INDICATORS, PERIODS, By
from .pressure import (
    invitation_pressure,
    over_surveyed,
    pressure_response_curve,
    responded,
    response_rate,
    stopped_answering,
    survey_pressure,
)
from .scores import ces, csat, cxi, indicator_table, nps
from .summary import indicator_summary, survey_findings
from .waves import barometer, hot_trend, hot_vs_cold, wave_order

__all__ = [
    "ACTION_COLUMNS",
    "COMMON",
    "CUSTOMER_COLUMNS",
    "CXI_QUESTIONS",
    "FOLLOWUP_STATUS",
    "INDICATORS",
    "PERIODS",
    "QUADRANTS",
    "By",
    "add_customer_attributes",
    "barometer",
    "ces",
    "closed_loop",
    "csat",
    "cxi",
    "driver_table",
    "hot_trend",
    "hot_vs_cold",
    "indicator_summary",
    "indicator_table",
    "invitation_pressure",
    "key_drivers",
    "nps",
    "over_surveyed",
    "pressure_response_curve",
    "responded",
    "response_rate",
    "stopped_answering",
    "survey_findings",
    "survey_pressure",
    "ultra_detractors",
    "ultra_promoters",
    "wave_order",
]
