"""Altair chart builders. Each builder takes the tidy output of an analysis and returns an Altair chart;
nothing here computes a metric. Charts take their colours from the ``cxlab`` theme in the client's brand
(:func:`use_brand`, enabled by the report and by :func:`cxlab.jupyter.charts.use_client_charts`); their
words come from the gettext catalogs (``charts.po``)."""

from .theme import PALETTE, SEGMENT_COLOURS, THEME_NAME, base_config, brand_theme, use_brand, use_theme

__all__ = ["PALETTE", "SEGMENT_COLOURS", "THEME_NAME", "base_config", "brand_theme", "use_brand", "use_theme"]
