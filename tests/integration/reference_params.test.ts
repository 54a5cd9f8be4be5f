// What the LLVM IR tells LLVM about list elements and reference parameters, on a real build of
// tests/programs/run/reference_params_ir.tml (a debug build: the program's functions stay functions):
//   - a list element is an in-bounds `getelementptr` from the list's data pointer (no ptrtoint/inttoptr
//     arithmetic, which hides from alias analysis what the address points into); `p.offset(n)` a plain one;
//   - `ref T`/`mut ref T` parameters of a sized T are `nonnull align A dereferenceable(N)`; a `ref dyn B` (a pair),
//     a `ref Unit` (no memory) and a raw pointer get nothing, and no parameter is `noalias` (docs/decisions.md);
//   - so LICM loads the data pointer of a `ref List` once, before the loop of a scan that a bounds check guards,
//     and does not when the attributes are taken away.
// The compiler must be built first (`npx tsc -p tsconfig.json`).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execa } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { irFunction } from '../setup/ir_text.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TMLC = path.join(ROOT, 'bin', 'tmlc.js');
const SRC = path.join(ROOT, 'tests', 'programs', 'run', 'reference_params_ir.tml');
const LIST_REF = '%"core.collections.List$I64$"* nonnull align 8 dereferenceable(24) %0';
let work = '';
let ir = '';

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'tmlc-refparams-'));
  const out = path.join(work, 'debug.ll');
  await execa('node', [TMLC, 'build', '--emit=ir', SRC, '-o', out], { cwd: ROOT });
  ir = fs.readFileSync(out, 'utf8');
}, 120_000);
afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

/** Runs LICM (after the clean-ups it needs) on `module` and returns the result. */
async function licm(module: string, file: string): Promise<string> {
  const input = path.join(work, `${file}.ll`);
  const output = path.join(work, `${file}.licm.ll`);
  fs.writeFileSync(input, module);
  await execa('opt-14', ['-S', '-passes=function(sroa,early-cse,simplifycfg,loop-simplify,lcssa,loop-mssa(licm))', input, '-o', output]);
  return fs.readFileSync(output, 'utf8');
}

describe('list elements and reference parameters in the IR', () => {
  it('addresses a list element with an in-bounds GEP, and p.offset(n) with a plain one', () => {
    const scan = irFunction(ir, 'tml.main.scan');
    expect(scan).toMatch(/= getelementptr inbounds i64, i64\* %\d+, i64 %\d+/);
    const bump = irFunction(ir, 'tml.main.bump');
    expect(bump).toMatch(/= getelementptr i64, i64\* %\d+, i64 1\b/);
    for (const f of [scan, bump]) expect(f).not.toMatch(/inttoptr|ptrtoint/);
  });

  it('marks ref and mut ref parameters of sized types, and nothing else', () => {
    expect(irFunction(ir, 'tml.main.scan')).toContain(`define internal i64 @tml.main.scan(${LIST_REF}, i64 %1)`);
    expect(irFunction(ir, 'tml.main.bump')).toContain(
      'define internal i64 @tml.main.bump(%main.Pair* nonnull align 8 dereferenceable(16) %0, i32* nonnull align 4 dereferenceable(4) %1, { i8*, i8* } %2, i8* %3, i64* %4)',
    );
    expect(ir.split('\n').filter((l) => l.startsWith('define ') && l.includes('noalias'))).toEqual([]);
  });

  it('lets LICM load the data pointer of a ref List once, before the scan loop, and not without the attributes', async () => {
    const dataLoad = /load i64\*, i64\*\* %\d+/;
    const firstPhi = / = phi /;
    const loadBeforeLoop = (f: string) => f.search(dataLoad) >= 0 && f.search(dataLoad) < f.search(firstPhi);
    const withAttrs = irFunction(await licm(ir, 'with'), 'tml.main.scan');
    expect(loadBeforeLoop(withAttrs)).toBe(true);
    const stripped = ir.replace(`@tml.main.scan(${LIST_REF}`, '@tml.main.scan(%"core.collections.List$I64$"* %0');
    expect(stripped).not.toBe(ir);
    const without = irFunction(await licm(stripped, 'without'), 'tml.main.scan');
    expect(without).toMatch(dataLoad);
    expect(loadBeforeLoop(without)).toBe(false);
  }, 60_000);
});
