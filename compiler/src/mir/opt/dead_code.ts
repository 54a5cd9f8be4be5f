// Dead stores and dead locals. An assignment to a compiler temporary nothing reads, drops or borrows is removed (MIR
// rvalues have no effects besides their write; calls are kept, whatever their result); `nop` markers are removed;
// then the locals nothing names are removed and the rest renumbered, which is what code generation turns into stack
// slots. A user's variable keeps its stores, read or not: a debugger shows it.
import type { LocalDecl, MirFunction, Statement } from '../mir.js';
import { localUses, renamePlace, renameStatement, renameTerminator, statementUses } from './visit.js';

export function removeDeadStores(f: MirFunction): void {
  const { uses } = localUses(f);
  const removable = (l: number) => l !== 0 && uses[l] === 0 && f.locals[l]!.kind === 'temp';
  // the whole-local stores of each temporary, and a work list of the temporaries nothing uses
  const stores = new Map<number, Statement[]>();
  for (const b of f.blocks) {
    for (const s of b.stmts) {
      const w = s.k === 'assign' ? s.place : s.k === 'call' ? s.dest : null;
      if (w && w.proj.length === 0 && f.locals[w.local]!.kind === 'temp') {
        const list = stores.get(w.local);
        if (list) list.push(s);
        else stores.set(w.local, [s]);
      }
    }
  }
  const dead = new Set<Statement>();
  const work = [...stores.keys()].filter(removable);
  // removing a store un-uses what it read, which may leave another temporary unused
  const unuse = {
    use: (l: number) => {
      if (--uses[l]! === 0 && removable(l)) work.push(l);
    },
    def: () => {},
    borrow: () => {},
  };
  while (work.length) {
    for (const s of stores.get(work.pop()!) ?? []) {
      if (s.k !== 'assign' || dead.has(s)) continue;
      dead.add(s);
      statementUses(s, unuse);
    }
  }
  for (const b of f.blocks) {
    let changed = false;
    const kept: Statement[] = [];
    for (const s of b.stmts) {
      if (s.k === 'nop' || dead.has(s)) {
        changed = true;
        continue;
      }
      // a call's unread result is discarded (an extern's signature follows its destination's type: only Unit ones)
      if (s.k === 'call' && s.dest && s.dest.proj.length === 0 && removable(s.dest.local) && (s.callee.k === 'fn' || f.locals[s.dest.local]!.ty.k === 'unit')) {
        kept.push({ ...s, dest: null });
        changed = true;
        continue;
      }
      kept.push(s);
    }
    if (changed) b.stmts = kept;
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
