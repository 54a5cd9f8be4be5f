// The state-machine pass (mir/async_lower.ts) on real builds:
//   - --emit=mir shows each async function's state layout and its drop function, which drops at each suspension
//     point exactly the values live there, newest first (tests/programs/memory/async_state.tml);
//   - awaiting an async call allocates nothing: the number of allocations (TML_MEM_STATS) of
//     tests/programs/memory/async_nested.tml is the same for 1,000 and 1,000,000 awaits.
// Run programs, drop orders under every memory tool and compile-fail tests are in tests/programs and tests/tml.
// The compiler must be built first (`npx tsc -p tsconfig.json`).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execa } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { memStats } from './mem_stats.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TMLC = path.join(ROOT, 'bin', 'tmlc.js');
const MEMORY = path.join(ROOT, 'tests', 'programs', 'memory');
let work = '';

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'tmlc-async-'));
});
afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

/** One function of --emit=mir output (with the `//` notes above it), locals left out. */
function mirFunction(mir: string, header: string): string {
  const lines = mir.split('\n');
  const at = lines.findIndex((l) => l.startsWith(header));
  expect(at, `no ${header}`).toBeGreaterThanOrEqual(0);
  let start = at;
  while (start > 0 && lines[start - 1]!.startsWith('//')) start--;
  const end = lines.findIndex((l, i) => i > at && l === '}');
  return lines.slice(start, end + 1).filter((l) => !l.startsWith('    let ')).join('\n');
}

describe('async state machines', () => {
  it('--emit=mir shows the state and a drop function for every suspension point', async () => {
    // the state machines as the async lowering makes them (the optimizer would inline and renumber them)
    const r = await execa('node', [TMLC, 'build', '--emit=mir', '--mir-after=async_lower', path.join(MEMORY, 'async_state.tml')], { cwd: ROOT });
    expect(mirFunction(r.stdout, 'fn two (init)').split('\n').slice(0, 6).join('\n')).toBe(
      [
        '// state of two: .0 = suspension point (0 = not started, k = at await k, 1073741824 = done)',
        '//   .1 = tag: Str (was _1)',
        '//   .2 = a: Noisy (was _3)',
        '//   .3 = a temporary: Future[Unit] (was _7)',
        '//   .4 = b: Noisy (was _9)',
        '//   .5 = a temporary: Future[Unit] (was _12)',
      ].join('\n'),
    );
    expect(mirFunction(r.stdout, 'fn two (drop)')).toBe(
      [
        'fn two (drop) [tml.main.two$drop] (_1: *U8) -> Unit {',
        '  bb0: {',
        '    _2 = copy _1 as *(I32, Str, Noisy, Future[Unit], Noisy, Future[Unit]);',
        '    _12 = copy (*_2).0;',
        '    switch copy _12 -> [0: bb1, 1: bb2, 2: bb3, otherwise: bb4];',
        '  }',
        '  bb1: {',
        '    goto bb5;',
        '  }',
        '  bb2: {',
        '    drop((*_2).3);',
        '    drop((*_2).2);',
        '    drop((*_2).1);',
        '    return;',
        '  }',
        '  bb3: {',
        '    drop((*_2).5);',
        '    drop((*_2).4);',
        '    drop((*_2).2);',
        '    drop((*_2).1);',
        '    return;',
        '  }',
        '  bb4: {',
        '    return;',
        '  }',
        '  bb5: {',
        '    drop((*_2).1);',
        '    return;',
        '  }',
        '}',
      ].join('\n'),
    );
    // the poll function resumes at each await and records where it stopped
    const poll = mirFunction(r.stdout, 'fn two (poll)');
    expect(poll).toContain('switch copy _14 -> [0: bb1, 1: bb2, 2: bb5, otherwise: bb8];');
    expect(poll).toContain('(*_4).0 = const 1;\n    _0 = const 0;\n    return;');
    expect(poll).toContain('(*_4).0 = const 2;\n    _0 = const 0;\n    return;');
  }, 120_000);

  it('an awaited async call lives in its awaiter\'s state: no allocation per await (TML_MEM_STATS)', async () => {
    const src = path.join(MEMORY, 'async_nested.tml');
    const mir = (await execa('node', [TMLC, 'build', '--emit=mir', src], { cwd: ROOT })).stdout;
    expect(mirFunction(mir, 'fn quad (init)')).toContain('//   .2 = the state of double: (I32, I64) (was _4)');
    expect(mirFunction(mir, 'fn quad (poll)')).toContain('call tml.main.double$poll(');
    expect(mirFunction(mir, 'fn quad (poll)')).not.toContain('tml_alloc');
    const exe = path.join(work, 'async_nested');
    await execa('node', [TMLC, 'build', src, '-o', exe], { cwd: ROOT });
    const stats = (n: number) => memStats(exe, [String(n)]);
    const small = await stats(1000);
    const big = await stats(1_000_000);
    expect(small.stdout).toBe('1998000');
    expect(big.stdout).toBe('1999998000000');
    expect(big.allocs).toBe(small.allocs);
    expect(big.live).toBe(0);
  }, 120_000);
});
