"""The one place that writes files: atomically, keeping the file's permissions, one table format.

* :func:`write_text`, :func:`write_bytes`, :func:`atomic_write`: the new content goes to a temporary file
  in the same folder, which then replaces the target in one ``os.replace``. A crash or an error half way
  leaves the old file as it was (and no temporary file behind). An existing file keeps its permission
  bits; a new one gets the usual ones (``0o666`` less the umask), not the ``0o600`` of a temporary file.
* :func:`write_tables` / :func:`write_table`: every table a consultant hands over (action plan, action
  lists) as CSV or XLSX, in one format:

  - CSV: UTF-8 with a BOM (Excel on Windows reads accents right only with it); the separator and the
    decimal mark follow the language's number format: a decimal comma goes with ``;`` (Excel's list
    separator on an Italian PC), a decimal point with ``,``. Rows end in CRLF (RFC 4180), so a cell
    holding a line break or a carriage return is quoted. Dates ``YYYY-MM-DD HH:MM``.
  - XLSX: one sheet per table, the header bold and frozen, columns sized to their content (at most 60
    characters, longer text wrapped), dates ``YYYY-MM-DD HH:MM``.
  - In both, a text cell beginning with ``=``, ``+``, ``-``, ``@``, tab or carriage return gets a leading
    ``'`` (OWASP, "CSV injection"): a customer's comment like ``=HYPERLINK(...)`` stays text when the
    client opens the file. Numbers stay numbers.
* :func:`save_yaml`: a YAML file saved with its comments and key order kept (ruamel.yaml round trip),
  for files the consultant also edits by hand (``recommendations.yaml``, ``client.yaml``).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import secrets
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
from babel import Locale, UnknownLocaleError
from babel.numbers import get_decimal_symbol
from openpyxl.styles import Alignment, Font
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from ..errors import ConfigError, FileFormatError
from ..i18n import Message

TABLE_SUFFIXES = (".csv", ".xlsx")
#: the first characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT_CSV = "%Y-%m-%d %H:%M"
DATE_FORMAT_XLSX = "YYYY-MM-DD HH:MM"
MAX_COLUMN_WIDTH = 60


# --------------------------------------------------------------------------------------------------
# atomic writes


@contextlib.contextmanager
def _replacing(path: Path) -> Iterator[Path]:
    """A temporary file next to ``path`` to write into; on success it replaces ``path``, on any error it
    is removed and ``path`` is untouched. Folders are created."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode: int | None = path.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = None
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    # created with 0o666: the OS applies the umask, as it would to a new file written in place
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    try:
        yield tmp
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def atomic_write(path: Path | str, write: Callable[[Path], None]) -> Path:
    """``write(tmp)`` writes the content to a temporary path (for libraries that save to a path, such as
    openpyxl); the result then replaces ``path`` atomically. Returns ``path``."""
    path = Path(path)
    with _replacing(path) as tmp:
        write(tmp)
    return path


def write_bytes(path: Path | str, data: bytes) -> Path:
    """Replace ``path``'s content with ``data`` atomically, keeping its permissions. Returns ``path``."""
    path = Path(path)
    with _replacing(path) as tmp:
        with open(tmp, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())  # the content is on disk before the name points at it
    return path


def write_text(path: Path | str, text: str, encoding: str = "utf-8") -> Path:
    """Replace ``path``'s content with ``text`` atomically (line ends written as given). Returns ``path``."""
    return write_bytes(path, text.encode(encoding))


# --------------------------------------------------------------------------------------------------
# tables for the client's teams


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy in which every text cell (and column name) that a spreadsheet would run as a formula starts
    with ``'``; number, date and empty cells are unchanged. Categories become text, time zones are
    dropped."""
    out = frame.copy()
    # a header is a text cell too (a kept client column may be named "=cmd|...")
    out.columns = [_neutralise_cell(name) for name in out.columns]
    for name in out.columns:
        column = out[name]
        if isinstance(column.dtype, pd.CategoricalDtype):
            column = column.astype(object).where(column.notna(), None)
        if pd.api.types.is_datetime64_any_dtype(column):
            if getattr(column.dt, "tz", None) is not None:
                column = column.dt.tz_localize(None)
        elif pd.api.types.is_object_dtype(column) or pd.api.types.is_string_dtype(column):
            column = column.map(_neutralise_cell)
        out[name] = column
    return out


def _neutralise_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_separators(lang: str) -> tuple[str, str]:
    """(field separator, decimal mark) of a CSV for Excel in ``lang``'s locale: ``(";", ",")`` where
    numbers take a decimal comma, ``(",", ".")`` otherwise (and for a locale Babel does not know)."""
    try:
        decimal = get_decimal_symbol(Locale.parse(lang))
    except (UnknownLocaleError, ValueError):
        decimal = "."
    return (";", ",") if decimal == "," else (",", ".")


def sheet_name(name: str) -> str:
    """An Excel sheet name: at most 31 characters, none of ``[]:*?/\\``."""
    return re.sub(r"[\[\]:*?/\\]", "_", name)[:31] or "table"


def csv_bytes(frame: pd.DataFrame, lang: str = "en") -> bytes:
    """The table as the CSV :func:`write_tables` writes (BOM, separators of ``lang``, formulas
    neutralised)."""
    sep, decimal = csv_separators(lang)
    text = neutralise_formulas(frame).to_csv(
        index=False, sep=sep, decimal=decimal, date_format=DATE_FORMAT_CSV, lineterminator="\r\n"
    )
    return text.encode("utf-8-sig")


def xlsx_bytes(tables: Mapping[str, pd.DataFrame]) -> bytes:
    """The tables as one workbook, a sheet each (header bold and frozen, columns sized, formulas
    neutralised)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl", datetime_format=DATE_FORMAT_XLSX) as writer:
        for name, frame in tables.items():
            sheet = sheet_name(name)
            neutralise_formulas(frame).to_excel(writer, sheet_name=sheet, index=False)
            _style_sheet(writer.sheets[sheet], frame)
    return buffer.getvalue()


def _style_sheet(ws: Any, frame: pd.DataFrame) -> None:
    ws.freeze_panes = "A2"
    for cell in ws[1]:
        cell.font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for index, column in enumerate(frame.columns, start=1):
        lengths = frame[column].astype("str").str.len().head(200)
        longest = int(lengths.max()) if lengths.notna().any() else 0
        width = min(max(len(str(column)), longest) + 2, MAX_COLUMN_WIDTH)
        ws.column_dimensions[ws.cell(row=1, column=index).column_letter].width = width
        if longest + 2 > MAX_COLUMN_WIDTH:  # long text: wrapped in its column, not cut off
            for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.alignment = wrap


def write_tables(tables: Mapping[str, pd.DataFrame], path: Path | str, lang: str = "en") -> list[Path]:
    """Write each table (name -> frame) to ``path``: ``.xlsx``, one sheet per table; ``.csv``, one file per
    table, ``<stem>_<name>.csv``, or exactly ``path`` for a single table. Returns the paths written (each
    atomically). Another suffix raises :class:`~cxlab.errors.FileFormatError`."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise FileFormatError(
            Message("a file name ending in .csv or .xlsx"),
            file=str(path),
            found=repr(path.suffix or path.name),
        )
    if suffix == ".xlsx":
        return [write_bytes(path, xlsx_bytes(tables))]
    written = []
    for name, frame in tables.items():
        target = path if len(tables) == 1 else path.with_name(f"{path.stem}_{sheet_name(name)}.csv")
        written.append(write_bytes(target, csv_bytes(frame, lang)))
    return written


def write_table(frame: pd.DataFrame, path: Path | str, lang: str = "en", sheet: str = "table") -> Path:
    """One table to ``path`` (.csv or .xlsx, sheet ``sheet``), as :func:`write_tables` writes it."""
    return write_tables({sheet: frame}, path, lang)[0]


# --------------------------------------------------------------------------------------------------
# YAML the consultant also edits by hand


def _round_trip_yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.allow_unicode = True
    yaml.preserve_quotes = True
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _merge(old: Any, new: Any) -> Any:
    """``new`` laid over the loaded ``old``: mappings and lists are updated in place, so the comments and
    the order of the keys that stay are kept; keys ``new`` lacks go, new keys go at the end."""
    if isinstance(old, CommentedMap) and isinstance(new, Mapping):
        for key in [k for k in old if k not in new]:
            del old[key]
        for key, value in new.items():
            old[key] = _merge(old[key], value) if key in old else value
        return old
    if isinstance(old, CommentedSeq) and isinstance(new, list):
        kept = [_merge(a, b) for a, b in zip(old, new, strict=False)]
        del old[:]
        old.extend(kept + new[len(kept) :])
        return old
    if type(old) is not type(new) and old == new:
        return old  # the same value as written (a quoted string, a hex int): keep how it was written
    return new


def save_yaml(path: Path | str, data: Mapping[str, Any], header: str = "") -> Path:
    """Save ``data`` as YAML at ``path`` atomically. An existing file is updated rather than rewritten: its
    comments and the order of its keys stay. A new file starts with ``header`` (comment lines)."""
    path = Path(path)
    yaml = _round_trip_yaml()
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    try:
        document = yaml.load(existing) if existing.strip() else None
    except YAMLError as exc:
        raise ConfigError(
            Message("valid YAML (fix the file before saving over it)"), file=str(path), found=str(exc)
        ) from None
    prefix = ""
    if isinstance(document, CommentedMap):
        document = _merge(document, data)
    elif document is None and existing.strip():  # comments only (a scaffolded file): they stay on top
        document, prefix = dict(data), existing if existing.endswith("\n") else existing + "\n"
    else:
        document, prefix = dict(data), header
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    return write_text(path, prefix + buffer.getvalue())
