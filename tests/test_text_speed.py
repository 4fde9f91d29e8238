"""The fast paths of the comment analysis (issue 23, throughput) give the same answers as the plain
definitions they replace, and simplemma's dictionaries are loaded only when a batch needs them.

* tokenising per distinct white-space chunk = ``TOKEN_RE.findall`` on each whole normalised comment;
* language detection that looks up the dictionaries only for undecided comments = the detection with
  dictionary evidence for every word;
* the sentiment rules run on the tokens that can matter only: checked against hand-computed scores in
  ``test_text.py`` and here on sentences where the skipped words sit inside the rule windows.

The throughput itself is measured by ``benchmarks/text.py`` (wall-clock comments/s against the targets).
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cxlab.text import analyse_comments, sentiment
from cxlab.text._resources import MAX_TOKEN_CHARS, TOKEN_RE, normalise, tokenise

language = importlib.import_module("cxlab.text.language")
ROOT = Path(__file__).resolve().parents[1]


def _by_regex(texts: pd.Series) -> list[list[str]]:
    """The plain definition: the regex over each whole normalised comment."""
    return [[w for w in TOKEN_RE.findall(t) if len(w) <= MAX_TOKEN_CHARS] for t in normalise(texts)]


def _by_tokenise(texts: pd.Series) -> list[list[str]]:
    tokens = tokenise(texts)
    out: list[list[str]] = [[] for _ in range(tokens.n_docs)]
    for code, doc in zip(tokens.codes, tokens.doc, strict=True):
        out[doc].append(str(tokens.vocab[code]))
    return out


# letters, accents, apostrophes, hyphens, digits, punctuation and white space of several kinds: the
# characters the chunking and the contraction and apostrophe rules act on
_ALPHABET = st.sampled_from(list("abcnotseéàİß½²-'’`.,;:!?( )0_\t\n") + [" ", " ", "n't", "don't", "l'"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_ALPHABET, max_size=40).map("".join), min_size=1, max_size=6))
def test_tokenise_equals_the_regex_on_whole_comments(parts):
    texts = pd.Series(parts, dtype=object)
    assert _by_tokenise(texts) == _by_regex(texts)


def test_tokenise_raw_or_normalised_and_concessives():
    texts = pd.Series(
        [
            "Anche se lento, ottimo. Didn't arrive; l'hotel è ok",
            "even though it's late",
            None,
            np.nan,
            12,
            "",
            "x" * (MAX_TOKEN_CHARS + 1) + " ok",
        ],
        dtype=object,
    )
    assert _by_tokenise(texts) == _by_regex(texts) == _by_tokenise(normalise(texts))
    assert _by_tokenise(texts)[0][:3] == ["anchese", "lento", ","]
    assert _by_tokenise(texts)[1][:2] == ["eventhough", "it"]


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.lists(
            st.sampled_from(
                [
                    "camera",
                    "posto",
                    "bagni",
                    "rumori",
                    "love",
                    "rooms",
                    "the",
                    "il",
                    "ok",
                    "top",
                    "wifi",
                    "très",
                    "bien",
                    "hotel",
                    "ottimo",
                    "bad",
                    "sporco",
                    "clean",
                    "ab",
                    "xyz",
                    ",",
                    "é",
                ]
            ),
            max_size=6,
        ).map(" ".join),
        min_size=1,
        max_size=8,
    ),
    st.sampled_from(["it", "en", "other"]),
)
def test_lazy_dictionary_evidence_gives_the_same_languages(comments, default):
    tokens = tokenise(pd.Series(comments, dtype=object))
    lazy = language.detect_token_languages(tokens, default)
    table, eligible = language._token_scores(tokens.vocab)
    idx = np.flatnonzero(eligible)
    table[:2, idx] += language._dictionary_scores(tokens.vocab[idx])  # evidence for every word
    per_doc = np.vstack(
        [np.bincount(tokens.doc, weights=row, minlength=tokens.n_docs) for row in table[:, tokens.codes]]
    )
    assert list(lazy) == list(language._labels(per_doc, default))


def test_skipped_words_still_count_in_the_rule_windows():
    # filler words between a negator or an intensifier and its sentiment word are not processed but
    # their positions count: four words of reach for "non", two for "molto"
    def score(text: str, lang: str) -> float:
        return float(sentiment(pd.Series([text]), lang)["sentiment"].iloc[0])

    def norm(s: float) -> float:
        return s / np.sqrt(s * s + 4.0)

    assert score("non è stato per noi ottimo", "it") == pytest.approx(norm(-0.6 + 2.5))  # 5 words on
    assert score("non è stato ottimo", "it") == pytest.approx(norm(2.5 * -0.9))
    assert score("molto il gentile", "it") == pytest.approx(norm(1.8 * 1.5))
    assert score("molto il la gentile", "it") == pytest.approx(norm(1.8))


def test_clear_italian_comments_load_only_the_italian_dictionary():
    # a fresh process, as a report kernel: comments whose language the stop words settle need no
    # dictionary to be detected; the Italian one is loaded to lemmatise, the English one never
    code = (
        "import pandas as pd\n"
        "from cxlab.text import analyse_comments\n"
        "from simplemma.strategies.dictionaries.dictionary_factory import DEFAULT_DICTIONARY_FACTORY as F\n"
        "texts = ['Il personale della reception è stato molto gentile e la camera era pulita'] * 3\n"
        "analyse_comments(pd.DataFrame({'comment': texts}), language='it')\n"
        "print(F._get_dictionary.cache_info().currsize)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True, timeout=120
    )
    assert out.stdout.strip() == "1"


def test_analysis_output_on_a_mixed_batch():
    # the whole analysis on a batch that exercises every fast path (the same output as before the fast
    # paths, checked against the previous implementation)
    texts = [
        "Non c'è nessun problema.",
        "Not bad, although slow.",
        "Anche se lento, il personale è gentile",
        "Pacco arrivato in ritardo, rimborso mai ricevuto",
        "😀😀",  # shorter than min_comment_chars: left out
        "Очень плохо",
    ]
    out = analyse_comments(pd.DataFrame({"comment": texts}), language="it")
    assert out.index.tolist() == [0, 1, 2, 3, 5]
    assert out["language"].astype(object).tolist() == ["it", "en", "it", "it", "other"]
    assert out["polarity"].astype(object).tolist()[:4] == ["positive", "positive", "positive", "negative"]
    assert out["sentiment"].iloc[0] == pytest.approx(2.0 / np.sqrt(8.0))  # "nessun problema" = +2.0
    assert out["themes"].tolist() == [
        "",
        "waiting_time",
        "staff_attitude;waiting_time",
        "delivery;returns_refunds",
        "",
    ]
