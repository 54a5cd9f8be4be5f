// `formatSource`: the formatter's entry point (used by `tmlc fmt` and the language server). Parses the text with
// its comments, prints every top-level item (items.ts and the files it uses), checks each printed item against
// the original (verify.ts) and writes an item that fails, or that the printer cannot handle, as it was; then
// checks the whole file (same items, same comments) and leaves the text as it was if that fails.
import type { Diagnostic } from '../diagnostics.js';
import { DiagnosticBag } from '../diagnostics.js';
import type { Comment } from '../lexer.js';
import { tokenize } from '../lexer.js';
import { parseModule } from '../parser.js';
import { SourceFile } from '../source.js';
import type { Token } from '../tokens.js';
import type { Item } from '../ast.js';
import { item } from './items.js';
import { Printer } from './printer.js';
import { sameItem, sameTree } from './verify.js';

export type FormatResult =
  | { readonly text: string; readonly verbatimItems: number }
  | { readonly diagnostics: readonly Diagnostic[] };

/** The formatted text of a TML file, or the parse errors that prevent formatting (the text is then left alone). */
export function formatSource(text: string, fileName: string): FormatResult {
  const file = new SourceFile(fileName, text);
  const diags = new DiagnosticBag();
  const comments: Comment[] = [];
  const module = parseModule(file, diags, comments);
  if (diags.hasErrors() || module.stopped === true) return { diagnostics: diags.items };
  const tokens = tokenize(file, new DiagnosticBag());
  const p = new Printer(text, comments, tokens);
  let verbatimItems = 0;
  const elements = module.items.map((it) => ({
    start: it.span.start,
    end: it.span.end,
    render: (): string => {
      const saved = p.comments.save();
      try {
        const printed = item(p, it, 0);
        if (p.comments.allUsedIn(it.span.start, it.span.end) && sameItem(it, tokensIn(tokens, it.span.start, it.span.end), printed, fileName)) {
          return printed;
        }
      } catch (e) {
        if (!(e instanceof RangeError)) throw e; // a chain too deep for the printer's (or the comparison's) recursion
      }
      p.comments.restore(saved);
      verbatimItems++;
      return p.verbatim(it.span.start, it.span.end, 0);
    },
  }));
  const lines = p.list(elements, preambleEnd(text), text.length, 0);
  const out = lines.join('\n');
  const formatted = preamble(text) + (out === '' ? '' : out + '\n');
  // the whole file once more: the items in order and every comment, else the text is left as it was
  if (!sameFile(module.items, comments, formatted, fileName)) return { text, verbatimItems: module.items.length };
  return { text: formatted, verbatimItems };
}

function sameFile(items: readonly Item[], comments: readonly Comment[], formatted: string, fileName: string): boolean {
  const diags = new DiagnosticBag();
  const after: Comment[] = [];
  const reparsed = parseModule(new SourceFile(fileName, formatted), diags, after);
  if (diags.hasErrors() || after.length !== comments.length || after.some((c, i) => c.text.trimEnd() !== comments[i]!.text.trimEnd())) return false;
  try {
    return sameTree(items, reparsed.items);
  } catch (e) {
    if (e instanceof RangeError) return true; // too deep to compare: each item was compared (or kept) already
    throw e;
  }
}

/** Tokens starting inside [start, end) (tokens are in source order). */
function tokensIn(tokens: readonly Token[], start: number, end: number): Token[] {
  const first = (pos: number): number => {
    let lo = 0;
    let hi = tokens.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (tokens[mid]!.span.start < pos) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return tokens.slice(first(start), first(end));
}

/** A `#!` line is kept as it is. */
function preamble(text: string): string {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return body.startsWith('#!') ? text.slice(0, preambleEnd(text)) + '\n' : '';
}

function preambleEnd(text: string): number {
  const offset = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (!text.startsWith('#!', offset)) return 0;
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl;
}
