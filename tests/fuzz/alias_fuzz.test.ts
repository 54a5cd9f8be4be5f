// The alias-tag fuzzer, bounded for CI (issue 13; alias_gen.ts says what it generates): every generated program
// prints the same, and exits the same, built for debugging (`-O0`: no `!tbaa` tags, nothing optimised) and with
// `--release` (tagged, optimised, the runtime's pool functions inlined). A wrong tag lets LLVM move a load past a
// store to the same memory, which shows as a different number. Every finding names its seed and index and shows the
// program.
//
// It can fail: a deliberately broken tagging (every class field access gets a type of its own, so a field's store
// and its load "cannot alias"), put in this process's code generator, makes some program print something else; so
// does a broken dead_fields pass that ignores a raw pointer's reads (the tally's first word).
//
// Knobs: TML_ALIAS_FUZZ_SEED, TML_ALIAS_FUZZ_COUNT (programs; default 12). The long run is
// tests/fuzz/run_alias_fuzz.sh.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AliasTags } from '../../compiler/src/codegen/alias_tags.js';
import { deadFieldsForTests } from '../../compiler/src/mir/opt/dead_fields.js';
import { build as buildInProcess } from '../../compiler/src/driver/pipeline.js';
import { resolveBuildOptions } from '../../compiler/src/driver/settings.js';
import { genAliasProgram } from './alias_gen.js';
import { buildAndRun, differences, runExecutable, scratchDir } from './build_run.js';

const SEED = Number(process.env['TML_ALIAS_FUZZ_SEED'] ?? 0xa11a5);
const COUNT = Number(process.env['TML_ALIAS_FUZZ_COUNT'] ?? 12);
const scratch = scratchDir('tml-alias-fuzz-');

async function check(index: number): Promise<string[]> {
  const dir = scratch();
  const text = genAliasProgram(SEED, index);
  const where = `program ${index} of seed ${SEED}`;
  const src = path.join(dir, `p${index}.tml`);
  writeFileSync(src, text);
  const [debug, release] = await Promise.all([buildAndRun(src, path.join(dir, `d${index}`), []), buildAndRun(src, path.join(dir, `r${index}`), ['--release'])]);
  const out = differences(where, { name: 'debug', run: debug }, { name: '--release', run: release });
  if (out.length) out.push(`--- the program ---\n${text}`);
  return out;
}

describe('the alias-tag fuzzer', () => {
  it('generates deterministic programs per seed and index', () => {
    expect(genAliasProgram(SEED, 3)).toBe(genAliasProgram(SEED, 3));
    expect(genAliasProgram(SEED, 3)).not.toBe(genAliasProgram(SEED, 4));
    expect(genAliasProgram(SEED, 3)).toContain('@pool class A {');
  });

  /** The first of up to `tries` programs (those `want` accepts) whose in-process --release build prints something
   * else than its debug build. */
  async function firstDifference(tries: number, want: (text: string) => boolean): Promise<string> {
    const dir = scratch();
    for (let i = 0; i < tries; i++) {
      const text = genAliasProgram(SEED, i);
      if (!want(text)) continue;
      const src = path.join(dir, `broken${i}.tml`);
      writeFileSync(src, text);
      const exe = path.join(dir, `broken_r${i}`);
      const quiet = { out: () => {}, err: () => {} };
      if ((await buildInProcess(src, exe, resolveBuildOptions({ release: true }), { io: quiet })) !== 0) continue;
      const debug = await buildAndRun(src, path.join(dir, `broken_d${i}`), []);
      if (typeof debug === 'string') continue;
      const found = differences(`program ${i}`, { name: 'debug', run: debug }, { name: '--release', run: await runExecutable(exe) });
      if (found.length) return found[0]!;
    }
    return '';
  }

  it('catches a deliberately broken tagging: each class field access a type of its own', async () => {
    const proto = AliasTags.prototype as unknown as { field: (ty: unknown) => unknown; scalar: (name: string) => unknown };
    const real = proto.field;
    let n = 0;
    proto.field = function (this: typeof proto) {
      return this.scalar(`broken ${n++}`);
    };
    let caught = '';
    try {
      caught = await firstDifference(30, () => true);
    } finally {
      proto.field = real;
    }
    expect(caught).toMatch(/^program \d+: (stdout differs|exit)/);
  }, 600_000);

  it('catches a deliberately broken dead_fields: the stores a raw pointer reads removed', async () => {
    deadFieldsForTests.ignoreEscapes = true;
    let caught = '';
    try {
      // programs that read the tally's first word only through the raw pointer, after storing it
      caught = await firstDifference(100, (t) => t.includes('tally word') && !t.includes('tally hits') && t.includes('tl.hits += 1'));
    } finally {
      deadFieldsForTests.ignoreEscapes = false;
    }
    expect(caught).toMatch(/^program \d+: stdout differs/);
  }, 600_000);

  it(`${COUNT} programs of seed ${SEED}: the same output built for debugging and with --release`, async () => {
    const problems: string[] = [];
    for (let i = 0; i < COUNT; i++) problems.push(...(await check(i)));
    expect(problems.join('\n\n')).toBe('');
  }, 60_000 + COUNT * 30_000);
});
