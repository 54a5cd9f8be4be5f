#!/usr/bin/env bash
# What would bring `tmlc build hello.tml` within 2x of `clang-14 -O0 hello.c`? This script measures candidate
# changes on throw-away copies of dist/ in a temp dir (it never touches compiler/ or dist/):
#
#   baseline        node bin/tmlc.js build examples/hello.tml
#   no-execa        the same dist/ with `execa` replaced by benchmarks/experiments/execa_shim.mjs
#                   (node:child_process only)
#   bundle          dist/ bundled into one ES module by esbuild (llvm-bindings stays external)
#   bundle+no-execa both
# the first and the last also with NODE_EXTRA_CA_CERTS unset (this machine's environment sets it, and Node then
# reads and parses that CA bundle at every start-up), and the floors: `node -e 0` (Node's own start-up, with and
# without it), tmlc's own clang-14 command on the bitcode of hello (the backend step, alone), that step split in
# two (clang-14 -c to an object; the `ld` command that clang's driver runs, run directly), and clang-14 -O0 on
# benchmarks/c/hello.c (the reference).
#
#   benchmarks/startup_experiments.sh [RUNS]        (default 15; needs hyperfine and node_modules/.bin/esbuild)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${1:-15}"
cd "$ROOT"

command -v hyperfine >/dev/null || { echo "startup_experiments.sh: needs hyperfine (apt-get install -y hyperfine)" >&2; exit 1; }
[ -x node_modules/.bin/esbuild ] || { echo "startup_experiments.sh: needs node_modules/.bin/esbuild" >&2; exit 1; }
[ -f dist/compiler/src/cli/main.js ] || npx tsc -p tsconfig.json

EXP="$(mktemp -d /tmp/tmlc-startup.XXXXXX)"
trap 'rm -rf "$EXP"' EXIT
SHIM="$ROOT/benchmarks/experiments/execa_shim.mjs"

# A copy of the package: dist/ of its own, the rest linked (package.json, node_modules, build/ with the runtime,
# stdlib/), so packageRoot() and stdlibDir() find what the real one finds.
make_pkg() {
  local dir="$1"
  mkdir -p "$dir"
  cp package.json "$dir/"
  ln -s "$ROOT/node_modules" "$dir/node_modules"
  ln -s "$ROOT/build" "$dir/build"
  ln -s "$ROOT/stdlib" "$dir/stdlib"
}

make_pkg "$EXP/noexeca"
cp -r dist "$EXP/noexeca/dist"
grep -rl "from 'execa'" "$EXP/noexeca/dist" --include=*.js | xargs sed -i "s#from 'execa'#from '$SHIM'#"

bundle() {
  local dir="$1"
  shift
  make_pkg "$dir"
  mkdir -p "$dir/dist/compiler/src/cli"
  # at the path of the real main.js, so that import.meta.url finds package.json and stdlib/ as before
  node_modules/.bin/esbuild dist/compiler/src/cli/main.js --bundle --platform=node --format=esm --target=node20 \
    --external:llvm-bindings --log-level=warning \
    --banner:js="import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" \
    "$@" --outfile="$dir/dist/compiler/src/cli/main.js"
}
bundle "$EXP/bundle"
bundle "$EXP/bundle_noexeca" --alias:execa="$SHIM"

OUT="$EXP/out"
mkdir -p "$OUT"
node bin/tmlc.js build examples/hello.tml --emit=bc -o "$OUT/hello.bc"
LIB="$ROOT/build/lib/libtml_runtime_debug.a"
for v in noexeca bundle bundle_noexeca; do
  node "$EXP/$v/dist/compiler/src/cli/main.js" build examples/hello.tml -o "$OUT/hello_$v"
  [ "$("$OUT/hello_$v")" = "Hello, TML!" ] || { echo "variant $v builds a wrong program" >&2; exit 1; }
done

clang-14 -O0 -g -c "$OUT/hello.bc" -o "$OUT/hello.o"
# the linker command clang's driver runs (its -### output, unquoted: no path here has a space)
LD_CMD="$(clang-14 -### "$OUT/hello.o" "$LIB" -lpthread -lm -o "$OUT/hello_ld" 2>&1 | tail -1 | tr -d '"' | sed 's/^ *//')"

echo "# $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $RUNS runs each"
hyperfine -N -w 3 -r "$RUNS" --export-json "$OUT/exp.json" \
  -n "node -e 0 (Node start-up)" "node -e 0" \
  -n "clang-14 -O0 hello.c (reference)" "clang-14 -O0 benchmarks/c/hello.c -o $OUT/hello_c" \
  -n "tmlc's clang-14 step alone" "clang-14 -O0 -g $OUT/hello.bc $LIB -lpthread -lm -o $OUT/hello_bc" \
  -n "backend split: clang-14 -c on the bitcode" "clang-14 -O0 -g -c $OUT/hello.bc -o $OUT/hello_split.o" \
  -n "backend split: ld run directly" "$LD_CMD" \
  -n "tmlc build: baseline" "node bin/tmlc.js build examples/hello.tml -o $OUT/hello_base" \
  -n "tmlc build: no execa" "node $EXP/noexeca/dist/compiler/src/cli/main.js build examples/hello.tml -o $OUT/hello_1" \
  -n "tmlc build: esbuild bundle" "node $EXP/bundle/dist/compiler/src/cli/main.js build examples/hello.tml -o $OUT/hello_2" \
  -n "tmlc build: bundle + no execa" "node $EXP/bundle_noexeca/dist/compiler/src/cli/main.js build examples/hello.tml -o $OUT/hello_3" \
  -n "node -e 0, without NODE_EXTRA_CA_CERTS" "env -u NODE_EXTRA_CA_CERTS node -e 0" \
  -n "tmlc build: baseline, without NODE_EXTRA_CA_CERTS" "env -u NODE_EXTRA_CA_CERTS node bin/tmlc.js build examples/hello.tml -o $OUT/hello_4" \
  -n "tmlc build: bundle + no execa, without NODE_EXTRA_CA_CERTS" "env -u NODE_EXTRA_CA_CERTS node $EXP/bundle_noexeca/dist/compiler/src/cli/main.js build examples/hello.tml -o $OUT/hello_5" \
  >/dev/null

node --input-type=module - "$OUT/exp.json" <<'EOF'
import { readFileSync } from 'node:fs';
const { results } = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const ms = (s) => (s * 1000).toFixed(1);
const ref = results.find((r) => r.command.includes('reference'));
console.log(`| what | wall ms: median (min) | CPU ms: user+sys (mean) | / clang hello.c: median (min) (CPU) |`);
console.log(`|---|---:|---:|---:|`);
for (const r of results) {
  const cpu = r.user + r.system;
  const x = (a, b) => `${(a / b).toFixed(2)}x`;
  console.log(`| ${r.command} | ${ms(r.median)} (${ms(r.min)}) | ${ms(cpu)} | ${x(r.median, ref.median)} (${x(r.min, ref.min)}) (${x(cpu, ref.user + ref.system)}) |`);
}
EOF
