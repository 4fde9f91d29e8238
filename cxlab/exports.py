"""Export of action lists (ultra-detractor call-backs, ultra-promoter testimonial asks, over-surveyed
customers …) to CSV or XLSX for the client's teams.

    export_action_lists({"call_back": ultra_detractors(...), "testimonials": ultra_promoters(...)},
                        "out/action_lists.xlsx")          # one sheet per list
    export_action_lists({...}, "out/action_lists.csv")    # one CSV per list: action_lists_call_back.csv …

The format (separator, encoding, dates, formula cells) is the one of every table cxlab hands over:
:func:`cxlab.intake.write.write_tables`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from .intake.write import TABLE_SUFFIXES, write_tables

SUFFIXES = TABLE_SUFFIXES


def export_action_lists(lists: Mapping[str, pd.DataFrame], path: Path | str, lang: str = "en") -> list[Path]:
    """Write each list (name -> frame) to ``path`` (.xlsx: one sheet per list; .csv: one file per list,
    ``<stem>_<name>.csv``, or exactly ``path`` when there is a single list). Returns the written paths;
    folders are created. An unknown suffix raises :class:`~cxlab.errors.FileFormatError`."""
    return write_tables(lists, path, lang)
