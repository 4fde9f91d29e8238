"""Client data intake: read a client folder, map columns to the canonical tables, validate, report.

``load_client(path)`` reads ``client.yaml`` and every table it names, and returns a :class:`Client` with one
DataFrame per canonical table (:mod:`cxlab.schema`) and a :class:`DataQuality` report. Defined behaviours:

* a file, or a required column, that is missing stops with a :class:`~cxlab.errors.CxlabError` subclass;
* rows that cannot be used (blank or unparseable required value, out-of-range required value, later
  duplicates of a unique id, lines with too many fields) are dropped, counted and explained;
* an invalid value in an optional column (e.g. NPS 11 next to a valid CSAT) is blanked, counted and
  explained, so the rest of the row still counts;
* cross-table facts (responses without an invitation table, single-event cases, responses of unknown
  customers) become notes; the analyses that need a missing table raise :class:`TableDependencyError`
  through :meth:`Client.require`;
* ``strict=True`` raises the first dropped/blanked problem instead of continuing.

Input files are only ever read.

Canonical dtypes: ids are strings; categorical columns are ``category``; timestamps are naive
``datetime64[ns]`` in the client's local time zone (offsets in the file are converted); scores and
amounts are ``float64`` with NaN for blanks; ``is_customer_contact`` is bool.
"""

from __future__ import annotations

import csv
import functools
import io as _io
import os
import re
import threading
import warnings
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from .config import ClientConfig, TableSource, load_config
from .errors import (
    CxlabError,
    DuplicateIdError,
    EmptyFileError,
    FileFormatError,
    InvalidValueError,
    MissingColumnError,
    MissingFileError,
    MissingValueError,
    TableDependencyError,
    ValueRangeError,
)
from .errors import format_problem as _format_problem
from .schema import TABLES, Column, Table

Action = Literal["dropped", "blanked", "filled", "note"]
#: the spreadsheet row number (header = 1) of each row read
RowNumbers = np.ndarray | pd.RangeIndex

_SEPARATORS = (";", ",", "\t", "|")
_TRUE = {"true", "1", "yes", "y", "si", "sì", "x", "vero", "t"}
_FALSE = {"false", "0", "no", "n", "falso", "f", ""}
_DATE_FORMATS = (
    "ISO8601",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y",
)
_MONTH_FIRST_FORMATS = ("%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y")
_OFFSET = re.compile(r"(?:[+-]\d\d:?\d\d|Z)$")
_COMMA_DECIMAL = re.compile(r"^[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?$")
_WARNINGS_LOCK = threading.Lock()
#: the fast CSV read (:func:`_read_csv_fast`) may be switched off, e.g. by a test comparing both paths
_FAST_CSV = True


# --------------------------------------------------------------------------------------------------
# the data-quality report


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

    def describe(self) -> str:
        verb = {
            "dropped": "rows dropped",
            "blanked": "values blanked",
            "filled": "values filled",
            "note": "note",
        }[self.action]
        return f"{self.count} {verb} — {self.message}"

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


# --------------------------------------------------------------------------------------------------
# the loaded client


@dataclass
class Client:
    config: ClientConfig
    tables: dict[str, pd.DataFrame]
    quality: DataQuality
    #: analyses already computed on this client's tables and config (see :meth:`derived`)
    _derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def derived(self, name: str, compute: Callable[[], Any]) -> Any:
        """``compute()`` once per client: the findings and the report sections ask for the same case
        metrics, segments or comment analysis, and get one computation. ``name`` identifies the analysis
        (its inputs are this client's tables and config, which do not change after loading)."""
        if name not in self._derived:
            self._derived[name] = compute()
        return self._derived[name]

    @property
    def name(self) -> str:
        return self.config.name

    @property
    def language(self) -> str:
        return self.config.language

    @property
    def root(self) -> Path:
        return self.config.root

    def table(self, name: str) -> pd.DataFrame | None:
        if name not in TABLES:
            raise KeyError(name)
        return self.tables.get(name)

    def require(self, name: str, purpose: str) -> pd.DataFrame:
        """The table, or a TableDependencyError saying which analysis needs it."""
        frame = self.tables.get(name)
        if frame is None:
            raise TableDependencyError(
                f"a '{name}' table in client.yaml for {purpose}",
                file=self.config.source,
                column=f"tables.{name}",
                found="no such table",
            )
        return frame

    customers = property(lambda self: self.tables.get("customers"))
    transactions = property(lambda self: self.tables.get("transactions"))
    events = property(lambda self: self.tables.get("events"))
    survey_invitations = property(lambda self: self.tables.get("survey_invitations"))
    survey_responses = property(lambda self: self.tables.get("survey_responses"))
    culture = property(lambda self: self.tables.get("culture"))

    @property
    def analysis_date(self) -> pd.Timestamp:
        """The configured analysis date, else the day after the last dated record."""
        if self.config.analysis_date is not None:
            return pd.Timestamp(self.config.analysis_date)
        last = [
            frame[col].max()
            for name, col in (
                ("transactions", "date"),
                ("events", "timestamp"),
                ("survey_responses", "answered_at"),
                ("survey_invitations", "sent_at"),
            )
            if (frame := self.tables.get(name)) is not None and len(frame)
        ]
        return (max(last).normalize() + pd.Timedelta(days=1)) if last else pd.Timestamp.today().normalize()


# --------------------------------------------------------------------------------------------------
# reading files as the client gave them


def _detect_encoding(raw: bytes) -> str:
    """The encoding of a file's first bytes (a character cut at their end does not count against UTF-8)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":
            return "utf-8"
        # cp1252 is the Windows superset of Latin-1 that Italian exports use (€ at 0x80)
        try:
            raw.decode("cp1252")
            return "cp1252"
        except UnicodeDecodeError:
            return "latin-1"


def _detect_separator(sample: str, file: str) -> str:
    lines = [ln for ln in sample.splitlines()[:50] if ln.strip()]
    if not lines:
        raise EmptyFileError("a header row and data rows", file=file, found="an empty file")
    best, best_score = None, (0, 0)
    for sep in _SEPARATORS:
        counts = [len(row) for row in csv.reader(lines, delimiter=sep)]
        width = max(set(counts), key=counts.count)
        consistent = sum(1 for c in counts if c == width)
        score = (consistent, width) if width > 1 else (0, 0)
        if score > best_score:
            best, best_score = sep, score
    return best or ","


def _read_text_table(
    path: Path, src: TableSource, file: str, table: Table | None = None
) -> tuple[pd.DataFrame, RowNumbers, list[int]]:
    """Read a CSV/TXT file. Returns (frame, frame index -> row number, bad line numbers).

    With the canonical ``table``, a clean UTF-8 file is read by :func:`_read_csv_fast`; otherwise, and for
    previews, every column is read as strings."""
    with path.open("rb") as stream:
        start = stream.read(1_000_000)
    if not start.strip() and not path.read_bytes().strip():
        raise EmptyFileError("a header row and data rows", file=file, found="an empty file")
    # the head decides; a UTF-8 error further down makes the parser fail and we retry below
    encoding = src.encoding or _detect_encoding(start)
    try:
        head = start[:65536].decode(encoding, errors="replace")
    except LookupError:
        raise FileFormatError("a known text encoding", file=file, found=repr(src.encoding)) from None
    sep = src.sep or _detect_separator(head, file)
    header_row = _find_header_line(head, sep, src) if src.header_row is None else src.header_row
    skip = header_row - 1
    if table is not None and _FAST_CSV and encoding in ("utf-8", "utf-8-sig"):
        typed = _read_csv_fast(path, encoding, sep, header_row, src, table, file)
        if typed is not None:
            # data row i is on line header_row + 1 + i (a lazy range: only problem rows are looked up)
            return typed, pd.RangeIndex(header_row + 1, header_row + 1 + len(typed)), []
    raw = path.read_bytes()
    options = dict(
        sep=sep, encoding=encoding, dtype=str, keep_default_na=False, na_values=[""], skiprows=skip
    )
    caught: list = []
    try:
        # the multithreaded Arrow parser reads strings several times faster than the C parser
        frame = pd.read_csv(_io.BytesIO(raw), engine="pyarrow", **options)
    except pd.errors.EmptyDataError:
        raise EmptyFileError("a header row and data rows", file=file, found="an empty file") from None
    except (pd.errors.ParserError, ValueError, UnicodeDecodeError) as exc:
        if src.encoding is None and encoding == "utf-8" and "UTF8" in str(exc):
            options["encoding"] = encoding = "cp1252"
        # ragged lines, odd quoting: the C parser skips the bad lines and tells us which
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                frame = pd.read_csv(
                    _io.BytesIO(raw),
                    engine="c",
                    on_bad_lines="warn",
                    skip_blank_lines=True,
                    quotechar='"',
                    **options,
                )
            except pd.errors.EmptyDataError:
                raise EmptyFileError("a header row and data rows", file=file, found="an empty file") from None
            except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
                raise FileFormatError(
                    "a readable delimited text file", file=file, found=str(exc).splitlines()[0]
                ) from None
    bad = sorted(
        int(m.group(1)) + skip for w in caught for m in re.finditer(r"Skipping line (\d+)", str(w.message))
    )
    frame.columns = [str(c).strip() for c in frame.columns]
    # data row i sits on line header_row + 1 + i, plus the bad lines before it; blank lines are rare in
    # exports, so the exact number is kept only where no bad line interferes
    row_numbers = np.arange(len(frame)) + header_row + 1
    if bad:
        bad_arr = np.asarray(bad)
        row_numbers = row_numbers + np.searchsorted(bad_arr, row_numbers, side="right")
    return frame, row_numbers, bad


def _read_csv_fast(
    path: Path, encoding: str, sep: str, header_row: int, src: TableSource, table: Table, file: str
) -> pd.DataFrame | None:
    """A clean UTF-8 CSV read by pandas' C parser with its own type inference: on a large file it splits
    the file over threads, and it is several times faster than reading every column as strings.

    Inference may only decide what the string path would: numbers stay numbers in number columns, 0/1
    in yes/no columns; every other mapped or kept column must come back as text (its strings exactly as
    in the file), and when one does not, those columns are read again as strings. Any parse error
    (ragged line, bad quoting, invalid UTF-8) returns None and the string path reports it row by row.
    Keep the call eligible for the parallel read: a path, no ``usecols``, default ``low_memory``."""

    def read(**dtype: Any) -> pd.DataFrame | None:
        try:
            with _WARNINGS_LOCK, warnings.catch_warnings():
                # a column of mixed types is expected here: it is read again as text, or parsed as text
                warnings.simplefilter("ignore", pd.errors.DtypeWarning)
                return pd.read_csv(
                    path,
                    sep=sep,
                    skiprows=header_row - 1,
                    encoding=encoding,
                    keep_default_na=False,
                    na_values=[""],
                    **dtype,
                )
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError):
            return None

    frame = read()
    if frame is None or frame.empty or frame.columns.duplicated().any():
        return None
    frame.columns = [str(c).strip() for c in frame.columns]
    try:
        rename = _resolve_columns(list(frame.columns), src, table, file)
    except CxlabError:
        return None  # the string path raises it, naming the file's columns
    kinds = {name: table.column(canonical).kind for name, canonical in rename.items()}
    kinds.update({name: "text" for name in src.keep})
    retext = [
        name
        for name, kind in kinds.items()
        if frame[name].dtype != "str"
        and not (kind in ("float", "int") and pd.api.types.is_numeric_dtype(frame[name].dtype))
        and not (kind == "bool" and pd.api.types.is_integer_dtype(frame[name].dtype))
        and not frame[name].isna().all()
    ]
    if retext:
        again = read(dtype=object)
        if again is None:
            return None
        again.columns = frame.columns
        for name in retext:
            frame[name] = again[name].astype("str").where(again[name].notna())
    return frame


def _find_header_line(head: str, sep: str, src: TableSource) -> int:
    """1-based line of the header: the first line naming most mapped columns (titles above are skipped)."""
    wanted = {c.strip().lower() for c in src.columns}
    if not wanted:
        return 1
    for number, row in enumerate(csv.reader(head.splitlines()[:20], delimiter=sep), start=1):
        cells = {c.strip().lower() for c in row}
        if len(wanted & cells) >= max(1, len(wanted) // 2):
            return number
    return 1


def _read_excel(path: Path, src: TableSource, file: str) -> tuple[pd.DataFrame, RowNumbers, list[int]]:
    try:
        grid = pd.read_excel(path, sheet_name=src.sheet or 0, header=None, dtype=object, engine="openpyxl")
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise FileFormatError("a readable XLSX workbook", file=file, found=str(exc).splitlines()[0]) from None
    grid = grid.dropna(how="all").dropna(axis=1, how="all")
    if grid.empty:
        raise EmptyFileError("a header row and data rows", file=file, found="an empty sheet")
    if src.header_row is not None:
        header_pos = src.header_row - 1
        header_index = header_pos
    else:
        # a merged title row above the header has one non-empty cell: take the first row that names the
        # mapped columns, else the first row with as many filled cells as the widest row
        wanted = {c.strip().lower() for c in src.columns}
        header_index = None
        for idx, values in grid.head(20).iterrows():
            cells = {str(v).strip().lower() for v in values if pd.notna(v)}
            if wanted and len(wanted & cells) >= max(1, len(wanted) // 2):
                header_index = idx
                break
        if header_index is None:
            filled = grid.head(20).notna().sum(axis=1)
            header_index = filled[filled == filled.max()].index[0]
    header = grid.loc[header_index]
    body = grid.loc[grid.index > header_index]
    names = [str(v).strip() if pd.notna(v) else f"column_{i + 1}" for i, v in enumerate(header)]
    frame = pd.DataFrame(body.to_numpy(), columns=names)
    if frame.empty:
        raise EmptyFileError("data rows under the header", file=file, found="a header only")
    row_numbers = body.index.to_numpy() + 1  # read_excel index is the 0-based sheet row
    return _cells_to_text(frame), row_numbers, []


def _cells_to_text(frame: pd.DataFrame) -> pd.DataFrame:
    """XLSX/Parquet cells as the strings a CSV would hold (dates ISO, 7.0 -> '7')."""
    out = {}
    for col in frame.columns:
        s = frame[col]
        if pd.api.types.is_datetime64_any_dtype(s):
            out[col] = s.dt.strftime("%Y-%m-%dT%H:%M:%S").where(s.notna())
            continue

        def text(v: object) -> object:
            if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NaT:
                return np.nan
            if isinstance(v, float) and v.is_integer():
                return str(int(v))
            if isinstance(v, pd.Timestamp):
                return v.isoformat()
            if hasattr(v, "isoformat"):
                return v.isoformat()
            return str(v)

        out[col] = s.map(text) if s.dtype == object else s.astype(str).where(s.notna())
    return pd.DataFrame(out, columns=frame.columns)


def _read_parquet(path: Path, file: str) -> tuple[pd.DataFrame, RowNumbers, list[int]]:
    try:
        frame = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises many types for a broken file
        raise FileFormatError("a readable Parquet file", file=file, found=str(exc).splitlines()[0]) from None
    if frame.empty:
        raise EmptyFileError("data rows", file=file, found="no rows")
    return frame, np.arange(len(frame)) + 2, []


def read_raw(path: Path | str, source: TableSource) -> pd.DataFrame:
    """A table file as the client gave it (client column names; strings for CSV), for previews and mapping."""
    frame, _, _ = _read_any(Path(path), source, str(path))
    return frame


def _read_any(
    path: Path, src: TableSource, file: str, table: Table | None = None
) -> tuple[pd.DataFrame, RowNumbers, list[int]]:
    if not path.exists():
        raise MissingFileError("the data file named in client.yaml", file=file, found="no such file")
    if path.is_dir():
        raise FileFormatError("a file", file=file, found="a folder")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        return _read_text_table(path, src, file, table)
    if suffix in (".xlsx", ".xlsm"):
        return _read_excel(path, src, file)
    if suffix in (".parquet", ".pq"):
        return _read_parquet(path, file)
    raise FileFormatError(
        "a .csv, .txt, .tsv, .xlsx or .parquet file", file=file, found=f"'{suffix or 'no'}' extension"
    )


# --------------------------------------------------------------------------------------------------
# conversion of one column to its canonical type


class _Recorder:
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
            sample = [repr(_as_written(v)) for v in pd.unique(values.iloc[np.flatnonzero(mask)[:50]])[:3]]
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


def _as_written(value: object) -> object:
    """A typed value as text, the way a file holds it (11.0 -> '11'), for error messages."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else str(value)


def _expand(per_category: np.ndarray, codes: np.ndarray, blank: bool = False) -> np.ndarray:
    """A per-category flag spread to the rows (code -1, a blank, gets ``blank``)."""
    flagged = np.flatnonzero(per_category)
    if len(flagged) == 0:  # the usual case: no category flagged, no gather
        return codes < 0 if blank else np.zeros(len(codes), dtype=bool)
    if len(flagged) == 1 and not blank:  # one category (the "yes" of a flag): a comparison beats a gather
        return codes == flagged[0]
    return np.append(per_category, blank)[codes]


def _recode(codes: np.ndarray, labels: pd.Series, index: pd.Index, fill: str | None = None) -> pd.Series:
    """Rows of category codes relabelled: category i becomes ``labels[i]`` (NaN = blank, equal labels merge),
    blanks become ``fill`` when given. Categories come sorted, as ``astype("category")`` gives them."""
    labels = labels.reset_index(drop=True)
    present = labels.dropna()
    if fill is not None:
        present = pd.concat([present, pd.Series([fill], dtype="str")])
    categories = pd.Index(present.unique(), dtype="str").sort_values()
    blank = categories.get_loc(fill) if fill is not None else -1
    # codes in the width pandas keeps them in (int8 below 128 categories): one small array, no conversion
    width = np.int8 if len(categories) < 127 else np.int16 if len(categories) < 32767 else np.int32
    lookup = np.append(categories.get_indexer(labels), blank).astype(width)
    if fill is not None:
        lookup[lookup == -1] = blank
    values = pd.Categorical.from_codes(
        np.take(lookup, codes), dtype=pd.CategoricalDtype(categories), validate=False
    )
    return pd.Series(values, index=index)


def _as_category(raw: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """The column's distinct values and its row codes into them (-1 = blank)."""
    if isinstance(raw.dtype, pd.CategoricalDtype):
        return pd.Series(raw.cat.categories), raw.cat.codes.to_numpy()
    text = _arrow_text(raw)
    if text is not None:
        dictionary, codes = _encode_text(text)
        return pd.Series(pd.array(dictionary, dtype="str")), codes
    if (
        pd.api.types.is_integer_dtype(raw.dtype)
        and len(raw)
        and 0 <= (low := raw.min())
        and (high := raw.max()) < 4096
    ):
        # small whole numbers (0/1 flags): counting beats hashing
        numbers = raw.to_numpy()
        if low == 0 and high <= 1:  # a 0/1 flag with both values, or all 0: the numbers are the codes
            return pd.Series(np.arange(high + 1)), numbers
        present = np.flatnonzero(np.bincount(numbers))
        if present[-1] == len(present) - 1:  # 0..k all present: the numbers are the codes
            return pd.Series(present), numbers
        lookup = np.full(present[-1] + 1, -1, dtype=np.int32)
        lookup[present] = np.arange(len(present))
        return pd.Series(present), lookup[numbers]
    cat = raw.astype("category")
    return pd.Series(cat.cat.categories), cat.cat.codes.to_numpy()


def _encode_text(text: Any) -> tuple[Any, np.ndarray]:
    """Arrow text's distinct values in order of first appearance, and each row's code into them (int32,
    -1 = blank): Arrow's dictionary encoding, or for a column in long runs of equal values (an event log
    sorted by case) the same result from one value per run, ≈1.5× faster."""
    import pyarrow as pa
    import pyarrow.compute as pc

    size = len(text)
    starts = None
    if size >= 100_000:
        head = text.slice(0, 4096)
        repeats = pc.sum(pc.equal(head.slice(1), head.slice(0, len(head) - 1))).as_py() or 0
        if repeats >= 0.75 * (len(head) - 1):  # runs of four or more on average
            same = pc.equal(text.slice(1), text.slice(0, size - 1))
            same = same.fill_null(False) if same.null_count else same  # a blank starts its own run
            starts = np.flatnonzero(np.concatenate(([True], ~same.to_numpy(zero_copy_only=False))))
            text = text.take(pa.array(starts))
    encoded = pc.dictionary_encode(text)
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()  # one dictionary for all chunks
    indices = encoded.indices.fill_null(-1) if encoded.null_count else encoded.indices
    codes = indices.to_numpy(zero_copy_only=False)  # int32, no copy: enough to index with
    if starts is not None:
        codes = np.repeat(codes, np.diff(np.append(starts, size)))
    return encoded.dictionary, codes


def _strip(s: pd.Series) -> pd.Series:
    """Text without surrounding whitespace, blanks as NaN."""
    if len(s) >= 10_000 and _is_trimmed(s):
        return s  # the usual case on a large export: nothing to strip, no copy of a million strings
    s = s.astype("str") if s.dtype != "str" else s
    s = s.str.strip()
    empty = s == ""
    return s.where(~empty) if empty.any() else s


def _string_chunks(text: Any) -> list[tuple[Any, np.ndarray, np.ndarray]] | None:
    """Arrow text as (chunk, its value offsets, the bytes they index), NumPy views without a copy; None
    for any type but string and large_string."""
    import pyarrow as pa

    views = []
    for chunk in text.chunks if isinstance(text, pa.ChunkedArray) else [text]:
        if pa.types.is_large_string(chunk.type):
            offset_type: Any = np.int64
        elif pa.types.is_string(chunk.type):
            offset_type = np.int32
        else:
            return None
        _, offsets_buffer, data_buffer = chunk.buffers()
        if offsets_buffer is None:  # an empty chunk
            continue
        offsets = np.frombuffer(offsets_buffer, dtype=offset_type)[
            chunk.offset : chunk.offset + len(chunk) + 1
        ]
        data = (
            np.frombuffer(data_buffer, dtype=np.uint8) if data_buffer is not None else np.zeros(0, np.uint8)
        )
        views.append((chunk, offsets, data))
    return views


def _is_trimmed(s: pd.Series) -> bool:
    """Whether arrow-backed text surely has nothing to strip and no empty value: every value starts and ends
    with a printable ASCII byte. Reads only two bytes a value (≈4× faster than stripping); False when unsure
    (a non-ASCII first or last byte may be Unicode whitespace)."""
    text = _arrow_text(s)
    chunks = _string_chunks(text) if text is not None else None
    if chunks is None:
        return False
    for chunk, offsets, data in chunks:
        empty = np.diff(offsets) == 0
        if chunk.null_count:
            empty &= chunk.is_valid().to_numpy(zero_copy_only=False)
        if empty.any():
            return False
        if len(data) == 0:  # all blank
            continue
        # a blank (null) value has no bytes: its "first" and "last" bytes are its neighbours', checked anyway
        first = data[np.minimum(offsets[:-1], len(data) - 1)]
        last = data[np.maximum(offsets[1:] - 1, 0)]
        # uint8 wrap-around: bytes outside 0x21..0x7e (whitespace, controls, non-ASCII) land at >= 0x5e
        if ((first - 0x21) >= 0x5E).any() or ((last - 0x21) >= 0x5E).any():
            return False
    return True


def _detect_decimal(sample: pd.Series) -> str:
    """ "," when the sample's values with a comma all read as decimal-comma numbers, else "."."""
    has_comma = sample.str.contains(",", regex=False)
    return (
        "," if len(sample) and has_comma.any() and sample[has_comma].str.match(_COMMA_DECIMAL).all() else "."
    )


def _to_number(text: pd.Series, decimal: str | None) -> pd.Series:
    """Stripped text (see :func:`_strip`) as float64; NaN where it is not a number."""
    decimal = decimal or _detect_decimal(text.dropna().head(2000))
    if decimal == ",":
        text = text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    if text.str.contains("[€$£]", regex=True).any():  # the replace runs value by value in Python
        text = text.str.replace(r"^[€$£]\s*|\s*[€$£]$", "", regex=True)
    import pyarrow as pa

    numbers = _cast_all(text, pa.float64())  # ≈10× faster than pd.to_numeric when every value is a number
    if numbers is None:
        numbers = pd.to_numeric(text, errors="coerce")
    return numbers.astype("float64")


def _arrow_text(values: pd.Series) -> Any:
    """Arrow-backed text as its Arrow array (no copy), else None."""
    if not (isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow"):
        return None
    import pyarrow as pa

    return pa.array(values.array)


def _cast_all(values: pd.Series, arrow_type: Any) -> pd.Series | None:
    """Arrow-backed text cast in one Arrow cast (blanks stay blank); None when the text is not
    arrow-backed or as soon as one value does not cast. All or nothing, so the caller's own parsing
    decides whenever any value is unusual."""
    import pyarrow as pa
    import pyarrow.compute as pc

    text = _arrow_text(values)
    if text is None:
        return None
    try:
        if len(text) > 1000:  # a cast that fails is slow (≈1 µs a value): the head answers most columns
            pc.cast(text.slice(0, 1000), arrow_type)
        cast = pc.cast(text, arrow_type)
    except (pa.ArrowException, NotImplementedError):
        return None
    return pd.Series(cast.to_numpy(zero_copy_only=False), index=values.index)


def _arrow_iso(values: pd.Series) -> pd.Series | None:
    """Text that is all ISO 8601 local date/times (or blank), ≈20× faster than pandas; None as soon as one
    value is anything else (an offset, a space, another format)."""
    import pyarrow as pa

    parsed = _cast_all(values, pa.timestamp("ns"))
    return None if parsed is None else parsed.astype("datetime64[ns]")


def _arrow_strptime(values: pd.Series, fmt: str) -> pd.Series | None:
    """Arrow's vectorised parsing of arrow-backed text (≈5× pandas' strptime on a million timestamps);
    None when it does not apply, so the caller falls back to pandas. Unparseable values become NaT."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if fmt == "ISO8601":
        parsed_all = _arrow_iso(values)
        if parsed_all is not None:
            return parsed_all
        fmt = "%Y-%m-%d %H:%M:%S"
    text = _arrow_text(values)
    if text is None:
        return None
    fixed = _fixed_width_dates(text, fmt)
    if fixed is not None:
        return pd.Series(fixed, index=values.index).astype("datetime64[ns]")
    try:
        parsed = pc.strptime(text, format=fmt, unit="s", error_is_null=True)
    except (TypeError, ValueError, NotImplementedError, pa.ArrowException):
        return None
    return pd.Series(parsed.to_numpy(zero_copy_only=False), index=values.index).astype("datetime64[ns]")


_FIELD_WIDTHS = {"%Y": 4, "%m": 2, "%d": 2, "%H": 2, "%M": 2, "%S": 2}
_ISO_LAYOUT = ("%Y", "-", "%m", "-", "%d", " ", "%H", ":", "%M", ":", "%S")


@functools.lru_cache
def _fixed_layout(fmt: str) -> tuple[int, dict[str, int], list[tuple[int, int]], tuple[str, ...]] | None:
    """A strftime format of zero-padded fields (dd/mm/yyyy hh:mm[:ss] and the like) as byte positions:
    (width, field -> start, literal bytes as (position, byte), the ISO 8601 layout with the same fields);
    None for any other format."""
    width, fields, literals = 0, {}, []
    for token in re.findall(r"%.|[^%]", fmt):
        if token in _FIELD_WIDTHS and token not in fields:
            fields[token] = width
            width += _FIELD_WIDTHS[token]
        elif len(token) == 1 and token.isascii():
            literals.append((width, ord(token)))
            width += 1
        else:
            return None
    iso = {3: _ISO_LAYOUT[:5], 5: _ISO_LAYOUT[:9], 6: _ISO_LAYOUT}.get(len(fields))
    if iso is None or set(fields) != {t for t in iso if t in _FIELD_WIDTHS}:
        return None
    return width, fields, literals, iso


def _byte_field(buffer: np.ndarray, start: int, size: int, width: int) -> np.ndarray:
    """Bytes ``start:start+size`` of every ``width``-byte row of ``buffer``, as one strided view."""
    rows = len(buffer) // width
    dtype = np.uint8 if size == 1 else np.dtype(f"V{size}")
    return np.ndarray(shape=(rows,), dtype=dtype, buffer=buffer, offset=start, strides=(width,))


def _fixed_width_dates(text: Any, fmt: str) -> np.ndarray | None:
    """Arrow text in a fixed-width format (``31/12/2025 08:30``, ``12/31/2025``) parsed ≈3× faster than
    Arrow's strptime: the bytes are moved into ISO 8601 order and read by Arrow's ISO cast. All or nothing:
    None when a value has another width or separator, or does not cast (the caller's strptime decides)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    layout = _fixed_layout(fmt)
    if layout is None:
        return None
    width, fields, literals, iso = layout
    iso_width = sum(_FIELD_WIDTHS.get(token, 1) for token in iso)
    chunks = _string_chunks(text)
    if chunks is None:
        return None
    parsed = []
    for chunk, offsets, data in chunks:
        if chunk.null_count == len(chunk):
            parsed.append(np.full(len(chunk), np.datetime64("NaT"), dtype="datetime64[s]"))
            continue
        lengths = np.diff(offsets)
        if chunk.null_count:
            valid = chunk.is_valid().to_numpy(zero_copy_only=False)
            fits = np.where(valid, lengths == width, lengths == 0)
        else:
            fits = lengths == width
        # blanks hold no bytes, so the values sit back to back: one row of `width` bytes each
        if not fits.all():
            return None
        values = data[offsets[0] : offsets[-1]]
        count = len(values) // width
        # each field and separator is one strided view over the rows: ≈4 ms a million, where slicing a
        # (rows, width) byte matrix copies a few bytes a row at ≈25 ms
        if any((_byte_field(values, position, 1, width) != byte).any() for position, byte in literals):
            return None
        same_width = width == iso_width
        out = values.copy() if same_width else np.empty(count * iso_width, dtype=np.uint8)
        at = 0
        for token in iso:
            size = _FIELD_WIDTHS.get(token, 1)
            if token in fields:
                if not (same_width and fields[token] == at):
                    _byte_field(out, at, size, iso_width)[...] = _byte_field(
                        values, fields[token], size, width
                    )
            elif not (same_width and (at, ord(token)) in literals):
                _byte_field(out, at, 1, iso_width)[...] = ord(token)
            at += size
        iso_offsets = np.arange(0, (count + 1) * iso_width, iso_width, dtype=np.int64)
        iso_text = pa.LargeStringArray.from_buffers(count, pa.py_buffer(iso_offsets), pa.py_buffer(out))
        try:
            seconds = pc.cast(iso_text, pa.timestamp("s")).to_numpy(zero_copy_only=False)
        except (pa.ArrowException, NotImplementedError):
            return None
        if chunk.null_count:
            spread = np.full(len(chunk), np.datetime64("NaT"), dtype="datetime64[s]")
            spread[valid] = seconds
            seconds = spread
        parsed.append(seconds)
    return np.concatenate(parsed) if parsed else np.array([], dtype="datetime64[s]")


def _parse_with(values: pd.Series, fmt: str, with_offset: bool) -> pd.Series:
    """Stripped date text parsed with one format (NaT where it does not fit); UTC when ``with_offset``."""

    def by_pandas(part: pd.Series) -> pd.Series:
        # catch_warnings swaps global state: columns convert on threads (see _convert)
        with _WARNINGS_LOCK, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return pd.to_datetime(part, format=fmt, errors="coerce", utc=with_offset)

    if with_offset or "%z" in fmt:
        return by_pandas(values)
    # arrow first (fast); what it leaves unparsed goes to pandas, so the result is pandas' own
    fast = _arrow_strptime(values, fmt)
    if fast is None:
        return by_pandas(values)
    rest = fast.isna() & values.notna()
    if rest.any():
        fast[rest] = by_pandas(values[rest]).astype("datetime64[ns]")
    return fast


def _choose_date_format(sample: pd.Series, src: TableSource) -> tuple[str, bool]:
    """The format that reads most of a sample of stripped, non-blank date text (the first in order that
    reads all of it wins), and whether the sample carries UTC offsets."""
    with_offset = bool(sample.str.contains(_OFFSET).any())
    if src.date_format:
        formats: tuple[str, ...] = (src.date_format,)
    else:
        formats = (
            _DATE_FORMATS if src.dayfirst else (_DATE_FORMATS[0], *_MONTH_FIRST_FORMATS, *_DATE_FORMATS[1:])
        )
    best_fmt, best_ok = formats[0], -1
    for fmt in formats:
        ok = int(_parse_with(sample, fmt, with_offset).notna().sum())
        if ok > best_ok:
            best_fmt, best_ok = fmt, ok
        if ok == len(sample):
            break
    return best_fmt, with_offset


def _parse_dates(text: pd.Series, src: TableSource, timezone: str) -> pd.Series:
    """Parse stripped date/time text (see :func:`_strip`) with the format that fits a sample best."""
    present = text.dropna()
    if present.empty:
        return pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    fmt, with_offset = _choose_date_format(present.head(1000), src)
    parsed = _parse_with(text, fmt, with_offset)
    if with_offset:
        parsed = parsed.dt.tz_convert(timezone).dt.tz_localize(None)
    return parsed.astype("datetime64[ns]")


@dataclass
class _IdCodes:
    """An id column as numbers: each row's id (-1 = blank) and, when no id is blank, the rows per id."""

    rows: np.ndarray
    counts: np.ndarray | None


class _Pending:
    """A column's problems, held until they are recorded in column order (see :func:`_convert`)."""

    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def add(self, *args: Any) -> None:
        self.calls.append(args)


def _convert(
    frame: pd.DataFrame,
    table: Table,
    src: TableSource,
    rec: _Recorder,
    timezone: str,
    codes_of: frozenset[str] = frozenset(),
) -> tuple[dict[str, pd.Series], dict[str, _IdCodes]]:
    """Every mapped column in its canonical type, and for the id columns named in ``codes_of`` each row's
    id as a number (see :func:`_convert_ids`) and the rows per id. Columns convert on threads (the Arrow
    kernels that do the work release the GIL); their problems are then recorded in column order, so the
    report and the rows dropped do not depend on which thread finished first."""
    columns = [(col, frame[col.name]) for col in table.columns if col.name in frame.columns]
    # the costliest first (parsing dates, then hashing), so the threads finish together
    costly = {"datetime": 0, "category": 1, "id": 2, "text": 2}
    columns.sort(key=lambda job: (job[0].name not in codes_of, costly.get(job[0].kind, 3)))

    def convert(job: tuple[Column, pd.Series]) -> tuple[pd.Series, _Pending, _IdCodes | None]:
        col, raw = job
        pending = _Pending()
        if col.name in codes_of:
            values, row_codes = _convert_ids(raw, col, src, pending)
            # counted here, on the worker thread: with no blank id and no row dropped, this is the answer
            counts = np.bincount(row_codes) if len(row_codes) and row_codes.min() >= 0 else None
            return values, pending, _IdCodes(row_codes, counts)
        return _convert_column(raw, col, src, pending, timezone), pending, None

    workers = min(len(columns), os.cpu_count() or 1)
    if workers > 1 and len(frame) >= 100_000:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            converted = list(pool.map(convert, columns))
    else:
        converted = [convert(job) for job in columns]
    by_name = {col.name: result for (col, _), result in zip(columns, converted, strict=True)}
    out: dict[str, pd.Series] = {}
    codes: dict[str, _IdCodes] = {}
    for col in table.columns:
        if col.name in by_name:
            values, pending, row_codes = by_name[col.name]
            for call in pending.calls:
                rec.add(*call)
            out[col.name] = values
            if row_codes is not None:
                codes[col.name] = row_codes
    return out, codes


def _convert_column(
    raw: pd.Series, col: Column, src: TableSource, rec: _Recorder | _Pending, timezone: str
) -> pd.Series:
    """One column in its canonical type, its problems recorded. ``raw`` is text, or already typed by the
    reader (numbers and 0/1 flags from the fast CSV read; numbers, timestamps and categories from Parquet)."""
    name = col.name
    action: Action = "dropped" if col.required else "blanked"
    if col.kind in ("float", "int"):
        if pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw):
            text = values = raw.astype("float64")  # read typed: nothing to parse
        else:
            text = _strip(raw)
            values = _to_number(text, src.decimal)
            bad = (values.isna() & text.notna()).to_numpy()
            rec.add(bad, name, action, InvalidValueError, col.expected(), text)
            values = values.mask(bad)
        out_of_range = np.zeros(len(values), dtype=bool)
        if col.min is not None:
            out_of_range |= (values < col.min).to_numpy()
        if col.max is not None:
            out_of_range |= (values > col.max).to_numpy()
        if col.kind == "int":
            out_of_range |= (values.notna() & (values % 1 != 0)).to_numpy()
        rec.add(out_of_range, name, action, ValueRangeError, col.expected(), text)
        if out_of_range.any():
            values = values.mask(out_of_range)
        if col.required:
            rec.add(text.isna().to_numpy(), name, "dropped", MissingValueError, col.expected(), None)
        return values
    if col.kind == "datetime":
        if pd.api.types.is_datetime64_any_dtype(raw):
            values = raw  # read typed: nothing to parse
            if values.dt.tz is not None:
                values = values.dt.tz_convert(timezone).dt.tz_localize(None)
            text = values = values.astype("datetime64[ns]")
        elif src.date_format in (None, "ISO8601") and (iso := _arrow_iso(raw)) is not None:
            # the string path would choose ISO 8601 (first in line) and read every value with it
            text = values = iso
        else:
            text = _strip(raw)
            values = _parse_dates(text, src, timezone)
            bad = (values.isna() & text.notna()).to_numpy()
            rec.add(bad, name, action, InvalidValueError, "a date/time (ISO 2026-11-23 or dd/mm/yyyy)", text)
        if col.required:
            rec.add(text.isna().to_numpy(), name, "dropped", MissingValueError, "a date/time", None)
        return values
    if col.kind == "bool":
        # decided once per distinct value, then spread to the rows by category code
        categories, codes = _as_category(raw)
        labels = _strip(categories).str.lower()
        is_true = labels.isin(_TRUE).to_numpy()
        bad = (~is_true & ~labels.isin(_FALSE) & labels.notna()).to_numpy()
        if bad.any():
            shown = _recode(codes, labels, raw.index)
            rec.add(_expand(bad, codes), name, "blanked", InvalidValueError, col.expected(), shown)
        return pd.Series(_expand(is_true, codes), index=raw.index)
    if col.kind == "category":
        _, labels, codes, missing = _clean_distinct(raw, col, src, rec)
        return _recode(codes, labels, raw.index, fill=col.fill if missing.any() else None)
    # id / text
    text, bad = _clean_labels(raw, col, src)
    if bad.any():
        rec.add(bad, name, action, InvalidValueError, col.expected(), text)
        text = text.mask(bad)
    missing = text.isna().to_numpy()
    _record_blanks(missing, col, rec)
    return text.fillna(col.fill) if col.fill is not None and missing.any() else text


def _clean_labels(values: pd.Series, col: Column, src: TableSource) -> tuple[pd.Series, np.ndarray]:
    """Text values stripped, mapped to canonical values (``values:`` in client.yaml) and, for a closed list,
    lower-cased; and which of them the list does not allow."""
    text = _strip(values)
    mapping = src.values.get(col.name)
    if mapping:
        text = text.replace({str(k): str(v) for k, v in mapping.items()})
    bad = np.zeros(len(text), dtype=bool)
    if col.allowed:
        text = text.str.lower()
        bad = (~text.isin(col.allowed) & text.notna()).to_numpy()
    return text, bad


def _clean_distinct(
    raw: pd.Series, col: Column, src: TableSource, rec: _Recorder | _Pending
) -> tuple[pd.Series, pd.Series, np.ndarray, np.ndarray]:
    """A text column cleaned once per distinct value (:func:`_clean_labels`), its invalid and blank rows
    recorded: (distinct values, their cleaned labels with NaN for unusable ones, row codes, blank rows)."""
    categories, codes = _as_category(raw)
    labels, bad = _clean_labels(categories, col, src)
    if bad.any():
        action: Action = "dropped" if col.required else "blanked"
        shown = _recode(codes, labels, raw.index)
        rec.add(_expand(bad, codes), col.name, action, InvalidValueError, col.expected(), shown)
        labels = labels.mask(bad)
    missing = _expand(labels.isna().to_numpy(), codes, blank=True)
    _record_blanks(missing, col, rec)
    return categories, labels, codes, missing


def _convert_ids(
    raw: pd.Series, col: Column, src: TableSource, rec: _Recorder | _Pending
) -> tuple[pd.Series, np.ndarray]:
    """An id column as :func:`_convert_column` converts it, and each row's id as a number (-1 = blank).

    One hash gives both: the distinct ids are cleaned once each, and when cleaning changes none of them
    (the usual case) the column is kept as it is, without the copy that stripping a million ids makes."""
    categories, labels, codes, missing = _clean_distinct(raw, col, src, rec)
    unchanged = labels.equals(categories)
    # one more label for the blank rows (code -1 picks the last), then the blank fill if any
    labels = pd.concat([labels, pd.Series([np.nan], dtype="str")], ignore_index=True)
    if col.fill is not None:
        labels = labels.fillna(col.fill)
    if unchanged and raw.dtype == "str" and (col.fill is None or not missing.any()):
        values = raw
    else:
        values = pd.Series(labels.to_numpy(dtype=object)[codes], index=raw.index, dtype="str")
    if unchanged:  # distinct ids stay distinct: the codes are the numbers
        return values, codes
    merged, _ = pd.factorize(labels)  # equal ids after cleaning share one number; blank = -1
    return values, merged[codes]


def _record_blanks(missing: np.ndarray, col: Column, rec: _Recorder | _Pending) -> None:
    if col.fill is not None:
        rec.add(
            missing, col.name, "filled", MissingValueError, f"a value (blank taken as '{col.fill}')", None
        )
    elif col.required:
        rec.add(missing, col.name, "dropped", MissingValueError, "a value", None)


def _single_event_note(case_ids: _IdCodes, kept: np.ndarray) -> list[str]:
    """The note on cases with a single (kept) event, if any."""
    if case_ids.counts is not None and kept.all():
        sizes = case_ids.counts
    else:
        sizes = np.bincount(case_ids.rows[kept & (case_ids.rows >= 0)])
    cases, single = int((sizes > 0).sum()), int((sizes == 1).sum())
    if not single:
        return []
    return [f"{single} of {cases} cases have a single event: they count as cases with no handoff"]


# --------------------------------------------------------------------------------------------------
# one table


def _resolve_columns(names: list[str], src: TableSource, table: Table, file: str) -> dict[str, str]:
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
                f"a column '{client_col}' (mapped to '{canonical}' in client.yaml)",
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
            f"a column for the required '{missing[0]}' (map it under tables.{table.name}.columns in client.yaml)",
            file=file,
            column=missing[0],
            found=listed,
        )
    for keep in src.keep:
        if keep not in available:
            raise MissingColumnError(
                f"a column '{keep}' (listed under keep)", file=file, column=keep, found="no such column"
            )
    return rename


def load_table(
    table_name: str, src: TableSource, config: ClientConfig, strict: bool = False
) -> tuple[pd.DataFrame, TableReport]:
    """Read, map, convert and validate one canonical table."""
    table = TABLES[table_name]
    path = config.path(src.file)
    file = src.file
    frame, row_numbers, bad_lines = _read_any(path, src, file, table)
    rec = _Recorder(table_name, file, row_numbers)
    report = TableReport(table_name, file, rows_read=len(frame) + len(bad_lines))
    if bad_lines:
        report.issues.append(
            Issue(
                table_name,
                file,
                None,
                tuple(bad_lines[:5]),
                len(bad_lines),
                "dropped",
                FileFormatError,
                "the same number of fields on every line",
                "lines with extra fields",
            )
        )

    rename = _resolve_columns(list(frame.columns), src, table, file)
    report.columns_mapped = {v: k for k, v in rename.items()}
    report.columns_kept = list(src.keep)
    canonical = frame.rename(columns=rename)

    # events: which case each row belongs to, from the case ids' own conversion; counted after the drops
    codes_of = frozenset({"case_id"}) if table_name == "events" else frozenset()
    converted, codes = _convert(canonical, table, src, rec, config.timezone, codes_of)
    result = pd.DataFrame(converted, copy=False)
    for keep in src.keep:
        result[keep] = canonical[keep].values
    result = result[[c for c in table.column_names if c in result.columns] + list(src.keep)]

    # unique ids: keep the first occurrence
    for col in table.columns:
        if col.unique and col.name in result.columns:
            ids = result[col.name].where(~rec.drop)  # a dropped row does not claim its id
            dup = ids.duplicated(keep="first") & ids.notna()
            rec.add(
                dup.to_numpy(),
                col.name,
                "dropped",
                DuplicateIdError,
                "each id once (later duplicates dropped)",
                result[col.name],
            )

    report.issues.extend(rec.issues)
    if strict:
        for issue in report.issues:
            if issue.action in ("dropped", "blanked"):
                raise issue.to_error()
    if rec.drop.any():
        kept = result.loc[~rec.drop].reset_index(drop=True)
        for col in kept.columns:
            if isinstance(kept[col].dtype, pd.CategoricalDtype):
                kept[col] = kept[col].cat.remove_unused_categories()
    else:  # nothing dropped: no copy, no category clean-up (the common case on large clean logs)
        kept = result
    report.rows_kept = len(kept)
    if "case_id" in codes:
        report.notes.extend(_single_event_note(codes["case_id"], ~rec.drop))
    if len(kept) == 0:
        first = next((i for i in report.issues if i.action == "dropped"), None)
        raise (first.error if first else EmptyFileError)(
            "at least one usable row",
            file=file,
            column=first.column if first else None,
            rows=first.rows if first else None,
            found=f"all {report.rows_read} rows unusable" + (f" ({first.expected} not met)" if first else ""),
        )
    return kept, report


# --------------------------------------------------------------------------------------------------
# the client folder


def load_client(path: Path | str, strict: bool = False) -> Client:
    """Load a client folder (``client.yaml`` + data files) into canonical, validated tables."""
    config = load_config(path)
    quality = DataQuality()
    tables: dict[str, pd.DataFrame] = {}
    for name, src in config.tables.items():
        frame, report = load_table(name, src, config, strict=strict)
        tables[name] = frame
        quality.tables[name] = report
        quality.notes.extend(report.notes)
    quality.notes.extend(_cross_table_notes(tables))
    return Client(config=config, tables=tables, quality=quality)


def _cross_table_notes(tables: dict[str, pd.DataFrame]) -> list[str]:
    notes = []
    responses = tables.get("survey_responses")
    invitations = tables.get("survey_invitations")
    customers = tables.get("customers")
    if responses is not None and invitations is None:
        notes.append(
            "survey_responses has no survey_invitations table: response rates and survey pressure are skipped"
        )
    if not tables:
        notes.append("client.yaml names no tables")
    if customers is not None:
        known = set(customers["customer_id"].dropna())
        for name in ("transactions", "survey_responses", "survey_invitations", "events"):
            frame = tables.get(name)
            if frame is not None and "customer_id" in frame.columns:
                ids = frame["customer_id"].dropna()
                unknown = int((~ids.isin(known)).sum())
                if unknown:
                    notes.append(f"{unknown} rows of {name} name a customer_id not in customers (kept)")
    return notes
