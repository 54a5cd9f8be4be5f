// A last copy becomes a move. `_c = copy _h; retain(_c)` hands `_c` on (into a call, a field, a list) — so arc_pairs
// cannot remove the pair — and `_h` is then released with nothing reading it in between:
//
//     _c = copy _h; retain(_c); call f(move _c); …; drop(_h)   →   _c = copy _h; call f(move _c); …
//
// `_c` takes over the reference `_h` held: the retain and that release both go (the count is the same everywhere
// after the region, one lower inside it). The hot case is `for w in …split_whitespace_iter() { m.insert(w, …) }`: the
// loop variable is a bit copy of the iterator's result, which is released at the end of each iteration.
//
// Only for `Str`: its release runs no user code, so releasing it earlier (inside the callee) is not observable; a
// class instance's `Drop` or a closure's captures could print. The rewrite is made only when all of this holds:
//   - the holder `_h` is the copy's source, or what the source is a bit copy of (`_w = copy _h`, `_w` released by
//     nobody: how a `for` pattern binds the element); `_h` is a whole local that some unflagged `drop` releases;
//   - its aliases (`_h` and every local assigned a whole bit copy of one of them, except copies that are retained)
//     are used, anywhere in the function, only by such copies, by their own definitions, by drops, by reads that
//     make a scalar (`len(_w)`, a compare) and by `ref` temporaries passed once to a call that returns a scalar
//     (nothing can keep that reference); a `mut ref` or raw reference, or any reference in `lowlevel` code, stops it;
//   - on every path from the retain, the first use of any alias is an unflagged `drop(_h)`; the paths between form a
//     region entered only at the retain (not around a loop) and end in that drop or a panic (`unreachable`), never in
//     a `return`.
import type { LocalId, MirFunction, Operand, Rvalue, Statement } from '../mir.js';
import { rvalueOperands } from '../move_paths.js';
import { renameStatement, renameTerminator, targets, predecessorCounts } from './visit.js';

/** Statements scanned per candidate, at most. */
const SCAN_LIMIT = 4000;

export function lastCopyMoves(f: MirFunction): void {
  if (f.kind === 'drop-glue' || f.kind === 'retain-glue') return;
  let preds: Int32Array | null = null;
  const used = new Set<LocalId>(); // holders whose release one rewrite has taken already
  const remove = new Map<number, Set<number>>();
  for (const [bi, b] of f.blocks.entries()) {
    for (let i = 1; i < b.stmts.length; i++) {
      const s = b.stmts[i]!;
      const prev = b.stmts[i - 1]!;
      if (s.k !== 'retain' || s.place.proj.length || prev.k !== 'assign' || prev.place.local !== s.place.local || prev.place.proj.length) continue;
      if (prev.rvalue.k !== 'use' || prev.rvalue.op.k !== 'copy' || prev.rvalue.op.place.proj.length) continue;
      if (f.locals[s.place.local]!.ty.k !== 'str') continue;
      const h = holderOf(f, prev.rvalue.op.place.local);
      if (h === null || used.has(h)) continue;
      const aliases = aliasesOf(f, h);
      if (!aliases) continue;
      preds ??= predecessorCounts(f.blocks);
      const drops = releaseRegion(f, bi, i, h, aliases, preds);
      if (!drops) continue;
      used.add(h);
      mark(remove, bi, i);
      for (const [db, di] of drops) mark(remove, db, di);
    }
  }
  f.blocks.forEach((b, bi) => {
    const gone = remove.get(bi);
    if (gone) b.stmts = b.stmts.filter((_, i) => !gone.has(i));
  });
}

function mark(m: Map<number, Set<number>>, b: number, i: number): void {
  let s = m.get(b);
  if (!s) m.set(b, (s = new Set()));
  s.add(i);
}

/** The local whose release the copy's source shares: the source itself when it is released, or the local it is a
 * single bit copy of (`copy` or `move`, followed a few steps). */
function holderOf(f: MirFunction, src: LocalId): LocalId | null {
  let l = src;
  for (let depth = 0; depth < 4; depth++) {
    if (releasedUnflagged(f, l)) return l;
    let def: Statement | null = null;
    let defs = 0;
    for (const b of f.blocks)
      for (const s of b.stmts) {
        const d = s.k === 'assign' ? s.place : s.k === 'call' ? s.dest : null;
        if (d?.local === l) {
          defs++;
          def = s;
        }
      }
    if (defs !== 1 || def?.k !== 'assign' || def.place.proj.length || def.rvalue.k !== 'use' || def.rvalue.op.k === 'const' || def.rvalue.op.place.proj.length) return null;
    l = def.rvalue.op.place.local;
  }
  return null;
}

function releasedUnflagged(f: MirFunction, l: LocalId): boolean {
  return f.blocks.some((b) => b.stmts.some((s) => s.k === 'drop' && s.flag === null && s.place.local === l && s.place.proj.length === 0));
}

/** `_h`, the locals that hold bit copies of it (transitively) and the `ref` temporaries taken of them — or null when
 * one of them is used in a way that could let a reference to the string outlive the region (see the header). */
function aliasesOf(f: MirFunction, h: LocalId): Set<LocalId> | null {
  const lowlevel = (f.lowlevel?.length ?? 0) > 0;
  const aliases = new Set<LocalId>([h]);
  // grow the set: whole bit copies that are not retained, and shared `ref`s
  for (let changed = true; changed; ) {
    changed = false;
    for (const b of f.blocks)
      b.stmts.forEach((s, i) => {
        if (s.k !== 'assign' || s.place.proj.length || aliases.has(s.place.local)) return;
        const r = s.rvalue;
        const from = r.k === 'use' && r.op.k !== 'const' && r.op.place.proj.length === 0 ? r.op.place.local : r.k === 'ref' && r.place.proj.length === 0 ? r.place.local : null;
        if (from === null || !aliases.has(from)) return;
        const next = b.stmts[i + 1];
        if (r.k === 'use' && next?.k === 'retain' && next.place.local === s.place.local && next.place.proj.length === 0) return;
        aliases.add(s.place.local);
        changed = true;
      });
  }
  const refs = new Set<LocalId>();
  for (const b of f.blocks)
    for (const s of b.stmts) if (s.k === 'assign' && s.rvalue.k === 'ref' && aliases.has(s.rvalue.place.local)) {
      if (lowlevel || s.rvalue.mutable || s.rvalue.raw || s.rvalue.place.proj.length) return null;
      refs.add(s.place.local);
    }
  for (const b of f.blocks) {
    for (const [i, s] of b.stmts.entries()) if (!allowedUse(f, s, b.stmts[i + 1], aliases, refs)) return null;
    if (terminatorMentions(b.term, aliases)) return null;
  }
  return aliases;
}

/** May statement `s` (followed by `next`) name the aliases, wherever it is? */
function allowedUse(f: MirFunction, s: Statement, next: Statement | undefined, aliases: ReadonlySet<LocalId>, refs: ReadonlySet<LocalId>): boolean {
  if (!mentions(s, aliases)) return true;
  const wholeAlias = (o: Operand) => o.k !== 'const' && o.place.proj.length === 0 && aliases.has(o.place.local);
  switch (s.k) {
    case 'drop':
      return s.place.proj.length === 0;
    case 'assign': {
      const r = s.rvalue;
      if (s.place.proj.length) return false;
      const dest = s.place.local;
      if (aliases.has(dest)) {
        // a definition: a bit copy or shared ref of an alias, or a value from elsewhere
        if (refs.has(dest)) return r.k === 'ref' || !rvalueMentions(r, aliases);
        return (r.k === 'use' && wholeAlias(r.op)) || !rvalueMentions(r, aliases);
      }
      // a retained copy: a reference of its own
      if (r.k === 'use' && r.op.k === 'copy' && r.op.place.proj.length === 0 && next?.k === 'retain' && next.place.local === dest && next.place.proj.length === 0) return true;
      // a scalar made by reading the string (a compare)
      if (!isScalar(f, dest) || (r.k !== 'binary' && r.k !== 'unary')) return false;
      return rvalueOperands(r).every((o) => o.k === 'const' || !aliases.has(o.place.local) || o.k === 'copy');
    }
    case 'call': {
      const c = s.callee;
      const calleeOp = c.k === 'closure' ? c.value : c.k === 'virtual' ? c.object : c.k === 'slot' ? c.vtable : null;
      const reads = [...s.args, ...(calleeOp ? [calleeOp] : [])].some((o) => o.k !== 'const' && aliases.has(o.place.local));
      // a definition of an alias by a call (a fresh string) that reads none
      if (s.dest && s.dest.proj.length === 0 && aliases.has(s.dest.local)) return !reads;
      if (s.dest && (s.dest.proj.length || !isScalar(f, s.dest.local))) return false;
      if (calleeOp && calleeOp.k !== 'const' && aliases.has(calleeOp.place.local)) return false;
      // the `ref` temporaries, moved in; bit copies read by a runtime helper (`tml_str_len`, `tml_println`)
      return s.args.every((a) => {
        if (a.k === 'const' || !aliases.has(a.place.local)) return true;
        if (!wholeAlias(a)) return false;
        return refs.has(a.place.local) ? a.k === 'move' : a.k === 'copy' && c.k === 'extern';
      });
    }
    default:
      return false;
  }
}

function isScalar(f: MirFunction, l: LocalId): boolean {
  const k = f.locals[l]!.ty.k;
  return k === 'int' || k === 'bool' || k === 'unit' || k === 'float';
}

function mentions(s: Statement, ls: ReadonlySet<LocalId>): boolean {
  let hit = false;
  renameStatement(s, (l) => {
    if (ls.has(l)) hit = true;
    return l;
  });
  return hit;
}

function terminatorMentions(t: MirFunction['blocks'][number]['term'], ls: ReadonlySet<LocalId>): boolean {
  let hit = false;
  renameTerminator(t, (l) => {
    if (ls.has(l)) hit = true;
    return l;
  });
  return hit;
}

function rvalueMentions(r: Rvalue, ls: ReadonlySet<LocalId>): boolean {
  if (r.k === 'ref' || r.k === 'discriminant') return ls.has(r.place.local);
  return rvalueOperands(r).some((o) => o.k !== 'const' && ls.has(o.place.local));
}

/** The unflagged `drop(_h)`s that end, on every path from the retain at (`block`, `index`), a stretch where no alias
 * is named; null when some path names one first, returns, loops back to the retain or enters the stretch from outside. */
function releaseRegion(f: MirFunction, block: number, index: number, h: LocalId, aliases: ReadonlySet<LocalId>, preds: Int32Array): [number, number][] | null {
  const entered = new Map<number, number>();
  const drops: [number, number][] = [];
  const work: [number, number][] = [[block, index + 1]];
  let budget = SCAN_LIMIT;
  while (work.length) {
    const [bi, start] = work.pop()!;
    const b = f.blocks[bi]!;
    let released = false;
    for (let i = start; i < b.stmts.length && !released; i++) {
      if (--budget < 0) return null;
      const s = b.stmts[i]!;
      if (!mentions(s, aliases)) continue;
      if (s.k === 'drop' && s.flag === null && s.place.local === h && s.place.proj.length === 0) {
        drops.push([bi, i]);
        released = true;
      } else return null;
    }
    if (released) continue;
    if (terminatorMentions(b.term, aliases) || b.term.k === 'return') return null;
    if (b.term.k === 'unreachable') continue; // a panic: nothing is released after it
    for (const succ of targets(b.term)) {
      if (succ === block) return null; // around a loop: the retain would run again first
      const n = entered.get(succ);
      entered.set(succ, (n ?? 0) + 1);
      if (n === undefined) work.push([succ, 0]);
    }
  }
  for (const [bi, n] of entered) if (n !== preds[bi]) return null;
  return drops.length ? drops : null;
}
