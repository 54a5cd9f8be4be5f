#!/usr/bin/env bash
# The memory gate (issues 4 and 12): the project's TML test files, run three times — with the leak checker (the
# default debug build), under AddressSanitizer, and under Valgrind — and the concurrency tests once more under
# ThreadSanitizer; any failure, leak or tool report fails the gate.
#   bash ci/memory_gate.sh [DIR]      (default: tests/tml, and for TSan the tests listed in ci/tsan_tests.txt;
#                                      given DIR, TSan runs DIR's tests)
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

tmp=$(mktemp -d "${TMPDIR:-/tmp}/tmlc-gate-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# One tests/programs/run program under TSan, checked against its sidecars as tests/integration/programs.test.ts
# checks them (stdout exactly, status, stderr lines), plus: no ThreadSanitizer report.
tsan_program() {
  local prog=$1 base=${1%.tml} exe
  exe="$tmp/$(basename "$base")"
  local flags=() args=() stdin=/dev/null want=0
  [ -f "$base.flags" ] && read -ra flags < "$base.flags"
  [ -f "$base.args" ] && mapfile -t args < "$base.args"
  [ -f "$base.stdin" ] && stdin=$base.stdin
  [ -f "$base.status" ] && want=$(tr -d '[:space:]' < "$base.status")
  if ! "${tmlc[@]}" build --sanitize=thread "${flags[@]}" "$prog" -o "$exe"; then
    echo "FAILED  $prog: does not compile"
    return 1
  fi
  local got
  timeout 120 "$exe" "${args[@]}" < "$stdin" > "$tmp/out" 2> "$tmp/err"
  got=$?
  local why=""
  if grep -q '^WARNING: ThreadSanitizer:' "$tmp/err"; then
    why="ThreadSanitizer reported: $(grep -m1 '^WARNING: ThreadSanitizer:' "$tmp/err")"
  elif [ "$want" = nonzero ] && [ "$got" -eq 0 ]; then
    why="exit status 0, expected non-zero"
  elif [ "$want" != nonzero ] && [ "$got" -ne "$want" ]; then
    why="exit status $got, expected $want"
  elif ! cmp -s "$tmp/out" "$base.stdout"; then
    why="stdout differs from $base.stdout: $(diff "$base.stdout" "$tmp/out" | head -5)"
  elif [ -f "$base.stderr" ]; then
    local line
    while IFS= read -r line || [ -n "$line" ]; do
      [ -z "${line// /}" ] && continue
      grep -qF -- "$line" "$tmp/err" || { why="stderr lacks: $line"; break; }
    done < "$base.stderr"
  fi
  if [ -n "$why" ]; then
    echo "FAILED  $prog: $why"
    cat "$tmp/err"
    return 1
  fi
  echo "ok      $prog"
}

# The concurrency tests under ThreadSanitizer: ci/tsan_tests.txt's test files through `tmlc test`, its programs
# one by one (or, given DIR, DIR's tests).
tsan_files=()
tsan_programs=()
if [ $# -gt 0 ]; then
  tsan_files=("$dir")
else
  while IFS= read -r line || [ -n "$line" ]; do
    line=${line%%#*}
    line=$(echo "$line" | tr -d '[:space:]')
    [ -z "$line" ] && continue
    if [ ! -e "$line" ]; then
      echo "ci/tsan_tests.txt: no such file: $line"
      status=1
    elif [ -d "$line" ] || [[ $line == *.test.tml ]]; then
      tsan_files+=("$line")
    else
      tsan_programs+=("$line")
    fi
  done < ci/tsan_tests.txt
fi
echo "== memory gate: --sanitize=thread (${#tsan_files[@]} test paths, ${#tsan_programs[@]} programs)"
tsan_ok=1
if [ ${#tsan_files[@]} -gt 0 ] && ! "${tmlc[@]}" test --sanitize=thread "${tsan_files[@]}"; then
  tsan_ok=0
fi
for p in "${tsan_programs[@]}"; do
  tsan_program "$p" || tsan_ok=0
done
if [ $tsan_ok -eq 0 ]; then
  echo "== memory gate: FAILED (--sanitize=thread)"
  status=1
fi

[ $status -eq 0 ] && echo "== memory gate: ok"
exit $status
