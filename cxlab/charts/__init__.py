"""Altair chart builders. Each builder takes the tidy output of an analysis and returns an Altair chart;
nothing here computes a metric. All charts use the registered ``cxlab`` theme."""

from .theme import PALETTE, SEGMENT_COLOURS, THEME_NAME, base_config, use_theme

__all__ = ["PALETTE", "SEGMENT_COLOURS", "THEME_NAME", "base_config", "use_theme"]
