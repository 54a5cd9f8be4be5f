#!/usr/bin/env bash
# Compares the executor's two schedulers (TML_SCHED=global|steal) with bench_async --async-only, interleaved:
# ROUNDS rounds (default 8), each running every (scheduler, TML_WORKERS) pair once. Prints the median (min) of
# each figure per pair, and the load average before and after.
#   runtime-c/tests/bench_async_sched.sh [BENCH_BINARY] [ROUNDS]
set -euo pipefail
BIN="${1:-build/tests/bench_async}"
ROUNDS="${2:-8}"
OUT="$(mktemp)"
trap 'rm -f "$OUT"' EXIT
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq "$ROUNDS"); do
  for sched in global steal; do
    for w in 1 2; do
      TML_SCHED=$sched TML_WORKERS=$w "$BIN" --async-only | sed "s/^/$sched $w /" >>"$OUT"
    done
  done
done
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$OUT" "$ROUNDS" <<'PY'
import re, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    sched, w, rest = line.split(' ', 2)
    key = (sched, w)
    m = re.search(r'async [\d.]+ s \((\d+) ns/task\)', rest)
    if m: rows.setdefault(key, {}).setdefault('spawn+join ns/task', []).append(float(m.group(1)))
    m = re.search(r'async [\d.]+ s \((\d+) ns/wakeup\)', rest)
    if m: rows.setdefault(key, {}).setdefault('ping-pong ns/wakeup', []).append(float(m.group(1)))
    m = re.search(r'fan-out .*\((\d+) ns/task\)', rest)
    if m: rows.setdefault(key, {}).setdefault('fan-out ns/task', []).append(float(m.group(1)))
    m = re.search(r'tasks of (\d+) iterations: 1 worker ([\d.]+) s, 2 workers ([\d.]+) s', rest)
    if m:
        rows.setdefault(key, {}).setdefault(f'scaling {m.group(1)} it, 1 worker ms', []).append(1000 * float(m.group(2)))
        rows.setdefault(key, {}).setdefault(f'scaling {m.group(1)} it, 2 workers ms', []).append(1000 * float(m.group(3)))
print(f"{sys.argv[2]} rounds; median (min) per (TML_SCHED, TML_WORKERS); the scaling part always runs 1 then 2 workers")
for key in sorted(rows):
    print(f"TML_SCHED={key[0]} TML_WORKERS={key[1]}")
    for name, v in rows[key].items():
        print(f"  {name:32s} {statistics.median(v):8.1f} ({min(v):.1f})")
PY
