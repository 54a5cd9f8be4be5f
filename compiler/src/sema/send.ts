// `Send` (MEMORY.md §4, §8): which values may move to another task. Plain data, `Str`, functions, unique owners
// and collections of `Send` values, and `@sync` classes (Channel: the runtime locks it) with `Send` arguments are;
// `Shared`, `Weak`, references, raw pointers, interfaces and other classes are not (their counts or contents are
// not safe to share between threads).
import type { ProgramDefs } from './defs.js';
import { structFields, variantFields, type Type } from './types.js';

const NEVER_SEND = new Set(['Shared', 'Weak']);

/** The part of `t` that may not be sent to another task (`t` itself or a type inside it), or null when `t` is Send. */
export function notSend(defs: ProgramDefs, t: Type, seen: Set<unknown> = new Set()): Type | null {
  switch (t.k) {
    case 'ref':
    case 'ptr':
    case 'dyn':
      return t;
    case 'tuple':
      return firstOf(t.elems.map((e) => notSend(defs, e, seen)));
    case 'array':
      return notSend(defs, t.elem, seen);
    case 'adt': {
      const d = t.def;
      if (NEVER_SEND.has(d.name) && d.path.startsWith('core::')) return t;
      if (d.kind === 'interface') return t;
      if (d.kind === 'class') return d.attrs.has('sync') ? firstOf(t.args.map((a) => notSend(defs, a, seen))) : t;
      if (seen.has(d)) return null;
      seen.add(d);
      try {
        // library owners (`@deref` pointers, collections) own what their type arguments say
        if (d.deref || d.index || (d.name === 'Task' && d.path.startsWith('core::'))) return firstOf(t.args.map((a) => notSend(defs, a, seen)));
        if (d.kind === 'enum') return firstOf(d.variants.flatMap((_, i) => variantFields(t, i).map((f) => notSend(defs, f, seen))));
        return firstOf(structFields(t).map((f) => notSend(defs, f.ty, seen)));
      } finally {
        seen.delete(d);
      }
    }
    default:
      return null;
  }
}

function firstOf(xs: (Type | null)[]): Type | null {
  return xs.find((x) => x !== null) ?? null;
}
