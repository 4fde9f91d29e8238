"""Where the shared public datasets are (``../shared/datasets`` next to the repository by default).

A clone elsewhere finds them through ``CXLAB_DATASETS`` or the workplace's ``/work/shared/datasets``.
"""

from __future__ import annotations

import os
from pathlib import Path


def datasets_dir() -> Path:
    candidates = [
        os.environ.get("CXLAB_DATASETS"),
        Path(__file__).resolve().parents[2] / "shared" / "datasets",
        "/work/shared/datasets",
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return Path(__file__).resolve().parents[2] / "shared" / "datasets"


DATASETS = datasets_dir()
