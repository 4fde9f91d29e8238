"""Jupyter widgets for working live with a client (anywidget; front-end files in ``widgets/``).

Each widget has a value the notebook reads back, a save action that writes to the client folder, clear
messages in the widget for invalid edits, and a static HTML view (:meth:`to_html`, also the ``text/html``
fallback of its display) for exported reports. They call the library and hold no analysis logic.
"""

from __future__ import annotations

from ._base import CxWidget, asset, update_client_yaml
from .column_mapper import ColumnMapper
from .culture_form import CultureForm
from .handoff_explorer import HandoffExplorer
from .recommendation_review import RecommendationReview
from .segment_explorer import SegmentExplorer
from .suggest import suggest_mapping

__all__ = [
    "ColumnMapper",
    "CultureForm",
    "CxWidget",
    "HandoffExplorer",
    "RecommendationReview",
    "SegmentExplorer",
    "asset",
    "suggest_mapping",
    "update_client_yaml",
]
