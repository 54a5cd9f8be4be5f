// Escape analysis: a `Heap[T]` that never leaves its function lives in a stack slot. A Heap is made by a call of
// `Heap.new(v, site)` or, once inlining has copied its body, by `a = tml_alloc(size_of[T], site)`, a write of the
// value through the pointer and `Heap { ptr }`. When every use of it keeps the pointee inside the function
// (opt/escape_uses.ts), the allocation becomes a stack slot:
//     h = Heap.new(v, site)          →  slot = v;  p = raw ref slot;  h = Heap { ptr: p }
//     a = tml_alloc(size_of[T], …)   →  p = raw ref slot;  a = p as *Unit      (the write through it fills the slot)
// so `h` stays a valid Heap for the calls that still take `ref h` (a `Heap.set` that was not inlined); every place
// through the pointer (`(*h.0)…`, and the same through the aliases) becomes `slot…`; and `drop(h)` becomes
// `drop(slot)`, same flag, same place. The Heap's drop glue is `Heap::drop` (drop the T, then free) and a raw pointer
// field, so the T's drop runs exactly where it ran and only the free disappears. When nothing else used `h`,
// dead_stores removes it and `p`, and the slot is an ordinary local.
// One slot serves every execution of the allocation: in a loop, the previous iteration's Heap must be dead (dropped
// or never read again) when the next one is made, which liveness checks.
import type { ProgramDefs } from '../../sema/defs.js';
import { classify } from '../../sema/ownership.js';
import { mangleType, typeEquals, type Type } from '../../sema/types.js';
import { liveness } from '../analysis/liveness.js';
import type { LocalId, MirFunction, MirProgram, Place, Statement } from '../mir.js';
import { successors } from '../move_paths.js';
import { confine, shapeOf, type Confinement, type EscapeEnv } from './escape_uses.js';
import { mapStatementPlaces, mapTerminatorPlaces } from './map_places.js';
import { localUses, type LocalUses } from './visit.js';

const HEAP_PATH = 'core::alloc::Heap';

/** The `T` of a `Heap[T]`, or null. */
function heapArg(t: Type): Type | null {
  return t.k === 'adt' && t.def.path === HEAP_PATH && t.args.length === 1 && t.args[0]!.k !== 'dyn' ? t.args[0]! : null;
}

type Call = Extract<Statement, { k: 'call' }>;

function isHeapNew(s: Statement, f: MirFunction): s is Call {
  if (s.k !== 'call' || !s.dest || s.dest.proj.length !== 0 || s.callee.k !== 'fn' || s.args.length < 1) return false;
  const t = heapArg(f.locals[s.dest.local]!.ty);
  return t !== null && s.callee.symbol === `tml.${HEAP_PATH.replace(/::/g, '.')}.new$${mangleType(t)}`;
}

function isAlloc(s: Statement): s is Call {
  return s.k === 'call' && s.dest !== null && s.dest.proj.length === 0 && s.callee.k === 'extern' && s.callee.symbol === 'tml_alloc' && s.args.length === 2;
}

export function escapeAnalysis(p: MirProgram, defs: ProgramDefs): void {
  const fns = new Map(p.functions.map((f) => [f.symbol, f]));
  for (const f of p.functions) stackHeaps(f, fns, defs);
}

interface Root {
  readonly local: LocalId;
  readonly def: Call;
  readonly block: number;
  readonly index: number;
  readonly alloc: boolean;
}

function stackHeaps(f: MirFunction, fns: Map<string, MirFunction>, defs: ProgramDefs): void {
  const isHeapType = (t: Type) => heapArg(t) !== null;
  // no Heap local, no Heap to put on the stack (most functions: skip them without looking at their statements)
  if (!f.locals.some((l) => isHeapType(l.ty))) return;
  const tried = new Set<LocalId>();
  // a rewrite replaces statements: look for the roots again after each
  for (;;) {
    const roots = findRoots(f);
    const r = roots.find((x) => !tried.has(x.local));
    if (!r) return;
    tried.add(r.local);
    if (r.local <= f.argCount || roots.some((o) => o !== r && o.local === r.local)) continue;
    const env: EscapeEnv = { fn: (s) => fns.get(s), isRootDef: (s) => s === r.def, isHeap: (l) => isHeapType(f.locals[l]!.ty), isHeapType };
    const c = confine(f, r.local, r.alloc ? 'ptr' : 'heap', env);
    if (!c) continue;
    const t = slotType(f, r, c);
    if (!t || !reusable(f, r, c)) continue;
    const needsDrop = classify(defs, t) !== 'plain';
    // a T that needs dropping is dropped through its glue (which the Heap's own drop glue made)
    if (needsDrop && !fns.has('drop$' + mangleType(t))) continue;
    rewrite(f, r, t, c, needsDrop);
  }
}

function findRoots(f: MirFunction): Root[] {
  const roots: Root[] = [];
  f.blocks.forEach((b, bi) =>
    b.stmts.forEach((s, si) => {
      if (isHeapNew(s, f) || isAlloc(s)) roots.push({ local: s.dest!.local, def: s, block: bi, index: si, alloc: isAlloc(s) });
    }),
  );
  return roots;
}

/** The T of the slot: every Heap involved is a `Heap[T]`, the pointee is only reached through `*T` pointers, and an
 * allocation is of `size_of[T]` bytes. */
function slotType(f: MirFunction, r: Root, c: Confinement): Type | null {
  const heaps = [...c.roles].filter(([, role]) => role === 'heap').map(([l]) => heapArg(f.locals[l]!.ty));
  const t = heaps[0];
  if (!t || heaps.some((h) => !h || !typeEquals(h, t))) return null;
  for (const l of c.through) {
    const role = c.roles.get(l)!;
    const lt = f.locals[l]!.ty;
    if (role === 'ptr' && !(lt.k === 'ptr' && typeEquals(lt.inner, t))) return null;
  }
  if (r.alloc && !allocatesSizeOf(f, r.def, t)) return null;
  return t;
}

function allocatesSizeOf(f: MirFunction, call: Call, t: Type): boolean {
  const isSize = (o: { k: string; value?: { k: string; of?: Type } }) => o.k === 'const' && o.value?.k === 'sizeof' && typeEquals(o.value.of!, t);
  const a = call.args[0]!;
  if (a.k === 'const') return isSize(a);
  if (a.place.proj.length !== 0) return false;
  const defsOf = f.blocks.flatMap((b) => b.stmts).filter((s) => (s.k === 'assign' || s.k === 'call') && (s.k === 'assign' ? s.place : s.dest)?.local === a.place.local);
  const d = defsOf[0];
  return defsOf.length === 1 && d!.k === 'assign' && d!.place.proj.length === 0 && d!.rvalue.k === 'use' && isSize(d!.rvalue.op);
}

/** Can one slot serve every execution of the allocation? Yes if it runs once per call, or if nothing holding the
 * previous one (a drop included) is live when it runs again. */
function reusable(f: MirFunction, r: Root, c: Confinement): boolean {
  const succ = successors(f);
  const seen = new Set<number>();
  const work = [...succ[r.block]!];
  let cyclic = false;
  while (work.length && !cyclic) {
    const b = work.pop()!;
    if (b === r.block) cyclic = true;
    else if (!seen.has(b)) {
      seen.add(b);
      work.push(...succ[b]!);
    }
  }
  if (!cyclic) return true;
  const live = liveness(f, true).after(r.block, r.index - 1);
  return ![...c.roles.keys()].some((l) => live.has(l));
}

function newTemp(f: MirFunction, ty: Type, like: LocalId): LocalId {
  const id = f.locals.length;
  f.locals.push({ id, ty, name: null, kind: 'temp', span: f.locals[like]!.span });
  return id;
}

/** The temporary `Heap.new` moves its value out of, if nothing else names it: it can be the slot itself. */
function movedTemp(f: MirFunction, call: Call, uses: LocalUses): LocalId | null {
  const a = call.args[0]!;
  if (a.k !== 'move' || a.place.proj.length !== 0) return null;
  const l = a.place.local;
  return f.locals[l]!.kind === 'temp' && uses.defs[l] === 1 && uses.uses[l] === 1 ? l : null;
}

function rewrite(f: MirFunction, r: Root, t: Type, c: Confinement, needsDrop: boolean): void {
  const reuse = r.alloc ? null : movedTemp(f, r.def, localUses(f));
  const slot = reuse ?? newTemp(f, t, r.local);
  const ptr = newTemp(f, { k: 'ptr', inner: t }, r.local);
  const whole = (l: LocalId): Place => ({ local: l, proj: [] });
  // the pointee, through the Heap or any alias, is the slot
  const toSlot = (pl: Place): Place => {
    const role = c.roles.get(pl.local);
    if (!role) return pl;
    const sh = shapeOf(role, pl);
    return sh.k === 'inside' ? { local: slot, proj: pl.proj.slice(sh.rest) } : pl;
  };
  for (const b of f.blocks) {
    const out: Statement[] = [];
    for (const s of b.stmts) {
      if (s === r.def) {
        const span = s.span;
        const dest = s.dest!;
        if (!r.alloc && reuse === null) out.push({ k: 'assign', place: whole(slot), rvalue: { k: 'use', op: s.args[0]! }, span });
        out.push({ k: 'assign', place: whole(ptr), rvalue: { k: 'ref', place: whole(slot), mutable: true, raw: true }, span });
        const p = { k: 'move' as const, place: whole(ptr) };
        const dt = f.locals[dest.local]!.ty;
        const value = r.alloc ? (typeEquals(dt, f.locals[ptr]!.ty) ? { k: 'use' as const, op: p } : { k: 'cast' as const, operand: p, to: dt }) : { k: 'aggregate' as const, kind: { k: 'struct' as const }, ops: [p] };
        out.push({ k: 'assign', place: dest, rvalue: value, span });
        continue;
      }
      if (s.k === 'drop' && s.place.proj.length === 0 && c.roles.get(s.place.local) === 'heap') {
        // the T's own drop, where the Heap's ran; a plain T has nothing to drop
        if (needsDrop) out.push({ ...s, place: whole(slot) });
        continue;
      }
      out.push(mapStatementPlaces(s, toSlot));
    }
    b.stmts = out;
    b.term = mapTerminatorPlaces(b.term, toSlot);
  }
}
