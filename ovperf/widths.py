"""Interleaved A/B against two separate runs: the B/A ratio and its CI width, cell by cell.

``python -m ovperf.widths AB.json A_RUN.json B_RUN.json`` reads an interleaved run's
pytest-benchmark JSON (``--ov-ab-python ... --benchmark-json AB.json``) and two
separately stored runs of the same cells (baselines, A's release then B's), and
prints for every cell the ratio B/A and its 95% CI width three ways: the
separate runs (the baseline comparison's bootstrap CI), the interleaved run's
unpaired CI (the same statistic), and its paired CI (median of B_i/A_i, sign-test CI).
Both interleaved CIs are recomputed from the stored rounds.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from ovperf import baseline as bl
from ovperf.ab import paired_ratio_ci
from ovperf.stats import compare
from ovperf.verdicts import paired_text


def rows(ab_path: Path, a_path: Path, b_path: Path) -> list[list[str]]:
    interleaved = {b["name"]: b["extra_info"] for b in json.loads(ab_path.read_text())["benchmarks"]}
    a_cells, b_cells = bl.load(a_path).cells, bl.load(b_path).cells
    out = [["configuration", "rounds a side", "separate: B/A (95% CI)", "interleaved: B/A (95% CI)",
            "interleaved paired: B/A (95% CI)", "interleaved verdict"]]
    widths = {"separate": [], "unpaired": [], "paired": []}
    for name in sorted(interleaved):
        ab = interleaved[name].get("ab")
        if not ab or name not in a_cells or name not in b_cells:
            continue
        sep = compare(a_cells[name]["fps_rounds"], b_cells[name]["fps_rounds"])
        # Both interleaved CIs are recomputed from the rounds, with today's statistics.
        a_rounds, b_rounds = interleaved[name]["fps_rounds"], ab["fps_rounds"]
        unpaired = compare(a_rounds, b_rounds)
        paired = paired_ratio_ci(a_rounds, b_rounds)
        widths["separate"].append(sep.ci_high - sep.ci_low)
        widths["unpaired"].append(unpaired.ci_high - unpaired.ci_low)
        if paired[1] is not None:
            widths["paired"].append(paired[2] - paired[1])
        out.append([
            name.removeprefix("test_openvino[").removesuffix("]"),
            f"{len(b_cells[name]['fps_rounds'])} / {len(b_rounds)}",
            f"{sep.ratio:.3f} ({sep.ci_low:.3f}-{sep.ci_high:.3f})",
            f"{unpaired.ratio:.3f} ({unpaired.ci_low:.3f}-{unpaired.ci_high:.3f})",
            paired_text(*paired),
            ab["verdict"],
        ])
    if len(out) > 1:
        paired_width = f"{np.median(widths['paired']):.3f}" if widths["paired"] else "-"
        out.append(["median CI width", "", f"{np.median(widths['separate']):.3f}",
                    f"{np.median(widths['unpaired']):.3f}", paired_width, ""])
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ovperf.widths", description=__doc__.splitlines()[0])
    parser.add_argument("ab", type=Path, help="the interleaved run's --benchmark-json file")
    parser.add_argument("a_run", type=Path, help="A's release, run separately (a baseline file)")
    parser.add_argument("b_run", type=Path, help="B's release, run separately (a baseline file)")
    args = parser.parse_args(argv)
    try:
        table = rows(args.ab, args.a_run, args.b_run)
    except (OSError, ValueError, KeyError) as exc:
        parser.exit(2, f"{parser.prog}: error: {exc}\n")
    from ovperf.summary import format_table

    print(format_table(table))
    return 0


if __name__ == "__main__":
    sys.exit(main())
