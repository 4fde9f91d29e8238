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

import codecs
import csv
import dataclasses
import io
import re
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from python_calamine import CalamineError

from ..config import ClientConfig, TableSource, load_config
from ..errors import (
    CxlabError,
    DuplicateIdError,
    EmptyFileError,
    FileFormatError,
    MissingFileError,
    TableDependencyError,
)
from ..i18n import Message
from ..safety import check_regular_file
from ..schema import TABLES, TIMEZONE_ATTR, Table
from .checks import (
    apply_return_flag,
    check_date_range,
    default_analysis_date,
    drop_after,
    duplicate_lines,
    returns_note,
)
from .convert import WARNINGS_LOCK, LineBreakFound, convert_columns
from .validate import (
    DataQuality,
    Issue,
    Recorder,
    RowNumbers,
    TableReport,
    cross_table_notes,
    resolve_columns,
    single_event_note,
)

_SEPARATORS = (";", ",", "\t", "|")
#: set in the attrs of a fast CSV read: its text is yet to be searched for line breaks (see load_table)
UNCHECKED_BREAKS = "unchecked_line_breaks"
#: the fast CSV read (:func:`_read_csv_fast`) may be switched off, e.g. by a test comparing both paths
_FAST_CSV = True


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
                Message("a '{table}' table in client.yaml for {purpose}", table=name, purpose=purpose),
                file=self.config.source,
                column=f"tables.{name}",
                found=Message("no such table"),
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
        """The configured analysis date, else the day after the last dated record up to today
        (:func:`~cxlab.intake.checks.default_analysis_date`)."""
        if self.config.analysis_date is not None:
            return pd.Timestamp(self.config.analysis_date)
        return default_analysis_date(self.tables)


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
        raise EmptyFileError(Message("a header row and data rows"), file=file, found=Message("an empty file"))
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
    path: Path, src: TableSource, file: str, table: Table | None = None, fast: bool = True
) -> tuple[pd.DataFrame, RowNumbers, list[int]]:
    """Read a CSV/TXT file. Returns (frame, frame index -> row number, bad line numbers).

    With the canonical ``table`` (and ``fast``), a clean UTF-8 file is read by :func:`_read_csv_fast`;
    otherwise, and for previews, every column is read as strings."""
    with path.open("rb") as stream:
        start = stream.read(1_000_000)
    if not start.strip() and not path.read_bytes().strip():
        raise EmptyFileError(Message("a header row and data rows"), file=file, found=Message("an empty file"))
    # the head decides; a UTF-8 error further down makes the parser fail and we retry below
    encoding = src.encoding or _detect_encoding(start)
    try:
        head = start[:65536].decode(encoding, errors="replace")
    except LookupError:
        raise FileFormatError(Message("a known text encoding"), file=file, found=repr(src.encoding)) from None
    sep = src.sep or _detect_separator(head, file)
    header_row = _find_header_line(head, sep, src) if src.header_row is None else src.header_row
    skip = header_row - 1
    if table is not None and fast and _FAST_CSV and encoding in ("utf-8", "utf-8-sig"):
        typed = _read_csv_fast(path, encoding, sep, header_row, src, table, file)
        if typed is not None:
            # data row i is on line header_row + 1 + i (a lazy range: only problem rows are looked up)
            return typed, pd.RangeIndex(header_row + 1, header_row + 1 + len(typed)), []
    raw = path.read_bytes()
    line_notes: dict[str, list[int]] = {}
    # a declared UTF-8 file is checked line by line too: one Windows line in it is read, and named
    declared_utf8 = src.encoding is not None and codecs.lookup(src.encoding).name in ("utf-8", "utf-8-sig")
    if (src.encoding is None and encoding != "utf-8-sig") or declared_utf8:
        mixed = _mixed_utf8(raw, whole_windows=not declared_utf8)
        if mixed is not None:  # UTF-8 with a few Windows lines: each line in its own encoding
            raw, line_notes["encoding"] = mixed
            if not declared_utf8:
                encoding = "utf-8"
    options = dict(
        sep=sep, encoding=encoding, dtype=str, keep_default_na=False, na_values=[""], skiprows=skip
    )
    caught: list = []
    try:
        # the multithreaded Arrow parser reads strings several times faster than the C parser
        frame = pd.read_csv(io.BytesIO(raw), engine="pyarrow", **options)
        frame, raw, line_notes["quote"] = _repair_quotes(frame, raw, options, sep)
    except pd.errors.EmptyDataError:
        raise EmptyFileError(
            Message("a header row and data rows"), file=file, found=Message("an empty file")
        ) from None
    except (pd.errors.ParserError, ValueError, UnicodeDecodeError) as exc:
        if src.encoding is None and encoding == "utf-8" and "UTF8" in str(exc):
            options["encoding"] = encoding = "cp1252"
        # ragged lines, odd quoting: the C parser skips the bad lines and tells us which; a stray quote is
        # repaired here as on the Arrow path (one running to the end of the file, or swallowing rows)
        reader = _CReader(options, file)
        frame, raw, line_notes["quote"] = reader.read_repairing(raw, sep, skip)
        frame, raw, swallowed = _repair_quotes(frame, raw, options, sep, read=reader.read, last_resort=True)
        line_notes["quote"] = sorted(line_notes["quote"] + swallowed)
        caught = reader.caught
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
    frame.attrs["line_notes"] = {k: v for k, v in line_notes.items() if v}
    return frame, row_numbers, bad


def _mixed_utf8(raw: bytes, whole_windows: bool = True) -> tuple[bytes, list[int]] | None:
    """A file that is UTF-8 but for a few lines in a Windows encoding (one cp1252 'à' typed into a UTF-8
    export): the file with those lines re-encoded as UTF-8, and their 1-based line numbers. None when the
    whole file is UTF-8, or (``whole_windows``: the encoding was detected, not declared) when no line holds
    UTF-8 beyond ASCII (a Windows file: read as one)."""
    try:
        raw.decode("utf-8")
        return None
    except UnicodeDecodeError:
        pass
    lines = raw.split(b"\n")
    fixed, bad, utf8_seen = [], [], False
    for number, line in enumerate(lines, start=1):
        try:
            line.decode("utf-8")
            utf8_seen = utf8_seen or not line.isascii()
            fixed.append(line)
        except UnicodeDecodeError:
            bad.append(number)
            fixed.append(line.decode("cp1252", errors="replace").encode("utf-8"))
    if not utf8_seen and whole_windows:
        return None
    return b"\n".join(fixed), bad


class _CReader:
    """The C parser's read of a file's bytes, skipping lines with extra fields (``caught``: the warnings
    that name them, for the last read), for files the Arrow parser refuses."""

    def __init__(self, options: dict[str, Any], file: str) -> None:
        self.options, self.file = options, file
        self.caught: list[Any] = []

    def read(self, raw: bytes) -> pd.DataFrame:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                frame = pd.read_csv(
                    io.BytesIO(raw),
                    engine="c",
                    on_bad_lines="warn",
                    skip_blank_lines=True,
                    quotechar='"',
                    **self.options,
                )
            except pd.errors.EmptyDataError:
                raise EmptyFileError(
                    Message("a header row and data rows"), file=self.file, found=Message("an empty file")
                ) from None
        self.caught = list(caught)
        return frame

    def read_repairing(self, raw: bytes, sep: str, skip: int) -> tuple[pd.DataFrame, bytes, list[int]]:
        """:meth:`read`, dropping each stray quote that runs to the end of the file (the parser stops
        with "EOF inside string"): the frame, the bytes read and the 1-based lines repaired."""
        repaired: list[int] = []
        encoding = str(self.options.get("encoding") or "utf-8")
        for _attempt in range(50):
            try:
                return self.read(raw), raw, repaired
            except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
                found = re.search(r"EOF inside string starting at row (\d+)", str(exc))
                fixed = (
                    _drop_open_quote(raw, encoding, sep, int(found.group(1)) + 1 + skip) if found else None
                )
                if fixed is None:
                    raise FileFormatError(
                        Message("a readable delimited text file"),
                        file=self.file,
                        found=str(exc).splitlines()[0],
                    ) from None
                raw, line = fixed
                repaired.append(line)
        raise FileFormatError(
            Message("quotes in pairs"), file=self.file, found=Message("more than 50 unmatched quotes")
        )


def _drop_open_quote(raw: bytes, encoding: str, sep: str, near: int) -> tuple[bytes, int] | None:
    """The bytes without the quote that opens a field and is never closed on its line (an odd number
    of quotes on it), on line ``near`` (1-based, as the parser counts) or the closest line after or
    before it; and that line. None when no such quote is found."""
    text = raw.decode(encoding)
    lines = text.split("\n")
    order = [near - 1 + step for step in range(0, 4)] + [near - 1 - step for step in range(1, 4)]
    for index in order:
        if not 0 <= index < len(lines) or lines[index].count('"') % 2 == 0:
            continue
        line = lines[index]
        at = max(
            line.rfind(sep + '"') + len(sep) if sep + '"' in line else -1, 0 if line.startswith('"') else -1
        )
        if at < 0:
            continue
        lines[index] = line[:at] + line[at + 1 :]
        return "\n".join(lines).encode(encoding), index + 1
    return None


def _repair_quotes(
    frame: pd.DataFrame,
    raw: bytes,
    options: dict[str, Any],
    sep: str,
    read: Callable[[bytes], pd.DataFrame] | None = None,
    last_resort: bool = False,
) -> tuple[pd.DataFrame, bytes, list[int]]:
    """An unmatched quote makes the parser read the following lines as one value: find such values (a
    line break followed by whole rows), drop the stray quote, read again (with ``read``, else the Arrow
    parser). Returns the frame, the bytes read and the 1-based lines whose quote was dropped (their rows
    are then all kept, and named). A read that fails after a repair raises (the Arrow path then falls back
    to the C parser), unless ``last_resort``: then the repair is undone and the read before it kept."""
    if read is None:
        read = lambda data: pd.read_csv(io.BytesIO(data), engine="pyarrow", **options)  # noqa: E731
    repaired: list[int] = []
    width = len(frame.columns)
    encoding = str(options.get("encoding") or "utf-8")
    for _attempt in range(50):
        broken = _swallowing_value(frame, sep, width)
        if broken is None:
            break
        text = raw.decode(encoding)
        first = broken.split("\n", 1)[0]
        at = -1
        for lead in (sep, "\n"):
            at = text.find(lead + '"' + first + "\n")
            if at >= 0:
                at += len(lead)
                break
        if at < 0:
            break
        candidate = (text[:at] + text[at + 1 :]).encode(encoding)
        try:
            frame = read(candidate)
        except pd.errors.ParserError:  # without that quote another one runs to the end of the file
            if not last_resort:
                raise
            break
        repaired.append(text.count("\n", 0, at) + 1)
        raw = candidate
    return frame, raw, repaired


def _swallowing_value(frame: pd.DataFrame, sep: str, width: int) -> str | None:
    """The first value that holds a line break followed by a line with a whole row's fields: rows
    swallowed by an unmatched quote (a comment written over two lines is not one)."""
    for col in frame.columns:
        values = frame[col]
        if values.dtype != "str" and values.dtype != object:
            continue
        has_break = values.str.contains("\n", regex=False).fillna(False).to_numpy(dtype=bool)
        for value in values[has_break]:
            # splitlines: a lone "\r" inside the value is a line end too (csv.reader refuses it inside a row)
            rows = [ln for ln in str(value).splitlines()[1:] if ln.strip()]
            if any(len(fields) >= width for fields in csv.reader(rows, delimiter=sep)):
                return str(value)
    return None


def _read_csv_fast(
    path: Path, encoding: str, sep: str, header_row: int, src: TableSource, table: Table, file: str
) -> pd.DataFrame | None:
    """A clean UTF-8 CSV read by pandas' C parser with its own type inference: on a large file it splits
    the file over threads, and it is several times faster than reading every column as strings.

    Inference may only decide what the string path would: numbers stay numbers in number columns, 0/1
    in yes/no columns; every other mapped or kept column must come back as text (its strings exactly as
    in the file), and when one does not, those columns are read again as strings. Any parse error
    (ragged line, bad quoting, invalid UTF-8) returns None and the string path reports it row by row.
    A value with a line break (perhaps rows swallowed by a stray quote, which the string path repairs)
    is looked for while the columns convert (``attrs[UNCHECKED_BREAKS]``, see :func:`load_table`).
    Keep the call eligible for the parallel read: a path, no ``usecols``, default ``low_memory``."""

    def read(**dtype: Any) -> pd.DataFrame | None:
        try:
            with WARNINGS_LOCK, warnings.catch_warnings():
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
        rename = resolve_columns(list(frame.columns), src, table, file)
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
    frame.attrs[UNCHECKED_BREAKS] = True
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
        # calamine (Rust) reads the cells ≈10× faster than openpyxl, with the same values: numbers, dates as
        # datetimes, cached formula results
        grid = pd.read_excel(path, sheet_name=src.sheet or 0, header=None, dtype=object, engine="calamine")
    except (CalamineError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise FileFormatError(
            Message("a readable XLSX workbook"), file=file, found=str(exc).splitlines()[0]
        ) from None
    grid = grid.dropna(how="all").dropna(axis=1, how="all")
    if grid.empty:
        raise EmptyFileError(
            Message("a header row and data rows"), file=file, found=Message("an empty sheet")
        )
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
        raise EmptyFileError(Message("data rows under the header"), file=file, found=Message("a header only"))
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
        raise FileFormatError(
            Message("a readable Parquet file"), file=file, found=str(exc).splitlines()[0]
        ) from None
    if frame.empty:
        raise EmptyFileError(Message("data rows"), file=file, found=Message("no rows"))
    return frame, np.arange(len(frame)) + 2, []


def read_raw(path: Path | str, source: TableSource) -> pd.DataFrame:
    """A table file as the client gave it (client column names; strings for CSV), for previews and mapping."""
    frame, _, _ = _read_any(Path(path), source, str(path))
    return frame


def _read_any(
    path: Path, src: TableSource, file: str, table: Table | None = None, fast: bool = True
) -> tuple[pd.DataFrame, RowNumbers, list[int]]:
    if not path.exists():
        raise MissingFileError(
            Message("the data file named in client.yaml"), file=file, found=Message("no such file")
        )
    if path.is_dir():
        raise FileFormatError(Message("a file"), file=file, found=Message("a folder"))
    suffix = path.suffix.lower()
    _check_input_file(path, src, file, suffix)
    if suffix in (".csv", ".txt", ".tsv"):
        return _read_text_table(path, src, file, table, fast)
    if suffix in (".xlsx", ".xlsm"):
        return _read_excel(path, src, file)
    if suffix in (".parquet", ".pq"):
        return _read_parquet(path, file)
    raise FileFormatError(
        Message("a .csv, .txt, .tsv, .xlsx or .parquet file"),
        file=file,
        found=Message("'{suffix}' extension", suffix=suffix) if suffix else Message("'no' extension"),
    )


def _at_most_rows(limit: int) -> Message:
    """What a table's size limit expects (the sheet and the file checks say it alike)."""
    return Message(
        "at most {n} data rows (raise the table's max_rows in client.yaml to read more)", n=f"{limit:,}"
    )


def _check_input_file(path: Path, src: TableSource, file: str, suffix: str) -> None:
    """Refuse, before reading, what would hang, exhaust memory or be misread: a FIFO or device, a file
    above the table's ``max_mb``, a text file that is binary (NUL bytes), UTF-16 without ``encoding`` set,
    or one line longer than 1 MB; an XLSX sheet with more rows than ``max_rows``."""
    info = check_regular_file(path, file, int(src.max_mb * 1024 * 1024))
    if suffix in (".csv", ".txt", ".tsv"):
        with path.open("rb") as stream:
            head = stream.read(1_000_000)
        utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))
        declared = (src.encoding or "").lower().replace("-", "").replace("_", "").startswith("utf16")
        if utf16 and not declared:
            raise FileFormatError(
                Message(
                    "UTF-8 or Latin-1 text (or encoding: {encoding} in the table's settings)",
                    encoding="utf-16",
                ),
                file=file,
                found=Message("UTF-16 text"),
            )
        if not (utf16 or declared) and b"\x00" in head[:65536]:
            order = _utf16_without_bom(head[:65536])
            if order:
                raise FileFormatError(
                    Message(
                        "UTF-8 or Latin-1 text (or encoding: {encoding} in the table's settings)",
                        encoding=order,
                    ),
                    file=file,
                    found=Message("UTF-16 text without a byte-order mark ({encoding})", encoding=order),
                )
            raise FileFormatError(
                Message("a text file"), file=file, found=Message("binary content (NUL bytes)")
            )
        if info.st_size > len(head) and b"\n" not in head and b"\r" not in head:
            raise FileFormatError(
                Message("a header row and data rows, one per line"),
                file=file,
                found=Message("a single line longer than {n} bytes", n=f"{len(head):,}"),
            )
    elif suffix in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(path, src.sheet, src.max_rows + 1)
        if rows is not None and rows - 1 > src.max_rows:
            raise FileFormatError(
                _at_most_rows(src.max_rows),
                file=file,
                found=Message("a sheet of more than {n} rows", n=f"{src.max_rows + 1:,}"),
            )


def _utf16_without_bom(head: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when ``head`` looks like UTF-16 text with no byte-order mark (mostly
    Latin letters: a NUL in nearly every other byte, and almost none in the others), else None."""
    sample = head[: len(head) // 2 * 2]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd >= 0.6 * half and even <= 0.05 * half:
        return "utf-16-le"
    if even >= 0.6 * half and odd <= 0.05 * half:
        return "utf-16-be"
    return None


def _xlsx_rows(path: Path, sheet: str | int | None, limit: int) -> int | None:
    """The sheet's row count, from the dimension it declares, else by counting its ``<row`` tags in the
    compressed stream, stopping past ``limit`` (a 3,000,000-row sheet is refused in seconds, without
    loading a cell); None when the workbook cannot be opened (the reader then names the problem)."""
    try:
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True)
        try:
            if sheet is None:
                ws = book.worksheets[0]
            elif isinstance(sheet, int):
                ws = book.worksheets[sheet]
            else:
                ws = book[sheet]
            declared = ws.max_row
            if declared is not None and declared > 1:
                return int(declared)
            count, tail = 0, b""
            with book._archive.open(ws._worksheet_path) as stream:
                while count <= limit and (chunk := stream.read(1 << 20)):
                    data = tail + chunk
                    count += data.count(b"<row ") + data.count(b"<row>")
                    tail = data[-5:]
                    count -= tail.count(b"<row ") + tail.count(b"<row>")
                count += tail.count(b"<row ") + tail.count(b"<row>")
            return count
        finally:
            book.close()
    except Exception:  # noqa: BLE001 - a broken workbook is reported by the reader, with its message
        return None


def _check_row_count(frame: pd.DataFrame, src: TableSource, file: str) -> None:
    if len(frame) > src.max_rows:
        raise FileFormatError(
            _at_most_rows(src.max_rows),
            file=file,
            found=Message("{n} rows", n=f"{len(frame):,}"),
        )


# --------------------------------------------------------------------------------------------------
# one table


def load_table(
    table_name: str, src: TableSource, config: ClientConfig, strict: bool = False, fast: bool = True
) -> tuple[pd.DataFrame, TableReport]:
    """Read, map, convert and validate one canonical table. ``fast=False`` reads a CSV by its string path
    (as when its fast read turns out to hold a line break)."""
    table = TABLES[table_name]
    path = config.path(src.file)
    file = src.file
    frame, row_numbers, bad_lines = _read_any(path, src, file, table, fast)
    unchecked = bool(frame.attrs.get(UNCHECKED_BREAKS))
    if unchecked and len(frame) > src.max_rows:  # the string path counts the rows a stray quote may hide
        return load_table(table_name, src, config, strict, fast=False)
    _check_row_count(frame, src, file)
    rec = Recorder(table_name, file, row_numbers)
    report = TableReport(table_name, file, rows_read=len(frame) + len(bad_lines))
    report.issues.extend(_line_issues(table_name, file, frame.attrs.get("line_notes", {})))
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

    rename = resolve_columns(list(frame.columns), src, table, file)
    report.columns_mapped = {v: k for k, v in rename.items()}
    report.columns_kept = list(src.keep)
    canonical = frame.rename(columns=rename)

    # events: which case each row belongs to, from the case ids' own conversion; counted after the drops
    codes_of = frozenset({"case_id"}) if table_name == "events" else frozenset()
    try:
        converted, codes = convert_columns(
            canonical, table, src, rec, config.timezone, codes_of, check_breaks=unchecked
        )
    except LineBreakFound:  # perhaps rows swallowed by a stray quote: the string path finds and repairs them
        return load_table(table_name, src, config, strict, fast=False)
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
                Message("each id once (later duplicates dropped)"),
                result[col.name],
            )

    _sales_checks(table_name, frame, result, table, src, config, rec)
    report.issues.extend(_department_blanks(rec.issues, table_name, config))
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
    if table_name == "events":
        kept.attrs[TIMEZONE_ATTR] = config.timezone  # waits are computed on absolute time (DST)
    report.row_numbers = row_numbers[~rec.drop] if rec.drop.any() else row_numbers
    if table_name == "transactions":
        report.notes.extend(returns_note(kept))
    if "case_id" in codes:
        report.notes.extend(single_event_note(codes["case_id"], ~rec.drop))
    if len(kept) == 0:
        first = next((i for i in report.issues if i.action == "dropped"), None)
        raise (first.error if first else EmptyFileError)(
            Message("at least one usable row"),
            file=file,
            column=first.column if first else None,
            rows=first.rows if first else None,
            found=Message(
                "all {n} rows unusable ({expected} not met)", n=report.rows_read, expected=first.expected
            )
            if first
            else Message("all {n} rows unusable", n=report.rows_read),
        )
    return kept, report


def _department_blanks(issues: list[Issue], table_name: str, config: ClientConfig) -> list[Issue]:
    """The events' blank departments say what the handoff analysis does with them
    (``activities.unknown_department``: left out, or kept as the department "unknown")."""
    if table_name != "events" or config.activities.unknown_department != "exclude":
        return issues
    return [
        dataclasses.replace(
            issue, expected="a value (blank or missing: the event is left out of the handoffs)"
        )
        if issue.column == "department" and issue.action == "filled"
        else issue
        for issue in issues
    ]


# --------------------------------------------------------------------------------------------------
# the client folder


def load_client(
    path: Path | str, strict: bool = False, progress: Callable[[str, str], None] | None = None
) -> Client:
    """Load a client folder (``client.yaml`` + data files) into canonical, validated tables.

    ``progress(table, file)`` is told each table before it is read (the command line shows it: a large
    file takes a while)."""
    config = load_config(path)
    quality = DataQuality()
    tables: dict[str, pd.DataFrame] = {}
    for name, src in config.tables.items():
        if progress is not None:
            progress(name, src.file)
        frame, report = load_table(name, src, config, strict=strict)
        tables[name] = frame
        quality.tables[name] = report
        quality.notes.extend(report.notes)
    _after_analysis_date(tables, quality, config)
    quality.notes.extend(cross_table_notes(tables))
    return Client(config=config, tables=tables, quality=quality)


def _line_issues(table_name: str, file: str, line_notes: dict[str, list[int]]) -> list[Issue]:
    """Notes on lines read differently from the rest of the file (see :func:`_read_text_table`)."""
    what = {
        "encoding": (
            FileFormatError,
            "one text encoding per file (UTF-8)",
            "lines not valid UTF-8: read as Windows-1252 (cp1252), the rest of the file as UTF-8",
        ),
        "quote": (
            FileFormatError,
            "quotes in pairs",
            'an unmatched quote (") that swallowed the following rows: the quote dropped, every row kept',
        ),
    }
    issues = []
    for kind, lines in line_notes.items():
        error, expected, found = what[kind]
        issues.append(
            Issue(table_name, file, None, tuple(lines[:5]), len(lines), "note", error, expected, found)
        )
    return issues


def _sales_checks(
    table_name: str,
    raw: pd.DataFrame,
    result: pd.DataFrame,
    table: Table,
    src: TableSource,
    config: ClientConfig,
    rec: Recorder,
) -> None:
    """Issue-19 checks on a converted table (see :mod:`cxlab.intake.checks`): declared returns, dates
    before the floor, exact duplicate lines of a sales table."""
    apply_return_flag(result)
    check_date_range(result, table, rec, config.date_floor)
    if table_name == "transactions":
        duplicate_lines(raw, rec, src.drop_duplicate_lines)


def _after_analysis_date(tables: dict[str, pd.DataFrame], quality: DataQuality, config: ClientConfig) -> None:
    """Rows dated after the analysis date (configured, else :func:`default_analysis_date`) are dropped,
    counted and named."""
    configured = config.analysis_date is not None
    end = pd.Timestamp(config.analysis_date) if configured else default_analysis_date(tables)
    drop_after(tables, quality, end, configured)
