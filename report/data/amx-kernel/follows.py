"""Does the units kernel follow a comparison run's move as a whole, and does an injected slowdown
move it? For each comparison run against a baseline that recorded the units kernel:

    .venv/bin/python report/data/amx-kernel/follows.py DIR [DIR ...]

DIR holds ``cmp-NN-KIND.json`` (KIND ``aa`` or the injected percentage) and its ``base.json``.
Per run: the whole run's move (the mean over the OpenVINO cells of the log ratio of the run's
number, ``ovperf.stats.run_value`` of its first look, to the baseline runs' mean, with the
injection taken out, ``log(1 - PCT)``; from the FPS as measured, whatever the run's verdict
read), the units kernel's move (the log of the median over the first look's processes of each
process's median speed, against the baseline runs' mean level, ``ovperf.noise.MachineLevel``),
and the two's difference: what FPS read at the baseline's machine speed leaves of the machine's
move. Then, by kind of run, their means and SDs, and over all runs the correlation and slope.
Only the files' own samples.
"""
from __future__ import annotations

import json
import math
import re
import statistics
import sys
from pathlib import Path

import numpy as np

from ovperf.baseline import cell_runs, load
from ovperf.stats import run_value


def runs_of(d: Path) -> list[dict]:
    base = load(d / "base.json")
    level = base.units_level
    if level is None:
        sys.exit(f"follows.py: {d}/base.json has no units kernel in every run")
    mean = {name: float(np.mean([run_value(r) for r in cell_runs(info)])) for name, info in base.cells.items()}
    out = []
    for path in sorted(d.glob("cmp-*.json")):
        kind = re.fullmatch(r"cmp-\d+-(\w+)", path.stem).group(1)
        inject = 0.0 if kind == "aa" else int(kind) / 100
        data = json.loads(path.read_text())
        look = data["ovperf"]["processes"]
        cells = {b["name"]: b["extra_info"] for b in data["benchmarks"] if b["name"] in mean}
        whole = float(np.mean([run_value(info["fps_processes"][:look]) - mean[name] for name, info in cells.items()]))
        whole -= math.log1p(-inject)
        medians = [statistics.median(p) for info in cells.values() for p in info["units_speed_processes"][:look]]
        kernel = math.log(statistics.median(medians)) - level.mean
        out.append({"dir": d.name, "name": path.stem, "kind": kind, "whole": whole, "kernel": kernel})
    return out


def main(dirs: list[str]) -> None:
    runs = [r for d in dirs for r in runs_of(Path(d))]
    for r in runs:
        print(f"{r['dir']}/{r['name']:10s} whole run {r['whole']:+.2%}, units kernel {r['kernel']:+.2%}, "
              f"difference {r['whole'] - r['kernel']:+.2%}")
    for kind in sorted({r["kind"] for r in runs}, key=lambda k: (k != "aa", k)):
        sub = [r for r in runs if r["kind"] == kind]
        diff = [r["whole"] - r["kernel"] for r in sub]
        sd = f" (SD {np.std(diff, ddof=1):.2%})" if len(sub) > 1 else ""
        print(f"{'A/A' if kind == 'aa' else kind + '% injected'}: {len(sub)} runs; whole run {np.mean([r['whole'] for r in sub]):+.2%}, "
              f"units kernel {np.mean([r['kernel'] for r in sub]):+.2%}, difference {np.mean(diff):+.2%}{sd}")
    w, k = np.array([r["whole"] for r in runs]), np.array([r["kernel"] for r in runs])
    print(f"all {len(runs)} runs: whole run SD {w.std(ddof=1):.2%}, minus the kernel SD {(w - k).std(ddof=1):.2%}; "
          f"correlation {np.corrcoef(w, k)[0, 1]:.2f}, slope {np.polyfit(k, w, 1)[0]:.2f}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__.split("\n\n")[1].strip())
    main(sys.argv[1:])
