"""The charts' data transformer gives exactly Altair's values, faster."""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd
import pytest
from altair.utils.data import MaxRowsError, to_values

from cxlab.charts.data import frame_values, inline_values
from cxlab.report.charts import as_spec, use_report_renderer


def gallery() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "int": np.array([1, -2, 3], dtype="int64"),
            "float": [1.5, np.nan, np.inf],
            "bool": [True, False, True],
            "text": ["a", None, "c"],
            "category": pd.Categorical(["x", None, "y"]),
            "string": pd.array(["p", None, "q"], dtype="string"),
            "nullable_int": pd.array([1, None, 3], dtype="Int64"),
            "nullable_bool": pd.array([True, None, False], dtype="boolean"),
            "when": pd.to_datetime(["2026-01-31 10:00", None, "2026-03-29 02:30"]),
            "when_utc": pd.to_datetime(["2026-01-31 10:00", None, "2026-03-29 02:30"]).tz_localize("UTC"),
            "array": [np.array([1, 2]), None, np.array([3])],
        }
    )


def test_frame_values_equal_altairs_to_values():
    frame = gallery()
    assert frame_values(frame) == to_values(frame)["values"]
    assert frame_values(frame)[1]["when"] == ""  # NaT as Altair writes it
    assert frame_values(frame)[2]["float"] is None  # infinite numbers are not JSON


def test_range_index_columns_become_strings_and_bad_names_are_refused():
    assert frame_values(pd.DataFrame([[1, 2]])) == [{"0": 1, "1": 2}]
    with pytest.raises(ValueError, match="invalid column name"):
        frame_values(pd.DataFrame({1.5: [1]}))
    with pytest.raises(ValueError, match="not supported"):
        frame_values(pd.DataFrame({"wait": pd.to_timedelta([1], unit="h")}))


def test_the_row_limit_is_kept():
    with pytest.raises(MaxRowsError):
        inline_values(pd.DataFrame({"x": range(5001)}))


def test_report_specs_are_the_same_with_the_report_transformer():
    chart = (
        alt.Chart(gallery()[["int", "float", "when", "category"]]).mark_point().encode(x="int:Q", y="float:Q")
    )
    with alt.data_transformers.enable("default"):
        expected = as_spec(chart)["datasets"]
    theme, renderer = alt.theme.active, alt.renderers.active
    use_report_renderer()
    try:
        assert alt.data_transformers.active == "cxlab_values"
        assert as_spec(chart)["datasets"] == expected  # same values, so the same dataset name too
    finally:
        alt.data_transformers.enable("default")
        alt.renderers.enable(renderer)
        alt.theme.enable(theme)
