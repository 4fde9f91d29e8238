"""Column mapper: map a client's file columns to cxlab's canonical columns and save them in client.yaml."""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import traitlets as t

from ..config import ClientConfig, TableSource, load_config
from ..errors import ConfigError, CxlabError, MissingColumnError
from ..i18n import N_, Message, gettext, translated
from ..intake import load_table, read_raw
from ..intake.suggest import suggest_mapping, suggest_values
from ..schema import TABLES
from ._base import (
    CxWidget,
    asset,
    client_root,
    error_text,
    escape,
    static_box,
    static_message,
    static_table,
    update_client_yaml,
)

SAMPLES = 4  # sample values shown per column
SUGGEST_ROWS = 500  # rows looked at for the value-based suggestions
DISTINCT = 30  # columns with at most this many distinct values list them (for value mapping)
TRIAL_ROWS = 100_000  # live validation of a bigger file reads its first rows only (a check per click)
#: what a column's values look like (:func:`~cxlab.intake.suggest.value_kind`), as a reason shown
KIND_REASONS = {
    "datetime": "values look like dates",
    "score10": "values are 0–10 scores",
    "score7": "values are 1–7 scores",
    "score5": "values are 1–5 scores",
    "id": "values look like ids",
    "number": "values are amounts",
    "integer": "values are whole numbers",
    "bool": "values are yes/no",
    "text": "values are free text",
    "category": "values are a few repeated labels",
}


#: the validation levels as the static view names them
LEVELS = {"error": N_("error"), "warning": N_("warning"), "info": N_("info"), "ok": N_("ok")}


def read_samples(path: Path, source: TableSource) -> pd.DataFrame:
    """The client's file as given (all columns as text): the one place the mapper reads data."""
    return read_raw(path, source)


def suggestion_reason(matched_name: str | None, kind: str, kind_fits: bool, lang: str) -> str:
    """Why a column was suggested, in ``lang``: the known name it resembles and/or what its values
    look like (for a column without a suggestion, what its values look like)."""
    parts = [gettext(lang, "name like '{name}'", name=matched_name)] if matched_name else []
    if kind in KIND_REASONS and (kind_fits or not parts):
        parts.append(gettext(lang, KIND_REASONS[kind]))
    return "; ".join(parts)


class ColumnMapper(CxWidget):
    """Map the columns of one client file to a canonical table.

    ``ColumnMapper("clients/acme", "customers")`` uses ``tables.customers`` of client.yaml;
    ``ColumnMapper("clients/acme", "customers", file="data/crm.csv")`` starts a new table. The value the
    notebook reads back is :attr:`mapping` (client column -> canonical column, "" = not used);
    :meth:`save` writes it under ``tables.<table>.columns`` in client.yaml, keeping every other key.
    """

    _esm = asset("column_mapper.js")

    table = t.Unicode("").tag(sync=True)
    file = t.Unicode("").tag(sync=True)
    #: tables configured in client.yaml: [{"table", "file"}]
    tables: t.List[dict[str, Any]] = t.List().tag(sync=True)
    #: the file's columns: [{"name", "samples", "kind", "suggestion", "score", "reason"}]
    columns: t.List[dict[str, Any]] = t.List().tag(sync=True)
    #: the canonical columns of the table: [{"name", "kind", "required", "expected", "help"}]
    canonical: t.List[dict[str, Any]] = t.List().tag(sync=True)
    #: client column -> canonical column ("" = not used)
    mapping = t.Dict().tag(sync=True)
    #: canonical column -> {client value: canonical value} (e.g. survey: {Relazionale: cold})
    values = t.Dict().tag(sync=True)
    #: live validation: [{"level": "error"|"warning"|"ok", "column", "text"}]
    validation: t.List[dict[str, Any]] = t.List().tag(sync=True)
    #: rows read / kept by a trial load with the current mapping
    summary = t.Dict().tag(sync=True)

    def __init__(
        self,
        client: Any,
        table: str | None = None,
        file: str | None = None,
        lang: str | None = None,
        **kwargs: Any,
    ) -> None:
        self._root = client_root(client)
        self._config: ClientConfig = load_config(self._root)
        self._frame: pd.DataFrame | None = None
        self._sample_dir: tempfile.TemporaryDirectory | None = None
        self._extra_file: dict[str, str] = {}
        super().__init__(lang=lang or self._config.language, **kwargs)
        self.tables = [{"table": k, "file": v.file} for k, v in self._config.tables.items()]
        table = table or next(iter(self._config.tables), None)
        if table is None:
            raise ConfigError(
                "a table name (customers, transactions, events, ...) and its file",
                file=self._config.source,
                column="tables",
                found="no table in client.yaml",
            )
        if file:
            self._extra_file[table] = file
            if table not in self._config.tables:
                self.tables = [*self.tables, {"table": table, "file": file}]
        self.observe(self._on_mapping, names=["mapping", "values"])
        self.observe(self._on_table, names="table")
        self._open(table)

    # -- loading ------------------------------------------------------------------------------------

    def _source(self, table: str) -> TableSource:
        src = self._config.tables.get(table)
        file = self._extra_file.get(table)
        if src is None:
            if not file:
                raise ConfigError(
                    Message(
                        "tables.{table}.file in client.yaml, or ColumnMapper(..., file=...)", table=table
                    ),
                    file=self._config.source,
                    column=f"tables.{table}",
                    found=N_("no such table"),
                )
            return TableSource(file=file)
        return dataclasses.replace(src, file=file) if file else src

    def _open(self, table: str) -> bool:
        if table not in TABLES:
            raise ConfigError(
                Message("a canonical table: {tables}", tables=", ".join(TABLES)),
                column="table",
                found=repr(table),
            )
        src = self._source(table)
        frame = read_samples(self._config.path(src.file), src).rename(columns=str)
        self._frame = frame
        self._sample_dir = None  # a new file: a new trial sample
        suggestions = suggest_mapping(frame.head(SUGGEST_ROWS), table)
        columns = []
        head = frame.head(TRIAL_ROWS)
        for row in suggestions.itertuples(index=False):
            values = frame[row.column].dropna().astype("str")
            samples = values[values.str.strip() != ""].drop_duplicates().head(SAMPLES).tolist()
            counts = head[row.column].dropna().astype("str").str.strip().value_counts()
            counts = counts[counts.index != ""]
            distinct = counts.index.tolist() if len(counts) <= DISTINCT else []
            columns.append(
                {
                    "name": row.column,
                    "samples": [s[:60] for s in samples],
                    "kind": row.kind,
                    "suggestion": row.suggestion if isinstance(row.suggestion, str) else "",
                    "score": float(row.score),
                    "reason": suggestion_reason(row.matched_name, row.kind, bool(row.kind_fits), self.lang),
                    "distinct": distinct,
                }
            )
        spec = TABLES[table]
        canonical = [
            {
                "name": c.name,
                "kind": c.kind,
                "required": c.required,
                "expected": translated(c.expected(), self.lang),
                "help": c.help,
                "allowed": list(c.allowed or ()),
            }
            for c in spec.columns
        ]
        # saved mapping first, then columns already named canonically, then the suggestions
        present = {c["name"] for c in columns}
        saved = {k: v for k, v in src.columns.items() if k in present}
        mapping: dict[str, str] = {}
        for col in columns:
            name = col["name"]
            if name in saved:
                mapping[name] = saved[name]
            elif name in spec.column_names and name not in saved.values():
                mapping[name] = name
        for col in columns:  # a saved mapping is the consultant's decision: suggest only for a new one
            name, target = col["name"], col["suggestion"]
            if not saved and name not in mapping and target and target not in mapping.values():
                mapping[name] = target
        mapping = {c["name"]: mapping.get(c["name"], "") for c in columns}
        # value mappings: the saved ones, plus suggestions for columns with fixed values (survey: hot/cold)
        values = {k: dict(v) for k, v in src.values.items()}
        distinct = {c["name"]: c["distinct"] for c in columns}
        for client_col, target in mapping.items():
            allowed = spec.column(target).allowed if target else None
            if allowed and target not in values:
                guessed = suggest_values(distinct.get(client_col, []), allowed)
                if guessed:
                    values[target] = guessed
        with self.hold_trait_notifications():
            self.values = values
            self.file = src.file
            self.canonical = canonical
            self.columns = columns
            if self.table != table:
                self.set_trait("table", table)
        self.mapping = mapping
        self._validate()
        return True

    def _on_table(self, change: dict) -> None:
        if change["new"] and self._frame is not None and change["new"] != change["old"]:
            if not self._run(self._open, change["new"]):
                self.table = change["old"]  # keep showing (and saving) the table that did open

    def _on_mapping(self, _change: dict) -> None:
        if self.status == "ok":
            self._say("", "")  # "saved" no longer describes the edited mapping
        self._run(self._validate)

    # -- validation -------------------------------------------------------------------------------

    def problems(self) -> list[dict[str, str]]:
        """Problems of the mapping itself (no data read): unknown names, duplicates, missing required."""
        spec = TABLES[self.table]
        names = set(spec.column_names)
        out: list[dict[str, str]] = []
        present = {c["name"] for c in self.columns}
        used: dict[str, list[str]] = {}
        for client_col, target in self.mapping.items():
            if client_col not in present:
                out.append(
                    {
                        "level": "error",
                        "column": client_col,
                        "text": gettext(
                            self.lang,
                            "'{column}' is not a column of {file}",
                            column=client_col,
                            file=self.file,
                        ),
                    }
                )
            elif target and target not in names:
                out.append(
                    {
                        "level": "error",
                        "column": client_col,
                        "text": gettext(
                            self.lang,
                            "'{column}' is not a column of the {table} table (expected one of {names})",
                            column=target,
                            table=self.table,
                            names=", ".join(spec.column_names),
                        ),
                    }
                )
            elif target:
                used.setdefault(target, []).append(client_col)
        for target, sources in used.items():
            if len(sources) > 1:
                listed = gettext(self.lang, " and ").join(f"'{s}'" for s in sources)
                out.append(
                    {
                        "level": "error",
                        "column": sources[-1],
                        "text": gettext(
                            self.lang,
                            "'{column}' is mapped from both {sources}",
                            column=target,
                            sources=listed,
                        ),
                    }
                )
        for target, pairs in self.values.items():
            if target not in names:
                out.append(
                    {
                        "level": "error",
                        "column": "",
                        "text": gettext(
                            self.lang,
                            "values: '{column}' is not a column of the {table} table",
                            column=target,
                            table=self.table,
                        ),
                    }
                )
                continue
            allowed = spec.column(target).allowed
            for client_value, value in pairs.items():
                if allowed and value and value not in allowed:
                    out.append(
                        {
                            "level": "error",
                            "column": next((k for k, v in self.mapping.items() if v == target), ""),
                            "text": gettext(
                                self.lang,
                                "'{value}' is mapped to '{canonical}': expected one of {allowed}",
                                value=client_value,
                                canonical=value,
                                allowed=", ".join(allowed),
                            ),
                        }
                    )
        for col in spec.required:
            if col not in used:
                out.append(
                    {
                        "level": "error",
                        "column": "",
                        "text": gettext(
                            self.lang,
                            "the required column '{column}' is not mapped ({expected})",
                            column=col,
                            expected=translated(spec.column(col).expected(), self.lang),
                        ),
                    }
                )
        return out

    def _validate(self) -> None:
        problems = self.problems()
        summary: dict[str, Any] = {}
        if not any(p["level"] == "error" for p in problems):
            # a trial load with the library's reader tells what the analyses would get
            src, sample = self._trial_source(self._candidate_source())

            def own_name(text: str) -> str:
                return text.replace(sample, self.file) if sample else text

            try:
                frame, report = load_table(self.table, src, self._config)
            except CxlabError as exc:
                problems.append(
                    {
                        "level": "error",
                        "column": exc.column or "",
                        "text": own_name(error_text(exc, self.lang)),
                    }
                )
            else:
                reverse = {v: k for k, v in self.mapping.items() if v}
                for issue in report.issues:
                    level = "warning" if issue.action in ("dropped", "blanked") else "info"
                    problems.append(
                        {
                            "level": level,
                            "column": reverse.get(issue.column or "", issue.column or ""),
                            "text": own_name(issue.describe(self.lang)),
                        }
                    )
                summary = {"rows_read": report.rows_read, "rows_kept": len(frame)}
                text = gettext(
                    self.lang,
                    "{kept} of {read} rows usable with this mapping",
                    kept=len(frame),
                    read=report.rows_read,
                )
                if sample and self._frame is not None:  # a sample exists only once a file is read
                    summary["rows_in_file"] = len(self._frame)
                    text = gettext(
                        self.lang,
                        "{kept} of the first {read} rows (of {total}) usable with this mapping",
                        kept=len(frame),
                        read=report.rows_read,
                        total=len(self._frame),
                    )
                problems.insert(0, {"level": "ok", "column": "", "text": text})
        self.validation = problems
        self.summary = summary

    def _trial_source(self, src: TableSource) -> tuple[TableSource, str]:
        """The source to trial-load: the file itself, or a Parquet copy of its first rows when it is big."""
        frame = self._frame
        if frame is None or len(frame) <= TRIAL_ROWS:
            return src, ""
        if self._sample_dir is None:
            self._sample_dir = tempfile.TemporaryDirectory(prefix="cxlab-mapper-")
            path = Path(self._sample_dir.name) / "sample.parquet"
            frame.head(TRIAL_ROWS).rename(columns=str).to_parquet(path, index=False)
        sample = str(Path(self._sample_dir.name) / "sample.parquet")
        return dataclasses.replace(src, file=sample, sheet=None, header_row=None), sample

    @property
    def valid(self) -> bool:
        return not any(p["level"] == "error" for p in self.validation)

    def _candidate_source(self) -> TableSource:
        src = self._source(self.table)
        columns = {k: v for k, v in self.mapping.items() if v and k != v}
        values = {k: {str(a): str(b) for a, b in v.items() if b} for k, v in self.values.items()}
        return dataclasses.replace(src, columns=columns, values={k: v for k, v in values.items() if v})

    # -- actions -------------------------------------------------------------------------------------

    def apply_suggestions(self) -> None:
        """Set every column to its suggested canonical name."""
        self.mapping = {c["name"]: c["suggestion"] for c in self.columns}

    def save(self) -> Path:
        """Write the mapping into client.yaml (``tables.<table>``); raises if the mapping is invalid."""
        self._validate()
        errors = [p for p in self.validation if p["level"] == "error"]
        if errors:
            raise MissingColumnError(
                N_("a valid mapping before saving"),
                file=self.file,
                column=errors[0]["column"] or None,
                found=errors[0]["text"],
            )
        src = self._candidate_source()
        table = self.table

        def mutate(data: dict) -> None:
            tables = data.get("tables") or {}
            entry = dict(tables.get(table) or {})
            entry["file"] = src.file
            entry["columns"] = dict(src.columns)
            if src.values:
                entry["values"] = {k: dict(v) for k, v in src.values.items()}
            else:
                entry.pop("values", None)
            tables[table] = entry
            data["tables"] = tables

        self._config = update_client_yaml(self._root, mutate)
        self._extra_file.pop(table, None)
        self.tables = [{"table": k, "file": v.file} for k, v in self._config.tables.items()]
        path = self._root / "client.yaml"
        self.saved_to = str(path)
        mapped = sum(1 for v in self.mapping.values() if v)
        self._say(
            gettext(
                self.lang,
                "saved {count} mapped columns of {table} to {file}",
                count=mapped,
                table=table,
                file=path.name,
            ),
            "ok",
        )
        return path

    def _actions(self) -> dict:
        return {
            "save": lambda _c: self.save(),
            "suggest": lambda _c: self.apply_suggestions(),
        }

    # -- static view ----------------------------------------------------------------------------------

    def to_html(self) -> str:
        rows = [
            (c["name"], ", ".join(c["samples"][:3]), self.mapping.get(c["name"], "") or "—", c["reason"])
            for c in self.columns
        ]
        header = ("client column", "sample values", "canonical column", "why suggested")
        body = static_table([gettext(self.lang, h) for h in header], rows)
        checks = "".join(
            f"<li>{escape(gettext(self.lang, LEVELS.get(p['level'], p['level'])))}: {escape(p['text'])}</li>"
            for p in self.validation[:12]
        )
        return static_box(
            gettext(self.lang, "Column mapping — {table} ({file})", table=self.table, file=self.file),
            body
            + (f"<ul style='margin:6px 0 0 18px;padding:0'>{checks}</ul>" if checks else "")
            + static_message(self),
        )


#: files the mapper offers for a table not in client.yaml yet
DATA_SUFFIXES = (".csv", ".txt", ".xlsx", ".xls", ".parquet")


def unmapped_files(config: ClientConfig) -> list[str]:
    """The data files of the engagement (``data/`` next to client.yaml) no table of client.yaml names yet,
    as paths relative to the client folder, sorted."""
    data = config.path("data")
    named = {config.path(src.file).resolve() for src in config.tables.values()}
    if not data.is_dir():
        return []
    found = [
        p
        for p in sorted(data.iterdir())
        if p.is_file() and p.suffix.lower() in DATA_SUFFIXES and p.resolve() not in named
    ]
    return [p.relative_to(config.root).as_posix() for p in found]


def mapping_source(config: ClientConfig, table: str) -> TableSource | None:
    """The file to map for ``table``: its entry in client.yaml, or else the unmapped data file whose
    columns the suggestions match best to that table's required columns (a new engagement's first
    mapping); None when there is no candidate file."""
    if table in config.tables:
        return config.tables[table]
    spec = TABLES[table]
    required = {c.name for c in spec.columns if c.required}
    best: tuple[tuple[int, int], str] | None = None
    for file in unmapped_files(config):
        try:
            raw = read_raw(config.path(file), TableSource(file=file))
        except CxlabError:
            continue  # a file that cannot be read is not a candidate (cxlab validate names it)
        suggested = set(suggest_mapping(raw.head(SUGGEST_ROWS), table)["suggestion"].dropna())
        rank = (len(suggested & required), len(suggested))
        if best is None or rank > best[0]:
            best = (rank, file)
    return TableSource(file=best[1]) if best else None
