// The formatting adapter (lsp/formatting.ts) over a stand-in formatter with the interface `tmlc fmt` exports: one
// whole-document edit, none when nothing changes or the formatter refuses the file.
import { describe, expect, it } from 'vitest';
import { formattingEdits, type SourceFormatter } from '../../compiler/src/lsp/formatting.js';
import { textDocument } from '../../compiler/src/lsp/positions.js';

// strips trailing spaces; refuses text containing `@@` as a formatter refuses a file it cannot parse
const stand_in: SourceFormatter = {
  formatSource(text, fileName) {
    if (!fileName.endsWith('.tml')) throw new Error('not a TML file');
    if (text.includes('@@')) throw new Error('syntax error');
    return text.replace(/ +\n/g, '\n');
  },
};

describe('formatting edits', () => {
  it('replaces the whole document with the formatted text', () => {
    const doc = textDocument('file:///a.tml', 'func main() {   \n}\r\nx  \n');
    expect(formattingEdits(stand_in, doc, '/a.tml')).toEqual([
      { range: { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } }, newText: 'func main() {\n}\r\nx\n' },
    ]);
  });

  it('edits nothing when the text is formatted already', () => {
    expect(formattingEdits(stand_in, textDocument('file:///a.tml', 'func main() {\n}\n'), '/a.tml')).toEqual([]);
  });

  it('edits nothing when the formatter cannot format the file', () => {
    expect(formattingEdits(stand_in, textDocument('file:///a.tml', 'func @@   \n'), '/a.tml')).toEqual([]);
    expect(formattingEdits(stand_in, textDocument('file:///a.txt', 'x   \n'), '/a.txt')).toEqual([]);
  });
});
