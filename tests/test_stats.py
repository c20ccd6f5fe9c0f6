"""The verdict on simulated processes, with fixed seeds.

The noise is the one measured on the project's bf16 host (shared/FACTS.md): rounds
inside one process vary 1.9%, and processes of ``CPU-LATENCY-b1-sync`` fall into
two modes 17% apart, about half in each. A round-level test reads those modes as
evidence; the process-level test must not.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import replace

import math

import numpy as np
import pytest
from scipy import stats as sps

from ovperf.defaults import LEAN_P
from ovperf.stats import (
    FASTER, IMPROVED, INCONCLUSIVE, REGRESSED, SLOWER, UNCHANGED, UNSTABLE, Permutation, look_levels,
    can_decide, classify, compare, judge, min_p_value, planned_sizes, settle,
)

ROUND_CV = 0.019
MODES = 1.17


def process(rng, fps, rounds=2, bimodal=True):
    """One process's rounds: a mode drawn for the process, then round noise."""
    level = fps * (MODES if bimodal and rng.random() < 0.5 else 1.0)
    return list(rng.normal(level, level * ROUND_CV, rounds))


def gate(rng, drop, n_baseline, n_current, bimodal=True):
    """One stored-baseline comparison as the suite makes it: looks of ``n_current`` more processes."""
    baseline = [process(rng, 100.0, bimodal=bimodal) for _ in range(n_baseline)]
    current: list = []

    def sample(look):
        current.extend(process(rng, 100.0 * (1 - drop), bimodal=bimodal) for _ in range(n_current))
        return baseline, current

    sizes = planned_sizes(n_baseline, n_current, n_current, grows_baseline=False)
    return judge(sample, sizes, lambda: 1.0, max_regression=0.05, alpha=0.01)


def test_round_level_statistics_false_alarm_on_process_modes():
    """Why the unit changed: Mann-Whitney on rounds, as the suite judged before, calls A/A runs
    of the bimodal cell different far more often than its alpha."""
    rng = np.random.default_rng(5)
    alarms = 0
    for _ in range(200):
        base = [x for _ in range(1) for x in process(rng, 100.0, rounds=10)]
        cur = [x for _ in range(1) for x in process(rng, 100.0, rounds=5)]
        alarms += sps.mannwhitneyu(cur, np.multiply(base, 0.95), alternative="less").pvalue < 0.01
    assert alarms >= 40, alarms  # about a quarter: whenever the two processes landed in different modes


def test_bimodal_a_a_comparisons_stay_below_one_percent():
    rng = np.random.default_rng(20261125)
    verdicts = Counter(gate(rng, 0.0, 18, 6).verdict for _ in range(500))
    assert verdicts[REGRESSED] <= 5, verdicts


def test_bimodal_ten_percent_slowdown_is_caught_nine_times_in_ten():
    """Two modes 17% apart are the hardest case: a baseline pooled from three runs of six
    processes (``--ov-save-baseline-append``) and up to four looks of six processes."""
    rng = np.random.default_rng(7)
    verdicts = Counter(gate(rng, 0.10, 18, 6).verdict for _ in range(500))
    assert verdicts[REGRESSED] >= 450, verdicts


def test_a_quiet_cell_is_decided_at_the_first_look_with_the_defaults():
    """One mode, 1.9% rounds, 2% between processes: 6 baseline processes, 5 current."""
    rng = np.random.default_rng(3)

    def one(drop):
        baseline = [list(rng.normal(100 * f, 1.9, 2)) for f in rng.normal(1, 0.02, 6)]
        current = [list(rng.normal(100 * (1 - drop) * f, 1.9, 2)) for f in rng.normal(1, 0.02, 5)]
        return judge(lambda look: (baseline, current), planned_sizes(6, 5, 5, False), lambda: 0.0)

    tally = Counter(one(0.10).verdict for _ in range(200))
    assert tally[REGRESSED] >= 180, tally
    tally = Counter(one(0.0).verdict for _ in range(200))
    assert tally[REGRESSED] == 0 and tally[UNCHANGED] + tally[INCONCLUSIVE] + tally[SLOWER] + tally[FASTER] == 200


def test_the_permutation_p_value_is_scipys():
    rng = np.random.default_rng(1)
    base, cur = rng.normal(0, 0.05, 5), rng.normal(-0.04, 0.05, 4)
    exact = sps.permutation_test(
        (cur, base), lambda x, y, axis: np.mean(x, axis=axis) - np.mean(y, axis=axis),
        alternative="less", n_resamples=10**6, vectorized=True,
    ).pvalue
    assert Permutation.of(base, cur).p_lower() == pytest.approx(exact)


@pytest.mark.parametrize(("make", "level"), [
    (lambda rng: Permutation.of(rng.normal(0, 0.05, 6), rng.normal(-0.1, 0.05, 5)), 0.01),
    (lambda rng: Permutation.paired(rng.normal(-0.05, 0.02, 10)), 0.005),
], ids=["two-sample", "paired"])
def test_the_interval_is_the_inverted_test(make, level):
    test = make(np.random.default_rng(2))
    low, high = test.interval(level)
    assert low < test.observed < high
    assert test.p_higher(low - 1e-6) <= level < test.p_higher(low + 1e-6)
    assert test.p_lower(high + 1e-6) <= level < test.p_lower(high - 1e-6)


def test_too_few_processes_give_no_interval():
    assert min_p_value(3, 2) == pytest.approx(0.1)
    low, high = Permutation.of(np.zeros(3), np.ones(2)).interval(0.01)
    assert (low, high) == (-np.inf, np.inf)


@pytest.mark.parametrize(
    ("ratio", "low", "high", "verdict"),
    [
        (0.913, 0.906, 0.920, REGRESSED),
        (0.945, 0.941, 0.952, REGRESSED),  # shown, and beyond 5%
        (0.959, 0.954, 0.962, SLOWER),  # shown, within 5%: reported, does not fail
        (0.965, 0.940, 0.990, REGRESSED),  # shown, but not shown within 5%: doubt fails the change
        (1.04, 1.01, 1.07, FASTER),  # a speed-up needs the ratio itself beyond 5% to read improved
        (1.0, 0.97, 1.03, UNCHANGED),  # equivalence shown
        (1.03, 1.01, 1.05, FASTER),
        (1.2, 1.1, 1.3, IMPROVED),
        (0.93, 0.8, 1.05, INCONCLUSIVE),
    ],
)
def test_the_vocabulary_says_what_was_measured(ratio, low, high, verdict):
    assert classify(ratio, low, high, 0.05) == verdict


def test_the_bound_at_the_miss_rate_tells_slower_from_regressed():
    """The interval (at alpha) shows the slowdown; the one-sided bound at the miss rate,
    narrower, says whether it is within the threshold."""
    assert classify(0.965, 0.940, 0.990, 0.05, floor=0.952) == SLOWER
    assert classify(0.965, 0.940, 0.990, 0.05, floor=0.948) == REGRESSED
    assert classify(0.98, 0.94, 1.02, 0.05, floor=0.95) == INCONCLUSIVE  # no slowdown shown: no bound decides


def test_a_doubtful_regression_says_so_and_how_many_more_would_decide():
    """3.8% slower, shown, but the bound at the miss rate reaches below 0.95: it fails, and the
    label says it is doubt, not a measured 5%, that fails it."""
    spread = (1.012, 0.988, 1.0, 1.018, 0.982, 1.0)
    base = [[100 * f] for f in spread]
    c = compare(base, [[96.2 * f] for f in spread[:5]], alpha_look=0.005)
    assert c.verdict == REGRESSED and c.doubtful and c.undecided
    assert c.ci_high < 1 and c.ratio > 0.95 > c.floor > c.ci_low
    assert c.label.startswith("regressed, 3.8% (not shown within 5%: as slow as 0.94")
    assert "at 97.5% confidence; ~" in c.label and "more process" in c.label and c.processes_needed > c.n_current
    precise = compare(base, [[96.2 * f] for f in (1.002, 0.998, 1.0, 1.003, 0.997)] * 4, alpha_look=0.005)
    assert precise.verdict == SLOWER and not precise.undecided and precise.floor >= 0.95


def test_a_doubtful_regression_takes_the_next_look_and_a_clear_one_does_not():
    def looks_taken(factor):
        taken = []

        def sample(look):
            taken.append(look)
            rng = np.random.default_rng(look)
            cur = [[100 * factor * f] for f in rng.normal(1, 0.02, 5 * (look + 1))]
            return [[100 * f] for f in (1.02, 0.98, 1.0, 1.03, 0.97, 1.0)], cur

        verdict = judge(sample, planned_sizes(6, 5, 5, False), lambda: 1.0)
        return verdict, taken

    doubtful, taken = looks_taken(0.965)
    assert len(taken) > 1 and doubtful.look == len(taken)
    clear, taken = looks_taken(0.85)
    assert clear.verdict == REGRESSED and not clear.doubtful and taken == [0]


def test_a_slowdown_of_exactly_the_threshold_passes_at_most_at_the_miss_rate():
    """The miss rate's promise, in simulation: a true 5% slowdown (B at 0.95 of A, paired)
    reads slower in at most about 5% of runs (the default miss rate); the rest fail."""
    rng = np.random.default_rng(9)
    verdicts = Counter(ab_gate(rng, 0.05).verdict for _ in range(400))
    assert verdicts[SLOWER] <= 33, verdicts  # 5% of 400, plus three binomial SDs (4.4 each)
    assert verdicts[REGRESSED] >= 360, verdicts


def test_a_slower_cell_reads_its_size():
    base = [[100.0, 100.2]] * 3 + [[99.8, 100.1]] * 3
    cur = [[95.9, 96.0], [95.8, 96.1], [96.0, 95.9], [95.9, 96.1], [96.0, 96.0]]
    c = compare(base, cur, alpha_look=0.0025)
    assert c.verdict == SLOWER and c.label.startswith("slower, 4.")
    assert c.ci_high < 1 and c.confidence == pytest.approx(0.995)


def test_looks_spend_alpha_only_where_a_decision_is_possible():
    sizes = planned_sizes(6, 5, 5, grows_baseline=False)
    assert sizes == [(6, 5), (6, 10), (6, 15), (6, 20)]
    assert look_levels(sizes, 0.01) == pytest.approx([0.0025] * 4)
    assert look_levels(sizes[:1], 0.01) == [0.01]
    # a look that cannot reach its even share gets none: 3 + 2 processes (1/10) never, 3 + 4 (1/35) at 0.1 / 3
    assert look_levels([(3, 2), (3, 4), (3, 6), (3, 8)], 0.1) == pytest.approx([0, 0.1 / 3, 0.1 / 3, 0.1 / 3])
    # one baseline process: no look of up to 20 current processes can reach 0.01 / 4
    assert not can_decide(planned_sizes(1, 5, 5, False), 0.01)
    ab = planned_sizes(6, 6, 6, grows_baseline=True)
    assert ab[-1] == (24, 24)


def test_the_first_ab_look_keeps_its_power_when_more_looks_are_planned():
    """8 pairs reach p = k / 256: a first look at 0.8 of 0.01 rejects exactly where a lone
    look at 0.01 does (2 of 256), where an even split over three looks (0.0033 < 1/256)
    would leave it unable to decide at all."""
    for looks in (2, 3, 4):
        levels = look_levels(planned_sizes(8, 8, 8, True, looks=looks), 0.01, paired=True, first_share=0.8)
        assert levels[0] == pytest.approx(2 / 256) and sum(levels) <= 0.01 + 1e-12
        assert all(x > 0 for x in levels)
    diffs = np.array([-0.03, -0.02, -0.035, -0.025, -0.03, 0.004, -0.028, -0.031])
    alone, first = (Permutation.paired(diffs).interval(level) for level in (0.01, 2 / 256))
    assert alone == first and alone[1] < 0
    # seven pairs (1/128 = 0.0078) still decide at 0.8 of 0.01; six (1/64) nowhere but later
    assert look_levels(planned_sizes(7, 7, 7, True, looks=2), 0.01, True, 0.8)[0] == pytest.approx(1 / 128)
    six = look_levels(planned_sizes(6, 6, 6, True, looks=3), 0.01, True, 0.8)
    assert six[0] == 0 and sum(six) <= 0.01 + 1e-12 and can_decide(planned_sizes(6, 6, 6, True, looks=3), 0.01, True)


def test_a_look_that_cannot_decide_passes_its_processes_to_the_next():
    seen = []

    def sample(look):
        seen.append(look)
        n = 6 * (look + 1)
        return [[100.0]] * n, [[90.0 + 0.01 * k] for k in range(n)]

    c = judge(sample, planned_sizes(6, 6, 6, True, looks=3), lambda: 1.0, paired=True)
    assert seen == [0, 1] and c.look == 2 and c.n_current == 12 and c.verdict == REGRESSED


def test_an_undecided_cell_says_whether_more_processes_or_a_bigger_baseline_would_decide():
    rng = np.random.default_rng(4)
    c = gate(rng, 0.0, 6, 5)
    assert c.verdict in (UNSTABLE, INCONCLUSIVE, UNCHANGED)
    # 3% apart with a 1.5% spread between processes: the interval straddles both 1 and
    # 0.95, and a normal approximation says a few more current processes would clear one
    base = [[100 * f] for f in (1.015, 0.985, 1.0, 1.02, 0.98, 1.0)]
    near = compare(base, [[97 * f] for f in (1.015, 0.985, 1.0, 1.02, 0.98)], alpha_look=0.0025)
    assert near.verdict == INCONCLUSIVE
    assert near.n_current < near.processes_needed < 900 and "(~1 more process would decide)" in near.label
    # a 10% spread: the six baseline processes alone leave the interval wider than the
    # room to either bound, so no number of current processes would decide
    wide = [[100 * f] for f in (1.1, 0.9, 1.0, 1.12, 0.88, 1.0)]
    noisy = compare(wide, [[97 * f] for f in (1.1, 0.9, 1.0, 1.12, 0.88)], alpha_look=0.0025)
    assert noisy.processes_needed > 900 and "baseline's 6 processes are too few" in noisy.label
    one_more = replace(near, unit="pair", processes_needed=near.n_current + 1)
    assert "(~1 more pair would decide)" in one_more.label


def test_the_threshold_comes_from_the_caller():
    base = [[100.0, 100.1]] * 6
    cur = [[92.0, 92.1], [91.9, 92.0], [92.1, 92.0], [92.0, 91.9], [92.0, 92.2]]
    assert compare(base, cur, max_regression=0.05, alpha_look=0.0025).verdict == REGRESSED
    assert compare(base, cur, max_regression=0.15, alpha_look=0.0025).verdict == SLOWER


def test_processes_needed_grows_with_the_noise():
    rng = np.random.default_rng(8)
    base = [[100 * f] for f in rng.normal(1, 0.02, 6)]
    quiet = compare(base, [[96.5 * f] for f in rng.normal(1, 0.02, 5)], alpha_look=0.0025)
    noisy = compare(base, [[96.5 * f] for f in rng.normal(1, 0.10, 5)], alpha_look=0.0025)
    for c in (quiet, noisy):
        if c.verdict == INCONCLUSIVE:
            assert c.processes_needed > c.n_current
    assert noisy.processes_needed >= quiet.processes_needed


# --- interleaved A/B: the pair is the unit ---------------------------------------------

#: What the f32 host showed in a real A/A run of 10 pairs a cell (results/ab/aa-probe, README):
#: the two processes of a pair fall into their modes independently, but the machine's speed
#: drifts over the minutes of a cell, and that drift the pair shares (process CV 6-12% a side,
#: pair log-ratio SD 6-13%). The simulation keeps both: a drift per pair, modes per process.
DRIFT_CV = 0.06


def pair(rng, drop, bimodal=False, rounds=2):
    """One A/B pair: a speed both processes share, then each process's own mode and rounds."""
    level = 100 * rng.normal(1, DRIFT_CV)
    sides = []
    for factor in (1.0, 1 - drop):
        mode = MODES if bimodal and rng.random() < 0.5 else 1.0
        sides.append(list(rng.normal(level * mode * factor, level * mode * factor * ROUND_CV, rounds)))
    return sides


def ab_gate(rng, drop, pairs=8, looks=2, bimodal=False):
    a_side: list = []
    b_side: list = []

    def sample(look):
        for _ in range(pairs):
            a, b = pair(rng, drop, bimodal)
            a_side.append(a)
            b_side.append(b)
        return a_side, b_side

    sizes = planned_sizes(pairs, pairs, pairs, grows_baseline=True, looks=looks)
    return judge(sample, sizes, lambda: 1.0, max_regression=0.05, alpha=0.01, paired=True)


def test_the_sign_flip_p_value_is_scipys():
    rng = np.random.default_rng(11)
    diffs = rng.normal(-0.02, 0.03, 9)
    exact = sps.permutation_test(
        (diffs,), np.mean, permutation_type="samples", alternative="less", n_resamples=10**6,
    ).pvalue
    assert Permutation.paired(diffs).p_lower() == pytest.approx(exact)


def test_pairs_need_enough_sign_flips_to_reach_alpha():
    assert min_p_value(6, 6, paired=True) == 1 / 64
    assert not can_decide(planned_sizes(6, 6, 6, True, looks=1), 0.01, paired=True)
    assert can_decide(planned_sizes(8, 8, 8, True, looks=2), 0.01, paired=True)
    with pytest.raises(ValueError, match="as many processes"):
        compare([[1.0]] * 3, [[1.0]] * 2, paired=True)


def ab_looks(rng, drop, looks, lean_p=LEAN_P, seen=None):
    """One A/B cell at the default budget's looks (the first at 0.8 of alpha, the rest
    shared), 8 pairs a look at a pair SD of 2.4% (the Intel AMX host's); ``seen`` collects
    the looks taken."""
    a: list = []
    b: list = []

    def sample(look):
        if seen is not None:
            seen.append(look)
        for _ in range(8):
            a.append([100.0])
            b.append([100.0 * (1 - drop) * math.exp(rng.normal(0, 0.024))])
        return a, b

    return judge(sample, planned_sizes(8, 8, 8, True, looks=looks), lambda: 1.0, paired=True, lean_p=lean_p)


def test_more_planned_ab_looks_keep_the_level_and_settle_a_three_percent_slowdown():
    """Unchanged code still fails at most 1 cell in 100 over four looks, a 3% slowdown
    reads ``slower`` with its interval below 1 far more often than at one look, and a 5%
    one still fails 9 times in 10."""
    rng = np.random.default_rng(20261204)
    aa = Counter(ab_looks(rng, 0.0, 4).verdict for _ in range(1000))
    assert aa[REGRESSED] <= 10, aa  # this seed: 0
    shown = {looks: sum(c.verdict == SLOWER and c.ci_high < 1 for c in (ab_looks(rng, 0.03, looks) for _ in range(300)))
             for looks in (1, 3)}
    assert shown[3] >= shown[1] + 60, shown  # 300 cells each; this seed: 125 at one look, 271 at three
    five = Counter(ab_looks(rng, 0.05, 3).verdict for _ in range(300))
    assert five[REGRESSED] >= 270, five  # this seed: 286


def test_a_leaning_unchanged_look_takes_the_next_and_shows_a_three_percent_slowdown():
    """``unchanged`` at a one-sided p below LEAN_P takes the next look: a 3% slowdown then
    reads ``slower`` with its interval below 1 in clearly more cells than when every
    ``unchanged`` stops, while unchanged code rarely pays for a look, still fails at most 1
    cell in 100, and a slowdown of exactly the threshold still passes at most at the miss rate."""
    def run(drop, lean_p, n):
        rng = np.random.default_rng(20261205)
        seen: list = []
        cells = [ab_looks(rng, drop, 3, lean_p, seen) for _ in range(n)]
        return Counter(c.verdict for c in cells), sum(c.verdict == SLOWER and c.ci_high < 1 for c in cells), len(seen) / n

    (_, off, _), (_, on, _) = run(0.03, 0.0, 500), run(0.03, LEAN_P, 500)
    assert on >= off + 50, (off, on)  # 500 cells each; this seed: 358 without leaning, 433 with it
    aa_off, aa_on = run(0.0, 0.0, 1000), run(0.0, LEAN_P, 1000)
    assert aa_on[0][REGRESSED] <= 10, aa_on
    assert aa_on[2] <= aa_off[2] + 0.2, (aa_off[2], aa_on[2])  # looks a cell; this seed: 1.07 and 1.18
    five, _, _ = run(0.05, LEAN_P, 500)
    assert five[SLOWER] + five[UNCHANGED] <= 36, five  # 5% of 500, plus three binomial SDs (4.9 each)


def test_after_a_leaning_look_an_undecided_one_keeps_what_was_shown():
    """Looks after a leaning ``unchanged`` one (p 0.027 at 8 pairs, 0.987 within 0.973-1.009)
    that end undecided do not undo it: ``inconclusive`` leaves the ``unchanged`` standing, and
    a doubtful ``regressed`` (a slowdown shown, its size not) reads ``slower``, its bound the
    earlier look's. A look that does not lean stops at once."""
    first = [-0.03, -0.02, -0.025, -0.01, 0.012, -0.02, 0.005, -0.015]

    def cell(second, lean_p=LEAN_P):
        seen = []

        def sample(look):
            seen.append(look)
            d = first + (second if look else [])
            return [[100.0]] * len(d), [[100 * math.exp(x)] for x in d]

        return judge(sample, planned_sizes(8, 8, 8, True, looks=2), lambda: 1.0, paired=True, lean_p=lean_p), seen

    lone, seen = cell([], lean_p=0.02)  # p 0.027 does not lean at 0.02
    assert (lone.verdict, seen) == (UNCHANGED, [0]) and 0.02 < lone.p_value < LEAN_P
    steady = [-0.03, -0.025, -0.02, -0.028, -0.022, -0.03, -0.026, -0.024]
    shown, seen = cell(steady)
    assert (shown.verdict, shown.look, seen) == (SLOWER, 2, [0, 1]) and shown.ci_high < 1
    noisy, _ = cell([0.25, -0.25, 0.2, -0.2, 0.22, -0.22, 0.18, -0.18])
    assert (noisy.verdict, noisy.look, noisy.ratio) == (UNCHANGED, 1, lone.ratio)
    assert "look 2 could not decide" in noisy.label
    wide = [-0.12, 0.0, -0.10, -0.01, -0.11, -0.005, -0.09, -0.02]
    alone = compare([[100.0]] * 16, [[100 * math.exp(x)] for x in first + wide], alpha_look=0.01 - 2 / 256, paired=True)
    assert alone.doubtful
    slower, _ = cell(wide)
    assert (slower.verdict, slower.ratio, slower.floor) == (SLOWER, alone.ratio, lone.ci_low)
    assert slower.floor >= 0.95 and "within 5% shown at look 1" in slower.label


@pytest.mark.parametrize("bimodal, runs", [(False, 500), (True, 2000)])
def test_paired_a_a_runs_stay_below_one_percent(bimodal, runs):
    """With modes drawn per process, a pair's log-ratio is 0 or +-16%: the sign-flip test
    is exact for it (A and B are exchangeable), and the rate sits near 0.7% (21 of 3000
    with another seed), so 2000 runs keep the sampling error of the check below its margin."""
    rng = np.random.default_rng(20261130)
    verdicts = Counter(ab_gate(rng, 0.0, bimodal=bimodal).verdict for _ in range(runs))
    assert verdicts[REGRESSED] <= runs // 100, verdicts  # the gate: alpha 0.01, one-sided
    assert verdicts[REGRESSED] + verdicts[IMPROVED] <= runs // 50, verdicts  # each direction at 0.01


def test_pairing_cancels_the_drift_a_pair_shares():
    """The same pairs judged both ways: with a 6% drift between pairs the two-sample test
    rarely shows a 5% slowdown; the pairs' log-ratios show it almost every time."""
    rng = np.random.default_rng(3)
    paired = unpaired = 0
    for _ in range(200):
        pairs = [pair(rng, 0.05) for _ in range(8)]
        a, b = [p[0] for p in pairs], [p[1] for p in pairs]
        paired += compare(a, b, alpha_look=0.005, paired=True).ci_high < 1
        unpaired += compare(a, b, alpha_look=0.005).ci_high < 1
    assert paired >= 180, (paired, unpaired)  # 90%
    assert unpaired < paired / 2, (paired, unpaired)


def test_a_paired_three_percent_reads_slower_with_a_ci_that_excludes_one():
    rng = np.random.default_rng(4)
    verdicts = Counter(ab_gate(rng, 0.03).verdict for _ in range(200))
    assert verdicts[SLOWER] >= 160, verdicts


def test_unstable_in_a_paired_run_means_the_pairs_disagree():
    # both sides swing between modes together: not noise for the paired test
    swing = [[100.0 * m] for m in (1.0, 1.17) * 5]
    near = [[x[0] * 0.955 * f] for x, f in zip(swing, (1.01, 0.99, 1.0, 1.005, 0.995, 1.0, 1.01, 0.99, 1.0, 1.0))]
    together = settle(compare(swing, near, alpha_look=0.01, paired=True))
    assert together.pair_sd < 0.01 < 0.05 < max(together.baseline_cv, together.current_cv)
    assert together.verdict != UNSTABLE, together
    # the pairs themselves disagree by 10%: unstable when undecided
    apart = [[x[0] * f] for x, f in zip(swing, (1.1, 0.9) * 5)]
    assert settle(compare(swing, apart, alpha_look=0.01, paired=True)).verdict == UNSTABLE
