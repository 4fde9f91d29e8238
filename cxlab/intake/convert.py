"""Conversion of the client's columns to their canonical types (:mod:`cxlab.schema`).

Numbers (decimal comma or point, currency signs), dates in the formats Italian and English exports use
(UTC offsets converted to the client's time zone), yes/no flags, closed lists and ids. Every value that
cannot be used is recorded on a :class:`~cxlab.intake.validate.Recorder` (dropped or blanked, counted and
explained). The hot paths run on Arrow kernels: a clean million-row export converts in about a second.
"""

from __future__ import annotations

import functools
import os
import re
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..config import TableSource
from ..errors import InvalidValueError, MissingValueError, ValueRangeError
from ..i18n import Message
from ..schema import Column, Table
from .validate import Action, IdCodes, PendingIssues, Recorder, record_blanks, take_rows, take_text

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
_ISO_START = re.compile(r"-?\d{4}")
_OFFSET = re.compile(r"(?:[+-]\d\d:?\d\d|Z)$")
_COMMA_DECIMAL = re.compile(r"^[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?$")
WARNINGS_LOCK = threading.Lock()


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
    -1 = blank): Arrow's dictionary encoding; for a column in long runs of equal values (an event log
    sorted by case) the same result from one value per run, ≈1.5× faster; for a column of a few values
    that its first rows all hold (departments, channels) a lookup of each row in those, ≈1.4× faster."""
    size = len(text)
    starts = None
    if size >= 100_000:
        head = text.slice(0, 4096)
        repeats = pc.sum(pc.equal(head.slice(1), head.slice(0, len(head) - 1))).as_py() or 0
        if repeats >= 0.75 * (len(head) - 1):  # runs of four or more on average
            same = pc.equal(text.slice(1), text.slice(0, size - 1))
            same = same.fill_null(False) if same.null_count else same  # a blank starts its own run
            starts = np.flatnonzero(np.concatenate(([True], ~same.to_numpy(zero_copy_only=False))))
            text = take_text(text, starts)  # no join of the chunks first
        else:
            few = _encode_few(text, head)
            if few is not None:
                return few
    encoded = pc.dictionary_encode(text)
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()  # one dictionary for all chunks
    indices = encoded.indices.fill_null(-1) if encoded.null_count else encoded.indices
    codes = indices.to_numpy(zero_copy_only=False)  # int32, no copy: enough to index with
    if starts is not None:
        codes = np.repeat(codes, np.diff(np.append(starts, size)))
    return encoded.dictionary, codes


def _encode_few(text: Any, head: Any) -> tuple[Any, np.ndarray] | None:
    """:func:`_encode_text` of a large column whose values are all among the few distinct values of its
    ``head`` (its first rows): each row looked up in those (no dictionary to grow). The same dictionary
    and codes: every distinct value first appears in the head, so the head's order of first appearance
    is the column's. None when the head holds many distinct values, or a row holds a value it lacks."""
    values = pc.unique(head).drop_null()
    if not len(values) or len(values) > len(head) // 4:  # values repeat little: likely not a closed list
        return None
    tail = text.slice(len(text) - len(head)).drop_null()
    if not pc.all(pc.is_in(tail, value_set=values)).as_py():  # a value the head lacks, seen cheaply
        return None
    indices = pc.index_in(text, value_set=values)
    if indices.null_count != text.null_count:  # a row's value is not in the head (blanks stay null)
        return None
    indices = indices.fill_null(-1) if indices.null_count else indices
    return values, np.asarray(indices.to_numpy(zero_copy_only=False), dtype=np.int32)


def _strip(s: pd.Series) -> pd.Series:
    """Text without surrounding whitespace, blanks as NaN."""
    if len(s) >= 10_000 and _is_trimmed(s):
        return s  # the usual case on a large export: nothing to strip, no copy of a million strings
    s = s.astype("str") if s.dtype != "str" else s
    s = s.str.strip()
    empty = s == ""
    return s.where(~empty) if empty.any() else s


def string_chunks(text: Any) -> list[tuple[Any, np.ndarray, np.ndarray]] | None:
    """Arrow text as (chunk, its value offsets, the bytes they index), NumPy views without a copy; None
    for any type but string and large_string."""
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
    chunks = string_chunks(text) if text is not None else None
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
        if chunk.null_count:
            first = data[np.minimum(offsets[:-1], len(data) - 1)]
            last = data[np.maximum(offsets[1:] - 1, 0)]
        else:  # every value holds a byte: its offsets index the data as they are
            first = data[offsets[:-1]]
            last = data[offsets[1:] - 1]
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
    numbers = _cast_all(text, pa.float64())  # ≈10× faster than pd.to_numeric when every value is a number
    if numbers is None:
        numbers = pd.to_numeric(text, errors="coerce")
    return numbers.astype("float64")


def _arrow_text(values: pd.Series) -> Any:
    """Arrow-backed text as its Arrow array (no copy), else None."""
    if not (isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow"):
        return None
    return pa.array(values.array)


def _cast_all(values: pd.Series, arrow_type: Any) -> pd.Series | None:
    """Arrow-backed text cast in one Arrow cast (blanks stay blank); None when the text is not
    arrow-backed or as soon as one value does not cast. All or nothing, so the caller's own parsing
    decides whenever any value is unusual."""
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
    parsed = _cast_all(values, pa.timestamp("ns"))
    return None if parsed is None else _as_ns(parsed)


def _arrow_strptime(values: pd.Series, fmt: str) -> pd.Series | None:
    """Arrow's vectorised parsing of arrow-backed text (≈5× pandas' strptime on a million timestamps);
    None when it does not apply, so the caller falls back to pandas. Unparseable values become NaT."""
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
        return _as_ns(pd.Series(fixed, index=values.index))
    try:
        parsed = pc.strptime(text, format=fmt, unit="s", error_is_null=True)
    except (TypeError, ValueError, NotImplementedError, pa.ArrowException):
        return None
    # Arrow's strptime rolls an impossible day over (31/04 -> 01/05): a value that does not read back as
    # written is left to pandas, which refuses it
    if parsed.null_count < len(parsed):
        same = pc.equal(pc.strftime(parsed, format=fmt), text).fill_null(False)
        if not pc.all(same).as_py():
            parsed = pc.if_else(same, parsed, pa.scalar(None, parsed.type))
    return _as_ns(pd.Series(parsed.to_numpy(zero_copy_only=False), index=values.index))


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


def _byte_column(buffer: np.ndarray, start: int, width: int) -> np.ndarray:
    """Byte ``start`` of every ``width``-byte row of ``buffer``, as one strided view. A field of several
    bytes is moved one byte column at a time: NumPy copies a strided ``V4`` (or unaligned ``uint32``)
    field with one memmove call per value, 2× slower than its four byte columns."""
    rows = len(buffer) // width
    return np.ndarray(shape=(rows,), dtype=np.uint8, buffer=buffer, offset=start, strides=(width,))


def _fixed_width_dates(text: Any, fmt: str) -> np.ndarray | None:
    """Arrow text in a fixed-width format (``31/12/2025 08:30``, ``12/31/2025``) parsed ≈3× faster than
    Arrow's strptime: the bytes are moved into ISO 8601 order and read by Arrow's ISO cast. All or nothing:
    None when a value has another width or separator, or does not cast (the caller's strptime decides).

    Returns ``datetime64[ns]`` (dates outside pandas' range NaT, see :func:`_as_ns`). The work goes in
    blocks of rows through one small scratch buffer into one result array: in a fresh process every new
    megabyte costs page faults, and a copy of the whole column in ISO order (19 MB a million) took as long
    as the parsing."""
    layout = _fixed_layout(fmt)
    if layout is None:
        return None
    width, fields, literals, iso = layout
    iso_width = sum(_FIELD_WIDTHS.get(token, 1) for token in iso)
    chunks = string_chunks(text)
    if chunks is None:
        return None
    same_width = width == iso_width
    literal_at = np.array([position for position, _ in literals], dtype=np.intp)
    literal_bytes = np.array([byte for _, byte in literals], dtype=np.uint8)
    result = np.empty(len(text), dtype="datetime64[ns]")
    scratch = np.empty(0, dtype=np.uint8)
    iso_offsets = np.zeros(1, dtype=np.int64)
    done = 0
    for chunk, offsets, data in chunks:
        if chunk.null_count == len(chunk):
            result[done : done + len(chunk)] = np.datetime64("NaT")
            done += len(chunk)
            continue
        lengths = np.diff(offsets)
        valid = chunk.is_valid().to_numpy(zero_copy_only=False) if chunk.null_count else None
        fits = lengths == width if valid is None else np.where(valid, lengths == width, lengths == 0)
        # blanks hold no bytes, so the values sit back to back: one row of `width` bytes each
        if not fits.all():
            return None
        for first in range(0, len(chunk), _DATE_BLOCK):
            last = min(first + _DATE_BLOCK, len(chunk))
            block_valid = valid[first:last] if valid is not None else None
            values = data[offsets[first] : offsets[last]]
            count = len(values) // width
            # the separators: one gather of their columns from the (rows, width) byte matrix (≈1.6× faster
            # than comparing each strided byte column); each field then moves as byte columns
            if literals and (values.reshape(count, width)[:, literal_at] != literal_bytes).any():
                return None
            if len(scratch) < count * iso_width:
                scratch = np.empty(min(len(chunk), _DATE_BLOCK) * iso_width, dtype=np.uint8)
                # the ISO values' offsets, made once for the largest block and sliced for each
                iso_offsets = np.arange(0, len(scratch) + 1, iso_width, dtype=np.int64)
            out = scratch[: count * iso_width]
            if same_width:  # one copy, then only the fields and separators that move (the date's)
                out[...] = values
            at = 0
            for token in iso:
                size = _FIELD_WIDTHS.get(token, 1)
                if token in fields:
                    if not (same_width and fields[token] == at):
                        for byte in range(size):
                            _byte_column(out, at + byte, iso_width)[...] = _byte_column(
                                values, fields[token] + byte, width
                            )
                elif not (same_width and (at, ord(token)) in literals):
                    _byte_column(out, at, iso_width)[...] = ord(token)
                at += size
            iso_text = pa.LargeStringArray.from_buffers(
                count, pa.py_buffer(iso_offsets[: count + 1]), pa.py_buffer(out)
            )
            parsed = _iso_cast_ns(iso_text)
            if parsed is None:
                return None
            target = result[done + first : done + last]
            if block_valid is not None:
                target[~block_valid] = np.datetime64("NaT")
                target[block_valid] = parsed
            else:
                target[...] = parsed
        done += len(chunk)
    return result


#: rows a block of :func:`_fixed_width_dates` (its scratch buffer: ≈1.2 MB)
_DATE_BLOCK = 65_536


def _iso_cast_ns(iso_text: Any) -> np.ndarray | None:
    """ISO 8601 text cast to ``datetime64[ns]``; a date outside the nanosecond range (9999) NaT; None when
    a value is no date (31/04, a letter)."""
    try:
        return np.asarray(pc.cast(iso_text, pa.timestamp("ns")).to_numpy(zero_copy_only=False))
    except (pa.ArrowException, NotImplementedError):
        pass
    try:  # in seconds, every year casts: only the values outside pandas' range become NaT
        seconds = pc.cast(iso_text, pa.timestamp("s")).to_numpy(zero_copy_only=False)
    except (pa.ArrowException, NotImplementedError):
        return None
    outside = (seconds < _NS_FIRST) | (seconds > _NS_LAST)
    return np.where(outside, np.datetime64("NaT"), seconds).astype("datetime64[ns]")


#: the dates a nanosecond timestamp holds (pandas' range); a sentinel such as 31/12/9999 is outside
_NS_FIRST, _NS_LAST = np.datetime64("1677-09-22", "s"), np.datetime64("2262-04-11", "s")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def _as_ns(values: pd.Series) -> pd.Series:
    """Naive date/times of any unit as ``datetime64[ns]``; those outside pandas' range become NaT (they
    are then counted as out of range, see :func:`_out_of_range_dates`), never an OutOfBoundsDatetime."""
    if values.dtype == np.dtype("datetime64[ns]"):
        return values
    raw = values.to_numpy()
    if raw.dtype.kind != "M":
        return values.astype("datetime64[ns]")
    if not len(raw):
        return pd.Series(raw.astype("datetime64[ns]"), index=values.index)
    low, high = raw.min(), raw.max()  # NaT when any value is NaT: then the mask decides
    if not (np.isnat(low) or np.isnat(high)) and _NS_FIRST <= low and high <= _NS_LAST:
        return pd.Series(raw.astype("datetime64[ns]"), index=values.index)
    outside = (raw < _NS_FIRST) | (raw > _NS_LAST)
    if outside.any():
        raw = np.where(outside, np.datetime64("NaT"), raw)
    return pd.Series(raw.astype("datetime64[ns]"), index=values.index)


def _out_of_range_dates(text: pd.Series, bad: np.ndarray) -> np.ndarray:
    """Which of the ``bad`` (unreadable) date texts hold a year pandas cannot represent (before 1678 or
    after 2261: 0001, 2300, 9999): out of range rather than unreadable."""
    out = np.zeros(len(text), dtype=bool)
    if not bad.any():
        return out
    years = text[bad].str.extract(_YEAR, expand=False).astype("float64")
    out[np.flatnonzero(bad)] = ((years < 1678) | (years > 2261)).fillna(False).to_numpy(dtype=bool)
    return out


def _parse_with(values: pd.Series, fmt: str, with_offset: bool) -> pd.Series:
    """Stripped date text parsed with one format (NaT where it does not fit); UTC when ``with_offset``."""

    def by_pandas(part: pd.Series) -> pd.Series:
        # catch_warnings swaps global state: columns convert on threads (see convert_columns)
        with WARNINGS_LOCK, warnings.catch_warnings():
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
        fast[rest] = _as_ns(by_pandas(values[rest]))
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
        if fmt == "ISO8601" and not sample.str.match(_ISO_START).any():
            ok = 0  # ISO 8601 starts with a four-digit year (31/12/2025 does not): no parsing needed to know
        else:
            ok = int(_parse_with(sample, fmt, with_offset).notna().sum())
        if ok > best_ok:
            best_fmt, best_ok = fmt, ok
        if ok == len(sample):
            break
    return best_fmt, with_offset


def _parse_dates(
    text: pd.Series, src: TableSource, timezone: str, naive_rows: np.ndarray | None = None
) -> pd.Series:
    """Parse stripped date/time text (see :func:`_strip`) with the format that fits a sample best.

    Values with a UTC offset are converted to ``timezone``; values without one are local time, also in a
    column that mixes both (they are not taken as UTC). When the column mixes them, ``naive_rows`` (if
    given) is set True on the rows without an offset, for a note."""
    present = text.dropna()
    if present.empty:
        return pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    fmt, with_offset = _choose_date_format(present.head(1000), src)
    if with_offset:
        has = text.str.contains(_OFFSET).fillna(False).to_numpy(dtype=bool)
    else:
        parsed = _as_ns(_parse_with(text, fmt, False))
        # an offset further down than the sample: those values are read with it
        missed = (parsed.isna() & text.notna()).to_numpy()
        if not missed.any() or not text[missed].str.contains(_OFFSET).any():
            return parsed
        has = np.zeros(len(text), dtype=bool)
        has[np.flatnonzero(missed)] = text[missed].str.contains(_OFFSET).to_numpy(dtype=bool)
    aware = _parse_with(text[has], fmt, True)
    local = aware.dt.tz_convert(timezone).dt.tz_localize(None)
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    out[has] = _as_ns(local)
    naive = ~has & text.notna().to_numpy()
    if naive.any():
        out[naive] = _as_ns(_parse_with(text[naive], fmt, False))
        if naive_rows is not None:
            naive_rows |= naive
    return out


def _note_repeated_hour(
    values: pd.Series, raw: pd.Series, timezone: str, rec: Recorder | PendingIssues, name: str
) -> None:
    """Count the events at a local time that occurs twice (the hour repeated when clocks go back): the
    handoff analysis reads them as the first occurrence unless the order column puts them after the change
    (a value written with its UTC offset, or read typed with one, is not ambiguous)."""
    from .dst import repeated_hour

    local = values.to_numpy("datetime64[ns]").view(np.int64)
    repeated = repeated_hour(local, timezone)  # never NaT
    if not repeated.any():
        return
    if pd.api.types.is_datetime64_any_dtype(raw):
        if getattr(raw.dtype, "tz", None) is not None:
            return
    else:
        rows = np.flatnonzero(repeated)
        if len(rows) <= 10_000:  # the usual few: Python's regex on each, no Arrow kernel's first-call cost
            texts = take_rows(raw, rows).tolist()
            offset = np.array([pd.notna(v) and bool(_OFFSET.search(str(v).strip())) for v in texts], bool)
        else:
            written = raw.iloc[rows].astype("string").str.strip()
            offset = written.str.contains(_OFFSET).fillna(False).to_numpy(dtype=bool)
        repeated[rows[offset]] = False
    rec.add(
        repeated,
        name,
        "note",
        InvalidValueError,
        Message(
            "a local time that occurs once: these fall in the hour repeated when clocks go back ({timezone}); "
            "the handoff waits read them as the first (summer-time) hour, or as the second where the order "
            "column (sequence) puts the event after a later time of its case",
            timezone=timezone,
        ),
        # the text as the file writes it (no copy); typed values: only the flagged ones formatted
        _shown_at(values, repeated, "%Y-%m-%d %H:%M") if pd.api.types.is_datetime64_any_dtype(raw) else raw,
    )


def _shown_at(values: pd.Series, rows: np.ndarray, fmt: str) -> pd.Series:
    """The date/times of ``rows`` written with ``fmt`` for a data-quality message, the other rows None:
    only the few flagged values are formatted (``strftime`` of a million timestamps takes over a second)."""
    shown = pd.Series(np.empty(len(values), dtype=object), index=values.index, dtype=object)
    at = np.flatnonzero(rows)
    shown.iloc[at] = values.iloc[at].dt.strftime(fmt).to_numpy(dtype=object)
    return shown


class LineBreakFound(Exception):
    """A text value of a fast CSV read holds a line break (see :func:`convert_columns`)."""


def text_has_line_break(values: pd.Series) -> bool:
    """Whether text ``values`` hold a value with a line break: a byte search over Arrow-backed text
    (≈1 ms a million short values); False for any column that is not text."""
    if values.dtype != "str":
        return False
    text = _arrow_text(values)
    chunks = string_chunks(text) if text is not None else None
    if chunks is None:
        return bool(values.str.contains("\n", regex=False).any())
    return any(data[offsets[0] : offsets[-1]].tobytes().find(b"\n") >= 0 for _, offsets, data in chunks)


def convert_columns(
    frame: pd.DataFrame,
    table: Table,
    src: TableSource,
    rec: Recorder,
    timezone: str,
    codes_of: frozenset[str] = frozenset(),
    check_breaks: bool = False,
) -> tuple[dict[str, pd.Series], dict[str, IdCodes]]:
    """Every mapped column in its canonical type, and for the id columns named in ``codes_of`` each row's
    id as a number (see :func:`_convert_ids`) and the rows per id. Columns convert on threads (the Arrow
    kernels that do the work release the GIL); their problems are then recorded in column order, so the
    report and the rows dropped do not depend on which thread finished first.

    ``check_breaks`` (a fast CSV read, see :func:`cxlab.intake.read._read_csv_fast`): a text value with a
    line break, in any column, raises :class:`LineBreakFound` before anything is recorded (perhaps rows
    swallowed by a stray quote, which the string path finds and repairs). A converted column is cleared
    by its own conversion where that reads every value (a fixed layout, its distinct values), else by a
    search of its bytes on the same threads: the whole-file search took 8 ms before the conversions."""
    columns = [(col, frame[col.name]) for col in table.columns if col.name in frame.columns]
    # the costliest first (parsing dates, then hashing), so the threads finish together
    costly = {"datetime": 0, "category": 1, "id": 2, "text": 2}
    columns.sort(key=lambda job: (job[0].name not in codes_of, costly.get(job[0].kind, 3)))
    mapped = {col.name for col, _ in columns}
    others = [frame[name] for name in frame.columns if name not in mapped] if check_breaks else []

    def convert(job: tuple[Column, pd.Series]) -> tuple[pd.Series, PendingIssues, IdCodes | None, bool]:
        col, raw = job
        pending = PendingIssues()
        row_ids = None
        if col.name in codes_of:
            values, row_codes, cleared = _convert_ids(raw, col, src, pending)
            # counted here, on the worker thread: with no blank id and no row dropped, this is the answer
            counts = np.bincount(row_codes) if len(row_codes) and row_codes.min() >= 0 else None
            row_ids = IdCodes(row_codes, counts)
        else:
            values, cleared = _convert(raw, col, src, pending, timezone)
            if table.name == "events" and col.name == "timestamp":
                _note_repeated_hour(values, raw, timezone, pending, col.name)
        breaks = check_breaks and not cleared and text_has_line_break(raw)
        return values, pending, row_ids, breaks

    workers = min(len(columns), os.cpu_count() or 1)
    if workers > 1 and len(frame) >= 100_000:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            searched = pool.map(text_has_line_break, others)  # unmapped columns: quick, so first
            converted = list(pool.map(convert, columns))
            broken = any(searched)
    else:
        broken = any(text_has_line_break(values) for values in others)
        converted = [convert(job) for job in columns]
    if broken or any(result[3] for result in converted):
        raise LineBreakFound
    by_name = {col.name: result for (col, _), result in zip(columns, converted, strict=True)}
    out: dict[str, pd.Series] = {}
    codes: dict[str, IdCodes] = {}
    for col in table.columns:
        if col.name in by_name:
            values, pending, row_codes, _ = by_name[col.name]
            for call in pending.calls:
                rec.add(*call)
            out[col.name] = values
            if row_codes is not None:
                codes[col.name] = row_codes
    return out, codes


def _convert_column(
    raw: pd.Series, col: Column, src: TableSource, rec: Recorder | PendingIssues, timezone: str
) -> pd.Series:
    """One column in its canonical type, its problems recorded. ``raw`` is text, or already typed by the
    reader (numbers and 0/1 flags from the fast CSV read; numbers, timestamps and categories from Parquet)."""
    return _convert(raw, col, src, rec, timezone)[0]


def _convert(
    raw: pd.Series, col: Column, src: TableSource, rec: Recorder | PendingIssues, timezone: str
) -> tuple[pd.Series, bool]:
    """:func:`_convert_column`, and whether its way of reading ``raw`` showed that no value holds a line
    break (typed values; text read whole by a fixed layout; the distinct values checked): else the
    caller searches the text when it must know (see :func:`convert_columns`)."""
    name = col.name
    action: Action = "dropped" if col.required else "blanked"
    if col.kind in ("float", "int"):
        typed = pd.api.types.is_numeric_dtype(raw) and not pd.api.types.is_bool_dtype(raw)
        if typed:
            text = values = raw.astype("float64")  # read typed: nothing to parse
        else:
            stripped = _strip(raw)
            text = _declared_missing(stripped, col, src)
            _record_markers(stripped, text, col, rec, None)
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
        return values, typed
    if col.kind == "datetime":
        # typed, ISO 8601 or one fixed day-first layout in every value: no value holds a line break
        whole = True
        if pd.api.types.is_datetime64_any_dtype(raw):
            values = raw  # read typed: nothing to parse
            if values.dt.tz is not None:
                values = values.dt.tz_convert(timezone).dt.tz_localize(None)
            text = values = _as_ns(values)
        elif src.date_format in (None, "ISO8601") and (iso := _arrow_iso(raw)) is not None:
            # the string path would choose ISO 8601 (first in line) and read every value with it
            text = values = iso
        elif (day_first := _day_first_fixed(raw, src)) is not None:
            text = values = day_first  # the same: dd/mm/yyyy [hh:mm[:ss]] in every value
        else:
            whole = False
            stripped = _strip(raw)
            text = _declared_missing(stripped, col, src)
            _record_markers(stripped, text, col, rec, None)
            naive = np.zeros(len(text), dtype=bool)
            values = _parse_dates(text, src, timezone, naive)
            bad = (values.isna() & text.notna()).to_numpy()
            outside = _out_of_range_dates(text, bad)
            rec.add(
                outside,
                name,
                action,
                ValueRangeError,
                Message("a date from 1678 to 2261 (a sentinel such as 31/12/9999 or 0001 is not a date)"),
                text,
            )
            rec.add(
                bad & ~outside,
                name,
                action,
                InvalidValueError,
                Message("a date/time (ISO 2026-11-23 or dd/mm/yyyy)"),
                text,
            )
            if naive.any() and (~naive & values.notna().to_numpy()).any():
                rec.add(
                    naive,
                    name,
                    "note",
                    InvalidValueError,
                    Message(
                        "one convention per column: these values have no UTC offset while others have one; "
                        "read as local time ({timezone})",
                        timezone=timezone,
                    ),
                    text,
                )
        if col.required:
            rec.add(text.isna().to_numpy(), name, "dropped", MissingValueError, Message("a date/time"), None)
        return values, whole
    if col.kind == "bool":
        fast = None if src.values.get(col.name) else _bool_exact(raw)
        if fast is not None:
            return fast, True  # every value a known spelling
        # decided once per distinct value, then spread to the rows by category code
        categories, codes = _as_category(raw)
        labels = _declared_missing(_strip(categories), col, src).str.lower()
        mapping = src.values.get(col.name)
        if mapping:  # e.g. a document type: {NC: yes, FT: no} for is_return
            labels = labels.replace({str(k).lower(): str(v).lower() for k, v in mapping.items()})
        is_true = labels.isin(_TRUE).to_numpy()
        bad = (~is_true & ~labels.isin(_FALSE) & labels.notna()).to_numpy()
        if bad.any():
            shown = _recode(codes, labels, raw.index)
            rec.add(_expand(bad, codes), name, "blanked", InvalidValueError, col.expected(), shown)
        return pd.Series(_expand(is_true, codes), index=raw.index), not _any_line_break(categories)
    if col.kind == "category":
        categories, labels, codes, missing = _clean_distinct(raw, col, src, rec)
        recoded = _recode(codes, labels, raw.index, fill=col.fill if missing.any() else None)
        return recoded, not _any_line_break(categories)
    # id / text
    stripped = _strip(raw)
    text, bad = _clean_labels(raw, col, src, stripped)
    _record_markers(stripped, text, col, rec, None)
    if bad.any():
        rec.add(bad, name, action, InvalidValueError, col.expected(), text)
        text = text.mask(bad)
    missing = text.isna().to_numpy()
    record_blanks(missing, col, rec)
    return (text.fillna(col.fill) if col.fill is not None and missing.any() else text), False


def _any_line_break(distinct: pd.Series) -> bool:
    """Whether a column's distinct values hold a line break (numbers never do)."""
    if distinct.dtype == object:  # the categories of a Parquet column, say
        distinct = distinct.dropna().astype("str")
    return text_has_line_break(distinct)


def _day_first_fixed(raw: pd.Series, src: TableSource) -> pd.Series | None:
    """A large arrow-backed column whose every value (or blank) is in one fixed-width day-first format
    (``31/12/2025 08:30:00``, ``31.12.2025``), parsed as the string path would, without its passes: such
    text has nothing to strip and is no missing-value marker; it is not ISO 8601 (no leading year) and
    fits no other format of that width, so the string path would choose this format for the whole
    column. None for anything else (the string path decides): month-first files (``dayfirst: false``:
    a column whose days are all ≤ 12 reads month-first there), a value of another shape, an impossible
    day (31/04: the ISO cast refuses it)."""
    if not src.dayfirst or len(raw) < 10_000 or src.date_format == "ISO8601":
        return None
    text = _arrow_text(raw)
    if text is None:
        return None
    head = text.slice(0, 4096).drop_null()
    if not len(head):
        return None
    size = len(str(head[0].as_py()).encode())
    for fmt in (src.date_format,) if src.date_format else _DATE_FORMATS[1:]:
        layout = _fixed_layout(fmt)
        if layout is None or layout[0] != size:
            continue
        parsed = _fixed_width_dates(text, fmt)
        # a value outside pandas' range (31/12/9999) is NaT there: the string path counts it
        if parsed is not None and int(np.isnat(parsed).sum()) == text.null_count:
            return pd.Series(parsed, index=raw.index)
    return None


_TRUE_SET = pa.array(sorted(_TRUE))
_KNOWN_SET = pa.array(sorted((_TRUE | _FALSE) - {""}))


def _bool_exact(raw: pd.Series) -> pd.Series | None:
    """Arrow-backed yes/no text whose every value is already a known lower-case spelling (sì/no, true/false)
    or blank, as bools in two Arrow passes (≈4× faster than encoding the column); None for anything else
    (capitals, spaces, an unknown value): the caller's per-value path decides and reports."""
    text = _arrow_text(raw)
    if text is None:
        return None
    if len(text) >= 10_000:
        few = _bool_few(text)
        if few is not None:
            return pd.Series(few, index=raw.index)
    known = pc.is_in(text, value_set=_KNOWN_SET)
    if not pc.all(pc.or_(known, pc.is_null(text))).as_py():
        return None
    is_true = pc.is_in(text, value_set=_TRUE_SET).fill_null(False)
    return pd.Series(is_true.to_numpy(zero_copy_only=False), index=raw.index)


def _bool_few(text: Any) -> np.ndarray | None:
    """A large yes/no column spelled with the two or three known values its first rows hold (sì/no): one
    equality pass a value (a byte compare, ≈3× faster than two set lookups); None when a row holds
    anything else (the caller's set lookups decide)."""
    head = pc.unique(text.slice(0, 4096)).drop_null().to_pylist()
    if not head or len(head) > 3 or not set(head) <= _TRUE | _FALSE - {""}:
        return None
    is_true = None
    matched = text.null_count  # the spellings differ, so each row matches at most one: counts add up
    for value in head:
        same = pc.equal(text, value)
        matched += pc.sum(same).as_py() or 0
        if value in _TRUE:
            is_true = same if is_true is None else pc.or_kleene(is_true, same)
    if matched != len(text):  # a row holds another value
        return None
    if is_true is None:
        return np.zeros(len(text), dtype=bool)
    is_true = is_true.fill_null(False) if is_true.null_count else is_true
    return np.asarray(is_true.to_numpy(zero_copy_only=False), dtype=bool)


def _declared_missing(text: pd.Series, col: Column, src: TableSource) -> pd.Series:
    """Stripped text with the table's missing-value markers (``missing_values:``, see
    :meth:`~cxlab.config.TableSource.missing_markers`) turned into blanks."""
    markers = src.missing_markers(col.name) - {""}
    if not markers or not len(text):
        return text
    if len(text) >= 10_000 and not _markers_may_match(text, markers):
        return text  # no value can be a marker (a column of dates or ids): no lookup of a million values
    hit = text.isin(list(markers))
    return text.mask(hit) if hit.any() else text


def _markers_may_match(text: pd.Series, markers: frozenset[str]) -> bool:
    """Whether a value of arrow-backed ``text`` may be one of ``markers`` (True when unsure): one with a
    marker's byte length and a marker's first byte. A pass over the value offsets and first bytes, ≈5×
    faster than looking every value up; the first byte tells ids (K1042) from markers of their length
    (N/A, --)."""
    arrow = _arrow_text(text)
    chunks = string_chunks(arrow) if arrow is not None else None
    if chunks is None:
        return True
    encoded = [m.encode() for m in markers]
    sizes = np.zeros(max(len(m) for m in encoded) + 1, dtype=bool)
    sizes[[len(m) for m in encoded]] = True
    starts = np.zeros(256, dtype=bool)
    starts[[m[0] for m in encoded]] = True
    for chunk, offsets, data in chunks:
        lengths = np.diff(offsets)
        if not chunk.null_count and (not len(lengths) or lengths.min() >= len(sizes)):
            continue  # every value longer than any marker
        hit = sizes[np.minimum(lengths, len(sizes) - 1)] & (lengths < len(sizes))
        if chunk.null_count:  # a blank holds no bytes: its length 0 is no marker's (markers are not empty)
            hit &= chunk.is_valid().to_numpy(zero_copy_only=False)
        if not hit.any():
            continue
        # a value of a marker's length has bytes: its first is at its offset (clamped: others may be empty)
        first = data[np.minimum(offsets[:-1], len(data) - 1)]
        if (hit & starts[first]).any():
            return True
    return False


def _record_markers(
    before: pd.Series, after: pd.Series, col: Column, rec: Recorder | PendingIssues, codes: np.ndarray | None
) -> None:
    """Count the values a missing-value marker blanked in an optional column without a fill (a required or
    filled column counts them with its blanks)."""
    if col.required or col.fill is not None or after is before:  # the same Series: no marker found
        return
    hit = (before.notna() & after.isna()).to_numpy()
    if not hit.any():
        return
    rows = _expand(hit, codes) if codes is not None else hit
    shown = _recode(codes, before, pd.RangeIndex(len(codes))) if codes is not None else before
    rec.add(
        rows,
        col.name,
        "blanked",
        MissingValueError,
        Message("a value (a missing-value marker, see missing_values)"),
        shown,
    )


def _clean_labels(
    values: pd.Series, col: Column, src: TableSource, stripped: pd.Series | None = None
) -> tuple[pd.Series, np.ndarray]:
    """Text values stripped (``stripped``, when the caller has them already), mapped to canonical values
    (``values:`` in client.yaml) and, for a closed list, lower-cased; and which of them the list does not
    allow. Missing-value markers become blanks."""
    text = _declared_missing(_strip(values) if stripped is None else stripped, col, src)
    mapping = src.values.get(col.name)
    if mapping:
        text = text.replace({str(k): str(v) for k, v in mapping.items()})
    bad = np.zeros(len(text), dtype=bool)
    if col.allowed:
        text = text.str.lower()
        bad = (~text.isin(col.allowed) & text.notna()).to_numpy()
    return text, bad


def _clean_distinct(
    raw: pd.Series, col: Column, src: TableSource, rec: Recorder | PendingIssues
) -> tuple[pd.Series, pd.Series, np.ndarray, np.ndarray]:
    """A text column cleaned once per distinct value (:func:`_clean_labels`), its invalid and blank rows
    recorded: (distinct values, their cleaned labels with NaN for unusable ones, row codes, blank rows)."""
    categories, codes = _as_category(raw)
    stripped = _strip(categories)
    labels, bad = _clean_labels(categories, col, src, stripped)
    _record_markers(stripped.reset_index(drop=True), labels.reset_index(drop=True), col, rec, codes)
    if bad.any():
        action: Action = "dropped" if col.required else "blanked"
        shown = _recode(codes, labels, raw.index)
        rec.add(_expand(bad, codes), col.name, action, InvalidValueError, col.expected(), shown)
        labels = labels.mask(bad)
    missing = _expand(labels.isna().to_numpy(), codes, blank=True)
    record_blanks(missing, col, rec)
    return categories, labels, codes, missing


def _convert_ids(
    raw: pd.Series, col: Column, src: TableSource, rec: Recorder | PendingIssues
) -> tuple[pd.Series, np.ndarray, bool]:
    """An id column as :func:`_convert_column` converts it, each row's id as a number (-1 = blank), and
    whether no id holds a line break (see :func:`_convert`).

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
    cleared = not _any_line_break(categories)
    if unchanged:  # distinct ids stay distinct: the codes are the numbers
        return values, codes, cleared
    merged, _ = pd.factorize(labels)  # equal ids after cleaning share one number; blank = -1
    return values, merged[codes], cleared
