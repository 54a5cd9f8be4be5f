// The suite-wide internal-error guard (tests/setup/internal_error_guard.ts) rests on two things tested here:
// reportInternalError appends to TMLC_INTERNAL_ERROR_LOG, and the guard's teardown fails when that log is not
// empty (and passes when it is).
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { reportInternalError } from '../../compiler/src/driver/pipeline.js';
import setupGuard from '../setup/internal_error_guard.js';
import { withoutInternalErrorLog } from '../setup/expected_internal_error.js';

const silent = { out: () => {}, err: () => {} };

/** Runs body with TMLC_INTERNAL_ERROR_LOG pointing at a fresh file; returns that file's lines. */
function withLog(body: () => void): string[] {
  const saved = process.env['TMLC_INTERNAL_ERROR_LOG'];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tmlc-ice-test-'));
  const log = path.join(dir, 'log');
  process.env['TMLC_INTERNAL_ERROR_LOG'] = log;
  try {
    body();
    return existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter((l) => l !== '') : [];
  } finally {
    if (saved === undefined) delete process.env['TMLC_INTERNAL_ERROR_LOG'];
    else process.env['TMLC_INTERNAL_ERROR_LOG'] = saved;
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('internal error log', () => {
  it('an internal error is appended as one JSON line with its message', () => {
    const lines = withLog(() => {
      expect(reportInternalError(new Error('boom'), silent)).toBe(70);
    });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ message: 'boom' });
  });

  it('withoutInternalErrorLog turns it off for an error provoked on purpose', async () => {
    let lines: string[] = [];
    const saved = process.env['TMLC_INTERNAL_ERROR_LOG'];
    await withoutInternalErrorLog(async () => {
      lines = withLog(() => {}); // the log variable is restored by withLog; nothing written
      expect(process.env['TMLC_INTERNAL_ERROR_LOG']).toBeUndefined();
      reportInternalError(new Error('on purpose'), silent);
    });
    expect(lines).toEqual([]);
    expect(process.env['TMLC_INTERNAL_ERROR_LOG']).toBe(saved);
  });

  it("the guard's teardown fails on a non-empty log and passes on an empty one", () => {
    const saved = process.env['TMLC_INTERNAL_ERROR_LOG'];
    try {
      const clean = setupGuard();
      clean(); // nothing logged: passes

      const dirty = setupGuard();
      reportInternalError(new Error('a bug'), silent);
      expect(() => dirty()).toThrow(/1 internal compiler error\(s\) \(exit 70\) happened during the test run:\n.*"message":"a bug"/);
    } finally {
      if (saved === undefined) delete process.env['TMLC_INTERNAL_ERROR_LOG'];
      else process.env['TMLC_INTERNAL_ERROR_LOG'] = saved;
    }
  });
});
