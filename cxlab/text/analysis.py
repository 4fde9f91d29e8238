"""Comment analysis of survey responses: per-comment language, sentiment and themes, then per theme
volume, sentiment, NPS of the customers who mention it, monthly trend and representative verbatims.

All functions are pure: DataFrames in, tidy DataFrames out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..config import IndicatorSettings, TextSettings, Thresholds
from ..errors import AnalysisError, MissingColumnError
from ..stats import nps_counts, nps_interval
from ._resources import tokenise
from .sentiment import sentiment_of_tokens
from .themes import taxonomy, themes_of_tokens

#: columns of the responses frame carried into the analysed comments when present
CARRIED = ("response_id", "customer_id", "case_id", "answered_at", "survey", "touchpoint", "wave", "nps")


def analyse_comments(
    responses: pd.DataFrame,
    settings: TextSettings | None = None,
    language: str = "en",
    text_column: str = "comment",
) -> pd.DataFrame:
    """One row per non-blank comment (index kept from ``responses``): the carried response columns,
    ``comment``, ``language`` (it/en/other), ``sentiment`` [-1, 1], ``polarity``, ``sentiment_words``
    and ``themes`` (theme keys joined by ";", "" when none).

    ``language`` (the client's) is used for comments that give no evidence of their language.
    Comments shorter than ``settings.min_comment_chars`` are left out.
    """
    settings = settings or TextSettings()
    if text_column not in responses.columns:
        raise MissingColumnError(
            f"a '{text_column}' column of free-text comments", file="survey_responses", column=text_column
        )
    stripped = _stripped(responses[text_column])
    lengths = np.fromiter(map(len, stripped), dtype=np.int64, count=len(stripped))
    keep = lengths >= max(settings.min_comment_chars, 1)
    base = responses.loc[keep, [c for c in CARRIED if c in responses.columns]].copy()
    kept = np.empty(int(keep.sum()), dtype=object)
    kept[:] = [t for t, k in zip(stripped, keep, strict=True) if k]
    comments = pd.Series(kept, index=base.index, dtype=object)
    base["comment"] = comments
    tokens = tokenise(comments)  # once, for the language, the sentiment and the themes
    scored = sentiment_of_tokens(comments, tokens, None, settings.neutral_band, default_language=language)
    themes = themes_of_tokens(comments, tokens, settings)
    out = pd.concat([base, scored], axis=1)
    out["themes"] = pd.Series(_joined_keys(themes), index=base.index, dtype=object)
    return out


def _stripped(column: pd.Series) -> list[str]:
    """The comments as stripped strings ("" for a missing one; numbers as written)."""
    out = []
    for t in column.to_numpy(dtype=object):
        if isinstance(t, str):
            out.append(t.strip())
        elif t is None or pd.isna(t):
            out.append("")
        else:
            out.append(str(t).strip())
    return out


def _joined_keys(flags: pd.DataFrame) -> np.ndarray:
    """Per row, the names of its True columns joined by ";" (one string built per distinct row)."""
    keys = np.asarray(flags.columns, dtype=object)
    if not len(flags) or not len(keys):
        return np.full(len(flags), "", dtype=object)
    rows, inverse = np.unique(flags.to_numpy(dtype=bool), axis=0, return_inverse=True)
    names = np.empty(len(rows), dtype=object)
    names[:] = [";".join(keys[row]) for row in rows]
    return names[np.asarray(inverse).reshape(-1)]


def theme_mentions(analysed: pd.DataFrame) -> pd.DataFrame:
    """Long table: one row per (comment, theme) mentioned, with the comment's other columns."""
    if "themes" not in analysed.columns:
        raise MissingColumnError("the output of analyse_comments", file="analysed comments", column="themes")
    split = analysed["themes"].astype(object).str.split(";")
    long = analysed.drop(columns="themes").assign(theme=split).explode("theme")
    long = long[long["theme"].notna() & (long["theme"] != "")]
    return long.rename_axis("comment_index").reset_index()


def _nps_table(nps: pd.Series, by: pd.Series, indicators: IndicatorSettings) -> pd.DataFrame:
    """Answers, promoters and detractors per value of ``by`` (rows in order of first appearance)."""
    groups, keys = pd.factorize(by.to_numpy())
    known = groups >= 0  # a blank key belongs to no group
    n, promoters, detractors = nps_counts(
        groups[known],
        len(keys),
        nps.to_numpy()[known],
        indicators.nps_promoter_min,
        indicators.nps_detractor_max,
    )
    table = pd.DataFrame({"promoters": promoters, "detractors": detractors, "nps_n": n}, index=keys)
    return table[table["nps_n"] > 0].rename_axis("by")


def theme_summary(
    analysed: pd.DataFrame,
    responses: pd.DataFrame | None = None,
    settings: TextSettings | None = None,
    indicators: IndicatorSettings | None = None,
    thresholds: Thresholds | None = None,
    lang: str = "en",
    min_mentions: int = 5,
) -> pd.DataFrame:
    """Per theme: ``mentions``, ``share`` of comments, ``customers``, ``mean_sentiment``, counts and
    shares by polarity, ``ultra_detractors`` (mentions by NPS 0–1 respondents), ``nps`` with its
    interval (``nps_low``, ``nps_high``) and ``nps_n``, ``small_n``, ``negative_rank`` (1 = the
    theme with most negative comments; ties by mean sentiment) and ``sentiment_rank`` (1 = lowest mean
    sentiment among themes with at least ``min_mentions`` mentions; the others rank after them).
    Sorted by ``negative_rank``.

    NPS: with ``responses`` (the survey responses frame) it is computed over all the responses of the
    customers who mention the theme; without, over the mentioning comments' own NPS answers.
    """
    indicators = indicators or IndicatorSettings()
    thresholds = thresholds or Thresholds()
    themes = taxonomy(settings)
    long = theme_mentions(analysed)
    keys = list(themes)
    long = long[long["theme"].isin(keys)]
    g = long.groupby("theme", sort=False)
    pol = long["polarity"].astype(object)
    counts = pd.DataFrame(
        {
            "mentions": g.size(),
            "mean_sentiment": g["sentiment"].mean(),
            "negative": (pol == "negative").groupby(long["theme"]).sum(),
            "neutral": (pol == "neutral").groupby(long["theme"]).sum(),
            "positive": (pol == "positive").groupby(long["theme"]).sum(),
            "no_signal": (pol == "no_signal").groupby(long["theme"]).sum(),
        }
    )
    if "customer_id" in long.columns:
        counts["customers"] = g["customer_id"].nunique()
    if "nps" in long.columns:
        counts["ultra_detractors"] = (
            (long["nps"] <= thresholds.ultra_detractor_max).groupby(long["theme"]).sum()
        )
    out = counts.reindex(keys)
    for col in ("mentions", "negative", "neutral", "positive", "no_signal", "customers", "ultra_detractors"):
        if col in out.columns:
            out[col] = out[col].fillna(0).astype(np.int64)
    n_comments = len(analysed)
    out["share"] = out["mentions"] / n_comments if n_comments else np.nan
    with np.errstate(invalid="ignore", divide="ignore"):
        for col in ("negative", "neutral", "positive", "no_signal"):
            out[f"{col}_share"] = np.where(out["mentions"] > 0, out[col] / out["mentions"], np.nan)

    if (
        responses is not None
        and {"customer_id", "nps"} <= set(responses.columns)
        and "customer_id" in long.columns
    ):
        pairs = long[["theme", "customer_id"]].drop_duplicates()
        joined = pairs.merge(responses[["customer_id", "nps"]], on="customer_id", how="inner")
        table = _nps_table(joined["nps"], joined["theme"], indicators)
    elif "nps" in long.columns:
        table = _nps_table(long["nps"], long["theme"], indicators)
    else:
        table = pd.DataFrame(columns=["promoters", "detractors", "nps_n"])
    table = table.reindex(keys).fillna(0)
    nps, _, low, high = nps_interval(
        table["promoters"].to_numpy(),
        table["detractors"].to_numpy(),
        table["nps_n"].to_numpy(),
        thresholds.confidence,
    )
    out["nps"], out["nps_low"], out["nps_high"] = nps, low, high
    out["nps_n"] = table["nps_n"].to_numpy().astype(np.int64)
    out["small_n"] = out["nps_n"] < thresholds.small_n
    out["label"] = [themes[k].label(lang) for k in keys]
    out = out.rename_axis("theme").reset_index()
    order = out.sort_values(["negative", "mean_sentiment"], ascending=[False, True], na_position="last").index
    out.loc[order, "negative_rank"] = np.arange(1, len(out) + 1)
    out["negative_rank"] = out["negative_rank"].astype(np.int64)
    few = out["mentions"] < max(min_mentions, 1)
    by_sent = out.assign(_few=few).sort_values(["_few", "mean_sentiment"], na_position="last").index
    out.loc[by_sent, "sentiment_rank"] = np.arange(1, len(out) + 1)
    out["sentiment_rank"] = out["sentiment_rank"].astype(np.int64)
    front = ["theme", "label", "mentions", "share"]
    return out.loc[order, front + [c for c in out.columns if c not in front]].reset_index(drop=True)


def theme_trend(
    analysed: pd.DataFrame,
    freq: str = "M",
    date_column: str = "answered_at",
    settings: TextSettings | None = None,
    indicators: IndicatorSettings | None = None,
) -> pd.DataFrame:
    """Per period (``freq`` "M" month, "Q" quarter, "W" week) and theme: ``period`` (start date),
    ``mentions``, ``comments`` in the period, ``share``, ``mean_sentiment``, ``negative_share``, ``nps``."""
    indicators = indicators or IndicatorSettings()
    if date_column not in analysed.columns:
        raise MissingColumnError(
            "the answer date of each comment", file="analysed comments", column=date_column
        )
    if freq not in {"M", "Q", "W"}:
        raise AnalysisError("freq one of 'M', 'Q', 'W'", file="theme_trend", found=repr(freq))
    period_of = lambda s: pd.to_datetime(s).dt.to_period(freq).dt.start_time  # noqa: E731
    totals = analysed.groupby(period_of(analysed[date_column])).size().rename("comments")
    long = theme_mentions(analysed)
    long = long[long["theme"].isin(list(taxonomy(settings)))]
    long["period"] = period_of(long[date_column])
    long["is_negative"] = long["polarity"].astype(object) == "negative"
    agg = {
        "mentions": ("theme", "size"),
        "mean_sentiment": ("sentiment", "mean"),
        "negative_share": ("is_negative", "mean"),
    }
    out = long.groupby(["period", "theme"]).agg(**agg).reset_index()
    if "nps" in long.columns:
        t = _nps_table(long["nps"], long["period"].astype(str) + "|" + long["theme"], indicators)
        key = out["period"].astype(str) + "|" + out["theme"]
        t = t.reindex(key).fillna(0)
        out["nps"] = nps_interval(
            t["promoters"].to_numpy(), t["detractors"].to_numpy(), t["nps_n"].to_numpy()
        )[0]
        out["nps_n"] = t["nps_n"].to_numpy().astype(np.int64)
    out["comments"] = totals.reindex(out["period"]).to_numpy()
    out["share"] = out["mentions"] / out["comments"]
    return out.sort_values(["period", "theme"]).reset_index(drop=True)


def verbatims(
    analysed: pd.DataFrame,
    theme: str | None = None,
    n: int = 5,
    polarity: str | None = "negative",
    thresholds: Thresholds | None = None,
    first_language: str | None = None,
) -> pd.DataFrame:
    """Representative comments per theme (all themes when ``theme`` is None), raw text.

    Order within a theme: comments in ``first_language`` (the report's) first when given, then
    ultra-detractors (NPS ≤ ``thresholds.ultra_detractor_max``), then by
    sentiment (most negative first; most positive first when ``polarity="positive"``), longer comments
    first on ties. ``polarity`` keeps only comments of that polarity (None keeps all). Escape the text
    before putting it in HTML (the report layer does).
    """
    thresholds = thresholds or Thresholds()
    long = theme_mentions(analysed)
    if theme is not None:
        long = long[long["theme"] == theme]
    if polarity is not None:
        long = long[long["polarity"].astype(object) == polarity]
    nps = long["nps"] if "nps" in long.columns else pd.Series(np.nan, index=long.index)
    in_language = (
        (long["language"].astype(object) == first_language).to_numpy()
        if first_language is not None and "language" in long.columns
        else np.ones(len(long), dtype=bool)
    )
    long = long.assign(
        ultra_detractor=(nps <= thresholds.ultra_detractor_max).to_numpy(),
        _lang=in_language,
        _sent=long["sentiment"] * (-1 if polarity == "positive" else 1),
        _len=-long["comment"].str.len(),
    )
    long = long.sort_values(
        ["theme", "_lang", "ultra_detractor", "_sent", "_len"],
        ascending=[True, False, False, True, True],
        kind="stable",
    )
    top = long.groupby("theme", sort=False).head(n).drop(columns=["_lang", "_sent", "_len"])
    return top.reset_index(drop=True)
