// What a name denotes, as a target for hover and go-to-definition: a name of the document's scope (or the
// prelude's), a path segment, what a call resolved to, a field of a type. query.ts decides which syntax to ask about.
import type * as ast from '../syntax/ast.js';
import type { Binding, ConstDef, FuncDef, ModuleScope } from '../sema/defs.js';
import type { CallRes, LocalVar } from '../sema/typed.js';
import type { AdtDef, BehaviorDef, FieldDef, Type } from '../sema/types.js';
import type { Analysis } from './analysis.js';
import { spanHas, type SyntaxObject } from './node_at.js';

export type Target =
  | { readonly k: 'local'; readonly local: LocalVar }
  | { readonly k: 'fn'; readonly fn: FuncDef }
  | { readonly k: 'field'; readonly field: FieldDef; readonly ty: Type }
  | { readonly k: 'adt'; readonly def: AdtDef }
  | { readonly k: 'behavior'; readonly def: BehaviorDef }
  | { readonly k: 'const'; readonly def: ConstDef }
  | { readonly k: 'variant'; readonly adt: AdtDef; readonly index: number }
  /** a `use`d module (its file is the definition) */
  | { readonly k: 'module'; readonly scope: ModuleScope }
  /** a compiler built-in (Str.len, print): no declaration to go to */
  | { readonly k: 'builtin'; readonly name: string; readonly ty: Type | null }
  /** any other expression: only its type */
  | { readonly k: 'expr'; readonly ty: Type };

/** A name of the document's scope (or the prelude's) as a target. */
export function fromBinding(a: Analysis, name: string): Target | null {
  const b: Binding | undefined = a.scope?.names.get(name) ?? a.checked?.defs.prelude?.names.get(name);
  if (!b) {
    // a variant named unqualified (`Circle`), when only one enum in scope has it
    const vs = a.scope?.variants.get(name) ?? a.checked?.defs.prelude?.variants.get(name);
    return vs?.length === 1 ? { k: 'variant', adt: vs[0]!.adt, index: vs[0]!.index } : null;
  }
  switch (b.k) {
    case 'adt':
      return { k: 'adt', def: b.def };
    case 'type':
      return b.ty.k === 'adt' ? { k: 'adt', def: b.ty.def } : null;
    case 'behavior':
      return { k: 'behavior', def: b.def };
    case 'fn':
      return { k: 'fn', fn: b.def };
    case 'const':
      return { k: 'const', def: b.def };
    case 'variant':
      return { k: 'variant', adt: b.adt, index: b.index };
    case 'module':
      return { k: 'module', scope: b.scope };
    default:
      return null;
  }
}

/** A path segment under the cursor in a type or pattern: the type (or variant) it names. */
export function segmentTarget(a: Analysis, n: SyntaxObject, offset: number): Target | null {
  const segs = (n['segments'] ?? n['path']) as ast.PathSegment[] | undefined;
  if (!segs) return null;
  const i = segs.findIndex((s) => spanHas(s.span, offset));
  if (i < 0) return null;
  const head = fromBinding(a, segs[0]!.name);
  if (i === 0) return head;
  if (head?.k === 'adt') {
    const v = head.def.variants.findIndex((x) => x.name === segs[i]!.name);
    if (v >= 0) return { k: 'variant', adt: head.def, index: v };
  }
  return null;
}

export function callTarget(call: CallRes | undefined, name: string, resultType: Type | null): Target | null {
  if (!call) return null;
  switch (call.k) {
    case 'fn':
    case 'new':
    case 'virtual':
    case 'iface':
      return { k: 'fn', fn: call.fn };
    case 'behavior':
    case 'dyn': {
      const m = call.behavior.def.methods.get(call.method) as FuncDef | undefined;
      return m ? { k: 'fn', fn: m } : null;
    }
    case 'variant':
      return call.ty.k === 'adt' ? { k: 'variant', adt: call.ty.def, index: call.index } : null;
    case 'builtin':
      return { k: 'builtin', name, ty: resultType };
    case 'closure':
      return null;
  }
}

/** The field `name` of a value of type `t`, through references and library pointers' `@deref`. */
export function fieldOf(t: Type, name: string): FieldDef | null {
  const base = stripRefs(t);
  if (base.k !== 'adt') return null;
  return base.def.fields.find((f) => f.name === name) ?? base.def.cls?.object?.fields.find((f) => f.name === name) ?? null;
}

export function stripRefs(t: Type): Type {
  let x = t;
  while (x.k === 'ref' || x.k === 'ptr') x = x.inner;
  return x;
}
