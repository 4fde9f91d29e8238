"""Themes of comments from a configurable taxonomy (several themes per comment).

The default taxonomy (``cxlab/text/data/themes.yaml``): delivery, billing, product_quality,
staff_attitude, waiting_time, passed_around, self_service, returns_refunds. A client adds patterns or
themes in ``client.yaml`` under ``text.themes`` (``text.replace_themes: true`` drops the defaults).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from ..config import TextSettings
from ..errors import ConfigError
from ._resources import default_taxonomy, normalise

_NON_CAPTURING = re.compile(r"(?<!\\)\((?!\?)")


@dataclass(frozen=True)
class Theme:
    """One theme: key, labels by language and its patterns (regular expressions at word start)."""

    key: str
    labels: dict[str, str]
    patterns: tuple[str, ...]

    def label(self, lang: str = "en") -> str:
        return self.labels.get(lang) or self.labels.get("en") or self.key.replace("_", " ")

    @property
    def regex(self) -> re.Pattern[str]:
        # groups made non-capturing: pandas warns about capture groups in str.contains
        body = "|".join(_NON_CAPTURING.sub("(?:", p) for p in self.patterns)
        return re.compile(r"(?<!\w)(?:" + body + ")", re.IGNORECASE)


def taxonomy(settings: TextSettings | None = None) -> dict[str, Theme]:
    """The themes in use: the defaults merged with (or replaced by) ``settings.themes``."""
    settings = settings or TextSettings()
    out: dict[str, Theme] = {}
    if not settings.replace_themes:
        for key, spec in default_taxonomy().items():
            out[key] = Theme(key, dict(spec.get("label", {})), tuple(spec["patterns"]))
    for key, patterns in settings.themes.items():
        if isinstance(patterns, str) or not all(isinstance(p, str) and p.strip() for p in patterns):
            raise ConfigError(
                "a list of keywords or regular expressions",
                file="client.yaml",
                column=f"text.themes.{key}",
                found=repr(patterns),
            )
        for p in patterns:
            try:
                re.compile(p)
            except re.error as exc:
                raise ConfigError(
                    "a valid regular expression",
                    file="client.yaml",
                    column=f"text.themes.{key}",
                    found=f"{p!r} ({exc})",
                ) from None
        cleaned = tuple(p.strip() for p in patterns)  # kept as written: lower-casing would turn \D into \d
        if key in out:
            out[key] = Theme(key, out[key].labels, out[key].patterns + cleaned)
        else:
            out[key] = Theme(key, {}, cleaned)
    if not out:
        raise ConfigError("at least one theme", file="client.yaml", column="text.themes", found="none")
    return out


def theme_label(key: str, lang: str = "en", settings: TextSettings | None = None) -> str:
    """Display label of a theme key (falls back to the key with spaces)."""
    theme = taxonomy(settings).get(key)
    return theme.label(lang) if theme else key.replace("_", " ")


def detect_themes(texts: pd.Series, settings: TextSettings | None = None) -> pd.DataFrame:
    """Boolean frame, one column per theme, True when the comment mentions it (same index as texts)."""
    norm = normalise(texts)
    return pd.DataFrame(
        {
            key: norm.str.contains(theme.regex, regex=True).fillna(False).astype(bool)
            for key, theme in taxonomy(settings).items()
        },
        index=texts.index,
    )
