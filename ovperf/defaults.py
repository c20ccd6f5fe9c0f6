"""The suite's defaults, in one place: options, the library's functions and the CLIs read them here."""
from __future__ import annotations

#: The smallest FPS change that counts as a regression or an improvement (``--ov-max-regression``).
MAX_REGRESSION = 0.05
#: The significance of a verdict, split over its looks (``--ov-alpha``).
ALPHA = 0.01
#: The largest share of slowdowns of exactly the threshold that may pass as ``slower``
#: (``--ov-miss-rate``): a shown slowdown passes only when its one-sided lower bound at this
#: level lies within the threshold. Split over the looks as alpha is. 0.05 rather than 0.1:
#: at 0.1 a threshold-size slowdown fails 9 times in 10 in expectation, so a gate asked to
#: catch it in 9 cells of 10 misses that about half the time (on the Intel AMX host, 26 of 32
#: injected 5% A/B cells at 0.1, 29 of 32 at 0.05, from the same pairs; report/measured.md, "Intel AMX host (2026-12-04").
MISS_RATE = 0.05
#: An ``unchanged`` look whose one-sided p-value lies below this leans towards a change, and
#: takes the next planned look while time is left (``ovperf.stats.judge``): its interval lies
#: within the threshold, yet more processes may show the change itself. On the Intel AMX host
#: (``python -m ovperf.power --looks`` on ``report/data/ab-gate-amx/at-4908d5b``, before this
#: rule) 8 of 56 injected 3% A/B cells read ``unchanged`` at their first look, 6 of them at p
#: 0.012-0.027, while none of the 85 A/A cells that did so came below 0.05. With it
#: (``at-3516655``, README "the interleaved A/B with the leaning look") the 5 leaning 3% cells of
#: 80 all read ``slower`` after the next look, and 3 A/A cells of 80 leaned and stayed ``unchanged``.
LEAN_P = 0.05
#: What one run of a cell counts as when the run is the unit (``--ov-run-statistic``): ``best``,
#: the best round to expect from :data:`BEST_OF` fresh processes (each process's best round,
#: then the expected maximum of that many of them); ``mean``, the mean of the processes' log
#: median FPS. On the AMD EPYC bf16 host a cell's processes fall into a fast mode and a slow
#: one (up to 17% apart) in changing shares; the share moves the mean between runs by up to
#: 6.4% (SD over 9 unchanged runs), the best of four by at most 1.4%; on the Intel AMX host,
#: whose runs move as a whole, the two spread alike (README, "What a run counts as").
BEST, MEAN = "best", "mean"
RUN_STATISTICS = (BEST, MEAN)
RUN_STATISTIC = BEST
BEST_OF = 4
#: In what order a run measures its cells' processes (``--ov-process-order``): ``spread``, the
#: first look of every cell in passes over the cells, one process of each a pass
#: (``ovperf.measure.Spread``); ``cell``, each cell's processes back to back. Spread, because on
#: the Intel AMX host it halved what moves each cell on its own between runs at the same cost
#: (README, "a cell's processes spread over the run"). An A/B run pairs its sides cell by cell.
SPREAD, CELL = "spread", "cell"
PROCESS_ORDERS = (SPREAD, CELL)
#: ``--ov-machine-adjust``: judge a stored-baseline comparison at the baseline's machine speed by
#: the units kernel where both sides measured the same one (``auto``), or on FPS as measured (``off``).
AUTO, OFF = "auto", "off"
MACHINE_ADJUSTS = (AUTO, OFF)
#: A ``regressed`` cell judged so is confirmed by new processes measured over at least this
#: many seconds (``ovperf.stats._unconfirmed``, ``--ov-confirm-time``): the AMD EPYC bf16 host's
#: slow periods lasted about 30-80 s, and one of 72 unchanged cells failed when one outlasted 60 s.
CONFIRM_SECONDS = 60.0
#: How much longer a confirmation may go on for enough processes that ran at the machine's
#: usual speed (``ovperf.measure._confirming_processes``, ``--ov-confirm-wait``); after it,
#: every new process counts. On the AMD EPYC bf16 host (2026-12-04 night,
#: ``report/data/verdicts-amd-usual/``) one unchanged cell ran out of the 240 s that 180 s
#: allowed, and another, at 300 s, ran out of 373 s in a slow period of about 10 minutes: both
#: failed. A session waits so once a slow period (``UsualSpeed.stayed_slow``), so a machine
#: slow all night costs one wait, not one a cell.
CONFIRM_WAIT_SECONDS = 600.0
#: An A/B cell whose ``--ov-max-time`` was not given has room for at least this many looks at
#: its first look's pace (``ovperf.measure.cell_budget``): its 100 s default
#: (``ovperf.settings.DEFAULT_AB_MAX_TIME``) was room for a second look where a look took
#: 30-55 s, and held none on the Intel Xeon host, where a cell's one look took 136-245 s: none
#: of 32 cells in four runs there took a second look, and an injected 5% was `regressed` in 10
#: of 16 cells. With room for a second look (``--ov-max-time 400``), 3 cells took one and 2 of
#: them read `regressed` there, 7 of 8 in all, at 235 s a cell against 172 s
#: (``report/data/xeon-bf16/ab-db227b7/run-01-5.json``; README, "Intel Xeon bf16 host without
#: AMX (2026-12-07, 03:03-05:21 UTC)").
AB_MIN_LOOKS = 2
#: Processes a comparison's look measures by default (``--ov-processes`` with ``--ov-baseline``):
#: as many as a baseline's run (``ovperf.settings.DEFAULT_BASELINE_PROCESSES``). A run counted
#: as its best processes spreads more the fewer they are, and a look of fewer processes than the
#: baseline's runs is judged with that in its interval (``ovperf.stats.RunDrift.looser``): 5
#: against runs of 6 added 1.3% (SD) on the AMD EPYC host of CPU family 26, and the first look
#: of the runs of 12:35-17:28 there, re-judged so, caught an injected 10% in 42 of 80 cells
#: where it had caught 52 (``report/data/zen5-bf16/looser.py``). A look as large as the runs
#: adds nothing; there it took 30 s a cell at 6 (10 runs of 2026-12-08), against 22-28 s at 5
#: on 2026-12-07 (other baselines and hours; README, "The gate at 5-10%").
COMPARE_PROCESSES = 6
#: A confirming look counts this many new processes that ran at the machine's usual speed, or
#: the look's own number (``--ov-processes``) where that is fewer: the comparison's default look,
#: so that at the defaults it is as large as the baseline's runs too (every confirmation on
#: record before 2026-12-08 counted 5). More processes a look buy a more
#: precise first look, not a longer confirmation: asked for 10 at the usual speed on the Intel
#: Xeon host, where about half of the processes ran at it, 7 of 7 confirmations in passes ran
#: out of their 717 s and left their cells not judged
#: (``report/data/xeon-bf16/procs10-7847b3d/cmp-01-10.log``).
CONFIRM_PROCESSES = COMPARE_PROCESSES
#: The IR's weights (``--ov-ir-precision``): fp16, as OpenVINO's converter writes by default.
IR_PRECISION = "fp16"
#: The network's input side, in pixels; part of every cache key.
IMAGE_SIZE = 640
#: ``ov-perf-history``: the significance of each change point, and the smallest shift reported.
HISTORY_ALPHA = 0.01
MIN_MAGNITUDE = 0.02
