"""Demo clients shared by the test session: each is generated once, into the session's temporary folder.

* ``demo_client_dir_full``: the demo client as ``cxlab demo-data`` writes it (600 customers, 4,000 cases,
  seed 7, Italian): the planted findings of ``docs/demo_client.md`` are recovered from it.
* ``demo_client_dir``: a smaller one (150 customers, 1,500 cases, seed 11) for tests that need a folder
  fast rather than the planted effects at full strength.
* ``demo_client_copy``: a private copy of the full one, per test, for tests that write into the folder
  (client.yaml, recommendations.yaml...). The session folders are shared: never write into them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cxlab.demo import generate_demo_client


def copy_client(source: Path, dest: Path) -> Path:
    """A copy of the client folder ``source`` at ``dest`` (a new folder); its path."""
    return Path(shutil.copytree(source, dest))


@pytest.fixture(scope="session")
def demo_client_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small demo client folder, shared by the session: read it, never write into it."""
    return Path(
        generate_demo_client(
            tmp_path_factory.mktemp("demo_small") / "demo", customers=150, cases=1500, seed=11
        )
    )


@pytest.fixture(scope="session")
def demo_client_dir_full(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The full demo client folder, shared by the session: read it, never write into it."""
    return Path(
        generate_demo_client(
            tmp_path_factory.mktemp("demo_full") / "demo", customers=600, cases=4000, seed=7, language="it"
        )
    )


@pytest.fixture()
def demo_client_copy(demo_client_dir_full: Path, tmp_path: Path) -> Path:
    """A private copy of the full demo client for a test that writes into the client folder."""
    return copy_client(demo_client_dir_full, tmp_path / "demo")
