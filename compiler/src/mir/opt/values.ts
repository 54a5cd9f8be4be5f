// What an integer operand holds, in terms the check passes can compare across program points: a constant, the
// current value of a local (a root no copy leads further from), or the length of an `@index` collection (a `List`)
// at a place. Resolution follows copies, value-preserving casts and the collection's `len()` accessor back to their
// root, and only answers when that root still holds the same value at the point of the question.
import type { Type } from '../../sema/types.js';
import type { LocalId, MirFunction, MirProgram, Operand, Place, Rvalue, Statement } from '../mir.js';
import { placeType, projType } from '../analysis/place_type.js';
import { Cfg, type Point } from './segment.js';
import { ListWatch } from './list_watch.js';
import { localUses, written, type LocalUses } from './visit.js';

export type Val =
  | { readonly k: 'const'; readonly v: bigint }
  /** the local's value; `exact`: the operand equals it (only widening casts between), else it equals it modulo
   * 2^64 (a signed value cast to an unsigned type: equal when the local is not negative) */
  | { readonly k: 'local'; readonly local: LocalId; readonly exact: boolean }
  /** the length field of the `@index` collection at `list` (never negative) */
  | { readonly k: 'len'; readonly list: Place; readonly exact: boolean };

export function intType(t: Type): Extract<Type, { k: 'int' }> | null {
  return t.k === 'int' ? t : null;
}

const DEPTH = 12;

export class Values {
  readonly cfg: Cfg;
  readonly uses: LocalUses;
  private readonly defSites: Point[][];
  private readonly lists = new Map<string, ListWatch>();

  constructor(
    readonly f: MirFunction,
    private readonly fns: ReadonlyMap<string, MirFunction>,
  ) {
    this.cfg = new Cfg(f);
    this.uses = localUses(f);
    this.defSites = f.locals.map(() => []);
    f.blocks.forEach((b, bi) =>
      b.stmts.forEach((s, si) => {
        const w = written(s);
        if (w) this.defSites[w.local]!.push({ block: bi, index: si });
      }),
    );
  }

  stmt(p: Point): Statement {
    return this.f.blocks[p.block]!.stmts[p.index]!;
  }

  /** Where local `l` is written (whole or in part). */
  defs(l: LocalId): readonly Point[] {
    return this.defSites[l]!;
  }

  /** The operand's value at `at`, or null when it cannot be named by a root that still holds it there. */
  operand(o: Operand, at: Point, depth = 0): Val | null {
    if (o.k === 'const') return o.value.k === 'int' ? { k: 'const', v: o.value.value } : null;
    const p = o.place;
    if (p.proj.length) {
      const list = this.lenField(p);
      return list ? { k: 'len', list, exact: true } : null;
    }
    const def = depth < DEPTH ? this.reachingDef(p.local, at) : null;
    if (def) {
      const s = this.stmt(def);
      const v =
        s.k === 'assign' && s.place.proj.length === 0
          ? this.rvalue(s.rvalue, def, at, depth + 1)
          : s.k === 'call' && s.dest && s.dest.proj.length === 0
            ? this.lenCall(s, def, at)
            : null;
      if (v) return v;
    }
    // no deeper root: the local itself
    return { k: 'local', local: p.local, exact: true };
  }

  /** `_l` has not been written since the last time control was at `from`, when it is read at `to`. */
  unchanged(l: LocalId, from: Point, to: Point): boolean {
    if (this.uses.borrowed[l]) return false;
    return !this.cfg.segment(from, to).some((s) => written(s)?.local === l || (s.k === 'drop' && s.place.local === l));
  }

  /** The list at `list` has the same length at `to` as the last time control was at `from`. */
  listUnchanged(list: Place, from: Point, to: Point): boolean {
    const w = this.watch(list);
    return !this.cfg.segment(from, to).some((s) => w.mutates(s));
  }

  /** The rvalue computed at `def`, seen from `at`. */
  private rvalue(r: Rvalue, def: Point, at: Point, depth: number): Val | null {
    if (r.k === 'use') return this.carry(this.operand(r.op, def, depth), def, at);
    if (r.k === 'cast') {
      const from = this.opType(r.operand);
      const to = intType(r.to);
      if (!from || !to || to.bits < from.bits || to.bits > 64) return null;
      const v = this.carry(this.operand(r.operand, def, depth), def, at);
      if (!v || v.k === 'const') return v && { k: 'const', v: to.signed ? BigInt.asIntN(to.bits, v.v) : BigInt.asUintN(to.bits, v.v) };
      // sign-extending into an unsigned type keeps the value only when it is not negative
      const exact = v.exact && (from.signed === to.signed || (!from.signed && to.bits > from.bits));
      return { ...v, exact };
    }
    return null;
  }

  /** A value read at `def` is still the same at `at`. */
  private carry(v: Val | null, def: Point, at: Point): Val | null {
    if (!v || v.k === 'const') return v;
    const after = { block: def.block, index: def.index + 1 };
    if (v.k === 'local') return this.unchanged(v.local, after, at) ? v : null;
    return this.listUnchanged(v.list, after, at) ? v : null;
  }

  /** `_d = call len(ref L)` where the callee's whole body returns the collection's length field. */
  private lenCall(s: Extract<Statement, { k: 'call' }>, def: Point, at: Point): Val | null {
    if (s.callee.k !== 'fn' || s.args.length !== 1) return null;
    const callee = this.fns.get(s.callee.symbol);
    if (!callee || !returnsLenField(callee)) return null;
    const a = s.args[0]!;
    if (a.k === 'const' || a.place.proj.length) return null;
    const ref = this.reachingDef(a.place.local, def);
    if (!ref) return null;
    const rs = this.stmt(ref);
    if (rs.k !== 'assign' || rs.rvalue.k !== 'ref' || rs.rvalue.raw) return null;
    const list = this.canonical(rs.rvalue.place);
    if (!list || !indexLen(this.f, list)) return null;
    return this.listUnchanged(list, { block: def.block, index: def.index + 1 }, at) ? { k: 'len', list, exact: true } : null;
  }

  /** The place `p` names, with `(*_r)` replaced by what `_r` (a reference written once) borrows: so that
   * `(*_3).1` with `_3 = ref (*_1)` and `(*_1).1` are the same list. Null when a step goes through a class
   * object or a raw pointer (something else may change it). */
  canonical(p: Place): Place | null {
    let cur = p;
    for (let n = 0; n < DEPTH && cur.proj[0]?.k === 'deref'; n++) {
      const r = cur.local;
      if (r <= this.f.argCount || this.uses.defs[r] !== 1 || this.uses.borrowed[r]) break;
      const def = this.defs(r)[0]!;
      const s = this.stmt(def);
      if (s.k !== 'assign') break;
      const r2 = s.rvalue;
      // `_r = move _s` (an inlined callee's parameter): the same reference, when `_s` holds only one
      if (r2.k === 'use' && r2.op.k !== 'const' && r2.op.place.proj.length === 0) {
        const from = r2.op.place.local;
        if (this.reassigned(from) || this.uses.borrowed[from]) break;
        cur = { local: from, proj: cur.proj };
        continue;
      }
      if (r2.k !== 'ref' || r2.raw) break;
      const base = r2.place;
      if (this.reassigned(base.local)) break;
      cur = { local: base.local, proj: [...base.proj, ...cur.proj.slice(1)] };
    }
    let t = this.f.locals[cur.local]!.ty;
    for (const pr of cur.proj) {
      if (pr.k === 'deref' && (t.k !== 'ref' || (t.inner.k === 'adt' && t.inner.def.kind === 'class'))) return null;
      if (pr.k === 'field' && t.k !== 'tuple' && !(t.k === 'adt' && t.def.kind === 'struct')) return null;
      if (pr.k === 'index' || pr.k === 'variant') return null;
      t = projType(t, pr);
    }
    if (cur.proj[0]?.k === 'deref' && this.reassigned(cur.local)) return null;
    return cur;
  }

  /** Written after its first value (an argument: written at all): a reference in it may point elsewhere later. */
  private reassigned(l: LocalId): boolean {
    return this.uses.defs[l]! > (l <= this.f.argCount ? 0 : 1);
  }

  /** `L.len` for an `@index` collection `L`: the canonical `L`. */
  private lenField(p: Place): Place | null {
    const last = p.proj[p.proj.length - 1]!;
    if (last.k !== 'field') return null;
    const base = { local: p.local, proj: p.proj.slice(0, -1) };
    const len = indexLen(this.f, base);
    if (len === null || len !== last.index) return null;
    return this.canonical(base);
  }

  /** Follows whole-local copies (`_6 = move _5`) back from `o` read at `at`: the operand the value was first read
   * as, and where. */
  source(o: Operand, at: Point): { op: Operand; at: Point } {
    for (let n = 0; n < DEPTH && o.k !== 'const' && o.place.proj.length === 0; n++) {
      const d = this.reachingDef(o.place.local, at);
      if (!d) break;
      const s = this.stmt(d);
      if (s.k !== 'assign' || s.place.proj.length || s.rvalue.k !== 'use') break;
      o = s.rvalue.op;
      at = d;
    }
    return { op: o, at };
  }

  /** The assignment that computed the value `o` holds at `at` (through copies), and where it is. */
  definition(o: Operand, at: Point): { s: Extract<Statement, { k: 'assign' }>; at: Point } | null {
    const src = this.source(o, at);
    if (src.op.k === 'const' || src.op.place.proj.length) return null;
    const d = this.reachingDef(src.op.place.local, src.at);
    const s = d && this.stmt(d);
    return s && s.k === 'assign' ? { s, at: d } : null;
  }

  /** The statement that last wrote all of `_l` before `at`: in the same block, or its only write anywhere when it
   * has one (which then dominates every read). Null when `_l` is an argument, borrowed, or written in part. */
  reachingDef(l: LocalId, at: Point): Point | null {
    if (this.uses.borrowed[l]) return null;
    const stmts = this.f.blocks[at.block]!.stmts;
    for (let i = at.index - 1; i >= 0; i--) {
      const w = written(stmts[i]!);
      if (w?.local === l) return w.proj.length === 0 ? { block: at.block, index: i } : null;
    }
    if (l <= this.f.argCount || this.uses.defs[l] !== 1 || this.defs(l).length !== 1) return null;
    return this.defs(l)[0]!;
  }

  opType(o: Operand): Extract<Type, { k: 'int' }> | null {
    return intType(o.k === 'const' ? o.ty : placeType(this.f, o.place));
  }

  private watch(list: Place): ListWatch {
    const key = JSON.stringify(list);
    let w = this.lists.get(key);
    if (!w) this.lists.set(key, (w = new ListWatch(this.f, list)));
    return w;
  }
}

/** The length field's index of the `@index` struct at `p`, or null. */
function indexLen(f: MirFunction, p: Place): number | null {
  const t = placeType(f, p);
  return t.k === 'adt' && t.def.kind === 'struct' && t.def.index ? t.def.index.len : null;
}

/** A function whose whole body is `_0 = copy (*_1).len; return` on an `@index` collection (`List.len`). */
function returnsLenField(f: MirFunction): boolean {
  if (f.argCount !== 1 || f.blocks.length !== 1) return false;
  const b = f.blocks[0]!;
  if (b.term.k !== 'return' || b.stmts.length !== 1) return false;
  const s = b.stmts[0]!;
  if (s.k !== 'assign' || s.place.local !== 0 || s.place.proj.length || s.rvalue.k !== 'use' || s.rvalue.op.k !== 'copy') return false;
  const p = s.rvalue.op.place;
  if (p.local !== 1 || p.proj.length !== 2 || p.proj[0]!.k !== 'deref' || p.proj[1]!.k !== 'field') return false;
  return indexLen(f, { local: 1, proj: [p.proj[0]!] }) === p.proj[1]!.index;
}

/** The program's functions by symbol, for looking into callees. */
export function functionsOf(p: MirProgram): Map<string, MirFunction> {
  return new Map(p.functions.map((f) => [f.symbol, f]));
}
