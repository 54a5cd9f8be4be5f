// MIR lowering and passes: every program the tests compile validates; the validator rejects broken MIR; drop
// elaboration places exactly the drops, flags and field drops MEMORY.md §2 asks for (checked on the MIR text).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testTempDir } from '../setup/temp_dir.js';
import { runFrontEnd } from '../../compiler/src/driver/frontend.js';
import type { MirFunction, MirProgram } from '../../compiler/src/mir/mir.js';
import { printFunction } from '../../compiler/src/mir/print.js';
import { validateProgram } from '../../compiler/src/mir/validate.js';
import { T } from '../../compiler/src/sema/types.js';

const conformance = new URL('../../../shared/conformance/', import.meta.url).pathname;
const tmp = testTempDir('tmlc-mir-');

function lower(src: string, tests = false): MirProgram {
  const file = path.join(tmp, `p${Math.random().toString(36).slice(2)}.tml`);
  fs.writeFileSync(file, src);
  // (without the optimizer: these tests are about lowering and drop elaboration, which it would rewrite)
  const fe = runFrontEnd(file, { overflowChecks: true, tests, mirOpt: false });
  if (!fe.program) throw new Error(fe.diagnostics.map((d) => d.message).join('\n'));
  return fe.program;
}

function fn(p: MirProgram, display: string): MirFunction {
  const f = p.functions.find((x) => x.displayName === display);
  if (!f) throw new Error(`no function ${display}: ${p.functions.map((x) => x.displayName).join(', ')}`);
  return f;
}

/** The MIR name (`_N`) of a user variable. */
function local(f: MirFunction, name: string): string {
  const l = f.locals.find((x) => x.name === name);
  if (!l) throw new Error(`no local ${name}`);
  return `_${l.id}`;
}

/** The function's statements and terminators, without the local declarations. */
function body(f: MirFunction): string[] {
  return printFunction(f)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => !l.startsWith('let ') && !l.startsWith('fn ') && l !== '}' && !/^bb\d+: \{$/.test(l));
}

describe('MIR validation', () => {
  const files = fs.readdirSync(conformance).filter((f) => f.endsWith('.tml'));
  it.each(files)('%s lowers to valid MIR (when it compiles)', (f) => {
    const fe = runFrontEnd(path.join(conformance, f), { overflowChecks: true, tests: f.endsWith('.test.tml') });
    if (!fe.program) {
      expect(fe.diagnostics.some((d) => d.severity === 'error')).toBe(true);
      return;
    }
    expect(validateProgram(fe.program)).toEqual([]);
  });

  it('rejects broken MIR', () => {
    const p = lower('func main() { println("x") }');
    const main = fn(p, 'main');
    const broken: MirProgram = {
      ...p,
      functions: p.functions.map((f) =>
        f !== main
          ? f
          : {
              ...f,
              blocks: [
                { id: 0, stmts: [{ k: 'assign', place: { local: 99, proj: [] }, rvalue: { k: 'use', op: { k: 'const', value: { k: 'int', value: 1n }, ty: T.i32 } }, span: f.span }], term: { k: 'goto', target: 7 }, termSpan: null },
              ],
            },
      ),
    };
    const errs = validateProgram(broken);
    expect(errs.some((e) => e.includes('unknown local _99'))).toBe(true);
    expect(errs.some((e) => e.includes('jump to missing block bb7'))).toBe(true);
  });
});

const RES = `type Res { id: I32 }
impl Drop for Res { func drop(mut this) { println("drop {this.id}") } }
func consume(r: Res) { }
`;

describe('drop elaboration', () => {
  it('drops in reverse declaration order at scope end', () => {
    const p = lower(RES + 'func main() { let a = Res { id: 1 }  let b = Res { id: 2 } }');
    const f = fn(p, 'main');
    const drops = body(f).filter((l) => l.startsWith('drop('));
    expect(drops).toEqual([`drop(${local(f, 'b')});`, `drop(${local(f, 'a')});`]);
  });

  it('removes the drop of a value moved on every path', () => {
    const p = lower(RES + 'func main() { let a = Res { id: 1 }  consume(a) }');
    const lines = body(fn(p, 'main'));
    expect(lines.filter((l) => l.startsWith('drop('))).toEqual([]);
    expect(lines.some((l) => /call tml\.main\.consume\(move _\d+\)/.test(l))).toBe(true);
  });

  it('guards the drop of a conditionally moved value with a drop flag', () => {
    const p = lower(RES + 'func pick(flag: Bool) { let r = Res { id: 1 }  if flag { consume(r) } }\nfunc main() { pick(true) }');
    const lines = body(fn(p, 'pick'));
    const flagged = lines.filter((l) => /^drop\(_\d+\) if _\d+;$/.test(l));
    expect(flagged.length).toBe(1);
    const flag = flagged[0]!.match(/if (_\d+)/)![1];
    // the flag is cleared where the value is moved, and set where it is created
    expect(lines).toContain(`${flag} = const false;`);
    expect(lines).toContain(`${flag} = const true;`);
  });

  it('drops the remaining fields after a partial move', () => {
    const p = lower(RES + 'type Two { a: Res, b: Res }\nfunc main() { let t = Two { a: Res { id: 1 }, b: Res { id: 2 } }  let x = t.a }');
    const f = fn(p, 'main');
    const drops = body(f).filter((l) => l.startsWith('drop('));
    // x, then what is left of t: its field b (field a was moved out)
    expect(drops).toEqual([`drop(${local(f, 'x')});`, `drop(${local(f, 't')}.1);`]);
  });

  it('retains a runtime-managed value when it is copied, and drops every copy', () => {
    const p = lower('func main() { let s = "a" + "b"  let t = s  println(t) }');
    const lines = body(fn(p, 'main'));
    // `t = s` retains; formatting `t` for println makes an owned copy (retain) that is released after printing
    expect(lines.filter((l) => l.startsWith('retain('))).toHaveLength(2);
    const f = fn(p, 'main');
    const drops = lines.filter((l) => l.startsWith('drop('));
    expect(drops).toHaveLength(3);
    expect(drops.slice(1)).toEqual([`drop(${local(f, 't')});`, `drop(${local(f, 's')});`]);
  });
});
