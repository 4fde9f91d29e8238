"""Action plan export: the shown recommendations as XLSX or CSV, in the report language.

Columns: rank, recommendation, evidence, owner, priority, effort, due quarter (plus id, title and status,
so a re-imported sheet can be traced back to its rule).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from ..errors import ConfigError
from ..i18n import translate
from .engine import Recommendation, recommendations_frame

HEADERS: dict[str, dict[str, str]] = {
    "rank": {"en": "#", "it": "#"},
    "id": {"en": "ID", "it": "ID"},
    "title": {"en": "Title", "it": "Titolo"},
    "recommendation": {"en": "Recommendation", "it": "Raccomandazione"},
    "evidence": {"en": "Evidence", "it": "Evidenza"},
    "owner": {"en": "Owner", "it": "Responsabile"},
    "priority": {"en": "Priority (1–25)", "it": "Priorità (1–25)"},
    "effort": {"en": "Effort", "it": "Impegno"},
    "due_quarter": {"en": "Due quarter", "it": "Trimestre"},
    "status": {"en": "Status", "it": "Stato"},
}
EFFORT_LABELS = {
    "low": {"en": "low", "it": "basso"},
    "medium": {"en": "medium", "it": "medio"},
    "high": {"en": "high", "it": "alto"},
}
STATUS_LABELS = {
    "proposed": {"en": "proposed", "it": "proposta"},
    "accepted": {"en": "accepted", "it": "accettata"},
    "rejected": {"en": "rejected", "it": "respinta"},
}
COLUMNS = tuple(HEADERS)


def action_plan_frame(recs: Iterable[Recommendation], lang: str = "en") -> pd.DataFrame:
    """The action plan as a table with headers and labels in ``lang`` (rows in the given order)."""
    frame = recommendations_frame(recs, lang)[list(COLUMNS)].copy()
    frame["effort"] = [translate(EFFORT_LABELS, e, lang) for e in frame["effort"]]
    frame["status"] = [translate(STATUS_LABELS, s, lang) for s in frame["status"]]
    return frame.rename(columns={c: translate(HEADERS, c, lang) for c in COLUMNS})


def export_action_plan(
    recs: Iterable[Recommendation],
    path: Path | str,
    lang: str = "en",
    sep: str | None = None,
) -> Path:
    """Write the action plan to ``path``; ``.xlsx`` or ``.csv`` by the suffix.

    CSV is UTF-8 with a BOM so Excel opens accents correctly; ``sep`` defaults to ``;`` in Italian
    (Excel with an Italian locale expects it) and ``,`` in English.
    """
    path = Path(path)
    frame = action_plan_frame(recs, lang)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        frame.to_csv(path, index=False, sep=sep or (";" if lang == "it" else ","), encoding="utf-8-sig")
    elif suffix == ".xlsx":
        _write_xlsx(frame, path, lang)
    else:
        raise ConfigError("a file ending in .xlsx or .csv", file=str(path), found=repr(suffix or path.name))
    return path


def _write_xlsx(frame: pd.DataFrame, path: Path, lang: str) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    sheet_name = "Piano d'azione" if lang == "it" else "Action plan"
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name=sheet_name)
        ws = writer.sheets[sheet_name]
        widths = {"#": 5, "ID": 26, "Title": 40, "Titolo": 40, "Recommendation": 60, "Raccomandazione": 60}
        widths |= {"Evidence": 60, "Evidenza": 60, "Owner": 20, "Responsabile": 20}
        for idx, name in enumerate(frame.columns, start=1):
            letter = ws.cell(row=1, column=idx).column_letter
            ws.column_dimensions[letter].width = widths.get(name, 14)
            head = ws.cell(row=1, column=idx)
            head.font = Font(bold=True, color="FFFFFF")
            head.fill = PatternFill("solid", fgColor="1F4E79")
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "A2"
