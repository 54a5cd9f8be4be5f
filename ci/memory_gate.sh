#!/usr/bin/env bash
# The memory gate (issue 4): the project's TML test files, run three times — with the leak checker (the default
# debug build), under AddressSanitizer, and under Valgrind — and any failure, leak or tool report fails the gate.
#   bash ci/memory_gate.sh [DIR]      (default: tests/tml)
set -uo pipefail
cd "$(dirname "$0")/.."
dir=${1:-tests/tml}
tmlc=(node bin/tmlc.js)
status=0
for mode in "" "--sanitize=address" "--valgrind"; do
  echo "== memory gate: tmlc test ${mode:-(leak checker)} $dir"
  # shellcheck disable=SC2086
  if ! "${tmlc[@]}" test $mode "$dir"; then
    echo "== memory gate: FAILED (${mode:-leak checker})"
    status=1
  fi
done
[ $status -eq 0 ] && echo "== memory gate: ok"
exit $status
