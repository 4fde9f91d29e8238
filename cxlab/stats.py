"""Small interval helpers shared by the analyses (vectorised: scalars or numpy arrays in, same shape out).

* :func:`nps_classes` / :func:`nps_counts` — which 0–10 answers are promoters and detractors, and how many
  of each per group: the one place the NPS thresholds are applied.
* :func:`nps_interval` — NPS and its interval from the trinomial variance, SE = sqrt([p + d − (p − d)²] / n),
  with the adjusted-Wald correction for small samples (add 3 to n and 3/4 to promoters and detractors;
  Rocks 2016, *The American Statistician*), as in DESIGN §4. NPS in points (−100…100).
* :func:`wilson_interval` — a proportion's Wilson score interval.
* :func:`z_value` — the two-sided normal quantile for a confidence level.
* :func:`mean_interval` — a mean's normal-approximation interval from its standard deviation.
* :func:`two_sided_p` — the two-sided normal p-value of a z statistic.
* :func:`cochran_armitage` — the Cochran–Armitage test for a trend in proportions across ordered groups.
* :func:`relative_weights` — Johnson's (2000) relative weights: each predictor's share of R².
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy.stats import norm


def z_value(confidence: float = 0.95) -> float:
    """Two-sided normal quantile, e.g. 1.96 for 0.95."""
    return float(norm.ppf(0.5 + confidence / 2))


def nps_classes(
    scores: ArrayLike, promoter_min: int, detractor_max: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(answered, promoter, detractor) masks of 0–10 scores; anything not a number is no answer."""
    values = np.asarray(scores)
    if values.dtype.kind in "biuf":
        values = values.astype(float)
    else:  # text, or nullable numbers with pd.NA
        values = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    answered = ~np.isnan(values)
    return answered, answered & (values >= promoter_min), answered & (values <= detractor_max)


def nps_counts(
    groups: np.ndarray, n_groups: int, scores: ArrayLike, promoter_min: int, detractor_max: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(answers, promoters, detractors) per group 0…n_groups−1 (int64 arrays), from each score's group."""
    answered, promoter, detractor = nps_classes(scores, promoter_min, detractor_max)
    groups = np.asarray(groups, dtype=np.int64)
    return tuple(  # type: ignore[return-value]
        np.bincount(groups[mask], minlength=n_groups).astype(np.int64)
        for mask in (answered, promoter, detractor)
    )


def nps_interval(
    promoters: np.ndarray | float,
    detractors: np.ndarray | float,
    n: np.ndarray | float,
    confidence: float = 0.95,
    adjusted: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(nps, se, low, high) in points; ``adjusted`` uses the adjusted-Wald point for the interval.

    The reported NPS is always the plain one; the interval is centred on the adjusted estimate, clipped
    to −100…100. n = 0 gives NaN.
    """
    prom = np.asarray(promoters, dtype=float)
    det = np.asarray(detractors, dtype=float)
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        nps = np.where(n > 0, (prom - det) / n * 100, np.nan)
        if adjusted:
            na, pa, da = n + 3, (prom + 0.75) / (n + 3), (det + 0.75) / (n + 3)
        else:
            na, pa, da = n, prom / n, det / n
        centre = (pa - da) * 100
        se = np.sqrt(np.maximum(pa + da - (pa - da) ** 2, 0) / na) * 100
    z = z_value(confidence)
    low = np.where(n > 0, np.clip(centre - z * se, -100, 100), np.nan)
    high = np.where(n > 0, np.clip(centre + z * se, -100, 100), np.nan)
    se = np.where(n > 0, se, np.nan)
    return nps, se, low, high


def wilson_interval(
    successes: np.ndarray | float, n: np.ndarray | float, confidence: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """(low, high) of a proportion (0–1); n = 0 gives NaN."""
    k = np.asarray(successes, dtype=float)
    n = np.asarray(n, dtype=float)
    z = z_value(confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        denom = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
    low = np.where(n > 0, centre - half, np.nan)
    high = np.where(n > 0, centre + half, np.nan)
    return low, high


def two_sided_p(z: np.ndarray | float) -> np.ndarray:
    """Two-sided p-value of a standard-normal statistic (NaN stays NaN)."""
    return 2 * norm.sf(np.abs(np.asarray(z, dtype=float)))


def mean_interval(
    mean: np.ndarray | float, sd: np.ndarray | float, n: np.ndarray | float, confidence: float = 0.95
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(se, low, high) of a mean from the sample standard deviation: se = sd / sqrt(n); n = 0 gives NaN."""
    mean, sd, n = (np.asarray(v, dtype=float) for v in (mean, sd, n))
    with np.errstate(invalid="ignore", divide="ignore"):
        se = np.where(n > 0, sd / np.sqrt(n), np.nan)
    z = z_value(confidence)
    return se, mean - z * se, mean + z * se


def cochran_armitage(
    successes: np.ndarray, n: np.ndarray, scores: np.ndarray | None = None
) -> tuple[float, float]:
    """(z, two-sided p) of the Cochran–Armitage test for a linear trend in proportions over ordered groups.

    z = Σ tᵢ(xᵢ − nᵢp̄) / sqrt(p̄(1 − p̄)[Σ tᵢ²nᵢ − (Σ tᵢnᵢ)²/N]); ``scores`` tᵢ default to 0, 1, 2 …
    A negative z means the proportion falls as the score rises. NaN when it cannot be computed.
    """
    x = np.asarray(successes, dtype=float)
    n = np.asarray(n, dtype=float)
    t = np.arange(len(x), dtype=float) if scores is None else np.asarray(scores, dtype=float)
    total = n.sum()
    if total <= 0:
        return float("nan"), float("nan")
    p = x.sum() / total
    var = p * (1 - p) * ((t**2 * n).sum() - (t * n).sum() ** 2 / total)
    if var <= 0:
        return float("nan"), float("nan")
    z = float((t * (x - n * p)).sum() / np.sqrt(var))
    return z, float(two_sided_p(z))


def relative_weights(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Johnson's relative weights of the columns of ``x`` for ``y``: (raw weights, R²).

    The predictors are replaced by their closest orthogonal counterparts Z (via the eigen-decomposition of
    their correlation matrix R = VΛVᵀ, Λ* = VΛ^½Vᵀ); y is regressed on Z (β = Λ*⁻¹ r_xy) and each predictor
    gets εⱼ = Σₖ Λ*ⱼₖ² βₖ². The weights add up to the R² of the ordinary regression. Collinear predictors
    (e.g. every category of one variable) share their weight through a pseudo-inverse; constant columns
    get weight 0. Rows with a NaN anywhere must be dropped before.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    k = x.shape[1]
    weights = np.zeros(k)
    sd = x.std(axis=0)
    keep = sd > 0
    if len(y) < 3 or not keep.any() or y.std() == 0:
        return weights, float("nan") if len(y) < 3 else 0.0
    xs = (x[:, keep] - x[:, keep].mean(axis=0)) / sd[keep]
    ys = (y - y.mean()) / y.std()
    n = len(y)
    r = xs.T @ xs / n
    rxy = xs.T @ ys / n
    evals, evecs = np.linalg.eigh(r)
    evals = np.clip(evals, 0, None)
    lam = evecs @ np.diag(np.sqrt(evals)) @ evecs.T
    beta = np.linalg.pinv(lam, rcond=1e-10, hermitian=True) @ rxy
    eps = (lam**2) @ (beta**2)
    weights[keep] = eps
    return weights, float(eps.sum())
