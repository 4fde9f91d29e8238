"""The canonical tables of DESIGN §3, declared once.

Every reader, validator, generator and analysis takes column names, types and ranges from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .i18n import Message

ColumnKind = Literal["id", "text", "category", "datetime", "float", "int", "bool"]


@dataclass(frozen=True)
class Column:
    name: str
    kind: ColumnKind
    required: bool = False
    min: float | None = None
    max: float | None = None
    unique: bool = False
    #: blanks in a required column drop the row unless a fill value is given
    fill: str | None = None
    allowed: tuple[str, ...] | None = None
    help: str = ""

    def expected(self) -> str:
        """What a valid value looks like, for error messages (a :class:`~cxlab.i18n.Message`: a widget
        says it in its own language)."""
        if self.allowed:
            return Message("one of {items}", items=", ".join(self.allowed))
        if self.kind in ("float", "int"):
            whole = self.kind == "int"
            if self.min is not None and self.max is not None:
                low, high = f"{self.min:g}", f"{self.max:g}"
                if whole:
                    return Message("a whole number from {low} to {high}", low=low, high=high)
                return Message("a number from {low} to {high}", low=low, high=high)
            if self.min is not None:
                low = f"{self.min:g}"
                return (
                    Message("a whole number ≥ {low}", low=low)
                    if whole
                    else Message("a number ≥ {low}", low=low)
                )
            return Message("a whole number") if whole else Message("a number")
        if self.kind == "datetime":
            return Message("a date/time")
        if self.kind == "bool":
            return Message("yes/no (true/false, 1/0, sì/no)")
        return Message("a value")


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    help: str = ""

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


SURVEY_TYPES = ("hot", "cold")

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "customers",
            (
                Column("customer_id", "id", required=True, unique=True),
                Column("name", "text"),
                Column("region", "category"),
                Column("segment", "category", help="client's own segment attribute"),
                Column("industry", "category"),
                Column("since", "datetime"),
            ),
            "one row per customer",
        ),
        Table(
            "transactions",
            (
                Column("customer_id", "id", required=True),
                Column("date", "datetime", required=True),
                # negative amounts are returns / credit notes: netted against the customer's sales
                Column("amount", "float", required=True),
                Column("margin", "float"),
                Column("transaction_id", "id"),
                Column(
                    "is_return",
                    "bool",
                    help="a declared return or credit note (document type mapped under values:); "
                    "its amount counts as negative",
                ),
            ),
            "sales transactions",
        ),
        Table(
            "events",
            (
                Column("case_id", "id", required=True),
                Column("timestamp", "datetime", required=True),
                Column("activity", "category", required=True),
                Column("department", "category", required=True, fill="unknown"),
                Column("customer_id", "id"),
                Column("channel", "category"),
                Column("agent", "category"),
                Column("is_customer_contact", "bool"),
                Column("sequence", "float", help="order of the events of a case; breaks timestamp ties"),
                Column("status", "category", help="ticket status (e.g. waiting for the customer)"),
                Column(
                    "lifecycle",
                    "category",
                    help="lifecycle transition (XES: start, complete …); orders a tie when there is no sequence",
                ),
            ),
            "case / ticket event log (journey log)",
        ),
        Table(
            "survey_invitations",
            (
                Column("invitation_id", "id", required=True, unique=True),
                Column("customer_id", "id", required=True),
                Column("sent_at", "datetime", required=True),
                Column("survey", "category", required=True, allowed=SURVEY_TYPES),
                Column("touchpoint", "category"),
                Column("wave", "category"),
                Column("channel", "category"),
                Column("case_id", "id"),
                Column("responded_at", "datetime"),
            ),
            "survey invitations sent",
        ),
        Table(
            "survey_responses",
            (
                Column("response_id", "id", required=True, unique=True),
                Column("customer_id", "id"),
                Column("case_id", "id"),
                Column("invitation_id", "id"),
                Column("answered_at", "datetime", required=True),
                Column("survey", "category", required=True, allowed=SURVEY_TYPES),
                Column("touchpoint", "category"),
                Column("wave", "category"),
                Column("channel", "category"),
                Column("nps", "int", min=0, max=10),
                Column("csat", "int", min=1, max=5),
                Column("ces", "int", min=1, max=7),
                Column("cxi_ease", "int", min=1, max=5),
                Column("cxi_enjoy", "int", min=1, max=5),
                Column("cxi_needs", "int", min=1, max=5),
                Column("comment", "text"),
                Column("followup_at", "datetime", help="first contact with the respondent after the answer"),
            ),
            "survey responses",
        ),
        Table(
            "culture",
            (
                Column("department", "category", required=True),
                Column("respondent", "id", required=True),
                Column("question_id", "category", required=True),
                Column("score", "int", required=True, min=1, max=5),
                Column("rated_department", "category", help="department being rated; blank = own department"),
                Column("answered_at", "datetime"),
            ),
            "department workshop questionnaire",
        ),
    )
}

#: ``DataFrame.attrs`` key where the intake records the time zone of a table's naive local timestamps (the
#: handoff analysis computes waits on absolute time with it)
TIMEZONE_ATTR = "cxlab_timezone"

SCORE_COLUMNS = ("nps", "csat", "ces", "cxi_ease", "cxi_enjoy", "cxi_needs")

#: the date column that places each table's rows in time (the analysis date is checked against it)
DATE_COLUMNS: dict[str, str] = {
    "transactions": "date",
    "events": "timestamp",
    "survey_responses": "answered_at",
    "survey_invitations": "sent_at",
}
