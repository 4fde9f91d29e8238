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
import io as _io
import re
import warnings
import zipfile
from collections.abc import Callable
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
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
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


def _read_text_table(path: Path, src: TableSource, file: str) -> tuple[pd.DataFrame, np.ndarray, list[int]]:
    """Read a CSV/TXT file as strings. Returns (frame, frame index -> row number, bad line numbers)."""
    raw = path.read_bytes()
    if not raw[:65536].strip() and not raw.strip():
        raise EmptyFileError("a header row and data rows", file=file, found="an empty file")
    # the head decides; a UTF-8 error further down makes the Arrow parser fail and we retry below
    encoding = src.encoding or _detect_encoding(raw[:1_000_000])
    try:
        head = raw[:65536].decode(encoding, errors="replace")
    except LookupError:
        raise FileFormatError("a known text encoding", file=file, found=repr(src.encoding)) from None
    sep = src.sep or _detect_separator(head, file)
    header_row = _find_header_line(head, sep, src) if src.header_row is None else src.header_row
    skip = header_row - 1
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


def _read_excel(path: Path, src: TableSource, file: str) -> tuple[pd.DataFrame, np.ndarray, list[int]]:
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


def _read_parquet(path: Path, file: str) -> tuple[pd.DataFrame, np.ndarray, list[int]]:
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


def _read_any(path: Path, src: TableSource, file: str) -> tuple[pd.DataFrame, np.ndarray, list[int]]:
    if not path.exists():
        raise MissingFileError("the data file named in client.yaml", file=file, found="no such file")
    if path.is_dir():
        raise FileFormatError("a file", file=file, found="a folder")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        return _read_text_table(path, src, file)
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

    def __init__(self, table: str, file: str, row_numbers: np.ndarray):
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
        if action == "dropped":
            mask = mask & ~self.drop  # count each row once
        count = int(mask.sum())
        if not count:
            return
        positions = np.flatnonzero(mask)[:5]
        found = None
        if values is not None:
            sample = [repr(v) for v in pd.unique(values.iloc[np.flatnonzero(mask)[:50]])[:3]]
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


def _strip(s: pd.Series) -> pd.Series:
    s = s.astype("str") if s.dtype != "str" else s
    s = s.str.strip()
    return s.where(s != "")


def _to_number(s: pd.Series, decimal: str | None) -> pd.Series:
    text = _strip(s)
    if decimal is None:
        sample = text.dropna().head(2000)
        has_comma = sample.str.contains(",", regex=False)
        decimal = (
            ","
            if len(sample) and has_comma.any() and sample[has_comma].str.match(_COMMA_DECIMAL).all()
            else "."
        )
    if decimal == ",":
        text = text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    text = text.str.replace(r"^[€$£]\s*|\s*[€$£]$", "", regex=True)
    return pd.to_numeric(text, errors="coerce").astype("float64")


def _arrow_strptime(values: pd.Series, fmt: str) -> pd.Series | None:
    """Arrow's vectorised strptime for arrow-backed text (≈5× pandas' on a million timestamps); None
    when it does not apply, so the caller falls back to pandas. Unparseable values become NaT."""
    try:
        import pyarrow as pa
        import pyarrow.compute as pc

        parsed = pc.strptime(pa.array(values.array), format=fmt, unit="s", error_is_null=True)
    except (TypeError, ValueError, NotImplementedError, pa.ArrowException):
        return None
    return pd.Series(parsed.to_numpy(zero_copy_only=False), index=values.index).astype("datetime64[ns]")


def _parse_dates(text: pd.Series, src: TableSource, timezone: str) -> pd.Series:
    """Parse stripped date/time text (see :func:`_strip`) with the format that fits a sample best."""
    present = text.dropna()
    if present.empty:
        return pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    sample = present.head(1000)
    with_offset = bool(sample.str.contains(_OFFSET).any())
    if src.date_format:
        formats: tuple[str, ...] = (src.date_format,)
    else:
        formats = (
            _DATE_FORMATS if src.dayfirst else (_DATE_FORMATS[0], *_MONTH_FIRST_FORMATS, *_DATE_FORMATS[1:])
        )

    def parse(values: pd.Series, fmt: str) -> pd.Series:
        def by_pandas(part: pd.Series) -> pd.Series:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return pd.to_datetime(part, format=fmt, errors="coerce", utc=with_offset)

        if with_offset or "%z" in fmt:
            return by_pandas(values)
        # arrow first (fast); what it leaves unparsed goes to pandas, so the result is pandas' own
        fast = _arrow_strptime(values, "%Y-%m-%d %H:%M:%S" if fmt == "ISO8601" else fmt)
        if fast is None:
            return by_pandas(values)
        rest = fast.isna() & values.notna()
        if rest.any():
            fast[rest] = by_pandas(values[rest]).astype("datetime64[ns]")
        return fast

    best_fmt, best_ok = formats[0], -1
    for fmt in formats:
        ok = int(parse(sample, fmt).notna().sum())
        if ok > best_ok:
            best_fmt, best_ok = fmt, ok
        if ok == len(sample):
            break
    parsed = parse(text, best_fmt)
    if with_offset:
        parsed = parsed.dt.tz_convert(timezone).dt.tz_localize(None)
    return parsed.astype("datetime64[ns]")


def _convert(
    frame: pd.DataFrame, table: Table, src: TableSource, rec: _Recorder, timezone: str
) -> dict[str, pd.Series]:
    out: dict[str, pd.Series] = {}
    for col in table.columns:
        if col.name not in frame.columns:
            continue
        raw = frame[col.name]
        out[col.name] = _convert_column(raw, col, src, rec, timezone)
    return out


def _convert_column(
    raw: pd.Series, col: Column, src: TableSource, rec: _Recorder, timezone: str
) -> pd.Series:
    name = col.name
    action: Action = "dropped" if col.required else "blanked"
    if col.kind in ("float", "int"):
        text = _strip(raw)
        values = _to_number(raw, src.decimal)
        bad = (values.isna() & text.notna()).to_numpy()
        rec.add(bad, name, action, InvalidValueError, col.expected(), text)
        out_of_range = np.zeros(len(values), dtype=bool)
        if col.min is not None:
            out_of_range |= (values < col.min).to_numpy()
        if col.max is not None:
            out_of_range |= (values > col.max).to_numpy()
        if col.kind == "int":
            out_of_range |= (values.notna() & (values % 1 != 0)).to_numpy()
        rec.add(out_of_range, name, action, ValueRangeError, col.expected(), text)
        values = values.mask(out_of_range | bad)
        if col.required:
            rec.add(text.isna().to_numpy(), name, "dropped", MissingValueError, col.expected(), None)
        return values
    if col.kind == "datetime":
        text = _strip(raw)
        values = _parse_dates(text, src, timezone)
        bad = (values.isna() & text.notna()).to_numpy()
        rec.add(bad, name, action, InvalidValueError, "a date/time (ISO 2026-11-23 or dd/mm/yyyy)", text)
        if col.required:
            rec.add(text.isna().to_numpy(), name, "dropped", MissingValueError, "a date/time", None)
        return values
    if col.kind == "bool":
        text = _strip(raw).str.lower()
        is_true = text.isin(_TRUE)
        bad = (~is_true & ~text.isin(_FALSE) & text.notna()).to_numpy()
        rec.add(bad, name, "blanked", InvalidValueError, col.expected(), text)
        return is_true.astype(bool)
    # id / text / category
    text = _strip(raw)
    mapping = src.values.get(name)
    if mapping:
        text = text.replace({str(k): str(v) for k, v in mapping.items()})
    if col.allowed:
        text = text.str.lower()
        bad = (~text.isin(col.allowed) & text.notna()).to_numpy()
        rec.add(bad, name, action, InvalidValueError, col.expected(), text)
        text = text.mask(bad)
    if col.fill is not None:
        missing = text.isna().to_numpy()
        rec.add(missing, name, "filled", MissingValueError, f"a value (blank taken as '{col.fill}')", None)
        text = text.fillna(col.fill)
    elif col.required:
        rec.add(text.isna().to_numpy(), name, "dropped", MissingValueError, "a value", None)
    if col.kind == "category":
        return text.astype("category")
    return text


# --------------------------------------------------------------------------------------------------
# one table


def load_table(
    table_name: str, src: TableSource, config: ClientConfig, strict: bool = False
) -> tuple[pd.DataFrame, TableReport]:
    """Read, map, convert and validate one canonical table."""
    table = TABLES[table_name]
    path = config.path(src.file)
    file = src.file
    frame, row_numbers, bad_lines = _read_any(path, src, file)
    rec = _Recorder(table_name, file, np.asarray(row_numbers))
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

    # mapping: explicit client -> canonical, plus columns already named canonically
    available = {c.strip(): c for c in frame.columns}
    lowered = {c.lower(): c for c in available}
    rename: dict[str, str] = {}
    for client_col, canonical in src.columns.items():
        actual = available.get(client_col.strip()) or lowered.get(client_col.strip().lower())
        if actual is None:
            raise MissingColumnError(
                f"a column '{client_col}' (mapped to '{canonical}' in client.yaml)",
                file=file,
                column=client_col,
                found="columns " + ", ".join(repr(c) for c in list(frame.columns)[:12]),
            )
        rename[actual] = canonical
    mapped_targets = set(rename.values())
    for col in table.column_names:
        if col not in mapped_targets and col in available and available[col] not in rename:
            rename[available[col]] = col
    missing = [c for c in table.required if c not in rename.values()]
    if missing:
        raise MissingColumnError(
            f"a column for the required '{missing[0]}' (map it under tables.{table_name}.columns in client.yaml)",
            file=file,
            column=missing[0],
            found="columns " + ", ".join(repr(c) for c in list(frame.columns)[:12]),
        )
    for keep in src.keep:
        if keep not in available:
            raise MissingColumnError(
                f"a column '{keep}' (listed under keep)", file=file, column=keep, found="no such column"
            )
    report.columns_mapped = {v: k for k, v in rename.items()}
    report.columns_kept = list(src.keep)
    canonical = frame.rename(columns=rename)

    converted = _convert(canonical, table, src, rec, config.timezone)
    result = pd.DataFrame(converted)
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
    quality.notes.extend(_cross_table_notes(tables))
    return Client(config=config, tables=tables, quality=quality)


def _cross_table_notes(tables: dict[str, pd.DataFrame]) -> list[str]:
    notes = []
    responses = tables.get("survey_responses")
    invitations = tables.get("survey_invitations")
    events = tables.get("events")
    customers = tables.get("customers")
    if responses is not None and invitations is None:
        notes.append(
            "survey_responses has no survey_invitations table: response rates and survey pressure are skipped"
        )
    if not tables:
        notes.append("client.yaml names no tables")
    if events is not None:
        sizes = events.groupby("case_id", sort=False, observed=True).size()
        single = int((sizes == 1).sum())
        if single:
            notes.append(
                f"{single} of {len(sizes)} cases have a single event: they count as cases with no handoff"
            )
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
