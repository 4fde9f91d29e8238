"""``recommendations.yaml``: the consultant's decisions on the generated recommendations.

The consultant's judgement wins. The file (in the client folder, written by hand or by the
recommendation-review widget) looks like::

    unreviewed: show          # show (default) | hide: whether recommendations nobody reviewed are shown
    recommendations:
      handoff_pingpong:       # a rule id
        status: accepted      # proposed | accepted | rejected
        text:                 # re-word the recommendation (a string applies to both languages)
          it: Checklist condivisa Vendite–Logistica entro marzo.
          en: Shared Sales–Logistics checklist by March.
        title: ...            # optional, same form; so is evidence
        priority: 20          # 1–25 (impact × urgency scale)
        owner: Logistics
        effort: low           # low | medium | high
        due: 2027-Q1
        note: agreed with the COO on 12/11
      survey_add_cold:
        status: rejected
    custom:                   # recommendations of the consultant's own
      - id: pricing_review
        title: {it: ..., en: ...}
        text: {it: ..., en: ...}
        evidence: ...         # optional
        owner: Sales
        priority: 12
        effort: medium        # default medium
        due: 2027-Q2          # default from the priority
        status: accepted      # default accepted

**Status and what the report shows.** Every generated recommendation starts as ``proposed``. The report
shows ``accepted`` ones, and also ``proposed`` ones while ``unreviewed: show`` (the default) — so an
engagement without decisions yet still gets a report, and a rejection always removes an item. Set
``unreviewed: hide`` once the review is done to show only what was explicitly accepted
(:attr:`AppliedOverrides.accepted`, or ``action_plan(..., accepted_only=True)``, give that list whatever
the file says). Custom entries are ``accepted`` unless they say otherwise. An override for a rule that did not fire is kept and
ignored (listed by :attr:`AppliedOverrides.unmatched`).

Every validation problem is a :class:`~cxlab.errors.ConfigError` naming the file and the key path.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from ..errors import ConfigError
from ..intake.write import save_yaml
from ..safety import MAX_SETTINGS_NODES, expanded_nodes, read_limited_text
from .engine import STATUSES, Recommendation, Status, due_quarter, sort_recommendations
from .rules import EFFORTS, Effort, Text

OVERRIDES_FILE = "recommendations.yaml"
Unreviewed = Literal["show", "hide"]
_QUARTER = re.compile(r"^\d{4}-Q[1-4]$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_OVERRIDE_KEYS = ("status", "title", "text", "evidence", "priority", "owner", "effort", "due", "note")
_CUSTOM_KEYS = ("id", *_OVERRIDE_KEYS)


@dataclass(frozen=True)
class Override:
    """The consultant's changes to one generated recommendation (None = keep the generated value).

    ``title``, ``text`` and ``evidence`` map a language to new wording; a language left out keeps the
    generated sentence.
    """

    status: Status | None = None
    title: Mapping[str, str] | None = None
    text: Mapping[str, str] | None = None
    evidence: Mapping[str, str] | None = None
    priority: float | None = None
    owner: str | None = None
    effort: Effort | None = None
    due: str | None = None
    note: str | None = None

    def changed(self) -> tuple[str, ...]:
        return tuple(f.name for f in dataclasses.fields(self) if getattr(self, f.name) is not None)


@dataclass(frozen=True)
class CustomRecommendation:
    id: str
    text: Mapping[str, str]
    owner: str
    priority: float
    title: Mapping[str, str] | None = None
    evidence: Mapping[str, str] | None = None
    effort: Effort = "medium"
    due: str | None = None
    status: Status = "accepted"
    note: str = ""


@dataclass(frozen=True)
class Overrides:
    unreviewed: Unreviewed = "show"
    recommendations: Mapping[str, Override] = field(default_factory=dict)
    custom: tuple[CustomRecommendation, ...] = ()
    source: str = field(default=OVERRIDES_FILE, compare=False)

    def with_override(self, rule_id: str, **changes: Any) -> Overrides:
        """A copy with ``changes`` merged into the override of ``rule_id`` (for the review widget).

        Values are validated like the file's; pass ``None`` to drop a change.
        """
        current = self.recommendations.get(rule_id, Override())
        merged = {**dataclasses.asdict(current), **changes}
        raw = {k: v for k, v in merged.items() if v is not None}
        override = _parse_override(raw, f"recommendations.{rule_id}", self.source)
        return dataclasses.replace(self, recommendations={**self.recommendations, rule_id: override})


@dataclass(frozen=True)
class AppliedOverrides:
    """The result of applying overrides: all recommendations (with status), and what did not match."""

    recommendations: tuple[Recommendation, ...]
    unmatched: tuple[str, ...]
    unreviewed: Unreviewed = "show"

    @property
    def accepted(self) -> list[Recommendation]:
        """Only what the consultant explicitly accepted (custom ones included), highest priority first.

        Independent of ``unreviewed``: this is the final list once the review is done.
        """
        return [r for r in self.recommendations if r.status == "accepted"]

    @property
    def proposed(self) -> list[Recommendation]:
        """Generated recommendations nobody has accepted or rejected yet."""
        return [r for r in self.recommendations if r.status == "proposed"]

    @property
    def rejected(self) -> list[Recommendation]:
        """What the consultant rejected (never shown in the report)."""
        return [r for r in self.recommendations if r.status == "rejected"]

    @property
    def shown(self) -> list[Recommendation]:
        """What the report shows: the accepted ones, plus the still-unreviewed proposals while the file
        says ``unreviewed: show`` (the default). With ``unreviewed: hide`` this equals :attr:`accepted`."""
        keep = {"accepted", "proposed"} if self.unreviewed == "show" else {"accepted"}
        return [r for r in self.recommendations if r.status in keep]


# --------------------------------------------------------------------------------------------------
# reading and validating


def _fail(file: str, key: str, expected: str, found: object) -> ConfigError:
    return ConfigError(expected, file=file, column=key, found=repr(found))


def _wording(value: Any, key: str, file: str) -> dict[str, str]:
    if isinstance(value, str) and value.strip():
        return {"it": value.strip(), "en": value.strip()}
    if isinstance(value, Mapping) and value:
        unknown = sorted(set(value) - {"it", "en"})
        if unknown:
            raise _fail(file, f"{key}.{unknown[0]}", "the languages it and en", unknown[0])
        out = {}
        for lang, text in value.items():
            if not isinstance(text, str) or not text.strip():
                raise _fail(file, f"{key}.{lang}", "non-empty text", text)
            out[lang] = text.strip()
        return out
    raise _fail(file, key, "text, or a mapping with it / en", value)


def _priority(value: Any, key: str, file: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 1 <= value <= 25:
        raise _fail(file, key, "a number from 1 to 25", value)
    return float(value)


def _fields(data: Mapping[str, Any], where: str, file: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in data.items():
        key = f"{where}.{name}"
        if name == "status":
            if value not in STATUSES:
                raise _fail(file, key, "one of " + ", ".join(STATUSES), value)
            out[name] = value
        elif name in ("title", "text", "evidence"):
            out[name] = _wording(value, key, file)
        elif name == "priority":
            out[name] = _priority(value, key, file)
        elif name == "owner":
            if not isinstance(value, str) or not value.strip():
                raise _fail(file, key, "a department or role", value)
            out[name] = value.strip()
        elif name == "effort":
            if value not in EFFORTS:
                raise _fail(file, key, "one of " + ", ".join(EFFORTS), value)
            out[name] = value
        elif name == "due":
            if not isinstance(value, str) or not _QUARTER.match(value):
                raise _fail(file, key, "a quarter like 2027-Q1", value)
            out[name] = value
        elif name == "note":
            if not isinstance(value, str | int | float) or isinstance(value, bool):
                raise _fail(file, key, "text", value)
            out[name] = str(value)
        elif name == "id":
            if not isinstance(value, str) or not _ID.match(value):
                raise _fail(file, key, "an id of letters, digits, _ . -", value)
            out[name] = value
    return out


def _parse_override(data: Any, where: str, file: str) -> Override:
    if data is None:
        return Override()
    if not isinstance(data, Mapping):
        raise _fail(file, where, "a mapping of changes (status, text, priority, owner, ...)", data)
    unknown = sorted(set(data) - set(_OVERRIDE_KEYS))
    if unknown:
        raise _fail(file, f"{where}.{unknown[0]}", "one of " + ", ".join(_OVERRIDE_KEYS), unknown[0])
    return Override(**_fields(data, where, file))


def _parse_custom(data: Any, where: str, file: str) -> CustomRecommendation:
    if not isinstance(data, Mapping):
        raise _fail(file, where, "a mapping with id, text, owner, priority", data)
    unknown = sorted(set(data) - set(_CUSTOM_KEYS))
    if unknown:
        raise _fail(file, f"{where}.{unknown[0]}", "one of " + ", ".join(_CUSTOM_KEYS), unknown[0])
    for required in ("id", "text", "owner", "priority"):
        if required not in data:
            raise ConfigError("this key", file=file, column=f"{where}.{required}", found="nothing")
    values = _fields(data, where, file)
    return CustomRecommendation(**values)


def overrides_from_dict(data: Any, source: str = OVERRIDES_FILE) -> Overrides:
    """Validate already-parsed YAML (None or an empty document = no decisions yet)."""
    if data is None:
        return Overrides(source=source)
    if not isinstance(data, Mapping):
        raise _fail(source, "", "a YAML mapping at the top level", type(data).__name__)
    allowed = ("unreviewed", "recommendations", "custom")
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise _fail(source, unknown[0], "one of " + ", ".join(allowed), unknown[0])
    unreviewed = data.get("unreviewed", "show")
    if unreviewed not in ("show", "hide"):
        raise _fail(source, "unreviewed", "show or hide", unreviewed)
    recs = data.get("recommendations") or {}
    if not isinstance(recs, Mapping):
        raise _fail(source, "recommendations", "a mapping of rule id -> changes", recs)
    overrides = {str(k): _parse_override(v, f"recommendations.{k}", source) for k, v in recs.items()}
    customs_raw = data.get("custom") or []
    if not isinstance(customs_raw, list):
        raise _fail(source, "custom", "a list of recommendations", customs_raw)
    customs = tuple(_parse_custom(c, f"custom[{i}]", source) for i, c in enumerate(customs_raw))
    ids = [c.id for c in customs]
    for i, cid in enumerate(ids):
        if cid in ids[:i]:
            raise _fail(source, f"custom[{i}].id", "ids unique among custom recommendations", cid)
        if cid in overrides:
            raise _fail(source, f"custom[{i}].id", "an id not used by a rule under recommendations", cid)
    return Overrides(unreviewed=unreviewed, recommendations=overrides, custom=customs, source=source)


def overrides_path(location: Path | str) -> Path:
    p = Path(location)
    return p / OVERRIDES_FILE if p.is_dir() else p


def load_overrides(location: Path | str) -> Overrides:
    """Read ``recommendations.yaml`` from a client folder (or a file path). A missing file = no decisions."""
    path = overrides_path(location)
    if not path.exists():
        return Overrides(source=str(path))
    # a regular UTF-8 file of bounded size, refused when its aliases stand for too many values (cxlab.safety)
    text = read_limited_text(path)
    try:
        if expanded_nodes(yaml.compose(text, Loader=yaml.SafeLoader)) > MAX_SETTINGS_NODES:
            raise ConfigError(
                f"a settings file of at most {MAX_SETTINGS_NODES:,} values once its aliases are expanded",
                file=str(path),
                found="more (an alias bomb?)",
            )
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ConfigError(
            "valid YAML",
            file=str(path),
            rows=[mark.line + 1] if mark else None,
            found=str(getattr(exc, "problem", exc)),
        ) from None
    return overrides_from_dict(data, source=str(path))


# --------------------------------------------------------------------------------------------------
# writing (the review widget saves through these)


def overrides_to_dict(overrides: Overrides) -> dict[str, Any]:
    """The YAML-ready form; only the changes that are set."""

    def plain(obj: Any) -> dict[str, Any]:
        return {
            f.name: dict(v) if isinstance(v, Mapping) else v
            for f in dataclasses.fields(obj)
            if (v := getattr(obj, f.name)) is not None and v != ""
        }

    data: dict[str, Any] = {"unreviewed": overrides.unreviewed}
    data["recommendations"] = {k: plain(v) for k, v in overrides.recommendations.items()}
    data["custom"] = [plain(c) for c in overrides.custom]
    return data


_HEADER = """\
# recommendations.yaml — the consultant's decisions on the generated recommendations.
# Accept, reject, re-word or re-prioritise any rule's output by its id, and add custom ones.
# unreviewed: show (default) shows proposed recommendations too; hide shows only accepted ones.
"""


def save_overrides(overrides: Overrides, location: Path | str) -> Path:
    """Write ``recommendations.yaml`` (a client folder or a file path) atomically; returns the file. An
    existing file keeps its comments and key order (the consultant edits it by hand too)."""
    return save_yaml(overrides_path(location), overrides_to_dict(overrides), header=_HEADER)


# --------------------------------------------------------------------------------------------------
# applying


def _reword(original: Text, change: Mapping[str, str] | None) -> Text:
    if not change:
        return original
    return Text(it=change.get("it", original.it), en=change.get("en", original.en))


def apply_overrides(
    recs: Iterable[Recommendation],
    overrides: Overrides | None,
    as_of: dt.date | None = None,
) -> AppliedOverrides:
    """The recommendations with the consultant's decisions applied, plus custom ones, sorted by priority."""
    recs = list(recs)
    if overrides is None:
        return AppliedOverrides(tuple(recs), ())
    day = as_of or dt.date.today()
    out = []
    for rec in recs:
        o = overrides.recommendations.get(rec.id)
        if o is None:
            out.append(rec)
            continue
        priority = o.priority if o.priority is not None else rec.priority
        out.append(
            dataclasses.replace(
                rec,
                status=o.status or rec.status,
                title=_reword(rec.title, o.title),
                action=_reword(rec.action, o.text),
                evidence=_reword(rec.evidence, o.evidence),
                priority=priority,
                owner=o.owner or rec.owner,
                effort=o.effort or rec.effort,
                due=o.due or (due_quarter(priority, day) if o.priority is not None else rec.due),
                note=o.note or rec.note,
                edited=o.changed(),
            )
        )
    generated = {r.id for r in recs}
    for c in overrides.custom:
        if c.id in generated:
            raise ConfigError(
                "a custom id different from the generated recommendations",
                file=overrides.source,
                column="custom",
                found=repr(c.id),
            )
        text = _reword(Text(it="", en=""), c.text)
        text = Text(it=text.it or text.en, en=text.en or text.it)
        title = _reword(text, c.title) if c.title else text
        evidence = _reword(Text(it="", en=""), c.evidence) if c.evidence else Text(it="", en="")
        out.append(
            Recommendation(
                id=c.id,
                title=Text(it=title.it or title.en, en=title.en or title.it),
                evidence=Text(it=evidence.it or evidence.en, en=evidence.en or evidence.it),
                action=text,
                owner=c.owner,
                effort=c.effort,
                priority=c.priority,
                due=c.due or due_quarter(c.priority, day),
                topic="custom",
                status=c.status,
                source="custom",
                note=c.note,
            )
        )
    unmatched = tuple(sorted(set(overrides.recommendations) - generated))
    return AppliedOverrides(tuple(sort_recommendations(out)), unmatched, overrides.unreviewed)
