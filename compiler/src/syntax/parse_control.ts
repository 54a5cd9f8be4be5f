// Control-flow expressions: if / if let, when, loop, while, for, closures, return and break. In the heads of
// `if`/`when`/`while`/`for` a struct literal is not allowed, so `if a > b { a }` reads the block as the branch.
import { newId, type Block, type ClosureParam, type Expr, type LoopDecl, type Pattern, type WhenArm } from './ast.js';
import { parseBinary, parseExpr } from './parse_expr.js';
import { parsePattern } from './parse_patterns.js';
import { parseBlock } from './parse_stmts.js';
import { parseType } from './parse_types.js';
import type { Parser } from './parser_core.js';
import type { BinaryOp } from './ast.js';
import type { TokenKind } from './tokens.js';

/** A control-flow head: an expression in which `Name {` is not a struct literal. */
function parseHead(p: Parser): Expr {
  return p.withNoStructLiteral(true, () => parseExpr(p));
}

function blockExpr(p: Parser): Expr {
  const block = parseBlock(p);
  return { kind: 'Block', id: newId(), span: block.span, block };
}

/** One `if` of an `else if` chain, before its `else` is known. */
type IfLink =
  | { kind: 'If'; start: number; cond: Expr; then: Expr }
  | { kind: 'IfLet'; start: number; pattern: Pattern; scrutinee: Expr; then: Expr };

/**
 * `if c then a else b`, `if c { } else if … { } else { }`, `if let P = e { } else { }`. An `else if` chain is read
 * in a loop, not by recursion, so it may be any length: each `else if` is an If in the `else` of the one before
 * (syntax/chains.ts walks it back as a list).
 */
export function parseIf(p: Parser): Expr {
  const links: IfLink[] = [];
  let last: Expr | null = null;
  for (;;) {
    const start = p.start;
    p.advance(); // if
    let link: IfLink;
    let thenForm = false;
    const parseThen = (): Expr => {
      if (p.eat('then')) {
        thenForm = true;
        return parseExpr(p);
      }
      if (!p.at('{')) p.errorExpected('`then` or `{`', 'expected `then` or a block after the condition');
      return blockExpr(p);
    };
    if (p.eat('let')) {
      const pattern = parsePattern(p);
      p.expect('=', 'expected `=` after the pattern of `if let`');
      const scrutinee = parseHead(p);
      link = { kind: 'IfLet', start, pattern, scrutinee, then: parseThen() };
    } else {
      const cond = parseHead(p);
      link = { kind: 'If', start, cond, then: parseThen() };
    }
    links.push(link);
    if (!p.eat('else')) break;
    if (p.at('if')) continue;
    last = thenForm ? parseExpr(p) : blockExpr(p);
    break;
  }
  // built from the end: every If of the chain ends where the chain ends
  for (let i = links.length - 1; i >= 0; i--) {
    const l = links[i]!;
    const span = p.spanFrom(l.start);
    last = l.kind === 'If'
      ? { kind: 'If', id: newId(), span, cond: l.cond, then: l.then, else: last }
      : { kind: 'IfLet', id: newId(), span, pattern: l.pattern, scrutinee: l.scrutinee, then: l.then, else: last };
  }
  return last!;
}

/** `when e { pattern [if guard] => expr, … }`: newlines are free between arms, commas optional. */
export function parseWhen(p: Parser): Expr {
  const start = p.start;
  const keyword = p.advance();
  const scrutinee = parseHead(p);
  const arms: WhenArm[] = [];
  if (p.expect('{', 'expected `{` after the `when` scrutinee')) {
    p.inDelimiters(() => {
      while (!p.at('}') && !p.atEof()) {
        const armIndex = p.pos;
        const arm = parseWhenArm(p);
        if (arm !== null) arms.push(arm);
        if (p.recovering) p.syncStatement(armIndex);
        else if (!p.eat(',')) p.eat(';');
        if (p.pos === armIndex) p.advance(); // always make progress
      }
    });
    p.expect('}');
  }
  return { kind: 'When', id: newId(), span: p.spanFrom(start), scrutinee, arms, keywordSpan: keyword.span };
}

function parseWhenArm(p: Parser): WhenArm | null {
  const start = p.start;
  const pattern = parsePattern(p);
  const guard = p.eat('if') ? parseExpr(p) : null;
  if (!p.expect('=>', 'expected `=>` after the pattern of a `when` arm')) return null;
  // an arm's body ends at the end of its line, like a statement
  const body = p.withNewlines(false, () => parseExpr(p));
  return { pattern, guard, body, span: p.spanFrom(start) };
}

const COMPARISON_OPS: ReadonlyMap<TokenKind, BinaryOp> = new Map<TokenKind, BinaryOp>([
  ['<', '<'], ['<=', '<='], ['>', '>'], ['>=', '>='], ['==', '=='], ['!=', '!='],
]);

/** `loop { }`, `loop (cond) { }`, `loop (var i: I32 < 5) { }`. */
export function parseLoop(p: Parser): Expr {
  const start = p.start;
  p.advance(); // loop
  let cond: Expr | null = null;
  let decl: LoopDecl | null = null;
  if (p.eat('(')) {
    p.inDelimiters(() => {
      if (p.at('var') || p.at('let')) {
        const declStart = p.start;
        p.advance();
        p.eat('mut');
        const nameTok = p.tok;
        if (nameTok.kind !== 'ident') {
          p.errorExpected('identifier', undefined, 'E0015');
          return;
        }
        p.advance();
        const type = p.eat(':') ? parseType(p) : null;
        decl = { name: nameTok.text, type, span: p.spanFrom(declStart) };
        const op = COMPARISON_OPS.get(p.tok.kind);
        if (op === undefined) {
          p.errorExpected('a comparison', 'the loop variable needs a condition: `loop (var i: I32 < 5)`');
          return;
        }
        p.advance();
        const left: Expr = { kind: 'Path', id: newId(), span: nameTok.span, segments: [{ name: nameTok.text, args: null, span: nameTok.span }] };
        const right = parseBinary(p, 4); // operands of a comparison bind tighter than it
        cond = { kind: 'Binary', id: newId(), span: p.spanFrom(nameTok.span.start), op, left, right };
      } else {
        cond = parseExpr(p);
      }
    });
    p.expect(')');
  }
  const body = parseBlock(p);
  return { kind: 'Loop', id: newId(), span: p.spanFrom(start), cond, decl, body };
}

export function parseWhile(p: Parser): Expr {
  const start = p.start;
  p.advance(); // while
  const cond = parseHead(p);
  const body = parseBlock(p);
  return { kind: 'While', id: newId(), span: p.spanFrom(start), cond, body };
}

export function parseFor(p: Parser): Expr {
  const start = p.start;
  p.advance(); // for
  const pattern = parsePattern(p);
  p.expect('in', 'expected `in` after the pattern of a `for` loop');
  const iter = parseHead(p);
  const body: Block = parseBlock(p);
  return { kind: 'For', id: newId(), span: p.spanFrom(start), pattern, iter, body };
}

/** `do(x) x * 2`, `do(x: I32) -> I32 { x + 1 }`, `move do() { … }`. */
export function parseClosure(p: Parser): Expr {
  const start = p.start;
  const isMove = p.eat('move') !== null;
  p.expect('do', 'a closure is written `do(params) body`');
  const params: ClosureParam[] = [];
  if (p.expect('(')) {
    p.inDelimiters(() => {
      while (!p.at(')') && !p.atEof()) {
        const paramStart = p.start;
        const pattern = parsePattern(p);
        const type = p.eat(':') ? parseType(p) : null;
        params.push({ pattern, type, span: p.spanFrom(paramStart) });
        if (!p.eat(',')) break;
      }
    });
    p.expect(')');
  }
  const ret = p.eat('->') ? parseType(p) : null;
  const body = parseExpr(p);
  return { kind: 'Closure', id: newId(), span: p.spanFrom(start), params, ret, body, isMove };
}

/** Tokens that can begin an expression (a `{` after `return` is not taken as its value). */
const EXPR_START = new Set<TokenKind>([
  'int', 'float', 'string', 'interp', 'char', 'true', 'false', 'null', 'ident', 'this', 'This', 'base',
  '(', '[', '-', 'not', '!', '~', '*', '&', 'ref', 'mut', 'if', 'when', 'loop', 'while', 'for', 'do', 'move',
  'lowlevel', 'return', 'break', 'continue', 'await',
]);

/** `return`, `return v`, `break`, `break v`: the value must start on the same line. */
export function parseBreakOrReturn(p: Parser): Expr {
  const start = p.start;
  const keyword = p.advance();
  const value = EXPR_START.has(p.tok.kind) && !p.tok.newlineBefore ? parseExpr(p) : null;
  if (keyword.kind === 'return') return { kind: 'Return', id: newId(), span: p.spanFrom(start), value };
  return { kind: 'Break', id: newId(), span: p.spanFrom(start), value };
}
