"""Trainee exercises (issue 22): each self-check says right or wrong, in the notebook's language, against
an answer computed from the client's data (checked here against figures computed independently)."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
import yaml

from cxlab import indicators, journey
from cxlab.diagnosis import Diagnosis
from cxlab.intake import load_client
from cxlab.jupyter import exercises
from cxlab.jupyter.exercises import check
from cxlab.resources import notebook_templates

TEMPLATES = sorted(Path(str(notebook_templates())).glob("*.ipynb"))


def _nps(scores) -> float:
    scores = scores.dropna()
    return 100 * ((scores >= 9).mean() - (scores <= 6).mean())


@pytest.fixture(scope="module")
def dx(demo_client_dir: Path) -> Diagnosis:
    return Diagnosis.open(demo_client_dir)


def test_check_says_right_wrong_or_not_answered_in_the_language() -> None:
    assert check(-16, -16, lang="it").ok is True
    assert check("−16", -16, lang="it").text == "Giusto: −16."
    assert check(-15, -16, tolerance=0.5).ok is False
    assert check("Delivery ", "delivery").ok is True
    assert check("True", True).ok is False  # a boolean answer is True or False, not text
    assert check(False, False, lang="en").text == "Right: no."
    unanswered = check(None, 3, lang="it", name="answer_x")
    assert unanswered.ok is None and "`answer_x`" in unanswered.text and unanswered.text.startswith("Nessuna")
    wrong = check(7, 3, lang="it")
    assert wrong.ok is False and "3" not in wrong.text  # the right answer is not given away
    assert check(1, None, lang="en").ok is None  # the client's data cannot answer: no error
    assert 'data-ok="true"' in check(1, 1)._repr_html_()
    pair = frozenset({"Sales", "Credit"})  # a department pair: both names, in any order
    assert check(("credit ", "Sales"), pair, lang="it").text == "Giusto: Credit ↔ Sales."
    assert check(["Sales", "Credit"], pair).ok is True
    assert check(("Sales",), pair).ok is False and check("Sales, Credit", pair).ok is False
    assert check(("Sales", "Credit", "Billing"), pair).ok is False


def _visits(client_dir: Path) -> pd.DataFrame:
    """The event log read straight from the demo's file, cut into visits (runs of one department within a
    case, in time order, ties in file order)."""
    events = pd.read_csv(client_dir / "data" / "eventi.csv", dtype=str)
    events["ts"] = pd.to_datetime(events["timestamp"])
    events = events.sort_values(["case_id", "ts"], kind="stable")
    department = events["department"].fillna("unknown")
    starts = (events["case_id"] != events["case_id"].shift()) | (department != department.shift())
    return events[starts.to_numpy()].assign(department=department[starts])


def test_expected_answers_of_step_1(demo_client_dir: Path) -> None:
    client = load_client(demo_client_dir)
    settings = yaml.safe_load((demo_client_dir / "client.yaml").read_text(encoding="utf-8"))
    assert exercises.analysis_date(client) == str(settings["analysis_date"])
    responses = pd.read_csv(demo_client_dir / "data" / "risposte.csv", dtype=str)
    assert exercises.rows_kept(client, "survey_responses") == len(responses) > 0
    # month-first: every day above 12 is no month, so those rows cannot be read (the rest are misread)
    sales = pd.read_csv(demo_client_dir / "data" / "vendite.csv", sep=";", dtype=str)
    unreadable = int(pd.to_datetime(sales["data"], format="%m/%d/%Y", errors="coerce").isna().sum())
    assert exercises.rows_dropped_with_date_format(client, "transactions", "%m/%d/%Y") == unreadable > 0
    assert exercises.rows_dropped_with_date_format(client, "transactions", "%d/%m/%Y") == 0


def test_expected_answers_of_step_3(demo_client_dir: Path, dx: Diagnosis) -> None:
    visits = _visits(demo_client_dir)
    bounces: Counter[frozenset[str]] = Counter()
    handoffs: dict[str, int] = {}
    through: defaultdict[str, set[str]] = defaultdict(set)
    for case, group in visits.groupby("case_id", sort=False):
        path = group["department"].tolist()
        handoffs[case], through[case] = len(path) - 1, set(path)
        bounces.update(frozenset(path[i - 1 : i + 1]) for i in range(2, len(path)) if path[i] == path[i - 2])
    (top, count), (_, runner_up) = bounces.most_common(2)
    assert count > runner_up  # one clear answer
    assert exercises.most_bouncing_pair(dx) == top

    linked = dx.handoffs.linked
    answered = linked[linked["nps"].notna()]
    x = answered["case_id"].map(handoffs).astype(float)
    y = np.where(answered["nps"] >= 9, 100.0, np.where(answered["nps"] <= 6, -100.0, 0.0))
    assert exercises.nps_slope(dx) == round(np.polyfit(x, y, 1)[0]) < 0

    small_n = dx.settings.thresholds.small_n
    by_stage = {}
    for department in set(visits["department"]):
        went = [department in through[case] for case in answered["case_id"]]
        scores = answered.loc[went, "nps"]
        if len(scores) >= small_n:
            by_stage[department] = _nps(scores)
    cfg = dx.settings
    stages = journey.journey_map(
        dx.client.events, linked, cfg.activities, cfg.indicators, cfg.thresholds, by="department"
    )
    assert exercises.worst_solid_stage(stages) == min(by_stage, key=by_stage.get)


def test_exercises_without_the_data_say_so(tmp_path: Path) -> None:
    """A new engagement with nothing mapped: every answer of steps 1 and 3 is None (the check cell says
    the data cannot answer), never an error."""
    (tmp_path / "client.yaml").write_text("name: Rossi\nlanguage: en\n", encoding="utf-8")
    client = load_client(tmp_path)
    assert exercises.analysis_date(client) is None
    assert exercises.rows_kept(client, "survey_responses") is None
    assert exercises.rows_dropped_with_date_format(client, "transactions", "%m/%d/%Y") is None
    dx = Diagnosis.open(tmp_path)
    assert exercises.most_bouncing_pair(dx) is None and exercises.nps_slope(dx) is None
    assert exercises.worst_solid_stage(None) is None
    assert check(None, exercises.most_bouncing_pair(dx)).ok is None


def test_expected_answers_match_independent_figures(dx: Diagnosis) -> None:
    responses = dx.client.survey_responses
    hot = responses.loc[responses["survey"] == "hot", "nps"]
    assert exercises.hot_nps(dx) == round(_nps(hot))
    nps = dx.indicators.nps.set_index("survey")
    assert exercises.hot_interval_below_cold(dx) == (nps.at["hot", "high"] < nps.at["cold", "low"])
    by_touchpoint = indicators.nps(
        responses, by="touchpoint", settings=dx.settings, thresholds=dx.settings.thresholds
    )
    solid = {
        t: _nps(g["nps"])
        for t, g in responses.groupby("touchpoint", observed=True)
        if g["nps"].notna().sum() >= dx.settings.thresholds.small_n
    }
    assert exercises.lowest_solid_group(by_touchpoint, "touchpoint") == min(solid, key=solid.get)
    table = dx.segments.table
    assert exercises.dilemma_customers(dx) == int((table["segment"] == "dilemma").sum()) > 0
    value = table.groupby(table["segment"].astype(str))["value"].sum()
    assert exercises.largest_value_segment(dx) == value.idxmax()


def test_expected_answers_of_steps_5_to_7(dx: Diagnosis) -> None:
    from cxlab import recommend, text

    cfg = dx.settings
    analysed = dx.comments.analysed
    assert exercises.comments_analysed(dx) == int(
        dx.client.survey_responses["comment"].fillna("").str.strip().ne("").sum()
    )
    summary = text.theme_summary(
        analysed, dx.client.survey_responses, cfg.text, cfg.indicators, cfg.thresholds
    )
    negative = {
        theme: int(
            sum(
                theme in themes and p == "negative"
                for themes, p in zip(analysed["themes"], analysed["polarity"], strict=True)
            )
        )
        for theme in summary["theme"]
    }
    assert exercises.most_negative_theme(summary) == max(negative, key=negative.get)
    culture_table = dx.client.culture
    own = (
        culture_table[culture_table["rated_department"].isna() | (culture_table["rated_department"] == "")]
        if "rated_department" in culture_table
        else culture_table
    )
    assert exercises.lowest_culture_department(dx) == str(
        own.groupby("department", observed=True)["score"].mean().idxmin()
    )
    spread = dx.culture.pillars.groupby("pillar", observed=True)["score"].agg(lambda s: s.max() - s.min())
    assert exercises.widest_pillar(dx) == spread.idxmax()
    states = recommend.rule_status(dx.findings)["state"]
    assert exercises.rules_triggered(dx) == int((states == "triggered").sum()) > 0
    assert exercises.highest_priority(dx) == max(r.priority for r in dx.recommendations.recommendations)


def test_every_exercise_has_an_answer_cell_and_a_check_cell() -> None:
    counted = {}
    for path in TEMPLATES:
        nb = nbformat.read(str(path), as_version=4)
        cells = [c for c in nb.cells if "exercise" in c.metadata.get("tags", [])]
        answers = [c for c in cells if c.source.startswith("answer_")]
        checks = [c for c in cells if "exercises.check(" in c.source]
        assert len(answers) == len(checks)
        for answer, checked in zip(answers, checks, strict=True):
            name = answer.source.split("=", 1)[0].strip()
            assert (
                answer.source.split("=", 1)[1].split("#")[0].strip() == "None"
            )  # unanswered in the template
            assert f"check({name}," in checked.source.replace("\n    ", "") or f"({name}," in checked.source
        if checks:
            counted[path.stem] = len(checks)
    assert counted == {
        "01_data_intake": 3,
        "02_indicators": 3,
        "03_handoffs_journey": 3,
        "04_segments": 2,
        "05_comments": 2,
        "06_culture": 2,
        "07_recommendations": 2,
    }
