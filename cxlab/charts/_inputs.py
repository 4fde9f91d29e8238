"""Checks shared by the chart builders."""

from __future__ import annotations

import pandas as pd

from ..errors import AnalysisError


def need_columns(frame: pd.DataFrame, columns: list[str], what: str) -> None:
    """Stop with an AnalysisError naming the first column of ``columns`` that the output of ``what``
    (the analysis a chart draws) lacks."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise AnalysisError(f"the output of {what}", column=missing[0], found="no such column")
