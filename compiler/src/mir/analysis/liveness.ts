// Backward liveness of locals: at each point, which locals may be read later. A local is live from an assignment
// to its last read; assigning the whole local kills it. The borrow checker uses it to decide how long a borrow
// lives (non-lexically: until the last use of a local that holds it, MEMORY.md §3).
import type { LocalId, MirFunction } from '../mir.js';
import { stmtDest, successors } from '../move_paths.js';
import { dropUse, localsRead, statementAccesses, terminatorAccesses } from './accesses.js';

export interface Liveness {
  /** the locals live after statement `si` of block `bi` (si = -1: at the block's entry) */
  after(bi: number, si: number): Set<LocalId>;
  /** the locals live at the entry of block `bi` */
  entry(bi: number): ReadonlySet<LocalId>;
}

/** `storage`: a value is live until its drop too (and a drop flag until the drop it guards): which values a
 * stack frame must still hold, where the borrow checker (the default) asks which values are still read.
 * `returnReadsNothing`: blocks whose `return` gives no value (an async body's drop paths). */
export function liveness(f: MirFunction, storage = false, returnReadsNothing?: ReadonlySet<number>): Liveness {
  const succ = successors(f);
  const uses = f.blocks.map((b) =>
    b.stmts.map((s) => {
      const read = localsRead(statementAccesses(s));
      const d = dropUse(f, s); // a guard's drop uses what it borrows
      if (d !== null) read.add(d);
      if (storage && s.k === 'drop') {
        read.add(s.place.local);
        if (s.flag !== null) read.add(s.flag);
      }
      return read;
    }),
  );
  const termUses = f.blocks.map((b) => {
    const out = localsRead(terminatorAccesses(b.term));
    if (b.term.k === 'return' && !returnReadsNothing?.has(b.id)) out.add(0);
    return out;
  });
  const defs = f.blocks.map((b) =>
    b.stmts.map((s) => {
      const d = stmtDest(s);
      return d && d.proj.length === 0 ? d.local : null;
    }),
  );
  const liveIn: Set<LocalId>[] = f.blocks.map(() => new Set());
  const walk = (bi: number, stop: number): Set<LocalId> => {
    const cur = new Set<LocalId>();
    for (const t of succ[bi]!) for (const l of liveIn[t]!) cur.add(l);
    for (const l of termUses[bi]!) cur.add(l);
    for (let si = f.blocks[bi]!.stmts.length - 1; si > stop; si--) {
      const d = defs[bi]![si];
      if (d !== null && d !== undefined) cur.delete(d);
      for (const l of uses[bi]![si]!) cur.add(l);
    }
    return cur;
  };
  let changed = true;
  while (changed) {
    changed = false;
    for (let bi = f.blocks.length - 1; bi >= 0; bi--) {
      const cur = walk(bi, -1);
      const old = liveIn[bi]!;
      if (cur.size !== old.size || [...cur].some((l) => !old.has(l))) {
        liveIn[bi] = cur;
        changed = true;
      }
    }
  }
  // per block, the live set after each statement, computed on first request
  const cache = new Map<number, Set<LocalId>[]>();
  const afterAll = (bi: number): Set<LocalId>[] => {
    let sets = cache.get(bi);
    if (sets) return sets;
    const n = f.blocks[bi]!.stmts.length;
    sets = new Array<Set<LocalId>>(n + 1);
    const cur = walk(bi, n - 1);
    for (let si = n - 1; si >= -1; si--) {
      sets[si + 1] = new Set(cur);
      if (si < 0) break;
      const d = defs[bi]![si];
      if (d !== null && d !== undefined) cur.delete(d);
      for (const l of uses[bi]![si]!) cur.add(l);
    }
    cache.set(bi, sets);
    return sets;
  };
  return { after: (bi, si) => afterAll(bi)[si + 1]!, entry: (bi) => liveIn[bi]! };
}
