#!/usr/bin/env bash
# Re-judge a stored-baseline campaign (run.sh's OUT: base.json and cmp-NN-KIND.json) with the drift
# between runs taken from a history, as --ov-history gives it to a live run, and the verdict on the
# matrix as a whole. The history holds the baseline, any seedN.json and the unchanged (aa) runs;
# each unchanged run is judged against a history that leaves it out, so that no run is judged
# with a drift estimated from itself. Prints `python -m ovperf.power --by-run` for every run.
# STATISTIC (best or mean, default best) is what a run counts as (--run-statistic).
# Usage: report/data/verdicts-amx/rejudge-with-history.sh OUT [STATISTIC]
set -eu
out=${1:?usage: rejudge-with-history.sh OUT [STATISTIC]}
statistic=${2:-best}
cd "$(dirname "$0")/../../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
shopt -s nullglob
unchanged=("$out"/cmp-*-aa.json)
changed=()
for f in "$out"/cmp-*.json; do [[ $f == *-aa.json ]] || changed+=("$f"); done
history() {  # history() FILES...: a fresh history of the baseline, the seeds and FILES
  rm -f "$tmp/h.sqlite"
  .venv/bin/python -m ovperf.history --history "$tmp/h.sqlite" ingest "$out/base.json" "$out"/seed*.json "$@" > /dev/null
}
for f in "${unchanged[@]}"; do
  others=()
  for g in "${unchanged[@]}"; do [ "$g" = "$f" ] || others+=("$g"); done
  history "${others[@]}"
  echo "== $f (history without it)"
  .venv/bin/python -m ovperf.power --by-run "$out/base.json" --history "$tmp/h.sqlite" --run-statistic "$statistic" "$f"
done
if [ ${#changed[@]} -gt 0 ]; then
  history "${unchanged[@]}"
  echo "== injected runs (history of every unchanged run)"
  .venv/bin/python -m ovperf.power --by-run "$out/base.json" --history "$tmp/h.sqlite" --run-statistic "$statistic" "${changed[@]}"
fi
