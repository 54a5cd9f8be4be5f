// Dead stores and dead locals. An assignment to a compiler temporary nothing reads, drops or borrows is removed (MIR
// rvalues have no effects besides their write; calls are kept, whatever their result); `nop` markers are removed;
// then the locals nothing names are removed and the rest renumbered, which is what code generation turns into stack
// slots. A user's variable keeps its stores, read or not: a debugger shows it.
import type { LocalDecl, MirFunction } from '../mir.js';
import { localUses, renamePlace, renameStatement, renameTerminator } from './visit.js';

export function removeDeadStores(f: MirFunction): void {
  for (let changed = true; changed; ) {
    changed = false;
    const uses = localUses(f);
    for (const b of f.blocks) {
      const dead = (l: number) => l !== 0 && uses.uses[l] === 0 && f.locals[l]!.kind === 'temp';
      // a call's unread result is discarded (an extern's signature follows its destination's type: only Unit ones)
      b.stmts = b.stmts.map((s) => {
        if (s.k !== 'call' || !s.dest || s.dest.proj.length || !dead(s.dest.local)) return s;
        if (s.callee.k !== 'fn' && f.locals[s.dest.local]!.ty.k !== 'unit') return s;
        changed = true;
        return { ...s, dest: null };
      });
      const kept = b.stmts.filter((s) => {
        if (s.k === 'nop') return false;
        if (s.k !== 'assign' || s.place.proj.length !== 0) return true;
        const l = s.place.local;
        return l === 0 || uses.uses[l] !== 0 || f.locals[l]!.kind !== 'temp';
      });
      if (kept.length !== b.stmts.length) {
        b.stmts = kept;
        changed = true;
      }
    }
  }
}

export function removeDeadLocals(f: MirFunction): void {
  const uses = localUses(f);
  const map = new Int32Array(f.locals.length).fill(-1);
  const kept: LocalDecl[] = [];
  const pointedInto = new Set(f.locals.map((d) => d.pointsInto?.local));
  f.locals.forEach((l, i) => {
    const needed = i <= f.argCount || uses.defs[i] !== 0 || uses.uses[i] !== 0 || i === f.freshObject || pointedInto.has(i);
    if (!needed) return;
    map[i] = kept.length;
    kept.push(l);
  });
  if (kept.length === f.locals.length) return;
  const m = (l: number) => {
    const to = map[l]!;
    if (to < 0) throw new Error(`internal: dead_locals removed _${l} of ${f.displayName}, which is still named`);
    return to;
  };
  const renamed = kept.map((l, i) => ({ ...l, id: i, ...(l.pointsInto ? { pointsInto: renamePlace(l.pointsInto, m) } : {}) }));
  f.locals.splice(0, f.locals.length, ...renamed);
  for (const b of f.blocks) {
    b.stmts = b.stmts.map((s) => renameStatement(s, m));
    b.term = renameTerminator(b.term, m);
  }
  if (f.freshObject !== undefined) (f as { freshObject?: number }).freshObject = m(f.freshObject);
}
