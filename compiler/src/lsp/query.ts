// What the name or expression under the cursor is, from what sema recorded: the typed body's side tables (paths,
// calls, bindings, expression types, keyed by node id) and the module scopes. Hover and go-to-definition both ask
// this; neither changes anything sema keeps.
import type * as ast from '../syntax/ast.js';
import type { Span } from '../syntax/source.js';
import type { FuncDef } from '../sema/defs.js';
import type { TypedBody } from '../sema/typed.js';
import { functionAt, type Analysis } from './analysis.js';
import { callTarget, fieldOf, fromBinding, segmentTarget, type Target } from './names.js';
import { nodesAt, spanHas, type SyntaxObject } from './node_at.js';

export type { Target } from './names.js';

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
    case undefined:
      return memberTarget(a, body, n, parent, offset, grandparent);
    default:
      return exprTarget(body, n);
  }
}

/** An id-less part under the cursor: a struct literal's `name: value`, a `use` item, a declaration's field or
 * variant. */
function memberTarget(a: Analysis, body: TypedBody | null, n: SyntaxObject, parent: SyntaxObject | null, offset: number, grandparent: SyntaxObject | null): { target: Target; span: Span } | null {
  const found = (target: Target | null) => (target ? { target, span: n.span } : null);
  if (parent?.kind === 'StructLit' && typeof n['name'] === 'string' && body) {
    const lit = body.structLits.get(parent.id!);
    const field = lit?.ty.k === 'adt' ? lit.ty.def.fields.find((f) => f.name === n['name']) : undefined;
    const valueSpan = (n['value'] as SyntaxObject | undefined)?.span;
    if (field && !(valueSpan && spanHas(valueSpan, offset) && valueSpan.start !== n.span.start)) return found({ k: 'field', field, ty: field.ty });
  }
  if (parent?.kind === 'Use' && typeof n['name'] === 'string') return found(fromBinding(a, (n['alias'] as string | null) ?? (n['name'] as string)));
  // a declaration's member: a variant of an enum, a field of a struct or class
  const owner = parent && typeof parent['name'] === 'string' ? fromBinding(a, parent['name']) : null;
  if (owner?.k === 'adt' && typeof n['name'] === 'string') {
    const index = parent?.kind === 'Enum' ? owner.def.variants.findIndex((v) => v.name === n['name']) : -1;
    if (index >= 0) return found({ k: 'variant', adt: owner.def, index });
    const field = owner.def.fields.find((f) => f.name === n['name']);
    if (field && 'type' in n) return found({ k: 'field', field, ty: field.ty });
  }
  // a field of a struct variant: `Rect { w: F64 }` in an enum
  const adt = grandparent?.kind === 'Enum' ? fromBinding(a, grandparent['name'] as string) : null;
  const variant = adt?.k === 'adt' ? adt.def.variants.find((v) => v.name === parent?.['name']) : undefined;
  const vfield = variant?.fields.find((f) => f.name === n['name']);
  if (vfield && 'type' in n) return found({ k: 'field', field: vfield, ty: vfield.ty });
  return null;
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
