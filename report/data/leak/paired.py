"""Does an injected slowdown reach the units kernel, measured inside one process?

    .venv/bin/python report/data/leak/paired.py OUT.json [PROCESSES]
    .venv/bin/python report/data/leak/paired.py --read OUT.json [OUT.json ...]

``report/data/amx-kernel/leak.py`` compared fresh processes with and without the injection, and
the processes' own spread (about 3%) hid a one-point leak. Here each process runs both: its rounds
switch the runner's injected work (``runner.extra``) on and off, so every comparison is inside
one process, round against round.

Each process is an ``ovperf.worker.Worker`` of this checkout under the measuring processes'
environment (``QUIET_BLAS_ENV``): it converts the export's ONNX (cached in .ovperf-cache), builds
48 frames of the photo as the suite does, compiles one cell, runs its first inference, then
ROUNDS rounds. Every round is one of four conditions, in a balanced order (each block of four
holds each once, rotated from block to block): injected 10% or not, crossed with how the units
kernel is timed after the round:

- ``plain``: right after the round, as the worker does today;
- ``warm``: after one untimed inference of the kernel.

Before every round the kernel is timed as the worker does (after the numpy kernel). A round's
reading is its after-timing over its before-timing, which takes out the process's drift. PROCESSES
(default 3) fresh processes run for each of CELLS, one after another.

``--read`` prints how much the kernel's timings varied within a process: before the rounds, and
after the rounds without the injection, each way of timing, with in how many processes it spread
less timed warm. Then, for each cell and way of timing, every process's ratio of the median
reading with the injection to the median without (1.000: no leak; below 1: the injection makes the kernel
read slower), and over all processes the median and a 95% interval from the processes
(``scipy.stats.bootstrap`` over processes, the unit that is independent).
"""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

CELLS = [{"device": "CPU", "hint": "none", "batch": 1, "mode": "sync"},
         {"device": "CPU", "hint": "none", "batch": 1, "mode": "async"},
         {"device": "CPU", "hint": "THROUGHPUT", "batch": 1, "mode": "async"}]
CONDITIONS = [(0.0, "plain"), (0.1, "plain"), (0.0, "warm"), (0.1, "warm")]
ROUNDS = 32
EXPORT = Path(".ovperf-export")


def cell_name(cell: dict) -> str:
    return f"{cell['device']}-{cell['hint']}-b{cell['batch']}-{cell['mode']}"


def started(cell: dict):
    """A worker of this checkout with ``cell`` compiled and its first inference run, as the
    suite's measuring processes do, and its units kernel's name."""
    import numpy as np

    from ovperf import frames as fr
    from ovperf.worker import Worker

    frames = fr.video(fr.preprocess(fr.load_image(EXPORT / "bus.jpg"), 640), 48)
    npy = Path(f"/tmp/leak-paired-{os.getpid()}.npy")
    np.save(npy, frames)
    w = Worker()
    name = w.hello()["units_kernel"]
    w.load(str(EXPORT / "yolov5n.onnx"), ".ovperf-cache", True, str(npy), 640)
    w.compile(cell, {}, 0.0)
    w.first()
    npy.unlink()
    return w, name


def one(cell: dict) -> dict:
    from ovperf.noise import machine_speed
    from ovperf.runner import injected_factor

    w, name = started(cell)
    units, rounds = w.units, []
    for k in range(ROUNDS):
        block, slot = divmod(k, len(CONDITIONS))
        inject, way = CONDITIONS[(slot + block) % len(CONDITIONS)]
        w.runner.extra = injected_factor(inject)
        machine_speed()
        before = units.speed()
        w.runner.run_round()
        if way == "warm":
            units._request.infer({0: units._data})
        after = units.speed()
        machine_speed()
        rounds.append({"inject": inject, "way": way, "before": before, "after": after})
    w.release()
    return {"cell": cell_name(cell), "kernel": name, "rounds": rounds}


def process_ratio(rounds: list[dict], way: str) -> float:
    """The median reading (after / before) of the injected rounds over that of the others."""
    def level(inject: float) -> float:
        return statistics.median(r["after"] / r["before"] for r in rounds if r["way"] == way and r["inject"] == inject)
    return level(0.1) / level(0.0)


def median_line(ratios: list[float]) -> str:
    """``median 0.987 (95% CI 0.943-1.022) over 18 processes``: the processes' median ratio and a
    95% interval from them (``scipy.stats.bootstrap`` over processes, the unit that is independent)."""
    import numpy as np
    from scipy import stats

    ci = stats.bootstrap((np.array(ratios),), np.median, confidence_level=0.95, random_state=0,
                         method="percentile").confidence_interval
    return f"median {statistics.median(ratios):.3f} (95% CI {ci.low:.3f}-{ci.high:.3f}) over {len(ratios)} processes"


def read(paths: list[str]) -> None:
    from scipy import stats

    runs = [run for path in paths for run in json.loads(Path(path).read_text())]
    print(f"{len(runs)} processes, kernel {runs[0]['kernel']}")
    befores = ([r["before"] for r in run["rounds"]] for run in runs)
    cvs = sorted(statistics.stdev(b) / statistics.mean(b) for b in befores)
    print(f"the kernel's timings before the rounds varied {100 * statistics.median(cvs):.1f}% (CV, median over "
          f"processes; {100 * cvs[0]:.1f}-{100 * cvs[-1]:.1f}%)")
    by_way = {}
    for way in ("plain", "warm"):
        afters = ([r["after"] for r in run["rounds"] if r["way"] == way and not r["inject"]] for run in runs)
        by_way[way] = [statistics.stdev(a) / statistics.mean(a) for a in afters]
        cvs = sorted(by_way[way])
        print(f"after the rounds without the injection, timed {way}: {100 * statistics.median(cvs):.1f}% (CV, median "
              f"over processes; {100 * cvs[0]:.1f}-{100 * cvs[-1]:.1f}%)")
    calmer = sum(w < p for w, p in zip(by_way["warm"], by_way["plain"]))
    print(f"timed warm, the kernel spread less than timed at once in {calmer} of {len(runs)} processes "
          f"(sign test p {stats.binomtest(calmer, len(runs)).pvalue:.2f})")
    for way in ("plain", "warm"):
        everyone = []
        for cell in [cell_name(c) for c in CELLS]:
            ratios = [process_ratio(r["rounds"], way) for r in runs if r["cell"] == cell]
            everyone += ratios
            if ratios:
                print(f"{cell:22s} {way:5s}: " + " ".join(f"{x:.3f}" for x in ratios))
        print(f"{'all cells':22s} {way:5s}: {median_line(everyone)}")


def measure(script: str, out: Path, processes: int, cells: list[dict], *args: str) -> None:
    """``processes`` fresh processes of ``script --one CELL ARGS`` for each of ``cells``, one cell
    after another, each one's last line of output kept in ``out`` as it comes."""
    from ovperf.noise import QUIET_BLAS_ENV

    runs = []
    for _ in range(processes):
        for cell in cells:
            # under the environment every measuring process runs under (ovperf.client)
            done = subprocess.run([sys.executable, script, "--one", json.dumps(cell), *args],
                                  capture_output=True, text=True, check=True, env={**os.environ, **QUIET_BLAS_ENV})
            runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
            out.write_text(json.dumps(runs))


def main() -> None:
    if sys.argv[1:2] == ["--one"]:
        print(json.dumps(one(json.loads(sys.argv[2]))))
        return
    if sys.argv[1:2] == ["--read"]:
        read(sys.argv[2:])
        return
    out, processes = Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 3
    measure(__file__, out, processes, CELLS)
    read([str(out)])


if __name__ == "__main__":
    main()
