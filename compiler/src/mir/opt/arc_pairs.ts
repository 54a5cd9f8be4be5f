// Retain/release pair elimination (ARC optimisation, MEMORY.md §4). Lowering copies a runtime-managed value
// (`Str`, a closure, a class instance) with `_r = copy _h; retain(_r)` and releases the copy with `drop`; a
// `Shared`/`Sync` handle is copied by `_r = call Shared::duplicate(ref _h)` and released by its `Drop`. When the
// original owner `_h` keeps its own reference from the retain to every release of the copy, the pair only moves
// the count up and down again: the retain and the releases go, and the copy becomes a plain bit copy.
//
// A pair is removed only when all of this holds (anything else is left as it was):
//   - `_h` is a whole local whose address is never taken mutably or raw (nothing outside this function's own
//     statements can change it), that this function owns (it has a `drop` of its own);
//   - the copy goes from local to local only by `_x = move _r` and ends, on every path from the retain, in exactly
//     one unflagged `drop` of the local holding it; the paths between form a region entered only at the retain
//     (so the release is never on another path than the retain, nor in a later loop iteration); a path that
//     panics (ends in `unreachable`) needs no release;
//   - in between, nothing moves, writes or drops `_h` or the copy, nothing borrows either mutably, and nothing can
//     observe the count: the counts of `Str`, closures and class instances are not observable from TML; a `Shared`/
//     `Sync` pair is left alone when the program can read that type's `strong_count`.
// The releases that stay are the same, so no destructor runs at another point. Owners that are themselves copies
// whose pair was removed are still sound: their own pair's region contains the inner one (it starts before the
// inner copy is made and ends after the inner owner's last use), and its owner holds a reference throughout.
import { placeEquals, type BasicBlock, type LocalId, type MirFunction, type MirProgram, type Place, type Statement } from '../mir.js';
import { localUses, statementOperands, targets, terminatorOperands } from './visit.js';

/** Statements scanned per candidate, at most: the region of one pair is usually a few statements. */
const SCAN_LIMIT = 4000;

export function arcPairs(p: MirProgram): void {
  const symbols = new Set(p.functions.map((f) => f.symbol));
  for (const f of p.functions) if (f.kind !== 'drop-glue' && f.kind !== 'retain-glue') arcPairsIn(f, symbols);
}

/** The places each local's drops release (whole or in part). */
type Drops = Map<LocalId, Place[]>;

interface Candidate {
  readonly block: number;
  /** the retain, or the duplicate call */
  readonly index: number;
  readonly copy: LocalId;
  /** the place the copy was made from */
  readonly owner: Place;
  /** a `Shared`/`Sync` duplicate: the call becomes `_r = copy _h` */
  readonly duplicate: boolean;
}

function arcPairsIn(f: MirFunction, symbols: ReadonlySet<string>): void {
  const found = [...candidates(f, symbols)];
  if (!found.length) return;
  const pinned = pinnedLocals(f);
  const drops: Drops = new Map();
  for (const b of f.blocks)
    for (const s of b.stmts) {
      if (s.k !== 'drop') continue;
      const list = drops.get(s.place.local);
      if (list) list.push(s.place);
      else drops.set(s.place.local, [s.place]);
    }
  const defs = localUses(f).defs;
  const refDefs = sharedRefDefs(f);
  const changed = changedCollections(f, refDefs);
  const preds = edgeCounts(f.blocks);
  const remove = new Map<number, Set<number>>(); // block → statement indices to delete
  const replace = new Map<string, Statement>(); // `block:index` → replacement (a duplicate call)
  for (const c of found) {
    if (pinned[c.copy]) continue;
    const watch = aliasHolder(f, c, drops, pinned, refDefs, changed, defs) ?? holder(f, c.owner, drops, pinned, refDefs, changed);
    if (!watch || watch.includes(c.copy)) continue;
    const released = releases(f, c, watch, pinned, preds);
    if (!released) continue;
    const at = c.block;
    if (c.duplicate) {
      const call = f.blocks[at]!.stmts[c.index]!;
      replace.set(`${at}:${c.index}`, { k: 'assign', place: { local: c.copy, proj: [] }, rvalue: { k: 'use', op: { k: 'copy', place: c.owner } }, span: 'span' in call ? call.span : f.span });
    } else mark(remove, at, c.index);
    for (const [b, i] of released) mark(remove, b, i);
  }
  if (!remove.size && !replace.size) return;
  f.blocks.forEach((b, bi) => {
    const gone = remove.get(bi);
    b.stmts = b.stmts.flatMap((s, i) => (gone?.has(i) ? [] : [replace.get(`${bi}:${i}`) ?? s]));
  });
}

function mark(m: Map<number, Set<number>>, b: number, i: number): void {
  let s = m.get(b);
  if (!s) m.set(b, (s = new Set()));
  s.add(i);
}

/** `_r = copy _h; retain(_r)`, and `_t = ref _h; _r = call Shared::duplicate(move _t)` where no one can read the
 * count of that `Shared`/`Sync` type. */
function* candidates(f: MirFunction, symbols: ReadonlySet<string>): Generator<Candidate> {
  for (const [bi, b] of f.blocks.entries()) {
    for (let i = 1; i < b.stmts.length; i++) {
      const s = b.stmts[i]!;
      const prev = b.stmts[i - 1]!;
      if (s.k === 'retain' && s.place.proj.length === 0) {
        const r = s.place.local;
        if (prev.k !== 'assign' || prev.place.local !== r || prev.place.proj.length !== 0) continue;
        const rv = prev.rvalue;
        if (rv.k !== 'use' || rv.op.k !== 'copy') continue;
        yield { block: bi, index: i, copy: r, owner: rv.op.place, duplicate: false };
      } else if (s.k === 'call' && s.callee.k === 'fn' && s.dest && s.dest.proj.length === 0 && s.args.length === 1) {
        const m = /^(tml\.core\.alloc\.(?:Shared|Sync))\.duplicate(\$.*)$/.exec(s.callee.symbol);
        if (!m || symbols.has(`${m[1]}.strong_count${m[2]}`)) continue;
        const a = s.args[0]!;
        if (a.k !== 'move' || a.place.proj.length !== 0) continue;
        if (prev.k !== 'assign' || prev.place.local !== a.place.local || prev.place.proj.length !== 0) continue;
        const rv = prev.rvalue;
        if (rv.k !== 'ref' || rv.raw || rv.mutable || rv.place.proj.length !== 0) continue;
        yield { block: bi, index: i, copy: s.dest.local, owner: rv.place, duplicate: true };
      }
    }
  }
}

/** Locals whose address is taken mutably or raw (or at all, in a function with `lowlevel` code, where a
 * reference can become a raw pointer): something other than this function's statements may change them. (An
 * element pointer of a collection points into its heap buffer, not into the local: changedCollections.) */
function pinnedLocals(f: MirFunction): Uint8Array {
  const pinned = new Uint8Array(f.locals.length);
  const anyRef = (f.lowlevel?.length ?? 0) > 0;
  for (const b of f.blocks)
    for (const s of b.stmts)
      if (s.k === 'assign' && s.rvalue.k === 'ref' && (anyRef || s.rvalue.mutable || s.rvalue.raw)) pinned[s.rvalue.place.local] = 1;
  return pinned;
}

/** The locals that must stay untouched for the value at `p` to keep its reference, or null when `p` is not known to
 * hold one for as long as they do:
 *   - a place inside a local this function owns (a local, a field, an enum payload, an array element), that some
 *     drop of this function releases: its local (and the index locals);
 *   - an element of a collection reached through the element pointer lowering made for `c[i]` or `for x in ref c`
 *     (`pointsInto`): the pointer, and the collection's local, or the shared reference it is reached through (a
 *     shared reference cannot push, pop or assign an element) and the local that reference was taken of. */
function holder(f: MirFunction, p: Place, drops: Drops, pinned: Uint8Array, refDefs: Map<LocalId, Place | null>, changed: ReadonlySet<LocalId>): LocalId[] | null {
  if (p.proj.every((pr) => pr.k !== 'deref')) {
    if (pinned[p.local] || !(drops.get(p.local) ?? []).some((d) => isPrefix(d, p))) return null;
    return [p.local, ...indexLocals(p)];
  }
  if (p.proj.length !== 1) return null;
  const into = f.locals[p.local]!.pointsInto;
  if (!into || pinned[p.local] || changed.has(collectionRoot(into, refDefs))) return null;
  const watch = [p.local, ...indexLocals(into)];
  if (into.proj.every((pr) => pr.k !== 'deref')) {
    if (pinned[into.local] || !(drops.get(into.local) ?? []).some((d) => d.proj.length === 0)) return null;
    return [...watch, into.local];
  }
  // `(*r).fields…`: `r` a shared reference, to a parameter's collection (the caller keeps it as it is while we run)
  // or taken of one of our locals by `r = ref l`
  if (into.proj[0]!.k !== 'deref' || into.proj.slice(1).some((pr) => pr.k === 'deref')) return null;
  const r = into.local;
  const rt = f.locals[r]!.ty;
  if (rt.k !== 'ref' || rt.mutable || pinned[r]) return null;
  if (r >= 1 && r <= f.argCount) return [...watch, r];
  const of = refDefs.get(r);
  if (!of || pinned[of.local] || of.proj.some((pr) => pr.k === 'deref') || !(drops.get(of.local) ?? []).some((d) => isPrefix(d, of))) return null;
  return [...watch, r, of.local, ...indexLocals(of)];
}

/** `_a = copy xs[i]; _r = copy _a; retain(_r)` (how `let w = xs[i]` is lowered): `_a` is a bit copy nothing
 * releases; the holder is the element it was copied from, as long as nothing touches either in between. */
function aliasHolder(f: MirFunction, c: Candidate, drops: Drops, pinned: Uint8Array, refDefs: Map<LocalId, Place | null>, changed: ReadonlySet<LocalId>, defs: Int32Array): LocalId[] | null {
  const a = c.owner;
  if (c.duplicate || a.proj.length !== 0 || pinned[a.local] || drops.has(a.local)) return null;
  const stmts = f.blocks[c.block]!.stmts;
  for (let k = c.index - 2; k >= 0; k--) {
    const s = stmts[k]!;
    const d = s.k === 'assign' ? s.place : s.k === 'call' ? s.dest : null;
    if (!d || d.local !== a.local) continue;
    if (s.k !== 'assign' || d.proj.length !== 0 || s.rvalue.k !== 'use' || s.rvalue.op.k !== 'copy') return null;
    if (defs[a.local] !== 1) return null;
    const inner = holder(f, s.rvalue.op.place, drops, pinned, refDefs, changed);
    if (!inner) return null;
    const watch = [...inner, a.local];
    for (let m = k + 1; m < c.index - 1; m++) if (disturbs(stmts[m]!, watch)) return null;
    return watch;
  }
  return null;
}

function isPrefix(a: Place, b: Place): boolean {
  if (a.local !== b.local || a.proj.length > b.proj.length) return false;
  return placeEquals(a, { local: b.local, proj: b.proj.slice(0, a.proj.length) });
}

function indexLocals(p: Place): LocalId[] {
  return p.proj.flatMap((pr) => (pr.k === 'index' ? [pr.index] : []));
}

/** The local whose collection an element pointer points into: `into`'s own, or the one its shared reference was
 * taken of. */
function collectionRoot(into: Place, refDefs: Map<LocalId, Place | null>): LocalId {
  if (into.proj[0]?.k !== 'deref') return into.local;
  return refDefs.get(into.local)?.local ?? into.local;
}

/** Collections (by root local) whose elements some element pointer of this function may change: it writes, drops,
 * moves out of or mutably borrows an element, or lets the pointer itself go (`xs[i] = v` assigns through one, with
 * no `mut ref` of `xs`). */
function changedCollections(f: MirFunction, refDefs: Map<LocalId, Place | null>): Set<LocalId> {
  const out = new Set<LocalId>();
  const root = (l: LocalId): LocalId | null => {
    const into = f.locals[l]?.pointsInto;
    return into ? collectionRoot(into, refDefs) : null;
  };
  const bad = (pl: Place | null) => {
    const r = pl ? root(pl.local) : null;
    if (r !== null) out.add(r);
  };
  for (const b of f.blocks) {
    for (const s of b.stmts) {
      for (const o of statementOperands(s)) if (o.k === 'move' || (o.k === 'copy' && o.place.proj.length === 0)) bad(o.place);
      if (s.k === 'assign') {
        if (s.place.proj.length) bad(s.place);
        if (s.rvalue.k === 'ref' && (s.rvalue.mutable || s.rvalue.raw)) bad(s.rvalue.place);
      } else if (s.k === 'call') {
        if (s.dest && s.dest.proj.length) bad(s.dest);
      } else if (s.k === 'drop') bad(s.place);
    }
    for (const o of terminatorOperands(b.term)) if (o.k !== 'const') bad(o.place);
  }
  return out;
}

/** Locals assigned exactly once, by a shared `ref` of a place (the place), or otherwise (null). */
function sharedRefDefs(f: MirFunction): Map<LocalId, Place | null> {
  const out = new Map<LocalId, Place | null>();
  for (const b of f.blocks)
    for (const s of b.stmts) {
      const d = s.k === 'assign' ? s.place : s.k === 'call' ? s.dest : null;
      if (!d) continue;
      const single = s.k === 'assign' && d.proj.length === 0 && s.rvalue.k === 'ref' && !s.rvalue.mutable && !s.rvalue.raw && !out.has(d.local);
      out.set(d.local, single && s.k === 'assign' && s.rvalue.k === 'ref' ? s.rvalue.place : null);
    }
  return out;
}

/** How many CFG edges enter each block. */
function edgeCounts(blocks: readonly BasicBlock[]): Int32Array {
  const n = new Int32Array(blocks.length);
  for (const b of blocks) for (const t of targets(b.term)) n[t]!++;
  return n;
}

/** The drops that release the copy made by candidate `c`, one on every path (block, index), or null when the
 * pair cannot be removed. */
function releases(f: MirFunction, c: Candidate, watch: readonly LocalId[], pinned: Uint8Array, preds: Int32Array): [number, number][] | null {
  const entryCopy = new Map<number, LocalId>(); // region block → the local holding the copy at its entry
  const entered = new Map<number, number>(); // region block → region edges into it
  const drops: [number, number][] = [];
  const work: [number, number, LocalId][] = [[c.block, c.index + 1, c.copy]];
  let budget = SCAN_LIMIT;
  while (work.length) {
    const [bi, start, from] = work.pop()!;
    const b = f.blocks[bi]!;
    let cur = from;
    let released = false;
    for (let i = start; i < b.stmts.length && !released; i++) {
      if (--budget < 0) return null;
      const s = b.stmts[i]!;
      if (s.k === 'drop' && s.flag === null && s.place.local === cur && s.place.proj.length === 0) {
        drops.push([bi, i]);
        released = true;
      } else if (s.k === 'assign' && s.place.proj.length === 0 && s.rvalue.k === 'use' && s.rvalue.op.k === 'move' && s.rvalue.op.place.local === cur && s.rvalue.op.place.proj.length === 0) {
        const next = s.place.local;
        if (watch.includes(next) || pinned[next]) return null;
        cur = next;
      } else if (disturbs(s, [cur, ...watch])) return null;
    }
    if (released) continue;
    const t = b.term;
    if (t.k === 'return') return null; // the copy leaves (or is never released here)
    if (t.k === 'unreachable') continue; // a panic: nothing is released after it
    for (const succ of targets(t)) {
      if (succ === c.block) return null; // around a loop: the retain would run again first
      const seen = entryCopy.get(succ);
      if (seen !== undefined && seen !== cur) return null;
      entered.set(succ, (entered.get(succ) ?? 0) + 1);
      if (seen === undefined) {
        entryCopy.set(succ, cur);
        work.push([succ, 0, cur]);
      }
    }
  }
  // every block of the region is entered only from inside it
  for (const [bi, n] of entered) if (n !== preds[bi]) return null;
  return drops.length ? drops : null;
}

/** Could the statement change, release, hand over or mutably borrow the value in one of the locals `ls`? Reads
 * (`copy`), shared borrows and anything behind a pointer stored in them (a class instance's fields) are fine. */
function disturbs(s: Statement, ls: readonly LocalId[]): boolean {
  if (s.k === 'nop' || s.k === 'retain') return false;
  const direct = (p: Place) => ls.includes(p.local) && !p.proj.some((pr) => pr.k === 'deref');
  for (const o of statementOperands(s)) if (o.k === 'move' && direct(o.place)) return true;
  switch (s.k) {
    case 'assign':
      if (direct(s.place)) return true;
      return s.rvalue.k === 'ref' && (s.rvalue.mutable || s.rvalue.raw) && ls.includes(s.rvalue.place.local);
    case 'call':
      return s.dest !== null && direct(s.dest);
    case 'drop':
      return direct(s.place);
    default:
      return false;
  }
}
