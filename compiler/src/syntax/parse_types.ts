// Types, type parameters, bounds and `where` clauses.
import { newId, type PathSegment, type TypeExpr, type TypeParam, type WherePredicate } from './ast.js';
import { parseExpr } from './parse_expr.js';
import type { Parser } from './parser_core.js';
import { describeToken } from './tokens.js';
import { spellAs } from './rust_habits.js';

/** A type; on error reports E0013 and returns `_` without consuming. Each type is one nesting level. */
export function parseType(p: Parser): TypeExpr {
  return p.nested('type', () => typeExpr(p));
}

function typeExpr(p: Parser): TypeExpr {
  const start = p.start;
  const t = p.tok;
  switch (t.kind) {
    case 'ref': {
      p.advance();
      const inner = parseType(p);
      return { kind: 'RefType', id: newId(), span: p.spanFrom(start), mutable: false, inner };
    }
    case 'mut':
      if (p.peek().kind === 'ref') {
        p.advance();
        p.advance();
        const inner = parseType(p);
        return { kind: 'RefType', id: newId(), span: p.spanFrom(start), mutable: true, inner };
      }
      break;
    case '&': {
      // Rust's `&T` / `&mut T`: one error with the TML spelling, then read as it
      p.advance();
      if (p.at('ident') && p.tok.text === 'str' && !p.tok.newlineBefore) {
        // `&str` is `Str` (shared text), not a reference to something
        const str = p.advance();
        const whole = p.spanFrom(start);
        p.errorRecovered('E0013', 'expected type, found `&`', whole, { label: 'expected type', suggestions: [spellAs(whole, 'Str')] });
        return { kind: 'PathType', id: newId(), span: whole, segments: [{ name: 'Str', args: null, span: str.span }] };
      }
      const mutable = p.eat('mut') !== null;
      const written = p.spanFrom(start);
      p.errorRecovered('E0013', `expected type, found \`${mutable ? '&mut' : '&'}\``, written, {
        label: 'expected type',
        suggestions: [spellAs(written, mutable ? 'mut ref ' : 'ref ')],
      });
      const inner = parseType(p);
      return { kind: 'RefType', id: newId(), span: p.spanFrom(start), mutable, inner };
    }
    case '*': {
      p.advance();
      if (!p.eat('mut')) p.eat('const'); // `*mut T` / `*const T` read as `*T`
      const inner = parseType(p);
      return { kind: 'PtrType', id: newId(), span: p.spanFrom(start), inner };
    }
    case '(':
      return parseTupleType(p);
    case '[': {
      p.advance();
      return p.inDelimiters(() => {
        const elem = parseType(p);
        p.expect(';', 'array types are written `[T; N]`');
        const size = parseExpr(p);
        p.expect(']');
        return { kind: 'ArrayType', id: newId(), span: p.spanFrom(start), elem, size };
      });
    }
    case 'func': {
      p.advance();
      p.expect('(');
      const params = p.inDelimiters(() => parseTypeList(p, ')'));
      p.expect(')');
      const ret = p.eat('->') ? parseType(p) : null;
      return { kind: 'FuncType', id: newId(), span: p.spanFrom(start), params, ret };
    }
    case 'dyn':
    case 'impl': {
      p.advance();
      const behavior = parseType(p);
      const kind = t.kind === 'dyn' ? 'DynType' : 'ImplType';
      return { kind, id: newId(), span: p.spanFrom(start), behavior };
    }
    case 'ident':
      if (t.text === '_') {
        p.advance();
        return { kind: 'InferType', id: newId(), span: t.span };
      }
      return parsePathType(p);
    case 'This':
      return parsePathType(p);
    default:
      break;
  }
  p.error('E0013', `expected type, found ${describeToken(t)}`, t.span, 'expected type');
  return { kind: 'InferType', id: newId(), span: { file: t.span.file, start: t.span.start, end: t.span.start } };
}

function parseTupleType(p: Parser): TypeExpr {
  const start = p.start;
  p.advance(); // (
  return p.inDelimiters(() => {
    const elems: TypeExpr[] = [];
    let trailingComma = false;
    while (!p.at(')') && !p.atEof()) {
      elems.push(parseType(p));
      trailingComma = p.eat(',') !== null;
      if (!trailingComma) break;
    }
    p.expect(')');
    if (elems.length === 1 && !trailingComma) return elems[0]!; // (T) is T
    return { kind: 'TupleType', id: newId(), span: p.spanFrom(start), elems };
  });
}

/** `a::b::C[T]`: a path type; `This` may start it. */
function parsePathType(p: Parser): TypeExpr {
  const start = p.start;
  const segments: PathSegment[] = [];
  for (;;) {
    const nameTok = p.tok;
    if (nameTok.kind !== 'ident' && nameTok.kind !== 'This') {
      p.errorExpected('identifier', undefined, 'E0015');
      break;
    }
    p.advance();
    const args = p.at('[') && p.continuesExpression() ? parseTypeArgs(p) : null;
    segments.push({ name: nameTok.text, args, span: p.spanFrom(nameTok.span.start) });
    if (!p.eat('::')) break;
  }
  return { kind: 'PathType', id: newId(), span: p.spanFrom(start), segments };
}

/** `[T, U]` after a path segment. */
export function parseTypeArgs(p: Parser): TypeExpr[] {
  p.expect('[');
  const args = p.inDelimiters(() => parseTypeList(p, ']'));
  p.expect(']');
  return args;
}

/** Types separated by commas up to (not including) `close`; a trailing comma is allowed. */
export function parseTypeList(p: Parser, close: ')' | ']'): TypeExpr[] {
  const types: TypeExpr[] = [];
  while (!p.at(close) && !p.atEof()) {
    types.push(parseType(p));
    if (!p.eat(',')) break;
  }
  return types;
}

/** `Ord + Display`. */
export function parseBounds(p: Parser): TypeExpr[] {
  const bounds = [parseType(p)];
  while (p.eat('+')) bounds.push(parseType(p));
  return bounds;
}

/** `[T, U: Ord + Display]` after a declaration's name. */
export function parseTypeParams(p: Parser): TypeParam[] {
  if (!p.at('[')) return [];
  p.advance();
  const params = p.inDelimiters(() => {
    const list: TypeParam[] = [];
    while (!p.at(']') && !p.atEof()) {
      const start = p.start;
      p.eat('const'); // `const N: I64` is accepted; the bound names its type
      const name = p.tok;
      if (name.kind !== 'ident') {
        p.errorExpected('type parameter name', undefined, 'E0015');
        break;
      }
      p.advance();
      const bounds = p.eat(':') ? parseBounds(p) : [];
      list.push({ name: name.text, bounds, span: p.spanFrom(start) });
      if (!p.eat(',')) break;
    }
    return list;
  });
  p.expect(']');
  return params;
}

/** `where T: A + B, U: C` (or nothing). */
export function parseWhere(p: Parser): WherePredicate[] {
  if (!p.eat('where')) return [];
  const preds: WherePredicate[] = [];
  do {
    const type = parseType(p);
    p.expect(':');
    preds.push({ type, bounds: parseBounds(p) });
  } while (p.eat(',') && !p.at('{'));
  return preds;
}
