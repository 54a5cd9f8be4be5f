// `tmlc test`: discover test files, compile each once with the test harness, run every test in its own process
// (in parallel), judge it (LANGUAGE.md §7, TOOLCHAIN.md §5) and print one line per test and the final count.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execa } from 'execa';
import { processOutput } from '../driver/pipeline.js';
import type { PipelineOptions, TestRunOptions } from '../driver/settings.js';
import { fsReason, IoError } from '../driver/files.js';
import { packageRoot } from '../driver/runtime_lib.js';
import type { MirTest } from '../mir/mir.js';
import { TestCache } from './cache.js';
import { cleanTestCache } from './cache_clean.js';
import type { CompileRequest, OutputChunk } from './compile.js';
import { CompilePool, type CompiledFile } from './compile_pool.js';

/** per test process; TMLC_TEST_TIMEOUT_MS overrides (the runner's own tests use a short one) */
const TEST_TIMEOUT_MS = Number(process.env['TMLC_TEST_TIMEOUT_MS'] ?? 60_000);
/** accepted exceptions, each justified in the file (TOOLCHAIN.md §5) */
const VALGRIND_SUPP = path.join(packageRoot(), 'runtime-c', 'valgrind.supp');

/**
 * The test files below `paths`: `*.test.tml`, and every `.tml` under a `tests/` directory. A path the user names
 * is always searched (`.` included); below it, hidden directories and node_modules are skipped. A path that does
 * not exist is an error.
 */
export function discoverTestFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (p: string, underTests: boolean, named: boolean) => {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch (e) {
      if (named) throw new IoError(`error: cannot find '${p}': ${fsReason(e)}`);
      return;
    }
    if (st.isDirectory()) {
      const base = path.basename(path.resolve(p));
      if (!named && (base === 'node_modules' || base.startsWith('.'))) return;
      for (const e of fs.readdirSync(p).sort()) walk(path.join(p, e), underTests || base === 'tests', false);
    } else if (named ? p.endsWith('.tml') : p.endsWith('.test.tml') || (underTests && p.endsWith('.tml'))) out.push(p);
  };
  for (const p of paths) walk(p, false, true);
  return [...new Set(out)];
}

const WHAT_IS_A_TEST = 'test files are `*.test.tml` and the `.tml` files under a `tests/` directory; tests are `@test` functions';

interface Outcome {
  readonly name: string;
  readonly status: 'ok' | 'FAILED' | 'ignored';
  readonly detail: string;
}

/**
 * Why ThreadSanitizer failed a process, or null: its first report's kind ("data race", "lock-order-inversion …").
 * The report on stderr decides, not the exit status: TSan turns a normal exit into status 66 once it has
 * reported, but a panic ends the process with _exit(101), which skips TSan's exit hook and keeps 101.
 */
export function threadSanitizerVerdict(stderr: string): string | null {
  const kind = /^WARNING: ThreadSanitizer: ([^(\n]*?)\s*(?:\(|$)/m.exec(stderr)?.[1];
  return kind === undefined ? null : `ThreadSanitizer reported a ${kind}`;
}

/** The verdict for one test process. */
export function judge(t: MirTest, r: { exitCode?: number; signal?: string; timedOut?: boolean; stderr: string; stdout: string }): { pass: boolean; why: string } {
  if (r.timedOut) return { pass: false, why: `timed out after ${TEST_TIMEOUT_MS / 1000} s` };
  if (r.signal) return { pass: false, why: `killed by signal ${r.signal}` };
  const code = r.exitCode ?? -1;
  // first: a race fails even a test that passes by panicking (@should_panic)
  const tsan = threadSanitizerVerdict(r.stderr);
  if (tsan !== null) return { pass: false, why: tsan };
  if (t.shouldPanic) {
    if (code !== 101) return { pass: false, why: code === 0 ? 'did not panic' : `exit status ${code}, expected a panic` };
    if (t.shouldPanic.expected !== null && !r.stderr.includes(t.shouldPanic.expected)) return { pass: false, why: `panic message did not contain "${t.shouldPanic.expected}"` };
    return { pass: true, why: '' };
  }
  if (code === 0) return { pass: true, why: '' };
  if (code === 102) return { pass: false, why: 'leaked memory' };
  if (code === 101) return { pass: false, why: 'panicked' };
  if (code === 104) return { pass: false, why: 'deadlocked' };
  return { pass: false, why: `exit status ${code}` };
}

/** A test file ready to run: its executable and tests, or why it has none. */
interface ReadyFile {
  /** null: the file does not compile */
  readonly exe: string | null;
  readonly tests: readonly MirTest[];
  readonly cached: boolean;
  /** what its compile wrote (diagnostics), printed when the file's turn comes */
  readonly output: readonly OutputChunk[];
}

/**
 * Start getting every file ready, in file order: a cache hit at once, the others compiled by a pool of worker
 * processes (compile_pool.ts) while the caller runs the tests of the files before them. One file to compile is
 * compiled in this process (a worker would only add its start-up).
 */
function prepareFiles(files: readonly string[], options: PipelineOptions, cache: TestCache, jobs: number): { ready: Promise<ReadyFile>[]; close: () => void } {
  const hits = files.map((f) => cache.lookup(f));
  const misses = hits.filter((h) => h === null).length;
  const pool = misses > 1 ? new CompilePool(Math.min(jobs, misses)) : null;
  const compile = async (req: CompileRequest): Promise<CompiledFile> => {
    if (pool !== null) return pool.compile(req);
    const { compileTestFile, bufferedOutput } = await import('./compile.js');
    const { io, chunks } = bufferedOutput();
    return { ...(await compileTestFile(req, io)), output: chunks };
  };
  const ready = files.map(async (file, i): Promise<ReadyFile> => {
    const hit = hits[i];
    if (hit) return { exe: hit.exe, tests: hit.tests, cached: true, output: [] };
    const exe = cache.exePath(file);
    const r = await compile({ file, exe, options });
    if (r.tests === null) {
      cache.forget(file);
      return { exe: null, tests: [], cached: false, output: r.output };
    }
    cache.store(file, r.inputs, r.tests);
    return { exe, tests: r.tests, cached: false, output: r.output };
  });
  // a failure is thrown where the file's turn comes, not as an unhandled rejection before it
  for (const p of ready) p.catch(() => undefined);
  return { ready, close: () => pool?.close() };
}

export async function runTests(paths: readonly string[], o: TestRunOptions): Promise<number> {
  const io = processOutput;
  const json = o.messageFormat === 'json';
  const files = discoverTestFiles(paths);
  if (files.length === 0) throw new IoError(`error: no test files found in ${paths.map((p) => `'${p}'`).join(', ')}\nnote: ${WHAT_IS_A_TEST}`);
  let found = 0;
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  let cachedFiles = 0;
  const failures: string[] = [];
  // under Valgrind the runtime must not track allocations itself: Valgrind has to see leaked blocks as lost
  const buildOpts = o.valgrind ? { ...o.build, checkLeaks: false } : o.build;
  const cache = new TestCache(buildOpts);
  const prepared = prepareFiles(files, { ...buildOpts, emit: null, messageFormat: o.messageFormat }, cache, o.jobs);
  try {
    for (const [fi, file] of files.entries()) {
      const ready = await prepared.ready[fi]!;
      for (const chunk of ready.output) io[chunk.stream](chunk.text);
      if (ready.exe === null) {
        if (json) io.out(JSON.stringify({ type: 'file', file, status: 'FAILED', detail: 'does not compile' }) + '\n');
        else io.out(`FAILED  ${file}: does not compile\n`);
        failed++;
        continue;
      }
      if (ready.cached) cachedFiles++;
      const exe = ready.exe;
      const allTests = ready.tests;
      found += allTests.length;
      const tests = allTests.filter((t) => o.filter === null || t.name.includes(o.filter));
      const results: Outcome[] = new Array(tests.length);
      let next = 0;
      const worker = async () => {
        while (next < tests.length) {
          const i = next++;
          const t = tests[i]!;
          if (t.ignored) {
            results[i] = { name: t.name, status: 'ignored', detail: '' };
            continue;
          }
          const cmd = o.valgrind
            ? ['valgrind', '--leak-check=full', '--errors-for-leak-kinds=definite', '--error-exitcode=103', `--suppressions=${VALGRIND_SUPP}`, '-q', exe, t.name]
            : [exe, t.name];
          const r = await execa(cmd[0]!, cmd.slice(1), { reject: false, timeout: TEST_TIMEOUT_MS, stdin: 'ignore' });
          const v = judge(t, { exitCode: r.exitCode, signal: r.signal ?? undefined, timedOut: r.timedOut, stderr: String(r.stderr), stdout: String(r.stdout) });
          const why = o.valgrind && r.exitCode === 103 ? 'valgrind reported errors' : v.why;
          results[i] = { name: t.name, status: v.pass ? 'ok' : 'FAILED', detail: v.pass ? '' : `${why}\n${String(r.stdout)}${String(r.stderr)}` };
        }
      };
      await Promise.all(Array.from({ length: Math.min(o.jobs, Math.max(1, tests.length)) }, worker));
      for (const r of results) {
        if (json) io.out(JSON.stringify({ type: 'test', file, name: r.name, status: r.status, detail: r.detail || null }) + '\n');
        else io.out(`test ${path.basename(file)}::${r.name} ... ${r.status}\n`);
        if (r.status === 'ok') passed++;
        else if (r.status === 'ignored') skipped++;
        else {
          failed++;
          failures.push(`---- ${path.basename(file)}::${r.name} ----\n${r.detail.trimEnd()}\n`);
        }
      }
    }
  } finally {
    prepared.close();
  }
  // housekeeping once the cache has grown
  if (cachedFiles < files.length) cleanTestCache(cache.dir);
  if (json) {
    // every line of a JSON stream is one object: the summary too (and no "unchanged" note)
    io.out(JSON.stringify({ type: 'summary', passed, failed, skipped, unchanged: cachedFiles }) + '\n');
  } else {
    if (failures.length) io.out(`\nfailures:\n\n${failures.join('\n')}\n`);
    if (cachedFiles) io.err(`(${cachedFiles} of ${files.length} test file${files.length === 1 ? '' : 's'} unchanged: not recompiled)\n`);
    io.out(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  }
  if (failed > 0) return 1;
  const problem =
    found === 0
      ? `no tests found in ${files.length} test file${files.length === 1 ? '' : 's'}`
      : passed + skipped === 0
        ? `no test name contains '${o.filter}' (--filter)`
        : null;
  if (problem === null) return 0;
  if (json) io.err(JSON.stringify({ type: 'error', message: problem, notes: found === 0 ? [WHAT_IS_A_TEST] : [] }) + '\n');
  else io.err(`error: ${problem}\n${found === 0 ? `note: ${WHAT_IS_A_TEST}\n` : ''}`);
  return 1;
}
