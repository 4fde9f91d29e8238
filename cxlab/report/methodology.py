"""The methodology notes of the indicators: the scoring rules in force, one sentence per topic, in the
report language (wording through :mod:`cxlab.i18n`; Italian in ``locale/it/LC_MESSAGES/analysis.po``).

The analysis layer (:mod:`cxlab.indicators`) only computes; this module says in words which rules it
used, from the same settings, so the notes cannot drift from the figures."""

from __future__ import annotations

import pandas as pd

from ..config import ClientConfig, IndicatorSettings, Thresholds
from ..i18n import gettext, pgettext
from ..indicators.grouping import resolve_settings

#: the topics, in the order of the notes
TOPICS = ("nps", "csat", "ces", "cxi", "blanks", "barometer", "pressure")


def _scale_rule(lang: str, chosen: str, top: int, top_max: int) -> str:
    """How CSAT/CES is scored: the mean, or the share of answers from ``top`` to ``top_max``."""
    if chosen == "mean":
        return pgettext(lang, "scoring rule", "the mean")
    return f"% {top}–{top_max}"


def methodology(
    settings: ClientConfig | IndicatorSettings | None = None,
    thresholds: Thresholds | None = None,
    lang: str = "en",
) -> pd.DataFrame:
    """The scoring rules in force, one sentence per topic (columns topic, text), in ``lang``."""
    ind, t = resolve_settings(settings, thresholds)
    band = t.response_rate_band
    texts = {
        "nps": gettext(
            lang,
            "NPS = % promoters ({p}–10) − % detractors (0–{d}), in points; 95 % interval by the adjusted-Wald "
            "method (Rocks 2016: 3 added to n and ¾ to promoters and detractors).",
            p=ind.nps_promoter_min,
            d=ind.nps_detractor_max,
        ),
        "csat": gettext(
            lang,
            "CSAT (1–5) scored as {rule}; proportions with Wilson intervals.",
            rule=_scale_rule(lang, ind.csat_rule, ind.csat_top_min, 5),
        ),
        "ces": gettext(
            lang,
            "CES (1–7, 'made it easy to handle my issue') scored as {rule}: CES scoring is not standard "
            "across vendors.",
            rule=_scale_rule(lang, ind.ces_rule, ind.ces_top_min, 7),
        ),
        "cxi": gettext(
            lang,
            "CXi-style index: for each of three questions (needs met, ease, enjoyment; 1–5) % {c}–5 − % "
            "1–{b}, averaged. It follows the older public Forrester CxPi form; it is not Forrester's CX "
            "Index, whose weights are proprietary.",
            c=ind.cxi_top_min,
            b=ind.cxi_bottom_max,
        ),
        "blanks": gettext(
            lang,
            "A blank answer is not a response to that question. Groups with fewer than {n} answers are "
            "flagged, not hidden.",
            n=t.small_n,
        ),
        "barometer": gettext(
            lang,
            "Barometer: a change between two cold waves is significant when its 95 % interval (Wald, "
            "trinomial standard errors) excludes zero.",
        ),
        "pressure": gettext(
            lang,
            "Survey pressure: invitations per customer in the trailing {w} days; above {o} the customer is "
            "over-surveyed. Response rates of {lo}–{hi} are typical of cold surveys.",
            w=t.pressure_window_days,
            o=f"{t.over_surveyed:g}",
            lo=f"{band[0] * 100:g}",
            hi=f"{band[1] * 100:g} %",
        ),
    }
    return pd.DataFrame([{"topic": k, "text": texts[k]} for k in TOPICS], columns=["topic", "text"])
