// Expressions by precedence (LANGUAGE.md §5), lowest first:
//   assignment (right-assoc) · ternary `c ? a : b` · or · and · comparisons (non-assoc) · | · ^ xor · & ·
//   << >> shl shr · + - · * / % · `as`/`is` and ranges `a to b` (operands: prefix expressions) · prefix · postfix.
// Whether an operator on the next line continues the expression is decided by Parser.continuesExpression.
import { newId, type AssignOp, type BinaryOp, type Expr, type UnaryOp } from './ast.js';
import { parsePrimary } from './parse_primary.js';
import type { Parser } from './parser_core.js';
import { parseType, parseTypeList } from './parse_types.js';
import { spellAs } from './rust_habits.js';
import { describeToken, type TokenKind } from './tokens.js';

const ASSIGN_OPS: ReadonlyMap<TokenKind, AssignOp> = new Map<TokenKind, AssignOp>([
  ['=', '='], ['+=', '+='], ['-=', '-='], ['*=', '*='], ['/=', '/='], ['%=', '%='],
  ['&=', '&='], ['|=', '|='], ['^=', '^='], ['<<=', '<<='], ['>>=', '>>='],
]);

const COMPARISON = 3;
/** Binary operators: token kind → operator and precedence (higher binds tighter). */
const BINARY_OPS: ReadonlyMap<TokenKind, { op: BinaryOp; prec: number }> = new Map<TokenKind, { op: BinaryOp; prec: number }>([
  ['or', { op: 'or', prec: 1 }],
  ['and', { op: 'and', prec: 2 }],
  ['==', { op: '==', prec: COMPARISON }], ['!=', { op: '!=', prec: COMPARISON }],
  ['<', { op: '<', prec: COMPARISON }], ['>', { op: '>', prec: COMPARISON }],
  ['<=', { op: '<=', prec: COMPARISON }], ['>=', { op: '>=', prec: COMPARISON }],
  ['|', { op: '|', prec: 4 }],
  ['^', { op: '^', prec: 5 }], ['xor', { op: '^', prec: 5 }],
  ['&', { op: '&', prec: 6 }],
  ['<<', { op: '<<', prec: 7 }], ['>>', { op: '>>', prec: 7 }], ['shl', { op: '<<', prec: 7 }], ['shr', { op: '>>', prec: 7 }],
  ['+', { op: '+', prec: 8 }], ['-', { op: '-', prec: 8 }],
  ['*', { op: '*', prec: 9 }], ['/', { op: '/', prec: 9 }], ['%', { op: '%', prec: 9 }],
]);

/** A full expression, assignment included. */
export function parseExpr(p: Parser): Expr {
  const target = parseTernary(p);
  const op = ASSIGN_OPS.get(p.tok.kind);
  if (op === undefined || !p.continuesExpression()) return target;
  p.advance();
  const value = p.nested('expression', () => parseExpr(p)); // right-associative: nesting
  return { kind: 'Assign', id: newId(), span: p.spanFrom(target.span.start), op, target, value };
}

function parseTernary(p: Parser): Expr {
  const cond = parseBinary(p, 1);
  if (!p.at('?') || !p.continuesExpression()) return cond;
  p.advance();
  const then = p.nested('expression', () => parseTernary(p));
  p.expect(':', 'the ternary operator is `cond ? a : b`');
  const otherwise = p.nested('expression', () => parseTernary(p)); // right-associative: nesting
  return { kind: 'Ternary', id: newId(), span: p.spanFrom(cond.span.start), cond, then, else: otherwise };
}

/** Binary operators of precedence at least `minPrec`, left-associative; comparisons do not chain. */
export function parseBinary(p: Parser, minPrec: number): Expr {
  let left = parseCastOrRange(p);
  let lastWasComparison = false;
  for (;;) {
    const info = BINARY_OPS.get(p.tok.kind);
    if (info === undefined || info.prec < minPrec || !p.continuesExpression()) return left;
    const opTok = p.advance();
    const isComparison = info.prec === COMPARISON;
    if (isComparison && lastWasComparison) {
      p.error('E0016', 'comparison operators cannot be chained', opTok.span, 'second comparison here');
    }
    const right = parseBinary(p, info.prec + 1);
    left = { kind: 'Binary', id: newId(), span: p.spanFrom(left.span.start), op: info.op, left, right };
    lastWasComparison = isComparison;
  }
}

/** `x as T`, `x is T`, `a to b`, `a through b`: bind tighter than `* / %`; their operands are prefix expressions. */
function parseCastOrRange(p: Parser): Expr {
  let left = parsePrefix(p);
  for (;;) {
    const k = p.tok.kind;
    if ((k === 'as' || k === 'is') && p.continuesExpression()) {
      p.advance();
      const type = parseType(p);
      const kind = k === 'as' ? 'Cast' : 'Is';
      left = { kind, id: newId(), span: p.spanFrom(left.span.start), operand: left, type };
    } else if ((k === 'to' || k === 'through') && p.continuesExpression()) {
      p.advance();
      const end = parsePrefix(p);
      left = { kind: 'Range', id: newId(), span: p.spanFrom(left.span.start), start: left, end, inclusive: k === 'through' };
    } else {
      return left;
    }
  }
}

/** Rust macros that are functions in TML; `name!(` after one of these is the Rust habit, not an unwrap. */
const RUST_MACRO_FUNCTIONS = new Set(['println', 'print', 'eprintln', 'eprint', 'panic', 'assert', 'assert_eq', 'format']);

function isRustMacroName(e: Expr): boolean {
  return e.kind === 'Path' && e.segments.length === 1 && e.segments[0]!.args === null && RUST_MACRO_FUNCTIONS.has(e.segments[0]!.name);
}

const PREFIX_OPS: ReadonlyMap<TokenKind, UnaryOp> = new Map<TokenKind, UnaryOp>([
  ['-', '-'], ['not', 'not'], ['!', 'not'], ['~', '~'], ['*', '*'], ['&', '&'], ['ref', 'ref'],
]);

/** Prefix operators, then a postfix expression. */
export function parsePrefix(p: Parser): Expr {
  if (p.pendingOperand !== null) {
    const operand = p.pendingOperand;
    p.pendingOperand = null;
    return parsePostfix(p, operand);
  }
  const start = p.start;
  const t = p.tok;
  let op = PREFIX_OPS.get(t.kind);
  if (t.kind === 'mut' && p.peek().kind === 'ref') {
    p.advance();
    op = 'mutref';
  } else if (t.kind === '&' && p.peek().kind === 'mut') {
    // Rust's `&mut x`: one error with the TML spelling, then read as it
    p.advance();
    const written = { ...p.tok.span, start };
    p.errorRecovered('E0010', 'expected expression, found `mut`', p.tok.span, { label: 'expected expression', suggestions: [spellAs(written, 'mut ref')] });
    op = 'mutref';
  }
  if (t.kind === 'await') {
    p.advance();
    const operand = p.nested('expression', () => parsePrefix(p));
    return { kind: 'Await', id: newId(), span: p.spanFrom(start), operand };
  }
  if (op === undefined) return parsePostfix(p, parsePrimary(p));
  p.advance();
  // `-1` stays Unary('-', IntLit 1): the checker range-checks the negated literal (so `-2147483648` is an I32)
  const operand = p.nested('expression', () => parsePrefix(p));
  return { kind: 'Unary', id: newId(), span: p.spanFrom(start), op, operand };
}

/** Calls, indexing, fields, method calls and postfix `!` after `base`. */
export function parsePostfix(p: Parser, base: Expr): Expr {
  let expr = base;
  const start = base.span.start;
  for (;;) {
    const k = p.tok.kind;
    if (!p.continuesExpression()) return expr;
    if (k === '.') {
      p.advance();
      expr = parseMember(p, expr);
    } else if (k === '(') {
      const args = parseCallArgs(p);
      expr = { kind: 'Call', id: newId(), span: p.spanFrom(start), callee: expr, args };
    } else if (k === '[') {
      p.advance();
      const index = p.nested('expression', () => p.inDelimiters(() => parseExpr(p)));
      p.expect(']');
      expr = { kind: 'Index', id: newId(), span: p.spanFrom(start), object: expr, index };
    } else if (k === '!') {
      const bang = p.advance();
      // Rust's `println!(…)`: one error, then read as the call it means
      if (isRustMacroName(expr) && p.at('(') && !p.tok.newlineBefore) {
        p.errorRecovered('E0010', `expected expression, found \`!\``, bang.span, {
          label: 'TML has no macros',
          suggestions: [{ span: bang.span, replacement: '', message: `\`${(expr as Extract<Expr, { kind: 'Path' }>).segments[0]!.name}\` is a function: remove the \`!\`` }],
        });
        continue;
      }
      expr = { kind: 'Try', id: newId(), span: p.spanFrom(start), operand: expr };
    } else {
      return expr;
    }
  }
}

/** After `.`: a field (`p.x`, `t.0`), a method call (`v.push(1)`, `it.collect[List[I32]]()`) or `.await`. */
function parseMember(p: Parser, object: Expr): Expr {
  const start = object.span.start;
  const nameTok = p.tok;
  if (nameTok.kind === 'await') {
    p.advance();
    return { kind: 'Await', id: newId(), span: p.spanFrom(start), operand: object };
  }
  // field names may be keywords (`.type`) or tuple indices (`.0`)
  const isName = nameTok.kind === 'ident' || nameTok.kind === 'int' || /^[A-Za-z_]/.test(nameTok.text);
  if (!isName || (nameTok.kind === 'int' && nameTok.suffix !== null)) {
    p.errorExpected('field or method name', undefined, 'E0015');
    return { kind: 'Field', id: newId(), span: p.spanFrom(start), object, name: '', nameSpan: nameTok.span };
  }
  p.advance();
  const name = nameTok.text;
  const typeArgs = p.at('[') && !p.tok.newlineBefore ? speculateTypeArgs(p, ['(']) : null;
  if (p.at('(') && (!p.tok.newlineBefore || p.newlinesFree)) {
    const args = parseCallArgs(p);
    return { kind: 'MethodCall', id: newId(), span: p.spanFrom(start), receiver: object, name, nameSpan: nameTok.span, typeArgs, args };
  }
  return { kind: 'Field', id: newId(), span: p.spanFrom(start), object, name, nameSpan: nameTok.span };
}

/** `( a, b, c )` with an optional trailing comma. */
export function parseCallArgs(p: Parser): Expr[] {
  p.expect('(');
  const args = p.nested('expression', () => p.inDelimiters(() => parseExprList(p, ')')));
  p.expect(')');
  return args;
}

/** Expressions separated by commas, up to (not including) `close`. */
export function parseExprList(p: Parser, close: TokenKind): Expr[] {
  const list: Expr[] = [];
  while (!p.at(close) && !p.atEof()) {
    list.push(parseExpr(p));
    if (p.at(close)) break;
    if (!p.eat(',')) {
      p.errorExpected(`\`,\` or \`${close}\``);
      break;
    }
  }
  return list;
}

/**
 * The `Name[` rule: at `[`, tries to read type arguments that are followed by one of `follow` (`::`, `(`, `{`).
 * Returns them, or null (and consumes nothing) when the brackets hold a value: `arr[i]`, `arr[N]`, `fs[i](x)`.
 * A bare lowercase name is never taken for a type (types are PascalCase), so `fs[i](x)` indexes.
 */
export function speculateTypeArgs(p: Parser, follow: readonly TokenKind[]): ReturnType<typeof parseTypeList> | null {
  return p.speculate(() => {
    p.advance(); // [
    const args = p.inDelimiters(() => parseTypeList(p, ']'));
    if (!p.eat(']') || args.length === 0) return null;
    if (!follow.includes(p.tok.kind) || (p.tok.newlineBefore && !p.newlinesFree)) return null;
    const lowercaseName = args.some((a) => a.kind === 'PathType' && a.segments.length === 1 && a.segments[0]!.args === null && /^[a-z]/.test(a.segments[0]!.name));
    return lowercaseName ? null : args;
  });
}

/** Reports `expected expression, found …` and returns an Error node without consuming. */
export function expressionError(p: Parser): Expr {
  const t = p.tok;
  p.error('E0010', `expected expression, found ${describeToken(t)}`, t.span, 'expected expression');
  return { kind: 'Error', id: newId(), span: { file: t.span.file, start: t.span.start, end: t.span.start } };
}
