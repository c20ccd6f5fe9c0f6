"""Throughput verdicts that hold up on a noisy machine.

A drop counts only with both a minimum effect and statistical evidence for it,
as asv (factor plus Mann-Whitney U) and Apache Otava (p-value plus minimum
magnitude) decide. The two are combined in one test: Mann-Whitney U asks
whether the current round FPS lie below the baseline's *scaled by the minimum
effect* (baseline x 0.95 for a 5% threshold). A 3% drop therefore never
regresses however many rounds are measured, and a 10% drop does once there
are rounds enough to show it. When the point estimate lies beyond the
threshold but the evidence is not there yet, the verdict is ``inconclusive``
and the caller measures more rounds; if it stays so, the cell is ``unstable``.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Sequence

import numpy as np
from scipy import stats

REGRESSED, IMPROVED, UNCHANGED, INCONCLUSIVE, UNSTABLE = (
    "regressed", "improved", "unchanged", "inconclusive", "unstable",
)
NEW, MISSING = "new", "missing"
DEFAULT_MAX_REGRESSION = 0.05
DEFAULT_ALPHA = 0.01
CONFIDENCE = 0.95


@dataclass(frozen=True)
class Comparison:
    """One cell against its baseline cell."""

    verdict: str
    baseline_fps: float
    current_fps: float
    #: median(current) / median(baseline): below 1 is slower.
    ratio: float
    ci_low: float
    ci_high: float
    #: One-sided Mann-Whitney U p-value for the direction of the ratio, against the threshold.
    p_value: float
    n_baseline: int
    n_current: int
    threshold: float
    note: str = ""

    @property
    def label(self) -> str:
        return f"{self.verdict}, {self.note}" if self.note else self.verdict

    def describe(self) -> str:
        return (
            f"{self.baseline_fps:.2f} -> {self.current_fps:.2f} FPS, ratio {self.ratio:.3f} "
            f"({CONFIDENCE:.0%} CI {self.ci_low:.3f}-{self.ci_high:.3f}), "
            f"p={self.p_value:.2g} against a {self.threshold:.0%} change, "
            f"{self.n_current} rounds vs {self.n_baseline}"
        )

    def with_note(self, note: str) -> "Comparison":
        return replace(self, note=note)

    def as_dict(self) -> dict:
        return {
            "verdict": self.verdict, "label": self.label, "baseline_fps": self.baseline_fps,
            "current_fps": self.current_fps, "ratio": self.ratio, "ci_low": self.ci_low,
            "ci_high": self.ci_high, "p_value": self.p_value, "n_baseline": self.n_baseline,
            "n_current": self.n_current, "threshold": self.threshold, "note": self.note,
        }


def median_ratio_ci(baseline: np.ndarray, current: np.ndarray, seed: int = 0) -> tuple[float, float]:
    """Percentile-bootstrap confidence interval of median(current) / median(baseline)."""
    if len(baseline) < 2 or len(current) < 2:
        ratio = float(np.median(current) / np.median(baseline))
        return ratio, ratio
    result = stats.bootstrap(
        (current, baseline),
        lambda c, b, axis: np.median(c, axis=axis) / np.median(b, axis=axis),
        vectorized=True, paired=False, n_resamples=2000, confidence_level=CONFIDENCE,
        method="percentile", rng=np.random.default_rng(seed),
    )
    return float(result.confidence_interval.low), float(result.confidence_interval.high)


def compare(
    baseline_fps: Sequence[float],
    current_fps: Sequence[float],
    max_regression: float = DEFAULT_MAX_REGRESSION,
    alpha: float = DEFAULT_ALPHA,
) -> Comparison:
    """The verdict for one cell from its per-round FPS samples (higher is better)."""
    base = np.asarray(baseline_fps, dtype=float)
    cur = np.asarray(current_fps, dtype=float)
    if len(base) == 0 or len(cur) == 0:
        raise ValueError("both sides need at least one round")
    ratio = float(np.median(cur) / np.median(base))
    low, high = median_ratio_ci(base, cur)
    p_slower = float(stats.mannwhitneyu(cur, base * (1 - max_regression), alternative="less").pvalue)
    p_faster = float(stats.mannwhitneyu(cur, base * (1 + max_regression), alternative="greater").pvalue)
    if p_slower < alpha:
        verdict = REGRESSED
    elif p_faster < alpha:
        verdict = IMPROVED
    elif 1 - max_regression <= ratio <= 1 + max_regression:
        verdict = UNCHANGED
    else:
        verdict = INCONCLUSIVE
    return Comparison(
        verdict=verdict, baseline_fps=float(np.median(base)), current_fps=float(np.median(cur)),
        ratio=ratio, ci_low=low, ci_high=high, p_value=p_slower if ratio < 1 else p_faster,
        n_baseline=len(base), n_current=len(cur), threshold=max_regression,
    )


def settle(comparison: Comparison) -> Comparison:
    """An inconclusive verdict that no more rounds will resolve becomes ``unstable``."""
    if comparison.verdict == INCONCLUSIVE:
        return replace(comparison, verdict=UNSTABLE)
    return comparison


def judge(
    baseline_fps: Sequence[float],
    current_fps: Sequence[float],
    measure_more: Callable[[], list[float]],
    seconds_left: Callable[[], float],
    max_regression: float = DEFAULT_MAX_REGRESSION,
    alpha: float = DEFAULT_ALPHA,
) -> tuple[Comparison, list[float]]:
    """Compare, and while inconclusive measure more rounds until time runs out.

    Returns the settled comparison and every current round used for it
    (the first ones plus any re-measured ones). MLPerf's early stopping and
    asv's repeat-until-stable work the same way: only a cell that cannot be
    decided yet costs more time.
    """
    rounds = list(current_fps)
    comparison = compare(baseline_fps, rounds, max_regression, alpha)
    while comparison.verdict == INCONCLUSIVE and seconds_left() > 0:
        more = measure_more()
        if not more:
            break
        rounds.extend(more)
        comparison = compare(baseline_fps, rounds, max_regression, alpha)
    return settle(comparison), rounds
