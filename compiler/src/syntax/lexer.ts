// The lexer: source text to tokens. It never throws; malformed input gets a diagnostic and the lexer carries on
// with the next character, so one run reports every lexical error.
//
// Diagnostic codes used here:
//   E0001  unknown character
//   E0002  unterminated string literal
//   E0003  unterminated block comment
//   E0009  unknown or malformed escape sequence
//   E0025  malformed number literal (missing digits, invalid suffix)
//   E0006  malformed character literal (empty, unterminated, more than one character)
//   E0007  invalid unicode escape (`\u{…}` that is not a Unicode scalar value)
//   E0008  unterminated interpolation `{…` in a string literal
import type { DiagnosticBag, DiagnosticCode } from './diagnostics.js';
import type { SourceFile, Span } from './source.js';
import { keywordKind, PUNCT_SYNONYMS, PUNCTUATION, type InterpTokenPart, type PunctKind, type Token } from './tokens.js';

/** A comment as written (a line comment to the end of its line, or a whole block comment), for the formatter. */
export interface Comment {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly block: boolean;
}

/** Tokens of a whole file, ending with one `eof` token. With `comments`, the file's comments are appended to it
 * in order (the compiler passes none: recording costs nothing when not asked for). */
export function tokenize(file: SourceFile, diags: DiagnosticBag, comments?: Comment[]): Token[] {
  const lexer = new Lexer(file, 0, file.text.length, diags, true);
  if (comments !== undefined) lexer.comments = comments;
  return lexer.run();
}

/** Tokens of part of a file (the expression of an interpolation), ending with `eof` at `end`. */
export function tokenizeRange(file: SourceFile, start: number, end: number, diags: DiagnosticBag): Token[] {
  return new Lexer(file, start, end, diags, false).run();
}

/** What a token is, without where it is. */
type TokenPayload = Token extends infer T ? (T extends Token ? Omit<T, 'span' | 'text' | 'newlineBefore'> : never) : never;

const INT_SUFFIXES = new Set(['i8', 'i16', 'i32', 'i64', 'i128', 'u8', 'u16', 'u32', 'u64', 'u128']);
const FLOAT_SUFFIXES = new Set(['f32', 'f64']);

/** The punctuation that can start with each character, longest first (PUNCTUATION's order), so a token tries only its own. */
const PUNCT_BY_FIRST_CHAR: ReadonlyMap<string, readonly (typeof PUNCTUATION)[number][]> = (() => {
  const m = new Map<string, (typeof PUNCTUATION)[number][]>();
  for (const p of PUNCTUATION) {
    const list = m.get(p[0]!) ?? [];
    list.push(p);
    m.set(p[0]!, list);
  }
  return m;
})();
const NO_PUNCT: readonly (typeof PUNCTUATION)[number][] = [];

/** `[A-Za-z0-9_]` by character code (isIdentChar for the lexer's hot loop). */
function isIdentCode(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}
function isIdentStart(c: string | undefined): boolean {
  return c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_');
}
function isIdentChar(c: string | undefined): boolean {
  return isIdentStart(c) || isDigit(c);
}
function isHexDigit(c: string | undefined): boolean {
  return c !== undefined && /^[0-9a-fA-F]$/.test(c);
}
function digitTest(radix: number): (c: string | undefined) => boolean {
  if (radix === 16) return isHexDigit;
  if (radix === 8) return (c) => c !== undefined && c >= '0' && c <= '7';
  if (radix === 2) return (c) => c === '0' || c === '1';
  return isDigit;
}

/** Most digits a literal of each radix may have for parseInt to be exact (below 2^52). */
const EXACT_DIGITS: Readonly<Record<number, number>> = { 2: 52, 8: 17, 10: 15, 16: 13 };

/** The value of a literal's digits (valid for the radix): parsing a short literal as a number first is several
 * times faster than BigInt's string parsing, and exact below 2^52. */
function intValue(digits: string, radix: number, prefixText: string): bigint {
  return digits.length <= EXACT_DIGITS[radix]! ? BigInt(Number.parseInt(digits, radix)) : BigInt(prefixText + digits);
}

class Lexer {
  private pos: number;
  private readonly src: string;
  private readonly tokens: Token[] = [];
  private newlineBefore: boolean;
  /** where comments are recorded, or null (the compiler's case) */
  comments: Comment[] | null = null;

  constructor(
    private readonly file: SourceFile,
    start: number,
    private readonly end: number,
    private readonly diags: DiagnosticBag,
    wholeFile: boolean,
  ) {
    this.src = file.text;
    this.pos = start;
    this.newlineBefore = wholeFile; // the first token of a file begins a line
    if (wholeFile) this.skipFilePreamble();
  }

  run(): Token[] {
    for (;;) {
      this.skipTrivia();
      if (this.pos >= this.end) break;
      this.lexToken();
    }
    this.tokens.push({ kind: 'eof', span: this.span(this.end, this.end), text: '', newlineBefore: true });
    return this.tokens;
  }

  // ---------- helpers ----------

  private span(start: number, end: number): Span {
    return { file: this.file.path, start, end };
  }
  private peek(ahead = 0): string | undefined {
    const i = this.pos + ahead;
    return i < this.end ? this.src[i] : undefined;
  }
  /**
   * Completes `tok` (a fresh object literal from the caller) with its span, text and newline flag and appends it.
   * The payload object is completed in place rather than spread into a new one: every token used to cost a
   * spread, the lexer's largest cost (issue 14); the token's fields and their order are the same.
   */
  private push(tok: TokenPayload, start: number): void {
    const t = tok as { -readonly [K in keyof Token]: Token[K] };
    t.span = this.span(start, this.pos);
    t.text = this.src.slice(start, this.pos);
    t.newlineBefore = this.newlineBefore;
    this.tokens.push(t as Token);
    this.newlineBefore = false;
  }
  private error(code: DiagnosticCode, message: string, start: number, end: number, label?: string): void {
    this.diags.error(code, message, this.span(start, Math.max(end, start)), label === undefined ? {} : { label });
  }

  /** A byte-order mark and a `#!` line at the start of the file are not source. */
  private skipFilePreamble(): void {
    if (this.src.charCodeAt(this.pos) === 0xfeff) this.pos++;
    if (this.src.startsWith('#!', this.pos)) while (this.pos < this.end && this.src[this.pos] !== '\n') this.pos++;
  }

  /** Whitespace and comments; records whether a newline was crossed. */
  private skipTrivia(): void {
    // by character code: the lexer's inner loops run before V8 has compiled them, where a code is cheaper than a
    // one-character string (issue 14)
    const src = this.src;
    while (this.pos < this.end) {
      const c = src.charCodeAt(this.pos);
      if (c === 10) {
        this.newlineBefore = true;
        this.pos++;
      } else if (c === 32 || c === 9 || c === 13 || c === 12 || c === 11) {
        this.pos++;
      } else if (c === 47 && this.pos + 1 < this.end && src.charCodeAt(this.pos + 1) === 47) {
        const nl = src.indexOf('\n', this.pos);
        const start = this.pos;
        this.pos = nl < 0 || nl > this.end ? this.end : nl;
        if (this.comments !== null) this.recordComment(start, false);
      } else if (c === 47 && this.peek(1) === '*') {
        this.skipBlockComment();
      } else {
        return;
      }
    }
  }

  private recordComment(start: number, block: boolean): void {
    // a line comment's text stops before a `\r` of a CRLF line end
    const text = this.src.slice(start, this.pos);
    this.comments!.push({ start, end: this.pos, text: block ? text : text.replace(/\r$/, ''), block });
  }

  private skipBlockComment(): void {
    const start = this.pos;
    let depth = 0;
    while (this.pos < this.end) {
      if (this.src.startsWith('/*', this.pos)) {
        depth++;
        this.pos += 2;
      } else if (this.src.startsWith('*/', this.pos)) {
        depth--;
        this.pos += 2;
        if (depth === 0) {
          if (this.comments !== null) this.recordComment(start, true);
          return;
        }
      } else {
        if (this.src[this.pos] === '\n') this.newlineBefore = true;
        this.pos++;
      }
    }
    this.error('E0003', 'unterminated block comment', start, start + 2, 'comment starts here');
  }

  // ---------- tokens ----------

  private lexToken(): void {
    const start = this.pos;
    const code = this.src.charCodeAt(this.pos);
    if (code === 114 && this.peek(1) === '"') return this.lexRawString(); // r"…"
    if ((code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95) return this.lexWord();
    if (code >= 48 && code <= 57) return this.lexNumber();
    const c = this.src[this.pos]!;
    if (c === '"') return this.lexString();
    if (c === "'") return this.lexChar();
    for (const p of PUNCT_BY_FIRST_CHAR.get(c) ?? NO_PUNCT) {
      if (this.src.startsWith(p, this.pos) && this.pos + p.length <= this.end) {
        this.pos += p.length;
        const synonym = PUNCT_SYNONYMS[p];
        this.push({ kind: synonym ?? (p as PunctKind) }, start);
        return;
      }
    }
    // a run of characters that start no token is one error (binary garbage would otherwise be thousands)
    const ch = String.fromCodePoint(this.src.codePointAt(this.pos)!);
    this.pos += ch.length;
    let count = 1;
    while (this.pos < this.end && this.startsNoToken()) {
      this.pos += String.fromCodePoint(this.src.codePointAt(this.pos)!).length;
      count++;
    }
    const label = count === 1 ? 'not valid in TML source' : `this and the ${count - 1} character${count === 2 ? '' : 's'} after it are not valid in TML source`;
    this.error('E0001', `unknown character \`${ch}\``, start, this.pos, label);
  }

  /** The character at `pos` is neither trivia nor the start of any token. */
  private startsNoToken(): boolean {
    const c = this.src[this.pos]!;
    if (c === '\n' || c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v' || c === '/') return false;
    if (isIdentStart(c) || isDigit(c) || c === '"' || c === "'") return false;
    return !PUNCTUATION.some((p) => this.src.startsWith(p, this.pos));
  }

  private lexWord(): void {
    const start = this.pos;
    const src = this.src;
    while (this.pos < this.end && isIdentCode(src.charCodeAt(this.pos))) this.pos++;
    const word = this.src.slice(start, this.pos);
    this.push({ kind: keywordKind(word) ?? 'ident' }, start);
  }

  private lexNumber(): void {
    const start = this.pos;
    // After `.` only digits: `t.0.1` is two tuple-field accesses, not `t . 0.1`.
    const afterDot = this.tokens.length > 0 && this.tokens[this.tokens.length - 1]!.kind === '.' && !this.newlineBefore;
    let radix = 10;
    const prefix = this.src.slice(this.pos, this.pos + 2).toLowerCase();
    if (!afterDot && (prefix === '0x' || prefix === '0b' || prefix === '0o')) {
      radix = prefix === '0x' ? 16 : prefix === '0b' ? 2 : 8;
      this.pos += 2;
    }
    const isRadixDigit = digitTest(radix);
    const digitsStart = this.pos;
    while (isRadixDigit(this.peek()) || this.peek() === '_') this.pos++;
    let digits = this.src.slice(digitsStart, this.pos);
    if (digits.includes('_')) digits = digits.replace(/_/g, '');
    let isFloat = false;
    if (radix === 10 && !afterDot) {
      if (this.peek() === '.' && isDigit(this.peek(1))) {
        isFloat = true;
        this.pos++;
        while (isDigit(this.peek()) || this.peek() === '_') this.pos++;
      }
      const e = this.peek();
      if ((e === 'e' || e === 'E') && (isDigit(this.peek(1)) || ((this.peek(1) === '+' || this.peek(1) === '-') && isDigit(this.peek(2))))) {
        isFloat = true;
        this.pos += 2;
        while (isDigit(this.peek()) || this.peek() === '_') this.pos++;
      }
    }
    const numberEnd = this.pos;
    let suffix: string | null = null;
    if (isIdentStart(this.peek())) {
      const suffixStart = this.pos;
      while (isIdentChar(this.peek())) this.pos++;
      suffix = this.src.slice(suffixStart, this.pos);
      const valid = INT_SUFFIXES.has(suffix) || (radix === 10 && FLOAT_SUFFIXES.has(suffix));
      if (!valid || (isFloat && !FLOAT_SUFFIXES.has(suffix)) || afterDot) {
        this.error('E0025', `invalid suffix \`${suffix}\` for number literal`, suffixStart, this.pos, 'expected one of i8 … i128, u8 … u128, f32, f64');
        suffix = null;
      }
    }
    if (digits.length === 0) {
      this.error('E0025', 'missing digits in number literal', start, this.pos);
      digits = '0';
    }
    if (isFloat || (suffix !== null && FLOAT_SUFFIXES.has(suffix))) {
      const value = Number(this.src.slice(start, numberEnd).replace(/_/g, ''));
      this.push({ kind: 'float', value, suffix }, start);
    } else {
      const prefixText = radix === 16 ? '0x' : radix === 2 ? '0b' : radix === 8 ? '0o' : '';
      this.push({ kind: 'int', value: intValue(digits, radix, prefixText), suffix }, start);
    }
  }

  // ---------- strings and characters ----------

  private lexRawString(): void {
    const start = this.pos;
    this.pos += 2; // r"
    const close = this.src.indexOf('"', this.pos);
    if (close < 0 || close >= this.end) {
      this.pos = this.end;
      this.error('E0002', 'unterminated raw string literal', start, start + 2, 'string starts here');
      this.push({ kind: 'string', value: this.src.slice(start + 2, this.end) }, start);
      return;
    }
    const value = this.src.slice(this.pos, close);
    this.pos = close + 1;
    this.push({ kind: 'string', value }, start);
  }

  private lexString(): void {
    const start = this.pos;
    this.pos++; // opening quote
    const parts: InterpTokenPart[] = [];
    let text = '';
    let textStart = this.pos;
    let hasExpr = false;
    const flushText = (): void => {
      if (text.length > 0) parts.push({ kind: 'text', text, span: this.span(textStart, this.pos) });
      text = '';
    };
    for (;;) {
      const c = this.peek();
      if (c === undefined || c === '\n') {
        this.error('E0002', 'unterminated string literal', start, this.pos, 'string starts here');
        break;
      }
      if (c === '"') {
        flushText();
        this.pos++;
        break;
      }
      if (c === '\\') {
        text += this.lexEscape();
      } else if (c === '{' && isIdentStart(this.peek(1))) {
        flushText();
        const range = this.scanInterpolation();
        if (range === null) break; // unterminated: reported, string ends here
        parts.push({ kind: 'expr', start: range.start, end: range.end });
        hasExpr = true;
        textStart = this.pos;
      } else {
        const ch = String.fromCodePoint(this.src.codePointAt(this.pos)!);
        text += ch;
        this.pos += ch.length;
      }
    }
    if (hasExpr) {
      flushText();
      this.push({ kind: 'interp', parts }, start);
    } else {
      this.push({ kind: 'string', value: parts.map((p) => (p.kind === 'text' ? p.text : '')).join('') + text }, start);
    }
  }

  /**
   * At `{` of an interpolation: finds the matching `}` (skipping nested braces, strings and chars) and returns the
   * range of the expression between them, leaving pos after `}`. null when the line or file ends first.
   */
  private scanInterpolation(): { start: number; end: number } | null {
    const open = this.pos;
    this.pos++;
    const exprStart = this.pos;
    let depth = 1;
    while (this.pos < this.end && this.src[this.pos] !== '\n') {
      const c = this.src[this.pos]!;
      if (c === '{') depth++;
      else if (c === '}') {
        depth--;
        if (depth === 0) {
          this.pos++;
          return { start: exprStart, end: this.pos - 1 };
        }
      } else if (c === '"' || c === "'") {
        this.pos++;
        while (this.pos < this.end && this.src[this.pos] !== c && this.src[this.pos] !== '\n') {
          if (this.src[this.pos] === '\\') this.pos++;
          this.pos++;
        }
        if (this.pos >= this.end || this.src[this.pos] === '\n') break;
      }
      this.pos++;
    }
    this.pos = Math.min(this.pos, this.end);
    this.error('E0008', 'unterminated interpolation in string literal', open, open + 1, 'this `{` is never closed');
    return null;
  }

  /** At `\`: the escaped text (one character), reporting malformed escapes. */
  private lexEscape(): string {
    const start = this.pos;
    this.pos++;
    const c = this.peek();
    if (c === undefined || c === '\n') {
      this.error('E0009', 'incomplete escape sequence', start, this.pos);
      return '';
    }
    this.pos++;
    switch (c) {
      case 'n': return '\n';
      case 'r': return '\r';
      case 't': return '\t';
      case '\\': return '\\';
      case '"': return '"';
      case "'": return "'";
      case '0': return '\0';
      case '{': return '{';
      case '}': return '}';
      case 'x': {
        const hex = this.src.slice(this.pos, Math.min(this.pos + 2, this.end));
        if (hex.length === 2 && isHexDigit(hex[0]) && isHexDigit(hex[1])) {
          this.pos += 2;
          const v = parseInt(hex, 16);
          if (v > 0x7f) {
            this.error('E0009', `out of range hex escape \`\\x${hex}\``, start, this.pos, 'must be at most \\x7F; use \\u{…} for other characters');
            return '';
          }
          return String.fromCharCode(v);
        }
        this.error('E0009', 'invalid hex escape: `\\x` needs two hex digits', start, this.pos);
        return '';
      }
      case 'u':
        return this.lexUnicodeEscape(start);
      default: {
        const ch = String.fromCodePoint(this.src.codePointAt(this.pos - 1)!);
        this.pos += ch.length - 1;
        this.error('E0009', `unknown escape sequence \`\\${ch}\``, start, this.pos);
        return '';
      }
    }
  }

  private lexUnicodeEscape(start: number): string {
    if (this.peek() !== '{') {
      this.error('E0007', 'invalid unicode escape: expected `{` after `\\u`', start, this.pos);
      return '';
    }
    this.pos++;
    const digitsStart = this.pos;
    while (isHexDigit(this.peek())) this.pos++;
    const hex = this.src.slice(digitsStart, this.pos);
    if (this.peek() !== '}') {
      this.error('E0007', 'invalid unicode escape: expected hex digits and `}`', start, this.pos);
      return '';
    }
    this.pos++;
    const v = hex.length > 0 && hex.length <= 6 ? parseInt(hex, 16) : -1;
    if (v < 0 || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) {
      this.error('E0007', 'invalid unicode escape: not a Unicode scalar value', start, this.pos);
      return '';
    }
    return String.fromCodePoint(v);
  }

  private lexChar(): void {
    const start = this.pos;
    this.pos++; // opening quote
    const c = this.peek();
    if (c === "'") {
      this.pos++;
      this.error('E0006', 'empty character literal', start, this.pos);
      this.push({ kind: 'char', value: 0 }, start);
      return;
    }
    if (c === undefined || c === '\n') {
      this.error('E0006', 'unterminated character literal', start, this.pos);
      this.push({ kind: 'char', value: 0 }, start);
      return;
    }
    let text: string;
    if (c === '\\') {
      text = this.lexEscape();
    } else {
      text = String.fromCodePoint(this.src.codePointAt(this.pos)!);
      this.pos += text.length;
    }
    const value = text.length > 0 ? text.codePointAt(0)! : 0;
    if (this.peek() === "'") {
      this.pos++;
    } else {
      // Find a closing quote on this line: if there is one, the literal has too many characters.
      let close = this.pos;
      while (close < this.end && this.src[close] !== "'" && this.src[close] !== '\n') close++;
      if (close < this.end && this.src[close] === "'") {
        this.pos = close + 1;
        this.error('E0006', 'character literal may only contain one character', start, this.pos, 'use double quotes for a string');
      } else {
        this.error('E0006', 'unterminated character literal', start, this.pos);
      }
    }
    this.push({ kind: 'char', value }, start);
  }
}
