"""Labelling widget for the per-client comment model (active learning).

Shows the comments the current scoring (the lexicon, or the lexicon blended with the model trained on the
labels so far) is least sure of; the consultant marks each positive, negative or neutral and ticks its
themes. Every label is written at once to ``comment_labels.csv`` in the client folder; "next batch"
retrains the model on all labels and picks the next least-sure comments. The report then uses the model
and states how many labels it had (:mod:`cxlab.text.model`)::

    from cxlab.widgets.comment_labeller import CommentLabeller
    CommentLabeller("clients/acme")            # or a loaded Client / Diagnosis
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import traitlets as t

from ..diagnosis import Diagnosis
from ..errors import InvalidValueError
from ..i18n import N_, gettext
from ..intake.comment_labels import labels_path, read_comment_labels, write_comment_labels
from ..text import taxonomy
from ..text.model import least_sure
from ._base import (
    CxWidget,
    asset,
    client_root,
    escape,
    number_or_none,
    static_box,
    static_message,
    static_table,
)

POLARITIES = ("positive", "negative", "neutral")


class CommentLabeller(CxWidget):
    """Label the least-sure comments of a client; the labels train its comment model."""

    _esm = asset("comment_labeller.js")
    #: the shared widget styles followed by this widget's own (anywidget takes the CSS text as well as a path)
    _css = asset("cxlab.css").read_text(encoding="utf-8") + asset("comment_labeller.css").read_text(  # type: ignore[assignment]
        encoding="utf-8"
    )

    #: the comments to label now: {id, comment, sentiment, polarity, themes}
    items: t.List[dict[str, Any]] = t.List().tag(sync=True)
    #: the taxonomy: {key, label}
    themes: t.List[dict[str, str]] = t.List().tag(sync=True)
    #: comments labelled so far (positive or negative: the ones the model learns from)
    labelled = t.Int(0).tag(sync=True)
    #: the model in use ("" = the lexicon alone)
    model_name = t.Unicode("").tag(sync=True)
    file = t.Unicode("").tag(sync=True)

    def __init__(self, client: Any, batch: int = 10, lang: str | None = None, **kwargs: Any) -> None:
        self._root = client_root(client.client if isinstance(client, Diagnosis) else client)
        self._batch = batch
        super().__init__(**kwargs)
        dx = self._diagnosis()
        self.lang = lang or dx.settings.language
        self.themes = [
            {"key": k, "label": th.label(self.lang)} for k, th in taxonomy(dx.settings.text).items()
        ]
        self.file = str(labels_path(self._root))
        self.refresh(dx)

    def _diagnosis(self) -> Diagnosis:
        return Diagnosis.open(self._root)

    @property
    def root(self) -> Path:
        return self._root

    def refresh(self, dx: Diagnosis | None = None) -> None:
        """Retrain on the labels so far and show the next least-sure comments."""
        dx = dx or self._diagnosis()
        labels = read_comment_labels(self._root)
        model = dx.comments.model
        self.model_name = model.name if model is not None else ""
        self.labelled = model.n_labels if model is not None else 0
        analysed = dx.comments.analysed
        if analysed is None:
            self.items = []
            self._say(gettext(self.lang, "This client has no comments to label."))
            return
        picked = least_sure(analysed, labels["comment"] if labels is not None else None, n=self._batch)
        self.items = [
            {
                "id": str(i),
                "comment": str(row["comment"]),
                "sentiment": number_or_none(row["sentiment"]),
                "polarity": "" if pd.isna(row["polarity"]) else str(row["polarity"]),
                "themes": [k for k in str(row.get("themes", "") or "").split(";") if k],
            }
            for i, row in picked.iterrows()
        ]

    def label(self, comment: str, polarity: str, themes: list[str] | tuple[str, ...] = ()) -> Path:
        """Record one label (written to the client's labels file at once)."""
        if polarity not in POLARITIES:
            raise InvalidValueError(
                N_("positive, negative or neutral"), file=labels_path(self._root).name, column="polarity"
            )
        path = write_comment_labels(
            self._root,
            pd.DataFrame({"comment": [comment], "polarity": [polarity], "themes": [";".join(themes)]}),
        )
        self.items = [item for item in self.items if item["comment"] != comment]
        self.saved_to = str(path)
        self._say(gettext(self.lang, "Label saved."), "ok")
        return path

    def _actions(self) -> dict:
        def label(content: dict) -> None:
            self.label(
                str(content.get("comment", "")),
                str(content.get("polarity", "")),
                list(content.get("themes") or []),
            )

        return {"label": label, "refresh": lambda _content: self.refresh()}

    def to_html(self) -> str:
        rows = [(item["comment"], item["polarity"], ", ".join(item["themes"])) for item in self.items]
        title = gettext(self.lang, "Comments to label")
        summary = gettext(self.lang, "{n} comments labelled so far.", n=self.labelled)
        return static_box(
            title,
            f"<p>{escape(summary)}</p>"
            + static_table(["comment", "polarity", "themes"], rows)
            + static_message(self),
        )
