"""cxlab's Jupyter server extension: the launcher's *Template* dialog opens on the cxlab notebooks.

jupyterlab_templates lists its own sample group first, and its dialog selects the first group: a
consultant who clicks the tile got a non-cxlab notebook by default. Enabled by the wheel's
``etc/jupyter/jupyter_server_config.d/cxlab.json``, this extension leaves that sample group out
(``JupyterLabTemplates.include_default = False``) unless the user's own config says otherwise. It runs at
the server's link stage, before any extension is loaded, so jupyterlab_templates reads the setting.
"""

from __future__ import annotations

from typing import Any


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "cxlab.jupyter.server"}]


def prefer_cxlab_templates(config: Any) -> None:
    """Set ``JupyterLabTemplates.include_default`` to False in a server's traitlets config, unless set."""
    templates = config.JupyterLabTemplates
    if "include_default" not in templates:
        templates.include_default = False


def _link_jupyter_server_extension(serverapp: Any) -> None:
    prefer_cxlab_templates(serverapp.config)


def _load_jupyter_server_extension(serverapp: Any) -> None:
    """Nothing to serve: the work is done at link time."""
