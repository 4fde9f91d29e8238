"""Lexicon sentiment for Italian and English customer comments, vectorised over a batch.

How a comment is scored (all steps are numpy operations on the flattened tokens of the batch; Python
only loops over the *vocabulary*, which is small):

1. Tokens get the valence of the comment's language lexicon (exact word, light stemming for English,
   longest stem for Italian: ritard* covers ritardo, ritardi, ritardato; -issim- superlatives x1.4).
   Expectation words carry their own negated valence ("ricevuto" is barely positive, "mai ricevuto"
   clearly negative: third column of the lexicon).
2. Two- and three-word phrases ("nessun problema", "called me back", "passed me") override their words.
3. Negation: a negator ("non", "mai", "nessuno", "not", "never", "nobody"...) flips the valence of a
   sentiment word at most ``NEGATION_WINDOW`` tokens after it in the same clause; Italian negative
   concord ("non ... mai") counts once. A flipped positive becomes clearly negative (x -0.9), a flipped
   negative only mildly positive (x -0.6): "not bad" is not praise.
   A negator with no sentiment word in its reach is itself mildly negative (``BARE_NEGATION``): "non
   funzionava", "did not arrive" report an expectation not met.
4. Intensifiers and diminishers in the two tokens before a sentiment word multiply it ("molto", "very",
   "un po'", "abbastanza"); "poco"/"poca" reverse it ("poco chiaro").
5. Contrast: after "ma", "però", "but", "however" the clause weighs 1.5 and what came before 0.5; a
   concessive clause ("anche se", "although") weighs 0.5.
6. Score = s / sqrt(s² + 4) of the weighted sum s, in [-1, 1]; polarity "neutral" when |score| is below
   the neutral band (``TextSettings.neutral_band``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._resources import LANGUAGES, PUNCT, Tokens, lexicon, tokenise
from .language import detect_token_languages

NEGATION_WINDOW = 4
NEGATE_POSITIVE = -0.9
NEGATE_NEGATIVE = -0.6
#: valence of a negator with no sentiment word in its reach ("non funzionava", "never arrived")
BARE_NEGATION = -0.6
ALPHA = 4.0
#: "no_signal": the comment has no word that carries sentiment, so the lexicon cannot tell; it is not neutral
POLARITY_CATEGORIES = ["negative", "neutral", "positive", "no_signal"]


def _vocab_arrays(vocab: np.ndarray, used: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Per-language (2, V) arrays of valence, negator, multiplier, contrast and concessive flags;
    ``used`` (2, V) bool limits the lookups to the words that occur in comments of that language."""
    n = len(vocab)
    out = {
        "val": np.zeros((2, n)),
        "negval": np.full((2, n), np.nan),
        "neg": np.zeros((2, n), dtype=bool),
        "mult": np.ones((2, n)),
        "contrast": np.zeros((2, n), dtype=bool),
        "conc": np.zeros((2, n), dtype=bool),
        "first": np.zeros((2, n), dtype=bool),
    }
    for li, lang in enumerate(LANGUAGES):
        lex = lexicon(lang)
        firsts = {p.split(" ", 1)[0] for p in lex.phrases}
        for j, tok in enumerate(vocab):  # vocabulary loop: cheap, a few thousand distinct words
            if tok in PUNCT or (used is not None and not used[li, j]):
                continue
            if tok in lex.negators:
                out["neg"][li, j] = True
            elif tok in lex.contrast:
                out["contrast"][li, j] = True
            elif tok in lex.concessive:
                out["conc"][li, j] = True
            if tok in lex.intensifiers:
                out["mult"][li, j] = lex.intensifiers[tok]
            if not out["neg"][li, j]:
                out["val"][li, j] = lex.valence(tok)
                nv = lex.negated_valence(tok)
                if nv is not None:
                    out["negval"][li, j] = nv
            out["first"][li, j] = tok in firsts
    return out


def _phrases(
    tokens: Tokens, tok_lang: np.ndarray, cand_all: np.ndarray, size: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(positions, values, negated values) of the ``size``-word phrases found in the batch; ``cand_all``
    are the positions whose word starts some phrase of its comment's language. Phrases are matched as
    integer keys of their words' vocabulary codes (no string is built per position)."""
    t = len(tokens.codes)
    none = np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0)
    head = cand_all[cand_all <= t - size]
    if not len(head):
        return none
    head = head[tokens.doc[head] == tokens.doc[head + size - 1]]
    v = len(tokens.vocab)
    if v**size >= 2**62:  # keys would overflow int64 (a vocabulary of over a million words)
        return _phrases_by_string(tokens, tok_lang, head, size)
    code_of = {w: i for i, w in enumerate(tokens.vocab)}
    pos_all, val_all, neg_all = [], [], []
    for li, lang in enumerate(LANGUAGES):
        lex = lexicon(lang)
        cand = head[tok_lang[head] == li]
        if not len(cand):
            continue
        keys, vals, negs = [], [], []
        for phrase, value in lex.phrases.items():
            words = phrase.split(" ")
            if len(words) != size or not all(w in code_of for w in words):
                continue
            key = 0
            for w in words:
                key = key * v + code_of[w]
            keys.append(key)
            vals.append(value)
            negs.append(lex.negated.get(phrase, np.nan))
        if not keys:
            continue
        order = np.argsort(keys)
        table = np.asarray(keys, dtype=np.int64)[order]
        cand_keys = tokens.codes[cand].astype(np.int64)
        for k in range(1, size):
            cand_keys = cand_keys * v + tokens.codes[cand + k]
        at = np.minimum(np.searchsorted(table, cand_keys), len(table) - 1)
        hit = table[at] == cand_keys
        pos_all.append(cand[hit])
        val_all.append(np.asarray(vals, dtype=float)[order][at[hit]])
        neg_all.append(np.asarray(negs, dtype=float)[order][at[hit]])
    if not pos_all:
        return none
    return np.concatenate(pos_all), np.concatenate(val_all), np.concatenate(neg_all)


def _phrases_by_string(
    tokens: Tokens, tok_lang: np.ndarray, head: np.ndarray, size: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_phrases` with string keys, for vocabularies too large for integer keys."""
    pos_all, val_all, neg_all = [], [], []
    for li, lang in enumerate(LANGUAGES):
        lex = lexicon(lang)
        table = {k: v for k, v in lex.phrases.items() if k.count(" ") == size - 1}
        cand = head[tok_lang[head] == li]
        if not len(cand) or not table:
            continue
        keys = tokens.vocab[tokens.codes[cand]]
        for k in range(1, size):
            keys = keys + " " + tokens.vocab[tokens.codes[cand + k]]
        key_series = pd.Series(keys, dtype=object)
        vals = key_series.map(table).to_numpy(dtype=float)
        hit = ~np.isnan(vals)
        pos_all.append(cand[hit])
        val_all.append(vals[hit])
        neg_all.append(key_series[hit].map(lex.negated).to_numpy(dtype=float))
    if not pos_all:
        return np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0)
    return np.concatenate(pos_all), np.concatenate(val_all), np.concatenate(neg_all)


def _next(flags: np.ndarray, where: np.ndarray, big: int) -> np.ndarray:
    """For each index i: the smallest ``where[j]`` with j > i and ``flags[j]`` (``big`` when none)."""
    nxt = np.minimum.accumulate(np.where(flags, where, big)[::-1])[::-1]
    return np.append(nxt[1:], big)


def _score(tokens: Tokens, doc_lang: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(score, sentiment-word count) per comment; ``doc_lang`` is 0 it, 1 en, -1 none.

    Only the tokens that can matter are processed: sentiment words, negators, intensifiers, contrast
    and concessive words, punctuation and phrase starts (a quarter of the tokens in real comments).
    Every rule works on their positions in the comment, so the other words still count for the
    distances (negation window, the two words before a sentiment word) exactly as if all were kept.
    """
    t = len(tokens.codes)
    n_docs = tokens.n_docs
    if t == 0:
        return np.zeros(n_docs), np.zeros(n_docs)
    v = len(tokens.vocab)
    tok_lang = doc_lang[tokens.doc]
    row = np.where(tok_lang < 0, 2, tok_lang)  # row 2: comments in no language of ours (nothing counts)
    used = np.zeros((3, v), dtype=bool)
    used[row, tokens.codes] = True
    arr = _vocab_arrays(tokens.vocab, used[:2])
    is_punct = np.isin(tokens.vocab, list(PUNCT))
    relevant = np.zeros((3, v), dtype=bool)
    relevant[:2] = (
        (arr["val"] != 0)
        | ~np.isnan(arr["negval"])
        | arr["neg"]
        | (arr["mult"] != 1.0)
        | arr["contrast"]
        | arr["conc"]
        | arr["first"]
        | is_punct
    )
    flat_index = row * v + tokens.codes
    p = np.flatnonzero(relevant.reshape(-1)[flat_index])  # positions kept, sorted
    if not len(p):
        return np.zeros(n_docs), np.zeros(n_docs)
    li = row[p]
    c = tokens.codes[p]
    doc = tokens.doc[p]
    start = tokens.start[p]
    val = arr["val"][li, c]
    negval = arr["negval"][li, c]
    neg = arr["neg"][li, c]
    mult = arr["mult"][li, c]
    contrast = arr["contrast"][li, c]
    conc = arr["conc"][li, c]
    punct = is_punct[c]

    # phrases: three-word first, then two-word ones that do not overlap them
    first_pos = p[arr["first"][li, c]]
    covered_all = np.zeros(t, dtype=bool)
    immune = np.zeros(len(p), dtype=bool)
    starts, start_vals, start_negs = [], [], []
    for size in (3, 2):
        pos, pval, pneg = _phrases(tokens, tok_lang, first_pos, size)
        if size == 2 and len(pos):
            keep = ~covered_all[pos] & ~covered_all[pos + 1]
            pos, pval, pneg = pos[keep], pval[keep], pneg[keep]
        if not len(pos):
            continue
        for k in range(size):
            covered_all[pos + k] = True
        starts.append(pos)
        start_vals.append(pval)
        start_negs.append(pneg)
    covered = covered_all[p]
    val = np.where(covered, 0.0, val)
    negval = np.where(covered, np.nan, negval)
    if starts:
        at = np.searchsorted(p, np.concatenate(starts))  # phrase starts are kept positions
        immune[at] = neg[at]  # "nessun problema" already contains its negation
        val[at] = np.concatenate(start_vals)
        negval[at] = np.concatenate(start_negs)
    neg &= ~covered
    contrast &= ~covered
    conc &= ~covered
    mult = np.where(covered, 1.0, mult)

    floor = start - 1
    last_bnd = np.maximum(np.maximum.accumulate(np.where(punct | contrast | conc, p, -1)), floor)
    last_neg = np.maximum.accumulate(np.where(neg, p, -1))
    negated = (last_neg > last_bnd) & (p - last_neg <= NEGATION_WINDOW) & ~immune
    flipped = np.where(np.isnan(negval), val * np.where(val > 0, NEGATE_POSITIVE, NEGATE_NEGATIVE), negval)
    val = np.where(negated, flipped, val)

    # a negation with no sentiment word in its reach ("non funzionava", "did not arrive", "senza
    # preavviso") states that an expectation was not met: mildly negative. Negative concord ("non ...
    # mai") counts once.
    big = t + 1
    next_bnd = _next(punct | contrast | conc, p, big)
    next_nz = _next(val != 0, p, big)
    doc_len = np.bincount(tokens.doc, minlength=n_docs)
    doc_end = start + doc_len[doc] - 1
    reach = np.minimum(np.minimum(p + NEGATION_WINDOW, next_bnd - 1), doc_end)
    prev_neg = np.concatenate([[-1], last_neg[:-1]])
    concord = (prev_neg > last_bnd) & (p - prev_neg <= NEGATION_WINDOW)
    bare = neg & (next_nz > reach) & ~concord
    val = np.where(bare, BARE_NEGATION, val)

    # intensifiers in the two words before (a word not kept has no multiplier)
    for k in (1, 2):
        j = p - k
        at = np.minimum(np.searchsorted(p, j), len(p) - 1)
        ok = (p[at] == j) & (j > last_bnd) & (j >= start)
        val = val * np.where(ok, mult[at], 1.0)

    # contrast: per comment, the part after the last "but" weighs 1.5, the part before 0.5
    csum = np.cumsum(contrast)
    doc_first = np.searchsorted(p, start)  # first kept position of each token's comment
    before_doc = np.concatenate([[0], csum])[doc_first]
    seen = csum - before_doc
    total = np.bincount(doc, weights=contrast, minlength=n_docs)[doc]
    weight = np.where(total == 0, 1.0, np.where(seen == total, 1.5, 0.5))
    last_punct = np.maximum(np.maximum.accumulate(np.where(punct, p, -1)), floor)
    last_conc = np.maximum.accumulate(np.where(conc, p, -1))
    weight = np.where(last_conc > last_punct, weight * 0.5, weight)

    s = np.bincount(doc, weights=val * weight, minlength=n_docs)
    hits = np.bincount(doc, weights=(val != 0).astype(float), minlength=n_docs)
    return s / np.sqrt(s * s + ALPHA), hits


def polarity(score: pd.Series | np.ndarray, neutral_band: float = 0.15) -> pd.Categorical:
    """Polarity label of sentiment scores: |score| < ``neutral_band`` is neutral; NaN stays missing."""
    x = np.asarray(score, dtype=float)
    labels = np.where(x >= neutral_band, "positive", np.where(x <= -neutral_band, "negative", "neutral"))
    labels = labels.astype(object)
    labels[np.isnan(x)] = None
    return pd.Categorical(labels, categories=POLARITY_CATEGORIES)


def sentiment(
    texts: pd.Series,
    language: pd.Series | str | None = None,
    neutral_band: float = 0.15,
    default_language: str = "other",
) -> pd.DataFrame:
    """Sentiment of each comment: columns ``language``, ``sentiment`` (score in [-1, 1]), ``polarity``
    (negative / neutral / positive, or no_signal) and ``sentiment_words``; same index as ``texts``.

    A comment in Italian or English with no sentiment word at all (emoji only, "10/10", a bare order
    number, words the lexicons do not know) gets polarity "no_signal" and a NaN score: it is not neutral,
    the lexicon has nothing to say about it.

    ``language`` is one code for all comments, a Series of codes, or None to detect it (comments with
    no evidence get ``default_language``). Comments in another language and empty comments get a NaN
    score and a missing polarity.
    """
    return sentiment_of_tokens(texts, tokenise(texts), language, neutral_band, default_language)


def sentiment_of_tokens(
    texts: pd.Series,
    tokens: Tokens,
    language: pd.Series | str | None = None,
    neutral_band: float = 0.15,
    default_language: str = "other",
) -> pd.DataFrame:
    """:func:`sentiment` of comments already tokenised (by :func:`tokenise`, shared with the themes)."""
    if language is None:
        langs = detect_token_languages(tokens, default_language)
    elif isinstance(language, str):
        langs = np.full(len(texts), language, dtype=object)
    else:
        langs = language.astype(object).to_numpy()
    doc_lang = np.select([langs == "it", langs == "en"], [0, 1], default=-1)
    score, hits = _score(tokens, doc_lang)
    values = texts.to_numpy(dtype=object, na_value=None)
    blank = np.fromiter(
        (not (isinstance(t, str) and t.strip()) for t in values), dtype=bool, count=len(values)
    )
    empty = blank | (doc_lang < 0)
    no_signal = ~empty & (hits == 0)
    score = np.where(empty | no_signal, np.nan, score)
    pol = polarity(score, neutral_band)
    pol[no_signal] = "no_signal"
    return pd.DataFrame(
        {
            "language": pd.Categorical(langs, categories=["it", "en", "other"]),
            "sentiment": score,
            "polarity": pol,
            "sentiment_words": np.where(empty, 0, hits).astype(np.int64),
        },
        index=texts.index,
    )
