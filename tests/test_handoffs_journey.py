"""The journey map's "other" stage: the stages beyond the busiest ``top`` are one stage, computed as one
(the distinct cases that reach any of them, their events, the NPS of their linked responses)."""

from __future__ import annotations

import pandas as pd
from gallery_events import make_shape

from cxlab.charts import journey as journey_charts
from cxlab.diagnosis import Diagnosis
from cxlab.journey import OTHER_STAGE_ATTR, journey_map


def test_the_other_stage_counts_distinct_cases_and_their_responses(tmp_path):
    folder = make_shape("no_channel").write(tmp_path / "c")
    dx = Diagnosis.open(folder)
    events, linked, settings = dx.client.events, dx.handoffs.linked, dx.settings.activities
    full = journey_map(events, linked, settings)
    grouped = journey_map(events, linked, settings, top=3, other="Other stages")
    assert grouped.attrs[OTHER_STAGE_ATTR] == "Other stages"
    assert len(full) == 6 and len(grouped) == 4 and grouped["stage"].iloc[-1] == "Other stages"
    busiest = set(full.sort_values("cases", ascending=False, kind="stable")["stage"].head(3))
    assert set(grouped["stage"].iloc[:3]) == busiest
    # the kept stages are unchanged
    kept = full.set_index("stage").loc[grouped["stage"].iloc[:3], ["cases", "events", "n_nps"]]
    pd.testing.assert_frame_equal(kept.reset_index(), grouped[["stage", "cases", "events", "n_nps"]].iloc[:3])
    # independent: the cases with an event in any other department, their events, their linked responses
    raw = events.assign(department=events["department"].astype(str))
    rest = raw[~raw["department"].isin(busiest)]
    other = grouped.iloc[-1]
    assert other["cases"] == rest["case_id"].nunique() < full.query("stage not in @busiest")["cases"].sum()
    assert other["events"] == len(rest)
    responses = linked[linked["case_id"].isin(set(rest["case_id"])) & linked["nps"].notna()]
    assert other["n_nps"] == len(responses) > 0
    nps = ((responses["nps"] >= 9).mean() - (responses["nps"] <= 6).mean()) * 100
    assert abs(other["nps"] - nps) < 1e-9
    # the chart draws it as it is: not grouped again
    chart = journey_charts.journey_map_chart(grouped, top=3).to_dict()
    stages = {r["stage"] for rows in chart["datasets"].values() for r in rows if "stage" in r}
    assert stages == set(grouped["stage"])
