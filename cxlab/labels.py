"""Label tables read from the message catalogs: ``{key: {lang: label}}`` without a dict per language.

Some tables of short labels (culture pillars, recommendation levers, generic owners) are read by key and
language, ``PILLARS["roles"]["it"]``. :func:`labels_by_language` builds such a table from the English
labels alone; each lookup goes through :func:`cxlab.i18n.pgettext`, so a new language is a new catalog.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from .i18n import available_languages, pgettext


class TranslatedLabel(Mapping[str, str]):
    """One label in every language: ``label["it"]`` is the Italian catalog's entry for the English text
    (the English text itself when a catalog lacks it)."""

    def __init__(self, context: str, english: str) -> None:
        self.context = context
        self.english = english

    def __getitem__(self, lang: str) -> str:
        return pgettext(lang, self.context, self.english)

    def __iter__(self) -> Iterator[str]:
        return iter(available_languages())

    def __len__(self) -> int:
        return len(available_languages())

    def __repr__(self) -> str:
        return f"TranslatedLabel({self.context!r}, {self.english!r})"


def labels_by_language(context: str, english: Mapping[str, str]) -> dict[str, TranslatedLabel]:
    """``{key: English label}`` -> ``{key: TranslatedLabel}``; ``context`` is the catalogs' msgctxt."""
    return {key: TranslatedLabel(context, label) for key, label in english.items()}


def label_of(labels: Mapping[str, Mapping[str, str]], key: str, lang: str) -> str:
    """``labels[key]`` in ``lang``; the key itself when the table has no such key (a client's own
    department as a recommendation's owner, a third-party playbook's lever)."""
    return labels[key][lang] if key in labels else key
