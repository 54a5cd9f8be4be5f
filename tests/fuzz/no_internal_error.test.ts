// Issue 10's guard: generated pathological inputs (tests/fuzz/pathological.ts: long chains, nesting just under
// and far over the limit, huge literals, binary garbage, truncated programs) go through the real `tmlc check`
// and `tmlc build` processes. Whatever the input, tmlc ends with a diagnostic (status 1) or a result (status 0):
// never an internal compiler error (status 70), a signal, a bare stack trace or a hang.
//
// The rest of the suite is guarded too: every tmlc run of the whole vitest run logs an internal error to
// TMLC_INTERNAL_ERROR_LOG, which must be empty at the end (tests/setup/internal_error_guard.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pathologicalInputs, type PathologicalInput } from './pathological.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TMLC = path.join(ROOT, 'bin', 'tmlc.js');
let dir = '';

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tmlc-pathological-'));
});
afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** The verdict on one tmlc run: null when it behaved. */
function misbehaviour(r: { exitCode?: number; signal?: string; timedOut: boolean; stderr: string }): string | null {
  if (r.timedOut) return 'no result within the time limit (hang)';
  if (r.signal !== undefined) return `killed by ${r.signal}`;
  if (r.exitCode !== 0 && r.exitCode !== 1) return `exit status ${r.exitCode}`;
  if (/internal compiler error/.test(r.stderr)) return 'an internal compiler error';
  if (/^\s+at .*\(.*:\d+:\d+\)$/m.test(r.stderr)) return 'a stack trace';
  return null;
}

async function tmlc(args: string[]) {
  const r = await execa('node', [TMLC, ...args], { cwd: dir, reject: false, stdin: 'ignore', timeout: 120_000 });
  return { exitCode: r.exitCode, signal: r.signal, timedOut: r.timedOut, stderr: String(r.stderr) };
}

function fileFor(input: PathologicalInput, i: number): string {
  const file = path.join(dir, `p${i}.tml`);
  fs.writeFileSync(file, input.text, input.encoding);
  return file;
}

/** Chains of 3,000 links (the failures were at 1,300 and 2,000); TML_CHAIN_LENGTH=10000 for the long run. */
const inputs = pathologicalInputs({ chainLength: Number(process.env['TML_CHAIN_LENGTH'] ?? 3_000) });

describe('pathological inputs never make tmlc fail internally (check and build)', () => {
  it('has inputs of every kind', () => {
    expect(inputs.length).toBeGreaterThan(30);
    expect(inputs.some((p) => p.encoding === 'latin1')).toBe(true);
  });

  inputs.forEach((input, i) => {
    it(input.name, { timeout: 600_000 }, async () => {
      const file = fileFor(input, i);
      const checked = await tmlc(['check', file]);
      const built = await tmlc(['build', file, '-o', path.join(dir, `p${i}`)]);
      const problems = [
        ...[misbehaviour(checked)].filter((m) => m !== null).map((m) => `check: ${m}\n${checked.stderr.slice(0, 2000)}`),
        ...[misbehaviour(built)].filter((m) => m !== null).map((m) => `build: ${m}\n${built.stderr.slice(0, 2000)}`),
      ];
      expect(problems, `input '${input.name}'`).toEqual([]);
      // check and build agree on whether the program is valid (build may still fail later, e.g. at link time,
      // but never accept what check rejects)
      if (checked.exitCode !== 0) expect(built.exitCode).toBe(1);
    });
  });
});

describe('the guard can fail', () => {
  it('counts status 70, a signal, a hang, an internal error message and a stack trace as failures', () => {
    const ok = { exitCode: 1, signal: undefined, timedOut: false, stderr: "error[E0001]: ...\n" };
    expect(misbehaviour(ok)).toBeNull();
    expect(misbehaviour({ ...ok, exitCode: 70 })).toBe('exit status 70');
    expect(misbehaviour({ ...ok, exitCode: undefined, signal: 'SIGSEGV' })).toBe('killed by SIGSEGV');
    expect(misbehaviour({ ...ok, timedOut: true })).toMatch(/hang/);
    expect(misbehaviour({ ...ok, stderr: 'internal compiler error: x\n' })).toMatch(/internal/);
    expect(misbehaviour({ ...ok, stderr: 'RangeError: x\n    at f (/a/b.js:1:2)\n' })).toBe('a stack trace');
  });
});
