"""Benchmark of the offline comment analysis on real, human-labelled sentences it was not written for.

    .venv/bin/python benchmarks/text.py                 # accuracy + speed (+ learning curve with scikit-learn)
    .venv/bin/python benchmarks/text.py --no-curve      # skip the per-client model's learning curve

Data (not shipped: see its README): ``../shared/datasets/comments/`` beside the repository, or
``--data DIR``. Italian: ABSITA 2018 hotel-review sentences (``absita_train_it.csv``); English: UCI
"Sentiment Labelled Sentences" (``uci_sentences_en.csv``, Amazon + Yelp + IMDB; ``--en-source`` keeps one).

Accuracy (lexicon alone, language detected, client default as given), on the positive and negative
sentences (mixed and neutral ones have no binary truth):

* AUC of the sentiment score (a no-signal comment scores 0);
* accuracy and macro-F1 of the polarity (negative / positive), where "neutral" and "no_signal" count as
  wrong answers; the same on the comments with a signal only;
* no-signal share: comments with no sentiment word at all.

Speed: ``analyse_comments`` (language, sentiment, themes) on the real sentences ("short", as written) and
on 450-character texts made by joining sentences of the same language; the valence cache is emptied
before each timed run (the dictionaries are loaded once, as in a report; their load time is printed
apart). One process, no parallelism. Targets, in wall-clock comments per second (the best of
``--speed-runs`` runs; the CPU-time rate is printed beside it because a shared machine slows the wall
clock): ≥ 20,000 comments/s short, ≥ 5,000/s at 450 characters, a 1 MB string without spaces < 1 s.

Learning curve (per-client model, :mod:`cxlab.text.model`): AUC of the blend of the lexicon with a
TF-IDF + logistic-regression model trained on 50 / 100 / 200 / 500 labelled sentences, 5 random
training draws per size (seeded), tested on the sentences not drawn.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cxlab.text import _resources, analyse_comments, sentiment  # noqa: E402

DEFAULT_DATA = Path(os.environ.get("CXLAB_DATASETS", ROOT.parent / "shared" / "datasets")) / "comments"
SETS = {"it": "absita_train_it.csv", "en": "uci_sentences_en.csv"}
TARGETS = {"it": (0.92, 0.15), "en": (0.88, 0.20)}


def load(data: Path, lang: str, en_source: str | None = None) -> pd.DataFrame:
    df = pd.read_csv(data / SETS[lang], keep_default_na=False)
    if lang == "en" and en_source:
        df = df[df["source"] == en_source]
    return df


def auc(y: np.ndarray, score: np.ndarray) -> float:
    """Mann-Whitney AUC (ties count a half), without scikit-learn."""
    ranks = pd.Series(score).rank().to_numpy()
    n1 = int(y.sum())
    n0 = len(y) - n1
    return float((ranks[y == 1].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def macro_f1(truth: np.ndarray, pred: np.ndarray, classes=("negative", "positive")) -> float:
    f1s = []
    for c in classes:
        tp = np.sum((pred == c) & (truth == c))
        fp = np.sum((pred == c) & (truth != c))
        fn = np.sum((pred != c) & (truth == c))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return float(np.mean(f1s))


def accuracy_report(df: pd.DataFrame, lang: str) -> dict:
    binary = df[df["polarity"].isin(["positive", "negative"])]
    got = sentiment(binary["text"], None, default_language=lang)
    y = (binary["polarity"] == "positive").to_numpy().astype(int)
    score = got["sentiment"].fillna(0.0).to_numpy()
    truth = binary["polarity"].to_numpy(dtype=object)
    pred = got["polarity"].astype(object).to_numpy()
    signal = pred != "no_signal"
    return {
        "n": len(binary),
        "auc": auc(y, score),
        "accuracy": float(np.mean(pred == truth)),
        "macro_f1": macro_f1(truth, pred),
        "accuracy_signal": float(np.mean(pred[signal] == truth[signal])),
        "macro_f1_signal": macro_f1(truth[signal], pred[signal]),
        "no_signal": float(np.mean(~signal)),
        "language_ok": float(np.mean(got["language"].astype(object) == lang)),
    }


def long_texts(texts: pd.Series, chars: int, n: int, seed: int = 7) -> pd.Series:
    """``n`` texts of about ``chars`` characters, each made of random sentences of ``texts``."""
    rng = np.random.default_rng(seed)
    pool = texts.to_numpy(dtype=object)
    out = []
    for _ in range(n):
        parts, size = [], 0
        while size < chars:
            s = str(pool[rng.integers(len(pool))])
            parts.append(s)
            size += len(s) + 1
        out.append(" ".join(parts)[:chars])
    return pd.Series(out, dtype=object)


def throughput(comments: pd.Series, language: str = "it") -> tuple[float, float]:
    """(comments per second of wall-clock time, per second of this process's CPU time): on a shared
    machine the CPU-time figure is the one that does not depend on the other processes."""
    responses = pd.DataFrame({"response_id": np.arange(len(comments)), "comment": comments.to_numpy()})
    _resources.clear_caches()  # cold per-word caches, as in a fresh report kernel
    t0, c0 = time.perf_counter(), time.process_time()
    analyse_comments(responses, language=language)
    return len(comments) / (time.perf_counter() - t0), len(comments) / (time.process_time() - c0)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--en-source", choices=["amazon", "yelp", "imdb"], default=None)
    ap.add_argument("--no-curve", action="store_true")
    ap.add_argument("--speed-n", type=int, default=20_000, help="comments per speed run")
    ap.add_argument("--speed-runs", type=int, default=3, help="timed runs per text length (best one kept)")
    args = ap.parse_args()
    if not (args.data / SETS["it"]).exists():
        sys.exit(f"labelled sets not found in {args.data} (see the benchmark's docstring)")
    frames = {lang: load(args.data, lang, args.en_source) for lang in SETS}

    # what a report kernel pays once: the lexicons, then simplemma's dictionaries (only the languages a
    # batch needs: comments whose language is clear from their stop words need no dictionary to detect it)
    loaded = {}
    for lang, word in (("it", "camere"), ("en", "rooms")):
        t0 = time.perf_counter()
        _resources.lemma(word, lang)
        loaded[lang] = time.perf_counter() - t0
    t0 = time.perf_counter()
    sentiment(pd.Series(["Il servizio è stato ottimo.", "The service was great."]), None)
    t_lex = time.perf_counter() - t0
    print(
        "Load once per process: simplemma dictionary "
        + ", ".join(f"{k} {v:.2f} s" for k, v in loaded.items())
        + f" (each loaded on its first need only); lexicons and first comments {t_lex:.2f} s\n"
    )

    print("Lexicon alone (no labels) on the real labelled sentences")
    print(
        f"{'':3} {'n':>5} {'AUC':>6} {'acc':>6} {'macro-F1':>8} {'acc*':>6} {'F1*':>6} {'no-signal':>9}  target"
    )
    for lang, df in frames.items():
        r = accuracy_report(df, lang)
        t_auc, t_ns = TARGETS[lang]
        ok = "ok" if r["auc"] >= t_auc and r["no_signal"] <= t_ns else "MISSED"
        print(
            f"{lang:3} {r['n']:5d} {r['auc']:6.3f} {r['accuracy']:6.3f} {r['macro_f1']:8.3f} "
            f"{r['accuracy_signal']:6.3f} {r['macro_f1_signal']:6.3f} {r['no_signal']:9.1%}  "
            f"AUC ≥ {t_auc}, no-signal ≤ {t_ns:.0%}: {ok}   (language detected right: {r['language_ok']:.1%})"
        )
    print("  * = on the comments with a sentiment signal only")

    print(
        "\nSpeed: analyse_comments (language + sentiment + themes), one process, per-word caches emptied before each run"
    )
    short = pd.concat([frames["it"]["text"], frames["en"]["text"]], ignore_index=True)
    rng = np.random.default_rng(3)
    short = short.iloc[rng.integers(0, len(short), args.speed_n)].reset_index(drop=True)
    long_ = pd.concat(
        [
            long_texts(frames["it"]["text"], 450, args.speed_n * 3 // 4, seed=7),
            long_texts(frames["en"]["text"], 450, args.speed_n // 4, seed=8),
        ],
        ignore_index=True,
    )
    for name, texts, target in (("short", short, 20_000), ("450 chars", long_, 5_000)):
        rates = [throughput(texts) for _ in range(args.speed_runs)]
        rate, cpu_rate = max(r[0] for r in rates), max(r[1] for r in rates)
        print(
            f"  {name:10} {len(texts):>7,} comments, mean {texts.str.len().mean():5.0f} chars: "
            f"{rate:>9,.0f} comments/s wall clock (target ≥ {target:,}: {'ok' if rate >= target else 'MISSED'})"
            f"  [{cpu_rate:,.0f} per CPU second of this process; best of {args.speed_runs}]"
        )
    for label, big in (("1 MB, no spaces", "a" * 1_000_000), ("1 MB, 'ab' repeated", "ab" * 500_000)):
        t0 = time.perf_counter()
        analyse_comments(pd.DataFrame({"comment": [big]}), language="it")
        dt = time.perf_counter() - t0
        print(f"  {label:22} {dt:5.2f} s (target < 1 s: {'ok' if dt < 1 else 'MISSED'})")

    if args.no_curve:
        return
    try:
        from cxlab.text.model import learning_curve
    except ImportError as exc:  # scikit-learn missing
        print(f"\nLearning curve skipped: {exc}")
        return
    print("\nPer-client model (TF-IDF + logistic regression, blended with the lexicon): AUC by labels")
    for lang, df in frames.items():
        binary = df[df["polarity"].isin(["positive", "negative"])].reset_index(drop=True)
        curve = learning_curve(binary["text"], binary["polarity"], language=lang, sizes=(50, 100, 200, 500))
        line = "  ".join(
            f"{int(r.labels)}: {r.auc_blend:.3f} (model {r.auc_model:.3f})" for r in curve.itertuples()
        )
        target = "  target ≥ 0.93 at 200" if lang == "it" else ""
        print(f"  {lang}: lexicon {curve['auc_lexicon'].iat[0]:.3f} | {line}{target}")


if __name__ == "__main__":
    main()
