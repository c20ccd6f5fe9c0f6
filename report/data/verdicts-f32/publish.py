"""Copy a campaign's runs into a folder of report/data: every JSON without its per-layer
timings (large, and not read by any table), each pytest log cut to its last lines (what
share of the machine the run got, and how long it took), and times.txt / progress.log.

    python report/data/verdicts-f32/publish.py /tmp/camp2/results/rl8 report/data/verdicts-f32/rl8
    python report/data/verdicts-f32/publish.py /tmp/camp2/results/hrel report/data/history-f32 'run-*' 'ab*'

The optional patterns name the runs to copy (default ``cmp-*``): PATTERN.json and PATTERN.log.
"""
import json
import pathlib
import sys

src, dest = map(pathlib.Path, sys.argv[1:3])
patterns = sys.argv[3:] or ["cmp-*"]
dest.mkdir(parents=True, exist_ok=True)
for pattern in patterns:
    for f in sorted(src.glob(f"{pattern}.json")):
        data = json.loads(f.read_text())
        for bench in data.get("benchmarks", []):
            for key in ("perf_counters", "perf_counters_grown"):
                (bench.get("extra_info") or {}).pop(key, None)
        (dest / f.name).write_text(json.dumps(data, separators=(",", ":")) + "\n")
    for f in sorted(src.glob(f"{pattern}.log")):
        keep = [line for line in f.read_text().splitlines() if "passed" in line or "failed" in line or "machine" in line]
        (dest / f.name.replace(".log", ".summary.txt")).write_text("\n".join(keep[-3:]) + "\n")
for name in ("times.txt", "progress.log"):
    if (src / name).exists():
        (dest / name).write_text((src / name).read_text())
