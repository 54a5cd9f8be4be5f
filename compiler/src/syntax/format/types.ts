// Types, type parameters, bounds and where clauses, in TML surface syntax.
import type { PathSegment, TypeExpr, TypeParam, WherePredicate } from '../ast.js';
import { expr } from './exprs.js';
import type { Printer } from './printer.js';

export function path(p: Printer, segments: readonly PathSegment[]): string {
  return segments.map((s) => s.name + (s.args === null ? '' : `[${s.args.map((a) => type(p, a)).join(', ')}]`)).join('::');
}

export function type(p: Printer, t: TypeExpr): string {
  switch (t.kind) {
    case 'PathType': return path(p, t.segments);
    case 'RefType': return (t.mutable ? 'mut ref ' : 'ref ') + type(p, t.inner);
    // `*T`, `*mut T`, `*const T` as written (the parser keeps only the pointee)
    case 'PtrType': {
      const prefix = p.src.slice(t.span.start, t.inner.span.start).replace(/\s+/g, ' ').trim();
      return prefix + (/\w$/.test(prefix) ? ' ' : '') + type(p, t.inner);
    }
    case 'TupleType': return `(${t.elems.map((e) => type(p, e)).join(', ')}${t.elems.length === 1 ? ',' : ''})`;
    case 'ArrayType': return `[${type(p, t.elem)}; ${expr(p, t.size, { indent: 0, col: 0, head: false })}]`;
    case 'FuncType': return `func(${t.params.map((e) => type(p, e)).join(', ')})` + (t.ret === null ? '' : ' -> ' + type(p, t.ret));
    case 'DynType': return 'dyn ' + type(p, t.behavior);
    case 'ImplType': return 'impl ' + type(p, t.behavior);
    case 'InferType': return '_';
  }
}

export function bounds(p: Printer, list: readonly TypeExpr[]): string {
  return list.map((b) => type(p, b)).join(' + ');
}

/** `[T: Ord + Display, U]`, or nothing. */
export function typeParams(p: Printer, params: readonly TypeParam[]): string {
  if (params.length === 0) return '';
  return '[' + params.map((tp) => tp.name + (tp.bounds.length === 0 ? '' : ': ' + bounds(p, tp.bounds))).join(', ') + ']';
}

/** ` where T: A, U: B`, or nothing. */
export function whereClause(p: Printer, preds: readonly WherePredicate[]): string {
  if (preds.length === 0) return '';
  return ' where ' + preds.map((w) => type(p, w.type) + ': ' + bounds(p, w.bounds)).join(', ');
}
