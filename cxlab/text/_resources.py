"""Lexicons, modifiers and taxonomy shipped in ``cxlab/text/data`` (read lazily, cached) and tokenisation.

Everything here works offline: the data files sit inside the package and are read with
:mod:`importlib.resources`; nothing is downloaded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from itertools import chain

import numpy as np
import pandas as pd
import yaml

LANGUAGES = ("it", "en")

#: words, or a clause-breaking punctuation mark; digits are dropped (order numbers carry no sentiment)
TOKEN_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)?|[.!?;:,]")
#: characters turned into spaces before tokenising: apostrophes split "l'indirizzo" into "l indirizzo"
_APOSTROPHES = re.compile(r"['’`´]")
#: English contractions become a separate "not" so that negation sees it
_NT = re.compile(r"n['’]t\b")
#: two-word concessives made into one token ("anche se" -> "anchese")
_CONCESSIVE_PAIRS = re.compile(r"\b(anche|even) (se|though)\b")
PUNCT = frozenset(".!?;:,")
#: tokens longer than this are dropped before any lookup (no word is this long; a 1 MB string without
#: spaces would otherwise cost time in every lookup): keeps the whole analysis linear in the input size
MAX_TOKEN_CHARS = 40
#: secondary lexicons, read after the CX lexicon, whose entries do not override it (see data/SOURCES.md)
EXTRA_LEXICONS = (("it", "lexicon_it_general.tsv"), ("en", "lexicon_en_vader.tsv"))


@cache
def _lemmatiser():  # simplemma imported lazily: its dictionaries load on first use
    import simplemma

    return simplemma


def lemma(token: str, language: str) -> str:
    """The dictionary form of ``token`` (simplemma's offline data; the token itself when unknown)."""
    if len(token) > MAX_TOKEN_CHARS or not token.isalpha():
        return token
    return str(_lemmatiser().lemmatize(token, lang=language))


def known_word(token: str, language: str) -> bool:
    """True when ``token`` is a word form in simplemma's dictionary of ``language``."""
    return len(token) <= MAX_TOKEN_CHARS and bool(_lemmatiser().is_known(token, lang=language))


def _data_text(name: str) -> str:
    return resources.files("cxlab.text").joinpath("data").joinpath(name).read_text(encoding="utf-8")


_VALENCE_CACHE: dict[tuple[str, str], float] = {}


@dataclass(frozen=True)
class Lexicon:
    """Sentiment lexicon and modifiers of one language."""

    language: str
    words: dict[str, float]  # exact single words
    stems: dict[str, float]  # prefixes ("ritard" for ritardo, ritardi, ritardato...)
    phrases: dict[str, float]  # "w1 w2" or "w1 w2 w3"
    negated: dict[str, float]  # term -> valence when negated, for expectation words ("mai ricevuto")
    negators: frozenset[str]
    intensifiers: dict[str, float]
    contrast: frozenset[str]
    concessive: frozenset[str]
    stopwords: frozenset[str]
    max_stem: int = 0  # length of the longest stem: bounds the prefix search
    extra: dict[str, float] = field(default_factory=dict)  # secondary lexicons (lemmas), CX lexicon wins

    def entry(self, token: str) -> str | None:
        """The lexicon term a token matches: exact word, light English inflections, longest stem, then the
        same for the token's lemma, then the secondary lexicons (lemma first)."""
        found = self._entry(token)
        if found is not None or len(token) > MAX_TOKEN_CHARS:
            return found
        base = lemma(token, self.language)
        if base != token:
            found = self._entry(base)
            if found is not None:
                return found
        for form in (base, token):
            if form in self.extra:
                return "+" + form
        return None

    def _entry(self, token: str) -> str | None:
        if token in self.words:
            return token
        if self.language == "en":
            # no "-ly": "highly" is an intensifier, not "high"; adverbs are in the lexicons themselves
            for suffix in ("s", "es", "ed", "d", "ing"):
                if (
                    token.endswith(suffix)
                    and len(token) - len(suffix) >= 3
                    and token[: -len(suffix)] in self.words
                ):
                    return token[: -len(suffix)]
        for k in range(min(len(token), self.max_stem), 3, -1):
            if token[:k] in self.stems:
                return token[:k] + "*"
        return None

    def valence(self, token: str) -> float:
        """Valence of one token (0 when it is not in the lexicon); cached per language and token."""
        key = (self.language, token)
        found = _VALENCE_CACHE.get(key)
        if found is None:
            if len(_VALENCE_CACHE) > 500_000:  # bounded: one entry per distinct word ever seen
                _VALENCE_CACHE.clear()
            found = _VALENCE_CACHE[key] = self._valence(token)
        return found

    def surface_valence(self, token: str) -> float:
        """Valence of the token as written, without lemmatisation (cheap: used by language detection)."""
        term = self._entry(token)
        if term is None:
            return self.extra.get(token, 0.0)
        return self.stems[term[:-1]] if term.endswith("*") else self.words[term]

    def _valence(self, token: str) -> float:
        term = self.entry(token)
        if term is None and self.language == "it" and "issim" in token[3:]:
            # absolute superlative of an adjective the lexicon has: scarsissima -> scarsa/scarso, x1.4
            base = token[: token.index("issim", 3)]
            for ending in ("o", "a", "e", "i"):
                value = self._valence(base + ending)
                if value:
                    return float(np.clip(value * 1.4, -3.5, 3.5))
            return 0.0
        if term is None:
            return 0.0
        if term.startswith("+"):
            return self.extra[term[1:]]
        value = self.stems[term[:-1]] if term.endswith("*") else self.words[term]
        # Italian superlatives (gentilissimo, lunghissimi) are stronger than the base word
        if self.language == "it" and term.endswith("*") and "issim" in token[len(term) - 2 :]:
            return float(np.clip(value * 1.4, -3.5, 3.5))
        return value

    def negated_valence(self, token: str) -> float | None:
        """Valence of the token under negation when the lexicon gives one, else None."""
        term = self._entry(token)
        return None if term is None else self.negated.get(term)


def _parse_lexicon(
    text: str,
) -> tuple[dict[str, float], dict[str, float], dict[str, float], dict[str, float]]:
    words: dict[str, float] = {}
    stems: dict[str, float] = {}
    phrases: dict[str, float] = {}
    negated: dict[str, float] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        term, value, *rest = line.split("\t")
        term = term.strip().lower()
        if rest and rest[0].strip():
            negated[term] = float(rest[0])
        if " " in term:
            phrases[term] = float(value)
        elif term.endswith("*"):
            stems[term[:-1]] = float(value)
        else:
            words[term] = float(value)
    return words, stems, phrases, negated


@cache
def modifiers() -> dict:
    """The parsed ``modifiers.yaml`` (negators, intensifiers, contrast words, stop words)."""
    return yaml.safe_load(_data_text("modifiers.yaml"))


@cache
def lexicon(language: str) -> Lexicon:
    """The shipped lexicon of ``language`` ("it" or "en")."""
    words, stems, phrases, negated = _parse_lexicon(_data_text(f"lexicon_{language}.tsv"))
    mods = modifiers()[language]
    extra: dict[str, float] = {}
    for name in (file for code, file in EXTRA_LEXICONS if code == language):
        more, _, _, _ = _parse_lexicon(_data_text(name))
        extra.update({k: v for k, v in more.items() if k not in extra})
    # modifiers are not sentiment words ("too", "highly", "poco" act through the next word)
    for k in (*mods["intensifiers"], *mods["negators"], *mods["contrast"]):
        extra.pop(str(k), None)
    return Lexicon(
        language=language,
        words=words,
        stems=stems,
        phrases=phrases,
        negated=negated,
        negators=frozenset(mods["negators"]),
        intensifiers={str(k): float(v) for k, v in mods["intensifiers"].items()},
        contrast=frozenset(mods["contrast"]),
        concessive=frozenset(mods["concessive"]),
        stopwords=frozenset(mods["stopwords"]),
        max_stem=max(map(len, stems), default=0),
        extra=extra,
    )


@cache
def default_taxonomy() -> dict:
    """The parsed ``themes.yaml``: theme -> {label: {en, it}, patterns: [...]}."""
    return yaml.safe_load(_data_text("themes.yaml"))


def _normalise_one(text: object) -> str:
    if not isinstance(text, str):
        text = (
            "" if text is None or (isinstance(text, float) and np.isnan(text)) or text is pd.NA else str(text)
        )
    t = _NT.sub(" not", text.lower())
    return _CONCESSIVE_PAIRS.sub(r"\1\2", _APOSTROPHES.sub(" ", t))


def normalise(texts: pd.Series) -> pd.Series:
    """Lower-case comments and make apostrophes, contractions and two-word concessives tokenisable
    (object Series, same index; missing comments become "")."""
    values = texts.to_numpy(dtype=object, na_value=None)
    return pd.Series([_normalise_one(t) for t in values], index=texts.index, dtype=object)


@dataclass(frozen=True)
class Tokens:
    """All tokens of a batch of comments, flattened: ``doc[i]`` is the comment of token ``i``."""

    codes: np.ndarray  # int64 index into ``vocab``
    vocab: np.ndarray  # unique token strings (object)
    doc: np.ndarray  # int64 comment position (0..n-1)
    start: np.ndarray  # int64 position of the first token of each token's comment
    n_docs: int


def tokenise(normalised: pd.Series) -> Tokens:
    """Tokenise normalised comments with one compiled regex and factorise the tokens. Tokens longer
    than ``MAX_TOKEN_CHARS`` (no word is) are dropped, so later lookups stay linear in the input."""
    findall = TOKEN_RE.findall
    found = [findall(t) if isinstance(t, str) else [] for t in normalised.to_numpy(dtype=object)]
    n = len(found)
    lengths = np.fromiter(map(len, found), dtype=np.int64, count=n)
    flat = np.fromiter(chain.from_iterable(found), dtype=object, count=int(lengths.sum()))
    doc = np.repeat(np.arange(n, dtype=np.int64), lengths)
    if len(flat):
        tok_len = np.fromiter(map(len, flat), dtype=np.int64, count=len(flat))
        if tok_len.max() > MAX_TOKEN_CHARS:
            keep = tok_len <= MAX_TOKEN_CHARS
            flat, doc = flat[keep], doc[keep]
            lengths = np.bincount(doc, minlength=n).astype(np.int64)
    codes, vocab = pd.factorize(flat)
    offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]]) if n else np.zeros(0, dtype=np.int64)
    return Tokens(
        codes=np.asarray(codes, dtype=np.int64),
        vocab=np.asarray(vocab, dtype=object),
        doc=doc,
        start=offsets[doc] if len(doc) else np.zeros(0, dtype=np.int64),
        n_docs=n,
    )
