"""The error hierarchy of cxlab and its one message form.

Every problem with a client's input is reported as::

    <file>: column '<column>', rows 3, 8, 12 (+4 more): expected <what was expected>; found <what was found>

A settings file names a key instead of a column (``client.yaml: key 'thresholds.confidence': expected a
number in (0, 1); found 5``) and its lines instead of rows. Parts that do not apply are left out. Row numbers are 1-based data rows as a spreadsheet user sees them
(the header is row 1, so the first data row is row 2).
"""

from __future__ import annotations

from collections.abc import Sequence

MAX_ROWS_SHOWN = 5


def format_rows(rows: Sequence[int], limit: int = MAX_ROWS_SHOWN, unit: str = "row") -> str:
    """'rows 2, 5, 9 (+3 more)' — the first few row (or, with ``unit="line"``, line) numbers of a problem."""
    rows = list(rows)
    if not rows:
        return ""
    shown = ", ".join(str(r) for r in rows[:limit])
    more = f" (+{len(rows) - limit} more)" if len(rows) > limit else ""
    word = unit if len(rows) == 1 else unit + "s"
    return f"{word} {shown}{more}"


def printable(name: str) -> str:
    """A file, column or key name as a message shows it: characters that do not print (a line break or
    carriage return inside a YAML key or a header) escaped as Python writes them (``\\r``), so an error
    stays one line; letters such as "è" as they are."""
    if name.isprintable():
        return name
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in name)


def format_problem(
    file: str | None = None,
    column: str | None = None,
    rows: Sequence[int] | None = None,
    expected: str | None = None,
    found: str | None = None,
    label: str = "column",
    unit: str = "row",
) -> str:
    """The single message form used by every CxlabError; ``label`` names what ``column`` is, ``unit`` what
    the numbers in ``rows`` count."""
    where = []
    if column:
        where.append(f"{label} '{printable(column)}'")
    if rows:
        where.append(format_rows(rows, unit=unit))
    head = printable(file) if file else "input"
    message = head + (": " + ", ".join(where) if where else "")
    details = []
    if expected:
        details.append(f"expected {expected}")
    if found:
        details.append(f"found {found}")
    if details:
        message += ": " + "; ".join(details)
    return message


class CxlabError(Exception):
    """Base class of every error cxlab raises on purpose."""

    #: what the ``column`` part names in the message, and what its ``rows`` count
    where_label = "column"
    rows_unit = "row"

    def __init__(
        self,
        expected: str | None = None,
        *,
        file: str | None = None,
        column: str | None = None,
        rows: Sequence[int] | None = None,
        found: str | None = None,
    ) -> None:
        self.file = file
        self.column = column
        self.rows = list(rows or [])
        self.expected = expected
        self.found = found
        super().__init__(
            format_problem(file, column, self.rows, expected, found, self.where_label, self.rows_unit)
        )


class ConfigError(CxlabError):
    """client.yaml (or another settings file) is missing, malformed or holds an invalid value.

    ``column`` holds the setting's dotted key (``thresholds.confidence``), shown as "key" in the message,
    and ``rows`` the file's line numbers."""

    where_label = "key"
    rows_unit = "line"

    @property
    def key(self) -> str | None:
        return self.column


class InputFileError(CxlabError):
    """A data file cannot be used as a whole."""


class MissingFileError(InputFileError):
    """A data file named in client.yaml does not exist."""


class EmptyFileError(InputFileError):
    """A data file has no header or no data rows."""


class FileFormatError(InputFileError):
    """A data file cannot be parsed (unknown extension, broken XLSX/Parquet, undecodable text)."""


class MissingColumnError(CxlabError):
    """A required canonical column is not in the file, or a mapped source column does not exist."""


class InvalidValueError(CxlabError):
    """Values that cannot be converted to the column's type (text in a number column, bad dates)."""


class ValueRangeError(InvalidValueError):
    """Values outside the allowed range (NPS 11, CSAT 0, negative amounts)."""


class DuplicateIdError(CxlabError):
    """An id column that must be unique holds duplicates."""


class MissingValueError(CxlabError):
    """A required value is blank."""


class TableDependencyError(CxlabError):
    """A table needs another table that is missing (e.g. response rates without invitations)."""


class AnalysisError(CxlabError):
    """An analysis cannot run on the data it was given."""


class ReportError(CxlabError):
    """Executing or exporting a report failed; the message names the notebook cell and the cause."""
