"""Customer culture by department (DESIGN §2): the workshop questionnaire, scored.

The culture table (DESIGN §3) has one row per answer: ``department`` (who answers), ``respondent``,
``question_id`` (ids of :mod:`cxlab.questionnaire`), ``score`` 1–5 and optionally ``rated_department``
(the department being rated; blank or equal to ``department`` = the department rates itself).

* :func:`pillar_scores` / :func:`question_scores` — the self-assessment per department and pillar/question;
* :func:`department_spread` — how far apart departments are on each pillar;
* :func:`self_vs_others` — each department's self-rating vs how the others rate it (and how it rates
  the others), on the cross questions, when the data has ``rated_department``;
* :func:`culture_figures` — the headline figures for :mod:`cxlab.findings` (``culture.*`` keys).

The blank, printable form is :mod:`cxlab.report.questionnaire_html` (HTML and files are report-layer work).

Scores are plain means of the answers (every respondent answers every question, so this equals the mean
of respondent means); ``n_respondents`` travels with each score because workshop groups are small.
Question ids not in the questionnaire are kept in :func:`question_scores` (pillar ``None``) and left
out of the pillar scores.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from .errors import AnalysisError
from .questionnaire import PILLARS, QUESTIONS

_PILLAR_OF = {q.id: q.pillar for q in QUESTIONS}
_CROSS = {q.id for q in QUESTIONS if q.cross}
_INFO_QUESTIONS = ("q03_info_we_pass", "q04_info_we_receive")


def _categorical(series: pd.Series) -> pd.Categorical:
    """A categorical with stripped labels; blank labels become missing (works on the categories only)."""
    cat = series.array if isinstance(series.dtype, pd.CategoricalDtype) else pd.Categorical(series)
    labels = pd.Index(cat.categories.astype(str)).str.strip()
    kept = labels[labels != ""].unique()
    mapping = kept.get_indexer(labels)  # -1 for a blank label
    codes = np.asarray(cat.codes)
    new_codes = np.where(codes >= 0, mapping[np.maximum(codes, 0)] if len(mapping) else -1, -1)
    return pd.Categorical.from_codes(new_codes, categories=kept)


def _prepare(culture: pd.DataFrame) -> pd.DataFrame:
    """Categorical department / rated_department on one shared set of labels (so they compare by code),
    integer respondent codes, the pillar of each question and an ``own`` flag (a self-rating)."""
    if culture is None or len(culture) == 0:
        raise AnalysisError("a culture table with answers", file="culture", found="no rows")
    missing = [c for c in ("department", "respondent", "question_id", "score") if c not in culture.columns]
    if missing:
        raise AnalysisError("the culture columns", file="culture", column=missing[0], found="no such column")
    dept = _categorical(culture["department"])
    rated = (
        _categorical(culture["rated_department"])
        if "rated_department" in culture.columns
        else pd.Categorical([None] * len(culture), categories=[])
    )
    labels = pd.Index(dept.categories).union(pd.Index(rated.categories))
    dept = dept.set_categories(labels)
    rated = rated.set_categories(labels)
    question = _categorical(culture["question_id"])
    pillar = pd.Categorical(question.map(_PILLAR_OF, na_action="ignore"), categories=list(PILLARS))
    out = pd.DataFrame(
        {
            "department": dept,
            "respondent": pd.factorize(culture["respondent"])[0],
            "question_id": question,
            "pillar": pillar,
            "score": pd.to_numeric(culture["score"], errors="coerce").to_numpy(dtype="float64"),
            "rated_department": rated,
        }
    )
    d_codes, r_codes = np.asarray(dept.codes), np.asarray(rated.codes)
    out["own"] = (r_codes < 0) | (r_codes == d_codes)
    keep = out["score"].notna().to_numpy() & (d_codes >= 0)
    return out[keep] if not keep.all() else out


def _plain(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """Group keys back to plain text columns for the tidy outputs."""
    for c in columns:
        frame[c] = frame[c].astype(str)
    return frame


def _score_table(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    grouped = frame.groupby(keys, sort=True, observed=True)
    out = grouped["score"].agg(score="mean", sd="std", n_answers="size").reset_index()
    out["n_respondents"] = grouped["respondent"].nunique().to_numpy()
    return out


def _question_scores(prep: pd.DataFrame) -> pd.DataFrame:
    out = _score_table(prep[prep["own"].to_numpy()], ["department", "question_id"])
    out = _plain(out, "department", "question_id")
    out.insert(2, "pillar", out["question_id"].map(_PILLAR_OF))
    return out


def question_scores(culture: pd.DataFrame) -> pd.DataFrame:
    """Self-assessment per department and question: department, question_id, pillar, score, sd, n_*."""
    return _question_scores(_prepare(culture))


def _own_pillar_rows(prep: pd.DataFrame) -> pd.DataFrame:
    return prep[prep["own"].to_numpy() & prep["pillar"].notna().to_numpy()]


def _pillar_scores(prep: pd.DataFrame) -> pd.DataFrame:
    # pillar is categorical in questionnaire order, so the sort keeps PILLARS order within a department
    out = _score_table(_own_pillar_rows(prep), ["department", "pillar"])
    out = out.sort_values(["department", "pillar"]).reset_index(drop=True)
    return _plain(out, "department", "pillar")[
        ["department", "pillar", "score", "sd", "n_answers", "n_respondents"]
    ]


def pillar_scores(culture: pd.DataFrame) -> pd.DataFrame:
    """Self-assessment per department and pillar: department, pillar, score (1–5), sd, n_answers,
    n_respondents; pillars in questionnaire order."""
    return _pillar_scores(_prepare(culture))


def _department_scores(prep: pd.DataFrame) -> pd.DataFrame:
    out = _plain(_score_table(_own_pillar_rows(prep), ["department"]), "department")
    return out.sort_values(["score", "department"]).reset_index(drop=True)


def department_scores(culture: pd.DataFrame) -> pd.DataFrame:
    """Overall self-assessment per department (all questionnaire questions), lowest first."""
    return _department_scores(_prepare(culture))


def department_spread(scores: pd.DataFrame) -> pd.DataFrame:
    """Per pillar, how far apart departments are: min, max, spread (max − min), sd between departments,
    lowest and highest department. Largest spread first. Takes :func:`pillar_scores` output."""
    if len(scores) == 0:
        return pd.DataFrame(
            columns=["pillar", "min", "max", "spread", "sd", "lowest_department", "highest_department"]
        )
    s = scores.sort_values(["pillar", "score", "department"])
    grouped = s.groupby("pillar", sort=False)
    out = pd.DataFrame(
        {
            "min": grouped["score"].min(),
            "max": grouped["score"].max(),
            "sd": grouped["score"].std(ddof=0),
            "lowest_department": grouped["department"].first(),
            "highest_department": grouped["department"].last(),
        }
    )
    out["spread"] = out["max"] - out["min"]
    out = out.reset_index()[
        ["pillar", "min", "max", "spread", "sd", "lowest_department", "highest_department"]
    ]
    return out.sort_values(["spread", "pillar"], ascending=[False, True]).reset_index(drop=True)


_SVO_COLUMNS = ["department", "self_score", "by_others", "of_others", "gap", "n_raters"]


def _self_vs_others(prep: pd.DataFrame) -> pd.DataFrame:
    frame = prep[prep["question_id"].isin(_CROSS).to_numpy()]
    own_mask = frame["own"].to_numpy()
    cross = frame[~own_mask]
    if cross.empty:
        return pd.DataFrame(columns=_SVO_COLUMNS)
    own = frame[own_mask].groupby("department", observed=True)["score"].mean().rename("self_score")
    by_others = cross.groupby("rated_department", observed=True)["score"].mean().rename("by_others")
    # a rater is a (department, respondent) pair: respondent codes may repeat across departments
    rater = np.asarray(cross["department"].cat.codes, dtype=np.int64) * (len(prep) + 1) + cross["respondent"]
    raters = rater.groupby(cross["rated_department"], observed=True).nunique().rename("n_raters")
    of_others = cross.groupby("department", observed=True)["score"].mean().rename("of_others")
    out = pd.concat([own, by_others, of_others, raters], axis=1)
    out.index = pd.Index(out.index.astype(str), name="department")
    out["gap"] = out["self_score"] - out["by_others"]
    out["n_raters"] = out["n_raters"].fillna(0).astype(int)
    out = out.reset_index()[_SVO_COLUMNS]
    return out.sort_values(["gap", "department"], ascending=[False, True], na_position="last").reset_index(
        drop=True
    )


def self_vs_others(culture: pd.DataFrame) -> pd.DataFrame:
    """Per department, on the cross questions: ``self_score`` (its own answers), ``by_others`` (how the
    other departments rate it), ``of_others`` (how it rates the others), ``gap`` = self − by_others,
    ``n_raters`` (respondents of other departments who rated it). Largest gap first.

    Empty (same columns) when the table has no ``rated_department`` answers.
    """
    return _self_vs_others(_prepare(culture))


def culture_figures(culture: pd.DataFrame) -> dict[str, object]:
    """The ``culture.*`` findings (see :data:`cxlab.findings.FINDING_SPECS`) from the culture table."""
    prep = _prepare(culture)
    own = _own_pillar_rows(prep)
    figures: dict[str, object] = {"culture.departments": int(prep["department"].nunique())}
    if own.empty:
        return figures
    overall = _department_scores(prep)
    figures["culture.lowest_department"] = str(overall.loc[0, "department"])
    figures["culture.lowest_score"] = float(overall.loc[0, "score"])
    spread = department_spread(_pillar_scores(prep))
    if len(spread) and len(overall) > 1:
        figures["culture.spread_pillar"] = str(spread.loc[0, "pillar"])
        figures["culture.spread_max"] = float(spread.loc[0, "spread"])

    # information passing: answers about oneself and (when present) the ratings received from others
    info = prep[prep["question_id"].isin(_INFO_QUESTIONS).to_numpy()]
    subject = np.where(
        info["own"].to_numpy(), info["department"].cat.codes, info["rated_department"].cat.codes
    )
    info_by_dept = info["score"].groupby(subject).mean().sort_values(kind="stable")
    if len(info_by_dept):
        labels = prep["department"].cat.categories
        figures["culture.info_lowest_department"] = str(labels[info_by_dept.index[0]])
        figures["culture.info_lowest_score"] = float(info_by_dept.iloc[0])

    means = own.groupby("question_id", observed=True)["score"].mean()
    means.index = means.index.astype(str)
    for qid, key in (
        ("q08_front_line_empowered", "culture.empowerment_score"),
        ("q11_trained_to_listen", "culture.listening_score"),
        ("q10_voice_of_customer", "culture.voice_of_customer_score"),
        ("q07_roles_clear", "culture.roles_clear_score"),
        ("q12_internal_customer", "culture.internal_customer_score"),
    ):
        if qid in means.index:
            figures[key] = float(means[qid])
    listen_rows = own[(own["question_id"] == "q11_trained_to_listen").to_numpy()]
    listening = listen_rows.groupby("department", observed=True)["score"].mean()
    if len(listening):
        listening.index = listening.index.astype(str)
        listening = listening.sort_index().sort_values(kind="stable")
        figures["culture.listening_lowest_department"] = str(listening.index[0])
        figures["culture.listening_lowest_score"] = float(listening.iloc[0])

    svo = _self_vs_others(prep)
    gaps = svo.dropna(subset=["gap"])
    if len(gaps):
        top = gaps.iloc[0]
        figures["culture.gap_department"] = str(top["department"])
        figures["culture.gap_max"] = float(top["gap"])
        figures["culture.gap_self"] = float(top["self_score"])
        figures["culture.gap_others"] = float(top["by_others"])
    harsh = svo.dropna(subset=["self_score", "of_others"])
    if len(harsh):
        diff = (harsh["self_score"] - harsh["of_others"]).to_numpy()
        i = int(np.argmax(diff))
        figures["culture.harshest_rater"] = str(harsh["department"].iloc[i])
        figures["culture.harshest_rater_self"] = float(harsh["self_score"].iloc[i])
        figures["culture.harshest_rater_given"] = float(harsh["of_others"].iloc[i])
        figures["culture.harshest_rater_gap"] = float(diff[i])
    return figures


def workshop_date(culture: pd.DataFrame) -> dt.date | None:
    """The day the workshop was answered (the latest ``answered_at``), if recorded."""
    if "answered_at" not in culture.columns or culture["answered_at"].isna().all():
        return None
    return pd.Timestamp(culture["answered_at"].max()).date()
