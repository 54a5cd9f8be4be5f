// Blocks and statements. Newlines end statements (the expression parser stops at a newline that does not
// continue the expression), `;` is optional, and two statements may share a line when the second cannot continue
// the first: `{ total += v  received += 1 }`.
import { newId, type Block, type Expr, type Stmt } from './ast.js';
import { parseExpr } from './parse_expr.js';
import { isItemStart, parseItem } from './parse_items.js';
import { parsePattern } from './parse_patterns.js';
import { parsePrimary } from './parse_primary.js';
import { parseType } from './parse_types.js';
import type { Parser } from './parser_core.js';

/** `{ statements [tail] }`. The last expression statement without `;` becomes the tail. */
export function parseBlock(p: Parser): Block {
  const start = p.start;
  if (!p.expect('{', 'expected a block')) {
    return { id: newId(), span: { file: p.file.path, start, end: start }, stmts: [], tail: null };
  }
  const stmts = p.withNewlines(false, () =>
    p.withNoStructLiteral(false, () => {
      const list: Stmt[] = [];
      while (!p.at('}') && !p.atEof()) {
        const stmtIndex = p.pos;
        const stmt = parseStatement(p);
        if (stmt !== null) list.push(stmt);
        if (p.recovering) p.syncStatement(stmtIndex);
        if (p.pos === stmtIndex) p.advance(); // always make progress
      }
      return list;
    }),
  );
  p.expect('}');
  let tail: Expr | null = null;
  const last = stmts[stmts.length - 1];
  if (last !== undefined && last.kind === 'ExprStmt' && !last.semi) {
    stmts.pop();
    tail = last.expr;
  }
  return { id: newId(), span: p.spanFrom(start), stmts, tail };
}

/** Expressions that end with a block: as statements they end at their `}`. */
const BLOCK_LIKE = new Set(['if', 'when', 'loop', 'while', 'for', '{', 'lowlevel']);

/** One statement, with its optional `;`. Returns null for an empty statement (`;`). */
export function parseStatement(p: Parser): Stmt | null {
  const start = p.start;
  if (p.eat(';')) return null;
  if (isItemStart(p)) {
    const item = parseItem(p);
    return item === null ? null : { kind: 'ItemStmt', id: newId(), span: p.spanFrom(start), item };
  }
  if (p.at('let') || p.at('var')) return parseLet(p);
  if (p.at('defer')) {
    p.advance();
    const expr = parseExpr(p);
    p.eat(';');
    return { kind: 'Defer', id: newId(), span: p.spanFrom(start), expr };
  }
  const expr = BLOCK_LIKE.has(p.tok.kind) ? parseBlockLikeStatement(p) : parseExpr(p);
  const semi = p.eat(';') !== null;
  return { kind: 'ExprStmt', id: newId(), span: p.spanFrom(start), expr, semi };
}

/**
 * `if … { }`, `when … { }`, `for … { }` as a statement: it ends at its closing brace, so a next line starting
 * with `-` begins a new statement. A method chain may still follow (`when x { … }.len()`, also on the next line,
 * since no statement starts with `.`), and so may an operator on the same line (`if c { 1 } else { 2 } + 3`).
 */
function parseBlockLikeStatement(p: Parser): Expr {
  const expr = parsePrimary(p);
  if (p.prev.kind !== '}') return expr; // `if c then a else b` already took its whole expression
  const continues = p.at('.') || (!p.tok.newlineBefore && CONTINUING_OPERATORS.has(p.tok.kind));
  if (!continues) return expr;
  p.pendingOperand = expr;
  return parseExpr(p);
}

const CONTINUING_OPERATORS = new Set([
  '+', '-', '*', '/', '%', '==', '!=', '<', '>', '<=', '>=', '&', '|', '^', '<<', '>>', 'and', 'or', 'xor',
  'shl', 'shr', 'as', 'is', 'to', 'through', '?', '=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '<<=', '>>=',
]);

/** `let x: T = e`, `let mut x = e`, `var x = e`, `let (a, b) = t`, `let Just(v) = m else { … }`. */
function parseLet(p: Parser): Stmt {
  const start = p.start;
  const keyword = p.advance();
  const mutable = keyword.kind === 'var' || p.eat('mut') !== null;
  const pattern = parsePattern(p);
  const type = p.eat(':') ? parseType(p) : null;
  const init = p.eat('=') ? parseExpr(p) : null;
  let elseBlock: Block | null = null;
  if (p.at('else')) {
    const elseTok = p.advance();
    elseBlock = parseBlock(p);
    if (init === null) p.error('E0028', '`let … else` needs an initialiser', elseTok.span, 'write `let PATTERN = VALUE else { … }`');
  }
  p.eat(';');
  return { kind: 'Let', id: newId(), span: p.spanFrom(start), pattern, mutable, type, init, elseBlock };
}
