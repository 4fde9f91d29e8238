"""What every cxlab widget shares: its front-end files, messages shown in the widget, saving.

A widget never lets a traceback reach the consultant: actions coming from the page run through
:meth:`CxWidget._run`, which turns a :class:`~cxlab.errors.CxlabError` (or a file-system error) into the
message bar of the widget. The notebook API (``save()``, ``submit()``) raises as usual.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import anywidget
import traitlets as t
import yaml

from ..config import CONFIG_FILE, ClientConfig, config_from_dict, load_config
from ..errors import CxlabError
from ..i18n import SOURCE_LANGUAGE, gettext, problem_text
from ..intake.write import save_yaml, write_text
from ..resources import widget_files


def asset(name: str) -> Path:
    """Path of a shipped front-end file (``widgets/<name>`` in the repo, ``cxlab/_data/widgets`` in a wheel)."""
    return Path(str(widget_files() / name))


def client_root(client: Any) -> Path:
    """The client folder from a path, a ClientConfig or a loaded Client."""
    if isinstance(client, ClientConfig):
        return Path(client.root)
    config = getattr(client, "config", None)
    if isinstance(config, ClientConfig):
        return Path(config.root)
    path = Path(client)
    return path.parent if path.suffix in (".yaml", ".yml") else path


def atomic_write_text(path: Path, text: str) -> None:
    """Write a file so that a crash never leaves it half written."""
    write_text(path, text)


def update_client_yaml(root: Path | str, mutate: Callable[[dict], None]) -> ClientConfig:
    """Change client.yaml in place: ``mutate`` edits the parsed YAML; keys it does not touch are kept.

    The result is validated with :func:`~cxlab.config.config_from_dict` before anything is written, so
    an invalid change raises :class:`~cxlab.errors.ConfigError` and leaves the file as it was.
    The file's comments and key order are kept.
    """
    root = client_root(root)
    path = root / CONFIG_FILE
    load_config(root)  # the current file must be valid before we touch it
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    mutate(data)
    config = config_from_dict(data, root=root, source=str(path))
    save_yaml(path, data)  # atomically, keeping the file's comments and key order
    return config


class CxWidget(anywidget.AnyWidget):
    """Base of the cxlab widgets: language, a message bar, and safe handling of page actions."""

    _css = asset("cxlab.css")

    #: the language of the labels in the page: English or any language with a catalog (cxlab.i18n)
    lang = t.Unicode("en").tag(sync=True)
    #: the last message shown in the widget (errors, confirmations)
    message = t.Unicode("").tag(sync=True)
    #: "", "ok", "error" or "info"
    status = t.Unicode("").tag(sync=True)
    #: the file written by the last save
    saved_to = t.Unicode("").tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.on_msg(self._on_page_message)

    # -- messages ---------------------------------------------------------------------------------

    def _say(self, text: str, status: str = "info") -> None:
        self.message, self.status = text, status

    def _error(self, text: str) -> None:
        self._say(text, "error")

    def _actions(self) -> dict[str, Callable[[dict], Any]]:
        """Page action name -> handler receiving the message content."""
        return {}

    def _on_page_message(self, _widget: Any, content: Any, _buffers: Sequence[Any]) -> None:
        if not isinstance(content, dict):
            return
        handler = self._actions().get(str(content.get("action")))
        if handler is not None:
            self._run(handler, content)

    #: the action whose failure the error message shows (see :meth:`_attempt`)
    _failed_action: tuple[str, str] | None = None

    def _attempt(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run a page action; problems become the widget's message instead of a traceback. An error is
        cleared when the same action (same arguments) later succeeds without a message of its own: the
        consultant fixed what it named."""
        action = (getattr(fn, "__qualname__", repr(fn)), repr(args))
        shown = (self.message, self.status)
        try:
            result = fn(*args)
        except BaseException:
            self._failed_action = action
            raise
        if self.status == "error" and (self.message, self.status) == shown and self._failed_action == action:
            self._say("", "")
        return result

    def _run(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run a page action; problems become the widget's message instead of a traceback."""
        try:
            return self._attempt(fn, *args)
        except CxlabError as exc:
            self._error(error_text(exc, self.lang))
        except OSError as exc:
            where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
            self._error(f"{where}{exc.strerror or exc}")
        except Exception as exc:  # noqa: BLE001 - the page must show a message, never a traceback
            self._error(
                gettext(self.lang, "unexpected problem ({kind}): {error}", kind=type(exc).__name__, error=exc)
            )
        return None

    # -- static view --------------------------------------------------------------------------------

    def to_html(self) -> str:
        """A static HTML view of the widget's current state (for exported reports)."""
        raise NotImplementedError

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is None:
            return None
        data, metadata = bundle
        # nbconvert falls back to text/html when the notebook holds no widget state (papermill runs)
        try:
            data["text/html"] = self.to_html()
        except Exception as exc:  # noqa: BLE001 - a broken static view must not break the live one
            data["text/html"] = static_box(type(self).__name__, f"<p>{escape(exc)}</p>")
        return data, metadata


def drop_widget_state(notebook: Any) -> Any:
    """Remove the saved widget state of an executed notebook (nbformat node, changed in place).

    papermill/nbclient store the state of every widget in the notebook metadata; nbconvert then embeds
    a widget box that needs the widget manager from a CDN and cannot load anywidget modules offline.
    Without the state, nbconvert falls back to each output's ``text/html``: the static view of the cxlab
    widgets. The report exporter calls this before rendering HTML.
    """
    metadata = notebook.get("metadata", {}) if isinstance(notebook, dict) else notebook.metadata
    metadata.pop("widgets", None)
    return notebook


# ------------------------------------------------------------------------------------------------------
# small HTML helpers for the static views (inline styles: the report has no widget CSS)


def number_or_none(value: Any) -> float | None:
    """A JSON-safe number for the widget's model: NaN, None and text become None."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else v


def escape(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def static_box(title: str, body: str) -> str:
    return (
        '<div class="cxlab-static" style="border:1px solid #d0d7de;border-radius:6px;padding:10px 14px;'
        'margin:6px 0;font-family:system-ui,sans-serif;font-size:13px;max-width:100%;overflow-x:auto">'
        f'<div style="font-weight:600;margin-bottom:6px">{escape(title)}</div>{body}</div>'
    )


def static_table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    cell = 'style="border-bottom:1px solid #eaeef2;padding:3px 8px;text-align:left;vertical-align:top"'
    head = "".join(f"<th {cell}>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td {cell}>{escape(v)}</td>" for v in row) + "</tr>" for row in rows)
    return (
        f'<table style="border-collapse:collapse"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
    )


def error_text(exc: CxlabError, lang: str) -> str:
    """``exc``'s message in the widget's language (:func:`cxlab.i18n.problem_text`): the frame, and the
    expected and found phrases when they are a :class:`~cxlab.i18n.Message` (settings, constraints, intake)
    or a msgid the catalogs hold (the widgets mark theirs with ``N_``). English is ``str(exc)``."""
    if lang == SOURCE_LANGUAGE:
        return str(exc)
    return problem_text(
        lang, exc.file, exc.column, exc.rows, exc.expected, exc.found, exc.where_label, exc.rows_unit
    )


def static_message(widget: CxWidget) -> str:
    if not widget.message:
        return ""
    colour = {"error": "#b42318", "ok": "#067647"}.get(widget.status, "#344054")
    return f'<p style="color:{colour};margin:6px 0 0">{escape(widget.message)}</p>'


__all__ = [
    "CxWidget",
    "asset",
    "atomic_write_text",
    "client_root",
    "drop_widget_state",
    "static_box",
    "static_table",
    "update_client_yaml",
]
