// What a reference, or an access, really touches (MEMORY.md §3 "What a reference borrows"), as a place the
// borrow checker can compare by prefix:
//   - through a reference or a class reference the place goes on (`(*r).a`, `(*obj).items`);
//   - through a library owner's pointer (`@deref` Heap/Shared/ArenaRef, `@index` List/Buffer) it stops at the owner:
//     `ref *h` and `ref h.v` borrow `h`, `ref xs[i]` borrows `xs`;
//   - through a compiler-made element pointer it is the place the pointer points into (`pointsInto`);
//   - an array element borrows the whole array (indices are never told apart);
//   - through any other raw pointer (`lowlevel` code) nothing is tracked: null.
import type { Type } from '../../sema/types.js';
import { placeType, projType } from './place_type.js';
import type { MirFunction, Place, Projection } from '../mir.js';

export function borrowedPlace(f: MirFunction, p: Place, depth = 0): Place | null {
  const proj: Projection[] = [];
  let t: Type = f.locals[p.local]!.ty;
  const local = p.local;
  for (const pr of p.proj) {
    if (pr.k === 'index') break;
    if (pr.k === 'deref') {
      if (t.k === 'ptr') {
        const owner = libraryOwner(f, local, proj);
        if (owner) return { local, proj: owner };
        const into = proj.length === 0 ? f.locals[local]!.pointsInto : undefined;
        if (into && depth < 8) return borrowedPlace(f, into, depth + 1);
        return null;
      }
    }
    proj.push(pr);
    t = projType(t, pr);
  }
  return { local, proj };
}

/** When `proj` ends in the pointer field of a library owner (`Heap.ptr`, `List.data`), the owner's projections. */
function libraryOwner(f: MirFunction, local: number, proj: readonly Projection[]): Projection[] | null {
  const last = proj[proj.length - 1];
  if (!last || last.k !== 'field') return null;
  const ownerProj = proj.slice(0, -1);
  const t = placeType(f, { local, proj: ownerProj });
  if (t.k !== 'adt') return null;
  const d = t.def;
  if ((d.deref && d.deref[0] === last.index) || (d.index && d.index.data === last.index)) return ownerProj;
  return null;
}

/** Do two places overlap: is one a prefix of the other (the same local, equal projections up to the shorter)? */
export function overlaps(a: Place, b: Place): boolean {
  if (a.local !== b.local) return false;
  const n = Math.min(a.proj.length, b.proj.length);
  for (let i = 0; i < n; i++) {
    const x = a.proj[i]!;
    const y = b.proj[i]!;
    if (x.k !== y.k) return false;
    if (x.k === 'field' && x.index !== (y as typeof x).index) return false;
    if (x.k === 'variant' && (x.variant !== (y as typeof x).variant || x.index !== (y as typeof x).index)) return false;
  }
  return true;
}

/** Does `p` go through a dereference of a reference local (`(*r).a`)? Assigning `r` itself then leaves the
 * referent alone (a class reference is different: assigning it may free the object). */
export function throughRefLocal(f: MirFunction, p: Place): boolean {
  return p.proj.length > 0 && p.proj[0]!.k === 'deref' && f.locals[p.local]!.ty.k === 'ref';
}
