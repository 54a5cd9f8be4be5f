// What the branches above a point say about integer values there, and the intervals that follows: `i < n` on the
// edge into a loop body, `0 <= i < len` after a bounds check, `i > 0` before `i - 1`. A fact counts at a point only
// when the edge it comes from dominates the point and its values still hold there (no write to the local, no
// mutation of the list in between). Loop counters that start at a non-negative constant and only grow without
// wrapping are non-negative everywhere (an induction over their writes).
import type { LocalId, MirFunction, Operand, Rvalue } from '../mir.js';
import { Dominators } from '../analysis/dominators.js';
import type { Point } from './segment.js';
import { intType, Values, type Val } from './values.js';
import { written } from './visit.js';

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
const WORK = 50_000;

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
  private readonly boundCache = new Map<LocalId, bigint | null>();
  private readonly assumed = new Map<LocalId, bigint>();
  private work = 0;

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
    if (ty.signed) {
      if (!exact(a) || !exact(b)) return [];
      // `i * i < n` (or `<=`) says the same of `i`: i <= i * i for every integer i (i(i - 1) >= 0), when the
      // product did not wrap
      const root = this.squared(norm[0], def);
      const i = root && this.current(root.op, root.at, q);
      return i && i.k !== 'const' && i.exact ? [{ x: a, rel, y: b }, { x: i, rel, y: b }] : [{ x: a, rel, y: b }];
    }
    // an unsigned compare below a non-negative signed bound puts the signed value in [0, bound)
    const small = (v: Val) => v.k === 'len' || (v.k === 'const' && v.v >= 0n && v.v <= I64_MAX);
    if (small(b)) return [{ x: a, rel, y: b }, { x: { k: 'const', v: 0n }, rel: '<=', y: a }];
    return exact(a) && exact(b) && this.unsignedRoot(a) && this.unsignedRoot(b) ? [{ x: a, rel, y: b }] : [];
  }

  /** `o` read at `at` holds `i * i` computed without wrapping (a plain product whose operand ranges keep it in its
   * type, or a checked one read on its no-overflow edge): the operand `i` and where it was read. */
  private squared(o: Operand, at: Point): { op: Operand; at: Point } | null {
    const v = this.values;
    const src = v.source(o, at);
    const so = src.op;
    if (so.k === 'const') return null;
    let r: Rvalue | null = null;
    let rAt = src.at;
    if (so.place.proj.length === 1 && so.place.proj[0]!.k === 'field' && so.place.proj[0]!.index === 0) {
      const pd = v.reachingDef(so.place.local, src.at);
      const ps = pd && v.stmt(pd);
      if (!pd || !ps || ps.k !== 'assign' || ps.rvalue.k !== 'checked' || !this.overflowChecked(so.place.local, pd.block, src.at.block)) return null;
      r = ps.rvalue;
      rAt = pd;
    } else if (so.place.proj.length === 0) {
      const d = v.definition(so, src.at);
      if (!d || d.s.rvalue.k !== 'binary' || this.writeInterval(d.s.rvalue, d.at) === null) return null;
      r = d.s.rvalue;
      rAt = d.at;
    }
    if (!r || (r.k !== 'binary' && r.k !== 'checked') || r.op !== 'mul') return null;
    const { left, right } = r;
    if (left.k === 'const' || right.k === 'const' || left.place.proj.length || right.place.proj.length || left.place.local !== right.place.local) return null;
    return { op: left, at: rAt };
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
    // a budget per function keeps deep chains of facts cheap; the type's range is always a safe answer
    if (++this.work > WORK) return r;
    const lb = v.k === 'local' ? this.lowerBound(v.local) : null;
    if (lb !== null && lb > r.lo) r = { lo: lb, hi: r.hi };
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

  /** A lower bound of `_l` everywhere, by an induction over its writes: with `_l >= c` assumed (c: the least
   * constant it is given, or 0), every write stores a value `>= c` that does not wrap (a constant, `_l + 1`,
   * `i * i`, a checked operation read on its no-overflow edge). A bound found while another local is assumed is
   * not kept: the assumption may fail. Null when there is none (an argument, a borrowed local, a write that may be
   * smaller or wrap). */
  lowerBound(l: LocalId): bigint | null {
    const t = intType(this.f.locals[l]!.ty);
    if (!t) return null;
    const assumed = this.assumed.get(l);
    if (assumed !== undefined) return assumed;
    const cached = this.boundCache.get(l);
    if (cached !== undefined) return cached;
    const v = this.values;
    if (l <= this.f.argCount || v.uses.borrowed[l]) return this.keep(l, null);
    let c: bigint | null = null;
    for (const d of v.defs(l)) {
      const s = v.stmt(d);
      if (s.k !== 'assign' || s.place.proj.length || s.rvalue.k !== 'use') continue;
      const o = v.source(s.rvalue.op, d).op;
      if (o.k === 'const' && o.value.k === 'int' && (c === null || o.value.value < c)) c = o.value.value;
    }
    if (c === null || c < 0n) c = 0n;
    this.assumed.set(l, c);
    const ok = v.defs(l).every((d) => {
      const s = v.stmt(d);
      if (s.k !== 'assign' || s.place.proj.length) return false;
      const r = this.writeInterval(s.rvalue, d);
      return r !== null && r.lo >= c!;
    });
    this.assumed.delete(l);
    const bound = ok ? c : null;
    return bound !== null && this.assumed.size ? bound : this.keep(l, bound);
  }

  private keep(l: LocalId, b: bigint | null): bigint | null {
    this.boundCache.set(l, b);
    return b;
  }

  /** `idx` is `x - k` (k >= 0, computed without wrapping: plain with `x >= k` known, or checked on its
   * no-overflow edge) with `x` still current at `q`: `x` and `k`, for an index one below a bounded counter. */
  offset(idx: Val, q: Point): { base: Val; k: bigint } | null {
    if (idx.k !== 'local') return null;
    const v = this.values;
    const op: Operand = { k: 'copy', place: { local: idx.local, proj: [] } };
    const src = v.source(op, q);
    let r: Rvalue | null = null;
    let at = src.at;
    const o = src.op;
    if (o.k !== 'const' && o.place.proj.length === 1 && o.place.proj[0]!.k === 'field' && o.place.proj[0]!.index === 0) {
      const pd = v.reachingDef(o.place.local, src.at);
      const ps = pd && v.stmt(pd);
      if (!pd || !ps || ps.k !== 'assign' || ps.rvalue.k !== 'checked' || !this.overflowChecked(o.place.local, pd.block, src.at.block)) return null;
      r = ps.rvalue;
      at = pd;
    } else {
      const def = v.definition(o, src.at);
      if (!def || def.s.rvalue.k !== 'binary') return null;
      r = def.s.rvalue;
      at = def.at;
    }
    if ((r.k !== 'binary' && r.k !== 'checked') || r.op !== 'sub' || r.right.k !== 'const' || r.right.value.k !== 'int') return null;
    const k = r.right.value.value;
    const base = v.operand(r.left, at);
    if (k < 0n || !base || base.k === 'const' || !base.exact) return null;
    const current = base.k === 'local' ? v.unchanged(base.local, at, q) : v.listUnchanged(base.list, at, q);
    if (!current) return null;
    // a plain subtraction does not wrap when the base is at least k there
    if (r.k === 'binary' && this.interval(base, at).lo < k) return null;
    return { base, k };
  }

  /** The range of the value an assignment at `d` stores, or null when it may wrap or is not known. */
  private writeInterval(r: Rvalue, d: Point): Interval | null {
    const v = this.values;
    if (r.k === 'use') {
      const src = v.source(r.op, d);
      const o = src.op;
      if (o.k === 'const') return o.value.k === 'int' ? { lo: o.value.value, hi: o.value.value } : null;
      if (o.place.proj.length === 1 && o.place.proj[0]!.k === 'field' && o.place.proj[0]!.index === 0) return this.checkedResult(o.place.local, src.at);
      if (o.place.proj.length) return null;
      const def = v.definition(o, src.at);
      if (def && def.s.rvalue.k !== 'use') return this.writeInterval(def.s.rvalue, def.at);
      return this.operandInterval(o, src.at);
    }
    if (r.k === 'binary' && (r.op === 'add' || r.op === 'sub' || r.op === 'mul')) {
      const t = v.opType(r.left);
      const a = this.operandInterval(r.left, d);
      const b = this.operandInterval(r.right, d);
      if (!t || !a || !b) return null;
      const out = arith(r.op, a, b);
      return within(out, typeRange(t)) ? out : null; // plain arithmetic wraps
    }
    return null;
  }

  /** `_pair.0`, read at `read` on the no-overflow edge of `_pair = checked_op(a, b)`: the exact result. */
  private checkedResult(pair: LocalId, read: Point): Interval | null {
    const v = this.values;
    const pd = v.reachingDef(pair, read);
    if (!pd) return null;
    const ps = v.stmt(pd);
    if (ps.k !== 'assign' || ps.rvalue.k !== 'checked' || !this.overflowChecked(pair, pd.block, read.block)) return null;
    const t = v.opType(ps.rvalue.left);
    const a = this.operandInterval(ps.rvalue.left, pd);
    const b = this.operandInterval(ps.rvalue.right, pd);
    if (!t || !a || !b) return null;
    const out = arith(ps.rvalue.op, a, b);
    const full = typeRange(t);
    return { lo: out.lo > full.lo ? out.lo : full.lo, hi: out.hi < full.hi ? out.hi : full.hi };
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

/** Interval arithmetic in mathematical integers. */
export function arith(op: 'add' | 'sub' | 'mul', a: Interval, b: Interval): Interval {
  if (op === 'add') return { lo: a.lo + b.lo, hi: a.hi + b.hi };
  if (op === 'sub') return { lo: a.lo - b.hi, hi: a.hi - b.lo };
  const ps = [a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi];
  return { lo: ps.reduce((x, y) => (y < x ? y : x)), hi: ps.reduce((x, y) => (y > x ? y : x)) };
}

export function within(r: Interval, range: Interval): boolean {
  return r.lo >= range.lo && r.hi <= range.hi;
}
