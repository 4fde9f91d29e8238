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
def _simplemma():  # imported lazily; each language's dictionary loads on its first use only
    import simplemma

    return simplemma


@cache
def _lemmatiser():
    """simplemma's default (non-greedy) lemmatiser without its own result cache: ``lemma`` keeps one
    entry per distinct word, which :func:`clear_caches` can empty."""
    sm = _simplemma()
    from simplemma.strategies import DefaultStrategy

    return sm.Lemmatizer(cache_max_size=0, lemmatization_strategy=DefaultStrategy(greedy=False))


_LEMMA_CACHE: dict[tuple[str, str], str] = {}


def lemma(token: str, language: str) -> str:
    """The dictionary form of ``token`` (simplemma's offline data; the token itself when unknown),
    computed once per distinct word and language."""
    if len(token) > MAX_TOKEN_CHARS or not token.isalpha():
        return token
    key = (language, token)
    found = _LEMMA_CACHE.get(key)
    if found is None:
        if len(_LEMMA_CACHE) > 500_000:  # bounded: one entry per distinct word ever seen
            _LEMMA_CACHE.clear()
        found = _LEMMA_CACHE[key] = str(_lemmatiser().lemmatize(token, language))
    return found


def known_word(token: str, language: str) -> bool:
    """True when ``token`` is a word form in simplemma's dictionary of ``language``."""
    return len(token) <= MAX_TOKEN_CHARS and bool(_simplemma().is_known(token, lang=language))


def _data_text(name: str) -> str:
    return resources.files("cxlab.text").joinpath("data").joinpath(name).read_text(encoding="utf-8")


_VALENCE_CACHE: dict[tuple[str, str], float] = {}
#: shortest stem that can match (stems of three letters or fewer are never used as prefixes)
_STEM_KEY = 4


def clear_caches() -> None:
    """Forget the per-word results kept between calls (valences): what a fresh report kernel starts
    with. The lexicons and simplemma's dictionaries stay loaded."""
    _VALENCE_CACHE.clear()
    _LEMMA_CACHE.clear()


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
    #: stems by their first ``_STEM_KEY`` letters, longest first: one dict lookup finds a word's stems
    stem_index: dict[str, tuple[str, ...]] = field(default_factory=dict)

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
        # the longest stem of at least _STEM_KEY letters that starts the token
        for stem in self.stem_index.get(token[:_STEM_KEY], ()):
            if len(stem) <= len(token) and token.startswith(stem):
                return stem + "*"
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
    index: dict[str, list[str]] = {}
    for stem in sorted(stems, key=len, reverse=True):
        if len(stem) >= _STEM_KEY:
            index.setdefault(stem[:_STEM_KEY], []).append(stem)
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
        stem_index={k: tuple(v) for k, v in index.items()},
    )


@cache
def default_taxonomy() -> dict:
    """The parsed ``themes.yaml``: theme -> {label: {en, it}, patterns: [...]}."""
    return yaml.safe_load(_data_text("themes.yaml"))


def _as_text(text: object) -> str:
    if isinstance(text, str):
        return text
    return "" if text is None or (isinstance(text, float) and np.isnan(text)) or text is pd.NA else str(text)


def _normalise_one(text: object) -> str:
    t = _NT.sub(" not", _as_text(text).lower())
    return _CONCESSIVE_PAIRS.sub(r"\1\2", _APOSTROPHES.sub(" ", t))


def normalise(texts: pd.Series) -> pd.Series:
    """Lower-case comments and make apostrophes, contractions and two-word concessives tokenisable
    (object Series, same index; missing comments become ""). :func:`tokenise` does not need it (it
    applies the same rules per distinct word); client theme regexes run on this text."""
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


#: first and second word of the two-word concessives joined into one token ("anche se" -> "anchese")
_CONCESSIVE_FIRST = ("anche", "even")
_CONCESSIVE_SECOND = ("se", "though")


def _chunk_tokens(chunk: str) -> list[str]:
    """Tokens of one whitespace-free chunk of lower-cased text ("l'hotel," -> ["l", "hotel", ","])."""
    if chunk.isalpha():
        return [chunk] if len(chunk) <= MAX_TOKEN_CHARS else []
    return [w for w in TOKEN_RE.findall(_NT.sub(" not", chunk)) if len(w) <= MAX_TOKEN_CHARS]


def tokenise(texts: pd.Series) -> Tokens:
    """Tokenise comments (raw or :func:`normalise`d: same result) and factorise the tokens.

    Linear in the input and fast: each comment is lower-cased and split on white space (C speed); the
    regular expression, the contractions ("didn't" -> "did not") and the apostrophes ("l'hotel") are
    applied once per *distinct* chunk, not per comment. A match of ``TOKEN_RE`` never spans white
    space, so this gives the tokens of ``TOKEN_RE.findall`` on the whole normalised text. Tokens
    longer than ``MAX_TOKEN_CHARS`` (no word is) are dropped, so later lookups stay linear in the
    input. Two-word concessives ("anche se", "even though") become one token ("anchese").
    """
    values = texts.to_numpy(dtype=object, na_value=None)
    split = [(t if isinstance(t, str) else _as_text(t)).lower().split() for t in values]
    n = len(split)
    chunk_counts = np.fromiter(map(len, split), dtype=np.int64, count=n)
    flat = np.fromiter(chain.from_iterable(split), dtype=object, count=int(chunk_counts.sum()))
    chunk_codes, chunks = pd.factorize(flat)
    # per distinct chunk: its tokens, as codes of the token vocabulary
    index: dict[str, int] = {}
    sub: list[int] = []
    sub_len = np.empty(len(chunks), dtype=np.int64)
    for j, chunk in enumerate(chunks):
        words = _chunk_tokens(chunk)
        sub_len[j] = len(words)
        sub.extend(index.setdefault(w, len(index)) for w in words)
    sub_codes = np.asarray(sub, dtype=np.int64)
    sub_start = np.concatenate([[0], np.cumsum(sub_len)[:-1]]).astype(np.int64)
    chunk_doc = np.repeat(np.arange(n, dtype=np.int64), chunk_counts)
    lens = sub_len[chunk_codes] if len(chunk_codes) else np.zeros(0, dtype=np.int64)
    total = int(lens.sum())
    first_out = np.concatenate([[0], np.cumsum(lens)[:-1]]).astype(np.int64) if len(lens) else lens
    within = np.arange(total, dtype=np.int64) - np.repeat(first_out, lens)
    codes = sub_codes[np.repeat(sub_start[chunk_codes], lens) + within] if total else within
    doc = np.repeat(chunk_doc, lens)
    vocab = np.empty(len(index), dtype=object)
    vocab[:] = list(index)
    codes, vocab, doc = _join_concessives(codes, vocab, doc, index)
    lengths = np.bincount(doc, minlength=n).astype(np.int64)
    offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64) if n else lengths
    return Tokens(codes=codes, vocab=vocab, doc=doc, start=offsets[doc], n_docs=n)


def _join_concessives(
    codes: np.ndarray, vocab: np.ndarray, doc: np.ndarray, index: dict[str, int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Join "anche se" / "even though" (consecutive tokens of one comment) into one token."""
    firsts = [index[w] for w in _CONCESSIVE_FIRST if w in index]
    seconds = [index[w] for w in _CONCESSIVE_SECOND if w in index]
    if not firsts or not seconds or len(codes) < 2:
        return codes, vocab, doc
    is_first = np.zeros(len(vocab), dtype=bool)
    is_first[firsts] = True
    is_second = np.zeros(len(vocab), dtype=bool)
    is_second[seconds] = True
    pos = np.flatnonzero(is_first[codes[:-1]])  # few: "anche", "even"
    pos = pos[is_second[codes[pos + 1]] & (doc[pos] == doc[pos + 1])]
    if not len(pos):
        return codes, vocab, doc
    words = list(vocab)
    for p in pos:  # few: one per concessive clause
        joined = str(vocab[codes[p]]) + str(vocab[codes[p + 1]])
        if joined not in index:
            index[joined] = len(words)
            words.append(joined)
        codes[p] = index[joined]
    keep = np.ones(len(codes), dtype=bool)
    keep[pos + 1] = False
    # the vocabulary may keep a word that no longer occurs ("se"): harmless, every lookup goes by code
    all_words = np.empty(len(words), dtype=object)
    all_words[:] = words
    return codes[keep], all_words, doc[keep]
