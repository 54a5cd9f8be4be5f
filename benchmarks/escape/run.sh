#!/usr/bin/env bash
# Escape-analysis benchmark (issue 13): a hot loop making two local `Heap`s per iteration (escape.tml), next to its C
# twins (escape.c, clang-14 -O2): `c` with malloc/free (-fno-builtin, so that clang keeps them) and `c-stack` with
# stack variables (-DSTACK: what the escape pass makes of the TML loop). TML is built with the MIR optimizer off (`-Z mir-opt=0`: every
# Heap is a tml_alloc/tml_free) and on (the `escape` pass makes them stack slots), in --release and debug builds.
#
#   benchmarks/escape/run.sh [-n RUNS] [--n N] [--debug-n N]
#
# Prints hyperfine's wall mean and min and the mean CPU time (user + sys: the least disturbed by other load on a
# shared machine) per program and the ratios to C; written to benchmarks/out/escape/report.txt.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../lib.sh"
cd "$ROOT"

RUNS=10
N=50000000
DEBUG_N=5000000
parse_args '-n --runs RUNS' '--n N' '--debug-n DEBUG_N' -- "$@"

OUT="$ROOT/benchmarks/out/escape"
mkdir -p "$OUT"
REPORT="$OUT/report.txt"
: >"$REPORT"
require_tools node clang-14 hyperfine
build_compiler

TMLC=(node "$ROOT/bin/tmlc.js")
SRC="$HERE/escape"
echo "building…" >&2
clang-14 -O2 -fno-builtin "$SRC.c" -o "$OUT/c"
clang-14 -O2 -DSTACK "$SRC.c" -o "$OUT/c-stack"
"${TMLC[@]}" build --release -Z mir-opt=0 "$SRC.tml" -o "$OUT/release-opt0"
"${TMLC[@]}" build --release "$SRC.tml" -o "$OUT/release"
"${TMLC[@]}" build -Z mir-opt=0 "$SRC.tml" -o "$OUT/debug-opt0"
"${TMLC[@]}" build "$SRC.tml" -o "$OUT/debug"

for p in c-stack release-opt0 release debug-opt0 debug; do
  n=$N; case $p in debug*) n=$DEBUG_N ;; esac
  cmp -s <("$OUT/c" "$n") <("$OUT/$p" "$n") || { echo "run.sh: $p prints other text than c for N=$n" >&2; exit 1; }
done

say "# escape: local Heap per iteration, TML (-Z mir-opt=0 / optimizer on) vs C malloc/free and C stack variables, $(date -u '+%Y-%m-%d %H:%M UTC')"
say "machine: $(machine_cores_cpu); compiler: $(compiler_revision); load average before: $(load_average)"
hyperfine -N -w 1 -r "$RUNS" --export-json "$OUT/release.json" -n c "$OUT/c $N" -n c-stack "$OUT/c-stack $N" -n release-opt0 "$OUT/release-opt0 $N" -n release "$OUT/release $N" >/dev/null
hyperfine -N -w 1 -r "$RUNS" --export-json "$OUT/debug.json" -n c "$OUT/c $DEBUG_N" -n c-stack "$OUT/c-stack $DEBUG_N" -n debug-opt0 "$OUT/debug-opt0 $DEBUG_N" -n debug "$OUT/debug $DEBUG_N" >/dev/null
say "load average after: $(load_average)"

node --input-type=module - "$OUT" "$N" "$DEBUG_N" <<'JS' | tee -a "$REPORT"
import { readFileSync } from 'node:fs';
const [out, n, dn] = process.argv.slice(2);
const ms = (s) => (s * 1000).toFixed(1);
for (const [file, label, count] of [['release', '--release', n], ['debug', 'debug (-O0 -g, leak tracker)', dn]]) {
  const rs = new Map(JSON.parse(readFileSync(`${out}/${file}.json`, 'utf8')).results.map((r) => [r.command, r]));
  const c = rs.get('c');
  console.log(`\n## ${label}, N = ${count}\n`);
  const cpu = (r) => r.user + r.system;
  console.log('| program | wall mean (min) | CPU mean | vs C: wall mean (min) | vs C: CPU |');
  console.log('|---|---:|---:|---:|---:|');
  for (const [name, r] of rs) console.log(`| ${name} | ${ms(r.mean)} (${ms(r.min)}) ms | ${ms(cpu(r))} ms | ${(r.mean / c.mean).toFixed(2)}x (${(r.min / c.min).toFixed(2)}x) | ${(cpu(r) / cpu(c)).toFixed(2)}x |`);
  const names = [...rs.keys()].filter((k) => !k.startsWith('c'));
  const off = rs.get(names[0]), on = rs.get(names[1]);
  console.log(`\nescape pass: ${names[1]} / ${names[0]} = ${(on.mean / off.mean).toFixed(3)}x of the wall means, ${(cpu(on) / cpu(off)).toFixed(3)}x of the CPU times (${(cpu(off) / cpu(on)).toFixed(1)}x faster)`);
}
JS
