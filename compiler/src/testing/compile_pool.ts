// The compile workers of `tmlc test`: up to `size` node processes (compile_worker.ts) that compile test files while
// the runner runs the tests of the files compiled before. Processes, not worker threads: llvm-bindings keeps its
// classes' constructors in process-wide statics, which are not safe across threads (docs/decisions.md). Each
// compilation frees its LLVM objects (codegen's dispose()); a process replaced after COMPILES_PER_WORKER files also
// gives back what V8 keeps of the heap it grew, so a long run's memory stays bounded. A worker that dies
// (a native crash) fails only the file it was compiling, with an internal-error message; the next file gets a
// new worker.
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { EXIT_ICE, recordInternalError } from '../driver/pipeline.js';
import { packageRoot } from '../driver/runtime_lib.js';
import { snapshotBlobArgument } from '../driver/snapshot_args.js';
import type { CompileRequest, CompileResult, OutputChunk } from './compile.js';
import type { WorkerReply, WorkerRequest } from './compile_worker.js';

/** Files one worker process compiles before it is replaced. Starting a worker costs about a quarter of a
 * compilation, so 20 adds about 1% of start-up time while capping whatever a worker's heap grows to. */
export const COMPILES_PER_WORKER = 20;

/** A worker compiles a few dozen files and exits: like bin/tmlc.js for one-shot commands, it runs without V8's
 * optimising compiler, whose background compiles cost more CPU than they save (docs/decisions.md, "No optimising
 * JIT for one-shot commands"), with the flags bin/tmlc.js sets (bin/one_shot_v8_flags.json); TMLC_V8_OPT=1 keeps
 * it. */
export function workerExecArgv(env: NodeJS.ProcessEnv = process.env, execArgv: readonly string[] = process.execArgv): string[] {
  // a runner started from the start-up snapshot (bin/tmlc) has `--snapshot-blob FILE`: a worker started from it
  // would be the CLI again, not the worker module
  const own = snapshotBlobArgument(execArgv).others;
  if (env['TMLC_V8_OPT'] === '1') return own;
  const flags = JSON.parse(readFileSync(path.join(packageRoot(), 'bin', 'one_shot_v8_flags.json'), 'utf8')) as string[];
  return [...own, ...flags.filter((f) => !own.includes(f))];
}

/** A worker's environment: the runner's, without NODE_EXTRA_CA_CERTS, whose loading is a third of a Node's start-up
 * and which a worker (it compiles; the runner runs the tests) does not use (cli/process_setup.ts). */
export function workerEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out = { ...env };
  delete out['NODE_EXTRA_CA_CERTS'];
  return out;
}

/** The worker's module next to this one; in the bundled CLI (ci/bundle_cli.mjs), the worker's own bundle next to it. */
const WORKER_MODULE = new URL(import.meta.url.endsWith('.cjs') ? './compile_worker.cjs' : './compile_worker.js', import.meta.url);

export interface CompiledFile extends CompileResult {
  /** what the compile wrote (diagnostics, --time), in order */
  readonly output: readonly OutputChunk[];
}

interface Job {
  readonly id: number;
  readonly req: CompileRequest;
  readonly resolve: (r: CompiledFile) => void;
}

interface Worker {
  readonly child: ChildProcess;
  job: Job | null;
  compiled: number;
  gone: boolean;
}

/** The message for a worker that ended while compiling `file` (it crashed: a compile never exits the worker). */
function workerDied(file: string, code: number | null, signal: NodeJS.Signals | null): CompiledFile {
  const how = signal !== null ? `was killed by ${signal}` : `exited with status ${code ?? 'unknown'}`;
  const message = `the compiler process compiling '${file}' ${how}`;
  recordInternalError(message);
  const text =
    `internal compiler error: ${message}\n` +
    'note: this is a bug in tmlc; please report it with the input that triggers it\n';
  return { status: EXIT_ICE, tests: null, inputs: [], output: [{ stream: 'err', text }] };
}

export class CompilePool {
  private readonly queue: Job[] = [];
  private readonly workers = new Set<Worker>();
  private nextId = 0;
  private closed = false;
  /** worker processes started so far (for tests and --verbose) */
  started = 0;

  constructor(
    private readonly size: number,
    private readonly compilesPerWorker: number = COMPILES_PER_WORKER,
    /** the worker's module (tests put a stand-in here) */
    private readonly workerModule: URL = WORKER_MODULE,
  ) {}

  /** Compile a file in a worker; jobs are handed out in the order they are submitted. */
  compile(req: CompileRequest): Promise<CompiledFile> {
    if (this.closed) throw new Error('compile pool: compile after close');
    return new Promise((resolve) => {
      this.queue.push({ id: this.nextId++, req, resolve });
      this.dispatch();
    });
  }

  /** Let every worker exit (each finishes nothing more: call this once all results are in, or to give up). */
  close(): void {
    this.closed = true;
    for (const w of this.workers) this.retire(w);
  }

  private dispatch(): void {
    for (const w of this.workers) {
      if (this.queue.length === 0) return;
      if (w.job === null && !w.gone) this.assign(w, this.queue.shift()!);
    }
    while (this.queue.length > 0 && this.workers.size < this.size) this.assign(this.spawn(), this.queue.shift()!);
  }

  private assign(w: Worker, job: Job): void {
    w.job = job;
    const m: WorkerRequest = { id: job.id, req: job.req };
    w.child.send(m);
  }

  private spawn(): Worker {
    // the worker's own stdout and stderr are ours: everything a compile writes comes back over IPC; only what
    // Node itself prints when the process crashes goes straight out
    const child = fork(this.workerModule, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: workerExecArgv(), env: workerEnv() });
    this.started++;
    const w: Worker = { child, job: null, compiled: 0, gone: false };
    this.workers.add(w);
    child.on('message', (m: WorkerReply) => {
      const job = w.job;
      if (job === null || job.id !== m.id) return;
      w.job = null;
      w.compiled++;
      job.resolve({ ...m.result, output: m.output });
      if (w.compiled >= this.compilesPerWorker) this.retire(w);
      this.dispatch();
    });
    const ended = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (w.gone && w.job === null) return;
      w.gone = true;
      this.workers.delete(w);
      const job = w.job;
      w.job = null;
      if (job !== null) job.resolve(workerDied(job.req.file, code, signal));
      if (!this.closed) this.dispatch();
    };
    child.on('exit', ended);
    child.on('error', () => ended(null, null));
    return w;
  }

  /** A worker takes no more jobs and exits (it exits when its IPC channel closes). */
  private retire(w: Worker): void {
    if (w.gone) return;
    w.gone = true;
    this.workers.delete(w);
    if (w.child.connected) w.child.disconnect();
  }
}
