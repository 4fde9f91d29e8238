"""Recommendation review: the generated recommendations as cards; accept, reject, re-word, re-prioritise,
change owner; saves the decisions to ``recommendations.yaml`` (:mod:`cxlab.recommend.overrides`)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import traitlets as t

from .. import findings as findings_module
from ..config import load_config
from ..diagnosis import Diagnosis
from ..errors import ConfigError
from ..i18n import N_, SOURCE_LANGUAGE, Message, gettext, pgettext
from ..intake import load_client
from ..recommend.engine import evaluate
from ..recommend.overrides import (
    apply_overrides,
    load_overrides,
    overrides_from_dict,
    overrides_path,
    overrides_to_dict,
    save_overrides,
)
from ..recommend.rules import OWNERS, Text
from ._base import CxWidget, asset, client_root, static_box, static_message, static_table

#: fields the page may change, and how a value from the page becomes an override value
EDITABLE = ("status", "text", "title", "priority", "owner", "effort", "due", "note")

#: the languages a recommendation's wording is stored in (recommendations.yaml keeps one text per language)
TEXT_LANGUAGES = tuple(f.name for f in dataclasses.fields(Text))


def _text_language(lang: str) -> str:
    """The stored language the page edits: its own, or English (the msgids') for any other."""
    return lang if lang in TEXT_LANGUAGES else SOURCE_LANGUAGE


class RecommendationReview(CxWidget):
    """Review generated recommendations with the client's decisions from ``recommendations.yaml``.

    ``RecommendationReview(client, findings)`` evaluates the playbook on ``findings`` (a
    :class:`~cxlab.findings.Findings` or any mapping of finding key -> value);
    ``RecommendationReview(client, recommendations=evaluate(findings))`` takes them ready-made (as generated,
    before overrides). :meth:`decide` changes one recommendation, :meth:`save` writes the file; the value
    the notebook reads back is :attr:`overrides` (and :attr:`shown`, what the report will show).
    """

    _esm = asset("recommendation_review.js")

    #: the recommendations with the decisions applied, as shown in the page (in :attr:`lang`)
    cards: t.List[dict[str, Any]] = t.List().tag(sync=True)
    #: owner names offered in the page (the generated owners, the playbook's roles)
    owners: t.List[str] = t.List().tag(sync=True)
    unreviewed = t.Unicode("show").tag(sync=True)
    #: unsaved decisions exist
    dirty = t.Bool(False).tag(sync=True)
    file = t.Unicode("").tag(sync=True)

    def __init__(
        self,
        client: Any,
        findings: Mapping[str, Any] | None = None,
        recommendations: Iterable[Any] | None = None,
        lang: str | None = None,
        rules: Iterable[Any] | None = None,
        as_of: dt.date | None = None,
        **kwargs: Any,
    ) -> None:
        self._root = client_root(client)
        config = load_config(self._root)
        super().__init__(lang=lang or config.language, **kwargs)
        self._as_of = as_of
        if recommendations is None:
            if findings is None:
                findings = _collect_findings(client)
            recommendations = evaluate(findings, rules, as_of)
        self._generated = list(recommendations)
        self._path = overrides_path(self._root)
        self._overrides = load_overrides(self._root)
        self.file = self._path.name
        generated_owners = {r.owner for r in self._generated}
        self.owners = sorted(generated_owners | set(OWNERS))
        self._refresh()

    # -- state ---------------------------------------------------------------------------------------

    @property
    def overrides(self) -> Any:
        """The decisions (a :class:`~cxlab.recommend.overrides.Overrides`), saved or not."""
        return self._overrides

    @property
    def recommendations(self) -> list[Any]:
        """Every recommendation with the decisions applied (rejected ones included)."""
        return list(apply_overrides(self._generated, self._overrides, self._as_of).recommendations)

    @property
    def shown(self) -> list[Any]:
        """What the report will show."""
        return apply_overrides(self._generated, self._overrides, self._as_of).shown

    def _refresh(self) -> None:
        lang = _text_language(self.lang)
        cards = []
        for rec in self.recommendations:
            cards.append(
                {
                    "id": rec.id,
                    "title": rec.title.get(lang),
                    "text": rec.action.get(lang),
                    "evidence": rec.evidence.get(lang),
                    "owner": rec.owner,
                    "owner_label": rec.owner_label(lang),
                    "effort": rec.effort,
                    "priority": round(float(rec.priority), 1),
                    "due": rec.due,
                    "status": rec.status,
                    "edited": list(rec.edited),
                    "source": rec.source,
                    "topic": rec.topic,
                    "note": rec.note,
                }
            )
        self.cards = cards
        self.unreviewed = self._overrides.unreviewed

    # -- decisions -----------------------------------------------------------------------------------

    def decide(self, rec_id: str, **changes: Any) -> None:
        """Change one recommendation: ``status`` (proposed / accepted / rejected), ``text`` or ``title``
        (a string = the widget's language; or {it, en}), ``priority`` (1–25), ``owner``, ``effort``,
        ``due`` (2027-Q1), ``note``. ``None`` drops a change. Raises ConfigError on an invalid value."""
        unknown = sorted(set(changes) - set(EDITABLE))
        if unknown:
            raise ConfigError(
                Message("one of {items}", items=", ".join(EDITABLE)),
                file=self.file,
                column=unknown[0],
                found=N_("unknown field"),
            )
        lang = _text_language(self.lang)
        generated = {r.id: r for r in self._generated}
        custom_ids = {c.id for c in self._overrides.custom}
        if rec_id not in generated and rec_id not in custom_ids:
            raise ConfigError(
                N_("the id of a shown recommendation"), file=self.file, column="id", found=repr(rec_id)
            )
        current = self._overrides.recommendations.get(rec_id)
        clean: dict[str, Any] = {}
        for field, value in changes.items():
            if field in ("text", "title") and isinstance(value, str):
                if rec_id in generated:  # a string is the wording in the widget's language
                    base = dict(getattr(current, field) or {}) if current else {}
                    original = generated[rec_id].action if field == "text" else generated[rec_id].title
                    if value.strip() == original.get(lang).strip():
                        base.pop(lang, None)  # back to the generated wording
                        value = base or None
                    else:
                        value = {**base, lang: value}
                else:
                    value = {**_custom_text(self, rec_id, field), lang: value}
            if field == "priority" and isinstance(value, str):
                try:
                    value = float(value.replace(",", "."))
                except ValueError:
                    pass  # the validation below names the bad value
            if field == "status" and value == "proposed" and rec_id in generated:
                value = None  # proposed is the generated state: no override needed
            clean[field] = value
        if rec_id in generated:
            self._overrides = self._overrides.with_override(rec_id, **clean)
            if not self._overrides.recommendations[rec_id].changed():
                rest = {k: v for k, v in self._overrides.recommendations.items() if k != rec_id}
                self._overrides = dataclasses.replace(self._overrides, recommendations=rest)
        else:
            data = overrides_to_dict(self._overrides)
            for entry in data["custom"]:
                if entry["id"] == rec_id:
                    for field, value in clean.items():
                        if value is None:
                            entry.pop(field, None)
                        else:
                            entry[field] = value
            self._overrides = overrides_from_dict(data, source=self._overrides.source)
        self.dirty = True
        self._refresh()

    def add_custom(
        self,
        rec_id: str,
        text: str,
        owner: str,
        priority: float,
        title: str | None = None,
        effort: str = "medium",
    ) -> None:
        """Add a recommendation of the consultant's own (accepted; in the widget's language)."""
        rec_id = str(rec_id).strip()
        if rec_id in {r.id for r in self._generated}:
            raise ConfigError(
                N_("an id different from the generated recommendations"),
                file=self.file,
                column="custom.id",
                found=repr(rec_id),
            )
        lang = _text_language(self.lang)
        if isinstance(priority, str):
            try:
                priority = float(priority.replace(",", "."))
            except ValueError:
                pass  # the validation names the bad value
        entry: dict[str, Any] = {"id": rec_id, "text": {lang: text}, "owner": owner, "priority": priority}
        if title:
            entry["title"] = {lang: title}
        if effort != "medium":
            entry["effort"] = effort
        data = overrides_to_dict(self._overrides)
        data["custom"] = [*data["custom"], entry]
        self._overrides = overrides_from_dict(data, source=self._overrides.source)
        self.dirty = True
        self._refresh()

    def save(self) -> Path:
        """Write the decisions to ``recommendations.yaml`` in the client folder."""
        path = save_overrides(self._overrides, self._root)
        self.dirty = False
        self.saved_to = str(path)
        accepted = sum(1 for c in self.cards if c["status"] == "accepted")
        rejected = sum(1 for c in self.cards if c["status"] == "rejected")
        self._say(
            gettext(
                self.lang,
                "saved to {file}: {accepted} accepted, {rejected} rejected, {unreviewed} not reviewed",
                file=path.name,
                accepted=accepted,
                rejected=rejected,
                unreviewed=len(self.cards) - accepted - rejected,
            ),
            "ok",
        )
        return path

    def _set_from_page(self, content: dict) -> None:
        self.decide(str(content.get("id")), **{str(content.get("field")): content.get("value")})
        if self.status == "error":
            self._say("", "")

    def _actions(self) -> dict:
        def add(content: dict) -> None:
            self.add_custom(
                str(content.get("id") or ""),
                str(content.get("text") or ""),
                str(content.get("owner") or ""),
                content.get("priority"),  # type: ignore[arg-type]
                title=content.get("title") or None,
            )
            if self.status == "error":
                self._say("", "")

        return {"set": self._set_from_page, "save": lambda _c: self.save(), "add": add}

    # -- static view ---------------------------------------------------------------------------------

    def to_html(self) -> str:
        marks = {
            "accepted": gettext(self.lang, "✓ accepted"),
            "rejected": gettext(self.lang, "✗ rejected"),
            "proposed": gettext(self.lang, "proposed"),
        }
        rows = [
            (
                f"{c['priority']:g}",
                marks.get(c["status"], c["status"]),
                c["title"],
                c["text"],
                c["owner_label"],
                c["due"],
            )
            for c in self.cards
        ]
        return static_box(
            gettext(
                self.lang, "Recommendations ({n}) — decisions in {file}", n=len(self.cards), file=self.file
            ),
            static_table(
                (
                    pgettext(self.lang, "recommendation table", "priority"),
                    pgettext(self.lang, "recommendation table", "status"),
                    pgettext(self.lang, "recommendation table", "recommendation"),
                    pgettext(self.lang, "recommendation table", "action"),
                    pgettext(self.lang, "recommendation table", "owner"),
                    pgettext(self.lang, "recommendation table", "due"),
                ),
                rows,
            )
            + static_message(self),
        )


def _custom_text(widget: RecommendationReview, rec_id: str, field: str) -> dict[str, str]:
    for c in widget.overrides.custom:
        if c.id == rec_id:
            return dict(getattr(c, field) or {})
    return {}


def _collect_findings(client: Any) -> Mapping[str, Any]:
    """Findings of a client (a loaded Client or its folder), through the library."""
    collect = getattr(findings_module, "collect_findings", None)
    if collect is None:
        raise ConfigError(
            "findings or recommendations (RecommendationReview(client, findings=...))",
            column="findings",
            found="no cxlab.findings.collect_findings in this version",
        )
    if not hasattr(client, "tables"):
        client = load_client(client_root(client))
    return collect(Diagnosis(client))


__all__ = ["RecommendationReview"]
