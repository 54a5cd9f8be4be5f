// The language server's position conversions: our spans are UTF-16 offsets into a file's text; LSP positions are
// a line and a UTF-16 character, lines ending at `\n`, `\r\n` or `\r`.
import { describe, expect, it } from 'vitest';
import { offsetToPosition, positionToOffset, spanToRange, textDocument } from '../../compiler/src/lsp/positions.js';
import { nodesAt } from '../../compiler/src/lsp/node_at.js';
import { parseModule } from '../../compiler/src/syntax/parser.js';
import { DiagnosticBag } from '../../compiler/src/syntax/diagnostics.js';
import { SourceFile } from '../../compiler/src/syntax/source.js';

const doc = (text: string) => textDocument('file:///t.tml', text);

describe('offsets and LSP positions', () => {
  it('counts lines at \\n and characters from the line start', () => {
    const d = doc('ab\ncd\n');
    expect([0, 1, 2, 3, 5, 6].map((o) => offsetToPosition(d, o))).toEqual([
      { line: 0, character: 0 },
      { line: 0, character: 1 },
      { line: 0, character: 2 },
      { line: 1, character: 0 },
      { line: 1, character: 2 },
      { line: 2, character: 0 },
    ]);
  });

  it('counts characters in UTF-16 code units, as our offsets do (an astral character is two)', () => {
    const text = 'let s = "😀é" + x';
    const d = doc(text);
    const x = text.indexOf('x');
    expect(x).toBe(16);
    expect(offsetToPosition(d, x)).toEqual({ line: 0, character: 16 });
    expect(positionToOffset(d, { line: 0, character: 16 })).toBe(x);
  });

  it('ends a line at \\r\\n and at a lone \\r, as LSP does', () => {
    const d = doc('a\r\nb\rc');
    expect(offsetToPosition(d, 3)).toEqual({ line: 1, character: 0 });
    expect(offsetToPosition(d, 5)).toEqual({ line: 2, character: 0 });
    expect(positionToOffset(d, { line: 2, character: 0 })).toBe(5);
    // the end of a line is before its \r\n: a character past it is clamped there
    expect(positionToOffset(d, { line: 0, character: 9 })).toBe(1);
  });

  it('clamps offsets and positions past the end of the text', () => {
    const d = doc('ab\ncd');
    expect(offsetToPosition(d, 99)).toEqual({ line: 1, character: 2 });
    expect(positionToOffset(d, { line: 7, character: 0 })).toBe(5);
  });

  it('makes a span a range, both ends converted', () => {
    const d = doc('func main() {\n    let x = 1\n}\n');
    expect(spanToRange(d, { file: '/t.tml', start: 22, end: 23 })).toEqual({ start: { line: 1, character: 8 }, end: { line: 1, character: 9 } });
  });
});

describe('the syntax under an offset', () => {
  const text = 'func main() {\n    let p = q.x + 1\n}\n';
  const mod = parseModule(new SourceFile('/t.tml', text), new DiagnosticBag());
  // a Block and a path segment have no `kind`
  const kinds = (offset: number) => nodesAt(mod, '/t.tml', offset).map((n) => n.kind ?? ('stmts' in n ? 'block' : 'segment'));

  it('is the chain of nodes containing it, outermost first', () => {
    expect(kinds(text.indexOf('x'))).toEqual(['Func', 'block', 'Let', 'Binary', 'Field']);
    expect(kinds(text.indexOf('q'))).toEqual(['Func', 'block', 'Let', 'Binary', 'Field', 'Path', 'segment']);
    expect(kinds(text.indexOf('p ='))).toEqual(['Func', 'block', 'Let', 'IdentPat']);
  });

  it('includes a name the cursor is just after, and nothing outside every item', () => {
    expect(kinds(text.indexOf('q') + 1)).toEqual(['Func', 'block', 'Let', 'Binary', 'Field', 'Path', 'segment']);
    expect(kinds(text.length)).toEqual([]);
  });
});
