"""The words of the customer segments: their names, what each means and the suggested service level, in
the report language (through :mod:`cxlab.i18n`; Italian in ``locale/it/LC_MESSAGES/analysis.po``).

:mod:`cxlab.segments` computes the segments and their figures only; this module names them for the
report, the widgets and the notebooks.
"""

from __future__ import annotations

import pandas as pd

from ..i18n import gettext, pgettext
from ..segments import NEW, SEGMENTS


def segment_label(segment: str, lang: str) -> str:
    """The short name of a segment (``premium`` … ``maintain``, or ``new`` in a movement); an unknown key
    is returned as it is."""
    labels = {
        "premium": pgettext(lang, "value segment", "Premium"),
        "potential": pgettext(lang, "value segment", "Potential"),
        "dilemma": pgettext(lang, "value segment", "Dilemma"),
        "maintain": pgettext(lang, "value segment", "Maintain"),
        NEW: pgettext(lang, "value segment", "New"),
    }
    return labels.get(segment, segment)


def segment_description(segment: str, lang: str) -> str:
    """What the segment means, in words (empty for an unknown key)."""
    descriptions = {
        "premium": gettext(lang, "high current value, high potential"),
        "potential": gettext(lang, "low current value, high potential"),
        "dilemma": gettext(lang, "high current value, low potential"),
        "maintain": gettext(lang, "low current value, low potential"),
    }
    return descriptions.get(segment, "")


def service_level(segment: str, lang: str) -> str:
    """The suggested service level of a segment (empty for an unknown key)."""
    levels = {
        "premium": gettext(
            lang,
            "Dedicated account manager; priority handling with a same-day first answer; proactive contact "
            "every quarter; invited to co-design new services.",
        ),
        "potential": gettext(
            lang,
            "Invest to grow: a named contact, fast track on quotes and first orders, onboarding and "
            "cross-selling offers, a follow-up call after each purchase.",
        ),
        "dilemma": gettext(
            lang,
            "Decide whether and how to invest: call within two weeks to learn how their purchases will "
            "develop; a plan for those worth investing in, standard service for the others.",
        ),
        "maintain": gettext(
            lang,
            "Efficient standard service: self-service and a shared knowledge base, standard response "
            "times, automated follow-up.",
        ),
    }
    return levels.get(segment, "")


def service_levels(lang: str = "en") -> pd.DataFrame:
    """The suggested service level of each segment: segment, label, description, service_level."""
    return pd.DataFrame(
        {
            "segment": pd.Categorical(list(SEGMENTS), categories=list(SEGMENTS)),
            "label": [segment_label(k, lang) for k in SEGMENTS],
            "description": [segment_description(k, lang) for k in SEGMENTS],
            "service_level": [service_level(k, lang) for k in SEGMENTS],
        }
    )


def describe_segments(summary: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """:func:`cxlab.segments.segment_summary` with the words added: ``label`` (second column) and
    ``service_level`` (last column), in ``lang``."""
    keys = summary["segment"].astype(str)
    out = summary.copy()
    out.insert(1, "label", [segment_label(k, lang) for k in keys])
    out["service_level"] = [service_level(k, lang) for k in keys]
    return out
