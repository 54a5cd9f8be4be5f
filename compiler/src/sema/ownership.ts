// MEMORY.md §1–2: every type is plain data (bit copies), shared-on-copy (runtime-managed: a copy retains, a drop
// releases) or move-only (unique owners: moves, scope-based drop).
import type { ProgramDefs } from './defs.js';
import { structFields, variantFields, type Type } from './types.js';

export type OwnershipClass = 'plain' | 'shared' | 'move';

export function classify(defs: ProgramDefs, t: Type, seen: Set<unknown> = new Set()): OwnershipClass {
  switch (t.k) {
    case 'int':
    case 'float':
    case 'bool':
    case 'char':
    case 'unit':
    case 'never':
    case 'ptr':
    case 'ref': // references are copied freely; the checker confines them
    case 'error':
      return 'plain';
    case 'str':
    case 'func':
      return 'shared';
    case 'param':
    case 'var':
    case 'dyn':
      return 'move'; // unknown until instantiation: the strictest rules apply
    case 'tuple':
      return combine(t.elems.map((e) => classify(defs, e, seen)));
    case 'array':
      return classify(defs, t.elem, seen);
    case 'adt': {
      // class references are runtime-managed: a copy retains the object, a drop releases it (MEMORY.md §4)
      if (t.def.kind === 'class' || t.def.kind === 'interface') return 'shared';
      if (defs.dropImpls.has(t.def)) return 'move';
      if (t.def.attrs.has('move')) return 'move';
      if (seen.has(t.def)) return 'plain'; // recursion goes through an owner, which decides
      seen.add(t.def);
      try {
        if (t.def.kind === 'enum') {
          const parts: OwnershipClass[] = [];
          t.def.variants.forEach((_, i) => parts.push(...variantFields(t, i).map((f) => classify(defs, f, seen))));
          return combine(parts);
        }
        return combine(structFields(t).map((f) => classify(defs, f.ty, seen)));
      } finally {
        seen.delete(t.def);
      }
    }
  }
}

function combine(parts: OwnershipClass[]): OwnershipClass {
  if (parts.includes('move')) return 'move';
  if (parts.includes('shared')) return 'shared';
  return 'plain';
}

/** Values of this type may be used again after being read (plain data or runtime-managed). */
export function isCopyable(defs: ProgramDefs, t: Type): boolean {
  return classify(defs, t) !== 'move';
}

/** Does dropping a value of this type do anything? */
export function needsDrop(defs: ProgramDefs, t: Type): boolean {
  return classify(defs, t) !== 'plain';
}
