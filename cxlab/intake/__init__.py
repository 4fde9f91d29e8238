"""Client data intake: read a client folder, convert its columns, check them, and write files.

* :mod:`~cxlab.intake.read`: finding and reading the client's files; :class:`Client`, :func:`load_client`;
* :mod:`~cxlab.intake.convert`: columns to their canonical types;
* :mod:`~cxlab.intake.validate`: checks and the data-quality report (:class:`DataQuality`);
* :mod:`~cxlab.intake.write`: the one place that writes files (atomic, permissions kept, one table writer);
* :mod:`~cxlab.intake.suggest`: column-mapping suggestions for a client's file.
"""

from __future__ import annotations

from .read import Client, load_client, load_table, read_raw
from .validate import Action, DataQuality, Issue, Note, TableReport

__all__ = [
    "Action",
    "Client",
    "DataQuality",
    "Issue",
    "Note",
    "TableReport",
    "load_client",
    "load_table",
    "read_raw",
]
