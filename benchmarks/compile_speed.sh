#!/usr/bin/env bash
# Compile-speed benchmark (issue 2): tmlc next to clang-14 -O0 on an equivalent C program.
#
#   benchmarks/compile_speed.sh [-n RUNS] [--lines N] [--time-runs N] [--no-check] [--loop]
#
#   hello        tmlc build examples/hello.tml                vs  clang-14 -O0 benchmarks/c/hello.c
#   hello-script the same through `node bin/tmlc.js` (no start-up snapshot; for comparison, no goal)
#   large-check  tmlc check large.tml                         vs  clang-14 -fsyntax-only large.c
#                (parse + check, and the MIR's move/borrow/async checks; C: preprocess, parse, sema)
#   large-fe     tmlc build --emit=ir large.tml               vs  clang-14 -O0 -S -emit-llvm large.c
#                (front end: parse + check + MIR + LLVM IR, no clang; C: preprocess, parse, sema, IR)
#   large        tmlc build large.tml                         vs  clang-14 -O0 large.c
#   large-release tmlc build --release large.tml              vs  clang-14 -O2 large.c
#   peak memory  the maximum resident set of `large` (tmlc) and of clang-14 -O0 large.c
#
# `tmlc` is bin/tmlc, the command `npm link` installs: Node started from the start-up snapshot (docs/decisions.md,
# "A start-up snapshot").
#
# large.tml (about 10,000 lines) and its C twin large.c come from benchmarks/gen_large.mjs; unless --no-check,
# both are built and run first and must print the same text. Each command runs RUNS times (default 5) after one
# warm-up run, timed by hyperfine when it is installed (the script tries `apt-get install -y hyperfine` when it is
# root and hyperfine is missing) or else by a bash loop (also with --loop) that alternates tmlc and clang runs.
# Reported: the median (and the minimum) wall time, the mean CPU time (user + sys, the process and its children),
# and the ratios tmlc / clang (on a shared machine the minimum and the CPU time are the least disturbed by load);
# then the per-phase times (`--time`, median of --time-runs runs, default 3) of each benchmark, and how its wall
# time splits into Node start-up, loading tmlc's modules, the build and the exit (benchmarks/startup_probe.mjs).
# Everything printed is also written to benchmarks/out/compile_speed.txt (benchmarks/out/ is not committed).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

RUNS=5
LINES=10000
TIME_RUNS=3
CHECK=1
LOOP=0
parse_args '-n --runs RUNS' '--lines LINES' '--time-runs TIME_RUNS' '--no-check CHECK=0' '--loop LOOP=1' -- "$@"

OUT="$ROOT/benchmarks/out"
mkdir -p "$OUT"
REPORT="$OUT/compile_speed.txt"
: >"$REPORT"

require_tools node clang-14
build_compiler
# the timer for measure (lib.sh): hyperfine, RUNS runs after 1 warm-up, or the bash loop after 1 warm-up pass
choose_timer
LOOP_WARMUP=1

TMLC=("$ROOT/bin/tmlc")
SCRIPT=(node "$ROOT/bin/tmlc.js")
HELLO_TML="$ROOT/examples/hello.tml"
HELLO_C="$ROOT/benchmarks/c/hello.c"
LARGE_TML="$OUT/large.tml"
LARGE_C="$OUT/large.c"

# The large pair.
if [ "$CHECK" = 1 ]; then
  node benchmarks/gen_large.mjs --lines "$LINES" --out "$OUT" --check >&2
else
  node benchmarks/gen_large.mjs --lines "$LINES" --out "$OUT" >&2
fi
"${TMLC[@]}" build "$HELLO_TML" -o "$OUT/hello_tml"
clang-14 -O0 "$HELLO_C" -o "$OUT/hello_c"
[ "$("$OUT/hello_tml")" = "$("$OUT/hello_c")" ] || { echo "compile_speed.sh: hello.tml and hello.c print different text" >&2; exit 1; }

say "# tmlc compile speed, $(date -u '+%Y-%m-%d %H:%M UTC')"
say "machine: $(machine_cores_cpu), node $(node --version), $(clang-14 --version | head -1)"
say "timer: $TIMER, $RUNS runs after 1 warm-up; load average before: $(load_average)"
say "large.tml: $(wc -l <"$LARGE_TML") lines; large.c: $(wc -l <"$LARGE_C") lines"

echo "timing hello…" >&2
measure hello tmlc "${TMLC[*]} build $HELLO_TML -o $OUT/hello_tml" clang "clang-14 -O0 $HELLO_C -o $OUT/hello_c"
# through the script: what the snapshot saves (and, where the environment sets NODE_EXTRA_CA_CERTS, what Node's
# loading of that CA bundle costs; bin/tmlc starts Node without it)
echo "timing hello through bin/tmlc.js…" >&2
measure hello-script tmlc "${SCRIPT[*]} build $HELLO_TML -o $OUT/hello_tml" clang "clang-14 -O0 $HELLO_C -o $OUT/hello_c"
echo "timing the large program's check…" >&2
measure large-check tmlc "${TMLC[*]} check $LARGE_TML" clang "clang-14 -fsyntax-only $LARGE_C"
echo "timing the large program's front end…" >&2
measure large-fe tmlc "${TMLC[*]} build --emit=ir $LARGE_TML -o $OUT/large_tml.ll" clang "clang-14 -O0 -S -emit-llvm $LARGE_C -o $OUT/large_c.ll"
echo "timing the large program end to end…" >&2
measure large tmlc "${TMLC[*]} build $LARGE_TML -o $OUT/large_tml" clang "clang-14 -O0 $LARGE_C -o $OUT/large_c"
echo "timing the large program's release build…" >&2
measure large-release tmlc "${TMLC[*]} build --release $LARGE_TML -o $OUT/large_tml_rel" clang "clang-14 -O2 $LARGE_C -o $OUT/large_c_rel"
# Peak memory: the maximum resident set (GNU time's %M, which covers the process and the children it waits for:
# clang's ld, tmlc's clang link) of the large debug build, median of 3 runs each
if [ ! -x /usr/bin/time ] && [ "$(id -u)" = 0 ]; then apt-get install -y time >/dev/null 2>&1 || true; fi
PEAK_TMLC=""
PEAK_CLANG=""
if [ -x /usr/bin/time ]; then
  echo "measuring the large build's peak memory…" >&2
  peak_kb() {
    local i
    for ((i = 0; i < 3; i++)); do
      /usr/bin/time -f %M -o "$OUT/peak.txt" "$@" >/dev/null 2>&1
      cat "$OUT/peak.txt"
    done | sort -n | sed -n 2p
  }
  PEAK_TMLC=$(peak_kb "${TMLC[@]}" build "$LARGE_TML" -o "$OUT/large_tml")
  PEAK_CLANG=$(peak_kb clang-14 -O0 "$LARGE_C" -o "$OUT/large_c")
fi
LOAD_AFTER="$(load_average)"

# --time phase breakdowns (median per phase over TIME_RUNS runs), with the start-up probe for the split of the
# wall time: Node ready → tmlc's modules loaded and the command line parsed → the build (--time's total) →
# --time's report printed → the 'exit' event → the process gone. The probe is a module Node preloads, which a start
# from the snapshot cannot have: these runs go through bin/tmlc.js.
phases() {
  local name="$1"
  shift
  local i
  : >"$OUT/$name.time"
  for ((i = 0; i < TIME_RUNS; i++)); do
    local t0 t1
    t0=$(date +%s%N)
    node --import "$ROOT/benchmarks/startup_probe.mjs" "$ROOT/bin/tmlc.js" "$@" --time >/dev/null 2>>"$OUT/$name.time"
    t1=$(date +%s%N)
    echo "wall: $(((t1 - t0) / 1000)) us" >>"$OUT/$name.time"
  done
}
echo "collecting --time phase breakdowns…" >&2
phases hello build "$HELLO_TML" -o "$OUT/hello_tml"
phases large-check check "$LARGE_TML"
phases large-fe build --emit=ir "$LARGE_TML" -o "$OUT/large_tml.ll"
phases large build "$LARGE_TML" -o "$OUT/large_tml"
phases large-release build --release "$LARGE_TML" -o "$OUT/large_tml_rel"

PEAK_TMLC="$PEAK_TMLC" PEAK_CLANG="$PEAK_CLANG" node --input-type=module - "$OUT" "$RUNS" "$TIME_RUNS" "$LOAD_AFTER" <<'EOF' | tee -a "$REPORT"
import { readFileSync } from 'node:fs';
const [out, runs, timeRuns, loadAfter] = process.argv.slice(2);
const ms = (s) => (s * 1000).toFixed(1);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const rows = [
  ['hello', 'hello: `tmlc build hello.tml` vs `clang-14 -O0 hello.c`'],
  ['large-check', 'large, check: `tmlc check` vs `clang-14 -fsyntax-only`'],
  ['large-fe', 'large, front end: `tmlc build --emit=ir` vs `clang-14 -O0 -S -emit-llvm`'],
  ['large', 'large, end to end: `tmlc build` vs `clang-14 -O0`'],
  ['large-release', 'large, release: `tmlc build --release` vs `clang-14 -O2`'],
];
const scriptRow = ['hello-script', 'hello through `node bin/tmlc.js` (no snapshot)'];
console.log(`load average after: ${loadAfter}\n`);
console.log('| benchmark | tmlc wall: median (min) | clang wall: median (min) | ratio of medians (of mins) | tmlc CPU (mean) | clang CPU (mean) | ratio CPU |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
let helloRatio = null;
const cpuRatio = {};
for (const [name, label] of [rows[0], scriptRow, ...rows.slice(1)]) {
  const [t, c] = JSON.parse(readFileSync(`${out}/${name}.json`, 'utf8')).results;
  const tc = t.user + t.system, cc = c.user + c.system;
  if (name === 'hello') helloRatio = { median: t.median / c.median, min: t.min / c.min, cpu: tc / cc };
  cpuRatio[name] = tc / cc;
  console.log(`| ${label} | ${ms(t.median)} (${ms(t.min)}) ms | ${ms(c.median)} (${ms(c.min)}) ms | ${(t.median / c.median).toFixed(2)}x (${(t.min / c.min).toFixed(2)}x) | ${ms(tc)} ms | ${ms(cc)} ms | ${(tc / cc).toFixed(2)}x |`);
}
const [peakTmlc, peakClang] = [process.env.PEAK_TMLC, process.env.PEAK_CLANG].map((k) => Number(k || NaN) / 1024);
if (!Number.isNaN(peakTmlc)) console.log(`\npeak memory, large debug build (median of 3, max RSS): tmlc ${peakTmlc.toFixed(0)} MB, clang-14 -O0 ${peakClang.toFixed(0)} MB, ratio ${(peakTmlc / peakClang).toFixed(2)}x (goal ≤ 2x)`);
else console.log('\npeak memory: not measured (/usr/bin/time, from the Debian package `time`, is missing)');
// issue 14's goals, in CPU time
const goals = [['large-check', 2, '`tmlc check` vs `clang -fsyntax-only`'], ['large', 2, 'debug build vs `clang -O0`'], ['large-release', 3, '`--release` vs `clang -O2`']];
for (const [name, goal, what] of goals) {
  const x = cpuRatio[name];
  if (x !== undefined) console.log(`goal (large program, ${what} ≤ ${goal}x CPU): ${x <= goal ? 'met' : 'NOT met'} (${x.toFixed(2)}x)`);
}
const r = helloRatio;
console.log(`\ngoal (whole \`tmlc build hello.tml\` within 2x of clang on hello.c): ${r.median <= 2 ? 'met' : 'NOT met'}` +
  ` (${r.median.toFixed(2)}x of the medians, ${r.min.toFixed(2)}x of the minimums, ${r.cpu.toFixed(2)}x in CPU time)`);

// --time breakdowns: each run's phases and its probe line; shown are the run with the median wall time and the
// fastest run (whole runs, so that the numbers of a column add up)
for (const [name, label] of rows) {
  const text = readFileSync(`${out}/${name}.time`, 'utf8');
  const runs = [];
  let cur = { phases: [] };
  for (const line of text.split('\n')) {
    let m;
    if ((m = line.match(/^time: (\S+)\s+([\d.]+) ms/))) {
      if (m[1] === 'total') cur.total = Number(m[2]);
      else cur.phases.push([m[1], Number(m[2])]);
    } else if ((m = line.match(/^probe: node ready ([\d.]+) ms; report ([\d.]+) ms; exit ([\d.]+) ms/))) {
      [cur.ready, cur.report, cur.exit] = [Number(m[1]), Number(m[2]), Number(m[3])];
    } else if ((m = line.match(/^wall: (\d+) us/))) {
      cur.wall = Number(m[1]) / 1000;
      runs.push(cur);
      cur = { phases: [] };
    }
  }
  const byWall = [...runs].sort((a, b) => a.wall - b.wall);
  const cols = [byWall[(byWall.length - 1) >> 1], byWall[0]];
  const row = (k, f) => console.log(`  ${k.padEnd(44)} ${cols.map((r) => f(r).toFixed(1).padStart(10)).join(' ')}`);
  console.log(`\n${label} — \`--time\` and the start-up probe, ${runs.length} runs (ms):`);
  console.log(`  ${''.padEnd(44)} ${'median run'.padStart(10)} ${'fastest'.padStart(10)}`);
  row('Node start-up (until the first user module)', (r) => r.ready);
  row('loading tmlc, parsing the command line', (r) => r.report - r.total - r.ready);
  for (const [k] of cols[0].phases) row(`  phase: ${k}`, (r) => r.phases.find((p) => p[0] === k)?.[1] ?? NaN);
  row('  outside the phases (loading codegen, …)', (r) => r.total - r.phases.reduce((a, p) => a + p[1], 0));
  row('the build (--time total = the phases above)', (r) => r.total);
  row("after the build, until the 'exit' event", (r) => r.exit - r.report);
  row('process exit', (r) => r.wall - r.exit);
  row('wall', (r) => r.wall);
}
EOF
echo "(written to ${REPORT#"$ROOT"/})" >&2
