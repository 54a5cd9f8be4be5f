// What the differential fuzzers (opt_fuzz, alias_fuzz) share: a scratch directory per test file, building a
// generated program with the CLI and running it, and comparing two builds' runs.
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

/** One build's run of a program (or the compiler's message when it did not build), named for reports. */
export interface Named {
  name: string;
  run: Run | string;
}

/** What differs between two builds of one program (empty: nothing): a build that failed, the exit status, stdout,
 * stderr. Each finding starts with `where`. */
export function differences(where: string, a: Named, b: Named): string[] {
  if (typeof a.run === 'string' || typeof b.run === 'string') {
    return [`${where}: ${typeof a.run === 'string' ? a.run : ''}${typeof b.run === 'string' ? b.run : ''}`];
  }
  const out: string[] = [];
  if (a.run.status !== b.run.status) out.push(`${where}: exit ${a.run.status} (${a.name}), ${b.run.status} (${b.name})`);
  for (const stream of ['stdout', 'stderr'] as const) {
    if (a.run[stream] !== b.run[stream]) out.push(`${where}: ${stream} differs\n--- ${a.name} ---\n${a.run[stream]}\n--- ${b.name} ---\n${b.run[stream]}`);
  }
  return out;
}
