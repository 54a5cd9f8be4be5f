// Escape analysis of one `Heap[T]` value (opt/escape.ts): does anything but reads and writes of its pointee reach
// it? A root local (the result of `Heap.new`, or of the `tml_alloc` of an inlined `Heap.new`) is followed through
// the aliases lowering and inlining make of it: the Heap moved to another local (`h = move _t`), references to it
// (`_r = ref h`, passed on as `_r2 = move _r`), copies and casts of its raw pointer (`_p = copy h.0`,
// `_p = copy (*_r).0`, `_p = move _a as *T`) and the one Heap built around that pointer (`_t = Heap { ptr: _p }`).
// Every mention of the root or an alias must then be one of: the pointee (`(*h.0)…`, `(*(*_r).0)…`, `(*_p)…`) used
// in any way but a raw borrow; the alias definitions themselves; a drop of the Heap; a reference to the Heap passed
// to a function whose own body passes the same test for that parameter (`Heap.get`, `Heap.set`, `Display`, …).
// Anything else (a move or copy of the Heap or of its pointer, a cast of the pointer, a raw borrow of the pointee,
// a write of the pointer field) is an escape: the pointee could outlive the frame or be freed by someone else.
import type { Type } from '../../sema/types.js';
import type { LocalId, MirFunction, Operand, Place, Statement } from '../mir.js';
import { localUses, terminatorOperands } from './visit.js';

/** What a tracked local is: the Heap itself, a reference to it, or a copy of its raw pointer. */
export type Role = 'heap' | 'ref' | 'ptr';

/** Where a place is mentioned. `def`: the whole destination of an assignment or call; `src`: the operand of
 * `_x = use …`; `arg`: an argument of a call of a MIR function. */
type Ctx = 'def' | 'write' | 'read' | 'src' | 'cast' | 'wrap' | 'arg' | 'ref' | 'rawref' | 'drop';

export interface Confinement {
  /** every tracked local with its role (the root included) */
  readonly roles: Map<LocalId, Role>;
  /** the locals through which the pointee itself is reached (their pointee type must be the slot's) */
  readonly through: Set<LocalId>;
}

export interface EscapeEnv {
  /** the MIR function called by symbol, if it is one of the program's */
  readonly fn: (symbol: string) => MirFunction | undefined;
  /** may the root be defined by this statement (the `Heap.new` call, the `tml_alloc` call)? */
  readonly isRootDef: (s: Statement) => boolean;
  /** is this local a `Heap[…]` (a pointer wrapped in one becomes a Heap alias)? */
  readonly isHeap: (l: LocalId) => boolean;
  readonly isHeapType: (t: Type) => boolean;
}

/** The place relative to its tracked local: the whole local, the Heap a reference points to (`(*_r)`), its pointer, the pointee (with the projections after
 * the pointee's deref), or something the analysis does not allow. */
type Shape = { k: 'whole' } | { k: 'obj' } | { k: 'ptr' } | { k: 'inside'; rest: number } | { k: 'bad' };

export function shapeOf(role: Role, p: Place): Shape {
  const pr = p.proj;
  const isF0 = (i: number) => pr[i]?.k === 'field' && (pr[i] as { index: number }).index === 0;
  const isDeref = (i: number) => pr[i]?.k === 'deref';
  if (pr.length === 0) return { k: 'whole' };
  if (role === 'heap') {
    if (!isF0(0)) return { k: 'bad' };
    if (pr.length === 1) return { k: 'ptr' };
    return isDeref(1) ? { k: 'inside', rest: 2 } : { k: 'bad' };
  }
  if (role === 'ref') {
    if (pr.length === 1 && isDeref(0)) return { k: 'obj' };
    if (!isDeref(0) || !isF0(1)) return { k: 'bad' };
    if (pr.length === 2) return { k: 'ptr' };
    return isDeref(2) ? { k: 'inside', rest: 3 } : { k: 'bad' };
  }
  return isDeref(0) ? { k: 'inside', rest: 1 } : { k: 'bad' };
}

interface Mention {
  readonly place: Place;
  readonly ctx: Ctx;
  /** for `src`, `cast`, `wrap`, `ref`: the whole local it is assigned to; for `arg`: the callee and position */
  readonly dest?: LocalId;
  readonly call?: { readonly symbol: string; readonly index: number };
}

/** Every place a statement names, with how it is used; `flags`: locals named as drop flags. */
function mentions(s: Statement): { places: Mention[]; flags: LocalId[] } {
  const places: Mention[] = [];
  const read = (o: Operand, ctx: Ctx = 'read', extra: Partial<Mention> = {}) => {
    if (o.k !== 'const') places.push({ place: o.place, ctx, ...extra });
  };
  const dest = (p: Place) => places.push({ place: p, ctx: p.proj.length === 0 ? 'def' : 'write' });
  switch (s.k) {
    case 'assign': {
      dest(s.place);
      const r = s.rvalue;
      const whole = s.place.proj.length === 0 ? s.place.local : undefined;
      if (r.k === 'use') read(r.op, whole === undefined ? 'read' : 'src', whole === undefined ? {} : { dest: whole });
      else if (r.k === 'binary' || r.k === 'checked') (read(r.left), read(r.right));
      // a pointer offset from the Heap's pointer is an escape (as the integer arithmetic it replaces was)
      else if (r.k === 'offset') (read(r.base), read(r.index));
      else if (r.k === 'cast' && r.to.k === 'ptr' && whole !== undefined) read(r.operand, 'cast', { dest: whole });
      else if (r.k === 'unary' || r.k === 'cast' || r.k === 'unsize') read(r.operand);
      else if (r.k === 'aggregate' && r.kind.k === 'struct' && r.ops.length === 1 && whole !== undefined) read(r.ops[0]!, 'wrap', { dest: whole });
      else if (r.k === 'aggregate') r.ops.forEach((o) => read(o));
      else if (r.k === 'ref') places.push({ place: r.place, ctx: r.raw ? 'rawref' : 'ref', ...(whole === undefined ? {} : { dest: whole }) });
      else if (r.k === 'discriminant') places.push({ place: r.place, ctx: 'read' });
      return { places, flags: [] };
    }
    case 'call': {
      if (s.dest) dest(s.dest);
      const c = s.callee;
      if (c.k === 'closure') read(c.value);
      if (c.k === 'virtual') read(c.object);
      if (c.k === 'slot') read(c.vtable);
      s.args.forEach((a, index) => (c.k === 'fn' ? read(a, 'arg', { call: { symbol: c.symbol, index } }) : read(a)));
      return { places, flags: [] };
    }
    case 'drop':
      places.push({ place: s.place, ctx: 'drop' });
      return { places, flags: s.flag === null ? [] : [s.flag] };
    case 'retain':
      places.push({ place: s.place, ctx: 'read' });
      return { places, flags: [] };
    default:
      return { places, flags: [] };
  }
}

/** A local an alias may be: a variable or temporary (not the return place or an argument), written once. */
function aliasable(f: MirFunction, defs: Int32Array, l: LocalId): boolean {
  return l > f.argCount && defs[l] === 1;
}

/** The locals through which the root's Heap is reached, if none of them lets it escape; null if it escapes.
 * `seen` guards the recursion through callees' reference parameters (a cycle is assumed to escape). */
export function confine(f: MirFunction, root: LocalId, rootRole: Role, env: EscapeEnv, seen = new Set<string>()): Confinement | null {
  const uses = localUses(f);
  const roles = new Map<LocalId, Role>([[root, rootRole]]);
  const all = f.blocks.flatMap((b) => b.stmts.map((s) => ({ s, m: mentions(s) })));
  // the aliases: `_x = ref h`, `_x = move _r` (references); `_x = copy h.0`, `_x = copy _p` (pointers)
  for (let changed = true; changed; ) {
    changed = false;
    for (const { m } of all) {
      for (const x of m.places) {
        const role = roles.get(x.place.local);
        if (!role || x.dest === undefined || roles.has(x.dest) || !aliasable(f, uses.defs, x.dest)) continue;
        const sh = shapeOf(role, x.place);
        const alias: Role | null =
          x.ctx === 'ref' && ((role === 'heap' && sh.k === 'whole') || sh.k === 'obj') ? 'ref'
          : x.ctx === 'src' && sh.k === 'whole' ? role
          : x.ctx === 'src' && sh.k === 'ptr' ? 'ptr'
          : x.ctx === 'cast' && sh.k === 'whole' && role === 'ptr' ? 'ptr'
          : x.ctx === 'wrap' && sh.k === 'whole' && role === 'ptr' && env.isHeap(x.dest) ? 'heap'
          : null;
        // a raw pointer the program holds in a variable (`let p = h.into_raw()`, inlined) is the program's, not a
        // view of the Heap: it escapes, so a leak through it stays a leak the leak checker reports
        // (a variable of an inlined callee has no name: it is the callee's view, inside the Heap's own methods)
        if (alias === 'ptr' && f.locals[x.dest]!.name !== null) continue;
        if (alias) {
          roles.set(x.dest, alias);
          changed = true;
        }
      }
    }
  }
  const through = new Set<LocalId>();
  const ok = (x: Mention, s: Statement): boolean => {
    const role = roles.get(x.place.local)!;
    const sh = shapeOf(role, x.place);
    switch (sh.k) {
      case 'inside':
        through.add(x.place.local);
        return x.ctx !== 'rawref';
      case 'ptr':
        return x.ctx === 'src' && roles.get(x.dest!) === 'ptr';
      case 'obj':
        return x.ctx === 'ref' && roles.get(x.dest!) === 'ref';
      case 'bad':
        return false;
      case 'whole':
        break;
    }
    if (x.ctx === 'def') return x.place.local === root ? rootRole !== 'ref' && env.isRootDef(s) : true;
    if (x.ctx === 'src') return roles.get(x.dest!) === role;
    if (role === 'heap') return x.ctx === 'drop' || (x.ctx === 'ref' && roles.get(x.dest!) === 'ref');
    if (role === 'ptr') return (x.ctx === 'cast' && roles.get(x.dest!) === 'ptr') || (x.ctx === 'wrap' && roles.get(x.dest!) === 'heap');
    if (x.ctx === 'arg') return calleeConfines(x.call!.symbol, x.call!.index, env, seen);
    return false;
  };
  for (const { s, m } of all) {
    if (m.flags.some((l) => roles.has(l))) return null;
    for (const x of m.places) {
      if (x.place.proj.some((pr) => pr.k === 'index' && roles.has(pr.index))) return null;
      if (roles.has(x.place.local) && !ok(x, s)) return null;
    }
  }
  for (const b of f.blocks) for (const o of terminatorOperands(b.term)) if (o.k !== 'const' && roles.has(o.place.local) && shapeOf(roles.get(o.place.local)!, o.place).k !== 'inside') return null;
  // an alias's one definition is the aliasing statement (checked above); the root is defined once, or is an argument
  if (rootRole === 'ref' ? uses.defs[root] !== 0 : uses.defs[root] !== 1) return null;
  // one pointer, one owner: a pointer wrapped in two Heaps would be freed twice (no valid program does it)
  if (rootRole === 'ptr' && all.filter(({ m }) => m.places.some((x) => x.ctx === 'wrap' && roles.get(x.place.local) === 'ptr')).length !== 1) return null;
  return { roles, through };
}

const summaries = new WeakMap<MirFunction, Map<number, boolean>>();

/** Does function `symbol` keep what its reference parameter `index` points to inside (see the file comment)? */
function calleeConfines(symbol: string, index: number, env: EscapeEnv, seen: Set<string>): boolean {
  const g = env.fn(symbol);
  if (!g || index >= g.argCount) return false;
  let memo = summaries.get(g);
  if (!memo) summaries.set(g, (memo = new Map()));
  const known = memo.get(index);
  if (known !== undefined) return known;
  const key = `${symbol}#${index}`;
  if (seen.has(key)) return false;
  seen.add(key);
  const param = index + 1;
  const t = g.locals[param]!.ty;
  const isHeap = (l: LocalId) => env.isHeapType(g.locals[l]!.ty);
  const result = t.k === 'ref' && confine(g, param, 'ref', { ...env, isRootDef: () => false, isHeap }, seen) !== null;
  seen.delete(key);
  memo.set(index, result);
  return result;
}
