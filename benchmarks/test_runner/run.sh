#!/usr/bin/env bash
# `tmlc test` on 100 test files (issue 4): the cold run (empty cache: every file compiled) and the warm re-run with
# nothing changed (goal: recompiles nothing, under 3 s). Prints both times.
#   bash benchmarks/test_runner/run.sh [N_FILES]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
n=${1:-100}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/suite"
for i in $(seq 1 "$n"); do
  cat > "$work/suite/t$i.test.tml" <<TML
use test

type Acc$i { total: I64 }

@test
func sums_$i() {
    var l = List[I64]::new()
    for k in 0 to 100 { l.push(k * $i) }
    var acc = Acc$i { total: 0 }
    for x in ref l { acc.total += x }
    assert_eq(acc.total, 4950 * $i, "sum")
}

@test
func strings_$i() {
    let s = "item-{$i}".to_upper()
    assert_true(s.starts_with("ITEM"), "prefix")
}
TML
done
export XDG_CACHE_HOME="$work/cache"
now() { date +%s%N; }
t0=$(now)
node "$root/bin/tmlc.js" test "$work/suite" > "$work/cold.out" 2>&1 || { tail -5 "$work/cold.out"; exit 1; }
t1=$(now)
node "$root/bin/tmlc.js" test "$work/suite" > "$work/warm.out" 2> "$work/warm.err" || { tail -5 "$work/warm.out"; exit 1; }
t2=$(now)
cold=$(( (t1 - t0) / 1000000 ))
warm=$(( (t2 - t1) / 1000000 ))
echo "tmlc test, $n files ($(tail -1 "$work/cold.out")):"
echo "  cold (empty cache): ${cold} ms"
echo "  warm (no change):   ${warm} ms   $(cat "$work/warm.err")"
