"""The blank, printable workshop questionnaire (DESIGN §2) as one self-contained HTML page, and its file.

The questions and pillars come from :mod:`cxlab.questionnaire`; the form's own words go through
:mod:`cxlab.i18n` (Italian in ``locale/it/LC_MESSAGES/analysis.po``). The answers typed back from the
printed form feed the culture table that :mod:`cxlab.culture` scores.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path

from ..colours import is_hex_colour
from ..errors import AnalysisError
from ..i18n import gettext, pgettext
from ..intake.write import write_text
from ..questionnaire import PILLARS, QUESTIONS, Question, pillar_name

#: the question wording (cxlab.questionnaire) exists in these languages only
QUESTIONNAIRE_LANGUAGES = ("it", "en")

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


def _labels(lang: str) -> dict[str, str]:
    """The form's own words in ``lang``."""
    return {
        "title": gettext(lang, "Customer culture questionnaire"),
        "intro": gettext(
            lang,
            "Answer for your department, not for yourself personally. There are no right or wrong "
            "answers: answers are anonymous and are used to compare departments.",
        ),
        "scale": gettext(lang, "1 = not at all · 2 = a little · 3 = partly · 4 = mostly · 5 = fully"),
        "department": pgettext(lang, "questionnaire", "Department"),
        "respondent": pgettext(lang, "questionnaire", "Respondent code"),
        "date": pgettext(lang, "questionnaire", "Date"),
        "question": pgettext(lang, "questionnaire", "Question"),
        "part1": gettext(lang, "Part 1 — Our department"),
        "part2": gettext(lang, "Part 2 — The other departments: how do they work with us?"),
        "part2_intro": gettext(
            lang,
            "For each other department you work with, answer these questions about that department "
            "(skip your own department and those you do not work with).",
        ),
        "other": gettext(lang, "Other department: ____________"),
        "comments": gettext(lang, "A concrete example or a suggestion (optional)"),
    }


def _answer_row(number: int, text: str) -> str:
    boxes = "".join('<td class="box"><span></span></td>' for _ in range(5))
    return f'<tr><td class="n">{number}</td><td class="q">{html.escape(text)}</td>{boxes}</tr>'


def _table(questions: Sequence[Question], lang: str, heading: str, about_other: bool = False) -> str:
    """Questions with five answer boxes; the number links a printed answer to its ``question_id``."""
    head = (
        f'<tr><th class="n">#</th><th>{heading}</th>'
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
    if lang not in QUESTIONNAIRE_LANGUAGES:
        raise AnalysisError(" or ".join(QUESTIONNAIRE_LANGUAGES), column="lang", found=repr(lang))
    if not is_hex_colour(colour):
        raise AnalysisError("a colour like #1f4e79", column="colour", found=repr(colour))
    L = _labels(lang)
    parts = [
        f"<h1>{L['title']}</h1>",
        f'<p class="client">{html.escape(client_name)}</p>' if client_name else "",
        f'<div class="fields"><span>{L["department"]}</span><span>{L["respondent"]}</span>'
        f"<span>{L['date']}</span></div>",
        f"<p>{L['intro']}</p>",
        f'<p class="scale">{L["scale"]}</p>',
        f"<h2>{L['part1']}</h2>",
    ]
    for pillar in PILLARS:
        questions = [q for q in QUESTIONS if q.pillar == pillar]
        table = _table(questions, lang, L["question"])
        parts.append(f"<section><h3>{html.escape(pillar_name(pillar, lang))}</h3>{table}</section>")
    parts.append(f'<section><h3>{L["comments"]}</h3><div class="notes"></div></section>')
    if cross:
        cross_qs = [q for q in QUESTIONS if q.cross]
        parts.append(f'<div class="part2"><h2>{L["part2"]}</h2><p>{L["part2_intro"]}</p>')
        parts.append(f'<p class="scale">{L["scale"]}</p>')
        blocks = [html.escape(d) for d in departments] if departments else [L["other"]] * 4
        for name in blocks:
            table = _table(cross_qs, lang, L["question"], about_other=True)
            parts.append(f"<section><h3>{name}</h3>{table}</section>")
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
    write_text(path, questionnaire_html(lang, departments, client_name, colour, cross))
    return path
