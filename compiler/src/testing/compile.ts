// Compiling one test file for `tmlc test`: one `build` with the test harness, which runs the front end once and
// hands the runner the test list and the source files it read (no second front-end pass just to list the tests).
// The same function runs in the runner's own process and in its compile worker processes (compile_worker.ts).
import { build, type Output } from '../driver/pipeline.js';
import type { PipelineOptions } from '../driver/settings.js';
import type { MirTest } from '../mir/mir.js';

export interface CompileRequest {
  readonly file: string;
  /** where the test executable goes (its cache path) */
  readonly exe: string;
  readonly options: PipelineOptions;
}

/** What a compile wrote, in order, to be replayed by the runner when the file's turn comes. */
export interface OutputChunk {
  readonly stream: 'out' | 'err';
  readonly text: string;
}

export interface CompileResult {
  /** the build's exit status (0: the executable was written) */
  readonly status: number;
  /** the file's `@test` functions; null when it does not compile */
  readonly tests: readonly MirTest[] | null;
  /** every source file the front end read (the cache keys its entry on their contents) */
  readonly inputs: readonly string[];
}

/** Compile `req.file` with the test harness into `req.exe`; diagnostics and --time go to `io`. Never throws. */
export async function compileTestFile(req: CompileRequest, io: Output): Promise<CompileResult> {
  let tests: readonly MirTest[] | null = null;
  let inputs: readonly string[] = [];
  const status = await build(req.file, req.exe, { ...req.options, emit: null }, {
    harness: 'tests',
    io,
    frontEndDone: (fe) => {
      tests = fe.program.tests;
      inputs = fe.inputs;
    },
  });
  return { status, tests: status === 0 ? tests : null, inputs };
}

/** An Output that keeps what is written, in order, instead of printing it. */
export function bufferedOutput(): { io: Output; chunks: OutputChunk[] } {
  const chunks: OutputChunk[] = [];
  const push = (stream: 'out' | 'err', text: string): void => {
    const last = chunks[chunks.length - 1];
    if (last !== undefined && last.stream === stream) chunks[chunks.length - 1] = { stream, text: last.text + text };
    else chunks.push({ stream, text });
  };
  return { io: { out: (t) => push('out', t), err: (t) => push('err', t) }, chunks };
}
