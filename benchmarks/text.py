"""Benchmark of the offline comment analysis (lexicon sentiment + language + themes).

    .venv/bin/python benchmarks/text.py              # 100,000 comments
    .venv/bin/python benchmarks/text.py --n 20000

Comments: sentences of the labelled development and evaluation sets (tests/data/comments_*.csv),
1–3 per comment drawn at random (seed 7), 75 % Italian and 25 % English as in the demo client, so the
vocabulary and lengths are those of real customer comments (~14 words on average). Timed steps:
``sentiment`` (tokenise, detect language, score), ``detect_themes`` and the whole ``analyse_comments``
on a survey-responses frame. Target: ≥ 5,000 comments/s for the whole analysis.
Peak memory = the process's peak RSS (``resource.getrusage``), generation included.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cxlab.text import (  # noqa: E402
    _resources,  # noqa: E402
    analyse_comments,
    detect_themes,
    sentiment,
)


def make_comments(n: int, seed: int = 7) -> pd.Series:
    rng = np.random.default_rng(seed)
    pools = {}
    for lang in ("it", "en"):
        frames = [
            pd.read_csv(ROOT / "tests" / "data" / f"comments_{k}_{lang}.csv", keep_default_na=False)
            for k in ("dev", "eval")
        ]
        pools[lang] = pd.concat(frames)["text"].to_numpy(dtype=object)
    is_it = rng.random(n) < 0.75
    parts = rng.integers(1, 4, n)
    out = np.empty(n, dtype=object)
    for lang, mask in (("it", is_it), ("en", ~is_it)):
        pool = pools[lang]
        idx = np.flatnonzero(mask)
        picks = rng.integers(0, len(pool), (len(idx), 3))
        for row, (i, k) in enumerate(zip(idx, parts[idx], strict=True)):
            out[i] = " ".join(pool[picks[row, :k]])
    return pd.Series(out, name="comment")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    args = ap.parse_args()
    comments = make_comments(args.n)
    words = comments.str.split().str.len()
    print(
        f"comments: {len(comments):,}  mean words: {words.mean():.1f}  characters: {comments.str.len().sum():,}"
    )

    _resources.lexicon("it"), _resources.lexicon("en"), _resources.default_taxonomy()  # data files read once
    t0 = time.perf_counter()
    scored = sentiment(comments, None, default_language="it")
    t1 = time.perf_counter()
    themes = detect_themes(comments)
    t2 = time.perf_counter()
    responses = pd.DataFrame(
        {
            "response_id": [f"r{i}" for i in range(len(comments))],
            "customer_id": [f"c{i % 20000}" for i in range(len(comments))],
            "nps": np.random.default_rng(1).integers(0, 11, len(comments)).astype(float),
            "comment": comments,
        }
    )
    t3 = time.perf_counter()
    analysed = analyse_comments(responses, language="it")
    t4 = time.perf_counter()
    n = len(comments)
    print(f"sentiment + language:  {t1 - t0:6.2f} s  {n / (t1 - t0):>10,.0f} comments/s")
    print(f"themes:                {t2 - t1:6.2f} s  {n / (t2 - t1):>10,.0f} comments/s")
    print(f"analyse_comments:      {t4 - t3:6.2f} s  {n / (t4 - t3):>10,.0f} comments/s  (target ≥ 5,000)")
    print(
        f"polarity: {scored['polarity'].value_counts().to_dict()}  themes per comment: {themes.sum(axis=1).mean():.2f}"
    )
    print(f"rows analysed: {len(analysed):,}")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB")


if __name__ == "__main__":
    main()
