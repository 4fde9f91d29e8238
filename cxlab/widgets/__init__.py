"""Jupyter widgets for working live with a client (anywidget; front-end files in ``widgets/``).

Each widget has a value the notebook reads back, a save action that writes to the client folder, clear
messages in the widget for invalid edits (never a traceback), and a static HTML view (:meth:`to_html`, also
the ``text/html`` fallback of its display) for exported reports: call :func:`drop_widget_state` on an
executed notebook before exporting it to HTML, so that nbconvert uses that static view. The widgets call
the library and hold no analysis logic::

    from cxlab.intake import load_client
    from cxlab.widgets import (ColumnMapper, CultureForm, HandoffExplorer, RecommendationReview,
                               SegmentExplorer)

    ColumnMapper("clients/acme", "customers", file="data/crm.csv")   # -> tables.customers in client.yaml
    CultureForm("clients/acme")                       # appends answers to the culture table file
    client = load_client("clients/acme")
    SegmentExplorer(client)                           # -> segments.* thresholds in client.yaml
    HandoffExplorer(client)                           # -> exports/handoff_<from>_<to>.csv
    RecommendationReview(client)                      # -> recommendations.yaml
"""

from __future__ import annotations

from ..intake.suggest import suggest_mapping
from ._base import CxWidget, asset, drop_widget_state, update_client_yaml
from .column_mapper import ColumnMapper, mapping_source
from .culture_form import CultureForm
from .handoff_explorer import HandoffExplorer
from .recommendation_review import RecommendationReview
from .segment_explorer import SegmentExplorer

__all__ = [
    "ColumnMapper",
    "CultureForm",
    "CxWidget",
    "HandoffExplorer",
    "RecommendationReview",
    "SegmentExplorer",
    "asset",
    "drop_widget_state",
    "mapping_source",
    "suggest_mapping",
    "update_client_yaml",
]
