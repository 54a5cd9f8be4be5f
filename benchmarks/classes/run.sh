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
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"

RUNS=10
ROUNDS=5
LOOP=0
ONLY=""
while [ $# -gt 0 ]; do
  case "$1" in
    -n | --runs) RUNS="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --loop) LOOP=1; shift ;;
    --only) ONLY="$2"; shift 2 ;;
    -h | --help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$HERE/$(basename "${BASH_SOURCE[0]}")"; exit 0 ;;
    *) echo "run.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
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
say() { printf '%s\n' "$*" | tee -a "$REPORT"; }

for tool in node clang-14 clang++-14; do
  command -v "$tool" >/dev/null || { echo "run.sh: '$tool' is not on PATH" >&2; exit 1; }
done

# The compiler: build dist/ when it is missing or older than a source file.
TSC_FAILED=0
MAIN=dist/compiler/src/cli/main.js
if [ ! -f "$MAIN" ] || [ -n "$(find compiler/src -name '*.ts' -newer "$MAIN" -print -quit)" ]; then
  echo "building the compiler (npx tsc -p tsconfig.json)…" >&2
  # tsc still writes dist/ when the sources have type errors (the class work is in progress in the same tree), so
  # go on with what it wrote; a TML build that then fails is reported like any other
  npx tsc -p tsconfig.json >"$OUT/tsc.log" 2>&1 || {
    echo "run.sh: warning: the compiler does not type-check ($(grep -c 'error TS' "$OUT/tsc.log") errors, see ${OUT#"$ROOT/"}/tsc.log); using what tsc emitted" >&2
    TSC_FAILED=1
  }
fi

# The timer: hyperfine if there (or installable), else the bash loop.
if [ "$LOOP" = 0 ] && ! command -v hyperfine >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing hyperfine (apt-get install -y hyperfine)…" >&2
    apt-get install -y hyperfine >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y hyperfine >/dev/null 2>&1; } || true
  fi
  command -v hyperfine >/dev/null || echo "hyperfine is not available; timing with a bash loop" >&2
fi
if [ "$LOOP" = 0 ] && command -v hyperfine >/dev/null; then TIMER="hyperfine $(hyperfine --version | cut -d' ' -f2)"; else TIMER="bash loop"; LOOP=1; fi

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
# measure NAME PROGRAM...: writes $OUT/NAME.json in hyperfine's format ({results: [{command, median, min, user,
# system, times}]}, seconds), one result per program ($OUT/PROGRAM), in the order given.
measure() {
  local name="$1" p
  shift
  if [ "$LOOP" = 0 ]; then
    # ROUNDS rounds of hyperfine over the pair, merged: a change in the machine's load then falls on both programs
    local args=() r per=$(((RUNS + ROUNDS - 1) / ROUNDS))
    for p in "$@"; do args+=(-n "$p" "$OUT/$p"); done
    for ((r = 1; r <= ROUNDS; r++)); do
      hyperfine -N -w 1 -r "$per" --export-json "$OUT/$name.round$r.json" "${args[@]}" >/dev/null 2>&1
    done
    node --input-type=module - "$OUT/$name" "$ROUNDS" <<'JS'
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
const [base, rounds] = process.argv.slice(2);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const all = [];
for (let r = 1; r <= Number(rounds); r++) {
  all.push(JSON.parse(readFileSync(`${base}.round${r}.json`, 'utf8')).results);
  rmSync(`${base}.round${r}.json`);
}
const results = all[0].map((first, i) => {
  const rs = all.map((round) => round[i]);
  const times = rs.flatMap((x) => x.times);
  return { command: first.command, median: median(times), min: Math.min(...times), user: mean(rs.map((x) => x.user)), system: mean(rs.map((x) => x.system)), times };
});
writeFileSync(`${base}.json`, JSON.stringify({ results }));
JS
    return
  fi
  # bash loop: alternate the programs so that both see the same machine load; bash's `time` gives the wall time
  # and the CPU time of the process
  local raw="$OUT/$name.raw" i
  local TIMEFORMAT="%3R %3U %3S"
  for p in "$@"; do : >"$raw.$p"; done
  for ((i = 0; i < RUNS + 2; i++)); do
    for p in "$@"; do
      if [ "$i" -lt 2 ]; then
        "$OUT/$p" >/dev/null 2>&1 # warm-up
      else
        { time "$OUT/$p" >/dev/null 2>&1; } 2>>"$raw.$p"
      fi
    done
  done
  node --input-type=module - "$raw" "$OUT/$name.json" "$@" <<'JS'
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
const [raw, out, ...names] = process.argv.slice(2);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const results = names.map((command) => {
  const rows = readFileSync(`${raw}.${command}`, 'utf8').trim().split('\n').map((l) => l.split(' ').map(Number));
  rmSync(`${raw}.${command}`);
  const times = rows.map((r) => r[0]);
  return { command, median: median(times), min: Math.min(...times), user: mean(rows.map((r) => r[1])), system: mean(rows.map((r) => r[2])), times };
});
writeFileSync(out, JSON.stringify({ results }));
JS
}

load() { cut -d' ' -f1-3 /proc/loadavg; }
say "# classes and allocators: TML next to C++/C twins, $(date -u '+%Y-%m-%d %H:%M UTC')"
say "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); $(clang-14 --version | head -1)"
say "timer: $TIMER, $RUNS runs per program ($([ "$LOOP" = 0 ] && echo "$ROUNDS rounds of $(((RUNS + ROUNDS - 1) / ROUNDS)) after a warm-up" || echo "alternating, after 2 warm-ups")); load average before: $(load)"
say "compiler: $(git -C "$ROOT" log -1 --format='%h %cd' --date=short)$(git -C "$ROOT" diff --quiet HEAD -- compiler stdlib runtime-c 2>/dev/null || echo ' (with uncommitted changes)')$([ "$TSC_FAILED" = 0 ] || echo '; dist/ built from sources with type errors')"
for b in "${BENCHES[@]}"; do
  twin="${b}_${TWIN_SRC[$b]}"
  echo "timing $b…" >&2
  extra=()
  [ "$b" != arena_alloc ] || extra=("${twin}_dtors")
  if [ "${STATUS[$b]}" = ok ]; then measure "$b" "$twin" "${b}_tml" "${extra[@]}"; else measure "$b" "$twin" "${extra[@]}"; fi
done
say "load average after: $(load)"
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
