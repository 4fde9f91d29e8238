"""Encoding channels as typed Altair objects.

Given a shorthand string (``x="nps:Q"``) or a condition dict (``alt.condition(...)``), ``Chart.encode``
looks the channel's class up through the Vega-Lite schema, hashing schema fragments as it goes: about
10 ms per channel, which was most of the time a report spends building its ~40 charts. The typed class
(``alt.X("nps:Q")``, ``alt.OpacityValue(**condition)``) gives the same spec at once, so every chart
builder passes its channels through :func:`typed_channels`.
"""

from __future__ import annotations

from typing import Any

import altair as alt


def _class_name(channel: str) -> str:
    return channel[0].upper() + channel[1:]  # x2 -> X2, fillOpacity -> FillOpacity, yOffset -> YOffset


def typed_channels(**encoding: Any) -> dict[str, Any]:
    """``encoding`` for ``Chart.encode(**typed_channels(...))``: strings become the channel's field class and
    dicts (conditions, ``alt.value``) its value class; typed objects and lists pass through."""
    typed: dict[str, Any] = {}
    for name, value in encoding.items():
        if isinstance(value, str):
            value = getattr(alt, _class_name(name))(value)
        elif isinstance(value, dict):
            value = getattr(alt, _class_name(name) + "Value")(**value)
        typed[name] = value
    return typed
