"""Checks on the client's tables and the data-quality report they feed.

:class:`DataQuality` (one :class:`TableReport` per table, each with its :class:`Issue` list) says what
was read, kept, dropped or blanked and why. :class:`Recorder` collects a table's problems while its
columns convert (:mod:`cxlab.intake.convert`); :func:`resolve_columns` checks that the mapped and
required columns exist; :func:`cross_table_notes` states facts that involve several tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias

import numpy as np
import pandas as pd
import pyarrow as pa

from ..config import TableSource
from ..errors import CxlabError, MissingColumnError, MissingValueError
from ..errors import format_problem as _format_problem
from ..i18n import SOURCE_LANGUAGE, Message, format_number, gettext, ngettext, problem_text
from ..schema import Column, Table

Action = Literal["dropped", "blanked", "filled", "note"]
#: msgids of :meth:`Issue.describe` per action (Italian in cxlab/locale/it/LC_MESSAGES/intake.po)
ACTION_SUMMARIES: dict[str, str] = {
    "dropped": "{count} rows dropped — {problem}",
    "blanked": "{count} values blanked — {problem}",
    "filled": "{count} values filled — {problem}",
    "note": "{count} note — {problem}",
}


class Note(str):
    """A fact about the data that is not a problem, in English (it is a ``str``), with its message id and
    values kept so that the report can say it in its own language: ``gettext(lang, note.msgid,
    **note.values)``."""

    msgid: str
    values: dict[str, Any]
    #: the English plural msgid, the form chosen by the value ``count`` (:func:`~cxlab.i18n.ngettext`)
    msgid_plural: str | None

    def __new__(cls, msgid: str, msgid_plural: str | None = None, /, **values: Any) -> Note:
        english = msgid if msgid_plural is None or values.get("count") == 1 else msgid_plural
        note = super().__new__(cls, english.format(**_figures(values, "en")))
        note.msgid, note.msgid_plural, note.values = msgid, msgid_plural, values
        return note

    def __getnewargs_ex__(self) -> tuple[tuple[str, str | None], dict[str, Any]]:  # pickled with its ids
        return (self.msgid, self.msgid_plural), self.values

    def translated(self, lang: str) -> str:
        figures = _figures(self.values, lang)
        if self.msgid_plural is not None:
            return ngettext(lang, self.msgid, self.msgid_plural, int(self.values["count"]), **figures)
        return gettext(lang, self.msgid, **figures)


def _figures(values: dict[str, Any], lang: str) -> dict[str, Any]:
    """Whole numbers written with the locale's thousands separator (``7,554``; Italian ``7.554``)."""
    return {
        k: format_number(int(v), lang) if isinstance(v, int | np.integer) and not isinstance(v, bool) else v
        for k, v in values.items()
    }


#: the spreadsheet row number (header = 1) of each row read
RowNumbers: TypeAlias = np.ndarray | pd.RangeIndex


@dataclass(frozen=True)
class Issue:
    """One kind of problem found in one column of one table."""

    table: str
    file: str
    column: str | None
    rows: tuple[int, ...]  # spreadsheet row numbers, header = row 1 (first few only)
    count: int
    action: Action
    error: type[CxlabError]
    expected: str
    found: str | None = None

    @property
    def message(self) -> str:
        return _format_problem(self.file, self.column, self.rows, self.expected, self.found)

    def describe(self, lang: str = "en") -> str:
        """The count and what was done, in ``lang``, then the problem (``file, column, rows: expected``),
        also in ``lang`` (the column mapper lists these as it validates)."""
        problem = (
            self.message
            if lang == SOURCE_LANGUAGE
            else problem_text(lang, self.file, self.column, self.rows, self.expected, self.found)
        )
        return gettext(lang, ACTION_SUMMARIES[self.action], count=self.count, problem=problem)

    def to_error(self) -> CxlabError:
        return self.error(self.expected, file=self.file, column=self.column, rows=self.rows, found=self.found)


@dataclass
class TableReport:
    table: str
    file: str
    rows_read: int = 0
    rows_kept: int = 0
    columns_mapped: dict[str, str] = field(default_factory=dict)  # canonical -> client column
    columns_kept: list[str] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    #: facts about the table that are not problems (e.g. single-event cases)
    notes: list[str] = field(default_factory=list)
    #: the spreadsheet row number of each row kept (for problems found after loading)
    row_numbers: np.ndarray | pd.RangeIndex | None = field(default=None, repr=False, compare=False)

    @property
    def rows_dropped(self) -> int:
        return self.rows_read - self.rows_kept


@dataclass
class DataQuality:
    tables: dict[str, TableReport] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def issues(self) -> list[Issue]:
        return [i for t in self.tables.values() for i in t.issues]

    def summary(self) -> pd.DataFrame:
        """One row per table: rows read, kept, dropped, values blanked, columns mapped."""
        rows = []
        for t in self.tables.values():
            rows.append(
                {
                    "table": t.table,
                    "file": t.file,
                    "rows_read": t.rows_read,
                    "rows_kept": t.rows_kept,
                    "rows_dropped": t.rows_dropped,
                    "values_blanked": sum(i.count for i in t.issues if i.action == "blanked"),
                    "columns_mapped": len(t.columns_mapped),
                }
            )
        return pd.DataFrame(
            rows,
            columns=[
                "table",
                "file",
                "rows_read",
                "rows_kept",
                "rows_dropped",
                "values_blanked",
                "columns_mapped",
            ],
        )

    def issues_frame(self) -> pd.DataFrame:
        """One row per problem, with its count, action and explanation (for the report appendix)."""
        return pd.DataFrame(
            [
                {
                    "table": i.table,
                    "file": i.file,
                    "column": i.column,
                    "action": i.action,
                    "count": i.count,
                    "rows": ", ".join(map(str, i.rows)),
                    "problem": i.error.__name__,
                    "expected": i.expected,
                    "found": i.found,
                }
                for i in self.issues
            ],
            columns=["table", "file", "column", "action", "count", "rows", "problem", "expected", "found"],
        )


class Recorder:
    """Collects the issues of one table and the rows to drop."""

    def __init__(self, table: str, file: str, row_numbers: RowNumbers):
        self.table, self.file, self.row_numbers = table, file, row_numbers
        self.issues: list[Issue] = []
        self.drop = np.zeros(len(row_numbers), dtype=bool)

    def add(
        self,
        mask: np.ndarray,
        column: str | None,
        action: Action,
        error: type[CxlabError],
        expected: str,
        values: pd.Series | None = None,
    ) -> None:
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():  # the usual case on a clean file
            return
        if action == "dropped":
            mask = mask & ~self.drop  # count each row once
        count = int(mask.sum())
        if not count:
            return
        positions = np.flatnonzero(mask)[:5]
        found = None
        if values is not None:
            sample = [
                repr(_as_written(v)) for v in pd.unique(take_rows(values, np.flatnonzero(mask)[:50]))[:3]
            ]
            found = ", ".join(sample)
        self.issues.append(
            Issue(
                self.table,
                self.file,
                column,
                tuple(int(r) for r in self.row_numbers[positions]),
                count,
                action,
                error,
                expected,
                found,
            )
        )
        if action == "dropped":
            self.drop |= mask


def take_rows(values: pd.Series, positions: np.ndarray) -> pd.Series:
    """``values.iloc[positions]``, for a few rows of Arrow-backed text taken chunk by chunk (see
    :func:`take_text`): the handful of values a message shows."""
    dtype = values.dtype
    if not (isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow") or len(positions) > 10_000:
        return values.iloc[positions]
    text = pa.array(values.array)
    if not isinstance(text, pa.ChunkedArray) or text.num_chunks < 2:
        return values.iloc[positions]
    positions = np.asarray(positions, dtype=np.int64)
    index = values.index[positions]  # raises IndexError as iloc does
    positions = np.where(positions < 0, positions + len(values), positions)
    return pd.Series(dtype.__from_arrow__(take_text(text, positions)), index=index, name=values.name)


def take_text(text: Any, positions: np.ndarray) -> Any:
    """``text.take(positions)`` (positions in range, not negative) for Arrow text in chunks, taken chunk
    by chunk in the order given: Arrow's take from a column in many chunks (a large CSV read) first
    joins them, a copy of the whole column (10-25 ms a million values)."""
    chunks = text.chunks if isinstance(text, pa.ChunkedArray) else [text]
    ends = np.cumsum([len(chunk) for chunk in chunks])
    chunk_of = np.searchsorted(ends, positions, side="right")
    order = np.argsort(chunk_of, kind="stable")  # grouped by chunk, each group in the given order
    grouped, chunk_of = positions[order], chunk_of[order]
    pieces = []
    for number in np.unique(chunk_of):
        start = int(ends[number - 1]) if number else 0
        pieces.append(chunks[int(number)].take(pa.array(grouped[chunk_of == number] - start)))
    taken = pa.chunked_array(pieces, type=text.type)
    if (np.diff(order) > 0).all():  # in chunk order already (sorted positions): no reordering
        return taken
    return taken.combine_chunks().take(pa.array(np.argsort(order, kind="stable")))  # back in the order asked


def _as_written(value: object) -> object:
    """A typed value as text, the way a file holds it (11.0 -> '11'), for error messages."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else str(value)


@dataclass
class IdCodes:
    """An id column as numbers: each row's id (-1 = blank) and, when no id is blank, the rows per id."""

    rows: np.ndarray
    counts: np.ndarray | None


class PendingIssues:
    """A column's problems, held until they are recorded in column order (see :func:`convert_columns`)."""

    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def add(self, *args: Any) -> None:
        self.calls.append(args)


def record_blanks(missing: np.ndarray, col: Column, rec: Recorder | PendingIssues) -> None:
    if col.fill is not None:
        rec.add(
            missing,
            col.name,
            "filled",
            MissingValueError,
            Message("a value (blank taken as '{fill}')", fill=col.fill),
            None,
        )
    elif col.required:
        rec.add(missing, col.name, "dropped", MissingValueError, Message("a value"), None)


def single_event_note(case_ids: IdCodes, kept: np.ndarray) -> list[Note]:
    """The note on cases with a single (kept) event, if any."""
    if case_ids.counts is not None and kept.all():
        sizes = case_ids.counts
    else:
        sizes = np.bincount(case_ids.rows[kept & (case_ids.rows >= 0)])
    cases, single = int((sizes > 0).sum()), int((sizes == 1).sum())
    if not single:
        return []
    return [
        Note(
            "{single} of {cases} cases have a single event: they count as cases with no handoff",
            single=single,
            cases=cases,
        )
    ]


def resolve_columns(names: list[str], src: TableSource, table: Table, file: str) -> dict[str, str]:
    """File column -> canonical column: the mapping in client.yaml (names matched ignoring case and
    surrounding spaces), plus columns the file already names canonically. A mapped, required or kept
    column the file lacks stops with a MissingColumnError."""
    available = {c.strip(): c for c in names}
    lowered = {c.lower(): c for c in available}
    listed = "columns " + ", ".join(repr(c) for c in names[:12])
    rename: dict[str, str] = {}
    for client_col, canonical in src.columns.items():
        actual = available.get(client_col.strip()) or lowered.get(client_col.strip().lower())
        if actual is None:
            raise MissingColumnError(
                Message(
                    "a column '{column}' (mapped to '{canonical}' in client.yaml)",
                    column=client_col,
                    canonical=canonical,
                ),
                file=file,
                column=client_col,
                found=listed,
            )
        rename[actual] = canonical
    mapped_targets = set(rename.values())
    for col in table.column_names:
        if col not in mapped_targets and col in available and available[col] not in rename:
            rename[available[col]] = col
    missing = [c for c in table.required if c not in rename.values()]
    if missing:
        raise MissingColumnError(
            Message(
                "a column for the required '{column}' (map it under tables.{table}.columns in client.yaml)",
                column=missing[0],
                table=table.name,
            ),
            file=file,
            column=missing[0],
            found=listed,
        )
    for keep in src.keep:
        if keep not in available:
            raise MissingColumnError(
                Message("a column '{column}' (listed under keep)", column=keep),
                file=file,
                column=keep,
                found=Message("no such column"),
            )
    return rename


def cross_table_notes(tables: dict[str, pd.DataFrame]) -> list[Note]:
    notes: list[Note] = []
    responses = tables.get("survey_responses")
    invitations = tables.get("survey_invitations")
    customers = tables.get("customers")
    if responses is not None and invitations is None:
        notes.append(
            Note(
                "survey_responses has no survey_invitations table: response rates and survey pressure are skipped"
            )
        )
    if not tables:
        notes.append(Note("client.yaml names no tables"))
    if customers is not None:
        known = set(customers["customer_id"].dropna())
        for name in ("transactions", "survey_responses", "survey_invitations", "events"):
            frame = tables.get(name)
            if frame is not None and "customer_id" in frame.columns:
                ids = frame["customer_id"].dropna()
                unknown = int((~ids.isin(known)).sum())
                if unknown:
                    notes.append(
                        Note(
                            "{count} rows of {table} name a customer_id not in customers (kept)",
                            count=unknown,
                            table=name,
                        )
                    )
    return notes
