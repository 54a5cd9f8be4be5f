#!/usr/bin/env bash
# Bounds- and overflow-check elimination (issue 13): a sieve over List[Bool] and a quicksort/insertion sort over
# List[I64], each next to a C twin that does the same work and prints the same text.
#
#   benchmarks/checks/run.sh [-n RUNS] [--debug]
#
# Builds each TML program twice, `node bin/tmlc.js build --release` with the MIR optimizer (opt) and with
# `-Z mir-opt=0` (noopt), and the twin with `clang-14 -O2`; checks that the three print the same text; then runs
# them interleaved RUNS times (default 5) and prints the median CPU time (user + sys) of each and the ratios
# opt/C, noopt/C and opt/noopt. With --debug the TML programs are built without --release (overflow checks on,
# `-O0`): the ratio that matters there is opt/noopt. `--release` builds have no overflow checks but keep bounds
# checks. Binaries go to benchmarks/checks/out/ (not committed).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"

RUNS=5
MODE=--release
while [ $# -gt 0 ]; do
  case "$1" in
    -n) RUNS="$2"; shift 2 ;;
    --debug) MODE=""; shift ;;
    -h | --help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done

OUT="$HERE/out"
mkdir -p "$OUT"
[ -f dist/compiler/src/cli/main.js ] || [ -d dist ] || npx tsc -p tsconfig.json

# cpu CMD...: runs CMD (output discarded) and prints its user + sys CPU time in seconds.
cpu() {
  local TIMEFORMAT='%U %S' t
  t=$({ time "$@" >/dev/null 2>&1; } 2>&1)
  awk -v u="${t% *}" -v s="${t#* }" 'BEGIN { printf "%.3f\n", u + s }'
}

median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

status=0
for name in sieve sort; do
  node bin/tmlc.js build $MODE "$HERE/$name.tml" -o "$OUT/$name.opt"
  node bin/tmlc.js build $MODE -Z mir-opt=0 "$HERE/$name.tml" -o "$OUT/$name.noopt"
  clang-14 -O2 "$HERE/$name.c" -o "$OUT/$name.c"
  want=$("$OUT/$name.c")
  for v in opt noopt; do
    [ "$("$OUT/$name.$v")" = "$want" ] || { echo "$name.$v prints other text than its C twin" >&2; status=1; }
  done
  : >"$OUT/$name.times"
  for ((r = 0; r < RUNS; r++)); do
    for v in opt noopt c; do echo "$v $(cpu "$OUT/$name.$v")" >>"$OUT/$name.times"; done
  done
  opt=$(awk '$1 == "opt" { print $2 }' "$OUT/$name.times" | median)
  noopt=$(awk '$1 == "noopt" { print $2 }' "$OUT/$name.times" | median)
  c=$(awk '$1 == "c" { print $2 }' "$OUT/$name.times" | median)
  awk -v n="$name" -v m="${MODE:---debug}" -v o="$opt" -v no="$noopt" -v c="$c" 'BEGIN {
    printf "%-6s %-9s cpu s: opt %.3f  noopt %.3f  C %.3f   opt/C %.2fx  noopt/C %.2fx  opt/noopt %.3fx\n", n, m, o, no, c, o / c, no / c, o / no
  }'
done
exit $status
