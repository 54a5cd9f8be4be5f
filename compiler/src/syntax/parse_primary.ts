// Primary expressions: literals, interpolated strings, paths (with the `Name[` rule), struct literals, tuples,
// arrays and blocks; control-flow forms are in parse_control.ts.
import { newId, type Expr, type FieldInit, type InterpPart, type PathSegment } from './ast.js';
import { parseBlock } from './parse_stmts.js';
import { parseBreakOrReturn, parseClosure, parseFor, parseIf, parseLoop, parseWhen, parseWhile } from './parse_control.js';
import { expressionError, parseExpr, parseExprList, speculateTypeArgs } from './parse_expr.js';
import { Parser } from './parser_core.js';
import { tokenizeRange } from './lexer.js';
import { describeToken, type Token } from './tokens.js';
import { isKeywordUsedAsName } from './keyword_names.js';
import { spellAs } from './rust_habits.js';

/** A primary expression: one nesting level (parentheses, blocks, `if`, closures… nest through here). */
export function parsePrimary(p: Parser): Expr {
  return p.nested('expression', () => primary(p));
}

function primary(p: Parser): Expr {
  const start = p.start;
  const t = p.tok;
  switch (t.kind) {
    case 'int':
      p.advance();
      return { kind: 'IntLit', id: newId(), span: t.span, value: t.value, suffix: t.suffix };
    case 'float':
      p.advance();
      return { kind: 'FloatLit', id: newId(), span: t.span, value: t.value, suffix: t.suffix };
    case 'string':
      p.advance();
      return { kind: 'StrLit', id: newId(), span: t.span, value: t.value };
    case 'interp':
      p.advance();
      return { kind: 'InterpStr', id: newId(), span: t.span, parts: parseInterpolation(p, t) };
    case 'char':
      p.advance();
      return { kind: 'CharLit', id: newId(), span: t.span, value: t.value };
    case 'true':
    case 'false':
      p.advance();
      return { kind: 'BoolLit', id: newId(), span: t.span, value: t.kind === 'true' };
    case 'null':
      p.advance();
      return { kind: 'NullLit', id: newId(), span: t.span };
    case 'use':
      if (p.peek().kind !== '(') return expressionError(p);
      p.advance(); // `use(v)`: a call of a function named `use`
      return { kind: 'Path', id: newId(), span: t.span, segments: [{ name: 'use', args: null, span: t.span }] };
    case 'ident':
      if (atRustMatch(p)) {
        // Rust's `match x {`: one error, then read as the `when` it means
        p.errorRecovered('E0010', 'expected expression, found `match`', t.span, { label: 'not a keyword in TML', suggestions: [spellAs(t.span, 'when')] });
        return parseWhen(p);
      }
      return parsePathOrStructLiteral(p);
    case 'this':
    case 'This':
    case 'base':
      return parsePathOrStructLiteral(p);
    case '(':
      return parseParenOrTuple(p);
    case '[':
      return parseArrayLiteral(p);
    case '{': {
      const block = parseBlock(p);
      return { kind: 'Block', id: newId(), span: block.span, block };
    }
    case 'lowlevel': {
      p.advance();
      const block = parseBlock(p);
      return { kind: 'Lowlevel', id: newId(), span: p.spanFrom(start), block };
    }
    case 'if':
      return parseIf(p);
    case 'when':
      return parseWhen(p);
    case 'loop':
      return parseLoop(p);
    case 'while':
      return parseWhile(p);
    case 'for':
      return parseFor(p);
    case 'do':
    case 'move':
      return parseClosure(p);
    case 'return':
    case 'break':
      return parseBreakOrReturn(p);
    case 'continue':
      p.advance();
      return { kind: 'Continue', id: newId(), span: t.span };
    case 'throw': {
      p.advance();
      p.error('E0021', '`throw` is not supported', t.span, 'use `panic(…)` or return an `Err`');
      parseExpr(p);
      return { kind: 'Error', id: newId(), span: p.spanFrom(start) };
    }
    default:
      if (isKeywordUsedAsName(p)) {
        p.advance(); // reported where it was declared
        return { kind: 'Path', id: newId(), span: t.span, segments: [{ name: t.text, args: null, span: t.span }] };
      }
      return expressionError(p);
  }
}

/** Parses the `{expr}` pieces of an interpolated string; their tokens keep their places in the file. */
function parseInterpolation(p: Parser, t: Extract<Token, { kind: 'interp' }>): InterpPart[] {
  const parts: InterpPart[] = [];
  for (const part of t.parts) {
    if (part.kind === 'text') {
      parts.push({ kind: 'text', text: part.text });
      continue;
    }
    const sub = new Parser(p.file, tokenizeRange(p.file, part.start, part.end, p.diags), p.diags);
    sub.newlinesFree = true;
    sub.keywordNames = p.keywordNames;
    sub.depth = p.depth; // an interpolation nests in its string
    const expr = parseExpr(sub);
    if (!sub.atEof()) {
      sub.error('E0020', `unexpected ${describeToken(sub.tok)} in interpolation`, sub.tok.span, 'expected `}` here');
    }
    parts.push({ kind: 'expr', expr });
  }
  return parts;
}

/** `match x {` (Rust's `when`): `match` then, on the same line, a name that is not an operator's operand. */
function atRustMatch(p: Parser): boolean {
  if (p.tok.text !== 'match') return false;
  const next = p.peek();
  if (next.newlineBefore || (next.kind !== 'ident' && next.kind !== 'this')) return false;
  for (let i = p.pos + 1; i < p.tokens.length; i++) {
    const t = p.tokens[i]!;
    if (t.kind === '{') return true;
    if (t.kind === 'eof' || (i > p.pos + 1 && t.newlineBefore)) return false;
  }
  return false;
}

const NAME_KINDS = new Set(['ident', 'this', 'This', 'base']);

/** `x`, `this`, `Point::new`, `List[I32]::new`, `identity[I32]`, and `Point { x: 1 }` when allowed here. */
function parsePathOrStructLiteral(p: Parser): Expr {
  const start = p.start;
  const segments: PathSegment[] = [];
  for (;;) {
    const nameTok = p.tok;
    if (!NAME_KINDS.has(nameTok.kind)) {
      p.errorExpected('identifier', undefined, 'E0015');
      break;
    }
    p.advance();
    let args = null;
    if (p.at('[') && p.continuesExpression()) {
      const follow = p.noStructLiteral ? (['::', '('] as const) : (['::', '(', '{'] as const);
      args = speculateTypeArgs(p, follow);
      // `Pair[I32] {` must also look like a struct literal body, or `a[i] {` would be misread
      if (args !== null && p.at('{') && !looksLikeStructBody(p, nameTok.text)) {
        args = null;
      }
    }
    const name = nameTok.kind === 'ident' ? nameTok.text : nameTok.kind;
    segments.push({ name, args, span: p.spanFrom(nameTok.span.start) });
    if (!p.at('::')) break;
    p.advance();
  }
  const path: Expr = { kind: 'Path', id: newId(), span: p.spanFrom(start), segments };
  const typeName = segments[segments.length - 1]?.name ?? '';
  if (p.at('{') && !p.noStructLiteral && !p.tok.newlineBefore && looksLikeStructBody(p, typeName)) {
    return parseStructLiteral(p, start, segments);
  }
  return path;
}

/** At `{` after a path: `}` after a PascalCase name, `name:`, `name,`, `name }` or `..` begins a struct literal. */
function looksLikeStructBody(p: Parser, typeName: string): boolean {
  const first = p.peek(1);
  const second = p.peek(2);
  if (first.kind === '..') return true;
  if (first.kind === '}') return /^[A-Z]/.test(typeName);
  if (first.kind !== 'ident') return false;
  return second.kind === ':' || second.kind === ',' || second.kind === '}';
}

function parseStructLiteral(p: Parser, start: number, path: PathSegment[]): Expr {
  p.advance(); // {
  const fields: FieldInit[] = [];
  let base: Expr | null = null;
  p.inDelimiters(() => {
    while (!p.at('}') && !p.atEof()) {
      if (p.eat('..')) {
        base = parseExpr(p);
        p.eat(',');
        break;
      }
      const fieldStart = p.start;
      const name = p.tok;
      if (name.kind !== 'ident') {
        p.errorExpected('field name', undefined, 'E0015');
        break;
      }
      p.advance();
      let value: Expr;
      if (p.eat(':')) value = parseExpr(p);
      else value = { kind: 'Path', id: newId(), span: name.span, segments: [{ name: name.text, args: null, span: name.span }] };
      fields.push({ name: name.text, value, span: p.spanFrom(fieldStart) });
      // commas separate fields; a newline alone also does
      if (!p.eat(',') && !p.at('}') && !(p.at('ident') && p.tok.newlineBefore)) {
        p.errorExpected('`,` or `}`');
        break;
      }
    }
  });
  p.expect('}');
  return { kind: 'StructLit', id: newId(), span: p.spanFrom(start), path, fields, base };
}

/** `()`, `(e)`, `(a, b)`, `(a,)`. */
function parseParenOrTuple(p: Parser): Expr {
  const start = p.start;
  p.advance(); // (
  if (p.eat(')')) return { kind: 'UnitLit', id: newId(), span: p.spanFrom(start) };
  return p.inDelimiters(() => {
    const first = parseExpr(p);
    if (!p.at(',')) {
      p.expect(')');
      return first;
    }
    const elems = [first];
    while (p.eat(',')) {
      if (p.at(')')) break;
      elems.push(parseExpr(p));
    }
    p.expect(')');
    return { kind: 'Tuple', id: newId(), span: p.spanFrom(start), elems };
  });
}

/** `[a, b]`, `[]`, `[value; count]`. */
function parseArrayLiteral(p: Parser): Expr {
  const start = p.start;
  p.advance(); // [
  return p.inDelimiters(() => {
    if (p.eat(']')) return { kind: 'ArrayLit', id: newId(), span: p.spanFrom(start), elems: [] };
    const first = parseExpr(p);
    if (p.eat(';')) {
      const count = parseExpr(p);
      p.expect(']');
      return { kind: 'ArrayRepeat', id: newId(), span: p.spanFrom(start), value: first, count };
    }
    const elems = [first];
    if (p.eat(',')) elems.push(...parseExprList(p, ']'));
    else if (!p.at(']')) p.errorExpected('`,` or `]`');
    p.expect(']');
    return { kind: 'ArrayLit', id: newId(), span: p.spanFrom(start), elems };
  });
}
