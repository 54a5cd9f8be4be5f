// A compile worker process of `tmlc test` (compile_pool.ts starts it with child_process.fork). It compiles the test
// files the runner sends over IPC, one at a time, and sends back each result with the output the compile wrote:
// the runner prints that output when the file's turn comes, so the output stays in file order. It exits when the
// runner disconnects (after its share of compilations, or when the runner ends).
import { reportInternalError } from '../driver/pipeline.js';
import { bufferedOutput, compileTestFile, type CompileRequest, type CompileResult, type OutputChunk } from './compile.js';

export interface WorkerRequest {
  readonly id: number;
  readonly req: CompileRequest;
}

export interface WorkerReply {
  readonly id: number;
  readonly result: CompileResult;
  readonly output: OutputChunk[];
}

async function handle(m: WorkerRequest): Promise<void> {
  const { io, chunks } = bufferedOutput();
  let result: CompileResult;
  try {
    result = await compileTestFile(m.req, io);
  } catch (e) {
    // compileTestFile reports errors itself; this is for a bug in the worker around it
    result = { status: reportInternalError(e, io), tests: null, inputs: [] };
  }
  const reply: WorkerReply = { id: m.id, result, output: chunks };
  process.send?.(reply);
}

process.on('message', (m: WorkerRequest) => void handle(m));
process.on('disconnect', () => process.exit(0));
