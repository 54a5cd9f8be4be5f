#!/usr/bin/env bash
# Release builds that scale (issue 14): `tmlc build --release` next to `clang-14 -O2` on the C twin, for the generated
# program at several sizes, so that the growth of the compile time with the program is visible.
#
#   benchmarks/release_scale.sh [-n RUNS] [--sizes "1000 2000 4000 10000"] [--baseline DIR] [--loop]
#
#   for each size N: benchmarks/gen_large.mjs --lines N writes large.tml and its C twin large.c, then
#     tmlc    node bin/tmlc.js build --release large.tml
#     clang   clang-14 -O2 large.c
#     before  node DIR/bin/tmlc.js build --release large.tml   (with --baseline DIR: another checkout's tmlc, with its
#             own stdlib and runtime, e.g. the main branch before a change, timed in the same runs)
#     step    clang-14 -O2 on the bitcode that tmlc's clang step gets (`--emit=bc`, then llvm-link-14 with the
#             runtime's inline bitcode, as the build does) and the runtime library: LLVM's share of the build, whose
#             growth with the program is the point (with --baseline also `before-step`: the baseline's bitcode
#             linked with DIR/build/lib/tml_runtime_release.bc, the whole runtime, as release builds did before)
#   Both executables must print the same text (checked before timing). Each command runs RUNS times (default 3)
#   after one warm-up, timed by hyperfine (or a bash loop: --loop, or no hyperfine). Reported per size: the mean CPU
#   time (user + sys, the process and its children: node, llvm-link-14, clang-14) of each, the ratios to clang,
#   and the CPU time per 1,000 lines (flat when the time grows linearly); then one `--time` report of each size.
#   Goal: 10,000 lines `--release` <= 3x `clang -O2` (CPU).
# Output: benchmarks/out/release_scale/ (not committed), the report in report.txt there.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

RUNS=3
SIZES="1000 2000 4000 10000"
BASELINE=""
LOOP=0
parse_args '-n --runs RUNS' '--sizes SIZES' '--baseline BASELINE' '--loop LOOP=1' -- "$@"

OUT="$ROOT/benchmarks/out/release_scale"
mkdir -p "$OUT"
REPORT="$OUT/report.txt"
: >"$REPORT"

require_tools node clang-14
build_compiler
if [ -n "$BASELINE" ]; then
  BASELINE="$(cd "$BASELINE" && pwd)"
  [ -f "$BASELINE/bin/tmlc.js" ] || { echo "$SCRIPT: no bin/tmlc.js in $BASELINE" >&2; exit 2; }
fi
choose_timer

say "# tmlc --release vs clang-14 -O2, by program size, $(date -u '+%Y-%m-%d %H:%M UTC')"
say "machine: $(machine_cores_cpu), node $(node --version), $(clang-14 --version | head -1)"
BASE_REV=""
[ -z "$BASELINE" ] || BASE_REV="; baseline: $BASELINE ($(git -C "$BASELINE" log -1 --format='%h %cd' --date=short 2>/dev/null || echo 'not a git checkout'))"
say "compiler: $(compiler_revision)$BASE_REV"
say "timer: $TIMER, $RUNS runs after 1 warm-up; load average before: $(load_average)"

for n in $SIZES; do
  dir="$OUT/l$n"
  node benchmarks/gen_large.mjs --lines "$n" --out "$dir" >&2
  node bin/tmlc.js build --release "$dir/large.tml" -o "$dir/tml"
  clang-14 -O2 "$dir/large.c" -o "$dir/c"
  [ "$("$dir/tml")" = "$("$dir/c")" ] || { echo "$SCRIPT: $n lines: the TML and C programs print different text" >&2; exit 1; }
  pairs=(tmlc "node $ROOT/bin/tmlc.js build --release $dir/large.tml -o $dir/tml" clang "clang-14 -O2 $dir/large.c -o $dir/c")
  if [ -n "$BASELINE" ]; then
    node "$BASELINE/bin/tmlc.js" build --release "$dir/large.tml" -o "$dir/before"
    [ "$("$dir/before")" = "$("$dir/c")" ] || { echo "$SCRIPT: $n lines: the baseline's program prints other text" >&2; exit 1; }
    pairs+=(before "node $BASELINE/bin/tmlc.js build --release $dir/large.tml -o $dir/before")
  fi
  # the clang step on its own (the runtime's inline bitcode is the one next to the release library tmlc links)
  node bin/tmlc.js build --release --emit=bc "$dir/large.tml" -o "$dir/prog.bc"
  lib="$(node bin/tmlc.js build --release --verbose "$dir/large.tml" -o "$dir/tml" 2>&1 | grep -o '[^ ]*libtml_runtime_release\.a' | head -1)"
  llvm-link-14 "$dir/prog.bc" "$(dirname "$lib")/tml_runtime_release_inline.bc" -o "$dir/prog.linked.bc"
  pairs+=(step "clang-14 -O2 $dir/prog.linked.bc $lib -lpthread -lm -o $dir/step")
  if [ -n "$BASELINE" ] && [ -f "$BASELINE/build/lib/tml_runtime_release.bc" ]; then
    node "$BASELINE/bin/tmlc.js" build --release --emit=bc "$dir/large.tml" -o "$dir/before.bc"
    llvm-link-14 "$dir/before.bc" "$BASELINE/build/lib/tml_runtime_release.bc" -o "$dir/before.linked.bc"
    pairs+=(before-step "clang-14 -O2 $dir/before.linked.bc $BASELINE/build/lib/libtml_runtime_release.a -lpthread -lm -o $dir/before-step")
  fi
  echo "timing $n lines…" >&2
  measure "l$n" "${pairs[@]}"
  node bin/tmlc.js build --release "$dir/large.tml" -o "$dir/tml" --time 2>"$dir/time.txt" >/dev/null
done
LOAD_AFTER="$(load_average)"

node --input-type=module - "$OUT" "$SIZES" "$LOAD_AFTER" <<'EOF' | tee -a "$REPORT"
import { readFileSync } from 'node:fs';
const [out, sizes, loadAfter] = process.argv.slice(2);
const s = (x) => x.toFixed(2);
console.log(`load average after: ${loadAfter}\n`);
const rows = sizes.trim().split(/\s+/).map((n) => {
  const r = Object.fromEntries(JSON.parse(readFileSync(`${out}/l${n}.json`, 'utf8')).results.map((x) => [x.command, x.user + x.system]));
  return { n: Number(n), ...r };
});
const before = rows.every((r) => r.before !== undefined);
const beforeStep = rows.every((r) => r['before-step'] !== undefined);
console.log(`| lines | clang -O2 CPU | tmlc --release CPU | tmlc / clang | tmlc CPU per 1,000 lines | its clang step | step / clang |` +
  `${before ? ' baseline CPU | baseline / clang |' : ''}${beforeStep ? ' baseline step | step / clang |' : ''}`);
console.log(`|---:|---:|---:|---:|---:|---:|---:|${before ? '---:|---:|' : ''}${beforeStep ? '---:|---:|' : ''}`);
for (const r of rows) {
  const step = r['before-step'];
  console.log(`| ${r.n} | ${s(r.clang)} s | ${s(r.tmlc)} s | ${s(r.tmlc / r.clang)}x | ${s((r.tmlc / r.n) * 1000)} s | ${s(r.step)} s | ${s(r.step / r.clang)}x |` +
    (before ? ` ${s(r.before)} s | ${s(r.before / r.clang)}x |` : '') + (beforeStep ? ` ${s(step)} s | ${s(step / r.clang)}x |` : ''));
}
const last = rows[rows.length - 1];
if (last.n === 10000) {
  const ratio = last.tmlc / last.clang;
  console.log(`\ngoal (10,000 lines: tmlc --release <= 3x clang -O2, CPU): ${ratio <= 3 ? 'met' : 'NOT met'} (${s(ratio)}x)`);
}
for (const r of rows) {
  const phases = readFileSync(`${out}/l${r.n}/time.txt`, 'utf8').split('\n').filter((l) => /^time: (parse|check|mir \(all\)|codegen|llvm-link|clang|total)\b/.test(l));
  console.log(`\n${r.n} lines, one \`--time\` run (wall ms):\n${phases.map((l) => '  ' + l.replace(/^time: /, '')).join('\n')}`);
}
EOF
echo "(written to ${REPORT#"$ROOT"/})" >&2
