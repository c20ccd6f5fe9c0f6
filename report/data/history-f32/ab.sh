#!/usr/bin/env bash
# The same session's interleaved A/B of the upgrade, beside the history's series: the 4 b1
# CPU cells with tox -e ab's defaults (8 pairs of processes a cell, one of OpenVINO 2025.4.1
# (A) and one of 2026.4.1 (B) at a time, rounds ABBA/BAAB). Needs the ov2026.4 env (run.sh
# builds it). It ran (2026-12-01) at the A/B defaults of the time, 2 rounds of 48 frames a
# process; the default is now 6 of 16. Usage: report/data/history-f32/ab.sh OUT
set -u
out=${1:?usage: ab.sh OUT}
cd "$(dirname "$0")/../../.."
start=$(date +%s)
.venv/bin/tox -q -e ab -- --ov-devices CPU --ov-hints none,THROUGHPUT --ov-batches 1 -k openvino \
  --ov-report "$out/ab.md" --benchmark-json "$out/ab-2025.4-2026.4.json" -q > "$out/ab.log" 2>&1
echo "ab rc=$? in $(( $(date +%s) - start )) s, ended $(date -u +%FT%TZ)" | tee -a "$out/progress.log"
