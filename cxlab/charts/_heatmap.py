"""The scored heatmap the culture and segment charts share: white-edged cells on a red → neutral → green
scale, with each cell's figure written in it."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from .encoding import typed_channels

#: bad, neutral, good
DIVERGING = ["#b42318", "#f2f2f2", "#1a7f37"]


def scored_heatmap(
    data: pd.DataFrame,
    x: alt.X,
    y: alt.Y,
    *,
    score_title: str,
    domain: list[float],
    tooltip: list[alt.Tooltip],
    text: Any,
    **cell_channels: Any,
) -> alt.LayerChart:
    """Cells coloured by ``score`` over ``domain`` (low, neutral, high) and a text layer writing ``text`` in
    them; ``cell_channels`` (e.g. an opacity condition) go to the cells only. The caller sets the title and
    the cell size."""
    cells = (
        alt.Chart(data)
        .mark_rect(stroke="#fff", strokeWidth=1)
        .encode(
            **typed_channels(
                x=x,
                y=y,
                color=alt.Color(
                    "score:Q", title=score_title, scale=alt.Scale(domain=domain, range=DIVERGING)
                ),
                **cell_channels,
                tooltip=tooltip,
            )
        )
    )
    labels = alt.Chart(data).mark_text(fontSize=11).encode(**typed_channels(x=x, y=y, text=text))
    return alt.LayerChart(layer=[cells, labels])
