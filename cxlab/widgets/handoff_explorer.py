"""Handoff explorer: pick departments or a handoff pair; see the handoff matrix, the waits, the link to
satisfaction and example cases (ids and timelines) for that pair.

Every figure comes from the client's :class:`~cxlab.diagnosis.Diagnosis` (the same tables the report
quotes); the widget only selects and shows. :meth:`save` writes the
example cases of the chosen pair to ``exports/`` in the client folder, to discuss them with the client.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
import traitlets as t

from ..diagnosis import Diagnosis
from ..errors import ConfigError
from ..handoffs.matrix import busiest_departments
from ..i18n import (
    Message,
    format_duration_hours,
    format_number,
    format_percent,
    format_signed,
    gettext,
    pgettext,
)
from ..intake.write import write_table
from ._base import CxWidget, asset, escape, number_or_none, static_box, static_message, static_table

EXAMPLES = 6  # example cases shown for a pair
METRICS = (
    "count",
    "share_of_cases",
    "median_wait_h",
    "p90_wait_h",
    "total_wait_h",
    "ping_pong_rate",
    "nps_points_lost",
)


class HandoffExplorer(CxWidget):
    """Explore the handoffs between departments of a client (its Diagnosis, a loaded Client or its folder).

    The value the notebook reads back is :attr:`pair` ([from, to]), :attr:`selected_departments` and
    :attr:`detail` (the pair's figures); :meth:`example_cases` returns the example timelines as a table.
    """

    _esm = asset("handoff_explorer.js")

    departments: t.List[str] = t.List().tag(sync=True)
    #: departments shown in the matrix ([] = all, or the busiest ``activities.top_departments`` of a log
    #: with more departments than that)
    selected_departments: t.List[str] = t.List().tag(sync=True)
    #: the departments the matrix draws, busiest first (the selection, else all or the busiest)
    shown_departments: t.List[str] = t.List().tag(sync=True)
    #: the chosen handoff [from_department, to_department]
    pair: t.List[str] = t.List().tag(sync=True)
    #: which figure colours the matrix (one of METRICS)
    metric = t.Unicode("total_wait_h").tag(sync=True)
    #: one row per department pair shown: from, to and the figures of METRICS
    matrix: t.List[dict] = t.List().tag(sync=True)
    #: figures of the chosen pair (matrix row + NPS with / without the handoff; ``nps_gap`` is the report's
    #: NPS change, with − without: negative = worse)
    detail = t.Dict().tag(sync=True)
    #: example cases of the chosen pair with their timelines
    examples: t.List[dict] = t.List().tag(sync=True)
    #: NPS by number of handoffs per case: [{"bucket", "cases", "nps", "nps_low", "nps_high"}]
    by_handoffs: t.List[dict] = t.List().tag(sync=True)

    def __init__(
        self, client: Any, pair: tuple[str, str] | None = None, lang: str | None = None, **kwargs: Any
    ) -> None:
        dx = Diagnosis.of(client)
        self.dx = dx
        config = dx.settings
        self._root = Path(config.root)
        dx.client.require("events", "the handoff explorer")
        ho = dx.handoffs
        if ho.prepared_events is None or ho.matrix is None or ho.cases is None or ho.transitions is None:
            raise ConfigError("events in the events table", column="events", found="no rows")
        self._events, self._matrix, self._cases, self._handoffs = (
            ho.prepared_events,
            ho.matrix,
            ho.cases,
            ho.transitions,
        )
        self._linked = ho.linked
        self._pair_sat = ho.satisfaction_by_pair
        sb = ho.satisfaction_by_handoffs
        by_handoffs = [
            {
                "bucket": str(r["bucket"]),
                "cases": int(r["cases"]),
                "nps": number_or_none(r["nps"]),
                "nps_low": number_or_none(r["nps_low"]),
                "nps_high": number_or_none(r["nps_high"]),
                "small_n": bool(r["small_n"]),
            }
            for r in (sb.to_dict("records") if sb is not None else [])
        ]
        departments = sorted(str(d) for d in self._events["department"].cat.categories)
        top = ho.top
        default = [top.from_department, top.to_department] if top is not None else []
        super().__init__(
            lang=lang or config.language, departments=departments, by_handoffs=by_handoffs, **kwargs
        )
        self.observe(self._on_selection, names=["selected_departments", "pair"])
        self.observe(lambda _c: self._run(self._check_metric), names="metric")
        self._run(self._show_matrix)
        if pair is not None:
            self.pair = list(pair)
        else:
            self.pair = default

    # -- selection -------------------------------------------------------------------------------------

    def _check_metric(self) -> None:
        if self.metric not in METRICS:
            raise ConfigError("one of " + ", ".join(METRICS), column="metric", found=repr(self.metric))

    def _on_selection(self, change: dict) -> None:
        if change["name"] == "selected_departments":
            self._run(self._show_matrix)
        self._run(self._show_pair)

    def _matrix_rows(self) -> pd.DataFrame:
        m = self._matrix
        if self._pair_sat is not None:
            m = m.merge(
                self._pair_sat[
                    [
                        "from_department",
                        "to_department",
                        "nps_with",
                        "nps_without",
                        "nps_change",
                        "nps_points_lost",
                        "significant",
                        "n_with",
                    ]
                ],
                on=["from_department", "to_department"],
                how="left",
            )
            # one NPS difference, signed as in the report (with − without); the front end shows nps_gap
            m = m.rename(columns={"nps_change": "nps_gap"})
        return m

    def _show_matrix(self) -> None:
        chosen = [d for d in self.selected_departments]
        unknown = sorted(set(chosen) - set(self.departments))
        if unknown:
            raise ConfigError(
                Message(
                    "departments of the events table: {departments}", departments=", ".join(self.departments)
                ),
                column="department",
                found=repr(unknown[0]),
            )
        m = self._matrix_rows()
        if not chosen:
            # every department of a small log; the busiest of a log with hundreds (a 649 × 649 table is
            # unreadable): picking departments shows any of them
            top = self.dx.settings.activities.top_departments
            if len(self.departments) > top:
                chosen = busiest_departments(self._matrix, top)
        if chosen:
            ends = m["from_department"].astype(str).isin(chosen), m["to_department"].astype(str).isin(chosen)
            # the handoffs among the chosen departments; one department alone has no handoff with itself,
            # so it shows its handoffs to and from every other department
            m = m[ends[0] | ends[1]] if len(set(chosen)) == 1 else m[ends[0] & ends[1]]
        self.shown_departments = list(chosen) if chosen else list(self.departments)
        self.matrix = [
            {
                "from": str(r["from_department"]),
                "to": str(r["to_department"]),
                **{k: number_or_none(r.get(k)) for k in METRICS},
            }
            for r in m.to_dict("records")
        ]

    def _show_pair(self) -> None:
        if not self.pair:
            self.detail, self.examples = {}, []
            return
        if len(self.pair) != 2:
            raise ConfigError("a pair [from department, to department]", column="pair", found=repr(self.pair))
        a, b = (str(x) for x in self.pair)
        m = self._matrix_rows()
        row = m[(m["from_department"].astype(str) == a) & (m["to_department"].astype(str) == b)]
        if row.empty:
            self.detail = {"from": a, "to": b, "count": 0}
            self.examples = []
            self._say(
                gettext(self.lang, "no case is handed from {source} to {target}", source=a, target=b), "info"
            )
            return
        if self.status == "info":
            self._say("", "")
        r = row.iloc[0].to_dict()
        self.detail = {
            "from": a,
            "to": b,
            **{
                k: (bool(r[k]) if k == "significant" and not pd.isna(r[k]) else number_or_none(r.get(k)))
                for k in (
                    *METRICS,
                    "cases",
                    "mean_wait_h",
                    "nps_with",
                    "nps_without",
                    "nps_gap",
                    "significant",
                    "n_with",
                )
                if k in r
            },
        }
        self.examples = self._examples(a, b)

    def _examples(self, a: str, b: str) -> list[dict]:
        h = self._handoffs
        hits = h[(h["from_department"].astype(str) == a) & (h["to_department"].astype(str) == b)]
        top = (
            hits.sort_values("wait_hours", ascending=False, kind="stable")
            .drop_duplicates("case_id")
            .head(EXAMPLES)
        )
        ids = top["case_id"].tolist()
        cases = self._cases.set_index("case_id").loc[ids]
        ev = self._events[self._events["case_id"].isin(ids)]
        nps = {}
        if self._linked is not None and "nps" in self._linked.columns:
            linked = self._linked[self._linked["case_id"].isin(ids)].dropna(subset=["nps"])
            nps = linked.groupby("case_id")["nps"].first().to_dict()
        out = []
        for case_id, wait in zip(ids, top["wait_hours"], strict=True):  # a handful of example cases
            c = cases.loc[case_id]
            timeline = ev[ev["case_id"] == case_id]
            out.append(
                {
                    "case_id": str(case_id),
                    "customer_id": None if pd.isna(c.get("customer_id")) else str(c.get("customer_id")),
                    "wait_hours": number_or_none(wait),
                    "handoffs": int(c["handoffs"]),
                    "ping_pongs": int(c["ping_pongs"]),
                    "chasers": int(c["chasers"]),
                    "lead_time_hours": number_or_none(c["lead_time_hours"]),
                    "nps": number_or_none(nps.get(case_id)),
                    "events": [
                        {
                            "t": pd.Timestamp(e["timestamp"]).strftime("%Y-%m-%d %H:%M"),
                            "department": str(e["department"]),
                            "activity": str(e["activity"]),
                            "agent": "" if pd.isna(e.get("agent")) else str(e.get("agent")),
                            "contact": bool(e.get("is_contact", False)),
                        }
                        for e in timeline.to_dict("records")
                    ],
                }
            )
        return out

    # -- export ----------------------------------------------------------------------------------------------

    def example_cases(self) -> pd.DataFrame:
        """The example timelines of the chosen pair: one row per event."""
        rows = [
            {
                "case_id": ex["case_id"],
                "customer_id": ex["customer_id"],
                "wait_hours": ex["wait_hours"],
                "nps": ex["nps"],
                **e,
            }
            for ex in self.examples
            for e in ex["events"]
        ]
        frame = pd.DataFrame(
            rows,
            columns=[
                "case_id",
                "customer_id",
                "wait_hours",
                "nps",
                "t",
                "department",
                "activity",
                "agent",
                "contact",
            ],
        )
        return frame.rename(columns={"t": "timestamp"})

    def save(self) -> Path:
        """Write the example cases of the chosen pair to ``exports/handoff_<from>_<to>.csv``."""
        if not self.examples:
            raise ConfigError("a handoff pair with cases", column="pair", found=repr(self.pair))
        slug = "_".join(re.sub(r"[^A-Za-z0-9]+", "-", str(x)).strip("-").lower() for x in self.pair)
        path = self._root / "exports" / f"handoff_{slug}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        write_table(self.example_cases(), path, self.lang)
        self.saved_to = str(path)
        self._say(
            gettext(
                self.lang, "{n} example cases saved to exports/{file}", n=len(self.examples), file=path.name
            ),
            "ok",
        )
        return path

    def _actions(self) -> dict:
        return {"save": lambda _c: self.save()}

    # -- static view ---------------------------------------------------------------------------------------

    def to_html(self) -> str:
        lang = self.lang
        top = sorted(self.matrix, key=lambda r: -(r.get("total_wait_h") or 0))[:8]
        rows = [
            (
                f"{r['from']} → {r['to']}",
                format_number(r["count"], lang),
                format_duration_hours(r["median_wait_h"], lang),
                format_duration_hours(r["p90_wait_h"], lang),
                format_percent(r["ping_pong_rate"], lang),
                # one sign convention (negative = worse): the points the handoff costs the overall NPS
                format_signed(-r["nps_points_lost"], lang, 1)
                if r.get("nps_points_lost") is not None
                else "–",
            )
            for r in top
        ]
        d = self.detail
        pair = ""
        if d.get("count"):
            chosen = f"<b>{escape(d['from'])} → {escape(d['to'])}</b>"
            cases = escape(", ".join(ex["case_id"] for ex in self.examples))
            pair = (
                "<p>"
                + gettext(lang, "Selected: {pair}; example cases: {cases}", pair=chosen, cases=cases)
                + "</p>"
            )
        header = (
            pgettext(lang, "handoff explorer", "handoff"),
            pgettext(lang, "handoff explorer", "handoffs"),
            pgettext(lang, "handoff explorer", "median wait"),
            pgettext(lang, "handoff explorer", "p90 wait"),
            pgettext(lang, "handoff explorer", "ping-pong"),
            pgettext(lang, "handoff explorer", "effect on overall NPS (points)"),
        )
        return static_box(
            gettext(lang, "Handoffs between departments (by total waiting time)"),
            static_table(header, rows) + pair + static_message(self),
        )


__all__ = ["HandoffExplorer"]
