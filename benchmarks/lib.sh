# Shell code shared by the benchmark scripts (classes/run.sh, binary_trees/run.sh, binary_trees/investigate.sh,
# compile_speed.sh). Sourced, not run, after `set -euo pipefail`:
#
#   source "$HERE/../lib.sh"
#
# It sets ROOT (the repository) and SCRIPT (the sourcing script's file name, the prefix of its error messages) and
# defines the functions below, which read the script's settings from its variables (RUNS, ROUNDS, LOOP, OUT, REPORT,
# WARMUP, LOOP_WARMUP: see each function).

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SCRIPT="$(basename "${BASH_SOURCE[1]}")"
# absolute, so that --help still finds the script after it has changed folder
SCRIPT_PATH="$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)/$SCRIPT"

# print_usage: prints the comment at the top of the script (from its second line to the first line that is not a
# comment), without the leading '# '.
print_usage() {
  awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$SCRIPT_PATH"
}

# parse_args SPEC... -- ARG...: parses the script's command line ARG... A SPEC names an option and the variable it
# sets: 'NAME... VAR' takes a value (`-n 5` sets VAR=5), 'NAME... VAR=VALUE' is a flag that sets VAR to VALUE.
# -h/--help prints the usage and exits 0; any other argument is an error (exit 2).
parse_args() {
  local specs=() spec target found
  while [ "$1" != -- ]; do specs+=("$1"); shift; done
  shift
  while [ $# -gt 0 ]; do
    case "$1" in -h | --help) print_usage; exit 0 ;; esac
    found=0
    for spec in "${specs[@]}"; do
      if [[ " ${spec% *} " == *" $1 "* ]]; then found=1; break; fi
    done
    [ "$found" = 1 ] || { echo "$SCRIPT: unknown argument '$1' (see --help)" >&2; exit 2; }
    target="${spec##* }"
    if [[ "$target" == *=* ]]; then
      printf -v "${target%%=*}" '%s' "${target#*=}"
      shift
    else
      printf -v "$target" '%s' "$2"
      shift 2
    fi
  done
}

# say TEXT...: prints a line and appends it to the script's report, $REPORT.
say() { printf '%s\n' "$*" | tee -a "$REPORT"; }

# require_tools TOOL...: exits 1 with a message when a TOOL is not on PATH.
require_tools() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "$SCRIPT: '$tool' is not on PATH" >&2; exit 1; }
  done
}

# build_compiler [LOG]: builds the compiler (dist/ with tsc, and the bundle bin/tmlc.js runs: `npm run build`) when it
# is missing or older than a source file; run from ROOT. The build prints to the terminal, or with LOG into that
# file; returns its status (so under `set -e` a failed build stops the script unless the caller handles it).
build_compiler() {
  local main=dist/compiler/src/cli/main.js
  [ ! -f "$main" ] || [ -n "$(find compiler/src -name '*.ts' -newer "$main" -print -quit)" ] || return 0
  echo "building the compiler (npm run build)…" >&2
  if [ $# = 0 ]; then npm run --silent build; else npm run --silent build >"$1" 2>&1; fi
}

# choose_timer: the timer for measure(): hyperfine if there (or installable: apt-get, when root), else the bash loop.
# Unless LOOP=1 (--loop) already asks for the loop, tries hyperfine; sets TIMER ("hyperfine VERSION" or "bash loop")
# and LOOP=1 when it is the loop.
choose_timer() {
  if [ "$LOOP" = 0 ] && ! command -v hyperfine >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "installing hyperfine (apt-get install -y hyperfine)…" >&2
      apt-get install -y hyperfine >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y hyperfine >/dev/null 2>&1; } || true
    fi
    command -v hyperfine >/dev/null || echo "hyperfine is not available; timing with a bash loop" >&2
  fi
  if [ "$LOOP" = 0 ] && command -v hyperfine >/dev/null; then TIMER="hyperfine $(hyperfine --version | cut -d' ' -f2)"; else TIMER="bash loop"; LOOP=1; fi
}

# measure NAME LABEL COMMAND [LABEL COMMAND]...: times each COMMAND (a command line, split into words at white
# space and run without a shell) RUNS times and writes $OUT/NAME.json in hyperfine's format ({results: [{command,
# median, min, user, system, times}]}, seconds, command being the LABEL), one result per command, in the order given.
# - LOOP=0, hyperfine: ROUNDS rounds (default 1) of ceil(RUNS / ROUNDS) runs over all the commands, each command
#   after WARMUP warm-up runs (default 1), merged: a change in the machine's load then falls on every command
#   instead of only on the one being timed at that moment.
# - LOOP=1, bash loop: LOOP_WARMUP passes (default 2) and then RUNS passes, each running the commands in turn, so
#   that all see the same machine load; bash's `time` gives the wall time and the CPU time of the processes.
measure() {
  local name="$1" rounds="${ROUNDS:-1}" i r
  shift
  local pairs=("$@")
  if [ "$LOOP" = 0 ]; then
    local args=() per=$(((RUNS + rounds - 1) / rounds)) files=()
    for ((i = 0; i < ${#pairs[@]}; i += 2)); do args+=(-n "${pairs[i]}" "${pairs[i + 1]}"); done
    if [ "$rounds" = 1 ]; then
      hyperfine -N -w "${WARMUP:-1}" -r "$per" --export-json "$OUT/$name.json" "${args[@]}" >/dev/null 2>&1
      return
    fi
    for ((r = 1; r <= rounds; r++)); do
      hyperfine -N -w "${WARMUP:-1}" -r "$per" --export-json "$OUT/$name.round$r.json" "${args[@]}" >/dev/null 2>&1
      files+=("$OUT/$name.round$r.json")
    done
    write_timings "$OUT/$name.json" rounds "${files[@]}"
    return
  fi
  local raw="$OUT/$name.raw" warmup="${LOOP_WARMUP:-2}" cmd files=()
  local TIMEFORMAT="%3R %3U %3S"
  for ((i = 0; i < ${#pairs[@]}; i += 2)); do
    : >"$raw.${pairs[i]}"
    files+=("${pairs[i]}" "$raw.${pairs[i]}")
  done
  for ((r = 0; r < warmup + RUNS; r++)); do
    for ((i = 0; i < ${#pairs[@]}; i += 2)); do
      read -r -a cmd <<<"${pairs[i + 1]}"
      if [ "$r" -lt "$warmup" ]; then
        "${cmd[@]}" >/dev/null 2>&1 # warm-up
      else
        { time "${cmd[@]}" >/dev/null 2>&1; } 2>>"$raw.${pairs[i]}"
      fi
    done
  done
  write_timings "$OUT/$name.json" loop "${files[@]}"
}

# measure_programs NAME ARGS PROGRAM...: measure NAME with, for each PROGRAM, the command "$OUT/PROGRAM ARGS" (ARGS:
# the arguments, may be empty) labelled PROGRAM.
measure_programs() {
  local name="$1" args="$2" p pairs=()
  shift 2
  for p in "$@"; do pairs+=("$p" "$OUT/$p${args:+ $args}"); done
  measure "$name" "${pairs[@]}"
}

# write_timings JSON rounds FILE... | write_timings JSON loop LABEL FILE [LABEL FILE]...: writes measure()'s JSON
# from hyperfine's exports of the same commands, one per round (the times of all rounds pooled; user and system
# are the means of the rounds' means), or from the bash loop's files (one line "wall user sys" per run); deletes
# the input files.
write_timings() {
  node --input-type=module - "$@" <<'JS'
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
const [out, kind, ...inputs] = process.argv.slice(2);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const result = (command, times, user, system) => ({ command, median: median(times), min: Math.min(...times), user, system, times });
let results;
if (kind === 'rounds') {
  const all = inputs.map((file) => JSON.parse(readFileSync(file, 'utf8')).results);
  results = all[0].map((first, i) => {
    const rs = all.map((round) => round[i]);
    return result(first.command, rs.flatMap((x) => x.times), mean(rs.map((x) => x.user)), mean(rs.map((x) => x.system)));
  });
  inputs.forEach((file) => rmSync(file));
} else {
  results = [];
  for (let i = 0; i < inputs.length; i += 2) {
    const rows = readFileSync(inputs[i + 1], 'utf8').trim().split('\n').map((l) => l.split(' ').map(Number));
    rmSync(inputs[i + 1]);
    results.push(result(inputs[i], rows.map((r) => r[0]), mean(rows.map((r) => r[1])), mean(rows.map((r) => r[2]))));
  }
}
writeFileSync(out, JSON.stringify({ results }));
JS
}

# load_average: the 1, 5 and 15 minute load averages, e.g. "0.52 0.61 0.70".
load_average() { cut -d' ' -f1-3 /proc/loadavg; }

# machine_cores_cpu: "N cores, CPU MODEL", for the report's machine line.
machine_cores_cpu() { echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"; }

# compiler_revision: the commit the compiler is built from, its date, and a note when compiler/, stdlib/ or
# runtime-c/ have uncommitted changes.
compiler_revision() {
  echo "$(git -C "$ROOT" log -1 --format='%h %cd' --date=short)$(git -C "$ROOT" diff --quiet HEAD -- compiler stdlib runtime-c 2>/dev/null || echo ' (with uncommitted changes)')"
}
