"""Client reports for many clients at once: ``cxlab batch ROOT --out OUT``.

* **Which clients**: every folder under ``ROOT`` that holds a ``client.yaml``, found recursively (a client
  folder is a leaf: nothing inside it is searched; hidden folders, ``__pycache__``, ``node_modules``,
  ``.ipynb_checkpoints`` and ``OUT`` itself are skipped). ``ROOT`` may itself be a client folder (a batch
  of one). Each client's output goes to ``OUT/<path of the client folder relative to ROOT>/``:
  ``report.html`` and the executed ``client_report.ipynb`` (kept for audit, also when it failed).
* **Where they run**: ``jobs=1`` runs in this process; ``jobs=N`` in N worker processes started with
  ``spawn``; ``scheduler=ADDRESS`` on an existing Dask distributed cluster (optional extra
  ``cxlab[dask]``). The job function is the same everywhere, :func:`run_client`: it executes and exports
  in-process (no command-line tools) in the worker's one warm kernel (:class:`~cxlab.report.run.WarmKernel`,
  namespace reset before each client, recycled every ``recycle_after`` clients and after a failure).
* **Failures**: one failing client never stops the others; its error line (the CxlabError message, which
  names the notebook cell when a cell failed) is recorded and shown in the index; a failed notebook is
  never exported as a report (and an older report.html of that client is removed).
* **Skip unchanged**: a content hash of the client's inputs (client.yaml, every data file it names,
  recommendations.yaml, the logo), the parameters (lang, static charts), the cxlab version and code, the
  report templates and the versions of the libraries that shape the output is stored in
  ``OUT/<client>/.cxlab-hash`` (JSON, with the run's key figures for the index) after a successful run;
  a re-run skips a client whose hash did not change and whose report.html is there, unless ``force``.
  Failed clients are always retried.
* ``OUT/index.html``: one self-contained page (inline CSS, no http(s) reference) linking every client's
  report with its status (ok / skipped-unchanged / failed + error), language, time and key figures.

The package, by topic: :mod:`.jobs` (client folders, jobs, outcomes), :mod:`.fingerprint` (content hash
and stamp), :mod:`.worker` (the per-client job in a warm kernel), :mod:`.schedule` (local processes or Dask,
and :func:`run_batch`), :mod:`.index` (the index page), :mod:`.files` (the one file writer).
"""

from ..kernel import skip_unused_iri_grammar

# a batch runs in processes of its own (the command line's and its spawned workers, which import this
# package first): spare each the ~1 s import of a grammar no report uses, before the imports below load
# jsonschema
skip_unused_iri_grammar()

from .fingerprint import HASHED_LIBRARIES, client_digest, environment_digest
from .index import render_index, write_index
from .jobs import (
    FAILED,
    HASH_FILE,
    INDEX_FILE,
    OK,
    REPORT_FILE,
    SKIPPED,
    BatchResult,
    ClientJob,
    ClientOutcome,
    find_clients,
)
from .schedule import run_batch
from .worker import run_client

__all__ = [
    "FAILED",
    "HASHED_LIBRARIES",
    "HASH_FILE",
    "INDEX_FILE",
    "OK",
    "REPORT_FILE",
    "SKIPPED",
    "BatchResult",
    "ClientJob",
    "ClientOutcome",
    "client_digest",
    "environment_digest",
    "find_clients",
    "render_index",
    "run_batch",
    "run_client",
    "write_index",
]
