// `formatSource`: the formatter's entry point (used by `tmlc fmt` and the language server). Parses the text with
// its comments, prints every top-level item (items.ts and the files it uses), checks each printed item against
// the original (verify.ts) and writes an item that fails, or that the printer cannot handle, as it was.
import type { Diagnostic } from '../diagnostics.js';
import { DiagnosticBag } from '../diagnostics.js';
import type { Comment } from '../lexer.js';
import { tokenize } from '../lexer.js';
import { parseModule } from '../parser.js';
import { SourceFile } from '../source.js';
import type { Token } from '../tokens.js';
import { item } from './items.js';
import { Printer } from './printer.js';
import { sameItem } from './verify.js';

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
  return { text: preamble(text) + (out === '' ? '' : out + '\n'), verbatimItems };
}

/** Tokens starting inside [start, end). */
function tokensIn(tokens: readonly Token[], start: number, end: number): Token[] {
  return tokens.filter((t) => t.span.start >= start && t.span.start < end);
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
