"""``cxlab new``: scaffold an engagement folder a consultant can start from.

The folder holds ``client.yaml`` (no table yet), ``data/`` with a README of what to ask the client for,
``recommendations.yaml`` (proposals shown until reviewed), the notebooks, and the blank workshop
questionnaire in ``workshop/``: a printable page and a spreadsheet in the shape of the culture table, to
hand out at the culture workshop and type the answers into.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .config import load_config
from .demo import generate_demo_client
from .errors import ConfigError
from .intake.write import write_tables, write_text
from .jupyter.notebooks import localized_notebook_text
from .questionnaire import QUESTIONS
from .resources import notebook_templates

CLIENT_YAML = """\
# client.yaml — the settings of one engagement. Every key, its type and default: cxlab/config.py.
name: {name}
language: {language}        # it | en: the language of the client report
currency: EUR
timezone: Europe/Rome       # timestamps with an offset are converted to this local time
# analysis_date: 2026-10-31 # default: the day after the last dated record

branding:
  colour: "#1f4e79"         # the client's main colour, used on the cover and in the charts
  # logo: logo.png          # PNG/SVG in this folder, inlined into the report

# One entry per table you received (all optional). `columns` maps the client's column names to the
# canonical ones (README, "Data model"); columns already named canonically need no mapping.
tables: {{}}
#  customers:
#    file: data/customers.csv
#    columns: {{Codice cliente: customer_id, Ragione sociale: name, Settore: industry}}
#  transactions:
#    file: data/sales.csv
#    columns: {{Cliente: customer_id, Data: date, Importo: amount, Margine: margin}}
#    decimal: ","              # detected when omitted
#    date_format: "%d/%m/%Y"   # detected when omitted (ISO or day-first)
#  events:
#    file: data/tickets.csv
#    columns: {{Ticket: case_id, Data ora: timestamp, Attività: activity, Reparto: department}}
#  survey_invitations:
#    file: data/invitations.csv
#  survey_responses:
#    file: data/responses.xlsx
#    values: {{survey: {{Transazionale: hot, Relazionale: cold}}}}
#  culture:
#    file: data/workshop.xlsx

thresholds:
  small_n: 30               # groups with fewer responses are flagged in charts and tables
  over_surveyed: 3          # invitations per customer per rolling 90 days
"""

DATA_README = """\
# Data for this engagement

Put the client's exports here and name them in `../client.yaml` under `tables:`.

| table | what to ask the client for | minimum columns |
| --- | --- | --- |
| customers | CRM customer master | customer id |
| transactions | sales lines or invoices, 2–3 years | customer id, date, amount (margin if available) |
| events | ticket / case / order event log (CRM, helpdesk, ERP workflow) | case id, timestamp, activity, department |
| survey_invitations | survey platform send log | invitation id, customer id, sent at, hot/cold |
| survey_responses | survey answers with comments | response id, answered at, hot/cold, scores |
| culture | the workshop questionnaire (`cxlab new` prints a blank one) | department, respondent, question id, score 1–5 |

CSV (comma or semicolon), XLSX and Parquet are read as they are; the files are never modified.
Run `cxlab validate ..` after each delivery to see what was read and what was dropped, and why.
"""

RECOMMENDATIONS_YAML = """\
# recommendations.yaml — the consultant's decisions on the generated recommendations.
# Accept, reject, re-word or re-prioritise any rule's output by its id, and add custom ones.
# The Recommendation review widget writes this file. While "unreviewed: show", the report shows the
# accepted recommendations and, marked as proposals, the ones nobody has reviewed yet (a first draft);
# set "unreviewed: hide" once the review is done to show only what was explicitly accepted.
unreviewed: show
"""


def new_engagement(path: Path | str, *, language: str = "it", from_demo: bool = False, seed: int = 7) -> Path:
    """Create an engagement folder: client.yaml, data/, notebooks/, recommendations.yaml."""
    folder = Path(path)
    if folder.exists() and any(folder.iterdir()):
        raise ConfigError("a new or empty folder", file=str(folder), found="a folder that already has files")
    if language not in ("it", "en"):
        raise ConfigError("it or en", column="language", found=repr(language))
    if from_demo:
        generate_demo_client(folder, seed=seed, language=language)
    else:
        (folder / "data").mkdir(parents=True, exist_ok=True)
        write_text(folder / "client.yaml", CLIENT_YAML.format(name=folder.name, language=language))
        write_text(folder / "data" / "README.md", DATA_README)
    if not (folder / "recommendations.yaml").exists():
        write_text(folder / "recommendations.yaml", RECOMMENDATIONS_YAML)
    notebooks = folder / "notebooks"
    notebooks.mkdir(exist_ok=True)
    for template in notebook_templates().iterdir():
        if template.name.endswith(".ipynb"):  # markdown in the client's language, code unchanged
            write_text(notebooks / template.name, localized_notebook_text(Path(str(template)), language))
    write_blank_questionnaire(folder / "workshop", language, client_name=folder.name)
    load_config(folder)  # the scaffold must itself be valid
    return folder


#: the columns of the blank questionnaire spreadsheet: the culture table's, plus the question's text
QUESTIONNAIRE_COLUMNS = ("department", "respondent", "question_id", "question", "score", "rated_department")


def blank_questionnaire_table(language: str) -> pd.DataFrame:
    """One row per question to answer: the twelve about one's own department, then the cross questions
    about another department (``rated_department`` to fill in); department, respondent and score blank."""
    rows = [{"question_id": q.id, "question": q.text(language), "rated_department": ""} for q in QUESTIONS]
    rows += [
        {"question_id": q.id, "question": q.text_about_other(language), "rated_department": ""}
        for q in QUESTIONS
        if q.cross
    ]
    frame = pd.DataFrame(rows)
    frame["department"] = ""
    frame["respondent"] = ""
    frame["score"] = ""
    return frame[list(QUESTIONNAIRE_COLUMNS)]


def write_blank_questionnaire(folder: Path, language: str, client_name: str | None = None) -> list[Path]:
    """The blank workshop questionnaire: ``questionnaire_LANG.html`` (print it) and
    ``questionnaire_LANG.xlsx`` (the culture table's columns: one copy per respondent, or type the printed
    answers in); returns both paths."""
    from .report.questionnaire_html import write_questionnaire  # presentation: loaded when scaffolding

    folder.mkdir(parents=True, exist_ok=True)
    page = write_questionnaire(
        folder / f"questionnaire_{language}.html", lang=language, client_name=client_name
    )
    sheets = write_tables(
        {"culture": blank_questionnaire_table(language)}, folder / f"questionnaire_{language}.xlsx"
    )
    return [page, *sheets]
