// The bounds-check pass on the shapes inlining makes (the `inline` pass is another helper's, issue 13): `xs.len()`
// becomes the callee's body in the caller, `_p = move _r; _n = copy (*_p).1`, with `_r = ref (*_1)`. The check of
// `xs[i]` in `for i in 0 to xs.len()` must still go, and must stay when the loop hands a `mut ref` of the list to a
// call. The test inlines `List.len` by hand on the unoptimised MIR, runs bounds_checks, and validates.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testTempDir } from '../setup/temp_dir.js';
import type { LocalId, MirFunction, Statement } from '../../compiler/src/mir/mir.js';
import { passContext } from '../../compiler/src/mir/build.js';
import { PASSES, runPasses, type PassContext } from '../../compiler/src/mir/pass_manager.js';
import { validateProgram } from '../../compiler/src/mir/validate.js';
import { checkProgram } from '../../compiler/src/sema/program.js';
import { DiagnosticBag } from '../../compiler/src/syntax/diagnostics.js';
import { SourceMap } from '../../compiler/src/syntax/source.js';

const tmp = testTempDir('tmlc-inl-');

function build(src: string): PassContext {
  const dir = fs.mkdtempSync(path.join(tmp, 'case-'));
  const file = path.join(dir, 'main.tml');
  fs.writeFileSync(file, src);
  const sources = new SourceMap();
  const diags = new DiagnosticBag();
  const checked = checkProgram(file, sources, diags, false);
  if (!checked || diags.hasErrors()) throw new Error(diags.items.map((d) => d.message).join('\n'));
  const ctx = passContext(checked, sources, { overflowChecks: true, tests: false, trackSites: true, mirOpt: false }, diags);
  runPasses(ctx, { passes: PASSES.filter((p) => !p.optimize) });
  return ctx;
}

/** Replaces `_n = call List.len(move _r)` by `_p = move _r; _n = copy (*_p).1`, as inlining does. */
function inlineLen(f: MirFunction): number {
  let n = 0;
  for (const b of f.blocks) {
    b.stmts = b.stmts.flatMap((s): Statement[] => {
      if (s.k !== 'call' || s.callee.k !== 'fn' || !s.callee.symbol.includes('List.len') || !s.dest || s.args[0]?.k !== 'move') return [s];
      const r = s.args[0].place.local;
      const p: LocalId = f.locals.length;
      f.locals.push({ id: p, ty: f.locals[r]!.ty, name: null, kind: 'temp', span: s.span });
      n++;
      return [
        { k: 'assign', place: { local: p, proj: [] }, rvalue: { k: 'use', op: { k: 'move', place: { local: r, proj: [] } } }, span: s.span },
        { k: 'assign', place: s.dest, rvalue: { k: 'use', op: { k: 'copy', place: { local: p, proj: [{ k: 'deref' }, { k: 'field', index: 1 }] } } }, span: s.span },
      ];
    });
  }
  return n;
}

/** The branches whose failing side panics with `tml_panic_bounds`. */
function boundsPanics(f: MirFunction): number {
  let n = 0;
  for (const b of f.blocks) {
    if (b.term.k === 'branch') {
      const s = f.blocks[b.term.else]!.stmts[0];
      if (s?.k === 'call' && s.callee.k === 'extern' && s.callee.symbol === 'tml_panic_bounds') n++;
    }
  }
  return n;
}

function run(src: string, fn: string): { before: number; after: number } {
  const ctx = build(src);
  const f = ctx.program!.functions.find((x) => x.displayName === fn)!;
  expect(inlineLen(f)).toBe(1);
  const before = boundsPanics(f);
  const pass = PASSES.find((p) => p.name === 'bounds_checks')!;
  runPasses({ ...ctx, optimize: true } as PassContext, { passes: [{ ...pass }] });
  expect(validateProgram(ctx.program!)).toEqual([]);
  return { before, after: boundsPanics(f) };
}

const MAIN = `func main() {
    var xs = List::new()
    xs.push(1)
    println("{f(mut ref xs)}")
}
`;

describe('bounds_checks after inlining List.len', () => {
  it('removes the check of a counted loop that only reads and writes elements', () => {
    const src = `func f(xs: mut ref List[I64]) -> I64 {
    var s: I64 = 0
    for i in 0 to xs.len() { s = s + xs[i] }
    return s
}
${MAIN}`;
    expect(run(src, 'f')).toEqual({ before: 1, after: 0 });
  });

  it('keeps it when the loop hands a mut ref of the list to a call', () => {
    const src = `func h(xs: mut ref List[I64]) { var _d = xs.pop() }
func f(xs: mut ref List[I64]) -> I64 {
    var s: I64 = 0
    for i in 0 to xs.len() {
        h(xs)
        s = s + xs[i]
    }
    return s
}
${MAIN}`;
    expect(run(src, 'f')).toEqual({ before: 1, after: 1 });
  });
});
