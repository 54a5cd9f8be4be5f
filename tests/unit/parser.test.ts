import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseModule } from '../../compiler/src/syntax/parser.js';
import { SourceFile } from '../../compiler/src/syntax/source.js';
import { DiagnosticBag } from '../../compiler/src/syntax/diagnostics.js';
import { printExpr, printItemHeader, printPattern, printStmt, printType } from '../../compiler/src/syntax/ast_print.js';
import type { Expr, FuncDecl, Item, Module } from '../../compiler/src/syntax/ast.js';

function parse(src: string, path = 't.tml'): { module: Module; diags: DiagnosticBag; file: SourceFile } {
  const file = new SourceFile(path, src);
  const diags = new DiagnosticBag();
  return { module: parseModule(file, diags), diags, file };
}

/** Each diagnostic as `CODE line:col message`. */
function errorsOf(src: string): string[] {
  const { diags, file } = parse(src);
  return diags.items.map((d) => {
    const p = file.position(d.span.start);
    return `${d.code} ${p.line}:${p.col} ${d.message}`;
  });
}

function parseOk(src: string): Module {
  const { module, diags, file } = parse(src);
  const shown = diags.items.map((d) => `${d.code} ${JSON.stringify(file.position(d.span.start))} ${d.message}`);
  expect(shown).toEqual([]);
  return module;
}

/** The statements of `func main() { SRC }`, printed, the tail last. */
function body(src: string): string[] {
  const fn = parseOk(`func main() {\n${src}\n}`).items[0] as FuncDecl;
  const out = fn.body!.stmts.map(printStmt);
  if (fn.body!.tail !== null) out.push(printExpr(fn.body!.tail));
  return out;
}

/** One expression statement, printed. */
function expr(src: string): string {
  const stmts = body(src);
  expect(stmts).toHaveLength(1);
  return stmts[0]!;
}

function item(src: string): Item {
  const items = parseOk(src).items;
  expect(items).toHaveLength(1);
  return items[0]!;
}

describe('parser: precedence', () => {
  it('follows the precedence table of LANGUAGE.md §5', () => {
    expect(expr('1 + 2 * 3')).toBe('(+ 1 (* 2 3))');
    expect(expr('a or b and c')).toBe('(or a (and b c))');
    expect(expr('a == b or c < d')).toBe('(or (== a b) (< c d))');
    expect(expr('a | b ^ c & d')).toBe('(| a (^ b (& c d)))');
    expect(expr('a & b << 2')).toBe('(& a (<< b 2))');
    expect(expr('1 << 2 + 3')).toBe('(<< 1 (+ 2 3))');
    expect(expr('a xor b shl c shr d')).toBe('(^ a (>> (<< b c) d))');
    expect(expr('a - b - c')).toBe('(- (- a b) c)');
    expect(expr('x * y as I64')).toBe('(* x (as y I64))');
    expect(expr('a as I64 * 2')).toBe('(* (as a I64) 2)');
    expect(expr('d is Dog and ok')).toBe('(and (is d Dog) ok)');
    expect(expr('-x.abs()')).toBe('(neg (method x abs))');
    expect(expr('-1')).toBe('(neg 1)');
    expect(expr('not not a')).toBe('(not (not a))');
    expect(expr('a || b && !c')).toBe('(or a (and b (not c)))');
    expect(expr('~x & *p')).toBe('(& (~ x) (deref p))');
    expect(expr('f(ref a, mut ref b)')).toBe('(call f (ref a) (mutref b))');
  });

  it('binds ranges tighter than every binary operator (the traps)', () => {
    expect(expr('not a == b')).toBe('(== (not a) b)');
    expect(expr('0 to n + 1')).toBe('(+ (to 0 n) 1)');
    expect(expr('0 to (n + 1)')).toBe('(to 0 (+ n 1))');
    expect(expr('0 to s.len()')).toBe('(to 0 (method s len))');
    expect(expr('1 through -n')).toBe('(through 1 (neg n))');
    expect(expr('not (a == b)')).toBe('(not (== a b))');
  });

  it('makes assignment right-associative and the ternary bind between assignment and `or`', () => {
    expect(expr('x = y = 3')).toBe('(= x (= y 3))');
    expect(expr('x += a or b')).toBe('(+= x (or a b))');
    expect(expr('a = b ? c : d')).toBe('(= a (? b c d))');
    expect(expr('a or b ? c : d ? e : f')).toBe('(? (or a b) c (? d e f))');
    expect(expr('p.x <<= 2')).toBe('(<<= (field p x) 2)');
  });

  it('rejects chained comparisons', () => {
    expect(errorsOf('func f() { a < b < c }')).toEqual(['E0016 1:18 comparison operators cannot be chained']);
  });

  it('parses postfix operators', () => {
    expect(expr('a.b(c).d[e]!')).toBe('(try (index (field (method a b c) d) e))');
    expect(expr('t.0.1')).toBe('(field (field t 0) 1)');
    expect(expr('f(x)(y)')).toBe('(call (call f x) y)');
    expect(expr('parse(s)! + 1')).toBe('(+ (try (call parse s)) 1)');
    expect(expr('!ok')).toBe('(not ok)');
    expect(expr('x.await')).toBe('(await x)');
  });
});

describe('parser: the `Name[` rule', () => {
  it('reads type arguments before `::` and `(`', () => {
    expect(expr('List[I32]::new()')).toBe('(call List[I32]::new)');
    expect(expr('identity[I32](42)')).toBe('(call identity[I32] 42)');
    expect(expr('size_of[T]()')).toBe('(call size_of[T])');
    expect(expr('HashMap[Str, I32]::new()')).toBe('(call HashMap[Str, I32]::new)');
    expect(expr('channel[T](4)')).toBe('(call channel[T] 4)');
    expect(expr('type_name[List[Heap[T]]]()')).toBe('(call type_name[List[Heap[T]]])');
    expect(expr('xs.collect[List[I32]]()')).toBe('(method xs collect[List[I32]])');
  });

  it('reads an index otherwise', () => {
    expect(expr('arr[i]')).toBe('(index arr i)');
    expect(expr('arr[N]')).toBe('(index arr N)');
    expect(expr('arr[0] + arr[i + 1]')).toBe('(+ (index arr 0) (index arr (+ i 1)))');
    expect(expr('handlers[i](x)')).toBe('(call (index handlers i) x)');
    expect(expr('grid[r][c]')).toBe('(index (index grid r) c)');
    expect(expr('obj.items[0]')).toBe('(index (field obj items) 0)');
    expect(body('let x = arr[N]\n(f)()')).toEqual(['(let x = (index arr N))', '(call f)']);
  });
});

describe('parser: newlines', () => {
  it('ends statements at newlines', () => {
    expect(body('let a = 1\nlet b = 2\nf(a)')).toEqual(['(let a = 1)', '(let b = 2)', '(call f a)']);
  });

  it('continues after a trailing binary operator or before a leading infix operator or `.`', () => {
    expect(body('let s = "x" +\n   "y"')).toEqual(['(let s = (+ "x" "y"))']);
    expect(body('let g = p\n  or q\n  and r')).toEqual(['(let g = (or p (and q r)))']);
    expect(body('let k = a\n  - b')).toEqual(['(let k = (- a b))']);
    expect(body('let n = x\n  as I64')).toEqual(['(let n = (as x I64))']);
    expect(body('let r = 0\n  to 10')).toEqual(['(let r = (to 0 10))']);
    expect(body('let v = list\n    .iter()\n    .count()')).toEqual(['(let v = (method (method list iter) count))']);
    expect(body('let t = c\n  ? a\n  : b')).toEqual(['(let t = (? c a b))']);
  });

  it('starts a new statement at a line beginning with `*`, `(`, `[` or `!`', () => {
    expect(body('let b = x\n*r = 3')).toEqual(['(let b = x)', '(= (deref r) 3)']);
    expect(body('let c = y\n(z)')).toEqual(['(let c = y)', 'z']);
    expect(body('let d = w\n[1, 2]')).toEqual(['(let d = w)', '[1 2]']);
    expect(body('let e = v\n!done')).toEqual(['(let e = v)', '(not done)']);
    expect(body('g()\n(h)()')).toEqual(['(call g)', '(call h)']);
  });

  it('ignores newlines inside parentheses, brackets and struct literals', () => {
    expect(body('f(a,\n  b\n)')).toEqual(['(call f a b)']);
    expect(body('let xs = [\n  1,\n  2\n]')).toEqual(['(let xs = [1 2])']);
    expect(body('let p = Point {\n  x: 1\n  y: 2\n}')).toEqual(['(let p = (struct Point (x 1) (y 2)))']);
    expect(body('let s = (a\n  * b)')).toEqual(['(let s = (* a b))']);
  });

  it('ends a statement on one line where the next token cannot continue it', () => {
    expect(body('total += v  received += 1')).toEqual(['(+= total v)', '(+= received 1)']);
    expect(body('total += v; received += 1')).toEqual(['(+= total v);', '(+= received 1)']);
    expect(body('let a = [1, 2, 3]  let i = 5  let x = a[i]')).toEqual(['(let a = [1 2 3])', '(let i = 5)', '(let x = (index a i))']);
  });

  it('ends block-like statements at their closing brace', () => {
    expect(body('if c { 1 } else { 2 }\n-1')).toEqual(['(if c {1} {2})', '(neg 1)']);
    expect(body('when x { _ => 1 }.foo()')).toEqual(['(method (when x (arm _ 1)) foo)']);
    expect(body('when x { _ => 1 }\n  .foo()')).toEqual(['(method (when x (arm _ 1)) foo)']);
    expect(body('if c { a } else { b } + 1')).toEqual(['(+ (if c {a} {b}) 1)']);
    expect(body('for i in xs { }\n(a)')).toEqual(['(for i xs {})', 'a']);
  });

  it('takes the value of `return` and `break` only from the same line', () => {
    expect(body('return\nx')).toEqual(['(return)', 'x']);
    expect(body('return x + 1')).toEqual(['(return (+ x 1))']);
    expect(body('loop { if k > 10 then break }')).toEqual(['(loop {(if (> k 10) (break))})']);
  });
});

describe('parser: control flow', () => {
  it('parses both forms of `if`', () => {
    expect(expr('if x > 5 then 1 else 0')).toBe('(if (> x 5) 1 0)');
    expect(expr('if done then count += 1')).toBe('(if done (+= count 1))');
    expect(expr('if x > 5 { big() } else if x > 0 { mid() } else { small() }')).toBe('(if (> x 5) {(call big)} (if (> x 0) {(call mid)} {(call small)}))');
    expect(expr('if c {\n  a\n}\nelse {\n  b\n}')).toBe('(if c {a} {b})');
    expect(expr('if let Just(v) = m { use(v) } else { none() }')).toBe('(if-let Just(v) m {(call use v)} {(call none)})');
    expect(body('let ax = if this.x < 0 then -this.x else this.x')).toEqual(['(let ax = (if (< (field this x) 0) (neg (field this x)) (field this x)))']);
  });

  it('does not read `Name {` as a struct literal in a control-flow head', () => {
    expect(expr('if a > b { a } else { b }')).toBe('(if (> a b) {a} {b})');
    expect(expr('if x == (Point { x: 1 }) { y }')).toBe('(if (== x (struct Point (x 1))) {y})');
    expect(expr('while running { step() }')).toBe('(while running {(call step)})');
    expect(expr('for p in points { show(p) }')).toBe('(for p points {(call show p)})');
    expect(expr('when shape { Circle(r) => r }')).toBe('(when shape (arm Circle(r) r))');
    expect(expr('if ok { Point { x: 1 } } else { Point { x } }')).toBe('(if ok {(struct Point (x 1))} {(struct Point (x x))})');
  });

  it('parses `when` arms with optional commas, guards and every pattern form', () => {
    const src = `when v {
      0 => "zero",
      1 through 9 => "digit",
      -5 to -1 => "negative",
      'a' | 'e' => "vowel"
      (a, _) if a > 0 => "pair"
      [first, ..rest] => "array"
      Shape::Rect(w, h) => "rect"
      Point { x, y: py, .. } => "point"
      Color::Red => "red"
      mut n => "bound"
      _ => { total += 1; "block" }
    }`;
    expect(expr(src)).toBe(
      '(when v (arm 0 "zero") (arm 1 through 9 "digit") (arm -5 to -1 "negative") (arm \'a\' | \'e\' "vowel") ' +
        '(arm (a, _) if (> a 0) "pair") (arm [first, ..rest] "array") (arm Shape::Rect(w, h) "rect") ' +
        '(arm Point { x, y: py, .. } "point") (arm Color::Red "red") (arm mut n "bound") (arm _ {(+= total 1); "block"}))',
    );
  });

  it('parses the loop forms', () => {
    expect(expr('loop { k += 3 }')).toBe('(loop {(+= k 3)})');
    expect(expr('loop (i < 10) { i += 1 }')).toBe('(loop (< i 10) {(+= i 1)})');
    expect(expr('loop (var i: I32 < 5) { i += 1 }')).toBe('(loop (var i: I32) (< i 5) {(+= i 1)})');
    expect(expr('while n > 0 { n -= 1 }')).toBe('(while (> n 0) {(-= n 1)})');
    expect(expr('for i in 0 to 10 { }')).toBe('(for i (to 0 10) {})');
    expect(expr('for (k, v) in ref map { }')).toBe('(for (k, v) (ref map) {})');
  });

  it('parses closures', () => {
    expect(expr('apply(do(x) x * 2, 5)')).toBe('(call apply (do (x) (* x 2)) 5)');
    expect(expr('do(x: I32) -> I32 { x + 1 }')).toBe('(do (x: I32) -> I32 {(+ x 1)})');
    expect(expr('move do() { println(name) }')).toBe('(move-do () {(call println name)})');
    expect(body('let g = do(x) x * factor\ng(2)')).toEqual(['(let g = (do (x) (* x factor)))', '(call g 2)']);
  });
});

describe('parser: statements and literals', () => {
  it('parses every `let` form and `defer`', () => {
    expect(body('let x: I32 = 42')).toEqual(['(let x: I32 = 42)']);
    expect(body('let mut z = 0')).toEqual(['(var z = 0)']);
    expect(body('var z = 0')).toEqual(['(var z = 0)']);
    expect(body('let (a, b) = pair')).toEqual(['(let (a, b) = pair)']);
    expect(body('let Just(v) = m else { return 0 }')).toEqual(['(let Just(v) = m else {(return 0)})']);
    expect(body('let w: I32')).toEqual(['(let w: I32)']);
    expect(body('defer println("bye")')).toEqual(['(defer (call println "bye"))']);
  });

  it('makes the last expression without `;` the block tail', () => {
    const fn = parseOk('func f() -> I32 { let a = 1\n a + 1 }').items[0] as FuncDecl;
    expect(fn.body!.stmts.map(printStmt)).toEqual(['(let a = 1)']);
    expect(printExpr(fn.body!.tail!)).toBe('(+ a 1)');
    const semi = parseOk('func f() { g(); }').items[0] as FuncDecl;
    expect(semi.body!.tail).toBeNull();
  });

  it('parses literals, tuples, arrays and struct literals', () => {
    expect(expr('(1, "a", \'c\', 2.5, true, null, ())')).toBe('(tuple 1 "a" \'c\' 2.5 true null ())');
    expect(expr('(x,)')).toBe('(tuple x)');
    expect(expr('[0; 64]')).toBe('[0; 64]');
    expect(expr('[]')).toBe('[]');
    expect(expr('Point { x: 5, ..p }')).toBe('(struct Point (x 5) (.. p))');
    expect(expr('Point { x, y }')).toBe('(struct Point (x x) (y y))');
    expect(expr('Pair[I32] { first: 1, second: 2 }')).toBe('(struct Pair[I32] (first 1) (second 2))');
    expect(expr('Empty {}')).toBe('(struct Empty)');
    expect(expr('lowlevel { let p: *I32 = &x  p.write(p.read() + 1) }')).toBe('(lowlevel {(let p: *I32 = (addr x)) (method p write (+ (method p read) 1))})');
    expect(expr('255u8 + 500_i64')).toBe('(+ 255u8 500i64)');
  });

  it('parses interpolated strings with spans that point into the file', () => {
    const src = 'func f() { "sum = {a + b}, {this.x}" }';
    const fn = parseOk(src).items[0] as FuncDecl;
    const tail = fn.body!.tail!;
    expect(printExpr(tail)).toBe('(interp "sum = " (+ a b) ", " (field this x))');
    if (tail.kind !== 'InterpStr') throw new Error('expected InterpStr');
    const spans = tail.parts.flatMap((p) => (p.kind === 'expr' ? [src.slice(p.expr.span.start, p.expr.span.end)] : []));
    expect(spans).toEqual(['a + b', 'this.x']);
    const sum = tail.parts[1]!;
    if (sum.kind !== 'expr' || sum.expr.kind !== 'Binary') throw new Error('expected Binary');
    expect(src.slice(sum.expr.right.span.start, sum.expr.right.span.end)).toBe('b');
  });

  it('reports a syntax error inside an interpolation at its place in the file', () => {
    expect(errorsOf('func f() { "x = {a +}" }')).toEqual(['E0010 1:21 expected expression, found end of file']);
    expect(errorsOf('func f() { "x = {a b}" }')).toEqual(['E0020 1:20 unexpected `b` in interpolation']);
  });
});

describe('parser: items', () => {
  it('parses functions with generics, bounds, where clauses and receivers', () => {
    const f = item('pub func total[C, T: Ord + Display](c: ref C, mut n: I32) -> I64 where C: Container { c.sum() }') as FuncDecl;
    expect(f.isPub).toBe(true);
    expect(f.typeParams.map((t) => `${t.name}:${t.bounds.map(printType).join('+')}`)).toEqual(['C:', 'T:Ord+Display']);
    expect(f.params.map((p) => `${printPattern(p.pattern)}: ${printType(p.type)}`)).toEqual(['c: ref C', 'mut n: I32']);
    expect(printType(f.ret!)).toBe('I64');
    expect(f.where.map((w) => `${printType(w.type)}: ${w.bounds.map(printType).join('+')}`)).toEqual(['C: Container']);
    const recv = (src: string): unknown => (item(`impl P { ${src} }`) as Extract<Item, { kind: 'Impl' }>).methods[0]!.receiver;
    expect(recv('func a(this) {}')).toMatchObject({ mutable: false });
    expect(recv('func a(mut this, d: I32) {}')).toMatchObject({ mutable: true });
    expect(recv('func a(this: mut ref This) {}')).toMatchObject({ mutable: true });
    expect(recv('func a(this: ref This) {}')).toMatchObject({ mutable: false });
    expect(recv('func a(x: I32) {}')).toBeNull();
  });

  it('parses associated constants in impls', () => {
    const i = item('impl I32 { pub const MAX: I32 = 2147483647\n const ZERO: I32 = 0  func f(this) {} }') as Extract<Item, { kind: 'Impl' }>;
    expect(i.consts.map((c) => `${c.isPub ? 'pub ' : ''}${c.name}: ${printType(c.type)}`)).toEqual(['pub MAX: I32', 'ZERO: I32']);
    expect(i.methods.map((m) => m.name)).toEqual(['f']);
  });

  it('parses external functions and attributes', () => {
    const strlen = item('lowlevel func strlen(s: *U8) -> I64') as FuncDecl;
    expect([strlen.isLowlevel, strlen.body]).toEqual([true, null]);
    const puts = item('@extern("puts") func c_puts(s: *U8) -> I32') as FuncDecl;
    expect(puts.attrs.map((a) => [a.name, a.args.map(printExpr)])).toEqual([['extern', ['"puts"']]]);
    const test = item('@test\n@should_panic(expected = "boom")\nfunc t() { panic("boom") }') as FuncDecl;
    expect(test.attrs.map((a) => [a.name, a.args.map(printExpr)])).toEqual([['test', []], ['should_panic', ['(= expected "boom")']]]);
    const derive = item('@derive(Eq, Display) type P { x: I32 }');
    expect(derive.kind === 'Struct' && derive.attrs.map((a) => a.args.map(printExpr))).toEqual([['Eq', 'Display']]);
    const pool = item('@pool(thread_local) class Particle { x: F64  y: F64 }');
    expect(pool.kind === 'Class' && pool.attrs.map((a) => [a.name, a.args.map(printExpr)])).toEqual([['pool', ['thread_local']]]);
  });

  it('tells structs, enums, sum types and aliases apart', () => {
    const kindOf = (src: string): string => {
      const it = item(src);
      if (it.kind === 'Struct') return `struct ${it.fields.map((f) => f.name + (f.default ? '=' + printExpr(f.default) : '')).join(',')}`;
      if (it.kind === 'Enum') return `enum ${it.variants.map((v) => v.name + (v.shape.kind === 'unit' ? '' : v.shape.kind === 'tuple' ? `(${v.shape.types.map(printType).join(',')})` : `{${v.shape.fields.map((f) => f.name).join(',')}}`)).join(',')}`;
      if (it.kind === 'TypeAlias') return `alias ${printType(it.type)}`;
      return it.kind;
    };
    expect(kindOf('type Point { x: I32, y: I32 }')).toBe('struct x,y');
    expect(kindOf('type Config {\n  name: Str\n  port: I32 = 8080\n}')).toBe('struct name,port=8080');
    expect(kindOf('type Color { Red, Green, Blue }')).toBe('enum Red,Green,Blue');
    expect(kindOf('type Shape { Circle(F64), Rect(F64, F64), Empty }')).toBe('enum Circle(F64),Rect(F64,F64),Empty');
    expect(kindOf('type Event { Click { x: I32, y: I32 }, Quit }')).toBe('enum Click{x,y},Quit');
    expect(kindOf('enum IntList { Cons(I32, Heap[IntList]), Nil }')).toBe('enum Cons(I32,Heap[IntList]),Nil');
    expect(kindOf('type Answer = Yes | No | Unsure')).toBe('enum Yes,No,Unsure');
    expect(kindOf('type UserId = U64')).toBe('alias U64');
    expect(kindOf('type F = func(I32) -> I32')).toBe('alias func(I32) -> I32');
    expect(kindOf('enum E {}')).toBe('enum ');
    expect(kindOf('union Bits { i: I64, f: F64 }')).toBe('Union');
  });

  it('parses behaviors, impls, classes and interfaces', () => {
    const src = `
behavior Iterator { type Item  func next(mut this) -> Maybe[This::Item] }
behavior Describe: Display + Drop {
    func describe(this) -> Str
    func shout(this) -> Str { this.describe() + "!" }
}
impl[T: Describe] Describe for Pair[T] { func describe(this) -> Str { this.first.describe() } }
impl Iterator for Counter { type Item = I32  func next(mut this) -> Maybe[I32] { Nothing } }
interface Named { func name(this) -> Str }
class Dog extends Animal implements Named, Pet {
    tricks: I32
    static count: I32 = 0
    new(name: Str, tricks: I32) : base(name) { this.tricks = tricks }
    override func speak(this) -> Str { "Woof" }
}
abstract class Shape { abstract func area(this) -> F64 }
@value class Vec2 { x: F64  y: F64 }
`;
    const items = parseOk(src).items;
    expect(items.map(printItemHeader)).toEqual([
      'behavior Iterator', 'behavior Describe', 'impl Describe for Pair[T]', 'impl Iterator for Counter', 'interface Named',
      'class Dog', 'class Shape', 'class Vec2',
    ]);
    const [iter, describe, implPair, implIter, , dog, shape] = items as [any, any, any, any, any, any, any];
    expect(iter.assocTypes.map((a: { name: string }) => a.name)).toEqual(['Item']);
    expect(printType(iter.methods[0].ret)).toBe('Maybe[This::Item]');
    expect(describe.supers.map(printType)).toEqual(['Display', 'Drop']);
    expect(describe.methods.map((m: FuncDecl) => [m.name, m.body === null])).toEqual([['describe', true], ['shout', false]]);
    expect(implPair.typeParams.map((t: { name: string }) => t.name)).toEqual(['T']);
    expect(implIter.assocTypes.map((a: { name: string; type: any }) => `${a.name}=${printType(a.type)}`)).toEqual(['Item=I32']);
    expect(printType(dog.base)).toBe('Animal');
    expect(dog.interfaces.map(printType)).toEqual(['Named', 'Pet']);
    expect(dog.fields.map((f: { name: string; isStatic: boolean }) => [f.name, f.isStatic])).toEqual([['tricks', false], ['count', true]]);
    expect(dog.constructors[0].baseArgs.map(printExpr)).toEqual(['name']);
    expect(dog.methods[0].modifiers).toEqual(['override']);
    expect([shape.isAbstract, shape.methods[0].modifiers, shape.methods[0].body]).toEqual([true, ['abstract'], null]);
  });

  it('parses `use`, `const` and `mod`', () => {
    const items = parseOk('use test\nuse core::alloc::heap::Heap\nuse a::{X, Y as Z}\nuse a::*\npub(crate) const MAX: I32 = 100\nmod inner { func g() {} }').items;
    expect(items.map((i) => (i.kind === 'Use' ? [i.path, i.items === 'glob' || i.items === null ? i.items : i.items.map((u) => [u.name, u.alias])] : [i.kind]))).toEqual([
      [['test'], null],
      [['core', 'alloc', 'heap', 'Heap'], null],
      [['a'], [['X', null], ['Y', 'Z']]],
      [['a'], 'glob'],
      ['Const'],
      ['Mod'],
    ]);
    expect(items[4]!.kind === 'Const' && items[4]!.isPub).toBe(true);
    expect(errorsOf('const MAX = 1')).toEqual(['E0018 1:7 missing type for `const` item']);
  });
});

describe('parser: error recovery', () => {
  it('reports each of three separate errors once, with its place', () => {
    const src = ['func main() {', '    let x = 1 +', '    let y = (2, 3)', '    println(x y)', '    let ok = 4', '}', 'func other() { let z = }', ''].join('\n');
    expect(errorsOf(src)).toEqual([
      'E0010 3:5 expected expression, found `let`',
      'E0011 4:15 expected `,` or `)`, found `y`',
      'E0010 7:24 expected expression, found `}`',
    ]);
  });

  it('recovers at item boundaries', () => {
    const src = 'func a( {\n}\nfunc b() -> { 1 }\ntype T { x: I32 y }\nimpl X { 5 }\nlet q = 1\nfunc ok() { }';
    expect(errorsOf(src)).toEqual([
      'E0014 1:9 expected pattern, found `{`',
      'E0013 3:13 expected type, found `{`',
      'E0011 4:17 expected `,` or `}`, found `y`',
      'E0022 5:10 expected `func`, `const` or `type` in impl, found `5`',
      'E0012 6:1 expected item, found `let`',
    ]);
    const { module } = parse(src);
    expect(module.items.map(printItemHeader)).toContain('func ok');
  });

  it('recovers inside a `when` and keeps the rest of the function', () => {
    const src = 'func f() {\n  when x {\n    1 => ,\n    2 => "two"\n  }\n  g(\n}\n';
    expect(errorsOf(src)).toEqual([
      'E0010 3:10 expected expression, found `,`',
      'E0010 7:1 expected expression, found `}`',
    ]);
  });

  it('reports an unclosed block at the end of the file', () => {
    // once, at the `{` (syntax/brace_recovery.ts), not again at the end of the file
    expect(errorsOf('func f() {\n  let x = 1\n')).toEqual(['E0017 1:10 unclosed delimiter `{`']);
  });

  it('produces Error nodes in place of bad expressions', () => {
    const { module } = parse('func f() { let x = ) }');
    const fn = module.items[0] as FuncDecl;
    const init = (fn.body!.stmts[0] as Extract<typeof fn.body.stmts[0], { kind: 'Let' }>).init as Expr;
    expect(init.kind).toBe('Error');
  });

  it('never throws or hangs, whatever the input', () => {
    const sources = readdirSync(CONFORMANCE).filter((f) => f.endsWith('.tml')).map((f) => readFileSync(new URL(f, CONFORMANCE), 'utf8'));
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const vocabulary = ['func', 'f', '(', ')', '{', '}', '[', ']', 'let', 'x', '=', '1', '+', '*', 'when', '=>', ',', 'if', 'then', 'else',
      'type', 'T', ':', '::', '.', '!', 'do', 'loop', 'for', 'in', 'to', '"s{x}"', '\n', 'class', 'impl', '@', 'return', '|', '..', ';'];
    for (let i = 0; i < 300; i++) {
      // random token soup, and conformance programs cut short or with a token deleted
      const soup = Array.from({ length: rand(60) }, () => vocabulary[rand(vocabulary.length)]).join(' ');
      const text = sources[rand(sources.length)]!;
      const cut = text.slice(0, rand(text.length));
      const at = rand(text.length);
      const hole = text.slice(0, at) + text.slice(at + 1 + rand(5));
      for (const src of [soup, cut, hole]) {
        const { module } = parse(src);
        expect(Array.isArray(module.items)).toBe(true);
      }
    }
  });
});

const CONFORMANCE = new URL('../../../shared/conformance/', import.meta.url);

describe('parser: conformance programs', () => {
  const files = readdirSync(fileURLToPath(CONFORMANCE)).filter((f) => f.endsWith('.tml'));

  it('finds the conformance programs', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  for (const name of files) {
    it(`parses ${name} with zero diagnostics`, () => {
      const { module, diags } = parse(readFileSync(new URL(name, CONFORMANCE), 'utf8'), name);
      expect(diags.items.map((d) => d.message)).toEqual([]);
      expect(module.items.length).toBeGreaterThan(0);
    });
  }
});
