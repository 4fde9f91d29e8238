"""``OUT/index.html``: one self-contained page (inline CSS, no http(s) reference) linking every client's
report with its status (ok / skipped-unchanged / failed + error), language, time and key figures; and
``OUT/batch.json``, the same for machines."""

from __future__ import annotations

import datetime as dt
import html
import json
from dataclasses import asdict
from pathlib import Path
from urllib.parse import quote

from ... import __version__
from ...intake.write import write_text
from ..export import TEMPLATE_NAME, template_root
from .jobs import FAILED, INDEX_FILE, OK, SKIPPED, SUMMARY_FILE, ClientOutcome

_INDEX_CSS = """
:root { --cx-primary: #1f4e79; --cx-accent: #e07b39; }
.cx-summary { display: flex; gap: .8rem; flex-wrap: wrap; margin: 1rem 0; }
.cx-summary .cx-figure { min-width: 140px; }
.cx-status { display: inline-block; padding: .05rem .5rem; border-radius: 999px; font-size: .8rem;
  font-weight: 600; white-space: nowrap; }
.cx-status-ok { background: #dafbe1; color: #116329; }
.cx-status-skipped { background: #ddf4ff; color: #0a3069; }
.cx-status-failed { background: #ffebe9; color: #82071e; }
.cx-error { color: #82071e; font-size: .8rem; max-width: 46rem; word-break: break-word; margin-top: .3rem; }
.cx-kf { margin: 0; padding: 0; list-style: none; font-size: .8rem; }
.cx-kf b { font-variant-numeric: tabular-nums; }
.cx-folder { font-size: .75rem; color: #6e7781; }
.cx-note { color: #7d4e00; font-size: .8rem; margin-top: .3rem; }
.cx-batch { width: 100%; }
.cx-batch td.num, .cx-batch th.num { white-space: nowrap; }
.cx-kf { columns: 2 16rem; column-gap: 1.5rem; }
"""


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _index_row(outcome: ClientOutcome, out: Path) -> str:
    status_label = {OK: "ok", SKIPPED: "skipped (unchanged)", FAILED: "failed"}[outcome.status]
    status = f'<span class="cx-status cx-status-{outcome.status}">{_e(status_label)}</span>'
    if outcome.error:
        status += f'<div class="cx-error">{_e(outcome.error)}</div>'
    if outcome.unreviewed:
        status += (
            f'<div class="cx-note">{outcome.unreviewed} recommendation(s) not reviewed yet '
            "(in the report as proposals)</div>"
        )
    title = _e(outcome.client_name or outcome.name)
    folder = f'<div class="cx-folder">{_e(outcome.name)}</div>'
    report = outcome.report
    if report is not None:
        href = quote(report.relative_to(out).as_posix())
        client = f'<a href="{_e(href)}">{title}</a>{folder}'
        size = f"{outcome.size_bytes / 1e6:.1f} MB"
    else:
        client = f"{title}{folder}"
        size = ""
    figures = "".join(
        f"<li>{_e(f.get('label', ''))}: <b>{_e(f.get('value', ''))}</b></li>" for f in outcome.key_figures
    )
    kf = f'<ul class="cx-kf">{figures}</ul>' if figures else ""
    seconds = f"{outcome.seconds:.1f} s" if outcome.seconds else ""
    return (
        f"<tr><td>{client}</td><td>{status}</td><td>{_e(outcome.lang)}</td>"
        f'<td class="num">{_e(seconds)}</td><td class="num">{_e(size)}</td><td>{kf}</td></tr>'
    )


def render_index(
    outcomes: list[ClientOutcome], out: Path, seconds: float = 0.0, root: Path | None = None
) -> str:
    """The batch index page: self-contained HTML, every value escaped."""
    css = (template_root() / TEMPLATE_NAME / "report.css").read_text(encoding="utf-8") + _INDEX_CSS
    counts = {s: sum(1 for o in outcomes if o.status == s) for s in (OK, SKIPPED, FAILED)}
    cards = "".join(
        f'<div class="cx-figure"><div class="cx-figure-value">{n}</div><div class="cx-figure-label">{_e(label)}</div></div>'
        for n, label in (
            (len(outcomes), "clients"),
            (counts[OK], "reports written"),
            (counts[SKIPPED], "skipped (unchanged)"),
            (counts[FAILED], "failed"),
        )
    )
    rows = "".join(_index_row(o, out) for o in outcomes)
    now = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    source = f" · {_e(root)}" if root else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Client reports</title>
<style>{css}</style>
</head>
<body>
<header class="cx-cover"><p class="cx-kicker">cxlab batch</p><h1>Client reports</h1>
<p class="cx-date">{_e(now)} · {seconds:.1f} s{source}</p></header>
<main class="cx-main">
<section class="cx-section"><div class="cx-summary">{cards}</div>
<div class="cx-table-wrap"><table class="cx-table cx-batch">
<thead><tr><th scope="col">Client</th><th scope="col">Status</th><th scope="col">Language</th>
<th scope="col" class="num">Time</th><th scope="col" class="num">Size</th><th scope="col">Key figures</th></tr></thead>
<tbody>{rows}</tbody></table></div></section>
</main>
<footer class="cx-footer">cxlab {_e(__version__)}</footer>
</body>
</html>
"""


def write_index(
    out: Path, outcomes: list[ClientOutcome], seconds: float = 0.0, root: Path | None = None
) -> Path:
    """Write ``out/index.html`` and a machine-readable ``out/batch.json``; the index path."""
    out = Path(out)
    index = out / INDEX_FILE
    write_text(index, render_index(outcomes, out, seconds, root))
    summary = {"seconds": round(seconds, 2), "clients": [asdict(o) for o in outcomes]}
    write_text(out / SUMMARY_FILE, json.dumps(summary, ensure_ascii=False, indent=1))
    return index
