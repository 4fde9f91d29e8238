"""Small interval helpers shared by the analyses (vectorised: scalars or numpy arrays in, same shape out).

* :func:`nps_interval` — NPS and its interval from the trinomial variance, SE = sqrt([p + d − (p − d)²] / n),
  with the adjusted-Wald correction for small samples (add 3 to n and 3/4 to promoters and detractors;
  Rocks 2016, *The American Statistician*), as in DESIGN §4. NPS in points (−100…100).
* :func:`wilson_interval` — a proportion's Wilson score interval.
* :func:`z_value` — the two-sided normal quantile for a confidence level.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import norm


def z_value(confidence: float = 0.95) -> float:
    """Two-sided normal quantile, e.g. 1.96 for 0.95."""
    return float(norm.ppf(0.5 + confidence / 2))


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
