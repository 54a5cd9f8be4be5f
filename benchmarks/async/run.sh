#!/usr/bin/env bash
# Async benchmarks (issue 12): TML async tasks on the M:N executor next to C (pthreads) and Rust (std) twins.
#
#   benchmarks/async/run.sh [-n RUNS] [--rounds N] [--loop] [--only NAME[,NAME...]] [--tasks N] [--messages N]
#                           [--batch N] [--mem-ms MS] [--tmlc FILE]
#
#   spawn     spawn.tml: --tasks async tasks (default 100,000) spawned, handles kept in a List, each awaited
#             vs spawn_threads.c  thread per task, pthread_create + pthread_join (in batches of --batch, default
#                                 10,000: 100,000 unjoined threads do not fit in vm.max_map_count; see the file)
#                spawn.rs         thread per task, std::thread::spawn + join (same batches)
#                spawn_pool.c     "best case": a pool of nproc threads, one mutex+condvar FIFO (for comparison)
#             goal: TML >= 10x faster than thread-per-task (the faster of the C and Rust thread-per-task twins)
#   pingpong  pingpong.tml: --messages messages (default 1,000,000) between two async tasks over two Channel[I64]
#             of capacity 1 (send_async / recv_async)
#             vs pingpong.c       two threads, two capacity-1 queues on a mutex + two condvars
#                pingpong.rs      two threads, two std::sync::mpsc::sync_channel(1)
#             goal: TML within 2x of the best twin
#   memory    suspended.tml, built WITHOUT --release (the tracked runtime: TML_MEM_STATS only reports there) and
#             run with TML_MEM_STATS=1: --tasks tasks each suspended in `await delay(--mem-ms)` (default 1000) at
#             once. Reported: peak_bytes / tasks, and the marginal figure (peak(N) - peak(N/100)) / (N - N/100),
#             which leaves out the fixed costs (executor, stdout buffer…); in two modes: `list` (handles kept in a
#             List[Task[I64]] and awaited: the List's buffer, 8 bytes a handle rounded up to a power of two, is
#             in the peak) and `detach` (handles detached at once: the peak is the tasks alone).
#             goal: <= 256 bytes plus the task's own live values (i and ms: 16 bytes, the result slot: 8, the awaited
#             delay: its Future value, 24, and the TmlDelay box it owns, 40), i.e. <= 344 bytes; the verdict also
#             says whether the figure is within 256 bytes with no allowance
#
# Builds: `node bin/tmlc.js build --release X.tml` (memory: `tmlc build`), `clang-14 -O2 -pthread X.c`, `rustc -O
# X.rs`. --tmlc FILE uses another compiler's bin/tmlc.js (e.g. a checkout that has async support); otherwise this
# checkout's dist/ is (re)built with tsc when it is missing or older than a source file. Every program of a
# benchmark must print the same text (checked before timing). A TML program that does not build (or fails, or
# prints other text) is reported and its twins are still timed and printed; the script then exits 1.
# Timing, interleaved: hyperfine when installed (the script tries `apt-get install -y hyperfine` when it is root)
# in --rounds rounds (default RUNS: one run of each program per round) of RUNS runs in all (default 3; the
# thread-per-task twins take about 4-5 s a run on 2 cores), or else a bash loop that alternates the programs (also
# with --loop). No extra warm-up: each program has just run once for the output check. Reported: median
# and minimum wall time, mean CPU time (user + sys), and the ratios; on a shared machine the minimum and the CPU
# time are the least disturbed by other load. The max RSS of one run of each program (GNU time) is also shown.
# Everything printed is also written to benchmarks/async/out/report.txt (out/ is not committed).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../lib.sh"
cd "$ROOT"

RUNS=3
ROUNDS=""
LOOP=0
ONLY=""
TASKS=100000
MESSAGES=1000000
BATCH=10000
MEM_MS=1000
TMLC_JS=""
parse_args '-n --runs RUNS' '--rounds ROUNDS' '--loop LOOP=1' '--only ONLY' '--tasks TASKS' '--messages MESSAGES' \
  '--batch BATCH' '--mem-ms MEM_MS' '--tmlc TMLC_JS' -- "$@"
[ "$RUNS" -ge 1 ] || { echo "run.sh: -n must be at least 1" >&2; exit 2; }
# interleaved by default: RUNS rounds of one run of each program; the output check just before timing is every
# program's warm-up run (WARMUP=0 for hyperfine, LOOP_WARMUP=0 for the bash loop)
[ -n "$ROUNDS" ] || ROUNDS="$RUNS"
WARMUP=0
LOOP_WARMUP=0
[ "$ROUNDS" -ge 1 ] && [ "$ROUNDS" -le "$RUNS" ] || { echo "run.sh: --rounds must be between 1 and RUNS" >&2; exit 2; }

ALL=(spawn pingpong memory)
if [ -n "$ONLY" ]; then
  IFS=, read -r -a BENCHES <<<"$ONLY"
  for b in "${BENCHES[@]}"; do
    [[ " ${ALL[*]} " == *" $b "* ]] || { echo "run.sh: unknown benchmark '$b' (${ALL[*]})" >&2; exit 2; }
  done
else
  BENCHES=("${ALL[@]}")
fi
want() { [[ " ${BENCHES[*]} " == *" $1 "* ]]; }

OUT="$HERE/out"
mkdir -p "$OUT"
REPORT="$OUT/report.txt"
: >"$REPORT"

require_tools node clang-14 rustc

TSC_FAILED=0
if [ -n "$TMLC_JS" ]; then
  [ -f "$TMLC_JS" ] || { echo "run.sh: --tmlc: no file $TMLC_JS" >&2; exit 2; }
  TMLC_JS="$(cd "$(dirname "$TMLC_JS")" && pwd)/$(basename "$TMLC_JS")"
else
  TMLC_JS="$ROOT/bin/tmlc.js"
  # tsc still writes dist/ when the sources have type errors; go on with what it wrote
  build_compiler "$OUT/tsc.log" || {
    echo "run.sh: warning: the compiler does not type-check (see ${OUT#"$ROOT/"}/tsc.log); using what tsc emitted" >&2
    TSC_FAILED=1
  }
fi
TMLC=(node "$TMLC_JS")
TMLC_ROOT="$(cd "$(dirname "$TMLC_JS")/.." && pwd)"

choose_timer

# ---- builds and output checks ----
# TML_STATUS[b]: ok | build (did not build) | run (failed or wrote to stderr) | output (other text than the twins)
declare -A TML_STATUS TML_NOTE
declare -A RSS

# max_rss NAME ARGS...: runs $OUT/NAME ARGS once under GNU time, output to $OUT/NAME.out; sets RSS[NAME] (KiB)
max_rss() {
  local name="$1"
  shift
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%M' -o "$OUT/$name.rss" "$OUT/$name" "$@" >"$OUT/$name.out"
    RSS[$name]="$(tail -1 "$OUT/$name.rss")"
  else
    "$OUT/$name" "$@" >"$OUT/$name.out"
    RSS[$name]="?"
  fi
}

# build_tml BENCH SRC EXE [FLAGS...]: sets TML_STATUS[BENCH]/TML_NOTE[BENCH]; returns 1 when the build failed
build_tml() {
  local b="$1" src="$2" exe="$3" st=0
  shift 3
  rm -f "$OUT/$exe"
  "${TMLC[@]}" build "$@" "$HERE/$src" -o "$OUT/$exe" >"$OUT/${exe}_build.log" 2>&1 || st=$?
  if [ "$st" != 0 ]; then
    TML_STATUS[$b]=build
    TML_NOTE[$b]="$(grep -m1 -E '^(error|internal compiler error)' "$OUT/${exe}_build.log" || head -1 "$OUT/${exe}_build.log")"
    [ "$st" -le 128 ] || TML_NOTE[$b]="tmlc killed by signal $((st - 128))${TML_NOTE[$b]:+: ${TML_NOTE[$b]}}"
    [ -n "${TML_NOTE[$b]}" ] || TML_NOTE[$b]="tmlc exited with status $st"
    return 1
  fi
  TML_STATUS[$b]=ok
  TML_NOTE[$b]=""
}

# check_tml BENCH EXE EXPECTED ARGS...: runs the TML program once (max RSS recorded) and compares its output
check_tml() {
  local b="$1" exe="$2" expected="$3" st=0
  shift 3
  /usr/bin/time -f '%M' -o "$OUT/$exe.rss" "$OUT/$exe" "$@" >"$OUT/$exe.out" 2>"$OUT/$exe.err" || st=$?
  RSS[$exe]="$(tail -1 "$OUT/$exe.rss" 2>/dev/null || echo '?')"
  if [ "$st" != 0 ]; then
    TML_STATUS[$b]=run
    TML_NOTE[$b]="exit status $st: $(grep -v '^Command exited' "$OUT/$exe.err" | head -1)"
  elif [ -s "$OUT/$exe.err" ]; then
    TML_STATUS[$b]=run
    TML_NOTE[$b]="wrote to stderr: $(head -1 "$OUT/$exe.err")"
  elif ! cmp -s "$expected" "$OUT/$exe.out"; then
    TML_STATUS[$b]=output
    TML_NOTE[$b]="prints '$(tr '\n' ' ' <"$OUT/$exe.out")' instead of '$(tr '\n' ' ' <"$expected")'"
  fi
}

# same_output REF NAME...: the twins must agree with each other
same_output() {
  local ref="$1" p
  shift
  for p in "$@"; do
    cmp -s "$OUT/$ref.out" "$OUT/$p.out" || { echo "run.sh: $p prints other text than $ref:" >&2; diff "$OUT/$ref.out" "$OUT/$p.out" >&2; exit 1; }
  done
}

if want spawn; then
  echo "building spawn…" >&2
  clang-14 -O2 -Wall -pthread "$HERE/spawn_threads.c" -o "$OUT/spawn_threads"
  clang-14 -O2 -Wall -pthread "$HERE/spawn_pool.c" -o "$OUT/spawn_pool"
  rustc -O "$HERE/spawn.rs" -o "$OUT/spawn_rust"
  max_rss spawn_threads "$TASKS" "$BATCH"
  max_rss spawn_rust "$TASKS" "$BATCH"
  max_rss spawn_pool "$TASKS"
  same_output spawn_threads spawn_rust spawn_pool
  if build_tml spawn spawn.tml spawn_tml --release; then check_tml spawn spawn_tml "$OUT/spawn_threads.out" "$TASKS"; fi
fi

if want pingpong; then
  echo "building pingpong…" >&2
  clang-14 -O2 -Wall -pthread "$HERE/pingpong.c" -o "$OUT/pingpong_c"
  rustc -O "$HERE/pingpong.rs" -o "$OUT/pingpong_rust"
  max_rss pingpong_c "$MESSAGES"
  max_rss pingpong_rust "$MESSAGES"
  same_output pingpong_c pingpong_rust
  if build_tml pingpong pingpong.tml pingpong_tml --release; then check_tml pingpong pingpong_tml "$OUT/pingpong_c.out" "$MESSAGES"; fi
fi

# memory: SMALL = N / 100 tasks for the marginal figure
SMALL=$((TASKS / 100 > 0 ? TASKS / 100 : 1))
declare -A PEAK
if want memory; then
  echo "building memory (debug build, tracked runtime)…" >&2
  if build_tml memory suspended.tml suspended_dbg; then
    for mode in list detach; do
      for n in "$TASKS" "$SMALL"; do
        printf 'tasks %s total %s\n' "$n" "$((n * (n - 1) / 2))" >"$OUT/suspended.$mode.$n.expected"
        st=0
        TML_MEM_STATS=1 "$OUT/suspended_dbg" "$n" "$MEM_MS" "$mode" >"$OUT/suspended.$mode.$n.out" 2>"$OUT/suspended.$mode.$n.err" || st=$?
        if [ "$st" != 0 ]; then
          TML_STATUS[memory]=run
          TML_NOTE[memory]="$mode $n: exit status $st: $(head -1 "$OUT/suspended.$mode.$n.err")"
        elif ! cmp -s "$OUT/suspended.$mode.$n.expected" "$OUT/suspended.$mode.$n.out"; then
          TML_STATUS[memory]=output
          TML_NOTE[memory]="$mode $n: prints '$(tr '\n' ' ' <"$OUT/suspended.$mode.$n.out")'"
        fi
        PEAK[$mode.$n]="$(grep -o 'peak_bytes=[0-9]*' "$OUT/suspended.$mode.$n.err" | cut -d= -f2 || true)"
        if [ -z "${PEAK[$mode.$n]}" ] && [ "${TML_STATUS[memory]}" = ok ]; then
          TML_STATUS[memory]=run
          TML_NOTE[memory]="$mode $n: no 'tmlc mem: … peak_bytes=' line on stderr with TML_MEM_STATS=1"
        fi
      done
    done
  fi
fi

# ---- timing ----
say "# async: TML async tasks next to C (pthreads) and Rust (std::thread) twins, $(date -u '+%Y-%m-%d %H:%M UTC')"
say "machine: $(machine_cores_cpu); $(clang-14 --version | head -1); $(rustc --version)"
say "timer: $TIMER, $RUNS runs per program ($([ "$LOOP" = 0 ] && echo "$ROUNDS round(s) of $(((RUNS + ROUNDS - 1) / ROUNDS)), interleaved, after the output check" || echo "alternating, after the output check")); load average before: $(load_average)"
say "compiler: $TMLC_JS at $(git -C "$TMLC_ROOT" log -1 --format='%h %cd' --date=short 2>/dev/null || echo '?')$([ "$TSC_FAILED" = 0 ] || echo '; dist/ built from sources with type errors'); TML_WORKERS=${TML_WORKERS:-unset (nproc = $(nproc))}"
if want spawn; then
  echo "timing spawn ($TASKS tasks)…" >&2
  progs=(spawn_threads spawn_rust spawn_pool)
  [ "${TML_STATUS[spawn]}" != ok ] || progs=(spawn_tml "${progs[@]}")
  measure_programs spawn "$TASKS $BATCH" "${progs[@]}"
fi
if want pingpong; then
  echo "timing pingpong ($MESSAGES messages)…" >&2
  progs=(pingpong_c pingpong_rust)
  [ "${TML_STATUS[pingpong]}" != ok ] || progs=(pingpong_tml "${progs[@]}")
  measure_programs pingpong "$MESSAGES" "${progs[@]}"
fi
say "load average after: $(load_average)"
say ""

SPECS=()
for b in "${BENCHES[@]}"; do SPECS+=("$b|${TML_STATUS[$b]}|${TML_NOTE[$b]}"); done
RSS_SPEC=""
for k in "${!RSS[@]}"; do RSS_SPEC+="$k=${RSS[$k]},"; done
PEAK_SPEC=""
for k in "${!PEAK[@]}"; do PEAK_SPEC+="$k=${PEAK[$k]},"; done
st=0
node --input-type=module - "$OUT" "$TASKS" "$SMALL" "$MESSAGES" "$BATCH" "$MEM_MS" "$RSS_SPEC" "$PEAK_SPEC" "${SPECS[@]}" <<'JS' | tee -a "$REPORT" || st=$?
import { readFileSync } from 'node:fs';
const [out, tasks, small, messages, batch, memMs, rssSpec, peakSpec, ...specs] = process.argv.slice(2);
const kv = (s) => new Map(s.split(',').filter(Boolean).map((p) => p.split('=')));
const rss = kv(rssSpec), peak = kv(peakSpec);
const ms = (s) => (s * 1000).toFixed(1);
const x = (r) => r.toFixed(2) + 'x';
const cpu = (p) => p.user + p.system;
const fmt = (n) => Number(n).toLocaleString('en-US');
const load = (name) => new Map(JSON.parse(readFileSync(`${out}/${name}.json`, 'utf8')).results.map((r) => [r.command, r]));
const why = { build: 'did not build', run: 'failed', output: 'printed other text' };
const verdict = (vals, ok) => {
  const n = vals.filter(ok).length;
  return n === vals.length ? 'met' : n === 0 ? 'NOT met' : 'borderline (met by some measures, not all)';
};
let failed = false;
function table(res, rows) {
  console.log('| program | what | wall median (min) | CPU mean | max RSS |');
  console.log('|---|---|---:|---:|---:|');
  for (const [name, what] of rows) {
    const r = res.get(name);
    if (!r) continue;
    console.log(`| ${name} | ${what} | ${ms(r.median)} (${ms(r.min)}) ms | ${ms(cpu(r))} ms | ${rss.has(name) ? fmt(rss.get(name)) + ' KiB' : '?'} |`);
  }
}
for (const spec of specs) {
  const [name, status, ...noteParts] = spec.split('|');
  const note = noteParts.join('|');
  const tmlMissing = status !== 'ok' ? `TML ${why[status]}: ${note}` : null;
  if (tmlMissing) failed = true;
  if (name === 'spawn') {
    const res = load('spawn');
    console.log(`## spawn-and-await, ${fmt(tasks)} tasks\n`);
    table(res, [
      ['spawn_tml', '`tmlc build --release spawn.tml`: async tasks, List[Task[I64]], await each'],
      ['spawn_threads', `C, thread per task (pthread_create/join, batches of ${fmt(batch)})`],
      ['spawn_rust', `Rust, thread per task (std::thread, batches of ${fmt(batch)})`],
      ['spawn_pool', 'C, pool of nproc threads + mutex/condvar queue (best case, for comparison)'],
    ]);
    console.log('');
    if (tmlMissing) { console.log(`${tmlMissing}; ratios n/a (goal: TML >= 10x faster than thread per task)\n`); continue; }
    const t = res.get('spawn_tml');
    for (const tw of ['spawn_threads', 'spawn_rust', 'spawn_pool']) {
      const r = res.get(tw);
      console.log(`${tw} / TML: ${x(r.median / t.median)} of the medians, ${x(r.min / t.min)} of the minimums, ${x(cpu(r) / cpu(t))} in CPU time`);
    }
    // the goal is against thread per task: the faster of the two thread-per-task twins, measure by measure
    const best = (f) => Math.min(f(res.get('spawn_threads')), f(res.get('spawn_rust')));
    const vals = [best((r) => r.median) / t.median, best((r) => r.min) / t.min, best(cpu) / cpu(t)];
    console.log(`goal (TML >= 10x faster than the faster thread-per-task twin): ${verdict(vals, (v) => v >= 10)} (${vals.map(x).join(', ')}: medians, minimums, CPU)\n`);
  } else if (name === 'pingpong') {
    const res = load('pingpong');
    console.log(`## ping-pong, ${fmt(messages)} messages, capacity-1 channels\n`);
    table(res, [
      ['pingpong_tml', '`tmlc build --release pingpong.tml`: two async tasks, send_async/recv_async'],
      ['pingpong_c', 'C, two threads, mutex + condvar queues of capacity 1'],
      ['pingpong_rust', 'Rust, two threads, std::sync::mpsc::sync_channel(1)'],
    ]);
    console.log('');
    if (tmlMissing) { console.log(`${tmlMissing}; ratios n/a (goal: TML within 2x of the best twin)\n`); continue; }
    const t = res.get('pingpong_tml');
    for (const tw of ['pingpong_c', 'pingpong_rust']) {
      const r = res.get(tw);
      console.log(`TML / ${tw}: ${x(t.median / r.median)} of the medians, ${x(t.min / r.min)} of the minimums, ${x(cpu(t) / cpu(r))} in CPU time`);
    }
    const best = (f) => Math.min(f(res.get('pingpong_c')), f(res.get('pingpong_rust')));
    const vals = [t.median / best((r) => r.median), t.min / best((r) => r.min), cpu(t) / best(cpu)];
    console.log(`goal (TML within 2x of the best twin): ${verdict(vals, (v) => v <= 2)} (${vals.map(x).join(', ')}: medians, minimums, CPU)\n`);
  } else if (name === 'memory') {
    console.log(`## memory per suspended task, ${fmt(tasks)} tasks in \`await delay(${memMs})\` (debug build, TML_MEM_STATS=1)\n`);
    if (tmlMissing) { console.log(`${tmlMissing}; bytes/task n/a (goal: <= 256 bytes plus the task's own live values)\n`); continue; }
    console.log('| mode | peak_bytes, N tasks | peak_bytes, N/100 tasks | peak / N | marginal (peak(N) - peak(N/100)) / (N - N/100) |');
    console.log('|---|---:|---:|---:|---:|');
    const rows = [];
    for (const mode of ['list', 'detach']) {
      const big = Number(peak.get(`${mode}.${tasks}`)), lo = Number(peak.get(`${mode}.${small}`));
      const per = big / Number(tasks), marg = (big - lo) / (Number(tasks) - Number(small));
      rows.push([mode, per, marg]);
      console.log(`| ${mode} | ${fmt(big)} | ${fmt(lo)} | ${per.toFixed(1)} B | ${marg.toFixed(1)} B |`);
    }
    console.log('');
    const [, , margDetach] = rows.find((r) => r[0] === 'detach');
    const [, perList] = rows.find((r) => r[0] === 'list');
    console.log(`bytes per suspended task: ${margDetach.toFixed(1)} (detached, marginal); ${perList.toFixed(1)} with the List of handles, fixed costs included (peak / N)`);
    // the task's own live values across its await: i and ms (16 bytes), its I64 result slot (8), and the awaited
    // delay: the Future[Unit] value in the task's state (poll, drop, state: 24 bytes) and the TmlDelay box it owns
    // (runtime-c/include/tml_async.h: 40 bytes)
    const own = 16 + 8 + 24 + 40;
    const vals = [margDetach, rows.find((r) => r[0] === 'detach')[1]];
    console.log(`goal (<= 256 bytes plus the task's own live values, here ${own}: i and ms 16, the result slot 8, the awaited delay's Future value 24 and its TmlDelay box 40; so <= ${256 + own}): ` +
      `${verdict(vals, (v) => v <= 256 + own)} (${vals.map((v) => v.toFixed(1) + ' B').join(', ')}: detached marginal, detached peak / N); ` +
      `within 256 bytes without the allowance: ${vals[0] <= 256 ? 'yes' : 'no'}\n`);
  }
}
process.exitCode = failed ? 1 : 0;
JS

for b in "${BENCHES[@]}"; do
  if [ "${TML_STATUS[$b]}" != ok ]; then
    case "${TML_STATUS[$b]}" in
      build) echo "run.sh: the TML program of '$b' did not build; see ${OUT#"$ROOT/"}/*_build.log" >&2 ;;
      *) echo "run.sh: $b: ${TML_NOTE[$b]}" >&2 ;;
    esac
  fi
done
exit "$st"
