// The soundness fuzzer's program representation (issue 9): generated statements carry both their TML text and
// what they do, so one tree is printed (with the line of every statement, for checking where a diagnostic
// points) and run by a small model that predicts the program's output.
//
// A statement is a line (`h0 = Heap::new(5)`) or a nest: lines and bodies at relative depths, e.g. a `when`
// with its arms. The model is plain values: no references are stored, a reference is a getter that reads its
// place when used, which is exactly what a sound program observes.

/** The model's state of one scenario: every owner's value, the live reference getters, and what was printed. */
export class Model {
  readonly nums = new Map<string, number>(); // Heap[I64], Shared[I64]
  readonly lists = new Map<string, number[]>(); // List[Heap[I64]], List[I64]
  readonly maps = new Map<string, Map<number, number>>(); // HashMap[I64, Heap[I64]] (insertion order)
  readonly opts = new Map<string, number | null>(); // Maybe[Heap[I64]], Slot
  readonly refs = new Map<string, () => number>();
  /** references to lists: the list they see */
  readonly lrefs = new Map<string, () => number[]>();
  readonly out: string[] = [];
  /** set when the model met something a real run would panic on (a generator bug in a sound program) */
  bad = '';

  num(v: string): number {
    return this.nums.get(v) ?? this.fail(`no number ${v}`);
  }
  list(v: string): number[] {
    const l = this.lists.get(v);
    if (l === undefined) {
      this.fail(`no list ${v}`);
      return [];
    }
    return l;
  }
  map(v: string): Map<number, number> {
    const m = this.maps.get(v);
    if (m === undefined) {
      this.fail(`no map ${v}`);
      return new Map();
    }
    return m;
  }
  at(v: string, i: number): number {
    const l = this.list(v);
    return i < l.length ? l[i]! : this.fail(`index ${i} of ${v} (len ${l.length})`);
  }
  ref(r: string): number {
    const g = this.refs.get(r);
    return g === undefined ? this.fail(`no reference ${r}`) : g();
  }
  lref(r: string): number[] {
    const g = this.lrefs.get(r);
    if (g === undefined) {
      this.fail(`no list reference ${r}`);
      return [];
    }
    return g();
  }
  print(x: number | string | boolean): void {
    this.out.push(String(x));
  }
  fail(why: string): number {
    if (this.bad === '') this.bad = why;
    return Number.NaN;
  }
}

export type Run = (m: Model) => void;

export type Part = { depth: number; line: string } | { depth: number; body: Stmt[] };

export type Stmt =
  | { k: 'line'; text: string; run: Run }
  /** `run` gets a function that runs body `i` (the i-th body among the parts) */
  | { k: 'nest'; parts: Part[]; run: (m: Model, body: (i: number) => void) => void };

export const line = (text: string, run: Run = () => {}): Stmt => ({ k: 'line', text, run });

export function nest(parts: Part[], run: (m: Model, body: (i: number) => void) => void): Stmt {
  return { k: 'nest', parts, run };
}

export function runAll(stmts: readonly Stmt[], m: Model): void {
  for (const s of stmts) {
    if (m.out.length > 100_000) {
      m.fail('runaway output');
      return;
    }
    if (s.k === 'line') s.run(m);
    else {
      const bodies = s.parts.flatMap((p) => ('body' in p ? [p.body] : []));
      s.run(m, (i) => runAll(bodies[i] ?? [], m));
    }
  }
}

/** Prints statements at `indent` (4 spaces a level) into `out`, recording the 1-based line of each statement. */
export function printStmts(stmts: readonly Stmt[], indent: number, out: string[], lineOf: Map<Stmt, number>): void {
  const pad = (d: number): string => '    '.repeat(d);
  for (const s of stmts) {
    lineOf.set(s, out.length + 1);
    if (s.k === 'line') {
      out.push(pad(indent) + s.text);
      continue;
    }
    for (const p of s.parts) {
      if ('line' in p) out.push(pad(indent + p.depth) + p.line);
      else printStmts(p.body, indent + p.depth, out, lineOf);
    }
  }
}
