"""Customer culture by department (DESIGN §2): the workshop questionnaire, scored.

The culture table (DESIGN §3) has one row per answer: ``department`` (who answers), ``respondent``,
``question_id`` (ids of :mod:`cxlab.questionnaire`), ``score`` 1–5 and optionally ``rated_department``
(the department being rated; blank or equal to ``department`` = the department rates itself).

* :func:`pillar_scores` / :func:`question_scores` — the self-assessment per department and pillar/question;
* :func:`department_spread` — how far apart departments are on each pillar;
* :func:`self_vs_others` — each department's self-rating vs how the others rate it (and how it rates
  the others), on the cross questions, when the data has ``rated_department``;
* :func:`culture_figures` — the headline figures for :mod:`cxlab.findings` (``culture.*`` keys);
* :func:`questionnaire_html` / :func:`write_questionnaire` — the blank, printable form (it/en).

Scores are plain means of the answers (every respondent answers every question, so this equals the mean
of respondent means); ``n_respondents`` travels with each score because workshop groups are small.
Question ids not in the questionnaire are kept in :func:`question_scores` (pillar ``None``) and left
out of the pillar scores.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from .colours import is_hex_colour
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


# --------------------------------------------------------------------------------------------------
# the printable, blank questionnaire

_LABELS = {
    "title": {"it": "Questionario sulla cultura del cliente", "en": "Customer culture questionnaire"},
    "intro": {
        "it": "Rispondete pensando al vostro reparto, non a voi personalmente. Non ci sono risposte giuste "
        "o sbagliate: le risposte sono anonime e servono a confrontare i reparti.",
        "en": "Answer for your department, not for yourself personally. There are no right or wrong "
        "answers: answers are anonymous and are used to compare departments.",
    },
    "scale": {
        "it": "1 = per niente · 2 = poco · 3 = in parte · 4 = abbastanza · 5 = pienamente",
        "en": "1 = not at all · 2 = a little · 3 = partly · 4 = mostly · 5 = fully",
    },
    "department": {"it": "Reparto", "en": "Department"},
    "respondent": {"it": "Codice partecipante", "en": "Respondent code"},
    "date": {"it": "Data", "en": "Date"},
    "question": {"it": "Domanda", "en": "Question"},
    "part1": {"it": "Parte 1 — Il nostro reparto", "en": "Part 1 — Our department"},
    "part2": {
        "it": "Parte 2 — Gli altri reparti: come lavorano con noi?",
        "en": "Part 2 — The other departments: how do they work with us?",
    },
    "part2_intro": {
        "it": "Per ogni altro reparto con cui lavorate, rispondete a queste domande su quel reparto "
        "(saltate il vostro reparto e quelli con cui non lavorate).",
        "en": "For each other department you work with, answer these questions about that department "
        "(skip your own department and those you do not work with).",
    },
    "other": {"it": "Altro reparto: ____________", "en": "Other department: ____________"},
    "comments": {
        "it": "Un esempio concreto o un suggerimento (facoltativo)",
        "en": "A concrete example or a suggestion (optional)",
    },
}

_CSS = """
*{box-sizing:border-box}
body{font-family:"Helvetica Neue",Helvetica,Arial,sans-serif;color:#222;margin:24px;font-size:11pt}
h1{font-size:18pt;margin:0 0 4px;color:__COLOUR__}
h2{font-size:13pt;margin:18px 0 6px;color:__COLOUR__;border-bottom:2px solid __COLOUR__;padding-bottom:2px}
h3{font-size:11pt;margin:12px 0 4px}
p.client{margin:0 0 10px;color:#555}
.fields{display:flex;gap:24px;margin:10px 0}
.fields span{flex:1;border-bottom:1px solid #999;padding:14px 0 2px;font-size:9pt;color:#555}
table{border-collapse:collapse;width:100%;margin:4px 0 8px;page-break-inside:avoid;break-inside:avoid}
th,td{border:1px solid #bbb;padding:5px 6px;vertical-align:middle}
th{background:#f0f3f7;font-size:9pt;text-align:center}
td.q{width:auto}
th.n,td.n{width:28px;text-align:center;color:#555;font-size:9pt}
td.box{width:34px;text-align:center}
td.box span{display:inline-block;width:14px;height:14px;border:1.5px solid #555;border-radius:50%}
.scale{font-size:9pt;color:#444;margin:6px 0}
.notes{border:1px solid #bbb;height:70px;margin-top:6px}
section{break-inside:avoid;page-break-inside:avoid}
.part2{break-before:page;page-break-before:always}
@page{size:A4;margin:14mm}
@media print{body{margin:0}th{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
"""


def _answer_row(number: int, text: str) -> str:
    boxes = "".join('<td class="box"><span></span></td>' for _ in range(5))
    return f'<tr><td class="n">{number}</td><td class="q">{html.escape(text)}</td>{boxes}</tr>'


def _table(questions: Sequence, lang: str, about_other: bool = False) -> str:
    """Questions with five answer boxes; the number links a printed answer to its ``question_id``."""
    head = (
        f'<tr><th class="n">#</th><th>{_LABELS["question"][lang]}</th>'
        + "".join(f"<th>{i}</th>" for i in range(1, 6))
        + "</tr>"
    )
    rows = "".join(
        _answer_row(q.number, q.text_about_other(lang) if about_other else q.text(lang)) for q in questions
    )
    return f"<table>{head}{rows}</table>"


def questionnaire_html(
    lang: str = "it",
    departments: Sequence[str] | None = None,
    client_name: str | None = None,
    colour: str = "#1f4e79",
    cross: bool = True,
) -> str:
    """The blank workshop questionnaire as one self-contained HTML page (inline CSS, print-ready, A4).

    Part 1: the twelve questions about one's own department, grouped by pillar, numbered like their
    ``question_id`` (``q07_...`` is 7) so the answers can be typed into the culture table. Part 2
    (``cross``): the cross questions, worded about the other department, repeated for each other
    department (named when ``departments`` is given, otherwise
    blank "other department" blocks), feeding the ``rated_department`` column.
    """
    if lang not in ("it", "en"):
        raise AnalysisError("it or en", column="lang", found=repr(lang))
    if not is_hex_colour(colour):
        raise AnalysisError("a colour like #1f4e79", column="colour", found=repr(colour))
    L = {k: v[lang] for k, v in _LABELS.items()}
    parts = [
        f"<h1>{L['title']}</h1>",
        f'<p class="client">{html.escape(client_name)}</p>' if client_name else "",
        f'<div class="fields"><span>{L["department"]}</span><span>{L["respondent"]}</span>'
        f"<span>{L['date']}</span></div>",
        f"<p>{L['intro']}</p>",
        f'<p class="scale">{L["scale"]}</p>',
        f"<h2>{L['part1']}</h2>",
    ]
    for pillar, names in PILLARS.items():
        questions = [q for q in QUESTIONS if q.pillar == pillar]
        parts.append(f"<section><h3>{html.escape(names[lang])}</h3>{_table(questions, lang)}</section>")
    parts.append(f'<section><h3>{L["comments"]}</h3><div class="notes"></div></section>')
    if cross:
        cross_qs = [q for q in QUESTIONS if q.cross]
        parts.append(f'<div class="part2"><h2>{L["part2"]}</h2><p>{L["part2_intro"]}</p>')
        parts.append(f'<p class="scale">{L["scale"]}</p>')
        blocks = [html.escape(d) for d in departments] if departments else [L["other"]] * 4
        for name in blocks:
            parts.append(f"<section><h3>{name}</h3>{_table(cross_qs, lang, about_other=True)}</section>")
        parts.append("</div>")
    title = html.escape(L["title"] + (f" — {client_name}" if client_name else ""))
    css = _CSS.replace("__COLOUR__", html.escape(colour))
    body = "\n".join(p for p in parts if p)
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>{css}</style></head><body>\n{body}\n</body></html>\n"
    )


def write_questionnaire(
    path: Path | str,
    lang: str = "it",
    departments: Sequence[str] | None = None,
    client_name: str | None = None,
    colour: str = "#1f4e79",
    cross: bool = True,
) -> Path:
    """Write :func:`questionnaire_html` to ``path`` (UTF-8); returns the path. Print it from a browser."""
    path = Path(path)
    path.write_text(questionnaire_html(lang, departments, client_name, colour, cross), encoding="utf-8")
    return path


def workshop_date(culture: pd.DataFrame) -> dt.date | None:
    """The day the workshop was answered (the latest ``answered_at``), if recorded."""
    if "answered_at" not in culture.columns or culture["answered_at"].isna().all():
        return None
    return pd.Timestamp(culture["answered_at"].max()).date()
