// The parser's entry point: a file to a Module. The grammar is spread over parse_*.ts (one concept each) and the
// cursor over parser_core.ts, which also lists the diagnostic codes. The parser never throws: syntax errors become
// diagnostics and Error nodes, and an unexpected exception (a parser bug) becomes an `internal compiler error`
// diagnostic instead of a crash. Nesting past NESTING_LIMIT (parser_core.ts) stops the parse with one error.
import type { Item, Module } from './ast.js';
import type { DiagnosticBag } from './diagnostics.js';
import { closeUnclosedBraces } from './brace_recovery.js';
import { tokenize, type Comment } from './lexer.js';
import { parseItemsUntilBrace } from './parse_items.js';
import { NestingLimitReached, Parser } from './parser_core.js';
import type { SourceFile } from './source.js';

/** `comments`, when given, receives the file's comments (the formatter's case). */
export function parseModule(file: SourceFile, diags: DiagnosticBag, comments?: Comment[]): Module {
  let parser: Parser | null = null;
  const items: Item[] = [];
  try {
    parser = new Parser(file, closeUnclosedBraces(file, tokenize(file, diags, comments), diags), diags);
    while (!parser.atEof()) {
      items.push(...parseItemsUntilBrace(parser));
      // a `}` with no `{` at the top level: report it and go on
      if (parser.at('}')) {
        parser.error('E0012', 'unexpected closing delimiter `}`', parser.tok.span, 'no `{` to close');
        parser.recovering = false;
        parser.advance();
      }
    }
  } catch (e) {
    // past the nesting limit (reported): nothing more is parsed, and the module is marked so nothing is checked
    if (e instanceof NestingLimitReached) return { path: file.path, items: [], stopped: true };
    const span = parser?.tok.span ?? { file: file.path, start: 0, end: 0 };
    const where = e instanceof Error ? (e.stack?.split('\n')[1]?.trim() ?? '') : '';
    diags.error('E0049', `internal compiler error: the parser failed: ${e instanceof Error ? e.message : String(e)}`, span, {
      label: 'while parsing here',
      notes: [where === '' ? 'this is a bug in tmlc' : `this is a bug in tmlc (${where})`],
    });
  }
  return { path: file.path, items };
}
