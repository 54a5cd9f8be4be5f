// The MIR pass pipeline (mir/pass_manager.ts): the passes run in order; every body is checked in its generic form,
// called or not, the standard library's included; the MIR after any pass can be printed; the validator runs
// between passes and names the pass that broke the MIR.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testTempDir } from '../setup/temp_dir.js';
import { runFrontEnd } from '../../compiler/src/driver/frontend.js';
import { PASS_NAMES, PASSES, runPasses, type MirPass, type PassContext } from '../../compiler/src/mir/pass_manager.js';
import { checkProgram } from '../../compiler/src/sema/program.js';
import { DiagnosticBag } from '../../compiler/src/syntax/diagnostics.js';
import { SourceMap } from '../../compiler/src/syntax/source.js';

const tmp = testTempDir('tmlc-passes-');
const ROOT = new URL('../../', import.meta.url).pathname;
const OPTS = { overflowChecks: true, tests: false, trackSites: true };

function write(src: string): string {
  const file = path.join(tmp, `p${Math.random().toString(36).slice(2)}.tml`);
  fs.writeFileSync(file, src);
  return file;
}

function context(file: string, all = false): PassContext {
  const sources = new SourceMap();
  const diags = new DiagnosticBag();
  const checked = checkProgram(file, sources, diags, file.endsWith('.test.tml'));
  if (!checked || diags.hasErrors()) throw new Error(diags.items.map((d) => d.message).join('\n'));
  return { checked, sources, opts: OPTS, diags, checkBody: all ? () => true : (fn) => !fn.module.isStd, generic: null, program: null };
}

function errors(src: string): string[] {
  const fe = runFrontEnd(write(src), { overflowChecks: true, tests: false });
  return fe.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message} @${src.slice(0, d.span.start).split('\n').length}`);
}

describe('the pass pipeline', () => {
  it('has the named passes in order', () => {
    expect(PASS_NAMES.slice(0, 9)).toEqual(['generic_build', 'move_check', 'borrow_check', 'async_check', 'mono', 'async_send', 'drop_elab', 'borrow_marks', 'async_lower']);
    // then the optimizer's, which `-Z mir-opt=0` skips
    expect(PASSES.slice(9).every((p) => p.optimize)).toBe(true);
    expect(PASS_NAMES.at(-1)).toBe('dead_fns');
  });

  it('checks every body of the standard library in its generic form, and finds nothing', () => {
    // the library modules a program with tasks, pools and collections loads: every one of their bodies
    const ctx = context(path.join(ROOT, 'tests/tml/allocators.test.tml'), true);
    runPasses(ctx, { stopAfter: 'borrow_check', validate: true });
    expect([...ctx.generic!.unlowered.entries()].map(([fn, msg]) => `${fn.path}: ${msg}`)).toEqual([]);
    expect(ctx.diags.items.map((d) => `${d.code} ${d.message} ${d.span.file}`)).toEqual([]);
    const library = ctx.generic!.bodies.filter((b) => b.fn.module.isStd);
    expect(library.length).toBeGreaterThan(100);
    expect(library.some((b) => b.fn.typeParams.length > 0)).toBe(true);
  });

  it('reports a use after move in a function nobody calls', () => {
    expect(errors('func unused() {\n    let h = Heap::new(1)\n    let g = h\n    println("{h.get()}")\n}\nfunc main() {}\n')).toEqual(['E0382 use of moved value `h` @4']);
  });

  it('reports a use after move in an uncalled generic function, at the generic body', () => {
    expect(errors('func twice[T](x: T) -> (T, T) {\n    (x, x)\n}\nfunc main() {}\n')).toEqual(['E0382 use of moved value `x` @2']);
  });

  it('reports it once however many instances there are, at the generic body', () => {
    const src = 'func twice[T](x: T) -> (T, T) {\n    (x, x)\n}\nfunc main() {\n    let a = twice(1)\n    let b = twice("s")\n    let c = twice(Heap::new(1))\n}\n';
    expect(errors(src)).toEqual(['E0382 use of moved value `x` @2']);
  });

  it('accepts the generic neighbour that copies through Duplicate', () => {
    expect(errors('func twice[T: Duplicate](x: T) -> (T, T) {\n    (x.duplicate(), x)\n}\nfunc main() {\n    let p = twice("s")\n}\n')).toEqual([]);
  });

  it('checks methods, constructors and closures nobody calls', () => {
    const src = [
      'type P { h: Heap[I64] }',
      'impl P {',
      '    func twice(this) -> I64 {',
      '        let a = Heap::new(1)',
      '        let b = a',
      '        a.get()',
      '    }',
      '}',
      'class C {',
      '    v: I64',
      '    new() {',
      '        let a = Heap::new(1)',
      '        let b = a',
      '        this.v = a.get()',
      '    }',
      '}',
      'func make() -> func() -> I64 {',
      '    move do() {',
      '        let a = Heap::new(1)',
      '        let b = a',
      '        a.get()',
      '    }',
      '}',
      'func main() {}',
      '',
    ].join('\n');
    expect(errors(src).sort()).toEqual(['E0382 use of moved value `a` @14', 'E0382 use of moved value `a` @21', 'E0382 use of moved value `a` @6']);
  });

  it('prints the MIR after each pass', () => {
    const file = write('func id[T](x: T) -> T { x }\nfunc main() {\n    let s = id("a")\n    println(s)\n}\n');
    const after = (pass: string) => runFrontEnd(file, { overflowChecks: true, tests: false, mirAfter: pass }).mirText!;
    // before monomorphisation: the generic body, its type parameter open
    expect(after('generic_build')).toContain('fn id[T] [tml.main.id$T] (_1: T) -> T {');
    expect(after('borrow_check')).toContain('fn id[T] [tml.main.id$T]');
    // after it: the instance, and the glue it needs
    expect(after('mono')).toContain('fn id[Str] [tml.main.id$Str] (_1: Str) -> Str {');
    expect(after('mono')).not.toContain('tml.main.id$T');
    // the program as code generation gets it: the instance and its drop glue
    expect(after('drop_elab')).toContain('fn drop[Str] [drop$Str] (_1: mut ref Str) -> Unit {');
    expect(after('drop_elab')).toContain('_1 = call tml.main.id$Str(const "a");');
  });

  it('marks class instances only where a reference goes into one, and checks mutations only when a mark can exist', () => {
    const cls = 'class Bag {\n    items: List[I64]\n    n: I64\n    new() {\n        this.items = List::new()\n        this.n = 0\n    }\n}\n';
    const mir = (body: string) => runFrontEnd(write(cls + `func main() {\n    let a = Bag::new()\n${body}}\n`), { overflowChecks: true, tests: false, mirAfter: 'borrow_marks' }).mirText!;
    const count = (text: string, what: string) => text.split(what).length - 1;
    // no reference into an instance anywhere: no mark can exist, so no check either
    const plain = mir('    a.n = 1\n    let k = a.n + a.items.len()\n');
    expect(count(plain, 'tml_obj_check_mut')).toBe(0);
    expect(count(plain, 'tml_obj_borrow')).toBe(0);
    // a receiver handed straight to a library method that cannot reach user code needs no mark
    const call = mir('    a.items.push(2)\n    let n = a.items.len()\n');
    expect(count(call, 'tml_obj_borrow')).toBe(0);
    expect(count(call, 'tml_obj_check_mut')).toBe(0);
    // passed to a function of the program, it is marked for the call
    const user = mir('    a.items.push(2)\n    println("{total(ref a.items)}")\n}\nfunc total(xs: ref List[I64]) -> I64 {\n    xs.len()\n');
    expect(count(user, 'call extern tml_obj_borrow(')).toBe(1);
    expect(count(user.slice(user.indexOf('fn main')), 'call extern tml_obj_check_mut(')).toBe(1); // the push
    // one reference into it: a mark taken and released once, and each mutation outside the constructor checked
    const marked = mir('    a.items.push(1)\n    let r = ref a.items[0]\n    println("{r}")\n    a.n = 1\n');
    expect(count(marked, 'call extern tml_obj_borrow(')).toBe(1);
    expect(count(marked, 'call extern tml_obj_unborrow(')).toBe(2); // before re-marking (a no-op the first time) and at its end
    expect(count(marked.slice(marked.indexOf('fn main')), 'call extern tml_obj_check_mut(')).toBe(2); // the push's receiver and `a.n = 1`
    expect(count(marked.slice(marked.indexOf('fn Bag::new'), marked.indexOf('}\n', marked.indexOf('fn Bag::new'))), 'tml_obj_check_mut')).toBe(0);
  });

  it('validates between passes and names the pass that broke the MIR', () => {
    const ctx = context(write('func main() { println("x") }\n'));
    const breaker: MirPass = {
      name: 'breaker',
      run: (c) => {
        const main = c.program!.functions.find((f) => f.displayName === 'main')!;
        main.blocks[0]!.term = { k: 'goto', target: 99 };
      },
    };
    const passes = [...PASSES.slice(0, 5), breaker, ...PASSES.slice(5)];
    expect(() => runPasses(ctx, { validate: true, passes })).toThrow(/invalid after pass `breaker`:\n {2}main \[tml\.main\.main\] bb0: jump to missing block bb99/);
  });
});
