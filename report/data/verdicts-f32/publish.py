"""Copy a campaign's comparison runs into this folder: every JSON without its per-layer
timings (large, and not read by any table), and each pytest log cut to its last lines
(what share of the machine the run got, and how long it took).

    python report/data/verdicts-f32/publish.py /tmp/camp2/results/rl8 report/data/verdicts-f32/rl8
"""
import json
import pathlib
import sys

src, dest = map(pathlib.Path, sys.argv[1:3])
dest.mkdir(parents=True, exist_ok=True)
for f in sorted(src.glob("cmp-*.json")):
    data = json.loads(f.read_text())
    for bench in data.get("benchmarks", []):
        for key in ("perf_counters", "perf_counters_grown"):
            (bench.get("extra_info") or {}).pop(key, None)
    (dest / f.name).write_text(json.dumps(data, separators=(",", ":")) + "\n")
for f in sorted(src.glob("cmp-*.log")):
    keep = [line for line in f.read_text().splitlines() if "passed" in line or "failed" in line or "machine" in line]
    (dest / f.name.replace(".log", ".summary.txt")).write_text("\n".join(keep[-3:]) + "\n")
if (src / "times.txt").exists():
    (dest / "times.txt").write_text((src / "times.txt").read_text())
