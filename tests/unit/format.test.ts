// The formatter (syntax/format/): idempotent over the whole corpus, every comment kept in order, exact outputs
// for messy inputs, and parse errors reported instead of formatted. Meaning (same MIR) is format_mir.test.ts;
// the command line is format_cli.test.ts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DiagnosticBag } from '../../compiler/src/syntax/diagnostics.js';
import { formatSource } from '../../compiler/src/syntax/format/format.js';
import { tokenize, type Comment } from '../../compiler/src/syntax/lexer.js';
import { SourceFile } from '../../compiler/src/syntax/source.js';
import { corpusFiles } from './format/corpus.js';

function commentsOf(text: string): string[] {
  const comments: Comment[] = [];
  tokenize(new SourceFile('x.tml', text), new DiagnosticBag(), comments);
  return comments.map((c) => c.text.trimEnd());
}

function format(text: string): string {
  const r = formatSource(text, 'input.tml');
  if ('diagnostics' in r) throw new Error('parse errors: ' + r.diagnostics.map((d) => d.message).join('; '));
  return r.text;
}

describe('the corpus', () => {
  it('formats every parseable file idempotently, keeping every comment in order, printing every item', () => {
    let parsed = 0;
    let changed = 0;
    const problems: string[] = [];
    for (const file of corpusFiles()) {
      const text = readFileSync(file, 'utf8');
      const once = formatSource(text, file);
      if ('diagnostics' in once) continue; // the parse-error tests
      parsed++;
      if (once.text !== text) changed++;
      if (once.verbatimItems > 0) problems.push(`${file}: ${once.verbatimItems} item(s) written as they were`);
      const twice = formatSource(once.text, file);
      if ('diagnostics' in twice) problems.push(`${file}: the formatted text does not parse`);
      else if (twice.text !== once.text) problems.push(`${file}: formatting twice changes the text`);
      if (commentsOf(once.text).join('\n') !== commentsOf(text).join('\n')) problems.push(`${file}: comments changed`);
    }
    expect(problems).toEqual([]);
    expect(parsed).toBeGreaterThan(800);
    console.log(`tmlc fmt would change ${changed} of ${parsed} corpus files`);
  });
});

describe('comments', () => {
  it('keeps line, block, trailing and dangling comments in place', () => {
    const input = [
      '// file header',
      '',
      '/* block',
      '   comment */',
      'func f(x: I32) -> I32 { // after the brace',
      '    // before a statement',
      '    let y = x + 1 // trailing',
      '    /* between */',
      '    y',
      '    // dangling at the end of the block',
      '}',
      '',
      '',
      '',
      'type Shape {',
      '    // a leading comment of a variant',
      '    Circle(F64), // trailing, after the comma',
      '    Square(F64)',
      '    // last',
      '}',
      '// end of file',
      '',
    ].join('\n');
    expect(format(input)).toBe(
      [
        '// file header',
        '',
        '/* block',
        '   comment */',
        'func f(x: I32) -> I32 {',
        '    // after the brace',
        '    // before a statement',
        '    let y = x + 1 // trailing',
        '    /* between */',
        '    y',
        '    // dangling at the end of the block',
        '}',
        '',
        'type Shape {',
        '    // a leading comment of a variant',
        '    Circle(F64), // trailing, after the comma',
        '    Square(F64),',
        '    // last',
        '}',
        '// end of file',
        '',
      ].join('\n'),
    );
  });

  it('writes a statement holding a comment inside an expression as it was, re-indented', () => {
    const input = 'func main() {\n  let x = foo(1, /* the count */ 2,\n      3)\n  println("{x}")\n}\n';
    expect(format(input)).toBe('func main() {\n    let x = foo(1, /* the count */ 2,\n        3)\n    println("{x}")\n}\n');
  });
});

describe('exact outputs', () => {
  const cases: [string, string, string][] = [
    [
      'spacing, indentation, blank lines',
      'func   add( a:I32,b : I32 )->I32{\n\n\n  a+b\n\n}\nfunc main(){\nlet  x=add(1,2)\n\n\n\nprintln("{x}")\n}\n',
      'func add(a: I32, b: I32) -> I32 {\n    a + b\n}\nfunc main() {\n    let x = add(1, 2)\n\n    println("{x}")\n}\n',
    ],
    [
      'parentheses: needed ones added, written ones kept, operators spelled as written',
      'func f(a: I64, b: I64, c: Bool) -> I64 {\n    let m = (a & 0xff) | (b shl 2)\n    if c && not (a == b) { return (a + b) * 2 }\n    m\n}\n',
      'func f(a: I64, b: I64, c: Bool) -> I64 {\n    let m = (a & 0xff) | (b shl 2)\n    if c && not (a == b) { return (a + b) * 2 }\n    m\n}\n',
    ],
    [
      'when arms, guards, `if … then … else`, closures',
      'func g(v: Maybe[I32]) -> I32 {\n  when v {\n    Just(x) if x>0=>x*2,\n    Just(x)=>{ let y=x\n y },\n    Nothing=>if true then 1 else 2\n  }\n}\nfunc h(xs: List[I32]) -> I32 { xs.iter().map(do(x) x+1).fold(0, do(a: I32, b: I32) a+b) }\n',
      'func g(v: Maybe[I32]) -> I32 {\n    when v {\n        Just(x) if x > 0 => x * 2,\n        Just(x) => {\n            let y = x\n            y\n        },\n        Nothing => if true then 1 else 2\n    }\n}\nfunc h(xs: List[I32]) -> I32 { xs.iter().map(do(x) x + 1).fold(0, do(a: I32, b: I32) a + b) }\n',
    ],
    [
      'a call too long for one line breaks one argument per line with a trailing comma',
      'func main() {\n    let total = compute_the_total_of_everything(first_argument_value, second_argument_value, third_argument)\n}\n',
      'func main() {\n    let total = compute_the_total_of_everything(\n        first_argument_value,\n        second_argument_value,\n        third_argument,\n    )\n}\n',
    ],
    [
      'a method chain too long for one line has one call per line',
      'func main() {\n    let total = numbers.iter().filter(do(x) x % 2 == 0).map(do(x) x * x).fold(0, do(a: I64, b: I64) a + b)\n    let short = a.b().c()\n}\n',
      'func main() {\n    let total = numbers\n        .iter()\n        .filter(do(x) x % 2 == 0)\n        .map(do(x) x * x)\n        .fold(0, do(a: I64, b: I64) a + b)\n    let short = a.b().c()\n}\n',
    ],
    [
      'types, structs, enums, impls, classes, attributes',
      '@derive(Eq)\npub type Point{x:I32,y:I32}\ntype Color=Red|Green|Blue\ntype Tree[T]{Leaf,Node(Heap[Tree[T]],T)}\nimpl Point{\n  pub func norm(this)->I32{this.x*this.x+this.y*this.y}\n\n\n  func zero()->Point{Point{x:0,y:0}}\n}\nclass Counter extends Base implements Show{\n  count: I32 = 0\n  new(start:I32) : base() { this.count=start }\n  virtual func show(this)->Str{ "{this.count}" }\n}\nuse core::collections::{List,HashMap as Map}\nconst LIMIT:I64=1_000\n',
      '@derive(Eq)\npub type Point { x: I32, y: I32 }\ntype Color = Red | Green | Blue\ntype Tree[T] { Leaf, Node(Heap[Tree[T]], T) }\nimpl Point {\n    pub func norm(this) -> I32 { this.x * this.x + this.y * this.y }\n\n    func zero() -> Point { Point { x: 0, y: 0 } }\n}\nclass Counter extends Base implements Show {\n    count: I32 = 0\n    new(start: I32) : base() { this.count = start }\n    virtual func show(this) -> Str { "{this.count}" }\n}\nuse core::collections::{List, HashMap as Map}\nconst LIMIT: I64 = 1_000\n',
    ],
    [
      'loops, let-else, ranges, casts, semicolons',
      'func main() {\n    var i = 0;\n    loop (var k: I32 < 10) { i += k; }\n    for j in 0 to (i - 1) { println("{j}") }\n    while i>0 { i -= 1 }\n    let Just(v) = first() else { return }\n    let w = -v as I64;\n    defer println("bye");\n}\n',
      'func main() {\n    var i = 0\n    loop (var k: I32 < 10) { i += k; }\n    for j in 0 to (i - 1) { println("{j}") }\n    while i > 0 { i -= 1 }\n    let Just(v) = first() else { return }\n    let w = -v as I64\n    defer println("bye")\n}\n',
    ],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => {
      expect(format(input)).toBe(expected);
      expect(format(expected)).toBe(expected);
    });
  }

  it('behaviors, interfaces, modules, unions, patterns, tuples, ternaries, closures, prefix operators', () => {
    const input = "pub(crate) func hidden() {}\nbehavior Shape: Display+Eq { type Unit: Eq\n func area(this)->F64\n func name(this)->Str { \"shape\" } }\ninterface Named extends A, B { func name(this) -> Str }\nmod inner { pub const X: I32 = 1\n func f() {} }\nunion Bits { i: I64, f: F64 }\nfunc edge(p: Point, xs: [I32; 4], m: Maybe[(I32, Str)]) -> Outcome[I32, Str] {\n  if let Just((n, s)) = m { println(s) } else if p.x > 0 { return Ok(1) } else { }\n  let t = (1, \"a\",)\n  let one = (5,)\n  let arr = [0; 16]\n  let c = p.x > 0 ? xs[0] : xs[1]\n  let v = parse(s)!\n  let f = move do(a: I32) -> I32 { a + t.0 }\n  let ok = shape is Circle\n  when p { Point { x: 0, y } => y, Point { x, .. } => x }\n  lowlevel { let q = ptr.offset(2) }\n  let r = 1 through 9\n  var w = -(-3)\n  w = -w - -w\n  Ok(t.0)\n}\n";
    const r = formatSource(input, 'edge.tml');
    expect(r).toEqual({ text: "pub(crate) func hidden() {}\nbehavior Shape: Display + Eq {\n    type Unit: Eq\n    func area(this) -> F64\n    func name(this) -> Str { \"shape\" }\n}\ninterface Named extends A, B { func name(this) -> Str }\nmod inner {\n    pub const X: I32 = 1\n    func f() {}\n}\nunion Bits { i: I64, f: F64 }\nfunc edge(p: Point, xs: [I32; 4], m: Maybe[(I32, Str)]) -> Outcome[I32, Str] {\n    if let Just((n, s)) = m { println(s) } else if p.x > 0 { return Ok(1) } else { }\n    let t = (1, \"a\")\n    let one = (5,)\n    let arr = [0; 16]\n    let c = p.x > 0 ? xs[0] : xs[1]\n    let v = parse(s)!\n    let f = move do(a: I32) -> I32 { a + t.0 }\n    let ok = shape is Circle\n    when p { Point { x: 0, y } => y, Point { x, .. } => x }\n    lowlevel { let q = ptr.offset(2) }\n    let r = 1 through 9\n    var w = -(-3)\n    w = -w - -w\n    Ok(t.0)\n}\n", verbatimItems: 1 });
  });

  it('writes an item it cannot print exactly (`pub(crate)` is read as `pub`) as it was', () => {
    const input = 'pub(crate)   func hidden( ) {}\nfunc  shown( ) {}\n';
    expect(formatSource(input, 'x.tml')).toEqual({ text: 'pub(crate)   func hidden( ) {}\nfunc shown() {}\n', verbatimItems: 1 });
  });

  it('writes an item whose chain is too deep to print as it was (no crash), and formats the others', () => {
    const input = 'func main() {\n    let x = ' + Array(20_000).fill('1').join(' + ') + '\n}\nfunc  g( ) {}\n';
    expect(formatSource(input, 'deep.tml')).toEqual({ text: input.replace('func  g( ) {}', 'func g() {}'), verbatimItems: 1 });
  });

  it('keeps a `#!` line and a file without items', () => {
    expect(format('#!/usr/bin/env tmlc\nfunc main() {}\n')).toBe('#!/usr/bin/env tmlc\nfunc main() {}\n');
    expect(format('// only a comment\n')).toBe('// only a comment\n');
    expect(format('\n\n')).toBe('');
  });
});

describe('parse errors', () => {
  it('returns the diagnostics instead of a text', () => {
    const r = formatSource('func main( {\n', 'bad.tml');
    expect('diagnostics' in r && r.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual(['E0017 unclosed delimiter `{`', 'E0014 expected pattern, found `{`']);
  });
  it('formats the nearest valid file', () => {
    expect(format('func main( ) {\n}\n')).toBe('func main() {}\n');
  });
});
