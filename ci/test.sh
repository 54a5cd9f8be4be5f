#!/usr/bin/env bash
# The whole test suite: the runtime's C unit tests (ctest), the vitest suites, and the conformance programs
# listed in ci/conformance.txt (the list grows as the language does; every program listed must pass).
# Runs every part, then fails if any part failed. Expects ci/setup.sh to have run.
set -euo pipefail
cd "$(dirname "$0")/.."

shared=${TML_SHARED_DIR:-../shared}
failed=()

step() { # name, command...
  local name=$1; shift
  printf '\n== %s\n' "$name"
  if "$@"; then printf '== %s: ok\n' "$name"; else printf '== %s: FAILED\n' "$name"; failed+=("$name"); fi
}

conformance() {
  local names=()
  local line
  while IFS= read -r line || [ -n "$line" ]; do
    line=${line%%#*}                   # comments
    line=$(echo "$line" | tr -d '[:space:]')
    [ -n "$line" ] && names+=("$line")
  done < ci/conformance.txt
  if [ ${#names[@]} -eq 0 ]; then
    echo "ci/conformance.txt lists no programs"
    return 0
  fi
  if [ ! -f "$shared/conformance/run.sh" ]; then
    echo "no $shared/conformance/run.sh (set TML_SHARED_DIR to the shared/ directory)" >&2
    return 1
  fi
  TMLC="node bin/tmlc.js" bash "$shared/conformance/run.sh" "${names[@]}"
}

step "runtime unit tests (ctest)" ctest --test-dir build --output-on-failure
step "vitest" npx vitest run
step "conformance ($(grep -cv '^\s*\(#\|$\)' ci/conformance.txt || true) programs)" conformance
step "memory gate (TML tests under the leak checker, ASan and Valgrind; concurrency tests under TSan)" bash ci/memory_gate.sh

# The differential half of the optimizer's tests (issue 13): everything above that runs programs ran with the MIR
# optimizer on (the default); the run programs, the conformance programs and the memory gate run again with it off,
# against the same expected outputs, so both builds behave identically and are Valgrind- and ASan-clean.
without_optimizer() {
  TMLC_MIR_OPT=0 npx vitest run tests/integration/programs.test.ts &&
    TMLC_MIR_OPT=0 conformance &&
    TMLC_MIR_OPT=0 bash ci/memory_gate.sh
}
step "the same without the MIR optimizer (TMLC_MIR_OPT=0): run programs, conformance, memory gate" without_optimizer

echo
if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED: ${failed[*]}"
  exit 1
fi
echo "all tests passed"
