// The document outline (lsp/symbols.ts) from the syntax alone: every kind of item with its members, and nothing a
// client would reject (a nameless item, a name outside its item) when the parser recovered from a half-typed one.
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import { describe, expect, it } from 'vitest';
import { textDocument } from '../../compiler/src/lsp/positions.js';
import { documentSymbols } from '../../compiler/src/lsp/symbols.js';
import { DiagnosticBag } from '../../compiler/src/syntax/diagnostics.js';
import { parseModule } from '../../compiler/src/syntax/parser.js';
import { SourceFile } from '../../compiler/src/syntax/source.js';

function outline(text: string): unknown[] {
  const doc = textDocument('file:///o.tml', text);
  const kindName = (k: number) => Object.entries(SymbolKind).find(([, v]) => v === k)?.[0];
  const show = (s: DocumentSymbol): unknown => [s.name, kindName(s.kind), s.selectionRange.start.line, ...(s.children?.length ? [s.children.map(show)] : [])];
  return documentSymbols(doc, parseModule(new SourceFile('/o.tml', text), new DiagnosticBag())).map(show);
}

describe('document symbols', () => {
  it('lists functions, types, enums, classes, interfaces, behaviors, impls and constants with their members', () => {
    const text = [
      'const LIMIT: I32 = 3', // 0
      'type Shape { Circle(F64), Rect { w: F64, h: F64 }, Empty }', // 1
      'behavior Describe {', // 2
      '    func describe(this) -> Str', // 3
      '}', // 4
      'interface Named { func name(this) -> Str }', // 5
      'class Animal implements Named {', // 6
      '    legs: I32', // 7
      '    new(legs: I32) { this.legs = legs }', // 8
      '    func name(this) -> Str { "animal" }', // 9
      '}', // 10
      'impl Describe for Shape {', // 11
      '    func describe(this) -> Str { "shape" }', // 12
      '}', // 13
      'type Meters = F64', // 14
      'func main() { }', // 15
    ].join('\n');
    expect(outline(text)).toEqual([
      ['LIMIT', 'Constant', 0],
      ['Shape', 'Enum', 1, [['Circle', 'EnumMember', 1], ['Rect', 'EnumMember', 1], ['Empty', 'EnumMember', 1]]],
      ['Describe', 'Interface', 2, [['describe', 'Method', 3]]],
      ['Named', 'Interface', 5, [['name', 'Method', 5]]],
      ['Animal', 'Class', 6, [['legs', 'Field', 7], ['new', 'Constructor', 8], ['name', 'Method', 9]]],
      ['impl Describe for Shape', 'Namespace', 11, [['describe', 'Method', 12]]],
      ['Meters', 'TypeParameter', 14],
      ['main', 'Function', 15],
    ]);
  });

  it('leaves out what the parser could not name', () => {
    expect(outline('func (((\n}} type = when\nfunc ok() { }\n')).toEqual([['ok', 'Function', 2]]);
  });
});
