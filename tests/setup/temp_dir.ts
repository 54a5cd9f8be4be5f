// A test file's temporary directory, made in the system's temp directory and removed when the file's tests are
// done, so that the suite leaves nothing behind there. Directories a test makes for itself go inside it.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

/** Call at a test file's top level (it registers an afterAll hook). */
export function testTempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
