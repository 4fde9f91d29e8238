"""Trainee exercises in the step notebooks: each question's answer computed from the client's diagnosis,
and a self-check that says right or wrong in the notebook's language.

A notebook asks a question in markdown, the trainee writes the answer in a cell (``answer_hot_nps = -16``)
and runs the check cell below it: ``check(answer_hot_nps, exercises.hot_nps(dx), lang=lang)``. The
expected answers are computed, never typed, so the exercises work on any client, not only the demo. An
unanswered exercise (``None``, as in a report run) is "not answered yet", never an error.
"""

from __future__ import annotations

import html
import math
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..config import TableSource
from ..errors import CxlabError
from ..handoffs import nps_per_extra_handoff
from ..i18n import format_number, gettext
from ..intake import Client, load_table

if TYPE_CHECKING:
    from ..diagnosis import Diagnosis


@dataclass(frozen=True)
class Verdict:
    """The outcome of a self-check: ``ok`` is True (right), False (wrong) or None (not answered yet)."""

    ok: bool | None
    text: str

    @property
    def mark(self) -> str:
        return {True: "✔", False: "✘", None: "…"}[self.ok]

    def __repr__(self) -> str:
        return f"{self.mark} {self.text}"

    def _repr_html_(self) -> str:
        colour = {True: "#067647", False: "#b42318", None: "#344054"}[self.ok]
        return (
            f'<p class="cxlab-exercise" data-ok="{str(self.ok).lower()}" style="color:{colour}">'
            f"<strong>{self.mark}</strong> {html.escape(self.text)}</p>"
        )


def _number(value: Any) -> float | None:
    """A trainee's number: an int or float, or text such as ``"-16"``, ``"−16"`` or ``"12,5"``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip().replace("−", "-").replace(",", "."))
        except ValueError:
            return None
    return None


def _same_text(answer: Any, expected: str) -> bool:
    return isinstance(answer, str) and answer.strip().casefold() == expected.strip().casefold()


def _same_names(answer: Any, expected: frozenset[str]) -> bool:
    """A list, tuple or set of names equal to ``expected`` in any order (a department pair has no
    first one), without regard to case or surrounding spaces."""
    if isinstance(answer, str) or not isinstance(answer, Collection):
        return False
    names = [a.strip().casefold() for a in answer if isinstance(a, str)]
    return len(names) == len(answer) and set(names) == {e.strip().casefold() for e in expected}


def check(answer: Any, expected: Any, *, lang: str = "en", tolerance: float = 0.0, name: str = "") -> Verdict:
    """Compare a trainee's ``answer`` with the ``expected`` one: numbers within ``tolerance``, text without
    regard to case or surrounding spaces, True/False exactly, a set of names (``frozenset``) as a list or
    tuple in any order. The right answer is shown only once found."""
    if expected is None:
        return Verdict(None, gettext(lang, "This client's data cannot answer this exercise."))
    if answer is None:
        where = f"`{name}`" if name else gettext(lang, "the cell above")
        return Verdict(
            None,
            gettext(
                lang, "Not answered yet: write your answer in {where} and run this cell again.", where=where
            ),
        )
    if isinstance(expected, bool):
        ok = isinstance(answer, bool) and answer is expected
        shown = gettext(lang, "yes") if expected else gettext(lang, "no")
    elif isinstance(expected, int | float):
        number = _number(answer)
        ok = number is not None and not math.isnan(float(expected)) and abs(number - expected) <= tolerance
        decimals = 0 if float(expected).is_integer() else 1
        shown = format_number(expected, lang, decimals)
    elif isinstance(expected, frozenset):
        ok = _same_names(answer, expected)
        shown = " ↔ ".join(sorted(expected))
    else:
        ok = _same_text(answer, str(expected))
        shown = str(expected)
    if ok:
        return Verdict(True, gettext(lang, "Right: {answer}.", answer=shown))
    return Verdict(
        False,
        gettext(lang, "Not right yet ({answer}): read the output again and try once more.", answer=answer),
    )


# ------------------------------------------------------------------ the expected answers, per notebook
# (None when this client's data cannot answer: check() then says so instead of failing the notebook)
def rows_kept(client: Client, table: str) -> int | None:
    """Step 1: how many rows of ``table`` reached the analyses (``rows_kept`` of the intake summary)."""
    report = client.quality.tables.get(table)
    return None if report is None else report.rows_kept


def rows_dropped_with_date_format(client: Client, table: str, date_format: str) -> int | None:
    """Step 1: how many rows of ``table`` a re-read with ``date_format`` drops (the notebook's "what a
    wrong setting looks like"); None without the table, or when that format fails every row (loading
    then stops with an error instead of dropping)."""
    source = client.config.tables.get(table)
    if source is None:
        return None
    # the same settings the notebook's what-if cell passes, so the answer is the figure it prints
    wrong = TableSource(
        file=source.file,
        columns=source.columns,
        values=source.values,
        sep=source.sep,
        decimal=source.decimal,
        date_format=date_format,
    )
    try:
        _, report = load_table(table, wrong, client.config)
    except CxlabError:
        return None
    return report.rows_dropped


def analysis_date(client: Client) -> str | None:
    """Step 1: the day the analyses treat as "today", as YYYY-MM-DD; None for a client with no table and
    no ``analysis_date`` (the date would only be the day the notebook ran)."""
    if client.config.analysis_date is None and not client.tables:
        return None
    return client.analysis_date.date().isoformat()


def _nps_by_survey(dx: Diagnosis) -> Any:
    nps = dx.indicators.nps
    return None if nps is None or not len(nps) else nps.dropna(subset=["score"]).set_index("survey")


def hot_nps(dx: Diagnosis) -> int | None:
    """Step 2: the client's hot NPS, to the nearest point."""
    nps = _nps_by_survey(dx)
    return None if nps is None or "hot" not in nps.index else int(round(float(nps.at["hot", "score"])))


def hot_interval_below_cold(dx: Diagnosis) -> bool | None:
    """Step 2: whether the hot NPS's 95 % interval lies entirely below the cold NPS's."""
    nps = _nps_by_survey(dx)
    if nps is None or not {"hot", "cold"} <= set(nps.index):
        return None
    return bool(nps.at["hot", "high"] < nps.at["cold", "low"])


def lowest_solid_group(nps_by: Any, column: str) -> str | None:
    """Step 2: the group with the lowest NPS among those with enough answers (not ``small_n``); all groups
    when every one is small."""
    if nps_by is None or column not in nps_by.columns:
        return None
    scored = nps_by.dropna(subset=["score"])
    solid = scored[~scored["small_n"].astype(bool)]
    pool = solid if len(solid) else scored
    return None if not len(pool) else str(pool.sort_values("score").iloc[0][column])


def most_bouncing_pair(dx: Diagnosis) -> frozenset[str] | None:
    """Step 3: the two departments that bounce work most often (the first row of the ping-pong table)."""
    pairs = dx.handoffs.ping_pong
    if pairs is None or not len(pairs):
        return None
    return frozenset((str(pairs["department_a"].iat[0]), str(pairs["department_b"].iat[0])))


def nps_slope(dx: Diagnosis, by: str = "handoffs") -> int | None:
    """Step 3: the NPS points each extra handoff (or extra ``by``) costs, to the nearest point: the
    ``slope`` of the ``nps`` row of *What each extra handoff costs*."""
    linked = dx.handoffs.linked
    if linked is None or by not in linked.columns:
        return None
    lines = nps_per_extra_handoff(linked, dx.settings.indicators, dx.settings.thresholds, by=by)
    nps = lines[lines["metric"] == "nps"]
    # fewer than 3 answers, or all at one number of handoffs: no line, no slope
    slope = nps["slope"].iat[0] if len(nps) and "slope" in nps.columns else None
    return None if slope is None or math.isnan(float(slope)) else int(round(float(slope)))


def worst_solid_stage(stages: Any) -> str | None:
    """Step 3: the journey stage with the lowest NPS among those with enough answers (not ``small_n``);
    all stages with an NPS when every one is small."""
    if stages is None or not len(stages) or "nps" not in stages.columns:
        return None
    scored = stages.dropna(subset=["nps"])
    solid = scored[~scored["small_n"].astype(bool)]
    pool = solid if len(solid) else scored
    return None if not len(pool) else str(pool.sort_values("nps", kind="stable")["stage"].iat[0])


def dilemma_customers(dx: Diagnosis) -> int | None:
    """Step 4: how many customers are in the dilemma segment."""
    table = dx.segments.table
    return None if table is None else int((table["segment"].astype(str) == "dilemma").sum())


def largest_value_segment(dx: Diagnosis) -> str | None:
    """Step 4: the segment that holds the largest share of current value."""
    table = dx.segments.table
    if table is None or not len(table):
        return None
    return str(table.groupby(table["segment"].astype(str), observed=True)["value"].sum().idxmax())


def most_negative_theme(summary: Any) -> str | None:
    """Step 5: the theme (its key, the ``theme`` column) with the most negative comments."""
    if summary is None or not len(summary):
        return None
    return str(summary.sort_values("negative", ascending=False, kind="stable")["theme"].iat[0])


def comments_analysed(dx: Diagnosis) -> int | None:
    """Step 5: how many comments were analysed."""
    analysed = dx.comments.analysed
    return None if analysed is None else len(analysed)


def lowest_culture_department(dx: Diagnosis) -> str | None:
    """Step 6: the department with the lowest overall self-assessment."""
    departments = dx.culture.departments
    if departments is None or not len(departments):
        return None
    return str(departments.sort_values("score", kind="stable")["department"].iat[0])


def widest_pillar(dx: Diagnosis) -> str | None:
    """Step 6: the pillar (its key, the ``pillar`` column) with the widest spread between departments."""
    from ..culture import department_spread

    pillars = dx.culture.pillars
    if pillars is None or not len(pillars):
        return None
    spread = department_spread(pillars)
    return str(spread.sort_values("spread", ascending=False, kind="stable")["pillar"].iat[0])


def rules_triggered(dx: Diagnosis) -> int:
    """Step 7: how many rules of the playbook fired."""
    from ..recommend import rule_status

    return int((rule_status(dx.findings)["state"] == "triggered").sum())


def highest_priority(dx: Diagnosis) -> float | None:
    """Step 7: the highest priority (1–25) of any recommendation."""
    priorities = [r.priority for r in dx.recommendations.recommendations]
    return max(priorities) if priorities else None
