"""The client report: notebook templates executed with papermill, exported as one self-contained HTML page.

Command line: ``cxlab report CLIENT_DIR --out OUT`` and ``cxlab batch ROOT --out OUT --jobs N``.
From Python::

    from cxlab.report import build_report
    result = build_report("clients/acme", "out/acme", lang="it")
    result.html   # out/acme/report.html

Inside the templates (``templates/notebooks/client_report.ipynb``)::

    from cxlab import report
    ctx = report.open_client(client_dir, lang=lang, static_charts=static_charts)
    report.cover(ctx)
    report.executive_summary(ctx)
    report.handoffs_section(ctx)
    ...

Each section function returns a displayable :class:`Section` (or ``None`` when the client's data cannot
support it); cells tagged ``report`` are what the client sees.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

# where each public name lives; imported on first use, so `cxlab report` (run + export) does not pay for
# pandas/altair/analysis imports it never needs in the parent process
_EXPORTS = {
    "write_attachments": "attachments",
    "chart_html": "charts",
    "use_report_renderer": "charts",
    "ReportContext": "context",
    "open_client": "context",
    "export_notebook_file": "export",
    "export_notebook_html": "export",
    "Section": "html",
    "ReportResult": "run",
    "WarmKernel": "kernel",
    "build_report": "run",
    "SECTIONS": "sections",
    "comments_section": "sections",
    "cover": "sections",
    "culture_section": "sections",
    "data_quality_section": "sections",
    "executive_summary": "sections",
    "handoffs_section": "sections",
    "indicators_section": "sections",
    "journey_section": "sections",
    "methodology_section": "sections",
    "recommendations_section": "sections",
    "segments_section": "sections",
}


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'cxlab.report' has no attribute {name!r}")
    return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)


if TYPE_CHECKING:  # pragma: no cover
    from .attachments import write_attachments
    from .charts import chart_html, use_report_renderer
    from .context import ReportContext, open_client
    from .export import export_notebook_file, export_notebook_html
    from .html import Section
    from .kernel import WarmKernel
    from .run import ReportResult, build_report
    from .sections import (
        SECTIONS,
        comments_section,
        cover,
        culture_section,
        data_quality_section,
        executive_summary,
        handoffs_section,
        indicators_section,
        journey_section,
        methodology_section,
        recommendations_section,
        segments_section,
    )

__all__ = [
    "SECTIONS",
    "ReportContext",
    "ReportResult",
    "Section",
    "WarmKernel",
    "build_report",
    "chart_html",
    "comments_section",
    "cover",
    "culture_section",
    "data_quality_section",
    "executive_summary",
    "indicators_section",
    "export_notebook_file",
    "export_notebook_html",
    "handoffs_section",
    "journey_section",
    "methodology_section",
    "open_client",
    "recommendations_section",
    "segments_section",
    "use_report_renderer",
    "write_attachments",
]
