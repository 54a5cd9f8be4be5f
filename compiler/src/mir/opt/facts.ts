// What the branches above a point say about integer values there, and the intervals that follows: `i < n` on the
// edge into a loop body, `0 <= i < len` after a bounds check, `i > 0` before `i - 1`. A fact counts at a point only
// when the edge it comes from dominates the point and its values still hold there (no write to the local, no
// mutation of the list in between). Loop counters that start at a non-negative constant and only grow without
// wrapping are non-negative everywhere (an induction over their writes).
import type { LocalId, MirFunction, Operand } from '../mir.js';
import { Dominators } from './dominators.js';
import type { Point } from './segment.js';
import { intType, Values, written, type Val } from './values.js';

/** `x < y` or `x <= y` in mathematical integers. */
export interface Fact {
  readonly x: Val;
  readonly rel: '<' | '<=';
  readonly y: Val;
}

export interface Interval {
  readonly lo: bigint;
  readonly hi: bigint;
}

const I64_MAX = (1n << 63n) - 1n;
const DEPTH = 3;

export function typeRange(t: { bits: number; signed: boolean }): Interval {
  return t.signed ? { lo: -(1n << BigInt(t.bits - 1)), hi: (1n << BigInt(t.bits - 1)) - 1n } : { lo: 0n, hi: (1n << BigInt(t.bits)) - 1n };
}

export function sameVal(a: Val, b: Val): boolean {
  if (a.k === 'const' || b.k === 'const') return a.k === 'const' && b.k === 'const' && a.v === b.v;
  if (a.k === 'local') return b.k === 'local' && a.local === b.local;
  return b.k === 'len' && JSON.stringify(a.list) === JSON.stringify(b.list);
}

export class Facts {
  readonly values: Values;
  private readonly dom: Dominators;
  private readonly factCache = new Map<string, Fact[]>();
  private readonly nonNegCache = new Map<LocalId, boolean>();

  constructor(
    readonly f: MirFunction,
    fns: ReadonlyMap<string, MirFunction>,
  ) {
    this.values = new Values(f, fns);
    this.dom = new Dominators(f);
  }

  /** The facts that hold at `q`, from the branch edges that dominate it. */
  at(q: Point): Fact[] {
    const key = `${q.block}:${q.index}`;
    let out = this.factCache.get(key);
    if (out) return out;
    out = [];
    this.factCache.set(key, out); // a query made while computing sees none (no cycles)
    const pred = this.values.cfg.pred;
    // the entry is entered by the call too: no edge decides it
    for (let t = q.block; t !== 0 && this.dom.parent(t) !== -1; t = this.dom.parent(t)) {
      const ps = pred[t]!;
      if (ps.length === 1) out.push(...this.edgeFacts(ps[0]!, t, q));
    }
    return out;
  }

  /** What the branch ending block `d` says on its edge to `t`, seen from `q`. */
  private edgeFacts(d: number, t: number, q: Point): Fact[] {
    const term = this.f.blocks[d]!.term;
    if (term.k !== 'branch' || term.then === term.else) return [];
    const cond = this.values.definition(term.cond, { block: d, index: this.f.blocks[d]!.stmts.length });
    if (!cond || cond.s.rvalue.k !== 'binary') return [];
    const def = cond.at;
    const { op, left, right } = cond.s.rvalue;
    const holds = t === term.then;
    // normalised to `a < b` or `a <= b`
    let norm: [Operand, '<' | '<=', Operand] | null = null;
    if (op === 'lt') norm = holds ? [left, '<', right] : [right, '<=', left];
    else if (op === 'le') norm = holds ? [left, '<=', right] : [right, '<', left];
    else if (op === 'gt') norm = holds ? [right, '<', left] : [left, '<=', right];
    else if (op === 'ge') norm = holds ? [right, '<=', left] : [left, '<', right];
    if (!norm) return [];
    const ty = this.values.opType(left);
    const a = this.current(norm[0], def, q);
    const b = this.current(norm[2], def, q);
    if (!ty || !a || !b) return [];
    const rel = norm[1];
    const exact = (v: Val) => v.k === 'const' || v.exact;
    if (ty.signed) return exact(a) && exact(b) ? [{ x: a, rel, y: b }] : [];
    // an unsigned compare below a non-negative signed bound puts the signed value in [0, bound)
    const small = (v: Val) => v.k === 'len' || (v.k === 'const' && v.v >= 0n && v.v <= I64_MAX);
    if (small(b)) return [{ x: a, rel, y: b }, { x: { k: 'const', v: 0n }, rel: '<=', y: a }];
    return exact(a) && exact(b) && this.unsignedRoot(a) && this.unsignedRoot(b) ? [{ x: a, rel, y: b }] : [];
  }

  private unsignedRoot(v: Val): boolean {
    return v.k === 'const' || (v.k === 'local' && intType(this.f.locals[v.local]!.ty)?.signed === false);
  }

  /** The operand's value read at `def`, when it still holds at `q`. */
  private current(o: Operand, def: Point, q: Point): Val | null {
    const v = this.values.operand(o, def);
    if (!v || v.k === 'const') return v;
    if (v.k === 'local') return this.values.unchanged(v.local, def, q) ? v : null;
    return this.values.listUnchanged(v.list, def, q) ? v : null;
  }

  /** The range of `v` (a value current at `q`). */
  interval(v: Val, q: Point, depth = 0): Interval {
    if (v.k === 'const') return { lo: v.v, hi: v.v };
    let r: Interval = v.k === 'len' ? { lo: 0n, hi: I64_MAX } : this.localRange(v.local);
    if (v.k === 'local' && r.lo < 0n && this.nonNegative(v.local)) r = { lo: 0n, hi: r.hi };
    if (depth >= DEPTH) return r;
    for (const fact of this.at(q)) {
      const step = fact.rel === '<' ? 1n : 0n;
      if (sameVal(fact.x, v) && !sameVal(fact.y, v)) {
        const hi = this.interval(fact.y, q, depth + 1).hi - step;
        if (hi < r.hi) r = { lo: r.lo, hi };
      }
      if (sameVal(fact.y, v) && !sameVal(fact.x, v)) {
        const lo = this.interval(fact.x, q, depth + 1).lo + step;
        if (lo > r.lo) r = { lo, hi: r.hi };
      }
    }
    return r;
  }

  /** The range of an integer operand read at `q`. */
  operandInterval(o: Operand, q: Point): Interval | null {
    const t = this.values.opType(o);
    if (!t) return null;
    const full = typeRange(t);
    const v = this.values.operand(o, q);
    if (!v) return full;
    const r = this.interval(v, q);
    // a signed root seen through an unsigned cast is that value only when it is not negative
    if (v.k !== 'const' && !v.exact && (r.lo < 0n || r.hi > full.hi)) return full;
    return r;
  }

  /** `x < bound` at `q`: a fact says so, or the ranges do. */
  lessThan(x: Val, bound: Val, q: Point): boolean {
    if (this.interval(x, q).hi < this.interval(bound, q).lo) return true;
    return this.at(q).some((fact) => {
      if (!sameVal(fact.x, x)) return false;
      if (fact.rel === '<' && sameVal(fact.y, bound)) return true;
      const yHi = this.interval(fact.y, q, 1).hi;
      const bLo = this.interval(bound, q, 1).lo;
      return fact.rel === '<' ? yHi <= bLo : yHi < bLo;
    });
  }

  private localRange(l: LocalId): Interval {
    const t = intType(this.f.locals[l]!.ty);
    return t ? typeRange(t) : { lo: -(1n << 64n), hi: 1n << 64n };
  }

  /** Every write of `_l` stores a non-negative constant or adds a non-negative amount to `_l` without wrapping
   * (a checked add that panics on overflow, or `_l + k` where `_l` is known to be at most max - k there). */
  nonNegative(l: LocalId): boolean {
    const t = intType(this.f.locals[l]!.ty);
    if (!t) return false;
    if (!t.signed) return true;
    const cached = this.nonNegCache.get(l);
    if (cached !== undefined) return cached;
    this.nonNegCache.set(l, false);
    const v = this.values;
    const ok = l > this.f.argCount && !v.uses.borrowed[l] && v.defs(l).every((d) => this.growsFromNonNegative(l, d, typeRange(t).hi));
    this.nonNegCache.set(l, ok);
    return ok;
  }

  private growsFromNonNegative(l: LocalId, d: Point, max: bigint): boolean {
    const v = this.values;
    const s = v.stmt(d);
    if (s.k !== 'assign' || s.place.proj.length) return false;
    let r = s.rvalue;
    let at = d;
    if (r.k === 'use') {
      const src = v.source(r.op, d);
      const o = src.op;
      if (o.k === 'const') return o.value.k === 'int' && o.value.value >= 0n;
      if (o.place.proj.length === 1 && o.place.proj[0]!.k === 'field' && o.place.proj[0]!.index === 0) return this.checkedGrowth(l, o.place.local, src.at, d);
      const def = v.definition(o, src.at);
      if (!def || !v.unchanged(l, def.at, d)) return false;
      r = def.s.rvalue;
      at = def.at;
    }
    if (r.k !== 'binary' || r.op !== 'add') return false;
    const k = addend(r.left, r.right, l);
    return k !== null && this.interval({ k: 'local', local: l, exact: true }, at, 1).hi + k <= max;
  }

  /** `_t.0`, read at `read`, is `_l + k` (k >= 0) from `_t = checked_add(_l, k)`, read on its no-overflow edge,
   * and `_l` has not changed since up to `d`. */
  private checkedGrowth(l: LocalId, pair: LocalId, read: Point, d: Point): boolean {
    const v = this.values;
    const pd = v.reachingDef(pair, read);
    if (!pd) return false;
    const ps = v.stmt(pd);
    if (ps.k !== 'assign' || ps.rvalue.k !== 'checked' || ps.rvalue.op !== 'add') return false;
    const k = addend(ps.rvalue.left, ps.rvalue.right, l);
    return k !== null && v.unchanged(l, pd, d) && this.overflowChecked(pair, pd.block, read.block);
  }

  /** Block `b` ends with `if _pair.1` whose false edge dominates block `use`. */
  private overflowChecked(pair: LocalId, b: number, use: number): boolean {
    const term = this.f.blocks[b]!.term;
    if (term.k !== 'branch' || term.cond.k === 'const' || term.cond.place.local !== pair) return false;
    const p = term.cond.place.proj;
    if (p.length !== 1 || p[0]!.k !== 'field' || p[0]!.index !== 1 || term.then === term.else) return false;
    const after = this.f.blocks[b]!.stmts.slice(this.f.blocks[b]!.stmts.findIndex((s) => written(s)?.local === pair) + 1);
    if (after.some((s) => written(s)?.local === pair)) return false;
    return this.values.cfg.pred[term.else]!.length === 1 && this.dom.dominates(term.else, use);
  }
}

/** `k` when `a + b` is `_l + k` (either order) with a constant `k >= 0`. */
function addend(a: Operand, b: Operand, l: LocalId): bigint | null {
  const isL = (o: Operand) => o.k !== 'const' && o.place.local === l && o.place.proj.length === 0;
  const k = (o: Operand) => (o.k === 'const' && o.value.k === 'int' && o.value.value >= 0n ? o.value.value : null);
  if (isL(a)) return k(b);
  if (isL(b)) return k(a);
  return null;
}
