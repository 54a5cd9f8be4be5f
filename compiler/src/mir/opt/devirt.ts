// Devirtualisation: a call through a vtable whose target is known at compile time becomes a direct call, which
// inlining can then take in. Known means: the vtable is a constant (an interface value or a fat pointer made in the
// same function from a concrete type), or it is read from the header of a class instance of static type C and every
// class of the program that can be a C (C and its subclasses that have a vtable, i.e. that are ever constructed)
// puts the same function in that slot — a `sealed` class, a method no subclass overrides. The program is closed
// (dead_fns relies on that too): a class with no vtable has no objects.
// The arguments stay as they were: code generation passes pointer arguments with the callee's pointer types, and
// the data pointer of a `dyn` call is read from the fat pointer (field 0) exactly as dynamic dispatch does.
import { ancestorOf, isClass, typeEquals, type Type } from '../../sema/types.js';
import type { LocalId, MirFunction, MirProgram, MirVtable, Operand, Place, Rvalue, Statement } from '../mir.js';
import { placeType } from '../analysis/place_type.js';
import { localUses, type LocalUses } from './visit.js';

type Adt = Extract<Type, { k: 'adt' }>;

export interface DevirtTables {
  readonly vtables: ReadonlyMap<string, MirVtable>;
  /** the class vtables: one per constructed class instance type */
  readonly classVtables: readonly MirVtable[];
}

export function devirtTables(p: MirProgram): DevirtTables {
  return { vtables: new Map(p.vtables.map((v) => [v.symbol, v])), classVtables: p.vtables.filter((v) => v.cls && isClass(v.cls)) };
}

export function devirtualize(p: MirProgram): void {
  const tables = devirtTables(p);
  for (const f of p.functions) devirtFunction(f, tables);
}

/** Rewrites the function's calls with a known target; returns how many. */
export function devirtFunction(f: MirFunction, tables: DevirtTables): number {
  let uses: LocalUses | null = null;
  let defs: Map<LocalId, Rvalue> | null = null;
  let n = 0;
  for (const b of f.blocks) {
    for (let j = 0; j < b.stmts.length; j++) {
      const s = b.stmts[j]!;
      if (s.k !== 'call' || (s.callee.k !== 'slot' && s.callee.k !== 'virtual')) continue;
      uses ??= localUses(f);
      defs ??= singleDefs(f, uses);
      const r = new Resolver(f, tables, uses, defs);
      const next = s.callee.k === 'slot' ? r.slotCall(s) : r.virtualCall(s);
      if (next) {
        b.stmts[j] = next;
        n++;
      }
    }
  }
  return n;
}

/** The rvalue of each local assigned exactly once as a whole and whose address is never taken (a reborrow
 * `ref (*_l)` through a pointer local is not its address). */
function singleDefs(f: MirFunction, uses: LocalUses): Map<LocalId, Rvalue> {
  const out = new Map<LocalId, Rvalue>();
  const addressed = new Set<LocalId>();
  for (const b of f.blocks) {
    for (const s of b.stmts) {
      if (s.k === 'assign' && s.rvalue.k === 'ref' && s.rvalue.place.proj[0]?.k !== 'deref') addressed.add(s.rvalue.place.local);
    }
  }
  for (const b of f.blocks) {
    for (const s of b.stmts) {
      if (s.k !== 'assign' || s.place.proj.length !== 0) continue;
      const l = s.place.local;
      if (uses.defs[l] === 1 && !addressed.has(l) && f.locals[l]!.kind !== 'arg') out.set(l, s.rvalue);
    }
  }
  return out;
}

type Target = { readonly k: 'vtable'; readonly symbol: string } | { readonly k: 'class'; readonly cls: Adt };

class Resolver {
  constructor(
    private readonly f: MirFunction,
    private readonly tables: DevirtTables,
    private readonly uses: LocalUses,
    private readonly defs: ReadonlyMap<LocalId, Rvalue>,
  ) {}

  slotCall(s: Extract<Statement, { k: 'call' }>): Statement | null {
    const c = s.callee as Extract<typeof s.callee, { k: 'slot' }>;
    const symbol = this.slotTarget(this.vtableOf(c.vtable, 0), c.slot);
    return symbol ? { ...s, callee: { k: 'fn', symbol } } : null;
  }

  /** `virtual[k](fat)` where `fat` was made by an `unsize` here: slot k of that vtable, the data pointer first. */
  virtualCall(s: Extract<Statement, { k: 'call' }>): Statement | null {
    const c = s.callee as Extract<typeof s.callee, { k: 'virtual' }>;
    if (c.object.k === 'const' || c.object.place.proj.length !== 0) return null;
    const vt = this.fatVtable(c.object.place.local, 0);
    const symbol = vt ? this.slotTarget({ k: 'vtable', symbol: vt }, c.slot) : null;
    if (!symbol) return null;
    // the fat pointer is a reference (Copy): reading its data half leaves it as it was
    const data: Operand = { k: 'copy', place: { local: c.object.place.local, proj: [{ k: 'field', index: 0 }] } };
    return { ...s, callee: { k: 'fn', symbol }, args: [data, ...s.args] };
  }

  private slotTarget(t: Target | null, slot: number): string | null {
    if (!t) return null;
    if (t.k === 'vtable') return this.tables.vtables.get(t.symbol)?.slots[slot] ?? null;
    let found: string | null = null;
    for (const v of this.tables.classVtables) {
      const anc = ancestorOf(v.cls as Adt, t.cls.def);
      if (!anc || !typeEquals(anc, t.cls)) continue;
      const sym = v.slots[slot];
      if (!sym || (found !== null && found !== sym)) return null;
      found = sym;
    }
    return found;
  }

  /** Where a vtable operand comes from: a constant, or the header of an object of a known static class. */
  private vtableOf(o: Operand, depth: number): Target | null {
    if (depth > 8) return null;
    if (o.k === 'const') return o.value.k === 'vtable' ? { k: 'vtable', symbol: o.value.symbol } : null;
    const p = o.place;
    if (p.proj.length === 0) {
      const r = this.defs.get(p.local);
      return r && r.k === 'use' ? this.vtableOf(r.op, depth + 1) : null;
    }
    const last = p.proj[p.proj.length - 1]!;
    if (last.k !== 'field' || last.index !== 1) return null;
    const before = p.proj[p.proj.length - 2];
    if (before?.k === 'deref') {
      // `(*obj).1`: the vtable in a class object's header
      const t = placeType(this.f, { local: p.local, proj: p.proj.slice(0, -2) });
      return isClass(t) ? { k: 'class', cls: t } : null;
    }
    if (p.proj.length === 1) {
      // `iv.1` of an interface value built here: `iv = struct {obj, const vtable V}`
      const r = this.defs.get(p.local);
      if (r && r.k === 'aggregate' && r.kind.k === 'struct' && r.ops.length === 2) return this.vtableOf(r.ops[1]!, depth + 1);
    }
    return null;
  }

  /** The vtable of fat pointer `_l`: made by an `unsize` here, perhaps through copies and reborrows `ref (*_m)`. */
  private fatVtable(l: LocalId, depth: number): string | null {
    if (depth > 8 || this.uses.defs[l] !== 1) return null;
    const r = this.defs.get(l);
    if (!r) return null;
    if (r.k === 'unsize') return r.vtable;
    const from: Place | null =
      r.k === 'use' && r.op.k !== 'const' ? r.op.place : r.k === 'ref' && r.place.proj.length === 1 && r.place.proj[0]!.k === 'deref' ? { local: r.place.local, proj: [] } : null;
    return from && from.proj.length === 0 ? this.fatVtable(from.local, depth + 1) : null;
  }
}
