"""Culture workshop form: department representatives answer the questionnaire on a shared screen.

Each submission appends rows (department, respondent, question_id, score, rated_department, answered_at)
to the culture table file named in client.yaml (CSV or XLSX); earlier answers are never overwritten.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pandas as pd
import traitlets as t

from ..config import ClientConfig, TableSource, load_config
from ..errors import FileFormatError, InvalidValueError, MissingColumnError, MissingValueError
from ..i18n import N_, Message, gettext, pgettext, translate
from ..intake import read_raw
from ..intake.write import atomic_write, write_bytes, write_text
from ..questionnaire import PILLARS, QUESTIONS, question
from ..schema import TABLES
from ._base import (
    CxWidget,
    asset,
    client_root,
    escape,
    static_box,
    static_message,
    static_table,
    update_client_yaml,
)

DEFAULT_FILE = "data/workshop.xlsx"
FORM = N_("workshop form")  # where a problem is, in messages about unfinished answers
CULTURE_COLUMNS = TABLES["culture"].column_names


def _read_existing(path: Path, src: TableSource) -> pd.DataFrame | None:
    if not path.exists():
        return None
    return read_raw(path, src)


def _csv_dialect(path: Path) -> tuple[str, str]:
    """(separator, encoding) of an existing CSV, so appended lines match the earlier ones."""
    raw = path.read_bytes()[:65536]
    encoding = "utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8"
    try:
        head = raw.decode(encoding)
    except UnicodeDecodeError:
        encoding, head = "cp1252", raw.decode("cp1252", errors="replace")
    first = head.splitlines()[0] if head.strip() else ""
    sep = max((";", ",", "\t", "|"), key=first.count) if first else ","
    return sep, encoding


def append_rows(path: Path, rows: pd.DataFrame, src: TableSource) -> int:
    """Append rows (client column names) to a CSV or XLSX file, creating it when absent.

    Returns the number of data rows in the file afterwards. Columns of the file that the rows lack are
    left blank; the header of an existing file is never changed.
    """
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".txt", ".xlsx", ".xlsm"):
        raise FileFormatError(N_("a .csv or .xlsx culture file"), file=str(path), found=f"'{suffix}'")
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix in (".csv", ".txt"):
        if not path.exists() or not path.read_bytes().strip():
            write_text(path, rows.to_csv(index=False, lineterminator="\n"))
            return len(rows)
        sep, encoding = _csv_dialect(path)
        header = next(csv.reader([path.read_text(encoding=encoding).splitlines()[0]], delimiter=sep))
        out = rows.reindex(columns=header)
        buffer = io.StringIO()
        out.to_csv(buffer, index=False, header=False, sep=sep, lineterminator="\n")
        existing = path.read_bytes()
        glue = b"" if existing.endswith(b"\n") else b"\n"
        added = buffer.getvalue().encode("utf-8" if encoding == "utf-8-sig" else encoding)
        write_bytes(path, existing + glue + added)  # the whole file, atomically: never half appended
        return len(pd.read_csv(path, sep=sep, encoding=encoding, dtype=str))
    from openpyxl import Workbook, load_workbook  # heavy, and only for .xlsx culture files

    if path.exists():
        book = load_workbook(path)
        sheet = src.sheet
        ws = book[sheet] if isinstance(sheet, str) else book.worksheets[sheet or 0]
        header_row = src.header_row or 1
        header = [c.value for c in ws[header_row]]
        while header and header[-1] is None:
            header.pop()
    else:
        book = Workbook()
        ws = book.active
        ws.title = "culture"
        header = list(rows.columns)
        ws.append(header)
    out = rows.reindex(columns=header).astype(object).where(rows.reindex(columns=header).notna(), None)
    for record in out.itertuples(index=False):  # a workshop submits a dozen rows: a loop is fine
        ws.append(list(record))
        for cell in ws[ws.max_row]:
            if cell.data_type == "f":  # openpyxl makes "=..." a formula: a typed answer stays text
                cell.data_type = "s"
    atomic_write(path, book.save)
    return ws.max_row - (src.header_row or 1)


class CultureForm(CxWidget):
    """The workshop questionnaire as a form; :meth:`submit` appends one respondent's answers.

    The value the notebook reads back is :attr:`answers` (question id -> score 1–5, 0 = not answered)
    with :attr:`department`, :attr:`respondent` and :attr:`rated_department` ("" = own department).
    """

    _esm = asset("culture_form.js")

    department = t.Unicode("").tag(sync=True)
    respondent = t.Unicode("").tag(sync=True)
    rated_department = t.Unicode("").tag(sync=True)
    answers = t.Dict().tag(sync=True)
    departments: t.List[str] = t.List().tag(sync=True)
    #: [{"id", "pillar", "pillar_label", "text", "cross"}] in the form's language
    questions: t.List[dict[str, Any]] = t.List().tag(sync=True)
    file = t.Unicode("").tag(sync=True)
    #: department -> respondents so far (progress shown on the shared screen)
    progress = t.Dict().tag(sync=True)
    submissions = t.Int(0).tag(sync=True)

    def __init__(
        self,
        client: Any,
        file: str | None = None,
        departments: list[str] | None = None,
        lang: str | None = None,
        **kwargs: Any,
    ) -> None:
        self._root = client_root(client)
        self._config: ClientConfig = load_config(self._root)
        super().__init__(lang=lang or self._config.language, **kwargs)
        src = self._config.tables.get("culture")
        self._configured = src is not None
        if src is None:
            self._src = TableSource(file=file or DEFAULT_FILE)
        else:
            self._src = dataclasses.replace(src, file=file) if file else src
        self.file = self._src.file
        self._extra_departments = list(departments or [])
        self.questions = [
            {
                "id": q.id,
                "pillar": q.pillar,
                "pillar_label": translate(PILLARS, q.pillar, self.lang),
                "text": q.text(self.lang),
                "cross": q.cross,
            }
            for q in sorted(QUESTIONS, key=lambda q: list(PILLARS).index(q.pillar))  # one block per pillar
        ]
        self.answers = {q.id: 0 for q in QUESTIONS}
        self._refresh()

    # -- the file ------------------------------------------------------------------------------------

    @property
    def path(self) -> Path:
        return self._config.path(self._src.file)

    def _canonical_to_client(self) -> dict[str, str]:
        names = {canonical: client for client, canonical in self._src.columns.items()}
        return {c: names.get(c, c) for c in CULTURE_COLUMNS}

    def _existing(self) -> pd.DataFrame | None:
        frame = _read_existing(self.path, self._src)
        if frame is None:
            return None
        to_canonical = {v: k for k, v in self._canonical_to_client().items()}
        return frame.rename(columns=to_canonical)

    def _refresh(self) -> None:
        frame = self._existing()
        known: list[str] = []
        progress: dict[str, int] = {}
        if frame is not None and {"department", "respondent"} <= set(frame.columns):
            own = frame
            if "rated_department" in frame.columns:
                rated = frame["rated_department"].astype("string").fillna("").str.strip()
                own = frame[rated == ""]
            known = sorted(frame["department"].dropna().astype("str").unique())
            counts = own.dropna(subset=["department"]).groupby("department")["respondent"].nunique()
            progress = {str(k): int(v) for k, v in counts.items()}
        self.departments = sorted(set(known) | set(self._extra_departments))
        self.progress = progress

    # -- validation and submit -------------------------------------------------------------------------

    def rows(self) -> pd.DataFrame:
        """The answers of the current respondent as canonical culture rows; raises on invalid input."""
        department = self.department.strip()
        if not department:
            raise MissingValueError(
                N_("the respondent's department"), file=FORM, column="department", found=N_("nothing chosen")
            )
        rated = self.rated_department.strip()
        if rated == department:
            rated = ""
        answered = {}
        for qid, score in self.answers.items():
            try:
                q = question(qid)
            except KeyError:
                raise InvalidValueError(
                    N_("a question id of the questionnaire"), file=FORM, column="question_id", found=repr(qid)
                ) from None
            if score in (0, None, ""):
                continue
            if (
                isinstance(score, bool)
                or not isinstance(score, int | float)
                or score % 1
                or not 1 <= score <= 5
            ):
                raise InvalidValueError(N_("a score from 1 to 5"), file=FORM, column=qid, found=repr(score))
            if rated and not q.cross:
                # the question as the form shows it: in the widget's language when the message is
                raise InvalidValueError(
                    Message("only the cross-department questions when rating {department}", department=rated),
                    file=FORM,
                    column=qid,
                    found=Message("an answer to '{question}'", question=Message(q.wording)),
                )
            answered[qid] = int(score)
        if not answered:
            raise MissingValueError(
                N_("at least one answered question"), file=FORM, column="score", found=N_("no answers")
            )
        respondent = self.respondent.strip() or f"{department}-{dt.datetime.now():%Y%m%d-%H%M%S}"
        now = pd.Timestamp.now().floor("s")
        return pd.DataFrame(
            {
                "department": department,
                "respondent": respondent,
                "question_id": list(answered),
                "score": list(answered.values()),
                "rated_department": rated,
                "answered_at": now.isoformat(sep=" "),
            },
            columns=CULTURE_COLUMNS,
        )

    def submit(self) -> Path:
        """Append the current answers to the culture file, then clear the form for the next person."""
        rows = self.rows()
        names = self._canonical_to_client()
        existing_header = None
        if self.path.exists():
            existing = _read_existing(self.path, self._src)
            existing_header = list(existing.columns) if existing is not None else None
        if existing_header is not None:
            for col in ("department", "respondent", "question_id", "score"):
                if names[col] not in existing_header:
                    raise MissingColumnError(
                        Message("a '{column}' column in the culture file", column=names[col]),
                        file=self._src.file,
                        column=names[col],
                        found=Message("columns {names}", names=", ".join(map(repr, existing_header[:8]))),
                    )
            if rows["rated_department"].ne("").any() and names["rated_department"] not in existing_header:
                raise MissingColumnError(
                    N_("a 'rated_department' column to record ratings of another department"),
                    file=self._src.file,
                    column=names["rated_department"],
                    found=N_("no such column"),
                )
        total = append_rows(self.path, rows.rename(columns=names), self._src)
        if not self._configured:
            file = self._src.file

            def mutate(data: dict) -> None:
                tables = data.get("tables") or {}
                tables.setdefault("culture", {"file": file})
                data["tables"] = tables

            self._config = update_client_yaml(self._root, mutate)
            self._configured = True
        who = rows["respondent"].iat[0]
        self.submissions += 1
        self.saved_to = str(self.path)
        self._say(
            gettext(
                self.lang,
                "{n} answers of {who} ({department}) added to {file}: {total} rows in all",
                n=len(rows),
                who=who,
                department=rows["department"].iat[0],
                file=self._src.file,
                total=total,
            ),
            "ok",
        )
        with self.hold_trait_notifications():
            self.answers = {q.id: 0 for q in QUESTIONS}
            self.respondent = ""
            self.rated_department = ""
        self._refresh()
        return self.path

    def _actions(self) -> dict:
        return {"submit": lambda _c: self.submit()}

    # -- static view -------------------------------------------------------------------------------------

    def to_html(self) -> str:
        progress = (
            static_table(
                (
                    pgettext(self.lang, "culture table", "department"),
                    pgettext(self.lang, "culture table", "respondents"),
                ),
                sorted(self.progress.items()),
            )
            if self.progress
            else "<p>" + escape(gettext(self.lang, "No answers yet.")) + "</p>"
        )
        questions = static_table(
            (
                pgettext(self.lang, "culture table", "pillar"),
                pgettext(self.lang, "culture table", "question"),
            ),
            [(q["pillar_label"], q["text"]) for q in self.questions],
        )
        return static_box(
            gettext(self.lang, "Culture workshop — answers go to {file}", file=self.file),
            progress
            + "<details><summary>"
            + escape(gettext(self.lang, "Questions"))
            + "</summary>"
            + questions
            + "</details>"
            + static_message(self),
        )


__all__ = ["CultureForm", "append_rows"]
