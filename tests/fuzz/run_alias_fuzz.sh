#!/usr/bin/env bash
# The alias-tag fuzzer's long run (alias_fuzz.test.ts is its bounded CI slice): COUNT programs (default 300) of SEED.
#   bash tests/fuzz/run_alias_fuzz.sh [COUNT] [SEED]
set -euo pipefail
cd "$(dirname "$0")/../.."
TML_ALIAS_FUZZ_COUNT=${1:-300} TML_ALIAS_FUZZ_SEED=${2:-4242} npx vitest run tests/fuzz/alias_fuzz.test.ts -t 'programs of seed'
