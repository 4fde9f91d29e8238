"""Culture by department: scores, spread, self vs others, figures, charts, the printable questionnaire."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

from cxlab.charts.culture import culture_dot_chart, self_vs_others_chart
from cxlab.culture import (
    culture_figures,
    department_scores,
    department_spread,
    pillar_scores,
    question_scores,
    self_vs_others,
)
from cxlab.errors import AnalysisError
from cxlab.questionnaire import QUESTIONS
from cxlab.report.questionnaire_html import questionnaire_html, write_questionnaire


def _tiny() -> pd.DataFrame:
    """Two departments, hand-computable.

    CS (2 respondents) answers 5 and 4 on every question about itself and rates Logistics 2 on the cross
    questions; Logistics (1 respondent) answers 3 about itself except q03/q04 = 1, and rates CS 3.
    """
    rows = []
    for resp, score in (("cs1", 5), ("cs2", 4)):
        for q in QUESTIONS:
            rows.append(("Customer Service", resp, q.id, score, None))
            if q.cross:
                rows.append(("Customer Service", resp, q.id, 2, "Logistics"))
    for q in QUESTIONS:
        own = 1 if q.id[:3] in ("q03", "q04") else 3
        rows.append(("Logistics", "lo1", q.id, own, "" if q.id == "q01_what_we_do" else None))
        if q.cross:
            rows.append(("Logistics", "lo1", q.id, 3, "Customer Service"))
    rows.append(("Logistics", "lo1", "q99_client_extra", 5, None))  # a client's own question
    frame = pd.DataFrame(
        rows, columns=["department", "respondent", "question_id", "score", "rated_department"]
    )
    for col in ("department", "question_id", "rated_department"):
        frame[col] = frame[col].astype("category")
    frame["score"] = frame["score"].astype("float64")
    return frame


def test_pillar_scores_hand_computed():
    scores = pillar_scores(_tiny()).set_index(["department", "pillar"])
    assert scores.loc[("Customer Service", "roles"), "score"] == pytest.approx(4.5)
    assert scores.loc[("Customer Service", "roles"), "n_respondents"] == 2
    # Logistics roles: q03=1, q04=1, q07=3 -> 5/3
    assert scores.loc[("Logistics", "roles"), "score"] == pytest.approx(5 / 3)
    assert scores.loc[("Logistics", "delegation"), "score"] == pytest.approx(3.0)
    assert set(scores.index.get_level_values("pillar")) == {
        "shared_understanding",
        "customer_centricity",
        "roles",
        "delegation",
    }


def test_unknown_questions_stay_out_of_pillars():
    qs = question_scores(_tiny())
    extra = qs[qs["question_id"] == "q99_client_extra"]
    assert len(extra) == 1 and pd.isna(extra["pillar"].iloc[0])
    overall = department_scores(_tiny()).set_index("department")
    assert overall.loc["Logistics", "score"] == pytest.approx((10 * 3 + 2 * 1) / 12)


def test_spread_between_departments():
    spread = department_spread(pillar_scores(_tiny()))
    top = spread.iloc[0]
    assert top["pillar"] == "roles"
    assert top["spread"] == pytest.approx(4.5 - 5 / 3)
    assert top["lowest_department"] == "Logistics" and top["highest_department"] == "Customer Service"


def test_self_vs_others_hand_computed():
    svo = self_vs_others(_tiny()).set_index("department")
    # cross questions q03, q04, q12: CS self = 4.5, rated by Logistics 3, rates Logistics 2
    assert svo.loc["Customer Service", "self_score"] == pytest.approx(4.5)
    assert svo.loc["Customer Service", "by_others"] == pytest.approx(3.0)
    assert svo.loc["Customer Service", "of_others"] == pytest.approx(2.0)
    assert svo.loc["Customer Service", "gap"] == pytest.approx(1.5)
    assert svo.loc["Customer Service", "n_raters"] == 1
    # Logistics self on q03, q04, q12 = (1 + 1 + 3) / 3; rated by two CS respondents at 2
    assert svo.loc["Logistics", "self_score"] == pytest.approx(5 / 3)
    assert svo.loc["Logistics", "by_others"] == pytest.approx(2.0)
    assert svo.loc["Logistics", "n_raters"] == 2
    assert list(svo.index) == ["Customer Service", "Logistics"]  # largest gap first


def test_self_vs_others_without_cross_ratings_is_empty():
    own_only = _tiny()
    own_only = own_only[own_only["rated_department"].isna()].drop(columns="rated_department")
    assert self_vs_others(own_only).empty
    figures = culture_figures(own_only)
    assert "culture.gap_max" not in figures and "culture.spread_max" in figures


def test_culture_figures_hand_computed():
    f = culture_figures(_tiny())
    assert f["culture.departments"] == 2
    assert f["culture.gap_department"] == "Customer Service" and f["culture.gap_max"] == pytest.approx(1.5)
    assert f["culture.harshest_rater"] == "Customer Service"
    assert f["culture.harshest_rater_gap"] == pytest.approx(2.5)
    # info questions about Logistics: own 1, 1 (x1 respondent) and 2, 2 from the two CS respondents
    assert f["culture.info_lowest_department"] == "Logistics"
    assert f["culture.info_lowest_score"] == pytest.approx((1 + 1 + 2 * 4) / 6)
    # q08 mean over all own answers: (5 + 4 + 3) / 3
    assert f["culture.empowerment_score"] == pytest.approx(4.0)
    assert f["culture.listening_lowest_department"] == "Logistics"
    assert f["culture.spread_pillar"] == "roles"


def test_bad_input_raises_analysis_error():
    with pytest.raises(AnalysisError):
        pillar_scores(pd.DataFrame(columns=["department", "respondent", "question_id", "score"]))
    with pytest.raises(AnalysisError) as err:
        pillar_scores(pd.DataFrame({"department": ["A"], "score": [3]}))
    assert "respondent" in str(err.value)


@pytest.mark.parametrize("lang", ["it", "en"])
def test_dot_chart_spec(lang):
    spec = culture_dot_chart(pillar_scores(_tiny()), lang).to_dict()
    assert len(spec["layer"]) == 2
    rule, dots = spec["layer"]
    assert rule["mark"]["type"] == "rule" and dots["mark"]["type"] == "circle"
    assert dots["encoding"]["x"]["scale"]["domain"] == [1, 5]
    assert dots["encoding"]["color"]["field"] == "department"
    title = "Cultura del cliente per reparto e pilastro" if lang == "it" else "Customer culture by department"
    assert spec["title"].startswith(title)
    values = next(iter(spec["datasets"].values()))
    labels = {v["pillar_label"] for v in values}
    assert ("Ruoli e responsabilità chiari" if lang == "it" else "Clear roles and responsibilities") in labels


def test_self_vs_others_chart_spec():
    spec = self_vs_others_chart(self_vs_others(_tiny()), "it").to_dict()
    points = spec["layer"][1]
    assert points["encoding"]["color"]["scale"]["domain"] == [
        "Autovalutazione",
        "Valutato dagli altri",
        "Valuta gli altri",
    ]
    assert points["encoding"]["y"]["sort"] == ["Customer Service", "Logistics"]


@pytest.mark.parametrize("lang", ["it", "en"])
def test_printable_questionnaire(tmp_path, lang):
    page = questionnaire_html(lang, departments=["Sales", "Credit"], client_name="Acme <S.p.A.>")
    assert page.startswith("<!DOCTYPE html>") and f'lang="{lang}"' in page
    assert "@page" in page and "@media print" in page
    assert not re.search(r"(src|href)=\"?https?:", page), "must be self-contained"
    assert "Acme &lt;S.p.A.&gt;" in page
    for q in QUESTIONS:
        assert page.count(html.escape(q.text(lang))) == 1
        assert f'<td class="n">{q.number}</td>' in page
    # part 2: the three cross questions, worded about the other department, once per named department
    cross = [q for q in QUESTIONS if q.cross]
    for q in cross:
        assert q.text_about_other(lang) != q.text(lang)
        assert page.count(html.escape(q.text_about_other(lang))) == 2
    assert page.count('<td class="box">') == 5 * (12 + 2 * len(cross))
    heading = "Parte 2" if lang == "it" else "Part 2"
    assert heading in page
    # the form's own words come from the catalog: the Italian page has no English label left
    english = ("Respondent code", "Answer for your department", "1 = not at all", "(optional)")
    assert all((word in page) == (lang == "en") for word in english)
    out = write_questionnaire(tmp_path / f"q_{lang}.html", lang)
    assert out.read_text(encoding="utf-8").count('<td class="box">') == 5 * (12 + 4 * len(cross))


def test_question_numbers_match_their_ids():
    assert [q.number for q in QUESTIONS] == list(range(1, 13))
    assert {q.id[:3] for q in QUESTIONS if q.cross} == {"q03", "q04", "q12"}
    assert all(q.text_about_other("it") == q.text("it") for q in QUESTIONS if not q.cross)


def test_questionnaire_escapes_department_names():
    page = questionnaire_html("en", departments=["R&D <lab>"])
    assert "R&amp;D &lt;lab&gt;" in page and "<lab>" not in page


def test_questionnaire_language_is_checked():
    with pytest.raises(AnalysisError):
        questionnaire_html("de")
