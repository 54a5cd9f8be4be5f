// The warnings of sema/lints/ (codes in syntax/codes/warnings.ts): each one, exactly as rendered, on a program
// that triggers it, and none on the nearest program that must not.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkProgram } from '../../compiler/src/sema/program.js';
import { WARNING_CODES } from '../../compiler/src/syntax/codes/warnings.js';
import { DiagnosticBag } from '../../compiler/src/syntax/diagnostics.js';
import { renderDiagnostic } from '../../compiler/src/syntax/render.js';
import { SourceMap } from '../../compiler/src/syntax/source.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'tmlc-warnings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** Checks `main` (plus other files of the program) and returns every diagnostic, rendered, paths relative. */
function check(main: string, files: Record<string, string> = {}, entryName = 'main.tml'): string[] {
  const sub = path.join(dir, String(n++));
  rmSync(sub, { recursive: true, force: true });
  for (const [name, text] of Object.entries({ [entryName]: main, ...files })) {
    const p = path.join(sub, name);
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
  const sources = new SourceMap();
  const diags = new DiagnosticBag();
  checkProgram(path.join(sub, entryName), sources, diags, entryName.endsWith('.test.tml'));
  return diags.items.map((d) => renderDiagnostic(d, sources).split(sub + path.sep).join(''));
}

/** The codes of the diagnostics `check` returned. */
function codes(rendered: string[]): string[] {
  return rendered.map((r) => /^\w+\[(\w+)\]/.exec(r)?.[1] ?? r);
}

const lines = (...l: string[]): string => l.join('\n') + '\n';

describe('W0001 unused variable', () => {
  it('reports a local never read, and one only assigned to', () => {
    expect(check(lines('func main() {', '    let x = 5', '    var y = 1', '    y = 2', '}'))).toEqual([
      lines(
        'warning[W0001]: unused variable: `x`',
        '  --> main.tml:2:9',
        '   |',
        ' 2 |     let x = 5',
        '   |         ^ help: if this is intentional, prefix it with an underscore: `_x`',
        '',
      ),
      lines(
        'warning[W0001]: unused variable: `y`',
        '  --> main.tml:3:9',
        '   |',
        ' 3 |     var y = 1',
        '   |         ^ help: if this is intentional, prefix it with an underscore: `_y`',
        '   |',
        '   = note: `y` is assigned to, but its value is never read',
        '',
      ),
    ]);
  });

  it('reports an unused parameter at its name', () => {
    expect(check(lines('func f(a: I32, b: I32) -> I32 { a }', 'func main() { println("{f(1, 2)}") }'))).toEqual([
      lines(
        'warning[W0001]: unused variable: `b`',
        '  --> main.tml:1:16',
        '   |',
        ' 1 | func f(a: I32, b: I32) -> I32 { a }',
        '   |                ^ help: if this is intentional, prefix it with an underscore: `_b`',
        '',
      ),
    ]);
  });

  it('does not report a variable read only in a closure, an `_x`, one read in interpolation or a field shorthand', () => {
    expect(check(lines('func main() {', '    let k = 3', '    let f = do(x: I32) -> I32 { x * k }', '    let _z = 1', '    let v = f(2)', '    println("{v}")', '}'))).toEqual([]);
    expect(check(lines('type P { x: I32 }', 'func main() {', '    let x = 1', '    let p = P { x }', '    println("{p.x}")', '}'))).toEqual([]);
  });
});

describe('W0002 unused function', () => {
  it('reports a function nothing reachable calls, also one called only by an unused one or by itself', () => {
    const out = check(lines('func helper() -> I32 { inner() }', 'func inner() -> I32 { 1 }', 'func again(n: I32) -> I32 { again(n) }', 'func main() { }'));
    expect(out[0]).toBe(
      lines(
        'warning[W0002]: function `helper` is never used',
        '  --> main.tml:1:6',
        '   |',
        ' 1 | func helper() -> I32 { inner() }',
        '   |      ^^^^^^ help: remove it, or start its name with an underscore',
        '',
      ),
    );
    expect(out.map((r) => r.split('\n')[0])).toEqual([
      'warning[W0002]: function `helper` is never used',
      'warning[W0002]: function `inner` is never used',
      'warning[W0002]: function `again` is never used',
    ]);
  });

  it('does not report `main`, a function called or used as a value, a test, a library module\'s `pub` function', () => {
    const main = lines(
      'use lib',
      'func twice(x: I32) -> I32 { x * 2 }',
      'func apply(f: func(I32) -> I32, v: I32) -> I32 { f(v) }',
      'func only_tests() -> I32 { 1 }',
      '@test',
      'func t() { assert_eq(only_tests(), 1) }',
      'func main() { println("{apply(twice, 2)}") }',
    );
    const lib = lines('pub func api() -> I32 { 1 }', 'func private_unused() -> I32 { 2 }');
    expect(check(main, { 'lib.tml': lib }).map((r) => r.split('\n').slice(0, 2).join(' '))).toEqual([
      'warning[W0007]: unused import: `lib`   --> main.tml:1:1',
      'warning[W0002]: function `private_unused` is never used   --> lib.tml:2:6',
    ]);
  });
});

describe('W0003 unneeded `var`', () => {
  it('reports a `var` never assigned, borrowed `mut ref` or used as a `mut this` receiver', () => {
    expect(check(lines('func main() {', '    var x = 5', '    println("{x}")', '}'))).toEqual([
      lines(
        'warning[W0003]: variable `x` does not need to be mutable',
        '  --> main.tml:2:9',
        '   |',
        ' 2 |     var x = 5',
        '   |         ^ help: declare it with `let x`',
        '   |',
        '   = note: it is never assigned after its declaration, borrowed `mut ref`, or the receiver of a `mut this` method',
        '',
      ),
    ]);
  });

  it('reports a `mut` parameter with its own help', () => {
    expect(codes(check(lines('func f(mut n: I32) -> I32 { n }', 'func main() { println("{f(1)}") }')))).toEqual(['W0003']);
    expect(check(lines('func f(mut n: I32) -> I32 { n }', 'func main() { println("{f(1)}") }'))[0]).toContain('help: remove the `mut`');
  });

  it('does not report a `var` reassigned in a loop, pushed to, borrowed `mut ref`, changed in a closure or by `&x`', () => {
    const src = lines(
      'func bump(x: mut ref I32) { *x += 1 }',
      'func main() {',
      '    var i = 0',
      '    loop (i < 3) { i += 1 }',
      '    var xs = List[I32]::new()',
      '    xs.push(i)',
      '    var b = 1',
      '    bump(mut ref b)',
      '    var c = 0',
      '    let f = move do() -> I32 { c += 1  c }',
      '    println("{f()}")',
      '    var d: I32 = 4',
      '    lowlevel { let p: *I32 = &d  p.write(5) }',
      '    println("{xs.len()} {b} {c} {d}")',
      '}',
    );
    expect(check(src)).toEqual([]);
  });
});

describe('W0004 unreachable code', () => {
  it('reports the first statement after a `return`, pointing at what leaves', () => {
    expect(check(lines('func main() {', '    println("a")', '    return', '    println("b")', '    println("c")', '}'))).toEqual([
      lines(
        'warning[W0004]: unreachable statement',
        '  --> main.tml:4:5',
        '   |',
        ' 3 |     return',
        '   |     ------ any code following this expression is unreachable',
        ' 4 |     println("b")',
        '   |     ^^^^^^^^^^^^ unreachable statement',
        '',
      ),
    ]);
  });

  it('reports code after a `when` whose arms all return, after a panic and after a loop without `break`', () => {
    const src = lines(
      'func f(m: Maybe[I32]) -> I32 {',
      '    when m {',
      '        Just(v) => return v,',
      '        Nothing => return 0,',
      '    }',
      '    println("after")',
      '    1',
      '}',
      'func g() -> I32 {',
      '    panic("no")',
      '    2',
      '}',
      'func h() {',
      '    loop { println("forever") }',
      '    println("never")',
      '}',
      'func main() { println("{f(Nothing)} {g()}")  h() }',
    );
    expect(check(src).map((r) => r.split('\n').slice(0, 2).join(' '))).toEqual([
      'warning[W0004]: unreachable statement   --> main.tml:6:5',
      'warning[W0004]: unreachable expression    --> main.tml:11:5',
      'warning[W0004]: unreachable expression    --> main.tml:15:5',
    ]);
  });

  it('does not report code after a `when` with an arm that goes on, an `if` without `else`, or a loop with `break`', () => {
    const src = lines(
      'func f(m: Maybe[I32]) -> I32 {',
      '    when m {',
      '        Just(v) => return v,',
      '        Nothing => println("none"),',
      '    }',
      '    if m.is_nothing() { return 0 }',
      '    var i = 0',
      '    loop {',
      '        i += 1',
      '        if i > 3 { break }',
      '    }',
      '    i',
      '}',
      'func main() { println("{f(Nothing)}") }',
    );
    expect(check(src)).toEqual([]);
  });
});

describe('W0005 unused Outcome, W0006 unused Maybe', () => {
  const defs = lines(
    'func save(ok: Bool) -> Outcome[I32, Str] { if ok then Ok(1) else Err("disk full") }',
    'func find(x: I32) -> Maybe[I32] { if x > 0 then Just(x) else Nothing }',
  );

  it('reports an `Outcome` and a `Maybe` thrown away', () => {
    expect(check(defs + lines('func main() {', '    save(true)', '    find(1)', '    println("done")', '}'))).toEqual([
      lines(
        'warning[W0005]: unused `Outcome` that must be used',
        '  --> main.tml:4:5',
        '   |',
        ' 4 |     save(true)',
        '   |     ^^^^^^^^^^ this `Outcome` may be an `Err` that is ignored',
        '   |',
        '   = note: handle it (`when`, `if let`, `!`), or discard it on purpose with `let _ = …`',
        '',
      ),
      lines(
        'warning[W0006]: unused `Maybe` value',
        '  --> main.tml:5:5',
        '   |',
        ' 5 |     find(1)',
        '   |     ^^^^^^^ this value is never used',
        '   |',
        '   = note: use it, or discard it on purpose with `let _ = …`',
        '',
      ),
    ]);
  });

  it('does not report `let _ = …`, `!`, a `mut this` method\'s `Maybe` (`pop`, `insert`) or a Unit call', () => {
    const src =
      defs +
      lines(
        'func run() -> Outcome[I32, Str] {',
        '    save(true)!',
        '    Ok(2)',
        '}',
        'func main() {',
        '    let _ = save(false)',
        '    let _ = run()',
        '    var xs = List[I32]::new()',
        '    xs.push(1)',
        '    xs.pop()',
        '    var m = HashMap[Str, I32]::new()',
        '    m.insert("a", 1)',
        '    println("{find(2).is_just()}")',
        '}',
      );
    expect(check(src)).toEqual([]);
  });
});

describe('W0010 statement without effect', () => {
  it('reports a comparison, a variable and a literal thrown away; a `==` on a variable suggests `=`', () => {
    const out = check(lines('func main() {', '    let x = 1', '    x == 5', '    x', '    3', '    println("{x}")', '}'));
    expect(out[0]).toBe(
      lines(
        'warning[W0010]: statement has no effect',
        '  --> main.tml:3:5',
        '   |',
        ' 3 |     x == 5',
        '   |     ^^^^^^ this value is computed and thrown away',
        '   |',
        '   = note: did you mean to assign, with `=`?',
        '',
      ),
    );
    expect(out.map((r) => r.split('\n').slice(0, 2).join(' '))).toEqual([
      'warning[W0010]: statement has no effect   --> main.tml:3:5',
      'warning[W0010]: statement has no effect   --> main.tml:4:5',
      'warning[W0010]: statement has no effect   --> main.tml:5:5',
    ]);
  });

  it('does not report an assignment, a call, an operator with a call in it, or a user type\'s operator', () => {
    const src = lines(
      'type V { n: I32 }',
      'impl Eq for V { func eq(this, other: ref V) -> Bool { println("eq called")  this.n == other.n } }',
      'func main() {',
      '    var x = 1',
      '    x = 5',
      '    x + "ab".len() as I32',
      '    V { n: 1 } == V { n: 2 }',
      '    println("{x}")',
      '}',
    );
    expect(check(src)).toEqual([]);
  });
});

describe('W0007 unused import', () => {
  it('reports an import never mentioned, and one name of a list', () => {
    const out = check(lines('use std::time::Instant', 'use shapes::{area, Shape}', 'func main() { println("{area(2)}") }'), {
      'shapes.tml': lines('pub type Shape { Circle(I32), Dot }', 'pub func area(r: I32) -> I32 { r * r }'),
    });
    expect(out).toEqual([
      lines('warning[W0007]: unused import: `std::time::Instant`', '  --> main.tml:1:1', '   |', ' 1 | use std::time::Instant', '   | ^^^^^^^^^^^^^^^^^^^^^^ help: remove this import', ''),
      lines('warning[W0007]: unused import: `shapes::Shape`', '  --> main.tml:2:20', '   |', ' 2 | use shapes::{area, Shape}', '   |                    ^^^^^ help: remove this import', ''),
    ]);
  });

  it('does not report an enum used only through its variants, a module used by path, or `use test`\'s helpers', () => {
    const out = check(
      lines('use test', 'use shapes', 'use shapes::Shape', '@test', 'func t() {', '    let s = Circle(2)', '    assert_true(shapes::area(s) == 4, "area")', '}'),
      { 'shapes.tml': lines('pub type Shape { Circle(I32), Dot }', 'pub func area(s: Shape) -> I32 { when s { Circle(r) => r * r, Dot => 0 } }') },
      'main.test.tml',
    );
    expect(out).toEqual([]);
  });

  it('does not report `use test` in a test file that uses only the built-in assertions (LANGUAGE.md §7)', () => {
    expect(check(lines('use test', '@test', 'func t() { assert_eq(2 + 2, 4, "arithmetic") }'), {}, 'only_builtin.test.tml')).toEqual([]);
    // the nearest that is reported: a program using nothing of it
    expect(codes(check(lines('use test', 'func main() { println("no tests") }')))).toEqual(['W0007']);
  });
});

describe('W0008 `not a == b` on integers', () => {
  it('reports `not a == b` where `a` is an integer', () => {
    expect(check(lines('func main() {', '    let a = 1', '    if not a == 2 { println("x") }', '}'))).toEqual([
      lines(
        'warning[W0008]: `not` applies to the left operand only: this compares the bitwise complement',
        '  --> main.tml:3:8',
        '   |',
        ' 3 |     if not a == 2 { println("x") }',
        '   |        ^^^^^^^^^^ this is `(not a) == 2`',
        '   |',
        '   = note: to negate the comparison, write `not (a == 2)` or `a != 2`; to compare the complement, write `(not a) == 2`',
        '',
      ),
    ]);
  });

  it('does not report `not (a == b)`, `(not a) == b`, or `not` of a Bool', () => {
    const src = lines('func main() {', '    let a = 1', '    let b = true', '    println("{not (a == 2)} {(not a) == 2} {not b == false}")', '}');
    expect(check(src)).toEqual([]);
  });
});

describe('@allow', () => {
  it('turns off the warnings it names (by name or code) in its function; an unknown name is W0009', () => {
    const src = lines(
      '@allow(unused_variables, W0003)',
      'func quiet() { var x = 1  let y = 2 }',
      '@allow(unused_varaibles)',
      'func loud() { let z = 3 }',
      'func main() { quiet()  loud() }',
    );
    expect(check(src).map((r) => r.split('\n').slice(0, 2).join(' '))).toEqual([
      'warning[W0009]: unknown warning in `@allow`   --> main.tml:3:8',
      'warning[W0001]: unused variable: `z`   --> main.tml:4:19',
    ]);
  });
});

describe('the warning codes', () => {
  it('each example triggers exactly its own warning', () => {
    for (const [code, w] of Object.entries(WARNING_CODES)) {
      expect([code, codes(check(w.example))]).toEqual([code, [code]]);
    }
  });

  it('a program using the standard library heavily gets no warning from it', () => {
    const src = lines('func main() {', '    var m = HashMap[Str, I32]::new()', '    m.insert("a", 1)', '    let xs = [3, 1, 2]', '    println("{m.len()} {xs.len()}")', '}');
    expect(check(src)).toEqual([]);
  });
});
