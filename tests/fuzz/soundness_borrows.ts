// The ways the soundness fuzzer borrows an owner (MEMORY.md §3 "What a reference borrows"): `let` references to
// a place with projections (`ref h`, `ref *h`, `ref s.items[0]`, `mut ref xs`), and the scoped ones (`when ref m`,
// `for v in ref xs`, `map.get(k)`). Each form names the place it borrows, wraps a body in which the reference
// lives, and says how to read (and, for `mut ref`, write) through the reference.
import { line, nest, type Model, type Stmt } from './soundness_ir.js';
import type { Ctx, Owner, Place } from './soundness_owners.js';

/** What the reference is: its reads and writes depend on it. `val` is a copied element (`for v in ref ys`). */
export type RefType = 'heap' | 'shared' | 'int' | 'val' | 'listh' | 'listi' | 'box';

export interface Borrow {
  place: Place;
  mut: boolean;
  /** the name bound to the reference */
  ref: string;
  type: RefType;
  /** the model key the reference reaches, for writes through a `mut ref` (`h0`, `b2.items`) */
  key: string;
  /**
   * The statements, with `body` where the reference lives; `at` is the statement that takes the borrow. `body`
   * is used in place (a `let` form puts its binding in front of it), so later insertions into it are printed.
   */
  build(body: Stmt[]): { stmt: Stmt; at: Stmt };
}

type Getter = { num: (m: Model) => number } | { list: (m: Model) => number[] };

function bind(m: Model, r: string, g: Getter): void {
  if ('num' in g) m.refs.set(r, () => g.num(m));
  else m.lrefs.set(r, () => g.list(m));
}

/** `let r = <expr>` then the body, optionally under `if <p>.len() > i` (for an element borrow). */
function letForm(
  c: Ctx,
  place: Place,
  mut: boolean,
  type: RefType,
  key: string,
  expr: string,
  g: Getter,
  guard?: { list: string; i: number },
): Borrow {
  const ref = c.fresh('r');
  return {
    place,
    mut,
    ref,
    type,
    key,
    build(body) {
      const at = line(`let ${ref} = ${expr}`, (m) => bind(m, ref, g));
      body.unshift(at);
      if (guard === undefined) {
        // a nest with one body at depth 0 prints flat
        return { stmt: nest([{ depth: 0, body }], (_m, run) => run(0)), at };
      }
      const stmt = nest(
        [
          { depth: 0, line: `if ${guard.list}.len() > ${guard.i} {` },
          { depth: 1, body },
          { depth: 0, line: '}' },
        ],
        (m, run) => {
          if (m.list(guard.list).length > guard.i) run(0);
        },
      );
      return { stmt, at };
    },
  };
}

/** `for v in ref <p> { body }` over a list place. */
function forForm(c: Ctx, place: Place, p: string, byValue: boolean): Borrow {
  const ref = c.fresh('v');
  return {
    place,
    mut: false,
    ref,
    type: byValue ? 'val' : 'heap',
    key: p,
    build(body) {
      const stmt = nest(
        [
          { depth: 0, line: `for ${ref} in ref ${p} {` },
          { depth: 1, body },
          { depth: 0, line: '}' },
        ],
        (m, run) => {
          const n = m.list(p).length;
          for (let j = 0; j < n; j++) {
            const x = m.at(p, j);
            m.refs.set(ref, byValue ? () => x : () => m.at(p, j));
            run(0);
          }
        },
      );
      return { stmt, at: stmt };
    },
  };
}

/** `when <head> { <some>(x) => { body } <none> => { println("none") } }`; `value` is the payload or null. */
function whenForm(c: Ctx, place: Place, head: string, some: string, none: string, value: (m: Model) => number | null): Borrow {
  const ref = c.fresh('x');
  return {
    place,
    mut: false,
    ref,
    type: 'heap',
    key: place.v,
    build(body) {
      const stmt = nest(
        [
          { depth: 0, line: `when ${head} {` },
          { depth: 1, line: `${some}(${ref}) => {` },
          { depth: 2, body },
          { depth: 1, line: '}' },
          { depth: 1, line: `${none} => {` },
          { depth: 2, body: [line('println("none")', (m) => m.print('none'))] },
          { depth: 1, line: '}' },
          { depth: 0, line: '}' },
        ],
        (m, run) => {
          if (value(m) === null) return run(1);
          m.refs.set(ref, () => value(m) ?? m.fail(`${ref} after its payload went`));
          run(0);
        },
      );
      return { stmt, at: stmt };
    },
  };
}

const num = (key: string): Getter => ({ num: (m) => m.num(key) });
const elem = (key: string, i: number): Getter => ({ num: (m) => m.at(key, i) });
const list = (key: string): Getter => ({ list: (m) => m.list(key) });

/** Every way to borrow this owner. */
export function borrows(o: Owner, c: Ctx): Borrow[] {
  const n = o.name;
  const whole: Place = { v: n };
  const i = c.rng.int(2);
  switch (o.kind) {
    case 'heap':
      return [
        letForm(c, whole, false, 'heap', n, `ref ${n}`, num(n)),
        letForm(c, whole, false, 'int', n, `ref *${n}`, num(n)),
        letForm(c, whole, true, 'heap', n, `mut ref ${n}`, num(n)),
      ];
    case 'shared':
      return [letForm(c, whole, false, 'shared', n, `ref ${n}`, num(n)), letForm(c, whole, false, 'int', n, `ref *${n}`, num(n))];
    case 'listh':
    case 'listi': {
      const heap = o.kind === 'listh';
      return [
        letForm(c, whole, false, o.kind, n, `ref ${n}`, list(n)),
        letForm(c, whole, true, o.kind, n, `mut ref ${n}`, list(n)),
        letForm(c, whole, false, heap ? 'heap' : 'int', n, `ref ${n}[${i}]`, elem(n, i), { list: n, i }),
        forForm(c, whole, n, !heap),
      ];
    }
    case 'map': {
      const k = 1 + c.rng.int(3);
      return [whenForm(c, whole, `${n}.get(${k})`, 'Just', 'Nothing', (m) => m.map(n).get(k) ?? null)];
    }
    case 'box': {
      const h: Place = { v: n, f: 'h' };
      const items: Place = { v: n, f: 'items' };
      const hk = `${n}.h`;
      const ik = `${n}.items`;
      return [
        letForm(c, whole, false, 'box', hk, `ref ${n}`, num(hk)),
        letForm(c, h, false, 'heap', hk, `ref ${n}.h`, num(hk)),
        letForm(c, h, false, 'int', hk, `ref *${n}.h`, num(hk)),
        letForm(c, h, true, 'heap', hk, `mut ref ${n}.h`, num(hk)),
        letForm(c, items, false, 'listh', ik, `ref ${n}.items`, list(ik)),
        letForm(c, items, true, 'listh', ik, `mut ref ${n}.items`, list(ik)),
        letForm(c, items, false, 'heap', ik, `ref ${n}.items[${i}]`, elem(ik, i), { list: ik, i }),
        forForm(c, items, ik, false),
      ];
    }
    case 'maybe':
      return [whenForm(c, whole, `ref ${n}`, 'Just', 'Nothing', (m) => m.opts.get(n) ?? null)];
    case 'slot':
      return [whenForm(c, whole, `ref ${n}`, 'Full', 'Empty', (m) => m.opts.get(n) ?? null)];
  }
}

const sum = (l: readonly number[]): number => l.reduce((a, b) => a + b, 0);

/** Statements that read through the reference and print what they read. */
export function refReads(b: Borrow): Stmt[] {
  const r = b.ref;
  const p = (expr: string, f: (m: Model) => number): Stmt => line(`println(${expr})`, (m) => m.print(f(m)));
  const v = (m: Model): number => m.ref(r);
  switch (b.type) {
    case 'heap':
      return b.mut ? [p(`${r}.get()`, v)] : [p(`${r}.get()`, v), p(`peek_heap(${r})`, v)];
    case 'shared':
      return [p(`${r}.get()`, v)];
    case 'int':
      return [p(`*${r}`, v), p(`peek_int(${r})`, v)];
    case 'val':
      return [p(r, v)];
    case 'listh':
    case 'listi': {
      const len = p(`${r}.len()`, (m) => m.lref(r).length);
      // a `mut ref` does not coerce to a `ref` parameter
      return b.mut ? [len] : [len, p(`${b.type === 'listh' ? 'sum_list' : 'sum_ints'}(${r})`, (m) => sum(m.lref(r)))];
    }
    case 'box':
      return [p(`${r}.h.get()`, v)];
  }
}

/** Statements that write through a `mut ref` (empty for other references). */
export function refWrites(b: Borrow, c: Ctx): Stmt[] {
  if (!b.mut) return [];
  const r = b.ref;
  const k = b.key;
  const x = c.val();
  switch (b.type) {
    case 'heap':
      return [line(`${r}.set(${x})`, (m) => m.nums.set(k, x)), line(`bump_heap(${r})`, (m) => m.nums.set(k, m.num(k) + 1))];
    case 'listh':
      return [line(`${r}.push(Heap::new(${x}))`, (m) => m.list(k).push(x)), line(`grow_list(${r}, 2)`, (m) => m.list(k).push(0, 1))];
    case 'listi':
      return [line(`${r}.push(${x})`, (m) => m.list(k).push(x))];
    default:
      return [];
  }
}
