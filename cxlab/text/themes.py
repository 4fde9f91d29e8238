"""Themes of comments from a configurable taxonomy (several themes per comment).

The default taxonomy (``cxlab/text/data/themes.yaml``): delivery, billing, price_value, product_quality,
staff_attitude, customer_service, waiting_time, passed_around, self_service, returns_refunds.

Default themes are written as *terms* over tokens, matched in time linear in the input (no regular
expression runs over the comment text, so no input can make the matching backtrack):

* a term is a sequence of token specs separated by spaces: ``word`` (exact), ``prefix*`` (word start),
  ``a|b*|c`` (alternatives), ``@lemma`` (any form whose simplemma lemma is ``lemma``: "@rendere"),
  ``?`` (any one word);
* ``A ... B`` matches when B starts at most ``GAP_TOKENS`` words after A in the same comment;
* ``exclude`` terms cancel a match whose first word they cover: "kind" is staff, "kind of" is not.

A client adds patterns or themes in ``client.yaml`` under ``text.themes`` as regular expressions
(``text.replace_themes: true`` drops the defaults). Those are checked when loaded: a pattern with a
nested repeat ("(a+)+") or a back-reference, the forms that backtrack catastrophically, is refused; it runs
on the comment with over-long tokens removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import pandas as pd

from ..config import TextSettings
from ..errors import ConfigError
from ._resources import LANGUAGES, MAX_TOKEN_CHARS, Tokens, default_taxonomy, lemma, normalise, tokenise

_NON_CAPTURING = re.compile(r"(?<!\\)\((?!\?)")
#: the most words ``A ... B`` lets between its two parts
GAP_TOKENS = 12
_LONG_TOKEN = re.compile(rf"\S{{{MAX_TOKEN_CHARS + 1},}}")
#: a group that contains a repeat and is itself repeated: "(a+)+", "(a|aa)*" ... and back-references
_NESTED_REPEAT = re.compile(r"\((?:[^()\\]|\\.)*(?:[+*}]|\|)(?:[^()\\]|\\.)*\)\s*(?:[+*]|\{\d*,)")
_BACKREF = re.compile(r"\\[1-9]|\(\?P=")


@dataclass(frozen=True)
class Theme:
    """One theme: key, labels by language, token ``terms`` and ``exclude`` terms (defaults) and the
    client's regular-expression ``patterns``."""

    key: str
    labels: dict[str, str]
    patterns: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()
    exclude: tuple[str, ...] = field(default=())

    def label(self, lang: str = "en") -> str:
        return self.labels.get(lang) or self.labels.get("en") or self.key.replace("_", " ")

    @property
    def regex(self) -> re.Pattern[str] | None:
        """The client's patterns as one regex (None without patterns)."""
        if not self.patterns:
            return None
        # groups made non-capturing: pandas warns about capture groups in str.contains
        body = "|".join(_NON_CAPTURING.sub("(?:", p) for p in self.patterns)
        return re.compile(r"(?<!\w)(?:" + body + ")", re.IGNORECASE)


def check_pattern(pattern: str, key: str) -> None:
    """Refuse a client theme pattern that is not a valid regex or that can backtrack catastrophically."""
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ConfigError(
            "a valid regular expression",
            file="client.yaml",
            column=f"text.themes.{key}",
            found=f"{pattern!r} ({exc})",
        ) from None
    if _NESTED_REPEAT.search(pattern) or _BACKREF.search(pattern):
        raise ConfigError(
            "a regular expression without a repeated group that itself repeats (such as '(a+)+') and without "
            "back-references: they can take exponential time",
            file="client.yaml",
            column=f"text.themes.{key}",
            found=repr(pattern),
        )


def taxonomy(settings: TextSettings | None = None) -> dict[str, Theme]:
    """The themes in use: the defaults merged with (or replaced by) ``settings.themes``."""
    settings = settings or TextSettings()
    out: dict[str, Theme] = {}
    if not settings.replace_themes:
        for key, spec in default_taxonomy().items():
            out[key] = Theme(
                key,
                dict(spec.get("label", {})),
                tuple(spec.get("patterns", ())),
                tuple(spec.get("terms", ())),
                tuple(spec.get("exclude", ())),
            )
    for key, patterns in settings.themes.items():
        if isinstance(patterns, str) or not all(isinstance(p, str) and p.strip() for p in patterns):
            raise ConfigError(
                "a list of keywords or regular expressions",
                file="client.yaml",
                column=f"text.themes.{key}",
                found=repr(patterns),
            )
        for p in patterns:
            check_pattern(p, key)
        cleaned = tuple(p.strip() for p in patterns)  # kept as written: lower-casing would turn \D into \d
        if key in out:
            old = out[key]
            out[key] = Theme(key, old.labels, old.patterns + cleaned, old.terms, old.exclude)
        else:
            out[key] = Theme(key, {}, cleaned)
    if not out:
        raise ConfigError("at least one theme", file="client.yaml", column="text.themes", found="none")
    return out


def theme_label(key: str, lang: str = "en", settings: TextSettings | None = None) -> str:
    """Display label of a theme key (falls back to the key with spaces)."""
    theme = taxonomy(settings).get(key)
    return theme.label(lang) if theme else key.replace("_", " ")


# ---------------------------------------------------------------------------------------------- terms


@dataclass(frozen=True)
class _Term:
    head: tuple[int, ...]  # spec ids of the words of the first part
    tail: tuple[int, ...]  # spec ids of the part after "...", () without a gap


class _Compiled:
    """All token specs of a taxonomy, and its terms per theme as tuples of spec ids."""

    def __init__(self, themes: dict[str, Theme]):
        self.specs: list[str] = []
        self._ids: dict[str, int] = {}
        self.terms: dict[str, list[_Term]] = {}
        self.exclude: dict[str, list[_Term]] = {}
        for key, theme in themes.items():
            self.terms[key] = [self._term(t) for t in theme.terms]
            self.exclude[key] = [self._term(t) for t in theme.exclude]
        # lookup tables: exact word -> spec ids, prefix -> spec ids, lemma -> spec ids
        self.exact: dict[str, list[int]] = {}
        self.prefix: dict[str, list[int]] = {}
        self.lemmas: dict[str, list[int]] = {}
        self.any_word: list[int] = []
        for i, spec in enumerate(self.specs):
            for alt in spec.split("|"):
                if alt == "?":
                    self.any_word.append(i)
                elif alt.startswith("@"):
                    self.lemmas.setdefault(alt[1:], []).append(i)
                elif alt.endswith("*"):
                    self.prefix.setdefault(alt[:-1], []).append(i)
                else:
                    self.exact.setdefault(alt, []).append(i)
        self.max_prefix = max(map(len, self.prefix), default=0)

    def _spec(self, spec: str) -> int:
        if spec not in self._ids:
            self._ids[spec] = len(self.specs)
            self.specs.append(spec)
        return self._ids[spec]

    def _term(self, term: str) -> _Term:
        head, _, tail = term.lower().partition("...")
        return _Term(tuple(self._spec(s) for s in head.split()), tuple(self._spec(s) for s in tail.split()))

    def vocab_masks(self, vocab: np.ndarray) -> np.ndarray:
        """(n_specs, V) bool: which vocabulary words each spec matches (a loop over the vocabulary only)."""
        out = np.zeros((len(self.specs), len(vocab)), dtype=bool)
        is_word = np.array([w[:1].isalpha() for w in vocab], dtype=bool)
        for i in self.any_word:
            out[i] = is_word
        for j, w in enumerate(vocab):
            if not is_word[j]:
                continue
            for i in self.exact.get(w, ()):
                out[i, j] = True
            for k in range(1, min(len(w), self.max_prefix) + 1):
                for i in self.prefix.get(w[:k], ()):
                    out[i, j] = True
            if self.lemmas:
                for lang in LANGUAGES:
                    for i in self.lemmas.get(lemma(w, lang), ()):
                        out[i, j] = True
        return out


@cache
def _compiled(themes_key: tuple) -> _Compiled:
    themes = {k: Theme(k, {}, (), terms, excl) for k, terms, excl in themes_key}
    return _Compiled(themes)


class _Positions:
    """Positions of the words each spec matches, looked up through an index of the candidate positions
    by vocabulary code (built once per batch) and cached per spec: a term costs the number of its
    matches, not a pass over the whole batch."""

    def __init__(self, masks: np.ndarray, cand: np.ndarray, cand_codes: np.ndarray, n_vocab: int):
        order = np.argsort(cand_codes, kind="stable")  # positions of one word stay in order
        self.masks, self.cand, self.cand_codes = masks, cand, cand_codes
        self.by_code = cand[order]
        self.bounds = np.searchsorted(cand_codes[order], np.arange(n_vocab + 1))
        self._cache: dict[int, np.ndarray] = {}

    def __call__(self, spec: int) -> np.ndarray:
        found = self._cache.get(spec)
        if found is None:
            codes = np.flatnonzero(self.masks[spec])
            lo, hi = self.bounds[codes], self.bounds[codes + 1]
            lens = hi - lo
            total = int(lens.sum())
            if total > len(self.cand) // 4:  # a frequent spec ("?", any word): one pass is cheaper
                found = self.cand[self.masks[spec][self.cand_codes]]
            else:
                first = np.concatenate([[0], np.cumsum(lens)[:-1]]) if len(lens) else lens
                idx = np.repeat(lo, lens) + np.arange(total) - np.repeat(first, lens)
                found = np.sort(self.by_code[idx])
            self._cache[spec] = found
        return found


def _starts(
    tokens: Tokens, masks: np.ndarray, specs: tuple[int, ...], ends: np.ndarray, first: _Positions
) -> np.ndarray:
    """Sorted positions where the word sequence ``specs`` starts (inside one comment)."""
    t = len(tokens.codes)
    pos = first(specs[0])
    for k, spec in enumerate(specs[1:], start=1):
        nxt = np.minimum(pos + k, t - 1)
        pos = pos[(pos + k < ends[pos]) & masks[spec][tokens.codes[nxt]]]
    return pos


def _term_hits(
    tokens: Tokens, masks: np.ndarray, term: _Term, ends: np.ndarray, first: _Positions
) -> np.ndarray:
    """Sorted positions where ``term`` starts."""
    pos = _starts(tokens, masks, term.head, ends, first)
    if not term.tail or not len(pos):
        return pos
    tail = _starts(tokens, masks, term.tail, ends, first)
    lo = pos + len(term.head)
    hi = np.minimum(lo + GAP_TOKENS + 1, ends[pos])
    idx = np.searchsorted(tail, lo)
    found = np.append(tail, np.iinfo(np.int64).max)[idx]
    return pos[found < hi]


def _token_themes(
    norm: pd.Series, themes: dict[str, Theme], tokens: Tokens | None = None
) -> dict[str, np.ndarray]:
    """Per theme with terms: bool per comment."""
    with_terms = {k: th for k, th in themes.items() if th.terms}
    if not with_terms:
        return {}
    comp = _compiled(tuple((k, th.terms, th.exclude) for k, th in with_terms.items()))
    tokens = tokenise(norm) if tokens is None else tokens
    t = len(tokens.codes)
    if t == 0:
        return {k: np.zeros(tokens.n_docs, dtype=bool) for k in with_terms}
    masks = comp.vocab_masks(tokens.vocab)
    lengths = np.bincount(tokens.doc, minlength=tokens.n_docs)
    ends = (tokens.start + lengths[tokens.doc]).astype(np.int64)  # one past the comment's last token
    # positions whose word starts some term or exclusion: each term is then checked on these only
    firsts = sorted(
        {tm.head[0] for tms in (*comp.terms.values(), *comp.exclude.values()) for tm in tms}
        | {tm.tail[0] for tms in (*comp.terms.values(), *comp.exclude.values()) for tm in tms if tm.tail}
    )
    starts_any: np.ndarray = np.asarray(masks[firsts].any(axis=0), dtype=bool)
    cand = np.flatnonzero(starts_any[tokens.codes])
    first = _Positions(masks, cand, tokens.codes[cand], len(tokens.vocab))
    out = {}
    for key in with_terms:
        found = [_term_hits(tokens, masks, term, ends, first) for term in comp.terms[key]]
        pos = np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)
        if comp.exclude[key] and len(pos):
            # an exclusion covering the first word of a match cancels it: "kind of", "centro commerciale"
            diff = np.zeros(t + 1, dtype=np.int64)
            for term in comp.exclude[key]:
                ex = _term_hits(tokens, masks, term, ends, first)
                np.add.at(diff, ex, 1)
                np.add.at(diff, np.minimum(ex + len(term.head), t), -1)
            pos = pos[np.cumsum(diff[:t])[pos] == 0]
        hit = np.zeros(tokens.n_docs, dtype=bool)
        hit[tokens.doc[pos]] = True
        out[key] = hit
    return out


def detect_themes(texts: pd.Series, settings: TextSettings | None = None) -> pd.DataFrame:
    """Boolean frame, one column per theme, True when the comment mentions it (same index as texts)."""
    return themes_of_tokens(texts, None, settings)


def themes_of_tokens(
    texts: pd.Series, tokens: Tokens | None, settings: TextSettings | None = None
) -> pd.DataFrame:
    """:func:`detect_themes` of comments already tokenised (by :func:`tokenise`, shared with the
    sentiment); the text is :func:`normalise`d only when the client has regular-expression patterns."""
    themes = taxonomy(settings)
    by_terms = _token_themes(texts, themes, tokens)
    safe = None
    cols = {}
    for key, theme in themes.items():
        found = by_terms.get(key, np.zeros(len(texts), dtype=bool))
        rx = theme.regex
        if rx is not None:
            if safe is None:  # over-long tokens removed, as for the term matching
                safe = normalise(texts).str.replace(_LONG_TOKEN, " ", regex=True)
            found = found | safe.str.contains(rx, regex=True).fillna(False).to_numpy(dtype=bool)
        cols[key] = np.asarray(found, dtype=bool)
    return pd.DataFrame(cols, index=texts.index)
