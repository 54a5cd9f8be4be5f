// Generated pathological inputs (issue 10): long chains (valid programs that must compile and run), nesting just
// below and far past the parser's limit for every kind of nesting, huge literals, binary garbage, truncated
// programs and NUL bytes. None of them may make tmlc fail with an internal error (exit status 70): chains compile,
// nesting past the limit is one E0030, everything else is an ordinary diagnostic. See docs/decisions.md, "Nesting
// limit and long chains".
import { mulberry32 } from './mutate.js';

export interface PathologicalInput {
  name: string;
  text: string;
  encoding: 'utf8' | 'latin1';
}

/** The parser's nesting limit (compiler/src/syntax/parser_core.ts NESTING_LIMIT). */
export const NESTING_LIMIT = 256;

/** A valid chain program and what it prints when run. */
export interface ChainInput extends PathologicalInput {
  stdout: string;
}

const utf8 = (name: string, text: string): PathologicalInput => ({ name, text, encoding: 'utf8' });

/** Long chains of every kind: each is a valid program printing `stdout`. */
export function chainInputs(n = 10_000): ChainInput[] {
  const out: ChainInput[] = [];
  const add = (name: string, text: string, stdout: string) => out.push({ name, text, encoding: 'utf8', stdout });
  const main = (body: string) => `func main() {\n${body}\n}\n`;

  add('chain_add', main(`  let x: I64 = 0${' + 1'.repeat(n)}\n  println("{x}")`), `${n}\n`);
  // every binary operator, left-associative, mixed precedences: 1 * 1 + 0 - 0 | 0 ^ 0 & 7 << 0 …, value 1 + n
  const ops = [' + 1', ' - 0', ' * 1', ' / 1', ' % 1000000', ' | 0', ' ^ 0', ' << 0', ' >> 0', ' & 1048575'];
  let mixed = '1';
  for (let i = 0; i < n; i++) mixed += ops[i % ops.length]!;
  add('chain_mixed_ops', main(`  let x: I64 = ${mixed}\n  println("{x}")`), `${mixedValue(mixed)}\n`);
  add('chain_and_or', main(`  let a: I64 = 3\n  let b = a == 3${' and a < 4 or a > 9'.repeat(n / 2)}\n  println("{b}")`), 'true\n');
  let elif = 'func pick(v: I64) -> I64 {\n  if v == 0 { 0 }\n';
  for (let i = 1; i < n; i++) elif += `  else if v == ${i} { ${i * 2} }\n`;
  elif += '  else { -1 }\n}\n' + main(`  println("{pick(${n - 1})} {pick(${n})}")`);
  add('chain_else_if', elif, `${(n - 1) * 2} -1\n`);
  // receivers by value: a chain of borrowed receivers makes a loan a link, and the loan dataflow is quadratic in
  // them (docs/decisions.md), so that chain is shorter
  const methods = 'type C { v: I64 }\nimpl C {\n  func inc(this: This) -> C { C { v: this.v + 1 } }\n  func me(this: This) -> C { C { v: this.v } }\n  func get(this) -> I64 { this.v }\n}\n';
  const short = Math.min(n, 1_000);
  add('chain_methods_borrowed', methods + main(`  let c = C { v: 0 }\n  let d = c${'.inc()'.repeat(short)}.get()${'.abs()'.repeat(short)}\n  println("{d}")`), `${short}\n`);
  add('chain_methods', methods + main(`  let c = C { v: 0 }\n  let d = c${'.inc()'.repeat(n)}\n  println("{d.v}")`), `${n}\n`);
  add('chain_fields', methods + main(`  let c = C { v: 5 }\n  let v = c${'.me()'.repeat(n / 2)}.v${' + c.me().v'.repeat(n / 2)}\n  println("{v}")`), `${5 + 5 * (n / 2)}\n`);
  add('chain_in_constructor', `class K {\n  v: I64\n  new() { this.v = 0${' + 1'.repeat(n)} }\n}\n` + main('  let k = K::new()\n  println("{k.v}")'), `${n}\n`);
  add('chain_statements', main(`  var x: I64 = 0\n${'  x += 1;\n'.repeat(n)}  println("{x}")`), `${n}\n`);
  add('chain_statements_one_line', main(`  var x: I64 = 0\n  ${'x += 1; '.repeat(n)}\n  println("{x}")`), `${n}\n`);
  return out;
}

/** The value of the mixed-operator chain, evaluated with TML's precedences (BigInt, as I64 never overflows here). */
function mixedValue(src: string): bigint {
  const toks = src.split(' ');
  const prec: Record<string, number> = { '|': 4, '^': 5, '&': 6, '<<': 7, '>>': 7, '+': 8, '-': 8, '*': 9, '/': 9, '%': 9 };
  const apply = (op: string, a: bigint, b: bigint): bigint => {
    switch (op) {
      case '+': return a + b;
      case '-': return a - b;
      case '*': return a * b;
      case '/': return a / b;
      case '%': return a % b;
      case '|': return a | b;
      case '^': return a ^ b;
      case '&': return a & b;
      case '<<': return a << b;
      default: return a >> b;
    }
  };
  const vals: bigint[] = [BigInt(toks[0]!)];
  const opsStack: string[] = [];
  const reduce = () => {
    const b = vals.pop()!;
    const a = vals.pop()!;
    vals.push(apply(opsStack.pop()!, a, b));
  };
  for (let i = 1; i < toks.length; i += 2) {
    const op = toks[i]!;
    while (opsStack.length && prec[opsStack[opsStack.length - 1]!]! >= prec[op]!) reduce();
    opsStack.push(op);
    vals.push(BigInt(toks[i + 1]!));
  }
  while (opsStack.length) reduce();
  return vals[0]!;
}

/** One kind of nesting: a program with the construct nested `d` times. */
export interface NestingKind {
  kind: string;
  /** 'expression' | 'type' | 'pattern' | 'item': the word in E0030's message */
  what: string;
  /** levels the parser counts besides the `d` nested ones (the function, the innermost operand…) */
  overhead: number;
  program(d: number): string;
}

export const NESTING_KINDS: NestingKind[] = [
  { kind: 'parens', what: 'expression', overhead: 2, program: (d) => `func main() {\n  let x: I64 = ${'('.repeat(d)}1${')'.repeat(d)}\n  println("{x}")\n}\n` },
  { kind: 'blocks', what: 'expression', overhead: 2, program: (d) => `func main() {\n  let x: I64 = ${'{ '.repeat(d)}1${' }'.repeat(d)}\n  println("{x}")\n}\n` },
  { kind: 'if', what: 'expression', overhead: 2, program: (d) => `func main() {\n  let c = true\n  let x: I64 = ${'if c { '.repeat(d)}1${' } else { 0 }'.repeat(d)}\n  println("{x}")\n}\n` },
  { kind: 'when', what: 'expression', overhead: 2, program: (d) => `func main() {\n  let x: I64 = ${'when 1 { _ => '.repeat(d)}1${' }'.repeat(d)}\n  println("{x}")\n}\n` },
  { kind: 'unary', what: 'expression', overhead: 2, program: (d) => `func main() {\n  let x = ${'not '.repeat(d)}true\n  println("{x}")\n}\n` },
  { kind: 'calls', what: 'expression', overhead: 2, program: (d) => `func id(v: I64) -> I64 { v }\nfunc main() {\n  let x: I64 = ${'id('.repeat(d)}1${')'.repeat(d)}\n  println("{x}")\n}\n` },
  { kind: 'closures', what: 'expression', overhead: 2, program: (d) => `func main() {\n  let f = ${'do() '.repeat(d)}1\n  println("done")\n}\n` },
  { kind: 'types', what: 'type', overhead: 2, program: (d) => `func f(x: ${'Maybe['.repeat(d)}I64${']'.repeat(d)}) {}\nfunc main() {\n  println("done")\n}\n` },
  { kind: 'patterns', what: 'pattern', overhead: 2, program: (d) => `func main() {\n  let ${'('.repeat(d)}x${')'.repeat(d)}: I64 = 1\n  println("{x}")\n}\n` },
  { kind: 'modules', what: 'item', overhead: 1, program: (d) => `${'mod m {\n'.repeat(d)}func f() {}\n${'}\n'.repeat(d)}func main() {\n  println("done")\n}\n` },
];

/** Every nesting kind just below the limit (valid where the construct is) and past it (one E0030 each). */
export function nestingInputs(depth = 2_000): PathologicalInput[] {
  const out: PathologicalInput[] = [];
  for (const k of NESTING_KINDS) {
    out.push(utf8(`nest_${k.kind}_below`, k.program(NESTING_LIMIT - 1 - k.overhead)));
    out.push(utf8(`nest_${k.kind}_above`, k.program(NESTING_LIMIT + 1)));
    out.push(utf8(`nest_${k.kind}_${depth}`, k.program(depth)));
  }
  // the issue's own reports: 1,000 nested `(` / `if`, 2,000 `{` on one 20,000-character line
  out.push(utf8('nest_issue_line', `func main() { let x = ${'('.repeat(10_000)}1${')'.repeat(10_000)} }\n`));
  out.push(utf8('nest_unclosed_braces', `func main() ${'{'.repeat(2_000)}\n`));
  return out;
}

/** Huge literals, binary garbage, truncated programs, NUL bytes. */
export function junkInputs(): PathologicalInput[] {
  const out: PathologicalInput[] = [];
  out.push(utf8('huge_int_literal', `func main() {\n  let x = ${'9'.repeat(100_000)}\n  println("{x}")\n}\n`));
  out.push(utf8('huge_int_literal_i64', `func main() {\n  let x: I64 = ${'1'.repeat(100_000)}\n}\n`));
  out.push(utf8('huge_float_literal', `func main() {\n  let x = ${'9'.repeat(100_000)}.5\n  println("{x}")\n}\n`));
  out.push(utf8('huge_string_literal', `func main() {\n  let s = "${'a'.repeat(1 << 20)}"\n  println("{s.len()}")\n}\n`));
  out.push(utf8('huge_list_literal', `func main() {\n  let a = [${Array.from({ length: 10_000 }, (_, i) => String(i)).join(', ')}]\n  println("{a[9999]}")\n}\n`));
  const id = 'v'.repeat(5_000);
  out.push(utf8('huge_identifier', `func main() {\n  let ${id}: I64 = 1\n  println("{${id}}")\n}\n`));
  out.push(utf8('huge_function', `func main() {\n  var x: I64 = 0\n${'  x = x + 1\n'.repeat(5_000)}  println("{x}")\n}\n`));
  const r = mulberry32(10);
  for (const size of [64, 4_096, 65_536]) {
    let s = '';
    for (let i = 0; i < size; i++) s += String.fromCharCode(Math.floor(r() * 256));
    out.push({ name: `garbage_${size}`, text: s, encoding: 'latin1' });
  }
  const program = 'type P { x: I64, y: I64 }\nfunc f(p: P) -> I64 {\n  when p.x { 0 => p.y, _ => f(P { x: p.x - 1, y: p.y + 1 }) }\n}\nfunc main() {\n  let v = [1, 2, 3]\n  println("{f(P { x: 3, y: 4 })} {v[1]}")\n}\n';
  for (let cut = 1; cut < program.length; cut += 7) out.push(utf8(`truncated_${cut}`, program.slice(0, cut)));
  out.push(utf8('nul_in_code', 'func main() {\0\n  println("x")\n}\n'));
  out.push(utf8('nul_in_string', 'func main() {\n  println("a\0b")\n}\n'));
  out.push(utf8('nul_only', '\0'.repeat(1_000)));
  out.push(utf8('empty', ''));
  return out;
}

/** Every pathological input: chains (of `chainLength` links), nesting (up to `depth`), junk. */
export function pathologicalInputs(opts: { chainLength?: number; depth?: number } = {}): PathologicalInput[] {
  const chains = chainInputs(opts.chainLength ?? 10_000).map(({ name, text, encoding }) => ({ name, text, encoding }));
  return [...chains, ...nestingInputs(opts.depth ?? 2_000), ...junkInputs()];
}
