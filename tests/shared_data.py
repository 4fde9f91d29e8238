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

RECEIPT_CLIENT_YAML = Path(__file__).resolve().parent / "data" / "receipt_client" / "client.yaml"


def receipt_client(folder: Path) -> Path:
    """A client folder in ``folder`` whose client.yaml (tests/data/receipt_client) reads a copy of the shared
    receipt.csv (2.3 MB: a client.yaml may name only files inside its folder); returns the folder."""
    import shutil

    import yaml

    config = yaml.safe_load(RECEIPT_CLIENT_YAML.read_text(encoding="utf-8"))
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(DATASETS / "receipt.csv", folder / "receipt.csv")
    config["tables"]["events"]["file"] = "receipt.csv"
    (folder / "client.yaml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return folder
