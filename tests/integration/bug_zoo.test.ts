// The bug zoo (issue 4): deliberately broken programs, each caught by every tool that should catch it — the leak
// checker (debug builds), AddressSanitizer (--sanitize=address), Valgrind (on an untracked build) and
// ThreadSanitizer (--sanitize=thread, issue 12) — and the same programs with the bug fixed, which pass all four.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { testTempDir } from '../setup/temp_dir.js';

const root = path.resolve(new URL('../../', import.meta.url).pathname);
const zoo = path.join(root, 'tests/zoo');
const work = testTempDir('tmlc-zoo-');

type Tool = 'tracker' | 'asan' | 'valgrind' | 'tsan';
/** What each tool must print for the buggy program (null: the tool is not expected to see this bug). */
const ZOO: Record<string, Record<Tool, string[] | null>> = {
  raw_leak: { tracker: ['1 leak (48 bytes)', 'raw alloc', 'raw_leak.tml:4:17'], asan: ['LeakSanitizer: detected memory leaks'], valgrind: ['definitely lost'], tsan: null },
  str_leak: { tracker: ['1 leak (23 bytes)', 'Str', 'str_leak.tml:4:23'], asan: ['LeakSanitizer: detected memory leaks'], valgrind: ['definitely lost'], tsan: null },
  heap_into_raw: { tracker: ['1 leak (16 bytes)', 'Heap[Point]', 'heap_into_raw.tml:4:13'], asan: ['LeakSanitizer: detected memory leaks'], valgrind: ['definitely lost'], tsan: null },
  shared_cycle: { tracker: ['2 leaks', 'Shared[Node]'], asan: ['LeakSanitizer: detected memory leaks'], valgrind: ['definitely lost'], tsan: null },
  double_free: { tracker: ['tmlc: double free at', 'double_free.tml:6:9', '(24 bytes allocated at', 'double_free.tml:4:17'], asan: ['attempting double-free'], valgrind: ['Invalid free'], tsan: null },
  invalid_free: { tracker: ['tmlc: invalid free at', 'invalid_free.tml:5:9'], asan: ['attempting free on address which was not malloc()-ed'], valgrind: ['Invalid free'], tsan: null },
  use_after_free: { tracker: null, asan: ['heap-use-after-free'], valgrind: ['Invalid write'], tsan: null },
  heap_overflow: { tracker: null, asan: ['heap-buffer-overflow'], valgrind: ['Invalid write'], tsan: null },
  stack_overflow: { tracker: null, asan: ['stack-buffer-overflow'], valgrind: null, tsan: null },
  uninit_read: { tracker: null, asan: null, valgrind: ['Conditional jump or move depends on uninitialised value'], tsan: null },
  // TSan names both accesses by their TML lines: the read and the write of `p.write(p.read() + 1)`
  data_race: { tracker: null, asan: null, valgrind: null, tsan: ['WARNING: ThreadSanitizer: data race', 'in tml.main.bump', 'data_race.tml:9:', 'ThreadSanitizer: reported'] },
};

const FLAGS: Record<Tool, string[]> = { tracker: [], asan: ['--sanitize=address'], valgrind: ['--no-check-leaks'], tsan: ['--sanitize=thread'] };

async function build(name: string, tool: Tool): Promise<string> {
  const exe = path.join(work, `${name}.${tool}`);
  const r = await execa('node', [path.join(root, 'bin/tmlc.js'), 'build', path.join(zoo, `${name}.tml`), '-o', exe, ...FLAGS[tool]], { reject: false });
  expect(r.exitCode, `${name} (${tool}) must compile: ${r.stderr}`).toBe(0);
  return exe;
}

async function run(exe: string, tool: Tool): Promise<{ status: number; out: string }> {
  const cmd = tool === 'valgrind' ? ['valgrind', '--leak-check=full', '--errors-for-leak-kinds=definite', '--error-exitcode=99', exe] : [exe];
  const env = tool === 'asan' ? { ASAN_OPTIONS: 'detect_leaks=1:detect_stack_use_after_return=0' } : {};
  const r = await execa(cmd[0]!, cmd.slice(1), { reject: false, env, timeout: 60_000 });
  return { status: r.exitCode ?? -1, out: `${String(r.stdout)}\n${String(r.stderr)}` };
}

describe.each(Object.keys(ZOO))('bug zoo: %s', (name) => {
  for (const tool of ['tracker', 'asan', 'valgrind', 'tsan'] as const) {
    const want = ZOO[name]![tool];
    if (want) {
      it(`${tool} catches the bug`, async () => {
        const r = await run(await build(name, tool), tool);
        expect(r.status, r.out).not.toBe(0);
        if (tool === 'tsan') expect(r.status, r.out).toBe(66); // TSan's exit status: the program ran to its end
        for (const w of want) expect(r.out).toContain(w);
      });
    }
    it(`${tool} passes the fixed program`, async () => {
      const r = await run(await build(`${name}.fixed`, tool), tool);
      expect(r.status, r.out).toBe(0);
      if (tool !== 'valgrind') expect(r.out).not.toContain('leak');
      if (tool === 'valgrind') {
        expect(r.out).toContain('ERROR SUMMARY: 0 errors');
        expect(r.out).toContain('All heap blocks were freed');
      }
      if (tool === 'asan') expect(r.out).not.toContain('ERROR: AddressSanitizer');
      if (tool === 'tsan') expect(r.out).not.toContain('ThreadSanitizer');
    });
  }
});
