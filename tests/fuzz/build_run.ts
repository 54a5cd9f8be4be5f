// What the differential fuzzers (opt_fuzz, alias_fuzz) share: a scratch directory per test file, and building a
// generated program with the CLI and running it, so that two builds of it can be compared.
import { execa } from 'execa';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';

const TMLC = path.join(fileURLToPath(new URL('../../', import.meta.url)), 'bin', 'tmlc.js');

/** What one run of a program did. */
export interface Run {
  stdout: string;
  stderr: string;
  status: number | undefined;
}

/** A temporary directory made before the file's tests and removed after them; its path once they run. */
export function scratchDir(prefix: string): () => string {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return () => dir;
}

/** Run an executable; its own path in its stderr (a panic names it) becomes EXE, so that two builds compare. */
export async function runExecutable(exe: string): Promise<Run> {
  const r = await execa(exe, [], { reject: false, timeout: 30_000 });
  return { stdout: r.stdout, stderr: r.stderr.replaceAll(exe, 'EXE'), status: r.exitCode };
}

/** Build `src` with `tmlc build` and the flags, then run it; the compiler's message when it does not build. */
export async function buildAndRun(src: string, exe: string, flags: string[]): Promise<Run | string> {
  const b = await execa('node', [TMLC, 'build', src, '-o', exe, ...flags], { reject: false });
  if (b.exitCode !== 0) return `does not compile with ${flags.join(' ') || 'the defaults'}:\n${b.stderr}`;
  return runExecutable(exe);
}
