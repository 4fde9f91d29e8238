"""Offline language detection for comments: Italian, English or "other".

Each comment gets an Italian and an English score from stop words (weight 2), lexicon words (1), words
that simplemma's dictionary knows in one of the two languages only (1: short comments such as "camera a
posto" have no stop word but a known word),
accented vowels (1, Italian), word endings (0.3: Italian words end in a vowel, English ones often do
not) and English letter groups (th, wh, sh, ck, ght, -ing: 0.5); stop words of German, French,
Spanish, Portuguese and Dutch, and letters of a non-Latin script, give an "other" score. The highest score wins; a comment with no
evidence at all (e.g. "ok", "10/10") gets ``default``.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ._resources import PUNCT, Tokens, known_word, lexicon, modifiers, tokenise

LANGUAGE_CATEGORIES = ["it", "en", "other"]
_EN_GROUPS = re.compile(r"th|wh|sh|ck|ght|ing$|w|y$|k")
_ACCENTS = re.compile(r"[àèéìòù]")
_VOWEL_END = re.compile(r"[aeiouàèéìòù]$")
#: letters outside the Latin script (Cyrillic, Greek, CJK, Arabic...): such comments are "other"
_NON_LATIN = re.compile(r"[^\W\d_a-zà-ÿāăąćčďēęěğīıłńňōőœřśşšţťūůűźżž]")
#: weight of a word that simplemma's dictionary knows in one of the two languages only
DICTIONARY_WEIGHT = 0.7
_SHARED_WORDS = frozenset(
    {"okay", "top", "wifi", "wi-fi", "hotel", "bar", "web", "app", "email", "mail", "online"}
)


def _token_scores(vocab: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(3, V) scores of each vocabulary token for it, en, other *without* the dictionary evidence, and
    (V,) bool: the tokens that may get dictionary evidence (``_dictionary_scores``)."""
    it, en = lexicon("it"), lexicon("en")
    other = frozenset(modifiers()["other"]["stopwords"])
    out = np.zeros((3, len(vocab)))
    eligible = np.zeros(len(vocab), dtype=bool)
    for j, tok in enumerate(vocab):  # loop over the vocabulary only, not over tokens
        if tok in PUNCT:
            continue
        s_it = 2.0 * (tok in it.stopwords) + 1.0 * (it.surface_valence(tok) != 0 or tok in it.negators)
        s_en = 2.0 * (tok in en.stopwords) + 1.0 * (en.surface_valence(tok) != 0 or tok in en.negators)
        if len(tok) >= 3:
            if _VOWEL_END.search(tok):
                s_it += 0.3
            else:
                s_en += 0.3
            if _EN_GROUPS.search(tok):
                s_en += 0.5
            eligible[j] = tok not in _SHARED_WORDS
        ascii_word = tok.isascii()
        if not ascii_word:
            s_it += 1.0 * bool(_ACCENTS.search(tok))
        non_latin = 0.0 if ascii_word else 2.0 * bool(_NON_LATIN.search(tok))
        out[:, j] = (s_it, s_en, 2.0 * (tok in other) + non_latin)
    return out, eligible


def _dictionary_scores(words: np.ndarray) -> np.ndarray:
    """(2, n) it/en evidence of words that simplemma's dictionary knows in one of the two languages
    only: "posto", "bagni", "rumori", "love" (words of two letters or fewer and loan words used in both
    languages are no evidence: see ``_token_scores``'s eligible)."""
    out = np.zeros((2, len(words)))
    for j, tok in enumerate(words):
        in_it, in_en = known_word(tok, "it"), known_word(tok, "en")
        if in_it != in_en:
            out[0 if in_it else 1, j] = DICTIONARY_WEIGHT
    return out


def _labels(per_doc: np.ndarray, default: str) -> np.ndarray:
    best = per_doc.argmax(axis=0)
    labels = np.asarray(LANGUAGE_CATEGORIES, dtype=object)[best]
    tie = (per_doc[0] == per_doc[1]) & (best < 2)
    labels[(per_doc.max(axis=0) < 1.0) | tie] = default
    return labels


def _decided(per_doc: np.ndarray, reach: np.ndarray) -> np.ndarray:
    """Comments whose label no dictionary evidence can change: each eligible word adds at most
    ``DICTIONARY_WEIGHT`` to the Italian or the English score, so ``reach`` bounds what they can add."""
    s_it, s_en, s_other = per_doc
    margin = reach + 1e-9
    it_wins = (s_it - s_en > margin) & (s_it >= s_other) & (s_it >= 1.0)
    en_wins = (s_en - s_it > margin) & (s_en >= s_other) & (s_en >= 1.0)
    other_wins = (s_other - s_it > margin) & (s_other - s_en > margin) & (s_other >= 1.0)
    return (reach == 0) | it_wins | en_wins | other_wins


def detect_token_languages(tokens: Tokens, default: str) -> np.ndarray:
    """Language label of each document of already tokenised comments (shared with the sentiment
    analysis, which tokenises once).

    The dictionary evidence (simplemma's word lists, the costly part: each language's dictionary
    takes about a second to load) is looked up only for the words of the comments whose label it
    could change; comments with clear stop-word evidence never need it, so a batch of such comments
    loads no dictionary at all. The labels are the same as with the evidence for every word.
    """
    table, eligible = _token_scores(tokens.vocab)
    scores = table[:, tokens.codes]
    per_doc = np.vstack([np.bincount(tokens.doc, weights=row, minlength=tokens.n_docs) for row in scores])
    reach = DICTIONARY_WEIGHT * np.bincount(
        tokens.doc, weights=eligible[tokens.codes], minlength=tokens.n_docs
    )
    open_docs = ~_decided(per_doc, reach)
    if open_docs.any():
        need = np.zeros(len(tokens.vocab), dtype=bool)
        need[tokens.codes[open_docs[tokens.doc]]] = True
        need &= eligible
        idx = np.flatnonzero(need)
        table[:2, idx] += _dictionary_scores(tokens.vocab[idx])
        scores = table[:, tokens.codes]
        per_doc = np.vstack([np.bincount(tokens.doc, weights=row, minlength=tokens.n_docs) for row in scores])
    return _labels(per_doc, default)


def detect_language(texts: pd.Series, default: str = "other") -> pd.Series:
    """Language of each comment: "it", "en" or "other" (category, same index as ``texts``).

    ``default`` is used for comments with no evidence either way (empty, a number, "ok"); pass the
    client's language to analyse such comments with its lexicon.
    """
    tokens = tokenise(texts)
    labels = detect_token_languages(tokens, default)
    return pd.Series(
        pd.Categorical(labels, categories=LANGUAGE_CATEGORIES), index=texts.index, name="language"
    )
