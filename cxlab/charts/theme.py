"""The cxlab Altair theme in the client's brand colours (``branding.colour`` / ``branding.accent`` of
client.yaml), one registered theme per brand: the report and JupyterLab enable the client's own."""

from __future__ import annotations

import copy
import functools
import re
from typing import Any

import altair as alt

from ..config import CONFIG_FILE, Branding
from ..errors import ConfigError

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


#: d3 number and time locales for chart axes and tooltips (Vega-Lite ``config.locale``)
VEGA_LOCALES: dict[str, dict[str, Any]] = {
    "it": {
        "number": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", "\u00a0€"]},
        "time": {
            "dateTime": "%A %e %B %Y, %X",
            "date": "%d/%m/%Y",
            "time": "%H:%M:%S",
            "periods": ["AM", "PM"],
            "days": ["domenica", "lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato"],
            "shortDays": ["dom", "lun", "mar", "mer", "gio", "ven", "sab"],
            "months": [
                "gennaio",
                "febbraio",
                "marzo",
                "aprile",
                "maggio",
                "giugno",
                "luglio",
                "agosto",
                "settembre",
                "ottobre",
                "novembre",
                "dicembre",
            ],
            "shortMonths": [
                "gen",
                "feb",
                "mar",
                "apr",
                "mag",
                "giu",
                "lug",
                "ago",
                "set",
                "ott",
                "nov",
                "dic",
            ],
        },
    },
    "en": {
        "number": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["€", ""]},
    },
}


def with_locale(spec: dict[str, Any], lang: str) -> dict[str, Any]:
    """A copy of a Vega-Lite spec whose axes and tooltips format numbers and dates for ``lang``."""
    locale = VEGA_LOCALES.get(lang)
    if not locale:
        return spec
    spec = dict(spec)
    spec["config"] = {**spec.get("config", {}), "locale": locale}
    return spec
