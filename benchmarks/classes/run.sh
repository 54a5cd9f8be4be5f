#!/usr/bin/env bash
# Class and allocator runtime benchmarks: three TML programs next to C++/C twins that do the same work and print the
# same text.
#
#   benchmarks/classes/run.sh [-n RUNS] [--rounds N] [--loop] [--only NAME[,NAME...]]
#
#   virtual_dispatch  4,096 objects of 3 classes derived from `abstract class Shape`, in a List[Shape] in a shuffled
#                     order, 20,000 passes summing s.area()      vs C++ virtual functions, std::vector<Shape*>
#                     goal: TML <= 1.0x of C++
#   pool_churn        10,000,000 `@pool class Particle` created, a ring of 64 live ones replaced round-robin
#                     vs C++ plain new/delete                    goal: TML faster (< 1.0x)
#   arena_alloc       20,000,000 24-byte structs `arena.alloc`ed in an Arena of 4096-byte chunks, reset every 1,000
#                     vs C bump allocator over malloc'd chunks   goal: TML <= 1.2x of C
#                     (also timed, for the table only: the C twin built with -DARENA_DTORS, which also keeps the
#                     TML Arena's destructor record per allocation and calls them at reset)
#
# Builds: `node bin/tmlc.js build --release X.tml`, `clang++-14 -std=c++17 -O2 X.cpp`, `clang-14 -O2 X.c`. Each
# pair must print the same text (checked before timing). A TML program that does not build (or prints other text)
# is reported and its twin is still timed; the script then exits 1 after the report.
# Each program runs RUNS times (default 10, at least 5), timed by hyperfine when installed (the script tries
# `apt-get install -y hyperfine` when it is root) in --rounds rounds (default 5) over the pair, each round after a
# warm-up run, or else by a bash loop that alternates the pair after 2 warm-ups (also with --loop). The line per
# benchmark gives the medians and their ratio TML / twin; the table after it adds the minimum and the CPU time
# (user + sys), which are less disturbed by other load on a shared machine.
# Everything printed is also written to benchmarks/classes/out/report.txt (out/ is not committed).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../lib.sh"
cd "$ROOT"

RUNS=10
ROUNDS=5
LOOP=0
ONLY=""
parse_args '-n --runs RUNS' '--rounds ROUNDS' '--loop LOOP=1' '--only ONLY' -- "$@"
[ "$RUNS" -ge 5 ] || { echo "run.sh: -n must be at least 5 (the line reports a median)" >&2; exit 2; }
[ "$ROUNDS" -ge 1 ] && [ "$ROUNDS" -le "$RUNS" ] || { echo "run.sh: --rounds must be between 1 and RUNS" >&2; exit 2; }

ALL=(virtual_dispatch pool_churn arena_alloc)
declare -A TWIN_LANG=([virtual_dispatch]="C++" [pool_churn]="C++" [arena_alloc]="C")
declare -A TWIN_SRC=([virtual_dispatch]=cpp [pool_churn]=cpp [arena_alloc]=c)
declare -A GOAL=([virtual_dispatch]=1.0 [pool_churn]=1.0 [arena_alloc]=1.2)
declare -A GOAL_OP=([virtual_dispatch]="<=" [pool_churn]="<" [arena_alloc]="<=")
if [ -n "$ONLY" ]; then
  IFS=, read -r -a BENCHES <<<"$ONLY"
  for b in "${BENCHES[@]}"; do
    [ -n "${TWIN_SRC[$b]+x}" ] || { echo "run.sh: unknown benchmark '$b' (${ALL[*]})" >&2; exit 2; }
  done
else
  BENCHES=("${ALL[@]}")
fi

OUT="$HERE/out"
mkdir -p "$OUT"
REPORT="$OUT/report.txt"
: >"$REPORT"

require_tools node clang-14 clang++-14

# The compiler: build dist/ when it is missing or older than a source file. tsc still writes dist/ when the sources
# have type errors (the class work is in progress in the same tree), so go on with what it wrote; a TML build that
# then fails is reported like any other.
TSC_FAILED=0
build_compiler "$OUT/tsc.log" || {
  echo "run.sh: warning: the compiler does not type-check ($(grep -c 'error TS' "$OUT/tsc.log") errors, see ${OUT#"$ROOT/"}/tsc.log); using what tsc emitted" >&2
  TSC_FAILED=1
}

choose_timer

TMLC=(node "$ROOT/bin/tmlc.js")

# ---- builds and output checks ----
# STATUS[b]: ok | build (the TML program did not build) | output (it printed other text than its twin) | run (it failed)
declare -A STATUS NOTE
for b in "${BENCHES[@]}"; do
  echo "building $b…" >&2
  twin="$OUT/${b}_${TWIN_SRC[$b]}"
  if [ "${TWIN_SRC[$b]}" = cpp ]; then
    clang++-14 -std=c++17 -O2 -Wall "$HERE/$b.cpp" -o "$twin"
  else
    clang-14 -O2 -Wall "$HERE/$b.c" -o "$twin"
  fi
  "$twin" >"$OUT/$b.expected"
  if [ "$b" = arena_alloc ]; then
    clang-14 -O2 -Wall -DARENA_DTORS "$HERE/$b.c" -o "${twin}_dtors"
    "${twin}_dtors" >"$OUT/$b.dtors.out"
    cmp -s "$OUT/$b.expected" "$OUT/$b.dtors.out" || { echo "run.sh: $b.c -DARENA_DTORS prints other text than without" >&2; exit 1; }
  fi
  STATUS[$b]=ok
  NOTE[$b]=""
  rm -f "$OUT/${b}_tml"
  st=0
  "${TMLC[@]}" build --release "$HERE/$b.tml" -o "$OUT/${b}_tml" >"$OUT/${b}_tml_build.log" 2>&1 || st=$?
  if [ "$st" != 0 ]; then
    STATUS[$b]=build
    NOTE[$b]="$(grep -m1 -E '^(error|internal compiler error)' "$OUT/${b}_tml_build.log" || head -1 "$OUT/${b}_tml_build.log")"
    [ "$st" -le 128 ] || NOTE[$b]="tmlc killed by signal $((st - 128))$(kill -l $((st - 128)) 2>/dev/null | sed 's/^/ (SIG/; s/$/)/')${NOTE[$b]:+: ${NOTE[$b]}}"
    [ -n "${NOTE[$b]}" ] || NOTE[$b]="tmlc exited with status $st"
    continue
  fi
  st=0
  "$OUT/${b}_tml" >"$OUT/$b.tml.out" 2>"$OUT/$b.tml.err" || st=$?
  if [ "$st" != 0 ]; then
    STATUS[$b]=run
    NOTE[$b]="exit status $st: $(head -1 "$OUT/$b.tml.err")"
  elif [ -s "$OUT/$b.tml.err" ]; then
    STATUS[$b]=run
    NOTE[$b]="wrote to stderr: $(head -1 "$OUT/$b.tml.err")"
  elif ! cmp -s "$OUT/$b.expected" "$OUT/$b.tml.out"; then
    STATUS[$b]=output
    NOTE[$b]="prints $(tr '\n' ' ' <"$OUT/$b.tml.out")instead of $(tr '\n' ' ' <"$OUT/$b.expected")"
  fi
done

# ---- timing ----
say "# classes and allocators: TML next to C++/C twins, $(date -u '+%Y-%m-%d %H:%M UTC')"
say "machine: $(machine_cores_cpu); $(clang-14 --version | head -1)"
say "timer: $TIMER, $RUNS runs per program ($([ "$LOOP" = 0 ] && echo "$ROUNDS rounds of $(((RUNS + ROUNDS - 1) / ROUNDS)) after a warm-up" || echo "alternating, after 2 warm-ups")); load average before: $(load_average)"
say "compiler: $(compiler_revision)$([ "$TSC_FAILED" = 0 ] || echo '; dist/ built from sources with type errors')"
for b in "${BENCHES[@]}"; do
  twin="${b}_${TWIN_SRC[$b]}"
  echo "timing $b…" >&2
  extra=()
  [ "$b" != arena_alloc ] || extra=("${twin}_dtors")
  if [ "${STATUS[$b]}" = ok ]; then measure_programs "$b" "" "$twin" "${b}_tml" "${extra[@]}"; else measure_programs "$b" "" "$twin" "${extra[@]}"; fi
done
say "load average after: $(load_average)"
say ""

SPECS=()
for b in "${BENCHES[@]}"; do
  SPECS+=("$b|${TWIN_LANG[$b]}|${TWIN_SRC[$b]}|${GOAL_OP[$b]}|${GOAL[$b]}|${STATUS[$b]}|${NOTE[$b]}")
done
node --input-type=module - "$OUT" "${SPECS[@]}" <<'JS' | tee -a "$REPORT"
import { readFileSync } from 'node:fs';
const [out, ...specs] = process.argv.slice(2);
const ms = (s) => (s * 1000).toFixed(1);
const x = (r) => r.toFixed(2) + 'x';
const rows = specs.map((spec) => {
  const [name, lang, ext, op, goal, status, ...note] = spec.split('|');
  const res = new Map(JSON.parse(readFileSync(`${out}/${name}.json`, 'utf8')).results.map((r) => [r.command, r]));
  return { name, lang, op, goal: Number(goal), status, note: note.join('|'), twin: res.get(`${name}_${ext}`), tml: res.get(`${name}_tml`), dtors: res.get(`${name}_${ext}_dtors`) };
});
const meets = (r, op, goal) => (op === '<' ? r < goal : r <= goal);
for (const r of rows) {
  const goal = `goal ${r.op} ${r.goal.toFixed(1)}x`;
  if (!r.tml) {
    const why = { build: 'did not build', run: 'failed', output: 'printed other text' }[r.status];
    console.log(`${r.name}: ${r.lang} ${ms(r.twin.median)} ms, TML ${why} (${r.note}), ratio n/a (${goal})`);
    continue;
  }
  const ratio = r.tml.median / r.twin.median;
  console.log(`${r.name}: ${r.lang} ${ms(r.twin.median)} ms, TML ${ms(r.tml.median)} ms, ratio ${x(ratio)} (${goal})${r.status === 'ok' ? '' : ` -- ${r.note}`}`);
}
console.log('');
console.log('| benchmark | program | wall median (min) | CPU mean | TML / twin: median (min) | TML / twin: CPU | goal |');
console.log('|---|---|---:|---:|---:|---:|---|');
for (const r of rows) {
  const cpu = (p) => p.user + p.system;
  console.log(`| ${r.name} | ${r.lang} | ${ms(r.twin.median)} (${ms(r.twin.min)}) ms | ${ms(cpu(r.twin))} ms | | | |`);
  if (r.dtors) {
    const d = r.dtors, vs = r.tml ? `TML / this: ${x(r.tml.median / d.median)} (${x(r.tml.min / d.min)})` : '';
    console.log(`| | ${r.lang} -DARENA_DTORS (+ destructor list, for comparison) | ${ms(d.median)} (${ms(d.min)}) ms | ${ms(cpu(d))} ms | ${vs} | ${r.tml ? `TML / this: ${x(cpu(r.tml) / cpu(d))}` : ''} | |`);
  }
  if (!r.tml) {
    console.log(`| | TML | ${r.status === 'build' ? 'did not build' : r.status} | | | | ${r.op} ${r.goal.toFixed(1)}x |`);
    continue;
  }
  const med = r.tml.median / r.twin.median, min = r.tml.min / r.twin.min, c = cpu(r.tml) / cpu(r.twin);
  const n = [med, min, c].filter((v) => meets(v, r.op, r.goal)).length;
  const word = n === 3 ? 'met' : n === 0 ? 'NOT met' : 'borderline';
  console.log(`| | TML | ${ms(r.tml.median)} (${ms(r.tml.min)}) ms | ${ms(cpu(r.tml))} ms | ${x(med)} (${x(min)}) | ${x(c)} | ${r.op} ${r.goal.toFixed(1)}x: ${word} |`);
}
JS

failed=0
for b in "${BENCHES[@]}"; do
  if [ "${STATUS[$b]}" != ok ]; then
    failed=1
    case "${STATUS[$b]}" in
      build) echo "run.sh: $b.tml did not build; see ${OUT#"$ROOT/"}/${b}_tml_build.log" >&2 ;;
      *) echo "run.sh: $b: ${NOTE[$b]}" >&2 ;;
    esac
  fi
done
exit "$failed"
