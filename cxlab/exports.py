"""Export of action lists (ultra-detractor call-backs, ultra-promoter testimonial asks, over-surveyed
customers …) to CSV or XLSX for the client's teams. The only I/O of the indicators analysis.

    export_action_lists({"call_back": ultra_detractors(...), "testimonials": ultra_promoters(...)},
                        "out/action_lists.xlsx")          # one sheet per list
    export_action_lists({...}, "out/action_lists.csv")    # one CSV per list: action_lists_call_back.csv …

CSV files are UTF-8 with BOM and ``;`` as separator when ``lang="it"`` (what Excel expects on an Italian
PC), ``,`` otherwise; dates are written as ``YYYY-MM-DD HH:MM``. XLSX is written with openpyxl, the header
row bold and frozen, columns sized to their content.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from .errors import FileFormatError

SUFFIXES = (".csv", ".xlsx")


def _sheet_name(name: str) -> str:
    """Excel sheet names: at most 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", "_", name)[:31] or "list"


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for c in out.columns:
        if isinstance(out[c].dtype, pd.CategoricalDtype):
            out[c] = out[c].astype("str")
        if pd.api.types.is_datetime64_any_dtype(out[c]):
            out[c] = out[c].dt.tz_localize(None) if getattr(out[c].dt, "tz", None) else out[c]
    return out


def export_action_lists(lists: Mapping[str, pd.DataFrame], path: Path | str, lang: str = "en") -> list[Path]:
    """Write each list (name -> frame) to ``path`` (.xlsx: one sheet per list; .csv: one file per list,
    ``<stem>_<name>.csv``, or exactly ``path`` when there is a single list). Returns the written paths;
    folders are created. An unknown suffix raises :class:`~cxlab.errors.FileFormatError`."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise FileFormatError("a .csv or .xlsx file name", file=str(path), found=repr(path.suffix or "none"))
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".xlsx":
        from openpyxl.styles import Font

        with pd.ExcelWriter(path, engine="openpyxl", datetime_format="YYYY-MM-DD HH:MM") as writer:
            for name, frame in lists.items():
                sheet = _sheet_name(name)
                _plain(frame).to_excel(writer, sheet_name=sheet, index=False)
                ws = writer.sheets[sheet]
                ws.freeze_panes = "A2"
                for cell in ws[1]:
                    cell.font = Font(bold=True)
                for i, col in enumerate(frame.columns, start=1):
                    sample = frame[col].astype("str").str.len().head(200)
                    width = max(len(str(col)), int(sample.max()) if sample.notna().any() else 0)
                    ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = min(width + 2, 60)
        return [path]
    sep = ";" if lang == "it" else ","
    decimal = "," if lang == "it" else "."
    written = []
    for name, frame in lists.items():
        target = path if len(lists) == 1 else path.with_name(f"{path.stem}_{_sheet_name(name)}.csv")
        _plain(frame).to_csv(
            target, index=False, sep=sep, decimal=decimal, encoding="utf-8-sig", date_format="%Y-%m-%d %H:%M"
        )
        written.append(target)
    return written
