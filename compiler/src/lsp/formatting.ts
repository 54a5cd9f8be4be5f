// Document formatting through the compiler's formatter (`tmlc fmt`), behind a narrow interface: the formatter is
// another piece of work (compiler/src/syntax/format/, `formatSource(text, fileName)`), so this adapter is written
// against its signature and `FORMATTER` is wired to it where both exist. While FORMATTER is null the server does
// not advertise formatting (server.ts).
import type { TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';

/** What the adapter needs of a formatter: the formatted text of a file, or an exception for one it cannot format. */
export interface SourceFormatter {
  formatSource(text: string, fileName: string): string;
}

/** The compiler's formatter, when this tree has one (none yet: see the file comment). */
export const FORMATTER: SourceFormatter | null = null;

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
