#!/usr/bin/env bash
# `tmlc test` from a cold cache (issue 14): wall time, CPU time (user+sys, child processes included: the compile
# workers, clang, the tests) and the largest resident set of one process, per run. With --baseline DIR, another
# checkout (built, with build/lib) runs the same suite in alternation, for before/after figures in one session.
#   bash benchmarks/test_runner/cold.sh [-n RUNS] [--baseline DIR] [PATH]      (default: 3 runs of tests/tml)
# A fresh XDG_CACHE_HOME per run makes the cache cold; build/lib must hold the runtime (ci/setup.sh builds it), or
# each run would first build the runtime into that empty cache.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
runs=3
baseline=
suite=tests/tml
while [ $# -gt 0 ]; do
  case $1 in
    -n) runs=$2; shift 2 ;;
    --baseline) baseline=$(cd "$2" && pwd); shift 2 ;;
    *) suite=$1; shift ;;
  esac
done
[ -d "$root/build/lib" ] || { echo "cold.sh: no build/lib (run ci/setup.sh): every run would rebuild the runtime" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$root"
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
one() { # checkout label
  local cache
  cache=$(mktemp -d "$work/cache.XXXX")
  XDG_CACHE_HOME=$cache /usr/bin/time -o "$work/time" -f '%e %U %S %M' node "$1/bin/tmlc.js" test "$suite" >"$work/out" 2>"$work/err" || true
  read -r wall user sys rss <"$work/time"
  printf '%-9s wall %6.2f s   cpu %6.2f s   max rss %4d MB   %s\n' "$2" "$wall" "$(echo "$user + $sys" | bc)" $((rss / 1024)) "$(tail -1 "$work/out")"
  rm -rf "$cache"
}
for _ in $(seq 1 "$runs"); do
  [ -z "$baseline" ] || one "$baseline" baseline
  one "$root" this
done
