// Global set-up of the vitest run (issue 10's guard): every tmlc run in the suite — the CLI processes the tests
// spawn and the in-process driver calls alike — appends any internal compiler error (exit 70) to one log file
// (TMLC_INTERNAL_ERROR_LOG, driver/pipeline.ts). At the end of the run the log must be empty; otherwise the
// run fails and lists the commands. Tests that provoke an internal error on purpose turn the log off around it
// (withoutInternalErrorLog in tests/setup/expected_internal_error.ts).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tmlc-ice-log-'));
  const log = path.join(dir, 'internal-errors.jsonl');
  process.env['TMLC_INTERNAL_ERROR_LOG'] = log;
  return () => {
    const text = existsSync(log) ? readFileSync(log, 'utf8') : '';
    rmSync(dir, { recursive: true, force: true });
    const entries = text.split('\n').filter((l) => l.trim() !== '');
    if (entries.length > 0) {
      throw new Error(
        `${entries.length} internal compiler error(s) (exit 70) happened during the test run:\n` + entries.map((e) => `  ${e}`).join('\n'),
      );
    }
  };
}
