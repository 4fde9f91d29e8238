"""The cxlab Altair theme in the client's brand colours (``branding.colour`` / ``branding.accent`` of
client.yaml), one registered theme per brand: the report and JupyterLab enable the client's own."""

from __future__ import annotations

import copy
import functools
import re
from typing import Any

import altair as alt
from babel import Locale, dates, numbers

from ..config import CONFIG_FILE, Branding
from ..errors import ConfigError
from ..i18n import babel_locale

THEME_NAME = "cxlab"

#: categorical palette (colour-blind friendly, Okabe–Ito based)
PALETTE = ["#1f4e79", "#e07b39", "#2a9d8f", "#c0392b", "#8e6bbf", "#7f8c8d", "#d4a017", "#56b4e9"]
#: fixed colours so a segment or polarity looks the same in every chart
SEGMENT_COLOURS = {"premium": "#1f4e79", "potential": "#2a9d8f", "dilemma": "#e07b39", "maintain": "#95a5a6"}
POLARITY_COLOURS = {"negative": "#c0392b", "neutral": "#95a5a6", "positive": "#2a9d8f"}
FONT = "Helvetica Neue, Helvetica, Arial, sans-serif"
_HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")


def base_config(primary: str = PALETTE[0], accent: str = PALETTE[1]) -> dict[str, Any]:
    """The theme as a Vega-Lite config dict: ``primary`` (the client's brand colour) draws single-series
    marks and leads the category range, ``accent`` (the brand accent) comes second."""
    others = [c for c in PALETTE[2:] if c.lower() not in (primary.lower(), accent.lower())]
    return {
        "config": {
            "font": FONT,
            "view": {"stroke": "transparent", "continuousWidth": 420, "continuousHeight": 260},
            "range": {"category": [primary, accent, *others]},
            "mark": {"color": primary},
            "bar": {"color": primary},
            "line": {"color": primary, "strokeWidth": 2},
            "point": {"color": primary, "filled": True},
            "title": {"fontSize": 14, "fontWeight": 600, "anchor": "start", "color": "#222"},
            "axis": {
                "labelFontSize": 11,
                "titleFontSize": 11,
                "titleFontWeight": 500,
                "gridColor": "#e6e6e6",
                "domainColor": "#999",
                "labelColor": "#333",
                "titleColor": "#333",
            },
            "legend": {"labelFontSize": 11, "titleFontSize": 11, "orient": "bottom"},
            "header": {"labelFontSize": 11, "titleFontSize": 12},
        }
    }


@alt.theme.register(THEME_NAME, enable=False)
def _cxlab_theme() -> alt.theme.ThemeConfig:
    return base_config()  # type: ignore[return-value]  # a plain dict of the ThemeConfig shape


def _hex(colour: str, key: str) -> str:
    if not _HEX_COLOUR.match(colour):
        raise ConfigError("a colour like #1f4e79", file=CONFIG_FILE, column=key, found=repr(colour))
    return colour.lower()


@functools.cache
def brand_theme(colour: str = PALETTE[0], accent: str = PALETTE[1]) -> str:
    """The name of the cxlab theme in these brand colours, registered with Altair on first use.

    One theme (a fixed factory) per brand: switching client switches the theme's name, nothing is mutated,
    so one client's colours cannot reach another client's charts.
    """
    colour, accent = _hex(colour, "branding.colour"), _hex(accent, "branding.accent")
    name = f"{THEME_NAME}-{colour[1:]}-{accent[1:]}"
    config = base_config(colour, accent)

    def factory() -> alt.theme.ThemeConfig:
        return copy.deepcopy(config)  # type: ignore[return-value]  # a plain dict of the ThemeConfig shape

    alt.theme.register(name, enable=False)(factory)
    return name


def use_theme(colour: str = PALETTE[0], accent: str = PALETTE[1]) -> str:
    """Enable the cxlab theme in these brand colours for the charts drawn from now on; its name.

    The returned enabler also works as a context manager (``with alt.theme.enable(use_theme(...))``)."""
    name = brand_theme(colour, accent)
    alt.theme.enable(name)
    return name


def use_brand(branding: Branding) -> str:
    """:func:`use_theme` with a client's ``branding`` (client.yaml ``branding.colour`` / ``accent``)."""
    return use_theme(branding.colour, branding.accent)


#: CLDR date pattern fields -> d3 time format directives (the fields a short date pattern uses)
_CLDR_TO_D3 = {"dd": "%d", "d": "%-d", "MM": "%m", "M": "%-m", "yyyy": "%Y", "yy": "%y", "y": "%Y"}


def _d3_date(cldr_pattern: str) -> str:
    """A CLDR short date pattern ("dd/MM/yy") as a d3 time format ("%d/%m/%y")."""
    return re.sub(r"y+|M+|d+", lambda m: _CLDR_TO_D3.get(m.group(0), m.group(0)), cldr_pattern)


def _currency_affixes(locale: Locale) -> list[str]:
    """d3's [prefix, suffix] around a euro amount, from the locale's currency pattern ("¤#,##0.00" or
    "#,##0.00\u00a0¤")."""
    pattern = str(locale.currency_formats["standard"].pattern).split(";")[0]
    symbol = numbers.get_currency_symbol("EUR", locale=locale)
    return [symbol, ""] if pattern.lstrip().startswith("¤") else ["", "\u00a0" + symbol]


def vega_locale(lang: str) -> dict[str, Any]:
    """The d3 number and time locale of ``lang`` for chart axes and tooltips (Vega-Lite
    ``config.locale``), read from Babel's CLDR data: any language Babel knows, no table per language."""
    locale = babel_locale(lang)
    wide_days = dates.get_day_names("wide", locale=locale)  # Babel: Monday = 0; d3: Sunday first
    short_days = dates.get_day_names("abbreviated", locale=locale)
    months = dates.get_month_names("wide", locale=locale)
    short_months = dates.get_month_names("abbreviated", locale=locale)
    periods = dates.get_period_names(locale=locale)
    return {
        "number": {
            "decimal": numbers.get_decimal_symbol(locale),
            "thousands": numbers.get_group_symbol(locale),
            "grouping": [3],
            "currency": _currency_affixes(locale),
        },
        "time": {
            "dateTime": "%x, %X",
            "date": _d3_date(str(locale.date_formats["short"].pattern)),
            "time": "%H:%M:%S",
            "periods": [periods.get("am", "AM"), periods.get("pm", "PM")],
            "days": [wide_days[(i + 6) % 7] for i in range(7)],
            "shortDays": [short_days[(i + 6) % 7] for i in range(7)],
            "months": [months[i] for i in range(1, 13)],
            "shortMonths": [short_months[i] for i in range(1, 13)],
        },
    }


def with_locale(spec: dict[str, Any], lang: str) -> dict[str, Any]:
    """A copy of a Vega-Lite spec whose axes and tooltips format numbers and dates for ``lang``."""
    spec = dict(spec)
    spec["config"] = {**spec.get("config", {}), "locale": vega_locale(lang)}
    return spec
