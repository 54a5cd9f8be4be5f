#!/usr/bin/env bash
# Where the time of TML's binary-trees goes, next to its C twin (evidence for issue 3; run.sh is the benchmark).
#
#   benchmarks/binary_trees/investigate.sh [-n RUNS] [--depth N] [--debug-depth N] [--no-callgrind]
#
# Builds, at max depth --depth (default 16):
#   c           clang-14 -O2 binary_trees.c                     malloc/free called directly
#   c-via-rt    clang-14 -O2 -DVIA_TML_RUNTIME binary_trees.c + libtml_runtime_release.a
#               the C twin calling tml_alloc/tml_free, the non-inlined wrappers a TML --release program calls
#   tml         tmlc build --release binary_trees.tml           as shipped
#   tml-lto     tmlc build --release --emit=bc, llvm-link-14 with the runtime's bitcode (tml_runtime_release.bc,
#               which CMake builds next to the library), clang-14 -O2: what linking the runtime into the module
#               before optimising would give (nothing in tmlc does this today)
#   rust        rustc -O binary_trees.rs
#   rust-lto    rustc -O -C lto=fat -C codegen-units=1 (std's allocator shims become inlinable)
# and, for issue 4, at --debug-depth (default 14): `debug` (tmlc build: -O0 -g, tracking runtime) and
# `debug-untracked` (the same object code linked with libtml_runtime_release.a), whose instructions are counted too;
# then checks that all print the same text, times them (hyperfine, or a bash loop), counts instructions with
# valgrind --tool=callgrind (deterministic, unlike times on a shared machine), and prints facts read off the emitted
# IR and the executables. Output also goes to benchmarks/out/binary_trees/investigate.txt.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../lib.sh"
cd "$ROOT"

RUNS=20
DEPTH=16
DEBUG_DEPTH=14
CALLGRIND=1
parse_args '-n --runs RUNS' '--depth DEPTH' '--debug-depth DEBUG_DEPTH' '--no-callgrind CALLGRIND=0' -- "$@"

OUT="$ROOT/benchmarks/out/binary_trees/investigate"
mkdir -p "$OUT"
REPORT="$ROOT/benchmarks/out/binary_trees/investigate.txt"
: >"$REPORT"

require_tools node clang-14 llvm-link-14 rustc objdump nm
build_compiler
if [ "$CALLGRIND" = 1 ] && ! command -v valgrind >/dev/null; then
  echo "valgrind is not installed: no instruction counts" >&2
  CALLGRIND=0
fi

TMLC=(node "$ROOT/bin/tmlc.js")
SRC="$HERE/binary_trees"
PROGRAMS=(c c-via-rt tml tml-lto rust rust-lto)

# ---- builds ----
echo "building…" >&2
"${TMLC[@]}" build --release --verbose "$SRC.tml" -o "$OUT/tml" 2>"$OUT/tml_build.log" || { cat "$OUT/tml_build.log" >&2; exit 1; }
RELEASE_RT="$(grep -o '[^ ]*libtml_runtime_release\.a' "$OUT/tml_build.log" | head -1)"
RT_BC="$(dirname "$RELEASE_RT")/tml_runtime_release.bc"
[ -f "$RELEASE_RT" ] || { echo "investigate.sh: cannot find the release runtime library" >&2; exit 1; }
[ -f "$RT_BC" ] || { echo "investigate.sh: no runtime bitcode at $RT_BC (build the runtime with CMake)" >&2; exit 1; }
"${TMLC[@]}" build --release --emit=ir "$SRC.tml" -o "$OUT/tml.ll"
"${TMLC[@]}" build --release --emit=bc "$SRC.tml" -o "$OUT/tml.bc"
llvm-link-14 "$OUT/tml.bc" "$RT_BC" -o "$OUT/tml-lto.bc"
clang-14 -O2 "$OUT/tml-lto.bc" -lpthread -lm -o "$OUT/tml-lto"
clang-14 -O2 "$SRC.c" -o "$OUT/c"
clang-14 -O2 -DVIA_TML_RUNTIME "$SRC.c" "$RELEASE_RT" -lpthread -lm -o "$OUT/c-via-rt"
rustc -O "$SRC.rs" -o "$OUT/rust"
rustc -O -C lto=fat -C codegen-units=1 "$SRC.rs" -o "$OUT/rust-lto"
"${TMLC[@]}" build --check-leaks "$SRC.tml" -o "$OUT/debug"
"${TMLC[@]}" build --emit=obj "$SRC.tml" -o "$OUT/debug.o"
clang-14 -O0 -g "$OUT/debug.o" "$RELEASE_RT" -lpthread -lm -o "$OUT/debug-untracked"

"$OUT/c" "$DEPTH" >"$OUT/c.out"
for p in "${PROGRAMS[@]}"; do
  "$OUT/$p" "$DEPTH" >"$OUT/$p.out"
  cmp -s "$OUT/c.out" "$OUT/$p.out" || { echo "investigate.sh: $p prints other text than c" >&2; exit 1; }
done

"$OUT/c" "$DEBUG_DEPTH" >"$OUT/c-debug-depth.out"
for p in debug debug-untracked; do
  "$OUT/$p" "$DEBUG_DEPTH" >"$OUT/$p.out"
  cmp -s "$OUT/c-debug-depth.out" "$OUT/$p.out" || { echo "investigate.sh: $p prints other text than c" >&2; exit 1; }
done

say "# binary-trees investigation, depth $DEPTH, $(date -u '+%Y-%m-%d %H:%M UTC'); load average: $(load_average)"

# ---- facts from the IR and the executables ----
say ""
say "## What the compiler emits (tmlc build --release --emit=ir) and what clang makes of it"
say ""
say "- Tree's LLVM type: $(grep -m1 '^%main.Tree = ' "$OUT/tml.ll")"
say "- overflow intrinsics (llvm.*.with.overflow) in the release IR: $(grep -c 'with\.overflow' "$OUT/tml.ll" || true)"
say "- runtime allocator declarations: $(grep -E '^declare .*@tml_(alloc|free)\(' "$OUT/tml.ll" | tr '\n' ';' | sed 's/;$//; s/;/; /')"
say "- attribute groups in the module: $(grep -c '^attributes ' "$OUT/tml.ll" || true)"
say "- functions left in the executable (nm; Heap.new and the drop glue of Heap not listed = inlined):"
nm "$OUT/tml" | grep -E ' [tT] (tml\.main\.|tml\.core\.alloc|drop\$|tml_alloc$|tml_free$)' | awk '{print "    " $3}' | tee -a "$REPORT"
say "- calls per node in tml's bottom_up: $(objdump -d --no-show-raw-insn "$OUT/tml" | awk '/<tml\.main\.bottom_up>:/{p=1} /^$/{p=0} p' | grep -oE 'call +[0-9a-f]+ <[^>]+>' | sed 's/.*<//; s/>//' | sort | uniq -c | awk '{printf "%s x%s, ", $2, $1}' | sed 's/, $//')"
say "- tml-lto's bottom_up: $(objdump -d --no-show-raw-insn "$OUT/tml-lto" | awk '/<tml\.main\.bottom_up>:/{p=1} /^$/{p=0} p' | grep -oE 'call +[0-9a-f]+ <[^>]+>' | sed 's/.*<//; s/>//' | sort | uniq -c | awk '{printf "%s x%s, ", $2, $1}' | sed 's/, $//')"
say "- tml_alloc and tml_free in the release runtime (objdump of the tml executable):"
objdump -d --no-show-raw-insn "$OUT/tml" | awk '/<tml_alloc>:|<tml_free>:/{p=1} /^$/{p=0} p' | grep -vE 'nop' | sed 's/^/    /' | tee -a "$REPORT"

# ---- times ----
echo "timing…" >&2
# hyperfine when installed (one round of RUNS runs after 2 warm-ups), else a bash loop (after 1 warm-up pass)
LOOP=0
command -v hyperfine >/dev/null || LOOP=1
WARMUP=2
LOOP_WARMUP=1
measure_programs times "$DEPTH" "${PROGRAMS[@]}"

# ---- instruction counts ----
if [ "$CALLGRIND" = 1 ]; then
  echo "counting instructions (callgrind)…" >&2
  for p in "${PROGRAMS[@]}"; do
    valgrind --tool=callgrind --callgrind-out-file="$OUT/$p.callgrind" "$OUT/$p" "$DEPTH" >/dev/null 2>"$OUT/$p.callgrind.log"
    callgrind_annotate --inclusive=no --threshold=100 "$OUT/$p.callgrind" >"$OUT/$p.callgrind.txt" 2>/dev/null
  done
  for p in debug debug-untracked; do
    valgrind --tool=callgrind --callgrind-out-file="$OUT/$p.callgrind" "$OUT/$p" "$DEBUG_DEPTH" >/dev/null 2>"$OUT/$p.callgrind.log"
    callgrind_annotate --inclusive=no --threshold=100 "$OUT/$p.callgrind" >"$OUT/$p.callgrind.txt" 2>/dev/null
  done
fi

node --input-type=module - "$OUT" "$CALLGRIND" "$DEBUG_DEPTH" "${PROGRAMS[@]}" <<'EOF' | tee -a "$REPORT"
import { readFileSync } from 'node:fs';
const [out, callgrind, debugDepth, ...names] = process.argv.slice(2);
const results = new Map(JSON.parse(readFileSync(`${out}/times.json`, 'utf8')).results.map((r) => [r.command, r]));
const ms = (s) => (s * 1000).toFixed(1);
const x = (r) => r.toFixed(3) + 'x';
// self instruction counts per function, from callgrind_annotate's listing
const ir = (name) => {
  const fns = new Map();
  let total = 0;
  for (const line of readFileSync(`${out}/${name}.callgrind.txt`, 'utf8').split('\n')) {
    const m = line.match(/^\s*([\d,]+) \([\s\d.]+%\)\s+(.*)$/);
    if (!m) continue;
    const n = Number(m[1].replace(/,/g, ''));
    if (m[2].startsWith('PROGRAM TOTALS')) { total = n; continue; }
    const fn = m[2].replace(/ \[.*\]$/, '').replace(/^(\?\?\?|[^\s:]*\.\w+):/, '').replace(/'\d+$/, '');
    fns.set(fn, (fns.get(fn) ?? 0) + n);
  }
  return { total, fns };
};
const c = results.get('c');
console.log('\n## Times and instruction counts\n');
const withIr = callgrind === '1';
const head = ['program', 'wall median (min)', 'CPU mean', 'vs C: median (min)', 'vs C: CPU'];
if (withIr) head.push('instructions (callgrind)', 'vs C', 'in libc malloc/free', 'in wrappers between the program and malloc/free');
console.log(`| ${head.join(' | ')} |`);
console.log(`|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`);
const cIr = withIr ? ir('c').total : 0;
const WRAPPERS = /^(__rustc::)?(tml_alloc|tml_free|__rust_alloc|__rust_dealloc|__rdl_alloc|__rdl_dealloc|__rust_no_alloc_shim_is_unstable(_v2)?)$/;
const LIBC = /^(malloc|free|_int_malloc|_int_free|alloc_perturb|tcache_.*)$/;
for (const name of names) {
  const r = results.get(name);
  const cpu = r.user + r.system, ccpu = c.user + c.system;
  const row = [name, `${ms(r.median)} (${ms(r.min)}) ms`, `${ms(cpu)} ms`, `${x(r.median / c.median)} (${x(r.min / c.min)})`, x(cpu / ccpu)];
  if (withIr) {
    const { total, fns } = ir(name);
    let wrap = 0, libc = 0;
    for (const [fn, n] of fns) {
      if (WRAPPERS.test(fn)) wrap += n;
      else if (LIBC.test(fn)) libc += n;
    }
    row.push(`${(total / 1e6).toFixed(1)} M`, x(total / cIr), `${(libc / 1e6).toFixed(1)} M`, `${(wrap / 1e6).toFixed(1)} M`);
  }
  console.log(`| ${row.join(' | ')} |`);
}
if (withIr) {
  console.log('\nself instructions of the program\'s own functions (M):');
  for (const name of names) {
    const { fns } = ir(name);
    const own = [...fns].filter(([fn, n]) => n > 1e6 && !LIBC.test(fn) && !/^(free|malloc)$/.test(fn)).sort((a, b) => b[1] - a[1]);
    console.log(`  ${name}: ${own.map(([fn, n]) => `${fn} ${(n / 1e6).toFixed(1)}`).join(', ')}`);
  }
}
if (withIr) {
  const d = ir('debug'), u = ir('debug-untracked');
  const f = (m, fn) => ((m.fns.get(fn) ?? 0) / 1e6).toFixed(1);
  console.log(`\n## Leak tracking (issue 4), depth ${debugDepth}: instructions of the same -O0 object code with each runtime\n`);
  console.log(`debug (tracking runtime): ${(d.total / 1e6).toFixed(1)} M; debug-untracked: ${(u.total / 1e6).toFixed(1)} M; ratio ${x(d.total / u.total)}`);
  console.log(`tracking runtime: tml_track_alloc ${f(d, 'tml_track_alloc')} M, tml_track_free ${f(d, 'tml_track_free')} M, tml_alloc ${f(d, 'tml_alloc')} M, tml_free ${f(d, 'tml_free')} M` +
    `; untracked: tml_alloc ${f(u, 'tml_alloc')} M, tml_free ${f(u, 'tml_free')} M`);
  console.log(`libc: _int_free ${f(d, '_int_free')} vs ${f(u, '_int_free')} M, _int_malloc ${f(d, '_int_malloc')} vs ${f(u, '_int_malloc')} M, malloc ${f(d, 'malloc')} vs ${f(u, 'malloc')} M`);
}
EOF
