// What the name or expression under the cursor is, from what sema recorded: the typed body's side tables (paths,
// calls, bindings, expression types, keyed by node id) and the module scopes. Hover and go-to-definition both ask
// this; neither changes anything sema keeps.
import type * as ast from '../syntax/ast.js';
import type { Span } from '../syntax/source.js';
import type { Binding, ConstDef, FuncDef, ModuleScope } from '../sema/defs.js';
import type { CallRes, LocalVar, TypedBody } from '../sema/typed.js';
import type { AdtDef, BehaviorDef, FieldDef, Type } from '../sema/types.js';
import { functionAt, type Analysis } from './analysis.js';
import { nodesAt, spanHas, type SyntaxObject } from './node_at.js';

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

/** The target under `offset` and the span of the syntax it was found from (the hover's range). */
export function targetAt(a: Analysis, offset: number): { target: Target; span: Span } | null {
  const chain = nodesAt(a.module, a.file, offset);
  const typed = functionAt(a, offset);
  const body = typed?.body ?? null;
  for (let i = chain.length - 1; i >= 0; i--) {
    const found = targetOf(a, body, chain[i]!, chain[i - 1] ?? null, offset, chain[i - 2] ?? null);
    if (found) return found;
  }
  return null;
}

function targetOf(a: Analysis, body: TypedBody | null, n: SyntaxObject, parent: SyntaxObject | null, offset: number, grandparent: SyntaxObject | null): { target: Target; span: Span } | null {
  const at = (target: Target | null, span: Span = n.span) => (target ? { target, span } : null);
  const nameSpan = n['nameSpan'] as Span | undefined;
  switch (n.kind) {
    case 'Func':
      if (nameSpan && spanHas(nameSpan, offset)) return at(funcOfDecl(a, n as unknown as ast.FuncDecl), nameSpan);
      return null;
    case 'Struct':
    case 'Enum':
    case 'Union':
    case 'Class':
    case 'Interface':
    case 'Behavior':
    case 'TypeAlias':
    case 'Const':
      if (nameSpan && spanHas(nameSpan, offset)) return at(fromBinding(a, n['name'] as string), nameSpan);
      return null;
    case 'PathPat':
    case 'VariantPat':
    case 'StructPat': {
      // the variant the checker matched (`Circle(r)` names `Shape::Circle` unqualified)
      const path = n['path'] as ast.PathSegment[];
      const ty = body?.patTypes.get(n.id!);
      const index = body?.patVariantIndex.get(n.id!);
      const last = path[path.length - 1];
      if (ty?.k === 'adt' && index !== undefined && last && spanHas(last.span, offset)) return at({ k: 'variant', adt: ty.def, index });
      return at(segmentTarget(a, n, offset));
    }
    case 'PathType':
      return at(segmentTarget(a, n, offset));
    case 'IdentPat': {
      const local = body?.bindings.get(n.id!);
      if (local) return at({ k: 'local', local });
      const v = body?.patVariants.get(n.id!);
      return v && v.ty.k === 'adt' ? at({ k: 'variant', adt: v.ty.def, index: v.index }) : null;
    }
    case 'Path':
      return body ? at(pathTarget(a, body, n as unknown as Extract<ast.Expr, { kind: 'Path' }>, parent, offset)) : null;
    case 'MethodCall':
      if (!body || !nameSpan || !spanHas(nameSpan, offset)) return exprTarget(body, n);
      return at(callTarget(body.calls.get(n.id!), n['name'] as string, body.exprTypes.get(n.id!) ?? null), nameSpan);
    case 'Field': {
      if (!body || !nameSpan || !spanHas(nameSpan, offset)) return exprTarget(body, n);
      const obj = body.exprTypes.get((n['object'] as SyntaxObject).id!);
      const field = obj ? fieldOf(obj, n['name'] as string) : null;
      return field ? at({ k: 'field', field, ty: body.exprTypes.get(n.id!) ?? field.ty }, nameSpan) : exprTarget(body, n);
    }
    case 'Use': {
      const scope = a.checked?.defs.modules.get((n['path'] as string[]).join('::'));
      return scope ? at({ k: 'module', scope }) : null;
    }
    case 'StructLit': {
      const lit = body?.structLits.get(n.id!);
      const path = n['path'] as ast.PathSegment[];
      if (lit?.ty.k === 'adt' && path.some((s) => spanHas(s.span, offset))) return at({ k: 'adt', def: lit.ty.def });
      return exprTarget(body, n);
    }
    case undefined: {
      // an id-less part: a struct literal's `name: value`, a `use` item
      if (parent?.kind === 'StructLit' && typeof n['name'] === 'string' && body) {
        const lit = body.structLits.get(parent.id!);
        const field = lit?.ty.k === 'adt' ? lit.ty.def.fields.find((f) => f.name === n['name']) : undefined;
        const valueSpan = (n['value'] as SyntaxObject | undefined)?.span;
        if (field && !(valueSpan && spanHas(valueSpan, offset) && valueSpan.start !== n.span.start)) return at({ k: 'field', field, ty: field.ty });
      }
      if (parent?.kind === 'Use' && typeof n['name'] === 'string') return at(fromBinding(a, (n['alias'] as string | null) ?? (n['name'] as string)));
      // a declaration's member: a variant of an enum, a field of a struct or class
      const owner = parent && typeof parent['name'] === 'string' ? fromBinding(a, parent['name']) : null;
      if (owner?.k === 'adt' && typeof n['name'] === 'string') {
        const index = parent?.kind === 'Enum' ? owner.def.variants.findIndex((v) => v.name === n['name']) : -1;
        if (index >= 0) return at({ k: 'variant', adt: owner.def, index });
        const field = owner.def.fields.find((f) => f.name === n['name']);
        if (field && 'type' in n) return at({ k: 'field', field, ty: field.ty });
      }
      // a field of a struct variant: `Rect { w: F64 }` in an enum
      const adt = grandparent?.kind === 'Enum' ? fromBinding(a, grandparent['name'] as string) : null;
      const variant = adt?.k === 'adt' ? adt.def.variants.find((v) => v.name === parent?.['name']) : undefined;
      const vfield = variant?.fields.find((f) => f.name === n['name']);
      if (vfield && 'type' in n) return at({ k: 'field', field: vfield, ty: vfield.ty });
      return null;
    }
    default:
      return exprTarget(body, n);
  }
}

function exprTarget(body: TypedBody | null, n: SyntaxObject): { target: Target; span: Span } | null {
  const ty = n.id !== undefined ? body?.exprTypes.get(n.id) : undefined;
  return ty ? { target: { k: 'expr', ty }, span: n.span } : null;
}

function funcOfDecl(a: Analysis, decl: ast.FuncDecl): Target | null {
  if (!a.checked) return null;
  const all = [...a.checked.defs.functions, ...a.checked.defs.impls.flatMap((i) => [...i.methods.values()])];
  for (const b of a.checked.defs.behaviors) for (const m of b.methods.values()) all.push(m as FuncDef);
  for (const adt of a.checked.defs.adts) if (adt.cls) for (const m of adt.cls.methods.values()) all.push(m as FuncDef);
  const fn = all.find((f) => f.decl === decl);
  return fn ? { k: 'fn', fn } : null;
}

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
function segmentTarget(a: Analysis, n: SyntaxObject, offset: number): Target | null {
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

function pathTarget(a: Analysis, body: TypedBody, n: Extract<ast.Expr, { kind: 'Path' }>, parent: SyntaxObject | null, offset: number): Target | null {
  const segs = n.segments;
  const i = segs.findIndex((s) => spanHas(s.span, offset));
  // `Point::new`: the cursor on `Point` names the type
  if (i >= 0 && i < segs.length - 1) return segmentTarget(a, n as unknown as SyntaxObject, offset);
  const res = body.paths.get(n.id);
  if (res) {
    switch (res.k) {
      case 'local':
        return { k: 'local', local: res.local };
      case 'fn':
        return { k: 'fn', fn: res.fn };
      case 'const':
        return { k: 'const', def: res.def };
      case 'variant':
      case 'ctor':
        return res.ty.k === 'adt' ? { k: 'variant', adt: res.ty.def, index: res.index } : null;
      case 'static':
        return { k: 'expr', ty: res.def.ty };
    }
  }
  // a callee: what the call resolved to
  if (parent?.kind === 'Call' && parent['callee'] === n) {
    const t = callTarget(body.calls.get(parent.id!), segs[segs.length - 1]!.name, body.exprTypes.get(parent.id!) ?? null);
    if (t) return t;
  }
  const ty = body.exprTypes.get(n.id);
  return ty ? { k: 'expr', ty } : null;
}

function callTarget(call: CallRes | undefined, name: string, resultType: Type | null): Target | null {
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
