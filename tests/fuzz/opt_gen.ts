// The optimizer's differential fuzzer's generator (issue 13): random, well-typed TML programs full of what the MIR
// optimizer rewrites — constants and arithmetic near the integer limits (folding, overflow checks), branches on
// constants, counted loops indexing a List (bounds checks), copies through blocks, values whose drops print and are
// moved on one path only (drop flags), `Heap`s that never escape, strings, small functions to inline. A program may
// panic (an overflow, an index out of range, a division by zero): the run with the optimizer and the run without
// it must then panic alike. Deterministic: program `index` of `seed` depends only on the two.
import { mutantSeed, Rng } from './mutate.js';

type IntTy = 'I32' | 'I64' | 'U8' | 'U64';
const INT_TYS: readonly IntTy[] = ['I32', 'I64', 'U8', 'U64'];
const LIMITS: Record<IntTy, { min: bigint; max: bigint }> = {
  I32: { min: -(2n ** 31n) + 1n, max: 2n ** 31n - 1n },
  I64: { min: -(2n ** 63n) + 1n, max: 2n ** 63n - 1n },
  U8: { min: 0n, max: 255n },
  U64: { min: 0n, max: 2n ** 64n - 1n },
};
const BITS: Record<IntTy, number> = { I32: 32, I64: 64, U8: 8, U64: 64 };

interface Var {
  name: string;
  ty: IntTy;
  mutable: boolean;
}

class Scope {
  readonly vars: Var[] = [];
  constructor(readonly parent: Scope | null) {}
  all(): Var[] {
    return [...(this.parent?.all() ?? []), ...this.vars];
  }
}

const PRELUDE = `type Loud { n: I64 }
impl Drop for Loud {
    func drop(mut this) {
        println("drop {this.n}")
    }
}
func consume(l: Loud) {
    println("consume {l.n}")
}
func twice(x: I64) -> I64 {
    x + x
}
func str_len(s: Str) -> I64 {
    s.len() as I64
}
`;

export class OptProgramGen {
  private readonly rng: Rng;
  private next = 0;
  private lines: string[] = [];
  private depth = 0;

  constructor(seed: number, index: number) {
    this.rng = new Rng(mutantSeed(seed, index));
  }

  program(functions = 4): string {
    const out = [PRELUDE];
    const calls: string[] = [];
    for (let i = 0; i < functions; i++) {
      out.push(this.fn(`f${i}`));
      calls.push(`    println("f${i} {f${i}(${this.lit('I64', true)}, ${this.lit('U8', true)}, ref xs)}")`);
    }
    const items = Array.from({ length: 2 + this.rng.int(6) }, () => `    xs.push(${this.lit('I64', true)})`);
    out.push(['func main() {', '    var xs: List[I64] = List::new()', ...items, ...calls, '}', ''].join('\n'));
    return out.join('\n');
  }

  private fn(name: string): string {
    this.lines = [];
    this.depth = 1;
    const scope = new Scope(null);
    scope.vars.push({ name: 'p0', ty: 'I64', mutable: false }, { name: 'p1', ty: 'U8', mutable: false });
    this.block(scope, 3 + this.rng.int(6));
    const body = this.lines.join('\n');
    return `func ${name}(p0: I64, p1: U8, xs: ref List[I64]) -> I64 {\n${body}\n    return ${this.expr(scope, 'I64', 2)}\n}\n`;
  }

  private emit(line: string): void {
    this.lines.push('    '.repeat(this.depth) + line);
  }

  private fresh(prefix: string): string {
    return `${prefix}${this.next++}`;
  }

  private block(scope: Scope, n: number): void {
    for (let i = 0; i < n; i++) this.stmt(scope);
  }

  private nested(scope: Scope, n: number): void {
    this.depth++;
    this.block(new Scope(scope), n);
    this.depth--;
  }

  private stmt(scope: Scope): void {
    const deep = this.depth >= 3;
    const kind = this.rng.pick(deep ? ['let', 'let', 'assign', 'print', 'loud'] : ['let', 'let', 'assign', 'assign', 'print', 'if', 'for', 'while', 'loud', 'heap', 'str', 'block']);
    const mutables = scope.all().filter((v) => v.mutable);
    switch (kind) {
      case 'let': {
        const ty = this.rng.pick(INT_TYS);
        const v: Var = { name: this.fresh('v'), ty, mutable: this.rng.chance(0.5) };
        this.emit(`${v.mutable ? 'var' : 'let'} ${v.name}: ${ty} = ${this.expr(scope, ty, 2)}`);
        scope.vars.push(v);
        return;
      }
      case 'assign': {
        if (!mutables.length) return this.stmt(scope);
        const v = this.rng.pick(mutables);
        if (this.rng.chance(0.3)) this.emit(`${v.name} ${this.rng.pick(['+=', '-=', '*='])} ${this.lit(v.ty, false)}`);
        else this.emit(`${v.name} = ${this.expr(scope, v.ty, 2)}`);
        return;
      }
      case 'print': {
        // (interpolation starts only at `{` and a name)
        const t = this.fresh('t');
        this.emit(`let ${t} = ${this.expr(scope, this.rng.pick(INT_TYS), 2)}`);
        this.emit(`println("${t}: {${t}}")`);
        return;
      }
      case 'if': {
        this.emit(`if ${this.cond(scope)} {`);
        this.nested(scope, 1 + this.rng.int(3));
        if (this.rng.chance(0.5)) {
          this.emit('} else {');
          this.nested(scope, 1 + this.rng.int(2));
        }
        this.emit('}');
        return;
      }
      case 'for': {
        const i = this.fresh('i');
        const overList = this.rng.chance(0.6);
        this.emit(`for ${i} in 0 to ${overList ? 'xs.len()' : this.rng.int(5)} {`);
        const inner = new Scope(scope);
        inner.vars.push({ name: i, ty: 'I64', mutable: false });
        this.depth++;
        // the counted loop's index: in bounds, one past it (a bounds check that can fail), or both
        const acc = mutables.find((v) => v.ty === 'I64');
        const index = this.rng.pick(overList ? [i, i, `${i} + 1`, `xs.len() - 1 - ${i}`] : [i, `${i} * 2`]);
        if (acc) this.emit(`${acc.name} = ${acc.name} + xs[${index}]`);
        else {
          const t = this.fresh('t');
          this.emit(`let ${t} = xs[${index}]`);
          this.emit(`println("${t}: {${t}}")`);
        }
        this.block(inner, this.rng.int(2));
        this.depth--;
        this.emit('}');
        return;
      }
      case 'while': {
        const c = this.fresh('c');
        this.emit(`var ${c}: I64 = 0`);
        const acc = mutables.find((v) => v.ty === 'I64');
        if (acc && this.rng.chance(0.6)) {
          // a square below the length bounds the counter (`<`), or does not (`<=`, `c + 1`)
          const rel = this.rng.pick(['<', '<', '<=']);
          this.emit(`while ${c} * ${c} ${rel} xs.len() {`);
          this.emit(`    ${acc.name} = ${acc.name} + xs[${this.rng.pick([c, c, `${c} + 1`])}]`);
          this.emit(`    ${c} = ${c} + 1`);
          this.emit('}');
          return;
        }
        this.emit(`while ${c} < ${1 + this.rng.int(4)} {`);
        this.depth++;
        this.block(new Scope(scope), 1 + this.rng.int(2));
        this.emit(`${c} = ${c} + 1`);
        this.depth--;
        this.emit('}');
        return;
      }
      case 'loud': {
        // dropped at the end of its scope, unless it was consumed on the path taken (a drop flag)
        const l = this.fresh('l');
        this.emit(`let ${l} = Loud { n: ${this.next} }`);
        const r = this.rng.int(3);
        if (r === 0) this.emit(`if ${this.cond(scope)} { consume(${l}) }`);
        if (r === 1) this.emit(`consume(${l})`);
        return;
      }
      case 'heap': {
        const h = this.fresh('h');
        this.emit(`let ${h} = Heap::new(${this.expr(scope, 'I64', 1)})`);
        const v: Var = { name: this.fresh('v'), ty: 'I64', mutable: true };
        this.emit(`var ${v.name}: I64 = ${h}.get() + ${this.lit('I64', false)}`);
        scope.vars.push(v);
        return;
      }
      case 'str': {
        const s = this.fresh('s');
        this.emit(`let ${s} = "${s}={${this.expr(scope, 'I64', 1)}}"`);
        const v: Var = { name: this.fresh('v'), ty: 'I64', mutable: false };
        // a Str handed to a function: its last use there (the copy may take over the reference) or not
        if (this.rng.chance(0.5)) this.emit(`let ${v.name}: I64 = str_len(${s})${this.rng.chance(0.5) ? ` + ${s}.len() as I64` : ''}`);
        else this.emit(`let ${v.name}: I64 = ${s}.len() as I64`);
        scope.vars.push(v);
        return;
      }
      case 'block': {
        const ty = this.rng.pick(INT_TYS);
        const v: Var = { name: this.fresh('v'), ty, mutable: false };
        this.emit(`let ${v.name}: ${ty} = {`);
        this.nested(scope, 1 + this.rng.int(2));
        this.emit(`    ${this.expr(scope, ty, 1)}`);
        this.emit('}');
        scope.vars.push(v);
        return;
      }
    }
  }

  private cond(scope: Scope): string {
    const ty = this.rng.pick(INT_TYS);
    const c = `${this.expr(scope, ty, 1)} ${this.rng.pick(['<', '<=', '==', '!=', '>', '>='])} ${this.expr(scope, ty, 1)}`;
    const r = this.rng.int(6);
    if (r === 0) return `${c} and ${this.cond(scope)}`;
    if (r === 1) return `not (${c})`;
    if (r === 2) return this.rng.pick(['true', 'false']);
    return c;
  }

  private expr(scope: Scope, ty: IntTy, depth: number): string {
    const vars = scope.all().filter((v) => v.ty === ty);
    const r = this.rng.int(depth <= 0 ? 3 : 10);
    if (r === 0 || (r === 1 && !vars.length)) return this.lit(ty, true);
    if (r <= 2) return vars.length ? this.rng.pick(vars).name : this.lit(ty, true);
    if (r <= 5) {
      const op = this.rng.pick(['+', '-', '*', '/', '%', '&', '|', '^', '+', '-', '*', '+']);
      // a divisor is mostly a non-zero literal: a division by zero ends the program, and with it the comparison
      const right = (op === '/' || op === '%') && this.rng.chance(0.8) ? `${1 + this.rng.int(9)}${ty.toLowerCase()}` : this.expr(scope, ty, depth - 1);
      return `(${this.expr(scope, ty, depth - 1)} ${op} ${right})`;
    }
    if (r === 6) return `(${this.expr(scope, ty, depth - 1)} ${this.rng.pick(['<<', '>>'])} ${this.rng.int(BITS[ty] + 2)}${ty.toLowerCase()})`;
    if (r === 7) return `(${this.expr(scope, this.rng.pick(INT_TYS), depth - 1)} as ${ty})`;
    if (r === 8) return `(if ${this.cond(scope)} then ${this.expr(scope, ty, depth - 1)} else ${this.expr(scope, ty, depth - 1)})`;
    if (ty === 'I64') return this.rng.pick([`xs.len()`, `twice(${this.expr(scope, 'I64', depth - 1)})`, `xs.len()`, `twice(${this.expr(scope, 'I64', depth - 1)})`, `xs[${this.rng.int(3)}]`]);
    return this.lit(ty, true);
  }

  /** A literal of the type: mostly small, sometimes at or next to a limit. */
  private lit(ty: IntTy, wide: boolean): string {
    const { min, max } = LIMITS[ty];
    let v: bigint;
    if (wide && this.rng.chance(0.05)) v = this.rng.pick([min, max, max - 1n, min + 1n, max / 2n + 1n]);
    else v = BigInt(this.rng.int(ty === 'U8' ? 20 : 12)) - (min < 0n && this.rng.chance(0.3) ? 6n : 0n);
    // suffixed: a literal in a comparison or a cast has no context to take its type from
    const text = `${v}${ty.toLowerCase()}`;
    return v < 0n ? `(${text})` : text;
  }
}

export function genOptProgram(seed: number, index: number): string {
  return new OptProgramGen(seed, index).program();
}
