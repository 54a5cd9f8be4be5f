#!/usr/bin/env bash
# The cost of run-time borrow marks on class instances (issue 9, part 3; goal: within 2%): the same TML program
# built twice with `--release`, with the `borrow_marks` pass (the default) and without it
# (TMLC_UNSAFE_NO_BORROW_MARKS=1, a switch for this measurement only), timed side by side.
#
#   benchmarks/borrow_marks/run.sh [-n RUNS] [--rounds N] [--loop]
#
# class_mutation.tml: 40,000,000 field updates through class methods (a check each), and a `for v in ref` over a
# class-held list every 4,096 of them (a mark and an unmark). The class benchmarks of benchmarks/classes take no
# marks and make no checks at all (their MIR has no tml_obj_* call; the script counts them), so their cost is 0.
# Both builds must print the same line. Prints the medians and the ratio with / without; the report is also written
# to benchmarks/borrow_marks/out/report.txt.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../lib.sh"
cd "$ROOT"

RUNS=10
ROUNDS=5
LOOP=0
parse_args '-n --runs RUNS' '--rounds ROUNDS' '--loop LOOP=1' -- "$@"
[ "$RUNS" -ge 5 ] || { echo "run.sh: -n must be at least 5" >&2; exit 2; }

OUT="$HERE/out"
mkdir -p "$OUT"
REPORT="$OUT/report.txt"
: >"$REPORT"
require_tools node clang-14
build_compiler "$OUT/tsc.log"
choose_timer

node bin/tmlc.js build --release "$HERE/class_mutation.tml" -o "$OUT/with_marks"
TMLC_UNSAFE_NO_BORROW_MARKS=1 node bin/tmlc.js build --release "$HERE/class_mutation.tml" -o "$OUT/without_marks"
a=$("$OUT/with_marks")
b=$("$OUT/without_marks")
[ "$a" = "$b" ] || { echo "run.sh: the builds print different lines: '$a' and '$b'" >&2; exit 1; }

calls() { node bin/tmlc.js build --release --emit=mir -o - "$1" | grep -c 'tml_obj_check_mut\|tml_obj_borrow\|tml_obj_unborrow' || true; }

say "# borrow marks on class instances: with and without, $(date -u '+%Y-%m-%d %H:%M UTC')"
say "machine: $(machine_cores_cpu); timer: $TIMER, $RUNS runs; load average before: $(load_average)"
say "compiler: $(compiler_revision)"
say "mark/check calls in the MIR: class_mutation $(calls "$HERE/class_mutation.tml"); benchmarks/classes: virtual_dispatch $(calls benchmarks/classes/virtual_dispatch.tml), pool_churn $(calls benchmarks/classes/pool_churn.tml), arena_alloc $(calls benchmarks/classes/arena_alloc.tml)"
measure_programs class_mutation "" without_marks with_marks
say "load average after: $(load_average)"
node --input-type=module - "$OUT/class_mutation.json" <<'JS' | tee -a "$REPORT"
import { readFileSync } from 'node:fs';
const res = new Map(JSON.parse(readFileSync(process.argv[2], 'utf8')).results.map((r) => [r.command, r]));
const w = res.get('with_marks'), wo = res.get('without_marks');
const ms = (s) => (s * 1000).toFixed(1);
const cpu = (r) => r.user + r.system;
console.log(`class_mutation: without marks ${ms(wo.median)} ms (min ${ms(wo.min)}), with marks ${ms(w.median)} ms (min ${ms(w.min)}), ratio ${(w.median / wo.median).toFixed(3)}x (min ${(w.min / wo.min).toFixed(3)}x, CPU ${(cpu(w) / cpu(wo)).toFixed(3)}x); goal <= 1.02x`);
JS
