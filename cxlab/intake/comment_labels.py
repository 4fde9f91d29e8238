"""The consultant's comment labels, kept in the client folder as ``comment_labels.csv``.

Columns: ``comment`` (the text as in the survey responses), ``polarity`` (positive / negative / neutral;
blank = not judged) and ``themes`` (theme keys joined by ";", optional). One row per labelled comment: a
comment labelled again replaces its earlier label. The labelling widget writes it; the Diagnosis reads it
to train the per-client model (:mod:`cxlab.text.model`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import InvalidValueError, MissingColumnError
from ..i18n import Message
from .write import write_text

LABELS_FILE = "comment_labels.csv"
COLUMNS = ("comment", "polarity", "themes")
POLARITIES = ("positive", "negative", "neutral", "")


def labels_path(root: Path | str) -> Path:
    return Path(root) / LABELS_FILE


def read_comment_labels(root: Path | str) -> pd.DataFrame | None:
    """The labels of the client folder ``root``; None when it has none."""
    path = labels_path(root)
    if not path.is_file():
        return None
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    if "comment" not in frame.columns or "polarity" not in frame.columns:
        missing = "comment" if "comment" not in frame.columns else "polarity"
        raise MissingColumnError(
            Message("the labelled comment and its polarity"), file=LABELS_FILE, column=missing
        )
    if "themes" not in frame.columns:
        frame["themes"] = ""
    frame["polarity"] = frame["polarity"].str.strip().str.lower()
    bad = ~frame["polarity"].isin(POLARITIES)
    if bad.any():
        raise InvalidValueError(
            Message("positive, negative, neutral or blank"),
            file=LABELS_FILE,
            column="polarity",
            rows=[int(i) + 2 for i in frame.index[bad][:5]],
        )
    frame = frame.drop_duplicates("comment", keep="last").reset_index(drop=True)
    return frame[list(COLUMNS)] if len(frame) else None


def write_comment_labels(root: Path | str, labels: pd.DataFrame) -> Path:
    """Merge ``labels`` (columns comment, polarity and optionally themes) into the client's labels file:
    new comments are added, comments already there get the new label. Returns the file's path."""
    new = labels.copy()
    if "themes" not in new.columns:
        new["themes"] = ""
    new = new[list(COLUMNS)].fillna("").astype(str)
    old = read_comment_labels(root)
    merged = new if old is None else pd.concat([old, new], ignore_index=True)
    merged = merged.drop_duplicates("comment", keep="last")
    return write_text(labels_path(root), merged.to_csv(index=False))
