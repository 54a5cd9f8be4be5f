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
import type { BasicBlock, LocalId, MirFunction, MirProgram, Place, Statement } from '../mir.js';
import { statementOperands, targets } from './visit.js';

/** Statements scanned per candidate, at most: the region of one pair is usually a few statements. */
const SCAN_LIMIT = 4000;

export function arcPairs(p: MirProgram): void {
  const symbols = new Set(p.functions.map((f) => f.symbol));
  for (const f of p.functions) if (f.kind !== 'drop-glue' && f.kind !== 'retain-glue') arcPairsIn(f, symbols);
}

interface Candidate {
  readonly block: number;
  /** the retain, or the duplicate call */
  readonly index: number;
  readonly copy: LocalId;
  readonly owner: LocalId;
  /** a `Shared`/`Sync` duplicate: the call becomes `_r = copy _h` */
  readonly duplicate: boolean;
}

function arcPairsIn(f: MirFunction, symbols: ReadonlySet<string>): void {
  const pinned = pinnedLocals(f);
  const owned = new Uint8Array(f.locals.length);
  for (const b of f.blocks) for (const s of b.stmts) if (s.k === 'drop' && s.place.proj.length === 0) owned[s.place.local] = 1;
  const preds = edgeCounts(f.blocks);
  const remove = new Map<number, Set<number>>(); // block → statement indices to delete
  const replace = new Map<string, Statement>(); // `block:index` → replacement (a duplicate call)
  for (const c of candidates(f, symbols)) {
    if (!owned[c.owner] || pinned[c.owner] || pinned[c.copy] || c.owner === c.copy) continue;
    const drops = releases(f, c, pinned, preds);
    if (!drops) continue;
    const at = c.block;
    if (c.duplicate) {
      const call = f.blocks[at]!.stmts[c.index]!;
      replace.set(`${at}:${c.index}`, { k: 'assign', place: { local: c.copy, proj: [] }, rvalue: { k: 'use', op: { k: 'copy', place: { local: c.owner, proj: [] } } }, span: 'span' in call ? call.span : f.span });
    } else mark(remove, at, c.index);
    for (const [b, i] of drops) mark(remove, b, i);
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
        if (rv.k !== 'use' || rv.op.k !== 'copy' || rv.op.place.proj.length !== 0) continue;
        yield { block: bi, index: i, copy: r, owner: rv.op.place.local, duplicate: false };
      } else if (s.k === 'call' && s.callee.k === 'fn' && s.dest && s.dest.proj.length === 0 && s.args.length === 1) {
        const m = /^(tml\.core\.alloc\.(?:Shared|Sync))\.duplicate(\$.*)$/.exec(s.callee.symbol);
        if (!m || symbols.has(`${m[1]}.strong_count${m[2]}`)) continue;
        const a = s.args[0]!;
        if (a.k !== 'move' || a.place.proj.length !== 0) continue;
        if (prev.k !== 'assign' || prev.place.local !== a.place.local || prev.place.proj.length !== 0) continue;
        const rv = prev.rvalue;
        if (rv.k !== 'ref' || rv.raw || rv.mutable || rv.place.proj.length !== 0) continue;
        yield { block: bi, index: i, copy: s.dest.local, owner: rv.place.local, duplicate: true };
      }
    }
  }
}

/** Locals whose address is taken mutably or raw (or at all, in a function with `lowlevel` code, where a
 * reference can become a raw pointer): something other than this function's statements may change them. */
function pinnedLocals(f: MirFunction): Uint8Array {
  const pinned = new Uint8Array(f.locals.length);
  const anyRef = (f.lowlevel?.length ?? 0) > 0;
  for (const b of f.blocks)
    for (const s of b.stmts)
      if (s.k === 'assign' && s.rvalue.k === 'ref' && (anyRef || s.rvalue.mutable || s.rvalue.raw)) pinned[s.rvalue.place.local] = 1;
  for (const l of f.locals) if (l.pointsInto) pinned[l.pointsInto.local] = 1;
  return pinned;
}

/** How many CFG edges enter each block. */
function edgeCounts(blocks: readonly BasicBlock[]): Int32Array {
  const n = new Int32Array(blocks.length);
  for (const b of blocks) for (const t of targets(b.term)) n[t]!++;
  return n;
}

/** The drops that release the copy made by candidate `c`, one on every path (block, index), or null when the
 * pair cannot be removed. */
function releases(f: MirFunction, c: Candidate, pinned: Uint8Array, preds: Int32Array): [number, number][] | null {
  const h = c.owner;
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
        if (next === h || pinned[next]) return null;
        cur = next;
      } else if (disturbs(s, h) || disturbs(s, cur)) return null;
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

/** Could the statement change, release, hand over or mutably borrow the value in local `l`? Reads (`copy`), shared
 * borrows and anything behind a pointer stored in it (a class instance's fields) are fine. */
function disturbs(s: Statement, l: LocalId): boolean {
  const direct = (p: Place) => p.local === l && !p.proj.some((pr) => pr.k === 'deref');
  for (const o of statementOperands(s)) if (o.k === 'move' && direct(o.place)) return true;
  switch (s.k) {
    case 'assign':
      if (direct(s.place)) return true;
      return s.rvalue.k === 'ref' && (s.rvalue.mutable || s.rvalue.raw) && s.rvalue.place.local === l;
    case 'call':
      return s.dest !== null && direct(s.dest);
    case 'drop':
      return direct(s.place);
    default:
      return false;
  }
}
