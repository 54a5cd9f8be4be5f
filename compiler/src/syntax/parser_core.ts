// The parser's cursor and its bookkeeping: token access, the newline mode, the struct-literal restriction,
// error reporting with panic-mode suppression, resynchronisation and speculative parsing. The grammar itself is in
// parse_*.ts, as functions over a Parser.
//
// Syntax diagnostic codes (lexical ones are E0001..E0008, see lexer.ts):
//   E0010  expected expression
//   E0011  expected a specific token (`)`, `}`, `=>`, …)
//   E0012  expected item
//   E0013  expected type
//   E0014  expected pattern
//   E0015  expected identifier (or a keyword where a name belongs: keyword_names.ts)
//   E0016  comparison operators cannot be chained
//   E0017  unclosed delimiter (end of file inside `(`, `[` or `{`; a `{` never closed: brace_recovery.ts)
//   E0018  missing type annotation where one is required (`const`)
//   E0019  invalid alternative in a sum type (`type X = A | B`)
//   E0020  unexpected tokens after an interpolated expression
//   E0021  unsupported syntax (`throw`)
//   E0022  expected class, behavior or impl member
//   E0028  `let … else` without an initialiser
//   E0030  nested too deeply (more than NESTING_LIMIT levels of expressions, types, patterns or items); stops the parse
//   E0024  misplaced modifier or attribute
//   E0049  internal compiler error (a parser bug, reported instead of crashing)
import type { Expr } from './ast.js';
import type { DiagnosticBag, DiagnosticCode, DiagnosticExtra } from './diagnostics.js';
import type { SourceFile, Span } from './source.js';
import { describeToken, type Token, type TokenKind } from './tokens.js';

/** Operators that continue an expression when they start a line (LANGUAGE.md §1): every infix operator but `*`. */
const LINE_CONTINUING = new Set<TokenKind>([
  '+', '-', '/', '%', '==', '!=', '<', '>', '<=', '>=', '&', '|', '^', '<<', '>>',
  'and', 'or', 'xor', 'shl', 'shr', 'as', 'is', 'to', 'through', '?', '.',
  '=', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '<<=', '>>=',
]);

const OPENERS = new Set<TokenKind>(['(', '[', '{']);
const CLOSERS = new Set<TokenKind>([')', ']', '}']);

/** Words that begin an item; recovery stops before them at the start of a line. */
export const ITEM_KEYWORDS = new Set<TokenKind>([
  'func', 'type', 'union', 'behavior', 'impl', 'use', 'pub', 'mod', 'const', 'class', 'interface',
  'abstract', 'sealed', 'async', '@',
]);

/**
 * How deep expressions, blocks, types, patterns and items may nest (parentheses, blocks, `if` bodies, closures,
 * prefix operators, type arguments, sub-patterns, `mod { }`…), like rustc's recursion limit. Every later phase walks
 * the tree recursively, so the limit keeps them all within Node's stack; chains (`a + b + c`, `else if`, `x.f().g()`)
 * are not nesting and have no limit (see syntax/chains.ts). docs/decisions.md: "Nesting limit and long chains".
 */
export const NESTING_LIMIT = 256;

export type NestingKind = 'expression' | 'type' | 'pattern' | 'item';

/** Thrown past the nesting limit (after its one diagnostic): the parse of the file stops. */
export class NestingLimitReached extends Error {
  constructor() {
    super('nesting limit reached');
  }
}

export class Parser {
  pos = 0;
  /** Nesting levels entered (see NESTING_LIMIT). */
  depth = 0;
  /** Inside `( )`, `[ ]`, struct-literal braces and `when` bodies newlines do not end anything. */
  newlinesFree = false;
  /** In the head of `if`/`when`/`while`/`for`, `Name {` is not a struct literal. */
  noStructLiteral = false;
  /** Set by the first error of a statement or item; further errors are dropped until resynchronisation. */
  recovering = false;
  /** An operand already parsed, which the expression parser takes as its first primary (see parse_stmts.ts). */
  pendingOperand: Expr | null = null;
  /** Keywords the program used as names (reported once, see keyword_names.ts): later uses read as those names. */
  keywordNames = new Set<string>();
  private speculating = 0;
  private speculationFailed = false;

  constructor(
    readonly file: SourceFile,
    readonly tokens: Token[],
    readonly diags: DiagnosticBag,
  ) {}

  // ---------- cursor ----------

  get tok(): Token {
    return this.tokens[Math.min(this.pos, this.tokens.length - 1)]!;
  }
  peek(ahead = 1): Token {
    return this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)]!;
  }
  get prev(): Token {
    return this.tokens[Math.max(0, Math.min(this.pos - 1, this.tokens.length - 1))]!;
  }
  at(kind: TokenKind): boolean {
    return this.tok.kind === kind;
  }
  atAny(kinds: ReadonlySet<TokenKind>): boolean {
    return kinds.has(this.tok.kind);
  }
  atEof(): boolean {
    return this.tok.kind === 'eof';
  }
  advance(): Token {
    const t = this.tok;
    if (t.kind !== 'eof') this.pos++;
    return t;
  }
  eat(kind: TokenKind): Token | null {
    return this.at(kind) ? this.advance() : null;
  }
  /** Consumes `kind` or reports `expected `kind`, found …` (without consuming anything). */
  expect(kind: TokenKind, context?: string): Token | null {
    if (this.at(kind)) return this.advance();
    this.errorExpected(`\`${kind}\``, context);
    return null;
  }
  /** Reports `expected WHAT, found TOKEN` at the current token. */
  errorExpected(what: string, context?: string, code?: DiagnosticCode): void {
    const found = this.tok;
    const unclosed = found.kind === 'eof' && (what === '`)`' || what === '`]`' || what === '`}`');
    const message = `expected ${what}, found ${describeToken(found)}`;
    this.error(code ?? (unclosed ? 'E0017' : 'E0011'), message, found.span, context ?? `expected ${what}`);
  }

  /** The span from offset `start` to the end of the last consumed token. */
  spanFrom(start: number): Span {
    const end = Math.max(start, this.pos > 0 ? this.prev.span.end : start);
    return { file: this.file.path, start, end };
  }
  get start(): number {
    return this.tok.span.start;
  }

  // ---------- newline rules ----------

  /**
   * Whether the current token may continue the expression to its left. On the same line, always (the caller
   * checks it is a continuing token at all); after a newline in statement context, only infix operators other than
   * `*`, and `.`.
   */
  continuesExpression(): boolean {
    const t = this.tok;
    if (!t.newlineBefore || this.newlinesFree) return true;
    return LINE_CONTINUING.has(t.kind);
  }

  /** Runs `fn` with newlines free (true) or significant (false), restoring the mode after. */
  withNewlines<T>(free: boolean, fn: () => T): T {
    const saved = this.newlinesFree;
    this.newlinesFree = free;
    try {
      return fn();
    } finally {
      this.newlinesFree = saved;
    }
  }

  /** Runs `fn` with struct literals forbidden (control-flow heads) or allowed again (inside delimiters). */
  withNoStructLiteral<T>(forbidden: boolean, fn: () => T): T {
    const saved = this.noStructLiteral;
    this.noStructLiteral = forbidden;
    try {
      return fn();
    } finally {
      this.noStructLiteral = saved;
    }
  }

  /** Inside a delimiter: newlines free, struct literals allowed. */
  inDelimiters<T>(fn: () => T): T {
    return this.withNewlines(true, () => this.withNoStructLiteral(false, fn));
  }

  // ---------- nesting ----------

  /**
   * Runs `fn` one nesting level deeper. Past NESTING_LIMIT: one E0030 at the current token (also while speculating
   * or recovering) and NestingLimitReached, which ends the parse of the file (parser.ts).
   */
  nested<T>(what: NestingKind, fn: () => T): T {
    if (this.depth >= NESTING_LIMIT) {
      const t = this.tok;
      this.diags.error('E0030', `${what} nested too deeply`, t.span, {
        label: `more than ${NESTING_LIMIT} levels deep here`,
        notes: [`the nesting limit is ${NESTING_LIMIT}`],
      });
      throw new NestingLimitReached();
    }
    this.depth++;
    try {
      return fn();
    } finally {
      this.depth--;
    }
  }

  // ---------- errors ----------

  error(code: DiagnosticCode, message: string, span: Span, label?: string, notes?: string[]): void {
    if (this.speculating > 0) {
      this.speculationFailed = true;
      return;
    }
    if (this.recovering) return;
    this.recovering = true;
    this.diags.error(code, message, span, { ...(label === undefined ? {} : { label }), ...(notes === undefined ? {} : { notes }) });
  }

  /** Reports an error the parser has already recovered from (it took what was written to mean the obvious), so
   * the statement goes on being parsed and its later errors are reported too. */
  errorRecovered(code: DiagnosticCode, message: string, span: Span, extra: DiagnosticExtra): void {
    if (this.speculating > 0) {
      this.speculationFailed = true;
      return;
    }
    if (this.recovering) return;
    this.diags.error(code, message, span, extra);
  }

  /**
   * Tries `fn`; if it reports an error or returns null, rewinds and returns null without reporting anything.
   * Used for the `Name[` rule and similar lookahead.
   */
  speculate<T>(fn: () => T | null): T | null {
    const savedPos = this.pos;
    const savedFailed = this.speculationFailed;
    const savedRecovering = this.recovering;
    this.speculating++;
    this.speculationFailed = false;
    let result: T | null = null;
    try {
      result = fn();
    } finally {
      this.speculating--;
    }
    const ok = result !== null && !this.speculationFailed;
    this.speculationFailed = savedFailed;
    this.recovering = savedRecovering;
    if (!ok) this.pos = savedPos;
    return ok ? result : null;
  }

  // ---------- recovery ----------

  /**
   * After an error in a statement (or member) that began at token index `stmtStart`: skips to its end — the first
   * newline, `;` or `}` at the statement's own nesting depth — and clears the error state. Braces opened since the
   * statement began are closed first (an error inside a `when` body skips the rest of the `when`); unclosed `(` and
   * `[` are not waited for, since a missing `)` is a common error and the newline is the better boundary.
   */
  syncStatement(stmtStart: number): void {
    let braces = 0;
    for (let i = stmtStart; i < this.pos; i++) {
      const k = this.tokens[i]!.kind;
      if (k === '{') braces++;
      else if (k === '}' && braces > 0) braces--;
    }
    let groups = 0; // ( and [ opened during the skip
    const skipStart = this.pos;
    while (!this.atEof()) {
      const t = this.tok;
      if (braces === 0 && groups === 0) {
        if (t.kind === '}') break;
        if (t.kind === ';') {
          this.advance();
          break;
        }
        // a token that begins a line begins the next statement, unless the error is at that very token
        // and it is the statement's first one (then it must be skipped to make progress)
        if (t.newlineBefore && (this.pos > skipStart || this.pos > stmtStart)) break;
      }
      if (t.kind === '{') braces++;
      else if (t.kind === '}') braces--;
      else if (t.kind === '(' || t.kind === '[') groups++;
      else if ((t.kind === ')' || t.kind === ']') && groups > 0) groups--;
      this.advance();
    }
    // at the end of the file every enclosing `}` is missing too: that is the same error, not a new one
    this.recovering = this.atEof();
  }

  /**
   * After an error inside a brace-delimited list (fields, variants, a `use` group): skips to the list's closing
   * `}` (left for the caller to consume), over nested groups, so the error does not spill out of the list.
   */
  skipToCloseBrace(): void {
    if (!this.recovering) return;
    let depth = 0;
    while (!this.atEof()) {
      const k = this.tok.kind;
      if (depth === 0 && k === '}') return;
      if (OPENERS.has(k)) depth++;
      else if (CLOSERS.has(k) && depth > 0) depth--;
      this.advance();
    }
  }

  /**
   * After an error in an item header: skips to the next item keyword at the start of a line, or an unmatched `}`
   * (the end of an enclosing `mod { }`), outside braces.
   */
  syncItem(itemStart: number): void {
    let braces = 0;
    while (!this.atEof()) {
      const t = this.tok;
      const startsItem = ITEM_KEYWORDS.has(t.kind) || (t.kind === 'lowlevel' && this.peek().kind === 'func');
      if (this.pos > itemStart && braces === 0 && ((t.newlineBefore && startsItem) || t.kind === '}')) break;
      if (t.kind === '{') braces++;
      else if (t.kind === '}' && braces > 0) braces--;
      this.advance();
    }
    this.recovering = this.atEof();
  }
}
