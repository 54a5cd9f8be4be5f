// Places as the user wrote them, for borrow messages: `xs`, `p.a`, `*h`, `r.items`, `xs[..]`. A compiler-made
// reference temporary reads as the place it refers to, an element pointer as the collection it points into.
import { derefPlaceType, structFields, T, type Type } from '../../sema/types.js';
import { fieldTy, placeType } from './place_type.js';
import type { MirFunction, Place, Statement } from '../mir.js';
import { stmtDest } from '../move_paths.js';

export class PlaceNames {
  /** temporaries assigned exactly once, by `ref P`: they read as `P` */
  private readonly refOf = new Map<number, Place>();

  constructor(private readonly f: MirFunction) {
    const assigned = new Map<number, Statement[]>();
    for (const b of f.blocks)
      for (const s of b.stmts) {
        const d = stmtDest(s);
        if (d && d.proj.length === 0 && f.locals[d.local]!.kind === 'temp') assigned.set(d.local, [...(assigned.get(d.local) ?? []), s]);
      }
    for (const [l, ss] of assigned) {
      const s = ss[0]!;
      if (ss.length === 1 && s.k === 'assign' && s.rvalue.k === 'ref') this.refOf.set(l, s.rvalue.place);
    }
  }

  /** The name of a place, or null when it is an unnamed temporary. */
  describe(p: Place, depth = 0): string | null {
    const decl = this.f.locals[p.local]!;
    let text: string | null;
    let t: Type = decl.ty;
    let rest = p.proj;
    if (decl.name) text = decl.name;
    else if (depth < 6 && this.refOf.has(p.local) && rest[0]?.k === 'deref') {
      const inner = this.refOf.get(p.local)!;
      text = this.describe(inner, depth + 1);
      t = placeType(this.f, inner);
      rest = rest.slice(1);
    } else if (depth < 6 && decl.pointsInto && rest[0]?.k === 'deref') {
      const base = this.describe(decl.pointsInto, depth + 1);
      // an element through a reference reads `v[..]`, not `*v[..]`
      return base === null ? null : `${base.startsWith('*') && !base.startsWith('**') ? base.slice(1) : base}[..]`;
    } else return null;
    if (text === null) return null;
    for (let i = 0; i < rest.length; i++) {
      const pr = rest[i]!;
      if (pr.k === 'deref') {
        const next = rest[i + 1];
        const inner = derefPlaceType(t) ?? T.error;
        if (next?.k === 'field' && inner.k === 'adt' && inner.def.deref?.[0] === next.index) {
          // a reference to a library owner, dereferenced again: `**v`
          text = `*${text}`;
          t = inner;
          continue;
        }
        if (next?.k === 'field') {
          // a field through a reference or a class instance (whose object struct names its fields): `r.f`, `obj.f`
          text = `${text}.${fieldName(inner, next.index)}`;
          t = fieldTy(inner, next.index);
          i++;
          continue;
        }
        text = `*${text}`;
        t = inner;
      } else if (pr.k === 'field') {
        // a library owner's pointer field: `*h`
        if (t.k === 'adt' && t.def.deref && t.def.deref[0] === pr.index) {
          const path = t.def.deref;
          t = fieldTy(t, pr.index);
          t = t.k === 'ptr' ? t.inner : t;
          if (rest[i + 1]?.k === 'deref') i++;
          // the rest of the library's deref path (`Shared`'s `value`) is not the user's
          for (const f of path.slice(1)) {
            if (rest[i + 1]?.k !== 'field' || (rest[i + 1] as { index: number }).index !== f) break;
            t = fieldTy(t, f);
            i++;
          }
          // `h.v` reads through the Heap by auto-deref; the pointee alone is `*h`
          const next = rest[i + 1];
          if (next?.k === 'field') {
            text = `${text}.${fieldName(t, next.index)}`;
            t = fieldTy(t, next.index);
            i++;
          } else text = `*${text}`;
          continue;
        }
        text = `${text}.${fieldName(t, pr.index)}`;
        t = fieldTy(t, pr.index);
      } else if (pr.k === 'variant') {
        text = `(${text} as ${t.k === 'adt' ? (t.def.variants[pr.variant]?.name ?? '?') : '?'}).${pr.index}`;
        t = T.error;
      } else {
        text = `${text}[..]`;
        t = t.k === 'array' ? t.elem : T.error;
      }
    }
    return text;
  }
}

function fieldName(t: Type, i: number): string {
  if (t.k === 'tuple') return String(i);
  if (t.k === 'adt') return structFields(t)[i]?.name ?? String(i);
  return String(i);
}
