// Error cascades (issue 10): one root error — an undefined name, an unknown type, a field that does not exist — and
// many uses of the erroneous value must give exactly one diagnostic, the root's (sema/error_type.ts). The accepted
// neighbours: an independent mistake next to a root error is still reported.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runFrontEnd } from '../../compiler/src/driver/frontend.js';
import { isErrorish } from '../../compiler/src/sema/error_type.js';
import { InferCtx } from '../../compiler/src/sema/infer.js';
import { T } from '../../compiler/src/sema/types.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tmlc-error-type-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let count = 0;
function errors(src: string): string[] {
  const file = path.join(tmp, `p${count++}.tml`);
  fs.writeFileSync(file, src);
  const r = runFrontEnd(file, { tests: false, overflowChecks: true });
  return r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`);
}

/** a root error, then a use of the erroneous value `x` (each line of `uses` is one statement in `main`) */
const ROOTS: Record<string, { before: string; root: string; code: string }> = {
  'undefined name': { before: '', root: 'let x = nope', code: 'E0425' },
  'unknown type': { before: '', root: 'let x: Nope = 1', code: 'E0412' },
  'missing field': { before: 'type P { a: I32 }', root: 'let x = P { a: 1 }.zz', code: 'E0609' },
  'unknown type argument': { before: '', root: 'let x: List[Nope] = List::new()', code: 'E0412' },
};

const USES: Record<string, string> = {
  '==': 'if x == 1 { println("a") }',
  '!= with a Str': 'let b = x != "s"',
  '<': 'let b = x < 2.5',
  'when without _': 'when x { 1 => println("one") }',
  'when on a Maybe': 'when Just(x) { Just(v) => println(v) }',
  'method call': 'println(x.frobnicate(1))',
  'method chain': 'let y: I32 = x.a().b().c',
  field: 'println(x.name)',
  arithmetic: 'let y: Str = x + 1',
  'arithmetic, other side': 'let y: Str = 1 + x',
  'compound assignment': 'var t = 0\n    t += x\n    println(t)',
  negation: 'println(-x)',
  not: 'println(not x)',
  'if condition': 'if x { println("a") }',
  'while condition': 'while x { println("a") }',
  'let with annotation': 'let y: I32 = x\n    let z: Str = x',
  'tuple containing it': 'let t = (x, 1)\n    let s: Str = t',
  'array of it': 'let a = [x, 1]\n    let s: Str = a',
  'Maybe of it': 'let m = Just(x)\n    let s: Str = m',
  'Heap of it': 'let h = Heap::new(x)\n    let s: Bool = h',
  'List fed it': 'var xs = List::new()\n    xs.push(x)\n    let s: Str = xs',
  'function argument': 'println(takes_i32(x))',
  'generic argument': 'let y = id(x)\n    let z: Bool = y',
  'bounded generic argument': 'println(same(x, x))',
  'struct literal': 'let q = Q { a: x, b: x }\n    println(q.a + 1)',
  cast: 'let y = x as I64',
  call: 'println(x(1))',
  index: 'println(x[0])',
  'for loop': 'for i in x { println(i) }',
  interpolation: 'println("{x}")',
  'tuple pattern': 'let (a, b) = x\n    println(a + b)',
  'by-value receiver behind a reference': 'let r = ref x\n    println(r.into_it())',
};

const HELPERS = `
type Q { a: I32, b: Str }
func takes_i32(a: I32) -> I32 { a }
func id[T](t: T) -> T { t }
func same[T: Eq](a: T, b: T) -> Bool { a == b }
`;

describe('one root error, however its value is used', () => {
  for (const [rootName, root] of Object.entries(ROOTS)) {
    for (const [useName, use] of Object.entries(USES)) {
      it(`${rootName}, then ${useName}`, () => {
        const src = `${root.before}\n${HELPERS}\nfunc main() {\n    ${root.root}\n    ${use}\n}\n`;
        const errs = errors(src);
        expect(errs, src).toHaveLength(1);
        expect(errs[0]!.startsWith(root.code), src).toBe(true);
      });
    }
  }

  it('all the uses at once still give one error', () => {
    const src = `${HELPERS}\nfunc main() {\n    let x = nope\n    ${Object.values(USES).join('\n    ')}\n}\n`;
    expect(errors(src)).toEqual(['E0425 cannot find value `nope` in this scope']);
  });

  it('a bound naming no behavior: the parameter\'s uses are not reported', () => {
    const src = 'func f[T: Nope](t: T) -> T {\n    println("{t}")\n    if t < t { println("lt") }\n    let u = t * t\n    t.go()\n}\nfunc g[U](u: U) -> Str where U: Missing { u.name() }\nfunc main() { println(f(1)) }\n';
    expect(errors(src).map((e) => e.slice(0, 5))).toEqual(['E0405', 'E0405']);
  });

  it('a parameter without the bound is still reported', () => {
    const src = 'func f[T: Display](t: T) -> T {\n    t.go()\n    t\n}\nfunc main() { println(f(1)) }\n';
    expect(errors(src)).toEqual(['E0599 no method named `go` found for `T`']);
  });

  it('an unknown result type: its calls are not mismatched', () => {
    expect(errors('func f() -> Nope { 1 }\nfunc main() {\n    let s: Str = f()\n    let n: I32 = f() + 1\n    when f() { 1 => println("a") }\n}\n')).toHaveLength(1);
  });
});

describe('independent errors next to a root error are still reported', () => {
  it('a mismatch, a non-exhaustive when and an immutable push', () => {
    const errs = errors(`func main() {
    let x = nope
    let s: Str = 5
    let m: Maybe[I32] = Nothing
    when m { Just(v) => println(v) }
    let xs: List[I32] = List::new()
    xs.push(1)
    println(x)
}
`);
    expect(errs.map((e) => e.slice(0, 5))).toEqual(['E0425', 'E0308', 'E0004', 'E0596']);
  });

  it('a mismatch on a value that merely sits next to an erroneous one', () => {
    const errs = errors('func main() {\n    let x = nope\n    let y = 1\n    let s: Str = y\n    println(x)\n}\n');
    expect(errs).toEqual(['E0425 cannot find value `nope` in this scope', 'E0308 mismatched types: expected `Str`, found `{integer}`']);
  });
});

describe('isErrorish', () => {
  it('is true of the error type, a type containing it, and a variable bound to it', () => {
    const infer = new InferCtx();
    const v = infer.newVar();
    expect(isErrorish(T.i32, infer)).toBe(false);
    expect(isErrorish(v, infer)).toBe(false);
    expect(isErrorish(T.error)).toBe(true);
    expect(isErrorish({ k: 'tuple', elems: [T.i32, T.error] })).toBe(true);
    expect(isErrorish({ k: 'ref', mutable: false, inner: { k: 'array', elem: T.error, size: 2 } })).toBe(true);
    expect(infer.unify(v, T.error)).toBe(true);
    expect(isErrorish(v, infer)).toBe(true);
    expect(isErrorish({ k: 'tuple', elems: [v] }, infer)).toBe(true);
  });
});
