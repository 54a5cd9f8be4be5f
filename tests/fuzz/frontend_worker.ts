// Child process of frontend_fuzz.test.ts: runs the front end on one mutant per IPC message and reports how it
// went. It lives in its own process so that a hang can be killed and a hard crash cannot take the test down.
//
// Started as `vite-node frontend_worker.ts` with TML_FUZZ_FILE set: each mutant is written to that file (reused).
import { writeFileSync } from 'node:fs';
import { runFrontEnd } from '../../compiler/src/driver/frontend.js';

export interface WorkRequest {
  index: number;
  text: string;
  overflowChecks: boolean;
  tests: boolean;
  /** how text is written to the file: latin1 writes each char as one byte (binary garbage); default utf8 */
  encoding?: 'utf8' | 'latin1';
}

export type WorkResult =
  | {
      index: number;
      kind: 'returned';
      ms: number;
      programNull: boolean;
      errors: number;
      /** messages of the first few errors, and every diagnostic that mentions "internal" */
      sample: string[];
      internal: string[];
    }
  | { index: number; kind: 'threw'; ms: number; message: string; stack: string };

const file = process.env['TML_FUZZ_FILE'] ?? '';
if (file === '') throw new Error('frontend_worker: TML_FUZZ_FILE is not set');
const send = (m: unknown): void => {
  process.send!(m);
};

process.on('message', (req: WorkRequest) => {
  writeFileSync(file, req.text, req.encoding ?? 'utf8');
  const t0 = performance.now();
  let result: WorkResult;
  try {
    const r = runFrontEnd(file, { overflowChecks: req.overflowChecks, tests: req.tests });
    const ms = performance.now() - t0;
    const errs = r.diagnostics.filter((d) => d.severity === 'error');
    result = {
      index: req.index,
      kind: 'returned',
      ms,
      programNull: r.program === null,
      errors: errs.length,
      sample: errs.slice(0, 3).map((d) => `${d.code}: ${d.message}`),
      internal: r.diagnostics
        .filter((d) => /internal/i.test(d.message))
        .map((d) => [`${d.severity} ${d.code}: ${d.message}`, ...d.notes.map((n) => `  note: ${n}`)].join('\n')),
    };
  } catch (e) {
    const ms = performance.now() - t0;
    const err = e instanceof Error ? e : new Error(String(e));
    result = { index: req.index, kind: 'threw', ms, message: `${err.name}: ${err.message}`, stack: (err.stack ?? '').split('\n').slice(0, 8).join('\n') };
  }
  send(result);
});

send({ ready: true });
