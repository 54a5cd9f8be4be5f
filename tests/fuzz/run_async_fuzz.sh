#!/usr/bin/env bash
# The async fuzzer's long run (async_fuzz.test.ts is its bounded CI slice): COUNT programs (default 300) of SEED.
#   bash tests/fuzz/run_async_fuzz.sh [COUNT] [SEED]
set -euo pipefail
cd "$(dirname "$0")/../.."
TML_ASYNC_FUZZ_COUNT=${1:-300} TML_ASYNC_FUZZ_SEED=${2:-42001} npx vitest run tests/fuzz/async_fuzz.test.ts
