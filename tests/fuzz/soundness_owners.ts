// The owners the soundness fuzzer plays with, and what it can do to each (MEMORY.md §2, §3): how one is
// declared, its writes (each names the place it writes, so the generator knows what it conflicts with), its
// shared reads, and the ways to borrow it. Every shape here was checked to compile with tmlc.
//
// Model keys are the TML places themselves: `h0`, `xs1`, and a struct's fields `b2.h`, `b2.items`.
import type { Rng } from './mutate.js';
import { line, nest, type Model, type Stmt } from './soundness_ir.js';

export type Kind = 'heap' | 'listh' | 'listi' | 'map' | 'shared' | 'box' | 'maybe' | 'slot';
export const KINDS: readonly Kind[] = ['heap', 'listh', 'listi', 'map', 'shared', 'box', 'maybe', 'slot'];

export interface Owner {
  name: string;
  kind: Kind;
}

/** A place: an owner variable, or one field of a `Box2`. */
export interface Place {
  v: string;
  f?: 'h' | 'items';
}

/** Places overlap when one is a prefix of the other (MEMORY.md §3); distinct fields do not. */
export function overlaps(a: Place, b: Place): boolean {
  return a.v === b.v && (a.f === undefined || b.f === undefined || a.f === b.f);
}

/** A write to a place: its statements (all of them count as "the inserted action" in mutation mode). */
export interface Action {
  place: Place;
  stmts: Stmt[];
}

/** A read of a place that only needs a shared borrow of it. */
export interface Read {
  place: Place;
  stmt: Stmt;
}

/** Fresh names and small values for one scenario. */
export interface Ctx {
  rng: Rng;
  fresh(prefix: string): string;
  val(): number;
}

// ---------- the shared prelude every program starts with ----------

export const PRELUDE = `type Box2 { h: Heap[I64], items: List[Heap[I64]] }
type Slot { Full(Heap[I64]), Empty }

func renew_heap(h: Heap[I64]) -> Heap[I64] { Heap::new(h.get() + 1) }
func sink_heap(h: Heap[I64]) { println(h.get()) }
func bump_heap(h: mut ref Heap[I64]) { *h = Heap::new(h.get() + 1) }
func peek_heap(h: ref Heap[I64]) -> I64 { h.get() }
func peek_int(r: ref I64) -> I64 { *r }
func grow_list(xs: mut ref List[Heap[I64]], n: I64) { for i in 0 to n { xs.push(Heap::new(i)) } }
func sum_list(xs: ref List[Heap[I64]]) -> I64 {
    var t: I64 = 0
    for i in 0 to xs.len() { t += xs[i].get() }
    t
}
func sum_ints(ys: ref List[I64]) -> I64 {
    var t: I64 = 0
    for i in 0 to ys.len() { t += ys[i] }
    t
}
func make_box(v: I64) -> Box2 { Box2 { h: Heap::new(v), items: List[Heap[I64]]::new() } }
func peek_box(b: ref Box2) -> I64 { b.h.get() + b.items.len() }
func slot_value(s: ref Slot) -> I64 {
    when s {
        Full(h) => h.get(),
        Empty => 0,
    }
}
`;

const sum = (l: readonly number[]): number => l.reduce((a, b) => a + b, 0);

// ---------- declarations ----------

export function declare(o: Owner, c: Ctx): Stmt[] {
  const n = o.name;
  const v = c.val();
  switch (o.kind) {
    case 'heap':
      return [line(`var ${n}: Heap[I64] = Heap::new(${v})`, (m) => m.nums.set(n, v))];
    case 'shared':
      return [line(`var ${n}: Shared[I64] = Shared::new(${v})`, (m) => m.nums.set(n, v))];
    case 'listh':
    case 'listi': {
      const ty = o.kind === 'listh' ? 'List[Heap[I64]]' : 'List[I64]';
      const vs = Array.from({ length: c.rng.int(4) }, () => c.val());
      return [
        line(`var ${n} = ${ty}::new()`, (m) => m.lists.set(n, [])),
        ...vs.map((x) => line(`${n}.push(${o.kind === 'listh' ? `Heap::new(${x})` : x})`, (m) => m.list(n).push(x))),
      ];
    }
    case 'map': {
      const ks = [1, 2, 3].filter(() => c.rng.chance(0.6));
      return [
        line(`var ${n} = HashMap[I64, Heap[I64]]::new()`, (m) => m.maps.set(n, new Map())),
        ...ks.map((k) => {
          const x = c.val();
          return line(`${n}.insert(${k}, Heap::new(${x}));`, (m) => void m.map(n).set(k, x));
        }),
      ];
    }
    case 'box': {
      const x = c.val();
      return [
        line(`var ${n} = make_box(${v})`, (m) => {
          m.nums.set(`${n}.h`, v);
          m.lists.set(`${n}.items`, []);
        }),
        line(`${n}.items.push(Heap::new(${x}))`, (m) => m.list(`${n}.items`).push(x)),
      ];
    }
    case 'maybe':
      return c.rng.chance(0.8)
        ? [line(`var ${n}: Maybe[Heap[I64]] = Just(Heap::new(${v}))`, (m) => m.opts.set(n, v))]
        : [line(`var ${n}: Maybe[Heap[I64]] = Nothing`, (m) => m.opts.set(n, null))];
    case 'slot':
      return c.rng.chance(0.8)
        ? [line(`var ${n}: Slot = Full(Heap::new(${v}))`, (m) => m.opts.set(n, v))]
        : [line(`var ${n}: Slot = Empty`, (m) => m.opts.set(n, null))];
  }
}

// ---------- writes ----------

/** Writes to a `List[Heap[I64]]` or `List[I64]` place `p` (an owner or a `Box2`'s `items`). */
function listWrites(p: string, place: Place, heap: boolean, c: Ctx): Action[] {
  const ty = heap ? 'List[Heap[I64]]' : 'List[I64]';
  const el = (x: number): string => (heap ? `Heap::new(${x})` : String(x));
  const v = c.val();
  const i = c.rng.int(2);
  const k = c.fresh('k');
  const acts: Action[] = [
    { place, stmts: [line(`${p}.push(${el(v)})`, (m) => m.list(p).push(v))] },
    {
      place,
      stmts: [
        nest(
          [
            { depth: 0, line: `for ${k} in 0 to 9 {` },
            { depth: 1, body: [line(`${p}.push(${el(v)})`)] },
            { depth: 0, line: '}' },
          ],
          (m) => {
            for (let j = 0; j < 9; j++) m.list(p).push(v);
          },
        ),
      ],
    },
    { place, stmts: [line(`${p}.pop();`, (m) => void m.list(p).pop())] },
    { place, stmts: [line(`${p}.clear()`, (m) => void m.list(p).splice(0))] },
    { place, stmts: [line(`${p} = ${ty}::new()`, (m) => m.lists.set(p, []))] },
    {
      place,
      stmts: [
        nest(
          [
            { depth: 0, line: `if ${p}.len() > ${i} {` },
            { depth: 1, body: [line(`${p}[${i}] = ${el(v)}`)] },
            { depth: 0, line: '}' },
          ],
          (m) => {
            const l = m.list(p);
            if (l.length > i) l[i] = v;
          },
        ),
      ],
    },
  ];
  if (heap) {
    acts.push({
      place,
      stmts: [
        line(`grow_list(mut ref ${p}, 3)`, (m) => {
          m.list(p).push(0, 1, 2);
        }),
      ],
    });
  }
  return acts;
}

/** Writes to a `Heap[I64]` place `p` (an owner or a `Box2`'s `h`); `moves`: also moving it out and back. */
function heapWrites(p: string, place: Place, c: Ctx, moves: boolean): Action[] {
  const v = c.val();
  const acts: Action[] = [
    { place, stmts: [line(`${p} = Heap::new(${v})`, (m) => m.nums.set(p, v))] },
    { place, stmts: [line(`${p}.set(${v})`, (m) => m.nums.set(p, v))] },
    { place, stmts: [line(`bump_heap(mut ref ${p})`, (m) => m.nums.set(p, m.num(p) + 1))] },
  ];
  if (!moves) return acts;
  const t = c.fresh('t');
  acts.push(
    { place, stmts: [line(`*${p} = ${v}`, (m) => m.nums.set(p, v))] },
    { place, stmts: [line(`${p} = renew_heap(${p})`, (m) => m.nums.set(p, m.num(p) + 1))] },
    {
      place,
      stmts: [line(`sink_heap(${p})`, (m) => m.print(m.num(p))), line(`${p} = Heap::new(${v})`, (m) => m.nums.set(p, v))],
    },
  );
  let kept = 0;
  acts.push({
    place,
    stmts: [
      line(`let ${t} = ${p}`, (m) => {
        kept = m.num(p);
      }),
      line(`${p} = Heap::new(${v})`, (m) => m.nums.set(p, v)),
      line(`println(${t}.get())`, (m) => m.print(kept)),
    ],
  });
  return acts;
}

/** Every write this owner offers, with fresh values. */
export function writes(o: Owner, c: Ctx): Action[] {
  const n = o.name;
  const whole: Place = { v: n };
  const v = c.val();
  switch (o.kind) {
    case 'heap':
      return heapWrites(n, whole, c, true);
    case 'shared':
      return [{ place: whole, stmts: [line(`${n} = Shared::new(${v})`, (m) => m.nums.set(n, v))] }];
    case 'listh':
    case 'listi':
      return listWrites(n, whole, o.kind === 'listh', c);
    case 'map': {
      const k = 1 + c.rng.int(3);
      return [
        { place: whole, stmts: [line(`${n}.insert(${k}, Heap::new(${v}));`, (m) => void m.map(n).set(k, v))] },
        { place: whole, stmts: [line(`${n}.remove(${k});`, (m) => void m.map(n).delete(k))] },
        { place: whole, stmts: [line(`${n} = HashMap[I64, Heap[I64]]::new()`, (m) => m.maps.set(n, new Map()))] },
      ];
    }
    case 'box': {
      const h: Place = { v: n, f: 'h' };
      const items: Place = { v: n, f: 'items' };
      return [
        ...heapWrites(`${n}.h`, h, c, false),
        ...listWrites(`${n}.items`, items, true, c),
        {
          place: whole,
          stmts: [
            line(`${n} = make_box(${v})`, (m) => {
              m.nums.set(`${n}.h`, v);
              m.lists.set(`${n}.items`, []);
            }),
          ],
        },
      ];
    }
    case 'maybe':
      return [
        { place: whole, stmts: [line(`${n} = Nothing`, (m) => m.opts.set(n, null))] },
        { place: whole, stmts: [line(`${n} = Just(Heap::new(${v}))`, (m) => m.opts.set(n, v))] },
      ];
    case 'slot':
      return [
        { place: whole, stmts: [line(`${n} = Empty`, (m) => m.opts.set(n, null))] },
        { place: whole, stmts: [line(`${n} = Full(Heap::new(${v}))`, (m) => m.opts.set(n, v))] },
      ];
  }
}

// ---------- shared reads ----------

export function reads(o: Owner, c: Ctx): Read[] {
  const n = o.name;
  const whole: Place = { v: n };
  const r = (place: Place, expr: string, f: (m: Model) => number | boolean): Read => ({
    place,
    stmt: line(`println(${expr})`, (m) => m.print(f(m))),
  });
  switch (o.kind) {
    case 'heap':
      return [r(whole, `${n}.get()`, (m) => m.num(n)), r(whole, `peek_heap(ref ${n})`, (m) => m.num(n)), r(whole, `*${n}`, (m) => m.num(n))];
    case 'shared':
      return [r(whole, `${n}.get()`, (m) => m.num(n)), r(whole, `${n}.strong_count()`, () => 1)];
    case 'listh':
      return [r(whole, `${n}.len()`, (m) => m.list(n).length), r(whole, `sum_list(ref ${n})`, (m) => sum(m.list(n)))];
    case 'listi':
      return [r(whole, `${n}.len()`, (m) => m.list(n).length), r(whole, `sum_ints(ref ${n})`, (m) => sum(m.list(n)))];
    case 'map': {
      const k = 1 + c.rng.int(3);
      return [r(whole, `${n}.len()`, (m) => m.map(n).size), r(whole, `${n}.contains(${k})`, (m) => m.map(n).has(k))];
    }
    case 'box':
      return [
        r({ v: n, f: 'h' }, `${n}.h.get()`, (m) => m.num(`${n}.h`)),
        r({ v: n, f: 'items' }, `${n}.items.len()`, (m) => m.list(`${n}.items`).length),
        r(whole, `peek_box(ref ${n})`, (m) => m.num(`${n}.h`) + m.list(`${n}.items`).length),
      ];
    case 'maybe':
      return [r(whole, `${n}.is_just()`, (m) => m.opts.get(n) !== null)];
    case 'slot':
      return [r(whole, `slot_value(ref ${n})`, (m) => m.opts.get(n) ?? 0)];
  }
}
