#!/usr/bin/env bash
# The MIR optimizer's benchmarks (issue 13). Each TML program is built with `tmlc build --release` twice, with the
# optimizer (`*_tml`) and without it (`-Z mir-opt=0`, `*_tml_noopt`), next to a twin that does the same work and
# prints the same text (checked before timing):
#
#   benchmarks/opt/run.sh [-n RUNS] [--rounds N] [--loop] [--only NAME[,NAME...]] [--compile-runs N]
#                         [--placements N] [--placement-runs N]
#
#   ir_size          the generated 10,000-line program (benchmarks/gen_large.mjs: out/large.tml, out/large.c):
#                    LLVM instructions, allocas and panic calls of `tmlc build --emit=ir` (debug) vs
#                    `clang-14 -O0 -S -emit-llvm large.c`, and of the release IR after optimisation (`tmlc build
#                    --release --emit=ir`, then `clang-14 -O2 -S -emit-llvm` on it, as the release build's clang
#                    step does) vs `clang-14 -O2 -S -emit-llvm large.c`; goal <= 1.5x. Also the compile time
#                    (CPU) of `tmlc build` and `tmlc build --release` of large.tml, with and without the
#                    optimizer (--compile-runs runs each, default 5; 0 skips it), and one `--time` report of each.
#   enum_dispatch    an interpreter loop (`when` over a payload enum) in its own function (`small`) and inside a
#                    large function (`large`) vs C `switch` (clang-14 -O2); goal <= 1.05x both, "wherever the loop
#                    sits" (placements, below)
#   list_sort_sieve  quicksort and a sieve over `List` vs C arrays (clang-14 -O2); goal <= 1.0x (placements too).
#                    Also timed, for comparison only: the Rust twin (`Vec`, the same bounds-checked indexing; rustc -O)
#   word_freq        word counts of a generated 5.7 MB text (gen_words.mjs, 600,000 words, 19,354 distinct) in a
#                    `HashMap[Str, I64]` vs Rust's `HashMap<String, i64>` with the entry API (rustc -O); goal
#                    <= 1.2x. Also timed, for comparison only: Rust keyed by `&str` (`word_freq_rs_borrowed`, no
#                    allocation per word).
#
# Code placement: the same machine code can run up to 1.4x slower at one address than at another (branch prediction
# and instruction fetch work on address bits), in C as in TML, so one layout of each program compares their luck.
# After the timing as built, enum_dispatch and list_sort_sieve are timed at --placements N placements (default 16; 0
# skips): each program's object file (`tmlc build --release --emit=obj`, `clang-14 -O2 -c`) linked after 0, 16, ...,
# 16(N-1) bytes of padding, so all of its code sits that much further on, each placement timed --placement-runs times
# (default 3) after a warm-up. The ratio of the medians over the placements compares the code.
#
# Timing (lib.sh): hyperfine, RUNS runs (default 5) in --rounds rounds (default 5, so the programs of a benchmark
# alternate run by run) after a warm-up each; or a bash loop that alternates them (--loop or no hyperfine). The
# tables give the median (min) wall time, the mean CPU time (user + sys) and the ratios to the twin; on a shared
# machine quote the CPU ratio. Output: benchmarks/opt/out/ (not committed), the report in out/report.txt.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../lib.sh"
cd "$ROOT"

RUNS=5
ROUNDS=5
LOOP=0
ONLY=""
COMPILE_RUNS=5
PLACEMENTS=16
PLACEMENT_RUNS=3
parse_args '-n --runs RUNS' '--rounds ROUNDS' '--loop LOOP=1' '--only ONLY' '--compile-runs COMPILE_RUNS' \
  '--placements PLACEMENTS' '--placement-runs PLACEMENT_RUNS' -- "$@"
[ "$RUNS" -ge 1 ] && [ "$ROUNDS" -ge 1 ] && [ "$ROUNDS" -le "$RUNS" ] || { echo "run.sh: need 1 <= --rounds <= -n" >&2; exit 2; }

ALL=(ir_size enum_dispatch list_sort_sieve word_freq)
if [ -n "$ONLY" ]; then IFS=, read -r -a BENCHES <<<"$ONLY"; else BENCHES=("${ALL[@]}"); fi
for b in "${BENCHES[@]}"; do
  [[ " ${ALL[*]} " == *" $b "* ]] || { echo "run.sh: unknown benchmark '$b' (${ALL[*]})" >&2; exit 2; }
done

OUT="$HERE/out"
mkdir -p "$OUT"
REPORT="$OUT/report.txt"
: >"$REPORT"
require_tools node clang-14 rustc
build_compiler "$OUT/tsc.log"
choose_timer
TMLC=(node "$ROOT/bin/tmlc.js")
NOOPT=(-Z mir-opt=0)

say "# MIR optimizer benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC')"
say "machine: $(machine_cores_cpu); $(clang-14 --version | head -1); $(rustc --version)"
say "timer: $TIMER, $RUNS runs per program ($([ "$LOOP" = 0 ] && echo "$ROUNDS rounds, a warm-up each" || echo "alternating, after 2 warm-ups")); load average before: $(load_average)"
say "compiler: $(compiler_revision)"
say ""

# same_output A B: fails the script when the two output files differ.
same_output() {
  cmp -s "$1" "$2" || { echo "run.sh: $(basename "$1") and $(basename "$2") differ:" >&2; diff "$1" "$2" | head -5 >&2; exit 1; }
}

# build_placed NAME: the object files of NAME.c (clang-14 -O2 -c) and NAME.tml (`tmlc build --release --emit=obj`,
# with and without the optimizer), each linked after K bytes of padding, for K in OFFSETS (0, 16, ..., 16 *
# (PLACEMENTS - 1)): out/NAME_c_atK, out/NAME_tml_atK, out/NAME_tml_noopt_atK. The padding is an object file linked
# first, so every function of the program sits K bytes further on and the code itself is the same.
build_placed() {
  local name="$1" runtime="$ROOT/build/lib/libtml_runtime_release.a" k p pad
  [ -f "$runtime" ] || { echo "run.sh: $runtime is missing (cmake --build build)" >&2; exit 1; }
  echo "building $name at $PLACEMENTS code placements…" >&2
  clang-14 -O2 -c "$HERE/$name.c" -o "$OUT/${name}_c.o"
  "${TMLC[@]}" build --release --emit=obj "$HERE/$name.tml" -o "$OUT/${name}_tml.o"
  "${TMLC[@]}" build --release --emit=obj "${NOOPT[@]}" "$HERE/$name.tml" -o "$OUT/${name}_tml_noopt.o"
  OFFSETS=()
  for ((k = 0; k < PLACEMENTS * 16; k += 16)); do
    OFFSETS+=("$k")
    pad="$OUT/pad_$k"
    [ -f "$pad.o" ] || {
      printf '.section .note.GNU-stack,"",@progbits\n.text\n.p2align 4\n.skip %d\n' "$k" >"$pad.s"
      clang-14 -c "$pad.s" -o "$pad.o"
    }
    clang-14 "$pad.o" "$OUT/${name}_c.o" -o "$OUT/${name}_c_at$k"
    for p in tml tml_noopt; do
      clang-14 "$pad.o" "$OUT/${name}_$p.o" "$runtime" -lpthread -lm -o "$OUT/${name}_${p}_at$k"
    done
  done
}

# measure_placed BENCH NAME ARGS EXPECTED: at each placement of build_placed NAME, checks that the three programs
# (run with ARGS, which may be empty) print EXPECTED, then measures BENCH_atK with PLACEMENT_RUNS runs each.
measure_placed() {
  local bench="$1" name="$2" args="$3" expected="$4" k p
  echo "timing $bench at ${#OFFSETS[@]} placements…" >&2
  for k in "${OFFSETS[@]}"; do
    for p in c tml tml_noopt; do
      "$OUT/${name}_${p}_at$k" $args >"$OUT/placed.out"
      same_output "$expected" "$OUT/placed.out"
    done
    # the assignments hold for this call only
    RUNS="$PLACEMENT_RUNS" ROUNDS=1 measure "${bench}_at$k" "C" "$OUT/${name}_c_at$k${args:+ $args}" \
      "TML" "$OUT/${name}_tml_at$k${args:+ $args}" "TML_-Z_mir-opt=0" "$OUT/${name}_tml_noopt_at$k${args:+ $args}"
  done
}

# build_tml NAME: out/NAME_tml and out/NAME_tml_noopt from NAME.tml (--release), the build logs next to them.
build_tml() {
  echo "building $1.tml…" >&2
  "${TMLC[@]}" build --release "$HERE/$1.tml" -o "$OUT/$1_tml" >"$OUT/$1_tml.log" 2>&1 || { cat "$OUT/$1_tml.log" >&2; exit 1; }
  "${TMLC[@]}" build --release "${NOOPT[@]}" "$HERE/$1.tml" -o "$OUT/$1_tml_noopt" >"$OUT/$1_tml_noopt.log" 2>&1 || { cat "$OUT/$1_tml_noopt.log" >&2; exit 1; }
}

# count_ir LABEL FILE.ll: one JSON line of ir_count.mjs with the label added, appended to out/ir_counts.jsonl.
count_ir() {
  node "$HERE/ir_count.mjs" "$2" | sed "s/^{/{\"label\":\"$1\",/" >>"$OUT/ir_counts.jsonl"
}

ir_size() {
  node benchmarks/gen_large.mjs >&2
  local tml=benchmarks/out/large.tml c=benchmarks/out/large.c
  : >"$OUT/ir_counts.jsonl"
  echo "ir_size: emitting IR…" >&2
  clang-14 -O0 -S -emit-llvm "$c" -o "$OUT/large_c_O0.ll"
  clang-14 -O2 -S -emit-llvm "$c" -o "$OUT/large_c_O2.ll"
  count_ir "clang -O0 large.c" "$OUT/large_c_O0.ll"
  count_ir "clang -O2 large.c" "$OUT/large_c_O2.ll"
  local mode flags suffix
  for mode in on off; do
    flags=(); suffix=""
    [ "$mode" = on ] || { flags=("${NOOPT[@]}"); suffix=" -Z mir-opt=0"; }
    "${TMLC[@]}" build --emit=ir "${flags[@]}" "$tml" -o "$OUT/large_tml_debug_$mode.ll"
    "${TMLC[@]}" build --release --emit=ir "${flags[@]}" "$tml" -o "$OUT/large_tml_release_$mode.ll"
    # what the release build's clang step makes of it (clang -O2 on the bitcode, without the runtime linked in)
    clang-14 -O2 -x ir -S -emit-llvm "$OUT/large_tml_release_$mode.ll" -o "$OUT/large_tml_release_${mode}_O2.ll"
    count_ir "tmlc debug$suffix" "$OUT/large_tml_debug_$mode.ll"
    count_ir "tmlc --release, before LLVM$suffix" "$OUT/large_tml_release_$mode.ll"
    count_ir "tmlc --release, after clang -O2$suffix" "$OUT/large_tml_release_${mode}_O2.ll"
  done
  node --input-type=module - "$OUT/ir_counts.jsonl" <<'JS' | tee -a "$REPORT"
import { readFileSync } from 'node:fs';
const rows = readFileSync(process.argv[2], 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const by = new Map(rows.map((r) => [r.label, r]));
const O0 = by.get('clang -O0 large.c'), O2 = by.get('clang -O2 large.c');
const x = (a, b) => (b === 0 ? 'n/a' : (a / b).toFixed(2) + 'x');
console.log('ir_size: LLVM IR of the 10,000-line program (debug vs clang -O0, release vs clang -O2; goal <= 1.5x instructions)');
console.log('');
console.log('| IR | functions | instructions | allocas | panic calls | / clang: instructions | / clang: allocas |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  const ref = r.label.startsWith('clang') ? null : r.label.includes('after clang -O2') ? O2 : O0;
  const cols = ref ? `${x(r.instructions, ref.instructions)} | ${x(r.allocas, ref.allocas)}` : ' | ';
  console.log(`| ${r.label} | ${r.functions} | ${r.instructions} | ${r.allocas} | ${r.panics} | ${cols} |`);
}
JS
  say ""
  [ "$COMPILE_RUNS" -gt 0 ] || return 0
  echo "ir_size: timing the builds of large.tml ($COMPILE_RUNS runs each)…" >&2
  local saved_runs="$RUNS" saved_rounds="$ROUNDS"
  # no warm-up runs: each build takes tens of seconds, and the IR builds above already warmed the file cache
  RUNS="$COMPILE_RUNS"; ROUNDS="$COMPILE_RUNS"
  WARMUP=0 measure compile \
    "clang-14_-O0_large.c" "clang-14 -O0 $c -o $OUT/large_c" \
    "tmlc_build" "${TMLC[*]} build $tml -o $OUT/large_tml" \
    "tmlc_build_-Z_mir-opt=0" "${TMLC[*]} build ${NOOPT[*]} $tml -o $OUT/large_tml" \
    "clang-14_-O2_large.c" "clang-14 -O2 $c -o $OUT/large_c" \
    "tmlc_build_--release" "${TMLC[*]} build --release $tml -o $OUT/large_tml" \
    "tmlc_build_--release_-Z_mir-opt=0" "${TMLC[*]} build --release ${NOOPT[*]} $tml -o $OUT/large_tml"
  RUNS="$saved_runs"; ROUNDS="$saved_rounds"
  say "compile time of large.tml (the twin: clang-14 -O0 large.c; the --release rows are best read against clang -O2's row):"
  node "$HERE/report.mjs" "$OUT" compile "clang-14_-O0_large.c" | tee -a "$REPORT"
  say ""
  local f
  for f in "" "--release"; do
    for mode in on off; do
      flags=(); [ "$mode" = on ] || flags=("${NOOPT[@]}")
      say "--time of tmlc build $f${flags[*]:+ ${flags[*]}} large.tml (one run; ms):"
      "${TMLC[@]}" build $f "${flags[@]}" --time "$tml" -o "$OUT/large_tml" 2>&1 >/dev/null | grep -E 'mir \(all\)|mir:(const_prop|copy_prop|dead_stores|simplify_cfg|dead_locals|dead_fns)|codegen|clang|total' | tr -s ' ' | paste -sd';' | tee -a "$REPORT"
    done
  done
  say ""
}

enum_dispatch() {
  clang-14 -O2 "$HERE/enum_dispatch.c" -o "$OUT/enum_dispatch_c"
  build_tml enum_dispatch
  local m p
  for m in small large; do
    "$OUT/enum_dispatch_c" "$m" >"$OUT/enum_$m.expected"
    for p in enum_dispatch_tml enum_dispatch_tml_noopt; do
      "$OUT/$p" "$m" >"$OUT/$p.$m.out"
      same_output "$OUT/enum_$m.expected" "$OUT/$p.$m.out"
    done
    echo "timing enum_dispatch $m…" >&2
    measure "enum_dispatch_$m" "C" "$OUT/enum_dispatch_c $m" "TML" "$OUT/enum_dispatch_tml $m" "TML_-Z_mir-opt=0" "$OUT/enum_dispatch_tml_noopt $m"
  done
  say "enum_dispatch (goal <= 1.05x of C in both), as built:"
  node "$HERE/report.mjs" "$OUT" enum_dispatch_small C enum_dispatch_large C | tee -a "$REPORT"
  say ""
  [ "$PLACEMENTS" -gt 0 ] || return 0
  build_placed enum_dispatch
  for m in small large; do
    measure_placed "enum_dispatch_$m" enum_dispatch "$m" "$OUT/enum_$m.expected"
  done
  say "enum_dispatch over ${#OFFSETS[@]} code placements (0 to ${OFFSETS[-1]} bytes of padding before each program's code; goal <= 1.05x of C):"
  node "$HERE/placements.mjs" "$OUT" enum_dispatch_small C "${OFFSETS[@]}" -- enum_dispatch_large C | tee -a "$REPORT"
  say ""
}

list_sort_sieve() {
  clang-14 -O2 "$HERE/list_sort_sieve.c" -o "$OUT/list_sort_sieve_c"
  rustc -O "$HERE/list_sort_sieve.rs" -o "$OUT/list_sort_sieve_rs"
  build_tml list_sort_sieve
  "$OUT/list_sort_sieve_c" >"$OUT/list_sort_sieve.expected"
  local p
  for p in list_sort_sieve_tml list_sort_sieve_tml_noopt list_sort_sieve_rs; do
    "$OUT/$p" >"$OUT/$p.out"
    same_output "$OUT/list_sort_sieve.expected" "$OUT/$p.out"
  done
  echo "timing list_sort_sieve…" >&2
  measure list_sort_sieve "C" "$OUT/list_sort_sieve_c" "TML" "$OUT/list_sort_sieve_tml" "TML_-Z_mir-opt=0" "$OUT/list_sort_sieve_tml_noopt" \
    "Rust_bounds_checked" "$OUT/list_sort_sieve_rs"
  say "list_sort_sieve (goal <= 1.0x of C), as built:"
  node "$HERE/report.mjs" "$OUT" list_sort_sieve C | tee -a "$REPORT"
  say ""
  [ "$PLACEMENTS" -gt 0 ] || return 0
  build_placed list_sort_sieve
  measure_placed list_sort_sieve list_sort_sieve "" "$OUT/list_sort_sieve.expected"
  say "list_sort_sieve over ${#OFFSETS[@]} code placements (0 to ${OFFSETS[-1]} bytes of padding; goal <= 1.0x of C):"
  node "$HERE/placements.mjs" "$OUT" list_sort_sieve C "${OFFSETS[@]}" -- | tee -a "$REPORT"
  say ""
}

word_freq() {
  local text="$OUT/words.txt"
  node "$HERE/gen_words.mjs" "$text"
  rustc -O "$HERE/word_freq.rs" -o "$OUT/word_freq_rs"
  rustc -O --cfg borrowed_keys "$HERE/word_freq.rs" -o "$OUT/word_freq_rs_borrowed"
  build_tml word_freq
  "$OUT/word_freq_rs" "$text" >"$OUT/word_freq.expected"
  local p
  for p in word_freq_rs_borrowed word_freq_tml word_freq_tml_noopt; do
    "$OUT/$p" "$text" >"$OUT/$p.out"
    same_output "$OUT/word_freq.expected" "$OUT/$p.out"
  done
  echo "timing word_freq…" >&2
  measure word_freq "Rust_String_keys" "$OUT/word_freq_rs $text" "TML" "$OUT/word_freq_tml $text" \
    "TML_-Z_mir-opt=0" "$OUT/word_freq_tml_noopt $text" "Rust_&str_keys" "$OUT/word_freq_rs_borrowed $text"
  say "word_freq (goal <= 1.2x of Rust's HashMap with String keys; $(cat "$OUT/word_freq.expected")):"
  node "$HERE/report.mjs" "$OUT" word_freq Rust_String_keys | tee -a "$REPORT"
  say ""
}

for b in "${BENCHES[@]}"; do "$b"; done
say "load average after: $(load_average)"
