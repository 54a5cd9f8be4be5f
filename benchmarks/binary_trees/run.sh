#!/usr/bin/env bash
# binary-trees runtime benchmark (issues 3 and 4): TML's `Heap` next to C's malloc/free and Rust's `Box`.
#
#   benchmarks/binary_trees/run.sh [-n RUNS] [--rounds N] [--depth N] [--debug-depth N] [--loop]
#
# Part 1 (issue 3, goal: TML within 1.1x of C), max depth --depth (default 16):
#   tml    node bin/tmlc.js build --release binary_trees.tml   (-O2, no overflow checks, the release runtime)
#   c      clang-14 -O2 binary_trees.c                          (malloc/free)
#   rust   rustc -O binary_trees.rs                             (Box, std only)
# Part 2 (issue 4, goal: leak tracking costs at most 2x), max depth --debug-depth (default 14), all from the same
# binary_trees.tml:
#   debug               tmlc build                    -O0 -g, overflow checks, the runtime that tracks every block
#                                                     (libtml_runtime_debug.a) and reports leaks at exit
#   debug-no-check-leaks  tmlc build --no-check-leaks the same code; which runtime it links depends on the compiler
#                       version (up to bc8990d: still the tracking one, only the report is off; since bc8990d: the
#                       untracked release runtime), so the script reads it off `tmlc build --verbose` and prints it
#   debug-untracked     tmlc build --emit=obj, linked by hand (clang-14 -O0 -g) with libtml_runtime_release.a: the
#                       same object code as `debug` with a runtime that does not track, whatever the compiler
#                       version (the control)
#   release-O0          tmlc build --release -O 0     no tracking, but also no overflow checks and no -g
#   The tracking overhead is debug / debug-untracked (and debug / debug-no-check-leaks when that one is untracked).
# Part 3 (issue 13, goal: a debug build at most 2x --release), max depth --depth: the default debug build (`debug`
#   above: leak tracking, overflow checks, -O0 -g) against the --release build (`tml`), the same program and input.
#
# All programs must print the same text (checked before timing; the debug build must also exit 0 with an empty
# stderr, i.e. no leak report). Each program runs RUNS times (default 20), timed by hyperfine when installed (the
# script tries `apt-get install -y hyperfine` when it is root) in --rounds rounds (default 5) over all the programs,
# each with a warm-up run, or else by a bash loop that alternates the programs after 2 warm-ups (also with --loop). Reported: median and minimum wall time, mean CPU time (user + sys),
# and ratios. On a shared machine the minimum and the CPU time are the least disturbed by other load.
# Everything printed is also written to benchmarks/out/binary_trees/report.txt (benchmarks/out/ is not committed).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../lib.sh"
cd "$ROOT"

RUNS=20
ROUNDS=5
DEPTH=16
DEBUG_DEPTH=14
LOOP=0
parse_args '-n --runs RUNS' '--rounds ROUNDS' '--depth DEPTH' '--debug-depth DEBUG_DEPTH' '--loop LOOP=1' -- "$@"

OUT="$ROOT/benchmarks/out/binary_trees"
mkdir -p "$OUT"
REPORT="$OUT/report.txt"
: >"$REPORT"

require_tools node clang-14 rustc
build_compiler
choose_timer

TMLC=(node "$ROOT/bin/tmlc.js")
SRC="$HERE/binary_trees"

# ---- builds ----
echo "building…" >&2
# --verbose echoes the clang command, which names the runtime library tmlc links (build/lib/ or its cache)
"${TMLC[@]}" build --release --verbose "$SRC.tml" -o "$OUT/tml" 2>"$OUT/tml_build.log" || { cat "$OUT/tml_build.log" >&2; exit 1; }
RELEASE_RT="$(grep -o '[^ ]*libtml_runtime_release\.a' "$OUT/tml_build.log" | head -1)"
[ -f "$RELEASE_RT" ] || { echo "run.sh: cannot find the release runtime library in 'tmlc build --verbose' output" >&2; exit 1; }
clang-14 -O2 "$SRC.c" -o "$OUT/c"
rustc -O "$SRC.rs" -o "$OUT/rust"

"${TMLC[@]}" build --verbose "$SRC.tml" -o "$OUT/debug" 2>"$OUT/debug_build.log"
"${TMLC[@]}" build --verbose --no-check-leaks "$SRC.tml" -o "$OUT/debug-no-check-leaks" 2>"$OUT/debug-no-check-leaks_build.log"
runtime_of() { grep -o 'libtml_runtime_[a-z]*\.a' "$1" | head -1; }
DEBUG_RT="$(runtime_of "$OUT/debug_build.log")"
NOCHECK_RT="$(runtime_of "$OUT/debug-no-check-leaks_build.log")"
"${TMLC[@]}" build --emit=obj "$SRC.tml" -o "$OUT/debug.o"
clang-14 -O0 -g "$OUT/debug.o" "$RELEASE_RT" -lpthread -lm -o "$OUT/debug-untracked"
"${TMLC[@]}" build --release -O 0 "$SRC.tml" -o "$OUT/release-O0"

# ---- same output ----
check_same() { # DEPTH REF PROGRAM...
  local depth="$1" ref="$2" p
  shift 2
  "$OUT/$ref" "$depth" >"$OUT/$ref.out"
  for p in "$@"; do
    "$OUT/$p" "$depth" >"$OUT/$p.out" 2>"$OUT/$p.err" || { echo "run.sh: $p $depth failed (status $?)" >&2; cat "$OUT/$p.err" >&2; exit 1; }
    [ ! -s "$OUT/$p.err" ] || { echo "run.sh: $p $depth wrote to stderr:" >&2; cat "$OUT/$p.err" >&2; exit 1; }
    cmp -s "$OUT/$ref.out" "$OUT/$p.out" || { echo "run.sh: $p prints other text than $ref at depth $depth:" >&2; diff "$OUT/$ref.out" "$OUT/$p.out" >&2; exit 1; }
  done
}
check_same "$DEPTH" c tml rust
cp "$OUT/c.out" "$OUT/release.expected"
check_same "$DEBUG_DEPTH" c debug debug-no-check-leaks debug-untracked release-O0
check_same "$DEPTH" c debug

# ---- timing ----
say "# binary-trees: TML Heap vs C malloc/free vs Rust Box, $(date -u '+%Y-%m-%d %H:%M UTC')"
say "machine: $(machine_cores_cpu); $(clang-14 --version | head -1); $(rustc --version)"
say "timer: $TIMER, $RUNS runs ($([ "$LOOP" = 0 ] && echo "$ROUNDS rounds of $(((RUNS + ROUNDS - 1) / ROUNDS)) after a warm-up" || echo "alternating, after 2 warm-ups")); load average before: $(load_average)"
say "runtime libraries: release build ${RELEASE_RT#"$ROOT/"}; tmlc build: $DEBUG_RT; tmlc build --no-check-leaks: $NOCHECK_RT"
say "compiler: $(compiler_revision)"
echo "timing part 1 (depth $DEPTH)…" >&2
measure_programs release "$DEPTH" c tml rust
echo "timing part 2 (depth $DEBUG_DEPTH)…" >&2
measure_programs debug "$DEBUG_DEPTH" debug debug-no-check-leaks debug-untracked release-O0
echo "timing part 3 (depth $DEPTH)…" >&2
measure_programs debug_vs_release "$DEPTH" tml debug
say "load average after: $(load_average)"

node --input-type=module - "$OUT" "$DEPTH" "$DEBUG_DEPTH" "$DEBUG_RT" "$NOCHECK_RT" <<'EOF' | tee -a "$REPORT"
import { readFileSync } from 'node:fs';
const [out, depth, debugDepth, debugRt, nocheckRt] = process.argv.slice(2);
const ms = (s) => (s * 1000).toFixed(1);
const x = (r) => r.toFixed(2) + 'x';
const load = (name) => new Map(JSON.parse(readFileSync(`${out}/${name}.json`, 'utf8')).results.map((r) => [r.command, r]));
function table(results, rows, base, baseLabel) {
  const b = results.get(base);
  const bcpu = b.user + b.system;
  console.log(`| program | build | wall median (min) | CPU mean | vs ${baseLabel}: median (min) | vs ${baseLabel}: CPU |`);
  console.log('|---|---|---:|---:|---:|---:|');
  for (const [name, build] of rows) {
    const r = results.get(name);
    const cpu = r.user + r.system;
    console.log(`| ${name} | ${build} | ${ms(r.median)} (${ms(r.min)}) ms | ${ms(cpu)} ms | ${x(r.median / b.median)} (${x(r.min / b.min)}) | ${x(cpu / bcpu)} |`);
  }
}
const verdict = (a, b, goal) => {
  const cpu = (a.user + a.system) / (b.user + b.system);
  const med = a.median / b.median, min = a.min / b.min;
  const n = [med, min, cpu].filter((r) => r <= goal).length;
  const word = n === 3 ? 'met' : n === 0 ? 'NOT met' : 'borderline (met by some measures, not all)';
  return `${word} (${x(med)} of the medians, ${x(min)} of the minimums, ${x(cpu)} in CPU time)`;
};

const rel = load('release');
console.log(`\n## Part 1: release builds, depth ${depth}\n`);
table(rel, [
  ['c', '`clang-14 -O2 binary_trees.c` (malloc/free)'],
  ['tml', '`tmlc build --release binary_trees.tml` (Heap)'],
  ['rust', '`rustc -O binary_trees.rs` (Box)'],
], 'c', 'C');
console.log(`\ngoal (TML within 1.1x of C): ${verdict(rel.get('tml'), rel.get('c'), 1.1)}`);
console.log(`Rust / C: ${x(rel.get('rust').median / rel.get('c').median)} of the medians; TML / Rust: ${x(rel.get('tml').median / rel.get('rust').median)}`);

const dbg = load('debug');
console.log(`\n## Part 2: leak-tracking overhead, debug builds, depth ${debugDepth}\n`);
table(dbg, [
  ['debug', `\`tmlc build\` (-O0 -g, overflow checks; links ${debugRt})`],
  ['debug-no-check-leaks', `\`tmlc build --no-check-leaks\` (same code; links ${nocheckRt})`],
  ['debug-untracked', '`tmlc build --emit=obj` + `clang-14 -O0 -g obj libtml_runtime_release.a` (same code, runtime without tracking)'],
  ['release-O0', '`tmlc build --release -O 0` (no tracking, no overflow checks, no -g)'],
], 'debug-untracked', 'untracked');
console.log(`\ngoal (tracking costs at most 2x: debug / debug-untracked): ${verdict(dbg.get('debug'), dbg.get('debug-untracked'), 2)}`);
const nc = dbg.get('debug-no-check-leaks');
if (nocheckRt.includes('release')) {
  console.log(`debug / debug-no-check-leaks (tmlc's own switch, untracked runtime): ${verdict(dbg.get('debug'), nc, 2)}`);
} else {
  console.log(`debug-no-check-leaks links ${nocheckRt}: it still tracks (only the report is off), so it is no baseline; debug-no-check-leaks / debug: ${x(nc.median / dbg.get('debug').median)} of the medians`);
}
console.log(`debug / release-O0 (tracking + overflow checks + -g): ${x(dbg.get('debug').median / dbg.get('release-O0').median)} of the medians, ${x(dbg.get('debug').min / dbg.get('release-O0').min)} of the minimums`);

const dvr = load('debug_vs_release');
console.log(`\n## Part 3: the debug build against --release, depth ${depth}\n`);
table(dvr, [
  ['tml', '`tmlc build --release binary_trees.tml`'],
  ['debug', '`tmlc build binary_trees.tml` (-O0 -g, overflow checks, leak tracking)'],
], 'tml', 'release');
console.log(`\ngoal (a debug build at most 2x --release: debug / tml): ${verdict(dvr.get('debug'), dvr.get('tml'), 2)}`);
EOF
