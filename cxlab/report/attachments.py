"""The files that go with the client report: the action plan and the action lists (XLSX and CSV).

Written into the report's output folder — never into the client folder (input files are never modified).
"""

from __future__ import annotations

from pathlib import Path

from ..exports import export_action_lists
from ..intake.write import csv_bytes, write_bytes
from ..recommend import export_action_plan
from .context import ReportContext

ACTION_PLAN = "action_plan"
ACTION_LISTS = "action_lists"
HANDOFF_MATRIX = "handoff_matrix"


def write_attachments(ctx: ReportContext, out_dir: str | Path) -> list[Path]:
    """Write ``action_plan.xlsx/.csv``, ``action_lists.xlsx/.csv`` (call-back and testimonial lists) and
    ``handoff_matrix.csv`` (every department pair) to ``out_dir``; returns the paths written. Lists without
    data are left out."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    if ctx.recommendations:
        for suffix in (".xlsx", ".csv"):
            written.append(
                export_action_plan(ctx.recommendations, out / f"{ACTION_PLAN}{suffix}", lang=ctx.lang)
            )
    matrix = ctx.matrix
    if matrix is not None and len(matrix):
        # the full handoff matrix: the report's charts show only the busiest departments
        written.append(write_bytes(out / f"{HANDOFF_MATRIX}.csv", csv_bytes(matrix, ctx.lang)))
    lists = ctx.action_lists
    if lists:
        named = {"call_back": lists["ultra_detractors"], "testimonials": lists["ultra_promoters"]}
        for suffix in (".xlsx", ".csv"):
            written += export_action_lists(named, out / f"{ACTION_LISTS}{suffix}", lang=ctx.lang)
    return written
