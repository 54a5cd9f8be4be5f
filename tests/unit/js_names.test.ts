// Names a program may write that are also members of every JavaScript object (`constructor`, `toString`,
// `valueOf`, `__proto__`, `hasOwnProperty`): the compiler's tables keyed by name must not find Object.prototype's
// members for them. They used to lex as no identifier at all, and `"a".toString()` was an internal error.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testTempDir } from '../setup/temp_dir.js';
import { checkProgram } from '../../compiler/src/sema/program.js';
import { DiagnosticBag } from '../../compiler/src/syntax/diagnostics.js';
import { SourceMap } from '../../compiler/src/syntax/source.js';

const tmp = testTempDir('tmlc-js-names-');
let n = 0;

function errors(src: string): string[] {
  const file = path.join(tmp, `p${n++}.tml`);
  fs.writeFileSync(file, src);
  const diags = new DiagnosticBag();
  checkProgram(file, new SourceMap(), diags, false);
  return diags.items.map((d) => `${d.code} ${d.message}`);
}

describe('names of JavaScript object members', () => {
  it('are ordinary names for variables, functions, methods, fields and types', () => {
    expect(errors([
      'type hasOwnProperty { constructor: I32 }',
      'impl hasOwnProperty {',
      '    func toString(this) -> I32 { this.constructor }',
      '    func valueOf(this) -> I32 { 2 }',
      '}',
      'func constructor() -> I32 { 1 }',
      'func main() {',
      '    let __proto__ = hasOwnProperty { constructor: 5 }',
      '    let toString = __proto__.toString() + __proto__.valueOf() + constructor()',
      '    println("{toString}")',
      '}',
    ].join('\n'))).toEqual([]);
  });

  it('are not built-in methods of primitives', () => {
    expect(errors('func main() {\n    let s = "a"\n    let n: I32 = 1\n    let b = s.toString()\n    let c = n.valueOf()\n    let d = true.constructor()\n}\n')).toEqual([
      'E0599 no method named `toString` found for `Str`',
      'E0599 no method named `valueOf` found for `I32`',
      'E0599 no method named `constructor` found for `Bool`',
    ]);
  });

  it('are not a representation of a @flags type', () => {
    expect(errors('@flags(constructor)\ntype P { A, B }\nfunc main() {}\n')).toEqual(['E0772 the argument of `@flags` must be one of `U8`, `U16`, `U32`, `U64`']);
  });
});
