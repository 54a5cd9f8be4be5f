// The type of a MIR place, one projection at a time (a `func` value's fields and a fat pointer's are its two raw
// pointers).
import { derefPlaceType, structFields, T, variantFields, type Type } from '../../sema/types.js';
import type { MirFunction, Place, Projection } from '../mir.js';

export function fieldTy(t: Type, i: number): Type {
  if (t.k === 'tuple') return t.elems[i] ?? T.error;
  if (t.k === 'adt') return structFields(t)[i]?.ty ?? T.error;
  return T.error;
}

/** The type of a place. */
export function placeType(f: MirFunction, p: Place): Type {
  let t = f.locals[p.local]!.ty;
  for (const pr of p.proj) t = projType(t, pr);
  return t;
}

/** The type one projection leads to. */
export function projType(t: Type, pr: Projection): Type {
  if (pr.k === 'deref') return derefPlaceType(t) ?? T.error;
  if (pr.k === 'field') return t.k === 'func' || ((t.k === 'ref' || t.k === 'ptr') && t.inner.k === 'dyn') ? { k: 'ptr', inner: T.u8 } : fieldTy(t, pr.index);
  if (pr.k === 'variant') return t.k === 'adt' ? (variantFields(t, pr.variant)[pr.index] ?? T.error) : T.error;
  return t.k === 'array' ? t.elem : T.error;
}
