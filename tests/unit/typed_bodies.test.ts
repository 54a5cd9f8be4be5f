// The standard library's bodies are checked on demand (sema/typed_bodies.ts): a program checks only the library
// bodies it reaches, every library body still checks without a diagnostic, and a body checked on demand is the one
// an eager check would give.
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BodyChecker } from '../../compiler/src/sema/check_body.js';
import { allFunctions, checkProgram } from '../../compiler/src/sema/program.js';
import { typeToString } from '../../compiler/src/sema/types.js';
import type { TypedBody } from '../../compiler/src/sema/typed.js';
import { DiagnosticBag } from '../../compiler/src/syntax/diagnostics.js';
import { SourceMap } from '../../compiler/src/syntax/source.js';

const HELLO = path.join(new URL('../../', import.meta.url).pathname, 'examples', 'hello.tml');

function check(eagerStd: boolean) {
  const diags = new DiagnosticBag();
  const checked = checkProgram(HELLO, new SourceMap(), diags, false, false, { eagerStd });
  if (!checked) throw new Error('hello did not check');
  return { checked, diags };
}

/** What a body says about its expressions, without the numbering of its locals. */
function shape(b: TypedBody): string[] {
  const out: string[] = [];
  for (const [id, t] of b.exprTypes) out.push(`${id}: ${typeToString(t)} ${b.calls.get(id)?.k ?? ''}`);
  return out;
}

describe('typed bodies of the standard library', () => {
  it('are not checked up front: hello checks only its own body', () => {
    const { checked, diags } = check(false);
    expect(diags.items).toEqual([]);
    expect(checked.bodies.checkedCount).toBe(1);
    const lib = allFunctions(checked.defs).filter((f) => f.module.isStd && f.decl?.body);
    expect(lib.length).toBeGreaterThan(100);
    expect(lib.every((f) => checked.bodies.has(f))).toBe(true);
  });

  it('all check without a diagnostic when asked for eagerly', () => {
    const { checked, diags } = check(true);
    expect(diags.items.map((d) => `${d.code} ${d.message} ${d.span.file}`)).toEqual([]);
    const lib = allFunctions(checked.defs).filter((f) => f.module.isStd && f.decl?.body);
    expect(checked.bodies.checkedCount).toBe(lib.length + 1);
  });

  it('give on demand the body an eager check gives', () => {
    const { checked, diags } = check(false);
    const lib = allFunctions(checked.defs).filter((f) => f.module.isStd && f.decl?.body);
    for (const fn of lib) {
      const lazy = checked.bodies.get(fn)!;
      expect(checked.bodies.get(fn)).toBe(lazy); // checked once
      const eager = new BodyChecker(checked.defs, fn, new DiagnosticBag()).check();
      expect(shape(lazy)).toEqual(shape(eager));
    }
    expect(diags.items).toEqual([]);
    expect(checked.bodies.checkedCount).toBe(lib.length + 1);
  });
});
