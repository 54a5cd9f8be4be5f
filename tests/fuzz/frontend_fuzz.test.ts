// Robustness of the front end (issue 2): mutated versions of every test program (tokens and lines deleted,
// duplicated, swapped; keywords and brackets inserted) must each give diagnostics or compile. Never an exception,
// a hang (no result within 2 s), a crashed process, an error-free run without a program, or an "internal" message.
//
// The mutants run in child processes (frontend_worker.ts under vite-node), so a real infinite loop is killed by
// the 2 s watchdog and reported instead of hanging the test run.
//
// Reproduce: each failure names its mutant index and seed and shows the mutated source. To rerun a few mutants:
//   TML_FUZZ_ONLY=17,1234 npx vitest run tests/fuzz
// The generated pathological inputs of tests/fuzz/pathological.ts (long chains, deep nesting, huge literals,
// binary garbage) go through the same workers, with a longer time limit (PATHOLOGICAL_LIMIT_MS).
//
// Other knobs: TML_FUZZ_SEED (default below), TML_FUZZ_COUNT (default 2000),
// TML_FUZZ_REPORT=<path> (write every failure as JSON there), TML_FUZZ_FILTER=<text> (only the corpus programs
// whose path contains it, e.g. `async`: a long run aimed at one feature; the default checks then do not apply).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mutate, type Mutation } from './mutate.js';
import { pathologicalInputs } from './pathological.js';
import type { WorkRequest, WorkResult } from './frontend_worker.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const CONFORMANCE = fileURLToPath(new URL('../../../shared/conformance/', import.meta.url));
const VITE_NODE = path.join(REPO, 'node_modules', 'vite-node', 'vite-node.mjs');
const WORKER_SCRIPT = fileURLToPath(new URL('./frontend_worker.ts', import.meta.url));

const SEED = Number(process.env['TML_FUZZ_SEED'] ?? 0x2f1e7d);
const COUNT = Number(process.env['TML_FUZZ_COUNT'] ?? 2000);
const ONLY = (process.env['TML_FUZZ_ONLY'] ?? '')
  .split(',')
  .filter((s) => s.trim() !== '')
  .map(Number);
/** A mutant must come back within this long (measured by the watchdog in this process, and in the worker). */
const LIMIT_MS = 2000;
/** A pathological input (10,000-link chains, megabyte literals) gets longer, but must still come back. */
const PATHOLOGICAL_LIMIT_MS = 30_000;
const BATCH = 100;
const WORKERS = Math.max(1, Math.min(2, os.availableParallelism()));
/** Hangs and crashes cost a worker restart each; after this many in a batch the rest of it is not run. */
const MAX_HARD_FAILURES_PER_BATCH = 10;
/** At most this many failures per batch are shown with their source (all are listed by index). */
const SHOWN_PER_BATCH = 20;

// ---------- the programs ----------

interface Program {
  /** path relative to the repository root, e.g. `../shared/conformance/basics.tml`, `stdlib/test.tml` */
  name: string;
  text: string;
}

function tmlFilesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const p = path.join(dir, entry);
    if (statSync(p).isDirectory()) out.push(...tmlFilesUnder(p));
    else if (entry.endsWith('.tml')) out.push(p);
  }
  return out;
}

function corpus(): Program[] {
  const files = [
    ...tmlFilesUnder(CONFORMANCE),
    ...['stdlib', 'examples', path.join('tests', 'programs')].flatMap((d) => tmlFilesUnder(path.join(REPO, d))),
  ];
  const filter = process.env['TML_FUZZ_FILTER'] ?? '';
  return files.map((f) => ({ name: path.relative(REPO, f), text: readFileSync(f, 'utf8') })).filter((p) => p.name.includes(filter));
}

// ---------- the mutants ----------

interface Job {
  index: number;
  program: string;
  mutations: Mutation[];
  request: WorkRequest;
}

function makeJob(programs: Program[], index: number): Job {
  const p = programs[index % programs.length]!;
  const m = mutate(p.text, SEED, index);
  return {
    index,
    program: p.name,
    mutations: m.mutations,
    // alternate the options, so both the test harness lowering and the overflow checks are exercised
    request: { index, text: m.text, overflowChecks: index % 3 !== 2, tests: p.name.endsWith('.test.tml') || index % 2 === 1 },
  };
}

// ---------- the worker processes ----------

type Outcome =
  | WorkResult
  | { index: number; kind: 'hung'; ms: number }
  | { index: number; kind: 'crashed'; ms: number; exit: string; stderr: string };

class Worker {
  private child: ChildProcess | null = null;
  private stderr = '';
  private pending: { index: number; resolve: (o: Outcome) => void; timer: NodeJS.Timeout; t0: number } | null = null;

  constructor(private readonly file: string) {}

  /** Starts the child if it is not running; resolves when it is ready for work. */
  async start(): Promise<void> {
    if (this.child !== null) return;
    this.stderr = '';
    const child = fork(VITE_NODE, [WORKER_SCRIPT], {
      cwd: REPO,
      env: { ...process.env, TML_FUZZ_FILE: this.file },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    this.child = child;
    child.stderr!.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-4000);
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`fuzz worker did not start within 120 s\n${this.stderr}`)), 120_000);
      child.on('message', (m: WorkResult | { ready: true }) => {
        if ('ready' in m) {
          clearTimeout(timer);
          resolve();
          return;
        }
        const p = this.pending;
        if (p === null || p.index !== m.index) return;
        this.pending = null;
        clearTimeout(p.timer);
        p.resolve(m);
      });
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        if (this.child === child) this.child = null;
        const p = this.pending;
        if (p !== null) {
          this.pending = null;
          clearTimeout(p.timer);
          const exit = signal !== null ? `signal ${signal}` : `exit code ${code}`;
          p.resolve({ index: p.index, kind: 'crashed', ms: performance.now() - p.t0, exit, stderr: this.stderr });
        }
        reject(new Error(`fuzz worker exited before it was ready (${code ?? signal})\n${this.stderr}`));
      });
    });
  }

  async run(req: WorkRequest, limitMs = LIMIT_MS): Promise<Outcome> {
    await this.start();
    const child = this.child!;
    return new Promise<Outcome>((resolve) => {
      const t0 = performance.now();
      const timer = setTimeout(() => {
        if (this.pending?.index !== req.index) return;
        this.pending = null;
        this.kill();
        resolve({ index: req.index, kind: 'hung', ms: performance.now() - t0 });
      }, limitMs);
      this.pending = { index: req.index, resolve, timer, t0 };
      child.send(req);
    });
  }

  kill(): void {
    const child = this.child;
    this.child = null;
    if (child !== null && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

/** Why an outcome breaks the rule, or null when the front end behaved. */
function verdict(o: Outcome, limitMs = LIMIT_MS): string | null {
  switch (o.kind) {
    case 'threw':
      return `runFrontEnd threw ${o.message}\n${o.stack}`;
    case 'hung':
      return `no result within ${limitMs} ms (hang; the worker was killed)`;
    case 'crashed':
      return `the worker process died (${o.exit})\n${o.stderr}`;
    case 'returned': {
      const problems: string[] = [];
      if (o.ms > limitMs) problems.push(`took ${o.ms.toFixed(0)} ms (limit ${limitMs} ms)`);
      if (o.programNull && o.errors === 0) problems.push('no program and no error diagnostic');
      if (o.internal.length > 0) problems.push(`diagnostics mention "internal":\n${o.internal.join('\n')}`);
      return problems.length === 0 ? null : problems.join('\n');
    }
  }
}

interface Failure {
  index: number;
  seed: number;
  program: string;
  options: { overflowChecks: boolean; tests: boolean };
  mutations: string[];
  reason: string;
  source: string;
}

function describeFailure(f: Failure): string {
  return [
    `mutant #${f.index} (seed ${f.seed}) of ${f.program}, overflowChecks=${f.options.overflowChecks} tests=${f.options.tests}`,
    `  reproduce: TML_FUZZ_SEED=${f.seed} TML_FUZZ_ONLY=${f.index} npx vitest run tests/fuzz`,
    `  mutations: ${f.mutations.join('; ')}`,
    `  failure: ${f.reason.split('\n').join('\n    ')}`,
    '--- mutated source ---',
    f.source,
    '--- end of mutated source ---',
  ].join('\n');
}

// ---------- the test ----------

const programs = corpus();
const indices = ONLY.length > 0 ? ONLY : Array.from({ length: COUNT }, (_, i) => i);
const jobs = indices.map((i) => makeJob(programs, i));
const allFailures: Failure[] = [];

describe('front end under mutated programs', () => {
  let dir = '';
  let workers: Worker[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tmlc-fuzz-'));
    workers = Array.from({ length: WORKERS }, (_, w) => new Worker(path.join(dir, `mutant${w}.tml`)));
    await Promise.all(workers.map((w) => w.start()));
  });

  afterAll(() => {
    for (const w of workers) w.kill();
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
    const report = process.env['TML_FUZZ_REPORT'];
    if (report !== undefined && report !== '') writeFileSync(report, JSON.stringify(allFailures, null, 2));
  });

  it('has the programs and at least 2,000 mutants', () => {
    if (!process.env['TML_FUZZ_FILTER']) expect(programs.filter((p) => p.name.includes('conformance')).length).toBeGreaterThan(20);
    else expect(programs.length).toBeGreaterThan(0);
    if (ONLY.length === 0) expect(jobs.length).toBeGreaterThanOrEqual(2000);
    // reproducible: the same seed and index give the same mutant
    const again = makeJob(programs, jobs[0]!.index);
    expect(again.request.text).toBe(jobs[0]!.request.text);
  });

  it('generated pathological inputs give diagnostics or compile', async () => {
    const inputs = pathologicalInputs({ chainLength: Number(process.env['TML_CHAIN_LENGTH'] ?? 3_000) });
    const problems: string[] = [];
    let next = 0;
    const loop = async (w: Worker): Promise<void> => {
      while (next < inputs.length) {
        const i = next++;
        const p = inputs[i]!;
        const req: WorkRequest = { index: -1 - i, text: p.text, encoding: p.encoding, overflowChecks: true, tests: i % 2 === 1 };
        const why = verdict(await w.run(req, PATHOLOGICAL_LIMIT_MS), PATHOLOGICAL_LIMIT_MS);
        if (why !== null) problems.push(`pathological input '${p.name}': ${why}`);
      }
    };
    await Promise.all(workers.map(loop));
    expect(problems.join('\n\n')).toBe('');
  }, 600_000);

  for (let lo = 0; lo < jobs.length; lo += BATCH) {
    const batch = jobs.slice(lo, lo + BATCH);
    const first = batch[0]!.index;
    const last = batch[batch.length - 1]!.index;
    it(`mutants ${first}..${last} give diagnostics or compile`, async () => {
      const failures: Failure[] = [];
      let hard = 0;
      let next = 0;
      const fail = (job: Job, reason: string): void => {
        failures.push({
          index: job.index,
          seed: SEED,
          program: job.program,
          options: { overflowChecks: job.request.overflowChecks, tests: job.request.tests },
          mutations: job.mutations.map((m) => `${m.kind} ${m.detail}`),
          reason,
          source: job.request.text,
        });
      };
      const loop = async (w: Worker): Promise<void> => {
        while (next < batch.length && hard < MAX_HARD_FAILURES_PER_BATCH) {
          const job = batch[next++]!;
          const outcome = await w.run(job.request);
          if (outcome.kind === 'hung' || outcome.kind === 'crashed') hard++;
          const why = verdict(outcome);
          if (why !== null) fail(job, why);
        }
      };
      await Promise.all(workers.map(loop));
      const skipped = batch.slice(next).map((j) => j.index);
      allFailures.push(...failures);
      failures.sort((a, b) => a.index - b.index);
      const message = [
        `${failures.length} of ${batch.length} mutants broke the front end (seed ${SEED})` +
          (skipped.length > 0 ? `; ${skipped.length} not run after ${hard} hangs/crashes: ${skipped.join(',')}` : ''),
        `failing mutants: ${failures.map((f) => f.index).join(',')}`,
        ...failures.slice(0, SHOWN_PER_BATCH).map(describeFailure),
        failures.length > SHOWN_PER_BATCH ? `... and ${failures.length - SHOWN_PER_BATCH} more: rerun them with TML_FUZZ_ONLY` : '',
      ].join('\n\n');
      expect(failures.length + skipped.length, message).toBe(0);
    }, 180_000);
  }
});
