"""What a baseline of several runs would have said in a stored-baseline campaign (run.sh's OUT):
the baseline's run and the unchanged (aa) comparison runs pooled into one baseline of many runs,
as --ov-save-baseline-append makes it, then every comparison run re-judged against it with
``python -m ovperf.power --by-run`` (each unchanged run against a pool that leaves it out).

STATISTIC (best or mean, default best) is what a run counts as (``--run-statistic``).

Usage: .venv/bin/python report/data/verdicts-amx/pooled-baseline.py OUT [STATISTIC]
"""
import json
import subprocess
import sys
import tempfile
from pathlib import Path

out = Path(sys.argv[1])
statistic = sys.argv[2] if len(sys.argv) > 2 else "best"
base = json.loads((out / "base.json").read_text())
unchanged = sorted(out.glob("cmp-*-aa.json"))
changed = sorted(p for p in out.glob("cmp-*.json") if p not in unchanged)


def pooled(runs: list[Path], into: Path) -> Path:
    """base.json with the processes of ``runs`` appended to each cell, one run each."""
    data = json.loads(json.dumps(base))
    extra = [{b["name"]: (b.get("extra_info") or {}).get("fps_processes") for b in json.loads(p.read_text())["benchmarks"]}
             for p in runs]
    for bench in data["benchmarks"]:
        info = bench["extra_info"]
        info["fps_runs"] = info["fps_runs"] + [e[bench["name"]] for e in extra if e.get(bench["name"])]
    into.write_text(json.dumps(data))
    return into


def judge(baseline: Path, runs: list[Path]) -> None:
    cmd = [sys.executable, "-m", "ovperf.power", "--by-run", str(baseline), "--run-statistic", statistic,
           *map(str, runs)]
    print("$", " ".join(cmd[1:]), flush=True)
    subprocess.run(cmd, check=False)


with tempfile.TemporaryDirectory() as tmp:
    for judged in unchanged:
        judge(pooled([p for p in unchanged if p != judged], Path(tmp) / "pool.json"), [judged])
    judge(pooled(unchanged, Path(tmp) / "pool.json"), changed)
