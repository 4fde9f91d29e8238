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
    tokens: Tokens, tok_lang: np.ndarray, first: np.ndarray, size: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(positions, values, negated values) of the ``size``-word phrases found in the batch."""
    t = len(tokens.codes)
    pos_all, val_all, neg_all = [], [], []
    none = np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0)
    if t < size:
        return none
    head = np.arange(t - size + 1)
    same = tokens.doc[head] == tokens.doc[head + size - 1]
    for li, lang in enumerate(LANGUAGES):
        lex = lexicon(lang)
        table = {k: v for k, v in lex.phrases.items() if k.count(" ") == size - 1}
        cand = head[same & (tok_lang[head] == li) & first[li, tokens.codes[head]]]
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
        return none
    return np.concatenate(pos_all), np.concatenate(val_all), np.concatenate(neg_all)


def _score(tokens: Tokens, doc_lang: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(score, sentiment-word count) per comment; ``doc_lang`` is 0 it, 1 en, -1 none."""
    t = len(tokens.codes)
    if t == 0:
        return np.zeros(tokens.n_docs), np.zeros(tokens.n_docs)
    tok_lang = doc_lang[tokens.doc]
    used = np.zeros((2, len(tokens.vocab)), dtype=bool)
    for li in (0, 1):
        used[li, tokens.codes[tok_lang == li]] = True
    arr = _vocab_arrays(tokens.vocab, used)
    li = np.maximum(tok_lang, 0)
    known = tok_lang >= 0
    c = tokens.codes
    val = np.where(known, arr["val"][li, c], 0.0)
    negval = np.where(known, arr["negval"][li, c], np.nan)
    neg = known & arr["neg"][li, c]
    mult = np.where(known, arr["mult"][li, c], 1.0)
    contrast = known & arr["contrast"][li, c]
    conc = known & arr["conc"][li, c]
    punct = np.isin(tokens.vocab, list(PUNCT))[c]

    # phrases: three-word first, then two-word ones that do not overlap them
    covered = np.zeros(t, dtype=bool)
    immune = np.zeros(t, dtype=bool)
    for size in (3, 2):
        pos, pval, pneg = _phrases(tokens, tok_lang, arr["first"], size)
        if size == 2 and len(pos):
            keep = ~covered[pos] & ~covered[pos + 1]
            pos, pval, pneg = pos[keep], pval[keep], pneg[keep]
        if not len(pos):
            continue
        starts_negated = arr["neg"][li[pos], c[pos]]
        for k in range(size):
            covered[pos + k] = True
        for k in range(1, size):
            val[pos + k] = 0.0
            negval[pos + k] = np.nan
        val[pos] = pval
        negval[pos] = pneg
        immune[pos] = starts_negated  # "nessun problema" already contains its negation
    neg &= ~covered
    contrast &= ~covered
    conc &= ~covered
    mult = np.where(covered, 1.0, mult)

    positions = np.arange(t)
    floor = tokens.start - 1
    last_bnd = np.maximum(np.maximum.accumulate(np.where(punct | contrast | conc, positions, -1)), floor)
    last_neg = np.maximum.accumulate(np.where(neg, positions, -1))
    negated = (last_neg > last_bnd) & (positions - last_neg <= NEGATION_WINDOW) & ~immune
    flipped = np.where(np.isnan(negval), val * np.where(val > 0, NEGATE_POSITIVE, NEGATE_NEGATIVE), negval)
    val = np.where(negated, flipped, val)

    # a negation with no sentiment word in its reach ("non funzionava", "did not arrive", "senza
    # preavviso") states that an expectation was not met: mildly negative. Negative concord ("non ...
    # mai") counts once.
    big = t + 1
    bnd = punct | contrast | conc
    next_bnd = np.append(np.minimum.accumulate(np.where(bnd, positions, big)[::-1])[::-1], big)
    next_nz = np.append(np.minimum.accumulate(np.where(val != 0, positions, big)[::-1])[::-1], big)
    doc_end = tokens.start + np.bincount(tokens.doc, minlength=tokens.n_docs)[tokens.doc] - 1
    reach = np.minimum(np.minimum(positions + NEGATION_WINDOW, next_bnd[positions + 1] - 1), doc_end)
    prev_neg = np.concatenate([[-1], last_neg[:-1]])
    concord = (prev_neg > last_bnd) & (positions - prev_neg <= NEGATION_WINDOW)
    bare = neg & (next_nz[positions + 1] > reach) & ~concord
    val = np.where(bare, BARE_NEGATION, val)

    for k in (1, 2):
        j = positions - k
        ok = (j > last_bnd) & (j >= tokens.start)
        val = val * np.where(ok, mult[np.maximum(j, 0)], 1.0)

    # contrast: per comment, the part after the last "but" weighs 1.5, the part before 0.5
    csum = np.cumsum(contrast)
    before_doc = np.concatenate([[0], csum])[tokens.start]
    seen = csum - before_doc
    total = np.bincount(tokens.doc, weights=contrast, minlength=tokens.n_docs)[tokens.doc]
    weight = np.where(total == 0, 1.0, np.where(seen == total, 1.5, 0.5))
    last_punct = np.maximum(np.maximum.accumulate(np.where(punct, positions, -1)), floor)
    last_conc = np.maximum.accumulate(np.where(conc, positions, -1))
    weight = np.where(last_conc > last_punct, weight * 0.5, weight)

    s = np.bincount(tokens.doc, weights=val * weight, minlength=tokens.n_docs)
    hits = np.bincount(tokens.doc, weights=(val != 0).astype(float), minlength=tokens.n_docs)
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
    blank = np.fromiter((not (isinstance(t, str) and t.strip()) for t in values), dtype=bool, count=len(values))
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
