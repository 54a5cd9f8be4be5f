// Running a built program with TML_MEM_STATS=1 and reading the runtime's allocation summary (the tests that prove
// something allocates nothing per element, per await, …).
import { execa } from 'execa';
import { expect } from 'vitest';

export interface MemStats {
  readonly stdout: string;
  /** allocations plus reallocations */
  readonly allocs: number;
  /** blocks still allocated at exit */
  readonly live: number;
}

export async function memStats(exe: string, args: readonly string[]): Promise<MemStats> {
  const r = await execa(exe, [...args], { env: { TML_MEM_STATS: '1' }, reject: false });
  expect(r.exitCode, r.stderr).toBe(0);
  const m = /allocs=(\d+) reallocs=(\d+) .* live_blocks=(\d+)/.exec(r.stderr);
  expect(m, r.stderr).not.toBeNull();
  return { stdout: r.stdout, allocs: Number(m![1]) + Number(m![2]), live: Number(m![3]) };
}
