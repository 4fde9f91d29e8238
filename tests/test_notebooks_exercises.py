"""Trainee exercises (issue 22): each self-check says right or wrong, in the notebook's language, against
an answer computed from the client's data (checked here against figures computed independently)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from cxlab import indicators
from cxlab.diagnosis import Diagnosis
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
        "02_indicators": 3,
        "04_segments": 2,
        "05_comments": 2,
        "06_culture": 2,
        "07_recommendations": 2,
    }
