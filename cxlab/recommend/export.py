"""Action plan export: the shown recommendations as XLSX or CSV, in the report language.

Columns: rank, recommendation, evidence, owner, priority, effort, due quarter (plus id, title and status,
so a re-imported sheet can be traced back to its rule). Written by the one table writer,
:func:`cxlab.intake.write.write_table` (the same format as the action lists).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from ..errors import ConfigError
from ..i18n import gettext, pgettext
from ..intake.write import TABLE_SUFFIXES, write_table
from .engine import Recommendation, recommendations_frame

#: the columns of the action plan, in order, with their header (English msgid; translated at export)
HEADERS: dict[str, str] = {
    "rank": "#",
    "id": "ID",
    "title": "Title",
    "recommendation": "Recommendation",
    "evidence": "Evidence",
    "owner": "Owner",
    "priority": "Priority (1–25)",
    "effort": "Effort",
    "due_quarter": "Due quarter",
    "status": "Status",
}
COLUMNS = tuple(HEADERS)
#: msgctxt of the effort and status labels in the catalogs (short words, ambiguous alone)
EFFORT_CONTEXT = "effort"
STATUS_CONTEXT = "recommendation status"


def action_plan_frame(recs: Iterable[Recommendation], lang: str = "en") -> pd.DataFrame:
    """The action plan as a table with headers and labels in ``lang`` (rows in the given order)."""
    frame = recommendations_frame(recs, lang)[list(COLUMNS)].copy()
    frame["effort"] = [pgettext(lang, EFFORT_CONTEXT, e) for e in frame["effort"]]
    frame["status"] = [pgettext(lang, STATUS_CONTEXT, s) for s in frame["status"]]
    return frame.rename(columns={c: pgettext(lang, "action plan column", HEADERS[c]) for c in COLUMNS})


def export_action_plan(
    recs: Iterable[Recommendation],
    path: Path | str,
    lang: str = "en",
) -> Path:
    """Write the action plan to ``path``; ``.xlsx`` or ``.csv`` by the suffix (the format of
    :func:`cxlab.intake.write.write_tables`: CSV in UTF-8 with a BOM, ``;`` where the language writes
    decimal commas). Another suffix raises :class:`~cxlab.errors.ConfigError`."""
    path = Path(path)
    if path.suffix.lower() not in TABLE_SUFFIXES:
        raise ConfigError(
            "a file ending in .xlsx or .csv", file=str(path), found=repr(path.suffix.lower() or path.name)
        )
    return write_table(action_plan_frame(recs, lang), path, lang, sheet=gettext(lang, "Action plan"))
