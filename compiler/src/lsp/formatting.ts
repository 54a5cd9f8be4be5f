// Document formatting through the compiler's formatter (`tmlc fmt`, compiler/src/syntax/format/), behind a narrow
// interface so the adapter can be tested with a stand-in.
import type { TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { formatSource } from '../syntax/format/format.js';

/** What the adapter needs of a formatter: the formatted text of a file, or an exception for one it cannot format. */
export interface SourceFormatter {
  formatSource(text: string, fileName: string): string;
}

/** The compiler's formatter: a file with syntax errors throws, so it gets no edits (its diagnostics say why). */
export const FORMATTER: SourceFormatter = {
  formatSource(text: string, fileName: string): string {
    const r = formatSource(text, fileName);
    if ('diagnostics' in r) throw new Error(`${fileName}: syntax errors, not formatted`);
    return r.text;
  },
};

/** One edit replacing the whole document with its formatted text; none when it is formatted already or cannot be
 * formatted (a file with syntax errors is left as it is: the diagnostics say why). */
export function formattingEdits(formatter: SourceFormatter, doc: TextDocument, fileName: string): TextEdit[] {
  const text = doc.getText();
  let formatted: string;
  try {
    formatted = formatter.formatSource(text, fileName);
  } catch {
    return [];
  }
  if (formatted === text) return [];
  return [{ range: { start: { line: 0, character: 0 }, end: doc.positionAt(text.length) }, newText: formatted }];
}
