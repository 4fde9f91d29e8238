"""The cxlab Altair theme, registered with ``alt.theme.register`` and enabled only on request."""

from __future__ import annotations

import altair as alt

THEME_NAME = "cxlab"

#: categorical palette (colour-blind friendly, Okabe–Ito based)
PALETTE = ["#1f4e79", "#e07b39", "#2a9d8f", "#c0392b", "#8e6bbf", "#7f8c8d", "#d4a017", "#56b4e9"]
#: fixed colours so a segment or polarity looks the same in every chart
SEGMENT_COLOURS = {"premium": "#1f4e79", "potential": "#2a9d8f", "dilemma": "#e07b39", "maintain": "#95a5a6"}
POLARITY_COLOURS = {"negative": "#c0392b", "neutral": "#95a5a6", "positive": "#2a9d8f"}
FONT = "Helvetica Neue, Helvetica, Arial, sans-serif"


def base_config(primary: str = PALETTE[0]) -> dict:
    """The theme as a Vega-Lite config dict; ``primary`` is the client's branding colour."""
    return {
        "config": {
            "font": FONT,
            "view": {"stroke": "transparent", "continuousWidth": 420, "continuousHeight": 260},
            "range": {"category": [primary, *PALETTE[1:]]},
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
    return base_config()  # type: ignore[return-value]


def use_theme() -> None:
    """Enable the cxlab theme for charts built from now on."""
    alt.theme.enable(THEME_NAME)


#: d3 number and time locales for chart axes and tooltips (Vega-Lite ``config.locale``)
VEGA_LOCALES: dict[str, dict] = {
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


def with_locale(spec: dict, lang: str) -> dict:
    """A copy of a Vega-Lite spec whose axes and tooltips format numbers and dates for ``lang``."""
    locale = VEGA_LOCALES.get(lang)
    if not locale:
        return spec
    spec = dict(spec)
    spec["config"] = {**spec.get("config", {}), "locale": locale}
    return spec
