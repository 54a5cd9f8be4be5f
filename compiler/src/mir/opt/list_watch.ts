// What can change the length of a list between two points (the check passes' notion of "unchanged"): every way a
// statement can reach the list's place to write it, directly or through a reference made from it.
import type { LocalId, MirFunction, Place, Statement } from '../mir.js';
import { renameStatement, statementOperands, written } from './visit.js';

/** What can change the length of the list at a place: writes over it, moves and drops of it, mutable or raw
 * borrows of it and everything made from them, and — when it is reached through a `mut ref` — the reference
 * itself passed on. */
export class ListWatch {
  private readonly tainted = new Set<LocalId>();
  private readonly viaMut: boolean;

  constructor(
    f: MirFunction,
    private readonly list: Place,
  ) {
    const rootTy = f.locals[list.local]!.ty;
    this.viaMut = list.proj[0]?.k === 'deref' && (rootTy.k === 'ptr' || (rootTy.k === 'ref' && rootTy.mutable));
    for (let changed = true; changed; ) {
      changed = false;
      for (const b of f.blocks) {
        for (const s of b.stmts) {
          const dest = written(s);
          if (!dest || this.tainted.has(dest.local)) continue;
          const r = s.k === 'assign' ? s.rvalue : null;
          const borrows = r?.k === 'ref' && (r.mutable || r.raw) && overlaps(r.place, list);
          if (borrows || this.mentionsTainted(s) || this.passesRoot(s)) {
            this.tainted.add(dest.local);
            changed = true;
          }
        }
      }
    }
  }

  mutates(s: Statement): boolean {
    if (this.mentionsTainted(s) || this.passesRoot(s)) return true;
    const w = written(s) ?? (s.k === 'drop' ? s.place : null);
    if (w && overlaps(w, this.list)) return true;
    if (s.k === 'assign' && s.rvalue.k === 'ref' && (s.rvalue.mutable || s.rvalue.raw) && overlaps(s.rvalue.place, this.list)) return true;
    return statementOperands(s).some((o) => o.k === 'move' && overlaps(o.place, this.list));
  }

  /** The `mut ref` the list is reached through, itself copied or moved (it may be handed to a callee). */
  private passesRoot(s: Statement): boolean {
    if (!this.viaMut) return false;
    if (s.k === 'assign' && s.rvalue.k === 'ref' && s.rvalue.place.local === this.list.local && s.rvalue.place.proj.length === 0) return true;
    return statementOperands(s).some((o) => o.k !== 'const' && o.place.local === this.list.local && o.place.proj.length === 0);
  }

  private mentionsTainted(s: Statement): boolean {
    if (this.tainted.size === 0) return false;
    let hit = false;
    renameStatement(s, (l) => {
      if (this.tainted.has(l)) hit = true;
      return l;
    });
    return hit;
  }
}

/** One place is a prefix of the other (an index projection matches any index). */
function overlaps(a: Place, b: Place): boolean {
  if (a.local !== b.local) return false;
  const n = Math.min(a.proj.length, b.proj.length);
  for (let i = 0; i < n; i++) {
    const p = a.proj[i]!;
    const q = b.proj[i]!;
    if (p.k !== q.k) return false;
    if ((p.k === 'field' && p.index !== (q as typeof p).index) || (p.k === 'variant' && p.variant !== (q as typeof p).variant)) return false;
  }
  return true;
}
