// Help in diagnostics (issue 15): each rejected program's diagnostics, rendered in full, next to its accepted
// neighbour — the program as the help says to write it, which must check without a single diagnostic (the same
// neighbours are built and run in tests/programs/run/help_neighbours.tml). Similar names (sema/suggest.ts), keywords
// used as names (syntax/keyword_names.ts), definition sites, `if` without `else`, Rust habits
// (syntax/rust_habits.ts) and unclosed braces (syntax/brace_recovery.ts); and the suggestions in the JSON output.
import * as fs from 'node:fs';
import * as path from 'node:path';
import tmp from 'tmp';
import { afterAll, describe, expect, it } from 'vitest';
import { runFrontEnd } from '../../compiler/src/driver/frontend.js';
import { editDistance, similarName } from '../../compiler/src/sema/suggest.js';
import { diagnosticToJson, renderDiagnostic } from '../../compiler/src/syntax/render.js';

const dir = tmp.dirSync({ prefix: 'tmlc-help-', unsafeCleanup: true });
afterAll(() => dir.removeCallback());

/** Checks `lines` as the program NAME.tml: its diagnostics, rendered as `tmlc check` prints them, and as JSON. */
function check(name: string, lines: readonly string[]) {
  const file = path.join(dir.name, `${name}.tml`);
  fs.writeFileSync(file, lines.join('\n') + '\n');
  const r = runFrontEnd(file, { tests: false, overflowChecks: true, checkOnly: true });
  const text = r.diagnostics.map((d) => renderDiagnostic(d, r.sources)).join('').replaceAll(dir.name + path.sep, '');
  const json = r.diagnostics.map((d) => diagnosticToJson(d, r.sources));
  return { text, json, count: r.diagnostics.length };
}

interface Case {
  /** the program that is rejected */
  readonly bad: readonly string[];
  /** its accepted neighbour */
  readonly good: readonly string[];
  /** the full diagnostics of `bad`, as `tmlc check` prints them before its summary line */
  readonly expected: readonly string[];
}

const CASES: Record<string, Case> = {
  brace_missing: {
    bad: [
      'func clamp(x: I32) -> I32 {',
      '    if x > 10 {',
      '        return 10',
      '',
      '    x',
      '}',
      '',
      'func main() {',
      '    println("{}", clamp(12))',
      '}',
    ],
    good: [
      'func clamp(x: I32) -> I32 {',
      '    if x > 10 {',
      '        return 10',
      '    }',
      '    x',
      '}',
      '',
      'func main() {',
      '    println("{}", clamp(12))',
      '}',
    ],
    expected: [
      'error[E0017]: unclosed delimiter `{`',
      '  --> brace_missing.tml:2:15',
      '   |',
      ' 2 |     if x > 10 {',
      '   |               ^ this `{` is never closed',
      ' 6 | }',
      '   | - this `}` lines up with an earlier `{`, so it closes that one',
      '   |',
      '   = help: add the missing `}` before line 5',
      '',
    ],
  },
  brace_missing_two: {
    bad: [
      'type P {',
      '    x: I32,',
      '    y: I32,',
      '',
      'func main() {',
      '    let p = P { x: 1, y: 2 }',
      '    when p.x {',
      '        1 => println("one"),',
      '        _ => println("other"),',
      '',
      '    println("{}", p.y)',
      '}',
    ],
    good: [
      'type P {',
      '    x: I32,',
      '    y: I32,',
      '}',
      '',
      'func main() {',
      '    let p = P { x: 1, y: 2 }',
      '    when p.x {',
      '        1 => println("one"),',
      '        _ => println("other"),',
      '    }',
      '    println("{}", p.y)',
      '}',
    ],
    expected: [
      'error[E0017]: unclosed delimiter `{`',
      '   --> brace_missing_two.tml:1:8',
      '    |',
      '  1 | type P {',
      '    |        ^ this `{` is never closed',
      ' 13 |',
      '    | - the file ends here',
      '    |',
      '    = help: add the missing `}` before line 5',
      '',
      'error[E0017]: unclosed delimiter `{`',
      '   --> brace_missing_two.tml:7:14',
      '    |',
      '  7 |     when p.x {',
      '    |              ^ this `{` is never closed',
      ' 12 | }',
      '    | - this `}` lines up with an earlier `{`, so it closes that one',
      '    |',
      '    = help: add the missing `}` before line 11',
      '',
    ],
  },
  brace_missing_eof: {
    bad: [
      'func main() {',
      '    println("hi")',
    ],
    good: [
      'func main() {',
      '    println("hi")',
      '}',
    ],
    expected: [
      'error[E0017]: unclosed delimiter `{`',
      '  --> brace_missing_eof.tml:1:13',
      '   |',
      ' 1 | func main() {',
      '   |             ^ this `{` is never closed',
      ' 3 |',
      '   | - the file ends here',
      '   |',
      '   = help: add the missing `}` at the end of the file',
      '',
    ],
  },
  if_without_else: {
    bad: [
      'func sign(x: I32) -> Str {',
      '    if x < 0 { "negative" }',
      '}',
      '',
      'func main() {',
      '    println(sign(-1))',
      '}',
    ],
    good: [
      'func sign(x: I32) -> Str {',
      '    if x < 0 { "negative" } else { "not negative" }',
      '}',
      '',
      'func main() {',
      '    println(sign(-1))',
      '}',
    ],
    expected: [
      'error[E0317]: `if` may be missing an `else` clause',
      '  --> if_without_else.tml:2:14',
      '   |',
      ' 2 |     if x < 0 { "negative" }',
      '   |              ^^^^^^^^^^^^^^ expected `Unit`, found `Str`',
      '   |',
      '   = help: the `if` needs an `else` branch that gives a `Str` too: without one, its value is `Unit` when the condition is false',
      '',
    ],
  },
  keyword_let: {
    bad: [
      'func main() {',
      '    let to = 10',
      '    println("{}", to + 1)',
      '}',
    ],
    good: [
      'func main() {',
      '    let to_ = 10',
      '    println("{}", to_ + 1)',
      '}',
    ],
    expected: [
      'error[E0015]: `to` is a keyword',
      '  --> keyword_let.tml:2:9',
      '   |',
      ' 2 |     let to = 10',
      '   |         ^^ a keyword cannot be used as a name',
      '   |',
      '   = help: rename it (here and where it is used), e.g. `to_`',
      '',
    ],
  },
  keyword_param: {
    bad: [
      'func power(base: I64, exp: I64) -> I64 {',
      '    var r = 1',
      '    for i in 0 to exp {',
      '        r = r * base',
      '    }',
      '    r',
      '}',
      '',
      'func main() {',
      '    println("{}", power(2, 10))',
      '}',
    ],
    good: [
      'func power(base_: I64, exp: I64) -> I64 {',
      '    var r = 1',
      '    for _ in 0 to exp {',
      '        r = r * base_',
      '    }',
      '    r',
      '}',
      '',
      'func main() {',
      '    println("{}", power(2, 10))',
      '}',
    ],
    expected: [
      'error[E0015]: `base` is a keyword',
      '  --> keyword_param.tml:1:12',
      '   |',
      ' 1 | func power(base: I64, exp: I64) -> I64 {',
      '   |            ^^^^ a keyword cannot be used as a name',
      '   |',
      '   = help: rename it (here and where it is used), e.g. `base_`',
      '',
    ],
  },
  rust_borrow: {
    bad: [
      'func show(x: ref I32) {',
      '    println("{}", x)',
      '}',
      '',
      'func main() {',
      '    let a = 1',
      '    show(&a)',
      '}',
    ],
    good: [
      'func show(x: ref I32) {',
      '    println("{}", x)',
      '}',
      '',
      'func main() {',
      '    let a = 1',
      '    show(ref a)',
      '}',
    ],
    expected: [
      'error[E0133]: taking a raw address with `&` requires a `lowlevel` block',
      '  --> rust_borrow.tml:7:10',
      '   |',
      ' 7 |     show(&a)',
      '   |          ^^',
      '   |',
      '   = help: to borrow it, TML spells this `ref`',
      '',
    ],
  },
  rust_fn: {
    bad: [
      'fn main() {',
      '    println("hi")',
      '}',
    ],
    good: [
      'func main() {',
      '    println("hi")',
      '}',
    ],
    expected: [
      'error[E0012]: expected item, found `fn`',
      '  --> rust_fn.tml:1:1',
      '   |',
      ' 1 | fn main() {',
      '   | ^^ expected `func`, `type`, `impl`, … here',
      '   |',
      '   = help: TML spells this `func`',
      '',
    ],
  },
  rust_refs: {
    bad: [
      'func bump(x: &mut I32) {',
      '    *x += 1',
      '}',
      '',
      'func main() {',
      '    var a = 1',
      '    bump(&mut a)',
      '    println("{}", a)',
      '}',
    ],
    good: [
      'func bump(x: mut ref I32) {',
      '    *x += 1',
      '}',
      '',
      'func main() {',
      '    var a = 1',
      '    bump(mut ref a)',
      '    println("{}", a)',
      '}',
    ],
    expected: [
      'error[E0013]: expected type, found `&mut`',
      '  --> rust_refs.tml:1:14',
      '   |',
      ' 1 | func bump(x: &mut I32) {',
      '   |              ^^^^ expected type',
      '   |',
      '   = help: TML spells this `mut ref`',
      '',
      'error[E0010]: expected expression, found `mut`',
      '  --> rust_refs.tml:7:11',
      '   |',
      ' 7 |     bump(&mut a)',
      '   |           ^^^ expected expression',
      '   |',
      '   = help: TML spells this `mut ref`',
      '',
    ],
  },
  rust_str: {
    bad: [
      'func greet(name: &str) -> String {',
      '    "hello " + name',
      '}',
      '',
      'func main() {',
      '    println(greet("ann"))',
      '}',
    ],
    good: [
      'func greet(name: Str) -> String {',
      '    "hello " + name',
      '}',
      '',
      'func main() {',
      '    println(greet("ann"))',
      '}',
    ],
    expected: [
      'error[E0013]: expected type, found `&`',
      '  --> rust_str.tml:1:18',
      '   |',
      ' 1 | func greet(name: &str) -> String {',
      '   |                  ^^^^ expected type',
      '   |',
      '   = help: TML spells this `Str`',
      '',
    ],
  },
  rust_struct: {
    bad: [
      'struct Point {',
      '    x: I32,',
      '    y: I32,',
      '}',
      '',
      'impl Point {',
      '    fn sum(this) -> I32 { this.x + this.y }',
      '}',
      '',
      'func main() {',
      '    println("{}", Point { x: 1, y: 2 }.sum())',
      '}',
    ],
    good: [
      'type Point {',
      '    x: I32,',
      '    y: I32,',
      '}',
      '',
      'impl Point {',
      '    func sum(this) -> I32 { this.x + this.y }',
      '}',
      '',
      'func main() {',
      '    println("{}", Point { x: 1, y: 2 }.sum())',
      '}',
    ],
    expected: [
      'error[E0012]: expected item, found `struct`',
      '  --> rust_struct.tml:1:1',
      '   |',
      ' 1 | struct Point {',
      '   | ^^^^^^ expected `func`, `type`, `impl`, … here',
      '   |',
      '   = help: TML spells this `type`',
      '',
      'error[E0022]: expected a member, found `fn`',
      '  --> rust_struct.tml:7:5',
      '   |',
      ' 7 |     fn sum(this) -> I32 { this.x + this.y }',
      '   |     ^^ expected a member',
      '   |',
      '   = help: TML spells this `func`',
      '',
    ],
  },
  rust_types: {
    bad: [
      'func first(xs: ref List[i64]) -> Option[i64] {',
      '    xs.get(0)',
      '}',
      '',
      'func main() {',
      '    var xs = List[I64]::new()',
      '    xs.push(1)',
      '    println("{}", first(ref xs).unwrap())',
      '}',
    ],
    good: [
      'func first(xs: ref List[I64]) -> Maybe[I64] {',
      '    xs.get(0)',
      '}',
      '',
      'func main() {',
      '    var xs = List[I64]::new()',
      '    xs.push(1)',
      '    println("{}", first(ref xs).unwrap())',
      '}',
    ],
    expected: [
      'error[E0412]: cannot find type `i64` in this scope',
      '  --> rust_types.tml:1:25',
      '   |',
      ' 1 | func first(xs: ref List[i64]) -> Option[i64] {',
      '   |                         ^^^ not found in this scope',
      '   |',
      '   = help: TML spells this `I64`',
      '',
      'error[E0412]: cannot find type `i64` in this scope',
      '  --> rust_types.tml:1:41',
      '   |',
      ' 1 | func first(xs: ref List[i64]) -> Option[i64] {',
      '   |                                         ^^^ not found in this scope',
      '   |',
      '   = help: TML spells this `I64`',
      '',
      'error[E0412]: cannot find type `Option` in this scope',
      '  --> rust_types.tml:1:34',
      '   |',
      ' 1 | func first(xs: ref List[i64]) -> Option[i64] {',
      '   |                                  ^^^^^^^^^^^ not found in this scope',
      '   |',
      '   = help: TML spells this `Maybe`',
      '',
    ],
  },
  rust_values: {
    bad: [
      'func half(n: I32) -> Maybe[I32] {',
      '    if n % 2 == 0 { Some(n / 2) } else { None }',
      '}',
      '',
      'func main() {',
      '    println("{}", half(4).unwrap())',
      '}',
    ],
    good: [
      'func half(n: I32) -> Maybe[I32] {',
      '    if n % 2 == 0 { Just(n / 2) } else { Nothing }',
      '}',
      '',
      'func main() {',
      '    println("{}", half(4).unwrap())',
      '}',
    ],
    expected: [
      'error[E0425]: cannot find value `Some` in this scope',
      '  --> rust_values.tml:2:21',
      '   |',
      ' 2 |     if n % 2 == 0 { Some(n / 2) } else { None }',
      '   |                     ^^^^ not found in this scope',
      '   |',
      '   = help: TML spells this `Just`',
      '',
      'error[E0425]: cannot find value `None` in this scope',
      '  --> rust_values.tml:2:42',
      '   |',
      ' 2 |     if n % 2 == 0 { Some(n / 2) } else { None }',
      '   |                                          ^^^^ not found in this scope',
      '   |',
      '   = help: TML spells this `Nothing`',
      '',
    ],
  },
  rust_vec: {
    bad: [
      'func main() {',
      '    var v = Vec[I32]::new()',
      '    v.push(1)',
      '    println("{}", v.len())',
      '}',
    ],
    good: [
      'func main() {',
      '    var v = List[I32]::new()',
      '    v.push(1)',
      '    println("{}", v.len())',
      '}',
    ],
    expected: [
      'error[E0425]: cannot find value `Vec::new` in this scope',
      '  --> rust_vec.tml:2:13',
      '   |',
      ' 2 |     var v = Vec[I32]::new()',
      '   |             ^^^^^^^^^^^^^ not found',
      '   |',
      '   = help: TML spells this `List`',
      '',
    ],
  },
  similar_associated: {
    bad: [
      'type Point { x: I32, y: I32 }',
      '',
      'impl Point {',
      '    func origin() -> Point { Point { x: 0, y: 0 } }',
      '}',
      '',
      'func main() {',
      '    let p = Point::orign()',
      '    println("{}", p.x)',
      '}',
    ],
    good: [
      'type Point { x: I32, y: I32 }',
      '',
      'impl Point {',
      '    func origin() -> Point { Point { x: 0, y: 0 } }',
      '}',
      '',
      'func main() {',
      '    let p = Point::origin()',
      '    println("{}", p.x)',
      '}',
    ],
    expected: [
      'error[E0599]: no function or associated item named `orign` found for `Point`',
      '  --> similar_associated.tml:8:20',
      '   |',
      ' 8 |     let p = Point::orign()',
      '   |                    ^^^^^ associated item not found in `Point`',
      '   |',
      '   = help: an associated function with a similar name exists: `origin`',
      '',
    ],
  },
  similar_field: {
    bad: [
      'type Account { balance: I64, owner: Str }',
      '',
      'func main() {',
      '    let a = Account { balance: 10, owner: "ann" }',
      '    println("{}", a.balanse)',
      '}',
    ],
    good: [
      'type Account { balance: I64, owner: Str }',
      '',
      'func main() {',
      '    let a = Account { balance: 10, owner: "ann" }',
      '    println("{}", a.balance)',
      '}',
    ],
    expected: [
      'error[E0609]: no field `balanse` on type `Account`',
      '  --> similar_field.tml:5:21',
      '   |',
      ' 5 |     println("{}", a.balanse)',
      '   |                     ^^^^^^^ unknown field',
      '   |',
      '   = help: a field with a similar name exists: `balance`',
      '',
    ],
  },
  similar_function: {
    bad: [
      'func compute_total(n: I32) -> I32 {',
      '    n * 2',
      '}',
      '',
      'func main() {',
      '    println("{}", compute_totl(4))',
      '}',
    ],
    good: [
      'func compute_total(n: I32) -> I32 {',
      '    n * 2',
      '}',
      '',
      'func main() {',
      '    println("{}", compute_total(4))',
      '}',
    ],
    expected: [
      'error[E0425]: cannot find value `compute_totl` in this scope',
      '  --> similar_function.tml:6:19',
      '   |',
      ' 6 |     println("{}", compute_totl(4))',
      '   |                   ^^^^^^^^^^^^ not found in this scope',
      '   |',
      '   = help: a function with a similar name exists: `compute_total`',
      '',
    ],
  },
  similar_local: {
    bad: [
      'func main() {',
      '    let total_count = 3',
      '    println("{}", total_cont + 1)',
      '}',
    ],
    good: [
      'func main() {',
      '    let total_count = 3',
      '    println("{}", total_count + 1)',
      '}',
    ],
    expected: [
      'error[E0425]: cannot find value `total_cont` in this scope',
      '  --> similar_local.tml:3:19',
      '   |',
      ' 3 |     println("{}", total_cont + 1)',
      '   |                   ^^^^^^^^^^ not found in this scope',
      '   |',
      '   = help: a local variable with a similar name exists: `total_count`',
      '',
    ],
  },
  similar_method: {
    bad: [
      'type Counter { n: I32 }',
      '',
      'impl Counter {',
      '    func current(this) -> I32 { this.n }',
      '}',
      '',
      'func main() {',
      '    let c = Counter { n: 7 }',
      '    println("{}", c.curent())',
      '}',
    ],
    good: [
      'type Counter { n: I32 }',
      '',
      'impl Counter {',
      '    func current(this) -> I32 { this.n }',
      '}',
      '',
      'func main() {',
      '    let c = Counter { n: 7 }',
      '    println("{}", c.current())',
      '}',
    ],
    expected: [
      'error[E0599]: no method named `curent` found for `Counter`',
      '  --> similar_method.tml:9:21',
      '   |',
      ' 9 |     println("{}", c.curent())',
      '   |                     ^^^^^^ method not found in `Counter`',
      '   |',
      '   = help: a method with a similar name exists: `current`',
      '',
    ],
  },
  similar_none: {
    bad: [
      'func main() {',
      '    let total = 3',
      '    println("{}", quantity)',
      '}',
    ],
    good: [
      'func main() {',
      '    let quantity = 3',
      '    println("{}", quantity)',
      '}',
    ],
    expected: [
      'error[E0425]: cannot find value `quantity` in this scope',
      '  --> similar_none.tml:3:19',
      '   |',
      ' 3 |     println("{}", quantity)',
      '   |                   ^^^^^^^^ not found in this scope',
      '',
    ],
  },
  similar_type: {
    bad: [
      'type Point { x: I32, y: I32 }',
      '',
      'func main() {',
      '    let p: Pont = Point { x: 1, y: 2 }',
      '    println("{}", p.x)',
      '}',
    ],
    good: [
      'type Point { x: I32, y: I32 }',
      '',
      'func main() {',
      '    let p: Point = Point { x: 1, y: 2 }',
      '    println("{}", p.x)',
      '}',
    ],
    expected: [
      'error[E0412]: cannot find type `Pont` in this scope',
      '  --> similar_type.tml:4:12',
      '   |',
      ' 4 |     let p: Pont = Point { x: 1, y: 2 }',
      '   |            ^^^^ not found in this scope',
      '   |',
      '   = help: a type with a similar name exists: `Point`',
      '',
    ],
  },
  struct_missing_field: {
    bad: [
      'type Point { x: I32, y: I32 }',
      '',
      'func main() {',
      '    let p = Point { x: 1 }',
      '    println("{}", p.x)',
      '}',
    ],
    good: [
      'type Point { x: I32, y: I32 }',
      '',
      'func main() {',
      '    let p = Point { x: 1, y: 2 }',
      '    println("{}", p.x)',
      '}',
    ],
    expected: [
      'error[E0063]: missing field `y` in initializer of `Point`',
      '  --> struct_missing_field.tml:4:13',
      '   |',
      ' 1 | type Point { x: I32, y: I32 }',
      '   |      ----- `Point` defined here',
      ' 4 |     let p = Point { x: 1 }',
      '   |             ^^^^^^^^^^^^^^ missing fields',
      '',
    ],
  },
  too_few_args: {
    bad: [
      'func add(a: I32, b: I32) -> I32 {',
      '    a + b',
      '}',
      '',
      'func main() {',
      '    println("{}", add(1))',
      '}',
    ],
    good: [
      'func add(a: I32, b: I32) -> I32 {',
      '    a + b',
      '}',
      '',
      'func main() {',
      '    println("{}", add(1, 2))',
      '}',
    ],
    expected: [
      'error[E0061]: function `add` takes 2 arguments but 1 was supplied',
      '  --> too_few_args.tml:6:19',
      '   |',
      ' 1 | func add(a: I32, b: I32) -> I32 {',
      '   |      --- function defined here',
      ' 6 |     println("{}", add(1))',
      '   |                   ^^^^^^ expected 2 arguments',
      '',
    ],
  },
  too_many_method_args: {
    bad: [
      'type Counter { n: I32 }',
      '',
      'impl Counter {',
      '    func plus(this, k: I32) -> I32 { this.n + k }',
      '}',
      '',
      'func main() {',
      '    let c = Counter { n: 1 }',
      '    println("{}", c.plus(2, 3))',
      '}',
    ],
    good: [
      'type Counter { n: I32 }',
      '',
      'impl Counter {',
      '    func plus(this, k: I32) -> I32 { this.n + k }',
      '}',
      '',
      'func main() {',
      '    let c = Counter { n: 1 }',
      '    println("{}", c.plus(2))',
      '}',
    ],
    expected: [
      'error[E0061]: method `plus` takes 1 argument but 2 were supplied',
      '  --> too_many_method_args.tml:9:19',
      '   |',
      ' 4 |     func plus(this, k: I32) -> I32 { this.n + k }',
      '   |          ---- method defined here',
      ' 9 |     println("{}", c.plus(2, 3))',
      '   |                   ^^^^^^^^^^^^ expected 1 argument',
      '',
    ],
  },
  variant_args: {
    bad: [
      'type Shape = Circle(F64) | Rect(F64, F64)',
      '',
      'func main() {',
      '    let s = Rect(2.0)',
      '    when s {',
      '        Circle(r) => println("{}", r),',
      '        Rect(w, h) => println("{}", w * h),',
      '    }',
      '}',
    ],
    good: [
      'type Shape = Circle(F64) | Rect(F64, F64)',
      '',
      'func main() {',
      '    let s = Rect(2.0, 3.0)',
      '    when s {',
      '        Circle(r) => println("{}", r),',
      '        Rect(w, h) => println("{}", w * h),',
      '    }',
      '}',
    ],
    expected: [
      'error[E0061]: variant `Rect` takes 2 arguments but 1 was supplied',
      '  --> variant_args.tml:4:13',
      '   |',
      ' 1 | type Shape = Circle(F64) | Rect(F64, F64)',
      '   |                            -------------- variant defined here',
      ' 4 |     let s = Rect(2.0)',
      '   |             ^^^^^^^^^ expected 2 arguments',
      '',
    ],
  },
  rust_match: {
    bad: [
      'func main() {',
      '    let m = Just(2)',
      '    match m {',
      '        Just(v) => println("{}", v),',
      '        Nothing => println("none"),',
      '    }',
      '}',
    ],
    good: [
      'func main() {',
      '    let m = Just(2)',
      '    when m {',
      '        Just(v) => println("{}", v),',
      '        Nothing => println("none"),',
      '    }',
      '}',
    ],
    expected: [
      'error[E0010]: expected expression, found `match`',
      '  --> rust_match.tml:3:5',
      '   |',
      ' 3 |     match m {',
      '   |     ^^^^^ not a keyword in TML',
      '   |',
      '   = help: TML spells this `when`',
      '',
    ],
  },
  rust_macro: {
    bad: [
      'func main() {',
      '    let x = 1',
      '    println!("{}", x)',
      '}',
    ],
    good: [
      'func main() {',
      '    let x = 1',
      '    println("{}", x)',
      '}',
    ],
    expected: [
      'error[E0010]: expected expression, found `!`',
      '  --> rust_macro.tml:3:12',
      '   |',
      ' 3 |     println!("{}", x)',
      '   |            ^ TML has no macros',
      '   |',
      '   = help: `println` is a function: remove the `!`',
      '',
    ],
  },
  class_ctor_args: {
    bad: [
      'class Pair {',
      '    a: I32',
      '    b: I32',
      '    new(a: I32, b: I32) { this.a = a; this.b = b }',
      '}',
      '',
      'func main() {',
      '    let p = Pair::new(1)',
      '    println("{}", p.a + p.b)',
      '}',
    ],
    good: [
      'class Pair {',
      '    a: I32',
      '    b: I32',
      '    new(a: I32, b: I32) { this.a = a; this.b = b }',
      '}',
      '',
      'func main() {',
      '    let p = Pair::new(1, 2)',
      '    println("{}", p.a + p.b)',
      '}',
    ],
    expected: [
      'error[E0061]: no constructor of `Pair` takes 1 argument',
      '  --> class_ctor_args.tml:8:13',
      '   |',
      ' 4 |     new(a: I32, b: I32) { this.a = a; this.b = b }',
      '   |     --- constructor defined here',
      ' 8 |     let p = Pair::new(1)',
      '   |             ^^^^^^^^^^^^',
      '   |',
      '   = note: constructors take 2 argument(s)',
      '',
    ],
  },
};

describe('help in diagnostics', () => {
  for (const [name, c] of Object.entries(CASES)) {
    it(`${name}: the rejected program's diagnostics, exactly`, () => {
      expect(check(name, c.bad).text).toBe(c.expected.join('\n') + '\n');
    });
    it(`${name}: its accepted neighbour has no diagnostic`, () => {
      const r = check(`${name}_ok`, c.good);
      expect(r.text).toBe('');
      expect(r.count).toBe(0);
    });
  }
});

describe('suggestions in the JSON output', () => {
  it('gives each suggestion its span and replacement', () => {
    const { json } = check('json_fn', ['fn main() {', '    let x: i32 = 1', '    println("{}", x)', '}']);
    expect(json.map((d) => ({ code: d.code, help: d.help, suggestions: d.suggestions }))).toEqual([
      {
        code: 'E0012',
        help: [],
        suggestions: [{ file: path.join(dir.name, 'json_fn.tml'), line: 1, col: 1, endLine: 1, endCol: 3, replacement: 'func', message: 'TML spells this `func`' }],
      },
      {
        code: 'E0412',
        help: [],
        suggestions: [{ file: path.join(dir.name, 'json_fn.tml'), line: 2, col: 12, endLine: 2, endCol: 15, replacement: 'I32', message: 'TML spells this `I32`' }],
      },
    ]);
  });

  it('inserts the missing `}` at the start of the line where the block ends', () => {
    const { json } = check('json_brace', CASES['brace_missing']!.bad);
    expect(json.map((d) => d.suggestions)).toEqual([
      [{ file: path.join(dir.name, 'json_brace.tml'), line: 5, col: 1, endLine: 5, endCol: 1, replacement: '    }\n', message: 'add the missing `}` before line 5' }],
    ]);
  });

  it('has none where there is nothing to suggest', () => {
    const { json } = check('json_none', CASES['similar_none']!.bad);
    expect(json.map((d) => [d.code, d.help, d.suggestions])).toEqual([['E0425', [], []]]);
  });
});

describe('similar names', () => {
  it('measures edits: insertions, deletions, substitutions', () => {
    expect(editDistance('compute_total', 'compute_totl')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  it('suggests within a third of the length, preferring a case-only difference, never the name itself', () => {
    expect(similarName('total_cont', ['total_count', 'totals'])).toBe('total_count');
    expect(similarName('count', ['Count', 'counts'])).toBe('Count');
    expect(similarName('quantity', ['total', 'main'])).toBeNull();
    expect(similarName('abcdef', ['abcxyz'])).toBeNull(); // 3 edits in 6 letters: too far
    expect(similarName('abcdef', ['abcxef'])).toBe('abcxef');
    expect(similarName('x', ['x'])).toBeNull();
  });
});

describe('keywords as names', () => {
  it('reports a keyword once and reads its later uses as the name, also in interpolations', () => {
    const r = check('kw_interp', ['func main() {', '    let in = 2', '    println("{in}")', '    println("{}", in * 2)', '}']);
    expect(r.json.map((d) => `${d.code} ${d.line}:${d.col} ${d.message}`)).toEqual(['E0015 2:9 `in` is a keyword']);
  });

  it('reports a field named by a keyword once, and the type is still a struct', () => {
    const r = check('kw_field', ['type Span { from: I32, to: I32 }', 'func main() {', '    let s: Span = Span { from: 1 }', '}']);
    expect(r.json.map((d) => `${d.code} ${d.line}:${d.col} ${d.message}`)).toEqual([
      'E0015 1:24 `to` is a keyword',
      'E0063 3:19 missing field `to` in initializer of `Span`',
    ]);
  });

  it('takes Rust\'s `fn` in a body for a nested function: reported, and nested functions are not supported', () => {
    const r = check('kw_nested_fn', ['func main() {', '    fn helper() -> I32 { 1 }', '}']);
    expect(r.json.map((d) => `${d.code} ${d.line}:${d.col} ${d.message}`)).toEqual([
      'E0012 2:5 expected item, found `fn`',
      'E0602 2:5 items inside function bodies are not supported; move the item to the module level',
    ]);
  });

  it('still rejects a keyword where it cannot be a name, as before', () => {
    const r = check('kw_expr', ['func main() {', '    let x = to', '}']);
    expect(r.json.map((d) => `${d.code} ${d.line}:${d.col} ${d.message}`)).toEqual(['E0010 2:13 expected expression, found `to`']);
  });
});
