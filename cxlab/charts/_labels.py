"""Chart wording: every label is English in the code and translated through the gettext catalogs
(``cxlab/locale/<lang>/LC_MESSAGES/charts.po``), in the message context ``chart``."""

from __future__ import annotations

from collections.abc import Mapping

from ..i18n import pgettext

#: gettext message context of every chart label (keeps them apart from the same words elsewhere)
CHART_CONTEXT = "chart"


def chart_label(labels: Mapping[str, str], key: str, lang: str) -> str:
    """``labels[key]`` (English) in ``lang``; the key itself when ``labels`` has no such entry."""
    text = labels.get(key)
    return pgettext(lang, CHART_CONTEXT, text) if text else key
