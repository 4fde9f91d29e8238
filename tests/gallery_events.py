"""A gallery of realistic event-log shapes (ticket and case exports) written as client folders.

Each shape is a small, seeded log written as the client exported it (its own column names, text values,
missing-value markers, UTC offsets …) with the client.yaml that maps it, plus what an independent
computation needs: the raw rows and how to read them. The tests (``test_events_gallery.py``) run
``cxlab validate``, ``cxlab report`` and ``cxlab report --worked-examples`` on each, and check the headline
figures against :func:`expected_figures`, which uses pandas only (none of cxlab's handoff code).

Shapes: ``no_channel``, ``no_customer``, ``lifecycle`` (start/complete pairs), ``minute_ties`` (with a
sequence column), ``missing_departments`` ("?" and blanks), ``many_teams`` (600 teams), ``status_wait``
(a status column with customer-wait states), ``dst`` (waits across daylight-saving changes, UTC offsets in
the file), ``events_only`` (the minimum: four columns, no other table).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

SHAPES = (
    "no_channel",
    "no_customer",
    "lifecycle",
    "minute_ties",
    "missing_departments",
    "many_teams",
    "status_wait",
    "dst",
    "events_only",
)

MISSING = {"", "?", "??", "-", "--", "N/A", "n/a", "#N/A", "null", "NULL", "(null)", "(blank)", "(none)"}
CUSTOMER_WAIT = {"Wait - User", "Waiting for customer"}
THIRD_PARTY_WAIT = {"Wait - Vendor"}


@dataclass
class Shape:
    name: str
    events: pd.DataFrame  # as exported: text columns with the client's names
    config: dict
    columns: dict[str, str]  # client column -> canonical
    timezone: str = "Europe/Rome"
    other_tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    def write(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "data").mkdir(exist_ok=True)
        self.events.to_csv(folder / "data" / "events.csv", index=False)
        for name, frame in self.other_tables.items():
            frame.to_csv(folder / "data" / f"{name}.csv", index=False)
        (folder / "client.yaml").write_text(yaml.safe_dump(self.config, sort_keys=False), encoding="utf-8")
        return folder


def _walk(rng: np.random.Generator, teams: list[str], n_cases: int, weights: np.ndarray | None = None):
    """Cases as lists of (team, activity): a random walk over teams that often bounces back."""
    acts = ["Open", "Review", "Fix", "Check", "Reply", "Close"]
    p = None if weights is None else weights / weights.sum()
    for c in range(n_cases):
        length = int(rng.integers(1, 8))
        team = teams[int(rng.choice(len(teams), p=p))]
        prev = None
        steps = []
        for i in range(length):
            steps.append((team, acts[min(i, len(acts) - 1)] if i < length - 1 else "Close"))
            r = rng.random()
            if r < 0.35:
                continue  # stays in the team
            if r < 0.6 and prev is not None:
                team, prev = prev, team  # bounces back
            else:
                prev, team = team, teams[int(rng.choice(len(teams), p=p))]
        yield c, steps


def _base_rows(rng, teams, n_cases, weights=None, start="2025-03-03 08:00"):
    rows = []
    t0 = pd.Timestamp(start)
    for c, steps in _walk(rng, teams, n_cases, weights):
        t = t0 + pd.Timedelta(minutes=int(rng.integers(0, 60 * 24 * 20)))
        for team, act in steps:
            t = t + pd.Timedelta(minutes=int(rng.integers(1, 60 * 30)))
            rows.append({"case": f"T{c:04d}", "time": t, "act": act, "team": team})
    return pd.DataFrame(rows)


def _fmt(times: pd.Series, fmt: str = "%Y-%m-%d %H:%M:%S") -> pd.Series:
    return times.dt.strftime(fmt)


TEAMS = ["Service Desk", "Network", "Billing", "Field Ops", "Apps", "Security"]


def make_shape(name: str, seed: int = 7) -> Shape:
    rng = np.random.default_rng(seed)
    cols = {"case": "case_id", "time": "timestamp", "act": "activity", "team": "department"}
    other: dict[str, pd.DataFrame] = {}
    tz = "Europe/Rome"
    if name == "many_teams":
        teams = [f"Team {i:03d}" for i in range(600)]
        weights = 1.0 / np.arange(1, 601) ** 0.8  # a long tail, as in real resolver-group logs
        ev = _base_rows(rng, teams, 900, weights)
    else:
        ev = _base_rows(rng, TEAMS, 60)
    ev["time"] = _fmt(ev["time"])
    if name in ("no_channel", "no_customer"):
        cases = ev["case"].unique()
        cust = {c: f"K{int(rng.integers(0, 25)):03d}" for c in cases}
        if name == "no_channel":
            ev["customer"] = ev["case"].map(cust)
            cols["customer"] = "customer_id"
            other["customers"] = pd.DataFrame(
                {
                    "customer_id": sorted(set(cust.values())),
                    "name": [f"Firm {v}" for v in sorted(set(cust.values()))],
                }
            )
            cfg_customers = {"file": "data/customers.csv"}
        else:
            ev["chan"] = ev["case"].map({c: ["phone", "web", "email"][i % 3] for i, c in enumerate(cases)})
            cols["chan"] = "channel"
        answered = rng.choice(cases, size=len(cases) // 2, replace=False)
        last = pd.to_datetime(ev.groupby("case")["time"].max())
        other["responses"] = pd.DataFrame(
            {
                "response_id": [f"R{i}" for i in range(len(answered))],
                "case_id": answered,
                "answered_at": _fmt(last[answered] + pd.Timedelta(hours=5)).to_numpy(),
                "survey": "hot",
                "nps": rng.integers(0, 11, size=len(answered)),
            }
        )
    if name == "lifecycle":
        # every task is a start and a complete event (XES lifecycle:transition); a task completes at the
        # instant the next one starts (a tie), and the export lists the next start first: only the
        # lifecycle order (what ends before what begins) puts the complete before it
        t = pd.to_datetime(ev["time"])
        nxt = t.groupby(ev["case"]).shift(-1)
        done_at = nxt.fillna(t + pd.Timedelta(minutes=7))
        starts = ev.assign(lc="start", _t=t, _k=0)
        done = ev.assign(lc="complete", _t=done_at, _k=1)
        both = pd.concat([starts, done]).sort_values(["case", "_t", "_k"], kind="stable")
        ev = both.assign(time=_fmt(both["_t"])).drop(columns=["_t", "_k"]).reset_index(drop=True)
        cols["lc"] = "lifecycle"
    if name == "minute_ties":
        # minute resolution with many ties; the export's own step number orders them
        t = pd.to_datetime(ev["time"]).dt.floor("D")
        ev["time"] = _fmt(t, "%d/%m/%Y %H:%M")
        ev["step"] = ev.groupby("case").cumcount() + 1
        cols["step"] = "sequence"
        ev = ev.sample(frac=1.0, random_state=seed).reset_index(drop=True)  # the file is not in order
    if name == "missing_departments":
        pick = rng.random(len(ev))
        ev.loc[pick < 0.08, "team"] = "?"
        ev.loc[(pick >= 0.08) & (pick < 0.15), "team"] = ""
    if name == "status_wait":
        states = np.array(["In Progress", "Wait - User", "Wait - Vendor", "Assigned"])
        ev["state"] = states[rng.choice(4, size=len(ev), p=[0.5, 0.25, 0.1, 0.15])]
        cols["state"] = "status"
    if name == "dst":
        tz = "Europe/Amsterdam"
        # local times across both 2025 changes (30 March, 26 October), written with their UTC offsets
        local = pd.to_datetime(ev["time"])
        in_spring = ev["case"].str[1:].astype(int) % 2 == 0
        shift = np.where(
            in_spring,
            pd.Timestamp("2025-03-25") - pd.Timestamp("2025-03-03"),
            pd.Timestamp("2025-10-20") - pd.Timestamp("2025-03-03"),
        )
        instants = (local + pd.to_timedelta(shift)).dt.tz_localize("UTC")
        ev["time"] = instants.dt.tz_convert(tz).map(lambda ts: ts.isoformat())
    config: dict = {
        "name": f"Gallery {name}",
        "language": "en",
        "timezone": tz,
        "tables": {"events": {"file": "data/events.csv", "columns": cols}},
    }
    if name in ("no_channel", "no_customer"):
        config["tables"]["survey_responses"] = {"file": "data/responses.csv"}
        if name == "no_channel":
            config["tables"]["customers"] = cfg_customers
    return Shape(name, ev, config, cols, tz, other)


# ------------------------------------------------------------------------------------------------
# the independent computation (pandas only)


def expected_figures(shape: Shape) -> dict[str, float]:
    """Headline figures by the definitions of the methodology appendix, with plain pandas: events ordered
    by absolute time, then by the order column, then file order; blank departments (and missing-value
    markers) take the department that holds the case; waits after a customer/third-party wait state are not
    internal waits."""
    ev = shape.events.rename(columns=shape.columns).copy()
    ev["row"] = np.arange(len(ev))
    text = ev["timestamp"].astype(str)
    if text.str.contains(r"[+-]\d\d:\d\d$").any():
        ev["t"] = pd.to_datetime(text, utc=True, format="ISO8601")
    else:
        fmt = "%d/%m/%Y %H:%M" if "/" in text.iloc[0] else "%Y-%m-%d %H:%M:%S"
        ev["t"] = pd.to_datetime(text, format=fmt).dt.tz_localize(
            shape.timezone, ambiguous="NaT", nonexistent="shift_forward"
        )
    dept = ev["department"].fillna("").astype(str).str.strip()
    ev["dept"] = dept.where(~dept.isin(MISSING))
    if "sequence" not in ev.columns and "lifecycle" in ev.columns:
        ev["sequence"] = ev["lifecycle"].map({"complete": 0, "start": 1})  # what ends before what begins
    keys = ["case_id", "t"] + (["sequence"] if "sequence" in ev.columns else []) + ["row"]
    ev = ev.sort_values(keys, kind="stable")
    ev["dept"] = ev.groupby("case_id")["dept"].ffill()
    ev["dept"] = ev.groupby("case_id")["dept"].bfill().fillna("unknown")
    status = ev["status"].astype(str) if "status" in ev.columns else pd.Series("", index=ev.index)
    activity = ev["activity"].astype(str)
    ev["outside"] = status.isin(CUSTOMER_WAIT | THIRD_PARTY_WAIT) | activity.isin(
        CUSTOMER_WAIT | THIRD_PARTY_WAIT
    )
    cases = handoffs = pp_cases = 0
    breadth = []
    waits = []
    for _, g in ev.groupby("case_id", sort=False):
        cases += 1
        d = g["dept"].tolist()
        t = g["t"].tolist()
        out = g["outside"].tolist()
        visits = []  # (dept, first index, last index)
        for i, x in enumerate(d):
            if visits and visits[-1][0] == x:
                visits[-1][2] = i
            else:
                visits.append([x, i, i])
        handoffs += len(visits) - 1
        breadth.append(len(set(d)))
        if any(visits[j][0] == visits[j - 2][0] for j in range(2, len(visits))):
            pp_cases += 1
        for j in range(1, len(visits)):
            last = visits[j - 1][2]
            if not out[last]:
                waits.append((t[visits[j][1]] - t[last]).total_seconds() / 3600)
    w = np.asarray(waits)
    return {
        "cases": cases,
        "handoffs": handoffs,
        "ping_pong_share": pp_cases / cases,
        "departments_per_case": float(np.mean(breadth)),
        "median_wait_h": float(np.quantile(w, 0.5)) if len(w) else float("nan"),
        "p90_wait_h": float(np.quantile(w, 0.9)) if len(w) else float("nan"),
        "total_wait_h": float(w.sum()),
    }


# ------------------------------------------------------------------------------------------------
# the report notebook, run in-process


def run_report_notebook(client_dir: Path, output_dir: Path, lang: str = "") -> str:
    """The client report of ``client_dir`` as ``cxlab report`` builds it, without a kernel: every code cell
    of ``client_report.ipynb`` runs here in one namespace (the parameters set as papermill injects them),
    its displayed values formatted as IPython does, and the executed notebook goes through the report's
    HTML export. Raises what a cell raises. Returns the report's HTML."""
    import ast

    import nbformat
    from IPython.core.formatters import DisplayFormatter

    from cxlab.report.export import export_notebook_html
    from cxlab.report.run import REPORT_TEMPLATE, template_path

    nb = nbformat.read(str(template_path(REPORT_TEMPLATE)), as_version=4)
    formatter = DisplayFormatter()
    outputs: list = []

    def show(value: object, kind: str = "display_data") -> None:
        data, metadata = formatter.format(value)
        output = {"output_type": kind, "data": data, "metadata": metadata}
        if kind == "execute_result":
            output["execution_count"] = 1
        outputs.append(nbformat.from_dict(output))

    namespace: dict = {
        "client_dir": str(client_dir),
        "lang": lang,
        "static_charts": False,
        "output_dir": str(output_dir),
        "display": show,
    }
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        outputs = cell.outputs = []
        if "parameters" in cell.metadata.get("tags", []):
            continue  # replaced by the namespace's values, as papermill's injected cell does
        tree = ast.parse(cell.source)
        last = tree.body[-1] if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        body = ast.Module(body=tree.body[:-1] if last else tree.body, type_ignores=[])
        exec(compile(body, "<report cell>", "exec"), namespace)
        if last is not None:
            value = eval(compile(ast.Expression(last.value), "<report cell>", "eval"), namespace)
            if value is not None:
                show(value, "execute_result")
    return export_notebook_html(nb)
