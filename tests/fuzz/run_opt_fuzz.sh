#!/usr/bin/env bash
# The optimizer fuzzer's long run (opt_fuzz.test.ts is its bounded CI slice): COUNT programs (default 500) of SEED.
#   bash tests/fuzz/run_opt_fuzz.sh [COUNT] [SEED]
set -euo pipefail
cd "$(dirname "$0")/../.."
TML_OPT_FUZZ_COUNT=${1:-500} TML_OPT_FUZZ_SEED=${2:-183} npx vitest run tests/fuzz/opt_fuzz.test.ts
