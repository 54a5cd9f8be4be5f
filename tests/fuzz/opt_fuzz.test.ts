// The optimizer's differential fuzzer, bounded for CI (issue 13; opt_gen.ts says what it generates): every
// generated program, built with the MIR optimizer and without it (`-Z mir-opt=0`), prints the same output, writes
// the same error (a panic's message and location, a leak report) and exits with the same status. Every fourth
// program is compared in `--release` builds too (no overflow checks: wrapping arithmetic, which constant folding
// must reproduce). Every finding names its seed and index and shows the program.
//
// It can fail: a deliberately broken overflow_checks pass (every check removed), put in this process's pipeline,
// makes a program that panics without the optimizer run on with it, and the comparison reports it.
//
// Knobs: TML_OPT_FUZZ_SEED, TML_OPT_FUZZ_COUNT (programs; default 24). The long run is tests/fuzz/run_opt_fuzz.sh.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { build as buildInProcess } from '../../compiler/src/driver/pipeline.js';
import { resolveBuildOptions } from '../../compiler/src/driver/settings.js';
import type { Statement } from '../../compiler/src/mir/mir.js';
import { PASSES, type MirPass } from '../../compiler/src/mir/pass_manager.js';
import { T } from '../../compiler/src/sema/types.js';
import { buildAndRun, differences, runExecutable, scratchDir } from './build_run.js';
import { genOptProgram } from './opt_gen.js';

const SEED = Number(process.env['TML_OPT_FUZZ_SEED'] ?? 0x0b7);
const COUNT = Number(process.env['TML_OPT_FUZZ_COUNT'] ?? 24);
const scratch = scratchDir('tml-opt-fuzz-');

/** The differences between the two builds of program `index` (empty: none). */
async function check(index: number, release: boolean): Promise<string[]> {
  const dir = scratch();
  const text = genOptProgram(SEED, index);
  const where = `program ${index} of seed ${SEED}${release ? ' (--release)' : ''}`;
  const src = path.join(dir, `p${index}.tml`);
  writeFileSync(src, text);
  const mode = release ? ['--release'] : [];
  const [on, off] = await Promise.all([
    buildAndRun(src, path.join(dir, `on${index}`), mode),
    buildAndRun(src, path.join(dir, `off${index}`), [...mode, '-Z', 'mir-opt=0']),
  ]);
  const out = differences(where, { name: 'optimized', run: on }, { name: 'not optimized', run: off });
  if (out.length) out.push(`--- the program ---\n${text}`);
  return out;
}

describe('the optimizer fuzzer', () => {
  it('generates deterministic programs per seed and index', () => {
    expect(genOptProgram(SEED, 3)).toBe(genOptProgram(SEED, 3));
    expect(genOptProgram(SEED, 3)).not.toBe(genOptProgram(SEED, 4));
    expect(genOptProgram(SEED, 3)).toContain('func f0(p0: I64, p1: U8, xs: ref List[I64]) -> I64 {');
  });

  it('catches a deliberately broken pass: an overflow-check elimination that removes every check', async () => {
    // the broken pass replaces the real overflow_checks in this process's pipeline (the in-process build below);
    // the unoptimised build is the CLI's, as in the fuzzer
    const broken: MirPass = {
      name: 'overflow_checks',
      optimize: true,
      run: (ctx) => {
        for (const f of ctx.program!.functions) {
          for (const b of f.blocks) {
            b.stmts = b.stmts.flatMap((st): Statement[] => {
              if (st.k !== 'assign' || st.rvalue.k !== 'checked' || st.place.proj.length) return [st];
              const { op, left, right } = st.rvalue;
              return [
                { ...st, place: { local: st.place.local, proj: [{ k: 'field', index: 0 }] }, rvalue: { k: 'binary', op, left, right } },
                { ...st, place: { local: st.place.local, proj: [{ k: 'field', index: 1 }] }, rvalue: { k: 'use', op: { k: 'const', value: { k: 'bool', value: false }, ty: T.bool } } },
              ];
            });
          }
        }
      },
    };
    const at = PASSES.findIndex((p) => p.name === 'overflow_checks');
    const real = PASSES[at]!;
    (PASSES as MirPass[])[at] = broken;
    const dir = scratch();
    let caught = '';
    try {
      for (let i = 0; i < 40 && !caught; i++) {
        const text = genOptProgram(SEED, i);
        const src = path.join(dir, `broken${i}.tml`);
        writeFileSync(src, text);
        const on = path.join(dir, `broken_on${i}`);
        const quiet = { out: () => {}, err: () => {} };
        if ((await buildInProcess(src, on, { ...resolveBuildOptions({}), mirOpt: true }, { io: quiet })) !== 0) continue;
        const off = await buildAndRun(src, path.join(dir, `broken_off${i}`), ['-Z', 'mir-opt=0']);
        if (typeof off === 'string' || !off.stderr.includes('with overflow')) continue;
        const r = await runExecutable(on);
        if (r.stdout !== off.stdout || r.status !== off.status) caught = `program ${i}: exit ${r.status} vs ${off.status}`;
      }
    } finally {
      (PASSES as MirPass[])[at] = real;
    }
    // a program that panics on an overflow without the optimizer runs on with the broken pass: the fuzzer's
    // comparison sees it
    expect(caught).toMatch(/^program \d+: exit /);
  }, 600_000);

  it(`${COUNT} programs of seed ${SEED}: the same behaviour with and without the MIR optimizer`, async () => {
    const problems: string[] = [];
    for (let i = 0; i < COUNT; i++) problems.push(...(await check(i, i % 4 === 3)));
    expect(problems.join('\n\n')).toBe('');
  }, 60_000 + COUNT * 30_000);
});
