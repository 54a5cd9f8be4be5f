// The alias-tag fuzzer's generator (issue 13; codegen/alias_tags.ts): random, well-typed programs that churn the
// memory optimised builds tag — `@pool` class instances replaced in a list while the old one is still read, number
// fields written and read back, a class-typed field reassigned, class references moved through an enum's payload
// that also holds an F64 or an I64 — next to memory that is never tagged (a struct list of the same shape). A debug
// build (no tags, no optimisation) and a `--release` build must print the same thing. A `Tally` struct has number
// fields each program writes and prints only some of, and maybe reads through a raw `*I64` (the release build's
// dead_fields pass removes the stores of the fields nothing reads, and must keep those the raw read sees). Values
// stay bounded (`%`), so the debug build's overflow checks never fire; the loop variable is cast wherever it is used,
// whatever its type.
// Deterministic: program `index` of `seed` depends only on the two.
import { mutantSeed, Rng } from './mutate.js';

const PRELUDE = `@pool class A {
    x: F64
    n: I64
    k: I32
    new(x: F64, n: I64, k: I32) {
        this.x = x
        this.n = n
        this.k = k
    }
}

class B {
    y: F64
    m: I64
    a: A
    new(y: F64, m: I64, a: A) {
        this.y = y
        this.m = m
        this.a = a
    }
}

type Slot { HasA(A), HasB(B), Num(F64), Int(I64) }

type Plain { x: F64, n: I64 }

type Tally { hits: I64, last: F64, seen: I64 }

func slot_value(s: ref Slot) -> F64 {
    when s {
        HasA(a) => a.x + (a.n as F64),
        HasB(b) => b.y + b.a.x,
        Num(v) => v,
        Int(i) => i as F64,
    }
}

func touch(a: A, f: F64) -> F64 {
    a.x = a.x * 0.5 + f
    a.n = (a.n + 1) % 1000
    a.x
}
`;

export class AliasProgramGen {
  private readonly rng: Rng;
  private lines: string[] = [];
  private temps = 0;
  // list lengths: small, so that replacements reuse pool slots and indices collide
  private readonly na: number;
  private readonly nb: number;
  private readonly ns: number;
  private readonly np: number;

  constructor(seed: number, index: number) {
    this.rng = new Rng(mutantSeed(seed, index));
    this.na = 2 + this.rng.int(5);
    this.nb = 1 + this.rng.int(4);
    this.ns = 1 + this.rng.int(4);
    this.np = 1 + this.rng.int(4);
  }

  program(): string {
    const iterations = 20 + this.rng.int(200);
    const body = 4 + this.rng.int(10);
    for (let i = 0; i < body; i++) this.statement(2);
    // which of the tally's fields the program reads: as fields, or its first word through a raw pointer
    const shown = ['hits', 'last', 'seen'].filter(() => this.rng.chance(0.4));
    const raw = this.rng.chance(0.4);
    return [
      PRELUDE,
      'func main() {',
      '    var aa = List[A]::new()',
      `    for i in 0 to ${this.na} { aa.push(A::new(i as F64 * 0.5, i as I64, i)) }`,
      '    var bb = List[B]::new()',
      `    for i in 0 to ${this.nb} { bb.push(B::new(i as F64, i as I64 * 3, aa[i % ${this.na}])) }`,
      '    var ss = List[Slot]::new()',
      `    for i in 0 to ${this.ns} { ss.push(Num(i as F64)) }`,
      '    var pp = List[Plain]::new()',
      `    for i in 0 to ${this.np} { pp.push(Plain { x: i as F64, n: i as I64 }) }`,
      '    var tl = Tally { hits: 0, last: 0.0, seen: 0 }',
      '    var af = 0.0',
      '    var ai: I64 = 0',
      `    for it in 0 to ${iterations} {`,
      ...this.lines,
      '    }',
      '    println("af {af} ai {ai}")',
      `    for i in 0 to ${this.na} { println("a{i} {aa[i].x} {aa[i].n} {aa[i].k}") }`,
      `    for i in 0 to ${this.nb} { println("b{i} {bb[i].y} {bb[i].m} {bb[i].a.x} {bb[i].a.n}") }`,
      `    for i in 0 to ${this.ns} { println("s{i} {slot_value(ref ss[i])}") }`,
      `    for i in 0 to ${this.np} { println("p{i} {pp[i].x} {pp[i].n}") }`,
      ...shown.map((f) => `    println("tally ${f} {tl.${f}}")`),
      ...(raw ? ['    let first = lowlevel {', '        let p: *Tally = &tl', '        (p as *I64).read()', '    }', '    println("tally word {first}")'] : []),
      '}',
      '',
    ].join('\n');
  }

  private emit(depth: number, line: string): void {
    this.lines.push(`${'    '.repeat(depth)}${line}`);
  }

  /** An index into a list of `n` elements that moves with the loop. */
  private index(n: number): string {
    const c = this.rng.int(7);
    return this.rng.chance(0.5) ? `((it as I64) + ${c}) % ${n}` : `((it as I64) * ${1 + this.rng.int(3)} + ${c}) % ${n}`;
  }

  private a(): string {
    return `aa[${this.index(this.na)}]`;
  }
  private b(): string {
    return `bb[${this.index(this.nb)}]`;
  }
  private s(): string {
    return `ss[${this.index(this.ns)}]`;
  }
  private p(): string {
    return `pp[${this.index(this.np)}]`;
  }

  /** An F64 that stays bounded when stored and read back (each source is scaled down or is a constant). */
  private f(): string {
    const c = `${this.rng.int(9)}.${this.rng.pick(['0', '25', '5', '75'])}`;
    return this.rng.pick([
      c,
      `${this.a()}.x * 0.5 + ${c}`,
      `${this.b()}.y * 0.25 + ${c}`,
      `${this.b()}.a.x * 0.5 + ${c}`,
      `${this.p()}.x * 0.5 + ${c}`,
      `(it as F64) * 0.125`,
      `(${this.a()}.n as F64) * 0.01`,
    ]);
  }

  /** An I64 in a few thousands. */
  private i(): string {
    const c = this.rng.int(50);
    return this.rng.pick([
      `(${this.a()}.n + ${c}) % 1000`,
      `(${this.b()}.m * 3 + ${c}) % 1000`,
      `(it as I64 + ${c}) % 1000`,
      `${this.p()}.n % 97`,
      `ai % 1000`,
      `(${this.a()}.k as I64) + ${c}`,
    ]);
  }

  /** An I32 below 200. */
  private k(): string {
    const c = this.rng.int(20);
    return this.rng.pick([`(${this.a()}.k + ${c}) % 100`, `((it as I32) % 50) + ${c}`, `${c}`]);
  }

  private statement(depth: number): void {
    switch (this.rng.int(17)) {
      case 0:
        return this.emit(depth, `${this.a()} = A::new(${this.f()}, ${this.i()}, ${this.k()})`);
      case 1:
        return this.emit(depth, `${this.a()}.x = ${this.f()}`);
      case 2:
        return this.emit(depth, `${this.a()}.n = ${this.i()}`);
      case 3:
        return this.emit(depth, `${this.a()}.k = ${this.k()}`);
      case 4:
        return this.emit(depth, `${this.b()}.a = ${this.a()}`);
      case 5:
        return this.emit(depth, `${this.b()} = B::new(${this.f()}, ${this.i()}, ${this.a()})`);
      case 6:
        return this.emit(depth, this.rng.pick([`${this.b()}.a.x = ${this.f()}`, `${this.b()}.y = ${this.f()}`, `${this.b()}.m = ${this.i()}`]));
      case 7:
        return this.emit(depth, `${this.s()} = ${this.rng.pick([`HasA(${this.a()})`, `HasB(${this.b()})`, `Num(${this.f()})`, `Int(${this.i()})`])}`);
      case 8:
        return this.emit(depth, `af += slot_value(ref ${this.s()})`);
      case 9:
        return this.emit(
          depth,
          this.rng.pick([`${this.p()}.x = ${this.a()}.x * 0.5`, `${this.a()}.n = (${this.p()}.n + 7) % 1000`, `${this.p()} = Plain { x: ${this.f()}, n: ${this.i()} }`]),
        );
      case 10:
        return this.emit(depth, `af += ${this.a()}.x + ${this.b()}.y + ${this.b()}.a.x`);
      case 11:
        return this.emit(depth, `ai = (ai + ${this.a()}.n + (${this.a()}.k as I64) + ${this.b()}.m) % 1000003`);
      case 12: {
        // the old object is read after its list slot holds a new one (which the pool may have put in its place if
        // the old one had died)
        const t = `t${this.temps++}`;
        const at = this.index(this.na);
        this.emit(depth, `let ${t} = aa[${at}]`);
        this.emit(depth, `aa[${at}] = A::new(${t}.x * 0.5 + 1.0, (${t}.n + 3) % 1000, (${t}.k + 1) % 100)`);
        return this.emit(depth, `af += ${t}.x - aa[${at}].x + (${t}.n as F64)`);
      }
      case 13:
        return this.emit(depth, `af += touch(${this.a()}, ${this.f()})`);
      case 14: {
        // a swap of two elements through a temporary
        const t = `t${this.temps++}`;
        const [i, j] = [this.index(this.na), this.index(this.na)];
        this.emit(depth, `let ${t} = aa[${i}]`);
        this.emit(depth, `aa[${i}] = aa[${j}]`);
        return this.emit(depth, `aa[${j}] = ${t}`);
      }
      case 15:
        return this.emit(depth, this.rng.pick(['tl.hits += 1', `tl.last = ${this.f()}`, `tl.seen = (tl.seen + ${this.i()}) % 1000`]));
      default: {
        if (depth > 3) return this.emit(depth, `af += ${this.f()}`);
        this.emit(depth, `if ((it as I64) + ${this.rng.int(5)}) % 3 == 0 {`);
        for (let n = 1 + this.rng.int(3); n > 0; n--) this.statement(depth + 1);
        this.emit(depth, '} else {');
        for (let n = 1 + this.rng.int(2); n > 0; n--) this.statement(depth + 1);
        return this.emit(depth, '}');
      }
    }
  }
}

export function genAliasProgram(seed: number, index: number): string {
  return new AliasProgramGen(seed, index).program();
}
