// Borrow rules (MEMORY.md §3) on MIR. References are second-class, so a borrow can only be held by locals of this
// function: a local holds the borrows it was made from (`r = ref x`), copied from (`r2 = copy r`), or — for a call
// whose result contains a reference (`HashMap::get`) — the borrows of the call's reference arguments. A borrow is
// active while some local holding it is live (used later). While a borrow of `x` is active:
//   - moving out of `x` (or a part of it) is E0505, assigning to it E0506;
//   - a `mut ref` of `x` together with any other reference of `x` is E0499/E0502;
//   - reading `x` while it is mutably borrowed is E0503.
import type { DiagnosticBag } from '../syntax/diagnostics.js';
import type { Span } from '../syntax/source.js';
import { containsRef } from '../sema/collect.js';
import type { LocalId, MirFunction, Place, Statement } from './mir.js';
import { stmtDest, stmtOperands, successors } from './move_paths.js';

interface Borrow {
  readonly id: number;
  readonly root: LocalId;
  readonly mutable: boolean;
  readonly span: Span;
}

export function checkBorrows(f: MirFunction, diags: DiagnosticBag): void {
  const live = liveness(f);
  // borrows each local may hold (flow-insensitive: a holder's borrows are the union of everything assigned to it)
  const holds = new Map<LocalId, Set<number>>();
  const borrows: Borrow[] = [];
  const borrowAt = new Map<Statement, Borrow>();
  const hold = (l: LocalId) => holds.get(l) ?? holds.set(l, new Set()).get(l)!;
  let changed = true;
  for (const b of f.blocks)
    for (const s of b.stmts) {
      if (s.k === 'assign' && s.rvalue.k === 'ref' && !s.rvalue.raw && ownedRoot(s.rvalue.place) !== null) {
        const br: Borrow = { id: borrows.length, root: s.rvalue.place.local, mutable: s.rvalue.mutable, span: s.span };
        borrows.push(br);
        borrowAt.set(s, br);
        hold(s.place.local).add(br.id);
      }
    }
  // propagate through copies, moves, aggregates and calls returning references, to a fixpoint
  while (changed) {
    changed = false;
    for (const b of f.blocks)
      for (const s of b.stmts) {
        const dest = stmtDest(s);
        if (!dest || !containsRef(f.locals[dest.local]!.ty)) continue;
        const into = hold(dest.local);
        for (const o of stmtOperands(s)) {
          if (o.k === 'const') continue;
          for (const id of holds.get(o.place.local) ?? []) if (!into.has(id)) (into.add(id), (changed = true));
        }
      }
  }
  const reported = new Set<string>();
  const report = (key: string, code: string, msg: string, span: Span, label: string, br: Borrow, brLabel: string) => {
    if (reported.has(key)) return;
    reported.add(key);
    diags.error(code, msg, span, { label, secondary: [{ span: br.span, message: brLabel }] });
  };
  f.blocks.forEach((blk, bi) => {
    blk.stmts.forEach((s, si) => {
      // borrows active across this statement: held by a local that is live after it (and not defined by it)
      const after = live.after(bi, si);
      const active: Borrow[] = [];
      const dest = stmtDest(s);
      for (const [local, ids] of holds) {
        if (!after.has(local) || (dest && dest.local === local && dest.proj.length === 0)) continue;
        for (const id of ids) if (!active.includes(borrows[id]!)) active.push(borrows[id]!);
      }
      if (active.length === 0) return;
      const name = (l: LocalId) => f.locals[l]!.name;
      const span = 'span' in s ? s.span : f.span;
      // moves out of a borrowed value
      for (const o of stmtOperands(s)) {
        if (o.k !== 'move' || ownedRoot(o.place) === null) continue;
        const br = active.find((b) => b.root === o.place.local);
        const n = name(o.place.local);
        if (br && n) report(`505:${o.place.local}`, 'E0505', `cannot move out of \`${n}\` because it is borrowed`, o.span ?? span, `move out of \`${n}\` occurs here`, br, `borrow of \`${n}\` occurs here`);
      }
      // assignments to a borrowed value
      if (dest && ownedRoot(dest) !== null && f.locals[dest.local]!.kind !== 'temp') {
        const br = active.find((b) => b.root === dest.local);
        const n = name(dest.local);
        if (br && n) report(`506:${dest.local}`, 'E0506', `cannot assign to \`${n}\` because it is borrowed`, span, `\`${n}\` is assigned to here but it was already borrowed`, br, `borrow of \`${n}\` occurs here`);
      }
      // a new borrow conflicting with an active one
      const mine = borrowAt.get(s);
      if (mine) {
        const n = name(mine.root);
        const other = active.find((b) => b.root === mine.root && b !== mine && (b.mutable || mine.mutable));
        if (other && n) {
          if (mine.mutable && other.mutable)
            report(`499:${mine.root}:${mine.id}`, 'E0499', `cannot borrow \`${n}\` as mutable more than once at a time`, mine.span, 'second mutable borrow occurs here', other, 'first mutable borrow occurs here');
          else if (mine.mutable)
            report(`502:${mine.root}:${mine.id}`, 'E0502', `cannot borrow \`${n}\` as mutable because it is also borrowed as immutable`, mine.span, 'mutable borrow occurs here', other, 'immutable borrow occurs here');
          else
            report(`502:${mine.root}:${mine.id}`, 'E0502', `cannot borrow \`${n}\` as immutable because it is also borrowed as mutable`, mine.span, 'immutable borrow occurs here', other, 'mutable borrow occurs here');
        }
      } else {
        // a plain read of a mutably borrowed value
        for (const o of stmtOperands(s)) {
          if (o.k !== 'copy' || ownedRoot(o.place) === null) continue;
          const br = active.find((b) => b.root === o.place.local && b.mutable);
          const n = name(o.place.local);
          if (br && n) report(`503:${o.place.local}`, 'E0503', `cannot use \`${n}\` because it was mutably borrowed`, o.span ?? span, `use of borrowed \`${n}\``, br, `\`${n}\` is borrowed here`);
        }
      }
    });
  });
}

/** The local a place belongs to when it does not go through a reference or pointer (owned by this function). */
function ownedRoot(p: Place): LocalId | null {
  return p.proj.some((x) => x.k === 'deref') ? null : p.local;
}

/** Backward liveness of locals: which locals are read later. */
function liveness(f: MirFunction): { after(block: number, stmt: number): Set<LocalId> } {
  const uses = (s: Statement): LocalId[] => {
    const out: LocalId[] = [];
    for (const o of stmtOperands(s)) if (o.k !== 'const') out.push(o.place.local);
    if (s.k === 'assign' && (s.rvalue.k === 'ref' || s.rvalue.k === 'discriminant')) out.push(s.rvalue.place.local);
    if (s.k === 'drop' || s.k === 'retain') out.push(s.place.local);
    const d = stmtDest(s);
    if (d && d.proj.length) out.push(d.local); // writing through or into a part reads the base
    for (const pl of [d, ...stmtOperands(s).map((o) => (o.k === 'const' ? null : o.place))]) {
      if (!pl) continue;
      for (const pr of pl.proj) if (pr.k === 'index') out.push(pr.index);
    }
    return out;
  };
  const termUses = (bi: number): LocalId[] => {
    const t = f.blocks[bi]!.term;
    if (t.k === 'branch' && t.cond.k !== 'const') return [t.cond.place.local];
    if (t.k === 'switch' && t.discr.k !== 'const') return [t.discr.place.local];
    if (t.k === 'return') return [0];
    return [];
  };
  const succ = successors(f);
  const liveIn: Set<LocalId>[] = f.blocks.map(() => new Set());
  let changed = true;
  while (changed) {
    changed = false;
    for (let bi = f.blocks.length - 1; bi >= 0; bi--) {
      const cur = new Set<LocalId>();
      for (const t of succ[bi]!) for (const l of liveIn[t]!) cur.add(l);
      for (const l of termUses(bi)) cur.add(l);
      const stmts = f.blocks[bi]!.stmts;
      for (let si = stmts.length - 1; si >= 0; si--) {
        const s = stmts[si]!;
        const d = stmtDest(s);
        if (d && d.proj.length === 0) cur.delete(d.local);
        for (const l of uses(s)) cur.add(l);
      }
      if (cur.size !== liveIn[bi]!.size || [...cur].some((l) => !liveIn[bi]!.has(l))) {
        liveIn[bi] = cur;
        changed = true;
      }
    }
  }
  return {
    after(bi: number, si: number): Set<LocalId> {
      const cur = new Set<LocalId>();
      for (const t of succ[bi]!) for (const l of liveIn[t]!) cur.add(l);
      for (const l of termUses(bi)) cur.add(l);
      const stmts = f.blocks[bi]!.stmts;
      for (let k = stmts.length - 1; k > si; k--) {
        const s = stmts[k]!;
        const d = stmtDest(s);
        if (d && d.proj.length === 0) cur.delete(d.local);
        for (const l of uses(s)) cur.add(l);
      }
      return cur;
    },
  };
}
