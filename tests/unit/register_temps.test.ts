// Register temporaries (mir/analysis/register_temps.ts): which locals code generation keeps as LLVM values instead
// of stack slots, and the IR that follows — and the locals it must leave in memory.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testTempDir } from '../setup/temp_dir.js';
import { execaSync } from 'execa';
import { runFrontEnd } from '../../compiler/src/driver/frontend.js';
import { registerTemps } from '../../compiler/src/mir/analysis/register_temps.js';
import { printFunction } from '../../compiler/src/mir/print.js';

const tmp = testTempDir('tmlc-regs-');
const ROOT = new URL('../../', import.meta.url).pathname;
const SRC = `func sum(xs: ref List[I64]) -> I64 {
    var s: I64 = 0
    for i in 0 to xs.len() {
        s = s + xs[i]
    }
    return s
}
func pick(c: Bool) -> Str {
    let t = if c { "a" } else { "b" }
    t
}
func main() {
    var xs: List[I64] = List::new()
    xs.push(4)
    println("{sum(ref xs)} {pick(true)}")
}
`;

function program() {
  const file = path.join(tmp, 'regs.tml');
  fs.writeFileSync(file, SRC);
  const fe = runFrontEnd(file, { overflowChecks: true, tests: false, mirOpt: false });
  return { file, fns: fe.program!.functions };
}

describe('register temporaries', () => {
  it('keeps the scalars written once and read where their write dominates, and the checked pairs', () => {
    const sum = program().fns.find((f) => f.displayName === 'sum')!;
    const { scalars, pairs } = registerTemps(sum);
    const text = printFunction(sum);
    const name = (l: number) => `_${l}: ${sum.locals[l]!.ty.k}`;
    // the checked addition's pair: written by checked_add, read by its two fields in later blocks
    expect([...pairs].map(name)).toEqual([expect.stringMatching(/tuple/)]);
    expect(text).toContain(`_${[...pairs][0]} = checked_add(`);
    // every register scalar is a temporary; the user's variables (s, i), the argument and the loop counter, which
    // is written again on every iteration, are not
    for (const l of scalars) expect(sum.locals[l]!.kind).toBe('temp');
    const named = sum.locals.filter((l) => l.name !== null).map((l) => l.id);
    for (const l of named) expect(scalars.has(l)).toBe(false);
    expect(scalars.size).toBeGreaterThanOrEqual(5);
  });

  it('leaves in memory what is written twice, borrowed or not scalar', () => {
    const pick = program().fns.find((f) => f.displayName === 'pick')!;
    const { scalars, pairs } = registerTemps(pick);
    // the Str temporaries: not scalars
    for (const l of scalars) expect(['int', 'bool', 'char', 'float', 'ref', 'ptr']).toContain(pick.locals[l]!.ty.k);
    expect(pairs.size).toBe(0);
    const main = program().fns.find((f) => f.displayName === 'main')!;
    const borrowed = main.blocks.flatMap((b) => b.stmts).flatMap((s) => (s.k === 'assign' && s.rvalue.k === 'ref' && s.rvalue.place.proj.length === 0 ? [s.rvalue.place.local] : []));
    expect(borrowed.length).toBeGreaterThan(0);
    for (const l of borrowed) expect(registerTemps(main).scalars.has(l)).toBe(false);
  });

  it('keeps an array index temporary in a register, and the bounds checks share one panic block', () => {
    const file = path.join(tmp, 'index.tml');
    fs.writeFileSync(
      file,
      `func pick(a: [I32; 4], i: I64, j: I64) -> I32 {
    a[i] * a[j] + a[i + j]
}
func main() {
    let a = [7, 3, 9, 1]
    println(pick(a, 1, 2))
    println(pick(a, 2, 5))
}
`,
    );
    const fe = runFrontEnd(file, { overflowChecks: true, tests: false });
    const pick = fe.program!.functions.find((f) => f.displayName === 'pick')!;
    const { scalars } = registerTemps(pick);
    // the locals used as an index: `_a[_n]` in the MIR text
    const indices = [...printFunction(pick).matchAll(/\[_(\d+)\]/g)].map((m) => Number(m[1]));
    expect(indices.length).toBeGreaterThan(0);
    for (const l of indices) if (pick.locals[l]!.kind === 'temp') expect(scalars.has(l)).toBe(true);
    const ll = path.join(tmp, 'index.ll');
    execaSync('node', [path.join(ROOT, 'bin/tmlc.js'), 'build', file, '--emit=ir', '-o', ll]);
    const ir = fs.readFileSync(ll, 'utf8');
    const start = ir.indexOf('define internal i32 @tml.main.pick(');
    const body = ir.slice(start, ir.indexOf('\n}\n', start));
    expect(body.match(/call void @tml_panic_bounds/g)?.length).toBe(1);
    const exe = path.join(tmp, 'index');
    execaSync('node', [path.join(ROOT, 'bin/tmlc.js'), 'build', file, '-o', exe]);
    const r = execaSync(exe, { reject: false });
    expect(r.stdout).toBe('28');
    expect(r.stderr).toBe(`panic at ${file}:2:12: index out of bounds: the len is 4 but the index is 5`);
    expect(r.exitCode).toBe(101);
  });

  it('gives those temporaries no stack slot in the IR, and the program still runs', () => {
    const { file } = program();
    const ll = path.join(tmp, 'regs.ll');
    execaSync('node', [path.join(ROOT, 'bin/tmlc.js'), 'build', file, '--emit=ir', '-o', ll, '-Z', 'mir-opt=0']);
    const ir = fs.readFileSync(ll, 'utf8');
    const body = ir.slice(ir.indexOf('@tml.main.sum('), ir.indexOf('\n}\n', ir.indexOf('@tml.main.sum(')));
    const allocas = body.split('\n').filter((l) => l.includes(' = alloca '));
    // the return place, the argument, s, the counter, i, the loop bound: nothing for the comparisons, casts,
    // addresses and overflow pairs
    expect(allocas.length).toBeLessThanOrEqual(6);
    expect(body).not.toMatch(/alloca \{ i64, i1 \}/);
    const exe = path.join(tmp, 'regs');
    execaSync('node', [path.join(ROOT, 'bin/tmlc.js'), 'build', file, '-o', exe]);
    expect(execaSync(exe).stdout).toBe('4 a');
  });
});
