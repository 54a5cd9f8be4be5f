#!/usr/bin/env bash
# The soundness fuzzer's long run (issue 9); options in run_soundness.ts. Example:
#   tests/fuzz/run_soundness.sh --count 100000 --seed 1 --jobs 2 --out /tmp/soundness
# Test another checkout (built: npm run build, cmake --build build):
#   TML_SOUNDNESS_ROOT=/path/to/tmlc tests/fuzz/run_soundness.sh --count 1000
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
exec node "$here/../../node_modules/vite-node/vite-node.mjs" "$here/run_soundness.ts" -- "$@"
