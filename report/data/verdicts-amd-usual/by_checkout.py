"""A campaign's comparison files read per checkout: ``python -m ovperf.power`` on each group.

pytest-benchmark records the checkout a run came from in ``commit_info.id``; a campaign that
went on across a change of code is read one checkout at a time, and then as a whole. Last,
each file's cells in order: the verdict's ratio, the look that decided it, and the verdict's
first letter (u unstable, i inconclusive, r regressed, m improved, s slower, c unchanged).

Usage: .venv/bin/python report/data/verdicts-amd-usual/by_checkout.py OUT   (reads OUT/cmp-*.json)
"""
import json
import sys
from collections import defaultdict
from pathlib import Path

from ovperf import power

files = sorted(Path(sys.argv[1]).glob("cmp-*.json"))
groups = defaultdict(list)
for path in files:
    groups[(json.loads(path.read_text()).get("commit_info") or {}).get("id", "?")[:7]].append(path)
for commit, paths in groups.items():
    print(f"## checkout {commit}: {paths[0].name} to {paths[-1].name} ({len(paths)} runs)\n")
    power.main([str(p) for p in paths])
    print()
print(f"## all {len(files)} runs\n")
power.main([str(p) for p in files])
print("\n## each run's cells: ratio/look and verdict\n")
LETTER = {"improved": "m", "unchanged": "c"}
for path in files:
    data = json.loads(path.read_text())
    cells = [b["extra_info"]["verdict"] for b in data["benchmarks"] if b["extra_info"].get("verdict")]
    print(path.name, (data.get("commit_info") or {}).get("id", "?")[:7],
          " ".join(f"{v['ratio']:.3f}/{v['look']}{LETTER.get(v['verdict'], v['verdict'][0])}" for v in cells))
print("cells in the order", ", ".join(b["name"] for b in data["benchmarks"] if b["extra_info"].get("verdict")))
