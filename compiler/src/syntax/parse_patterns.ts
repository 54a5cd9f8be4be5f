// Patterns (LANGUAGE.md §5): `_`, bindings, literals (negative numbers folded into the literal), ranges, tuples,
// arrays with `..rest`, variants, struct patterns, or-patterns. A bare identifier is an IdentPat; the checker
// decides whether it names a unit variant.
import { newId, type Expr, type FieldPat, type PathSegment, type Pattern } from './ast.js';
import type { Parser } from './parser_core.js';
import { parseTypeArgs } from './parse_types.js';
import { describeToken } from './tokens.js';
import { atKeywordAsName, takeKeywordAsName } from './keyword_names.js';

/** A pattern, including `A | B` alternatives. Each pattern is one nesting level. */
export function parsePattern(p: Parser): Pattern {
  return p.nested('pattern', () => pattern(p));
}

function pattern(p: Parser): Pattern {
  const start = p.start;
  p.eat('|'); // a leading `|` is allowed
  const first = parsePatternAtom(p);
  if (!p.at('|')) return first;
  const alts = [first];
  while (p.eat('|')) alts.push(parsePatternAtom(p));
  return { kind: 'OrPat', id: newId(), span: p.spanFrom(start), alts };
}

const LITERAL_START = new Set(['int', 'float', 'char', 'string', 'true', 'false', 'null', '-']);

function parsePatternAtom(p: Parser): Pattern {
  const start = p.start;
  const t = p.tok;
  if (t.kind === 'ident' && t.text === '_') {
    p.advance();
    return { kind: 'WildcardPat', id: newId(), span: t.span };
  }
  if (t.kind === 'mut') {
    p.advance();
    if (atKeywordAsName(p)) {
      const name = takeKeywordAsName(p);
      return { kind: 'IdentPat', id: newId(), span: p.spanFrom(start), name: name.text, mutable: true };
    }
    const name = p.tok;
    if (name.kind !== 'ident') {
      p.errorExpected('identifier', undefined, 'E0015');
      return { kind: 'WildcardPat', id: newId(), span: p.spanFrom(start) };
    }
    p.advance();
    return { kind: 'IdentPat', id: newId(), span: p.spanFrom(start), name: name.text, mutable: true };
  }
  if (LITERAL_START.has(t.kind)) return parseLiteralOrRange(p);
  if (t.kind === '(') return parseTuplePattern(p);
  if (t.kind === '[') return parseArrayPattern(p);
  if (t.kind === '..') {
    p.advance();
    const binding = p.at('ident') && !p.tok.newlineBefore ? p.advance().text : null;
    return { kind: 'RestPat', id: newId(), span: p.spanFrom(start), binding };
  }
  if (t.kind === 'ident' || t.kind === 'This' || t.kind === 'this') return parsePathPattern(p);
  if (atKeywordAsName(p)) {
    const name = takeKeywordAsName(p);
    return { kind: 'IdentPat', id: newId(), span: name.span, name: name.text, mutable: false };
  }
  p.error('E0014', `expected pattern, found ${describeToken(t)}`, t.span, 'expected pattern');
  return { kind: 'WildcardPat', id: newId(), span: { file: t.span.file, start: t.span.start, end: t.span.start } };
}

/** A literal pattern, or a range `lo to hi` / `lo through hi` of literals. */
function parseLiteralOrRange(p: Parser): Pattern {
  const start = p.start;
  const lo = parseLiteral(p);
  if (lo === null) return { kind: 'WildcardPat', id: newId(), span: p.spanFrom(start) };
  if (p.at('to') || p.at('through')) {
    const inclusive = p.advance().kind === 'through';
    const hi = parseLiteral(p);
    if (hi === null) return { kind: 'WildcardPat', id: newId(), span: p.spanFrom(start) };
    return { kind: 'RangePat', id: newId(), span: p.spanFrom(start), lo, hi, inclusive };
  }
  return { kind: 'LiteralPat', id: newId(), span: p.spanFrom(start), value: lo };
}

/** One literal expression; `-` before a number is folded into it (`-1` is IntLit -1). */
export function parseLiteral(p: Parser): Expr | null {
  const start = p.start;
  const negative = p.at('-') && (p.peek().kind === 'int' || p.peek().kind === 'float');
  if (negative) p.advance();
  const t = p.tok;
  switch (t.kind) {
    case 'int':
      p.advance();
      return { kind: 'IntLit', id: newId(), span: p.spanFrom(start), value: negative ? -t.value : t.value, suffix: t.suffix };
    case 'float':
      p.advance();
      return { kind: 'FloatLit', id: newId(), span: p.spanFrom(start), value: negative ? -t.value : t.value, suffix: t.suffix };
    case 'char':
      p.advance();
      return { kind: 'CharLit', id: newId(), span: t.span, value: t.value };
    case 'string':
      p.advance();
      return { kind: 'StrLit', id: newId(), span: t.span, value: t.value };
    case 'true':
    case 'false':
      p.advance();
      return { kind: 'BoolLit', id: newId(), span: t.span, value: t.kind === 'true' };
    case 'null':
      p.advance();
      return { kind: 'NullLit', id: newId(), span: t.span };
    default:
      p.error('E0014', `expected literal, found ${describeToken(t)}`, t.span, 'expected a literal');
      return null;
  }
}

function parseTuplePattern(p: Parser): Pattern {
  const start = p.start;
  p.advance(); // (
  const { elems, trailingComma } = p.inDelimiters(() => parsePatternList(p, ')'));
  p.expect(')');
  if (elems.length === 1 && !trailingComma && elems[0]!.kind !== 'RestPat') return elems[0]!; // (p) is p
  return { kind: 'TuplePat', id: newId(), span: p.spanFrom(start), elems };
}

function parseArrayPattern(p: Parser): Pattern {
  const start = p.start;
  p.advance(); // [
  const { elems } = p.inDelimiters(() => parsePatternList(p, ']'));
  p.expect(']');
  return { kind: 'ArrayPat', id: newId(), span: p.spanFrom(start), elems };
}

function parsePatternList(p: Parser, close: ')' | ']'): { elems: Pattern[]; trailingComma: boolean } {
  const elems: Pattern[] = [];
  let trailingComma = false;
  while (!p.at(close) && !p.atEof()) {
    elems.push(parsePattern(p));
    trailingComma = p.eat(',') !== null;
    if (!trailingComma) break;
  }
  return { elems, trailingComma };
}

/** `x`, `Color::Red`, `Just(x)`, `Shape::Rect(w, h)`, `Point { x, y: py, .. }`. */
function parsePathPattern(p: Parser): Pattern {
  const start = p.start;
  const path: PathSegment[] = [];
  for (;;) {
    const nameTok = p.tok;
    if (nameTok.kind !== 'ident' && nameTok.kind !== 'This' && nameTok.kind !== 'this') {
      p.errorExpected('identifier', undefined, 'E0015');
      break;
    }
    p.advance();
    const args = p.at('[') && !p.tok.newlineBefore ? parseTypeArgs(p) : null;
    path.push({ name: nameTok.kind === 'this' ? 'this' : nameTok.text, args, span: p.spanFrom(nameTok.span.start) });
    if (!p.eat('::')) break;
  }
  if (p.at('(')) {
    p.advance();
    const { elems } = p.inDelimiters(() => parsePatternList(p, ')'));
    p.expect(')');
    return { kind: 'VariantPat', id: newId(), span: p.spanFrom(start), path, args: elems };
  }
  if (p.at('{')) return parseStructPattern(p, start, path);
  if (path.length === 1 && path[0]!.args === null) {
    return { kind: 'IdentPat', id: newId(), span: p.spanFrom(start), name: path[0]!.name, mutable: false };
  }
  return { kind: 'PathPat', id: newId(), span: p.spanFrom(start), path };
}

function parseStructPattern(p: Parser, start: number, path: PathSegment[]): Pattern {
  p.advance(); // {
  const fields: FieldPat[] = [];
  let rest = false;
  p.inDelimiters(() => {
    while (!p.at('}') && !p.atEof()) {
      if (p.eat('..')) {
        rest = true;
        p.eat(',');
        break;
      }
      const fieldStart = p.start;
      const mutable = p.eat('mut') !== null;
      const name = p.tok;
      if (name.kind !== 'ident') {
        p.errorExpected('field name', undefined, 'E0015');
        break;
      }
      p.advance();
      let pattern: Pattern;
      if (!mutable && p.eat(':')) pattern = parsePattern(p);
      else pattern = { kind: 'IdentPat', id: newId(), span: p.spanFrom(fieldStart), name: name.text, mutable };
      fields.push({ name: name.text, pattern, span: p.spanFrom(fieldStart) });
      if (!p.eat(',')) break;
    }
  });
  p.expect('}');
  return { kind: 'StructPat', id: newId(), span: p.spanFrom(start), path, fields, rest };
}
