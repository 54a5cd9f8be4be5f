// Copy propagation by destination: `_9 = call f(); _13 = move _9; _8 = move _13` becomes `_8 = call f()` when each
// temporary in the chain is written once and read once, in the same block, and nothing in between touches the
// final destination. Lowering makes such chains for every expression that passes through a block or a format string.
import { typeEquals } from '../../sema/types.js';
import type { LocalId, MirFunction, Place, Statement } from '../mir.js';
import { placeType } from '../analysis/place_type.js';
import { localUses, renameStatement } from './visit.js';

export function copyProp(f: MirFunction): void {
  const uses = localUses(f);
  for (const b of f.blocks) {
    for (let j = 0; j < b.stmts.length; j++) {
      const s = b.stmts[j]!;
      if (s.k !== 'assign' || s.rvalue.k !== 'use' || s.rvalue.op.k === 'const') continue;
      const from = s.rvalue.op.place;
      const src = from.local;
      if (from.proj.length !== 0 || f.locals[src]!.kind !== 'temp' || uses.defs[src] !== 1 || uses.uses[src] !== 1) continue;
      const dest = s.place;
      if (!dest.proj.every((p) => p.k === 'field') || dest.local === src) continue;
      if (!typeEquals(placeType(f, dest), f.locals[src]!.ty)) continue;
      const i = definition(b.stmts, j, src);
      if (i < 0 || mentions(b.stmts[i]!, dest.local, true)) continue;
      let clear = true;
      for (let k = i + 1; k < j && clear; k++) clear = !mentions(b.stmts[k]!, dest.local, false);
      if (!clear) continue;
      b.stmts[i] = redirect(b.stmts[i]!, dest);
      b.stmts.splice(j, 1);
      uses.defs[src] = 0;
      uses.uses[src] = 0;
      j--;
    }
  }
}

/** The index of the statement before `j` that writes all of `_l`, or -1. */
function definition(stmts: readonly Statement[], j: number, l: LocalId): number {
  for (let i = j - 1; i >= 0; i--) {
    const s = stmts[i]!;
    const w = s.k === 'assign' ? s.place : s.k === 'call' ? s.dest : null;
    if (w && w.local === l) return w.proj.length === 0 ? i : -1;
  }
  return -1;
}

/** Does the statement name local `l` anywhere (its destination too, unless `exceptDest`)? */
function mentions(s: Statement, l: LocalId, exceptDest: boolean): boolean {
  let hit = false;
  const probe = exceptDest ? withoutDest(s) : s;
  renameStatement(probe, (x) => {
    if (x === l) hit = true;
    return x;
  });
  return hit;
}

function withoutDest(s: Statement): Statement {
  if (s.k === 'call') return { ...s, dest: null };
  if (s.k === 'assign') return { ...s, place: { local: -1, proj: [] } };
  return s;
}

function redirect(s: Statement, dest: Place): Statement {
  if (s.k === 'assign') return { ...s, place: dest };
  if (s.k === 'call') return { ...s, dest };
  return s;
}
