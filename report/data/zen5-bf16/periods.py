"""How fast the machine ran during each confirmation, against its cell's first look.

    .venv/bin/python report/data/zen5-bf16/periods.py RUN.json [RUN.json ...]

For every cell of a stored-baseline comparison run that took a confirming look (its processes
after the first look's ``--ov-processes``, which the file records), the median over its processes
of each process's median units-kernel speed and of its median FPS, in the first look and in the
confirmation, and the factor the run read the cell's FPS by (``machine_factor``). A confirmation
runs minutes after the first looks; where the machine's speed moved in between, the kernel says
by how much. Only the files' own samples.
"""
from __future__ import annotations

import json
import statistics
import sys


def main() -> None:
    for path in sys.argv[1:]:
        run = json.load(open(path))
        first = run["ovperf"]["processes"]
        print(path)
        for b in run["benchmarks"]:
            info = b["extra_info"]
            units = [statistics.median(p) for p in info.get("units_speed_processes") or [] if p]
            fps = [statistics.median(p) for p in info["fps_processes"]]
            if len(units) <= first or len(fps) <= first:
                continue
            factor = info.get("machine_factor")
            print(f"  {info['id']:26s} units kernel: first look {statistics.median(units[:first]):6.1f}, "
                  f"confirmation {statistics.median(units[first:]):6.1f} "
                  f"(x{statistics.median(units[first:]) / statistics.median(units[:first]):.3f}) | FPS: first look "
                  f"{statistics.median(fps[:first]):5.1f}, confirmation {statistics.median(fps[first:]):5.1f} | "
                  + (f"the run's factor x{factor:.3f}" if factor else "FPS as measured"))


if __name__ == "__main__":
    main()
