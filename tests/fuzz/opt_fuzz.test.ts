// The optimizer's differential fuzzer, bounded for CI (issue 13; opt_gen.ts says what it generates): every
// generated program, built with the MIR optimizer and without it (`-Z mir-opt=0`), prints the same output, writes
// the same error (a panic's message and location, a leak report) and exits with the same status. Every fourth
// program is compared in `--release` builds too (no overflow checks: wrapping arithmetic, which constant folding
// must reproduce). Every finding names its seed and index and shows the program.
//
// Knobs: TML_OPT_FUZZ_SEED, TML_OPT_FUZZ_COUNT (programs; default 24). The long run is tests/fuzz/run_opt_fuzz.sh.
import { execa } from 'execa';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { genOptProgram } from './opt_gen.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TMLC = path.join(ROOT, 'bin', 'tmlc.js');
const SEED = Number(process.env['TML_OPT_FUZZ_SEED'] ?? 0x0b7);
const COUNT = Number(process.env['TML_OPT_FUZZ_COUNT'] ?? 24);

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tml-opt-fuzz-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Run {
  stdout: string;
  stderr: string;
  status: number | undefined;
}

async function buildAndRun(src: string, exe: string, flags: string[]): Promise<Run | string> {
  const b = await execa('node', [TMLC, 'build', src, '-o', exe, ...flags], { reject: false });
  if (b.exitCode !== 0) return `does not compile with ${flags.join(' ') || 'the defaults'}:\n${b.stderr}`;
  const r = await execa(exe, [], { reject: false, timeout: 30_000 });
  // the executable's name differs between the two builds; nothing else may
  const clean = (s: string) => s.replaceAll(exe, 'EXE');
  return { stdout: r.stdout, stderr: clean(r.stderr), status: r.exitCode };
}

/** The differences between the two builds of program `index` (empty: none). */
async function check(index: number, release: boolean): Promise<string[]> {
  const text = genOptProgram(SEED, index);
  const where = `program ${index} of seed ${SEED}${release ? ' (--release)' : ''}`;
  const src = path.join(dir, `p${index}.tml`);
  writeFileSync(src, text);
  const mode = release ? ['--release'] : [];
  const [on, off] = await Promise.all([
    buildAndRun(src, path.join(dir, `on${index}`), mode),
    buildAndRun(src, path.join(dir, `off${index}`), [...mode, '-Z', 'mir-opt=0']),
  ]);
  const out: string[] = [];
  if (typeof on === 'string' || typeof off === 'string') {
    out.push(`${where}: ${typeof on === 'string' ? on : ''}${typeof off === 'string' ? off : ''}`);
  } else {
    if (on.status !== off.status) out.push(`${where}: exit ${on.status} with the optimizer, ${off.status} without`);
    if (on.stdout !== off.stdout) out.push(`${where}: stdout differs\n--- optimized ---\n${on.stdout}\n--- not optimized ---\n${off.stdout}`);
    if (on.stderr !== off.stderr) out.push(`${where}: stderr differs\n--- optimized ---\n${on.stderr}\n--- not optimized ---\n${off.stderr}`);
  }
  if (out.length) out.push(`--- the program ---\n${text}`);
  return out;
}

describe('the optimizer fuzzer', () => {
  it('generates deterministic programs per seed and index', () => {
    expect(genOptProgram(SEED, 3)).toBe(genOptProgram(SEED, 3));
    expect(genOptProgram(SEED, 3)).not.toBe(genOptProgram(SEED, 4));
    expect(genOptProgram(SEED, 3)).toContain('func f0(p0: I64, p1: U8, xs: ref List[I64]) -> I64 {');
  });

  it(`${COUNT} programs of seed ${SEED}: the same behaviour with and without the MIR optimizer`, async () => {
    const problems: string[] = [];
    for (let i = 0; i < COUNT; i++) problems.push(...(await check(i, i % 4 === 3)));
    expect(problems.join('\n\n')).toBe('');
  }, 60_000 + COUNT * 30_000);
});
