// The printer's shared state and its list layout. Everything is printed as text: an element renders to a string
// whose first line carries no indentation (the caller places it) and whose further lines are fully indented.
// Layout policy: 4-space indentation, lines of at most WIDTH columns where a list can break (call arguments,
// parameters, array and struct literals: one element per line with a trailing comma), blank lines between
// elements kept (a run of them becomes one), none at the start of a block.
import type { Comment } from '../lexer.js';
import type { Span } from '../source.js';
import type { Token, TokenKind } from '../tokens.js';
import { Comments } from './comments.js';

/** Tokens after which `(` opens an argument list (or a `loop (…)` head, `do(…)` parameters), not parentheses. */
const CALL_BEFORE = new Set<TokenKind>(['ident', ')', ']', 'this', 'This', 'base', 'use', 'loop', 'do', 'int', 'float', 'string', 'interp', 'char']);

export const WIDTH = 100;
const INDENT = '    ';

export function pad(indent: number): string {
  return INDENT.repeat(indent);
}

/** One element of a vertical list: its source range and how to print it. */
export interface ListElement {
  readonly start: number;
  readonly end: number;
  render(): string;
  /** text after the element (`,` in a `when`), before any trailing comment */
  readonly suffix?: string;
}

export class Printer {
  readonly comments: Comments;

  constructor(
    readonly src: string,
    comments: readonly Comment[],
    private readonly tokens: readonly Token[],
  ) {
    this.comments = new Comments(comments, src);
  }

  /** A blank line separates [from, to) in the source. */
  blankBetween(from: number, to: number): boolean {
    return /\n[ \t\r\f\v]*\n/.test(this.src.slice(from, to));
  }

  /**
   * The expression at `span` was written in parentheses: the `)` right after it matches a `(` before it with
   * only `(` between (a left operand's own), and that `(` does not open an argument list. Parentheses the
   * precedence does not need are kept as written: `(a & mask) | b` reads better than what the tree alone gives.
   */
  parenthesized(span: Span): boolean {
    const close = this.tokenAt(span.end);
    if (this.tokens[close]?.kind !== ')') return false;
    let depth = 0;
    let open = close;
    for (; open >= 0; open--) {
      const k = this.tokens[open]!.kind;
      if (k === ')') depth++;
      else if (k === '(' && --depth === 0) break;
    }
    if (open < 0 || this.tokens[open]!.span.start > span.start) return false;
    for (let i = open + 1; i < this.tokens.length && this.tokens[i]!.span.start < span.start; i++) {
      if (this.tokens[i]!.kind !== '(') return false;
    }
    const before = this.tokens[open - 1];
    // `a.or(x)`: a method may be named by a keyword
    return before === undefined || !(CALL_BEFORE.has(before.kind) || this.tokens[open - 2]?.kind === '.');
  }

  /** Index of the first token starting at or after `pos`. */
  private tokenAt(pos: number): number {
    let lo = 0;
    let hi = this.tokens.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.tokens[mid]!.span.start < pos) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The first `{` at or after `pos` that is not in a comment (the brace opening a body after a header). */
  braceAfter(pos: number): number {
    for (let i = this.src.indexOf('{', pos); i >= 0; i = this.src.indexOf('{', i + 1)) {
      if (!this.inComment(i)) return i;
    }
    return this.src.length;
  }

  private inComment(pos: number): boolean {
    return this.comments.all.some((c) => c.start <= pos && pos < c.end);
  }

  /** The offset of the first non-whitespace character at or after `pos`. */
  nextNonSpace(pos: number): number {
    const re = /\S/g;
    re.lastIndex = pos;
    return re.exec(this.src)?.index ?? this.src.length;
  }

  /** An empty `{}` as written: `{ }` when the source has one space between the braces at `open`. */
  emptyBraces(open: number): string {
    return this.src.startsWith('{ }', open) ? '{ }' : '{}';
  }

  /** The source text of [start, end) is on one line. */
  oneLine(start: number, end: number): boolean {
    return !this.src.slice(start, end).includes('\n');
  }

  /** Source text written as it was: an element holding a comment the printer could not place. Lines after the
   * first keep their indentation relative to the element's first line. */
  verbatim(start: number, end: number, indent: number): string {
    this.comments.useAll(start, end);
    const lineStart = this.src.lastIndexOf('\n', start - 1) + 1;
    const original = /^[ \t]*/.exec(this.src.slice(lineStart, start))![0];
    // at the top level nothing moves: the text is exactly as written (a raw string may span lines)
    if (indent === 0 && original === '') return this.src.slice(start, end);
    const lines = this.src.slice(start, end).split('\n');
    return lines
      .map((line, i) => {
        if (i === 0) return line;
        if (line.trim() === '') return '';
        return line.startsWith(original) ? pad(indent) + line.slice(original.length) : pad(indent) + line.trimStart();
      })
      .join('\n');
  }

  /** Elements one per line at `indent`, with their comments, from `from` (after the opening delimiter) to
   * `close` (the closing delimiter). Returns the lines, indented; none for an empty list without comments. */
  list(elements: readonly ListElement[], from: number, close: number, indent: number): string[] {
    const lines: string[] = [];
    let pos = from;
    let last = from; // end of the last thing placed: an element or a comment
    const comment = (c: Comment): void => {
      if (lines.length > 0 && this.blankBetween(last, c.start)) lines.push('');
      lines.push(pad(indent) + c.text.trimEnd());
      last = c.end;
    };
    for (const el of elements) {
      for (const c of this.comments.takeBefore(pos, el.start)) comment(c);
      if (lines.length > 0 && this.blankBetween(last, el.start)) lines.push('');
      let text = el.render();
      if (!this.comments.allUsedIn(el.start, el.end)) text = this.verbatim(el.start, el.end, indent);
      text = pad(indent) + text + (el.suffix ?? '');
      const trailing = this.comments.takeTrailing(el.end, close);
      if (trailing.length > 0) text += ' ' + trailing.map((c) => c.text.trimEnd()).join(' ');
      lines.push(...text.split('\n'));
      pos = el.end;
      last = trailing.length > 0 ? trailing[trailing.length - 1]!.end : el.end;
    }
    for (const c of this.comments.takeBefore(pos, close)) comment(c);
    return lines;
  }
}

/** Length of the last line of `s`. */
export function lastLineLength(s: string): number {
  return s.length - s.lastIndexOf('\n') - 1;
}

/** `s` is one line that fits when it starts at column `col`. */
export function fits(s: string, col: number): boolean {
  return !s.includes('\n') && col + s.length <= WIDTH;
}
