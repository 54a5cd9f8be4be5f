#!/usr/bin/env bash
# Pools and arenas (issue 13): TML's allocators in `--release` next to the C allocators a C programmer would write.
#
#   benchmarks/pools/run.sh [-n RUNS] [--rounds N] [--loop] [--only NAME[,NAME...]] [--baseline DIR]
#
#   pool_t      pool_t.tml: a ring of 64 `Pooled[Particle]` from a `Pool[Particle]`, 10,000,000 replaced
#               vs pool_freelist.cpp (a free list through the freed slots)     goal: TML <= 1.2x
#   pool_class  pool_class.tml: the same work with a `@pool class Particle`
#               vs pool_freelist.cpp                                          goal: TML <= 1.2x
#   pool_churn  ../classes/pool_churn.tml: the same ring, the old particle also bound with `let` (a retain and a
#               release more per iteration), vs pool_freelist.cpp              for the table
#   arena       ../classes/arena_alloc.tml: 20,000,000 24-byte values in an `Arena`, reset every 1,000
#               vs arena_bump.c (a pointer-bump arena over malloc'd chunks)    goal: TML <= 1.1x
#
# Builds: `node bin/tmlc.js build --release X.tml`, `clang++-14 -std=c++17 -O2`, `clang-14 -O2`; each pair must print
# the same text (checked before timing). With --baseline DIR the TML programs are also built by the tmlc of another
# checkout (DIR/bin/tmlc.js, with DIR's stdlib and runtime: e.g. the main branch before a change) and timed in the
# same rounds, as "TML before". Timing: lib.sh's measure (hyperfine in --rounds rounds, or the bash loop). The
# ratios are given for the median and minimum wall time and for the CPU time (user + sys), the least disturbed by
# other load on a shared machine. Output also goes to benchmarks/out/pools/report.txt.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../lib.sh"
cd "$ROOT"

RUNS=10
ROUNDS=5
LOOP=0
ONLY=""
BASELINE=""
parse_args '-n --runs RUNS' '--rounds ROUNDS' '--loop LOOP=1' '--only ONLY' '--baseline BASELINE' -- "$@"
[ "$RUNS" -ge 3 ] || { echo "run.sh: -n must be at least 3" >&2; exit 2; }

ALL=(pool_t pool_class pool_churn arena)
declare -A TML_SRC=([pool_t]="$HERE/pool_t.tml" [pool_class]="$HERE/pool_class.tml" [pool_churn]="$ROOT/benchmarks/classes/pool_churn.tml" [arena]="$ROOT/benchmarks/classes/arena_alloc.tml")
declare -A TWIN=([pool_t]=pool_freelist.cpp [pool_class]=pool_freelist.cpp [pool_churn]=pool_freelist.cpp [arena]=arena_bump.c)
declare -A GOAL=([pool_t]=1.2 [pool_class]=1.2 [pool_churn]="" [arena]=1.1)
if [ -n "$ONLY" ]; then IFS=, read -r -a BENCHES <<<"$ONLY"; else BENCHES=("${ALL[@]}"); fi
for b in "${BENCHES[@]}"; do [ -n "${TWIN[$b]+x}" ] || { echo "run.sh: unknown benchmark '$b' (${ALL[*]})" >&2; exit 2; }; done
if [ -n "$BASELINE" ]; then
  BASELINE="$(cd "$BASELINE" && pwd)"
  [ -f "$BASELINE/bin/tmlc.js" ] || { echo "run.sh: $BASELINE/bin/tmlc.js not found" >&2; exit 2; }
fi

OUT="$ROOT/benchmarks/out/pools"
mkdir -p "$OUT"
REPORT="$OUT/report.txt"
: >"$REPORT"

require_tools node clang-14 clang++-14
build_compiler "$OUT/tsc.log" || { echo "run.sh: the compiler does not build; see $OUT/tsc.log" >&2; exit 1; }
choose_timer

# ---- builds and output checks ----
build_twin() {
  local src="$HERE/$1" exe="$OUT/${1%.*}"
  [ -x "$exe" ] && [ "$exe" -nt "$src" ] && return 0
  case "$1" in
    *.cpp) clang++-14 -std=c++17 -O2 -Wall "$src" -o "$exe" ;;
    *) clang-14 -O2 -Wall "$src" -o "$exe" ;;
  esac
}
for b in "${BENCHES[@]}"; do
  echo "building $b…" >&2
  build_twin "${TWIN[$b]}"
  twin="$OUT/${TWIN[$b]%.*}"
  "$twin" >"$OUT/$b.expected"
  node "$ROOT/bin/tmlc.js" build --release "${TML_SRC[$b]}" -o "$OUT/${b}_tml"
  "$OUT/${b}_tml" >"$OUT/$b.out"
  cmp -s "$OUT/$b.expected" "$OUT/$b.out" || { echo "run.sh: $b: TML prints $(tr '\n' ' ' <"$OUT/$b.out")instead of $(tr '\n' ' ' <"$OUT/$b.expected")" >&2; exit 1; }
  if [ -n "$BASELINE" ]; then
    node "$BASELINE/bin/tmlc.js" build --release "${TML_SRC[$b]}" -o "$OUT/${b}_before"
    "$OUT/${b}_before" >"$OUT/$b.before.out"
    cmp -s "$OUT/$b.expected" "$OUT/$b.before.out" || { echo "run.sh: $b: the baseline's TML prints other text" >&2; exit 1; }
  fi
done

# ---- timing ----
say "# pools and arenas: TML --release next to C twins, $(date -u '+%Y-%m-%d %H:%M UTC')"
say "machine: $(machine_cores_cpu); $(clang-14 --version | head -1)"
say "timer: $TIMER, $RUNS runs per program; load average before: $(load_average)"
say "compiler: $(compiler_revision)${BASELINE:+; before: $BASELINE at $(git -C "$BASELINE" log -1 --format='%h %cd' --date=short)}"
for b in "${BENCHES[@]}"; do
  echo "timing $b…" >&2
  progs=("${TWIN[$b]%.*}" "${b}_tml")
  [ -z "$BASELINE" ] || progs+=("${b}_before")
  measure_programs "$b" "" "${progs[@]}"
done
say "load average after: $(load_average)"
say ""

SPECS=()
for b in "${BENCHES[@]}"; do SPECS+=("$b|${TWIN[$b]}|${GOAL[$b]}"); done
node --input-type=module - "$OUT" "${SPECS[@]}" <<'JS' | tee -a "$REPORT"
import { readFileSync } from 'node:fs';
const [out, ...specs] = process.argv.slice(2);
const ms = (s) => (s * 1000).toFixed(1);
const x = (r) => r.toFixed(2) + 'x';
const cpu = (p) => p.user + p.system;
console.log('| benchmark | program | wall median (min) | CPU mean | / twin: median (min) | / twin: CPU | goal |');
console.log('|---|---|---:|---:|---:|---:|---|');
for (const spec of specs) {
  const [name, twinSrc, goal] = spec.split('|');
  const res = JSON.parse(readFileSync(`${out}/${name}.json`, 'utf8')).results;
  const twin = res[0];
  console.log(`| ${name} | C ${twinSrc} | ${ms(twin.median)} (${ms(twin.min)}) ms | ${ms(cpu(twin))} ms | | | |`);
  for (const r of res.slice(1)) {
    const label = r.command.endsWith('_before') ? 'TML before' : 'TML';
    const med = r.median / twin.median, min = r.min / twin.min, c = cpu(r) / cpu(twin);
    let verdict = '';
    if (goal !== '' && label === 'TML') {
      const n = [med, min, c].filter((v) => v <= Number(goal)).length;
      verdict = `<= ${goal}x: ${n === 3 ? 'met' : n === 0 ? 'NOT met' : 'borderline'}`;
    }
    console.log(`| | ${label} | ${ms(r.median)} (${ms(r.min)}) ms | ${ms(cpu(r))} ms | ${x(med)} (${x(min)}) | ${x(c)} | ${verdict} |`);
  }
}
JS
