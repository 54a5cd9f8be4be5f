// The async fuzzer, bounded for CI (issue 12; async_gen.ts says what it generates and why): for each generated
// program, the async build run by `block_on` prints exactly what its sync twin prints, and runs of the async build
// with its task aborted after 0, 1, 3 and 6 ms exit cleanly (the leak checker is on) with every value it made
// dropped exactly once. Every finding names its seed and index and shows the program.
//
// Knobs: TML_ASYNC_FUZZ_SEED, TML_ASYNC_FUZZ_COUNT (programs; default 16). The long run is
// tests/fuzz/run_async_fuzz.sh.
import { execa } from 'execa';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genAsyncProgram, unbalancedDrops, type AsyncProgram } from './async_gen.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TMLC = path.join(ROOT, 'bin', 'tmlc.js');
const SEED = Number(process.env['TML_ASYNC_FUZZ_SEED'] ?? 0xa51c);
const COUNT = Number(process.env['TML_ASYNC_FUZZ_COUNT'] ?? 16);
const ABORT_AFTER_MS = [0, 1, 3, 6];

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tml-async-fuzz-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function build(name: string, text: string): Promise<string> {
  const src = path.join(dir, `${name}.tml`);
  const exe = path.join(dir, name);
  writeFileSync(src, text);
  const r = await execa('node', [TMLC, 'build', src, '-o', exe], { reject: false });
  if (r.exitCode !== 0) throw new Error(`${name} does not compile:\n${r.stderr}\n--- program ---\n${text}`);
  return exe;
}

/** The problems with one program (empty: none). */
async function check(p: AsyncProgram): Promise<string[]> {
  const out: string[] = [];
  const where = `program ${p.index} of seed ${SEED}`;
  const [asyncExe, syncExe] = await Promise.all([build(`a${p.index}`, p.asyncText), build(`s${p.index}`, p.syncText)]);
  const a = await execa(asyncExe, [], { reject: false, timeout: 30_000 });
  const s = await execa(syncExe, [], { reject: false, timeout: 30_000 });
  if (a.exitCode !== 0 || s.exitCode !== 0) out.push(`${where}: exit ${a.exitCode} (async), ${s.exitCode} (sync)\n${a.stderr}${s.stderr}`);
  if (a.stdout !== s.stdout) out.push(`${where}: the async run differs from the sync twin\n--- async ---\n${a.stdout}\n--- sync ---\n${s.stdout}`);
  for (const ms of ABORT_AFTER_MS) {
    const r = await execa(asyncExe, [String(ms)], { reject: false, timeout: 30_000 });
    if (r.exitCode !== 0) out.push(`${where}, aborted after ${ms} ms: exit ${r.exitCode}\n${r.stderr}`);
    if (!r.stdout.endsWith('aborted')) out.push(`${where}, aborted after ${ms} ms: no final line\n${r.stdout}`);
    const bad = unbalancedDrops(r.stdout);
    if (bad.length) out.push(`${where}, aborted after ${ms} ms: ${bad.join('; ')}\n${r.stdout}`);
  }
  if (out.length) out.push(`--- the async program ---\n${p.asyncText}`);
  return out;
}

describe('the async generator', () => {
  it('is deterministic per seed and index, and renders twins that differ only in async-ness', () => {
    for (const i of [0, 5, 99]) {
      expect(genAsyncProgram(SEED, i).asyncText).toBe(genAsyncProgram(SEED, i).asyncText);
      const p = genAsyncProgram(SEED, i);
      expect(p.asyncText).toContain('async func f0(arg: Noisy) -> I64 {');
      expect(p.syncText).toContain('func f0(arg: Noisy) -> I64 {');
      expect(p.syncText).not.toContain('await');
    }
    expect(genAsyncProgram(SEED, 1).asyncText).not.toBe(genAsyncProgram(SEED + 1, 1).asyncText);
  });

  it('finds unbalanced drops', () => {
    expect(unbalancedDrops('new a\nnew b\ndrop b\nconsume a\ndrop a\n')).toEqual([]);
    expect(unbalancedDrops('new a\nnew b\ndrop b\n')).toEqual(['a: 1 made and never dropped']);
    expect(unbalancedDrops('new a\ndrop a\ndrop a\n')).toEqual(['a: 1 dropped more than made']);
  });
});

describe('async programs against their sync twins, and aborted', () => {
  it(`${COUNT} programs of seed ${SEED}`, async () => {
    const problems: string[] = [];
    const indices = Array.from({ length: COUNT }, (_, i) => i);
    // two programs at a time (2-core machines)
    const next = async (): Promise<void> => {
      const i = indices.shift();
      if (i === undefined) return;
      problems.push(...(await check(genAsyncProgram(SEED, i))));
      return next();
    };
    await Promise.all([next(), next()]);
    expect(problems.join('\n\n')).toBe('');
  }, 900_000);
});
