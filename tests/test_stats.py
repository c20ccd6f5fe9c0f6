"""The verdict on synthetic per-round FPS samples with fixed seeds.

The noise levels are the ones measured on the project's 2-core machines
(coefficient of variation 2.5% for THROUGHPUT async, 5.8% for LATENCY).
"""
from __future__ import annotations

import numpy as np
import pytest

from ovperf.stats import IMPROVED, INCONCLUSIVE, REGRESSED, UNCHANGED, UNSTABLE, compare, judge

REPETITIONS = 200


def rounds(rng, fps, cv, n):
    return rng.normal(fps, fps * cv, n)


def verdict_with_more_rounds(rng, drop, cv, n_baseline=10, n_current=5, budget=4):
    """One comparison as the suite makes it: more rounds while inconclusive, up to ``budget`` batches."""
    baseline = rounds(rng, 100.0, cv, n_baseline)
    left = [budget]

    def more():
        left[0] -= 1
        return list(rounds(rng, 100.0 * (1 - drop), cv, n_current))

    comparison, _ = judge(baseline, rounds(rng, 100.0 * (1 - drop), cv, n_current), more, lambda: left[0])
    return comparison.verdict


@pytest.mark.parametrize("cv", [0.03, 0.06])
def test_equal_distributions_never_regress(cv):
    rng = np.random.default_rng(20261123)
    verdicts = [verdict_with_more_rounds(rng, 0.0, cv) for _ in range(REPETITIONS)]
    assert REGRESSED not in verdicts and IMPROVED not in verdicts
    assert verdicts.count(UNCHANGED) >= 0.9 * REPETITIONS  # the rest are honest "unstable"


def test_a_ten_percent_drop_at_three_percent_noise_regresses():
    rng = np.random.default_rng(7)
    verdicts = [verdict_with_more_rounds(rng, 0.10, 0.03) for _ in range(REPETITIONS)]
    assert verdicts.count(REGRESSED) >= 0.95 * REPETITIONS


def test_a_three_percent_drop_is_below_the_threshold():
    rng = np.random.default_rng(11)
    verdicts = [verdict_with_more_rounds(rng, 0.03, 0.03) for _ in range(REPETITIONS)]
    assert REGRESSED not in verdicts


def test_an_improvement_is_not_a_failure():
    rng = np.random.default_rng(3)
    verdicts = [verdict_with_more_rounds(rng, -0.15, 0.03) for _ in range(50)]
    assert REGRESSED not in verdicts and verdicts.count(IMPROVED) >= 45


def test_the_threshold_comes_from_the_caller():
    rng = np.random.default_rng(5)
    base, cur = rounds(rng, 100, 0.01, 10), rounds(rng, 92, 0.01, 10)
    assert compare(base, cur, max_regression=0.05).verdict == REGRESSED
    assert compare(base, cur, max_regression=0.15).verdict == UNCHANGED


def test_ratio_and_interval_describe_the_drop():
    rng = np.random.default_rng(9)
    c = compare(rounds(rng, 100, 0.02, 10), rounds(rng, 50, 0.02, 10))
    assert c.verdict == REGRESSED
    assert c.ci_low <= c.ratio <= c.ci_high and 0.45 < c.ratio < 0.55
    assert c.p_value < 0.001
    assert c.describe().startswith(f"{c.baseline_fps:.2f} -> {c.current_fps:.2f} FPS, ratio 0.5")


def test_an_inconclusive_cell_is_measured_again():
    baseline = [100.0, 101.0, 99.0, 100.5, 99.5, 100.2, 99.8, 100.1, 99.9, 100.3]
    first = [88.0, 97.0]  # 7.5% slower by the median, but two rounds prove nothing
    assert compare(baseline, first).verdict == INCONCLUSIVE
    calls = []

    def more():
        calls.append(1)
        return [90.0, 90.5, 89.5, 90.2, 89.8]

    comparison, all_rounds = judge(baseline, first, more, lambda: 1.0)
    assert calls and comparison.verdict == REGRESSED
    assert all_rounds[:2] == first and len(all_rounds) == 2 + 5 * len(calls)


def test_an_inconclusive_cell_out_of_time_is_unstable():
    baseline = [100.0, 101.0, 99.0, 100.5, 99.5]
    comparison, all_rounds = judge(baseline, [70.0, 130.0, 80.0], lambda: [75.0], lambda: 0.0)
    assert comparison.verdict == UNSTABLE and len(all_rounds) == 3


def test_catch_rates_scale_real_rounds():
    from ovperf.power import catch_rates

    rng = np.random.default_rng(1)
    baseline = {"cell": list(rounds(rng, 100, 0.02, 10))}
    runs = [{"cell": list(rounds(rng, 100, 0.02, 10)), "other": [1.0]} for _ in range(5)]
    rates = catch_rates(baseline, runs, drops=(0.0, 0.2))
    assert rates[0.0] == (0, 5)  # unchanged runs: no false alarm; cells absent from the baseline are ignored
    assert rates[0.2] == (5, 5)  # a 20% slowdown of the same rounds: flagged every time
