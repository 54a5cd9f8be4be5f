// Document symbols: the outline of the document's items from its syntax alone (so a file that does not check still
// has one) — functions, types (structs, enums, unions, aliases), classes and interfaces, behaviors, impls and
// constants, with their fields, variants, constructors and methods as children.
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type * as ast from '../syntax/ast.js';
import type { Span } from '../syntax/source.js';
import { spanToRange } from './positions.js';

export function documentSymbols(doc: TextDocument, module: ast.Module): DocumentSymbol[] {
  return module.items.flatMap((item) => itemSymbol(doc, item) ?? []).filter(wellFormed);
}

function symbol(doc: TextDocument, name: string, kind: SymbolKind, span: Span, nameSpan: Span, children: DocumentSymbol[] = []): DocumentSymbol {
  const children_ = children.filter(wellFormed);
  return { name, kind, range: spanToRange(doc, span), selectionRange: spanToRange(doc, nameSpan), children: children_ };
}

/** What a client accepts (VS Code rejects the whole answer otherwise): a name, and the name's range inside the
 * symbol's — a half-typed item (`func (((`) the parser recovered from may have neither. */
function wellFormed(s: DocumentSymbol): boolean {
  const before = (a: { line: number; character: number }, b: { line: number; character: number }) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return s.name.trim() !== '' && before(s.range.start, s.selectionRange.start) && before(s.selectionRange.end, s.range.end);
}

function itemSymbol(doc: TextDocument, item: ast.Item): DocumentSymbol | null {
  const fields = (fs: readonly ast.StructField[]) => fs.map((f) => symbol(doc, f.name, SymbolKind.Field, f.span, f.span));
  const methods = (ms: readonly ast.FuncDecl[]) => ms.map((m) => symbol(doc, m.name, SymbolKind.Method, m.span, m.nameSpan));
  switch (item.kind) {
    case 'Func':
      return symbol(doc, item.name, SymbolKind.Function, item.span, item.nameSpan);
    case 'Struct':
      return symbol(doc, item.name, SymbolKind.Struct, item.span, item.nameSpan, fields(item.fields));
    case 'Union':
      return symbol(doc, item.name, SymbolKind.Struct, item.span, item.nameSpan, fields(item.fields));
    case 'Enum':
      return symbol(doc, item.name, SymbolKind.Enum, item.span, item.nameSpan, item.variants.map((v) => symbol(doc, v.name, SymbolKind.EnumMember, v.span, v.span)));
    case 'Class': {
      const ctors = item.constructors.map((c) => symbol(doc, 'new', SymbolKind.Constructor, c.span, c.span));
      return symbol(doc, item.name, SymbolKind.Class, item.span, item.nameSpan, [...fields(item.fields), ...ctors, ...methods(item.methods)]);
    }
    case 'Interface':
      return symbol(doc, item.name, SymbolKind.Interface, item.span, item.nameSpan, methods(item.methods));
    case 'Behavior':
      return symbol(doc, item.name, SymbolKind.Interface, item.span, item.nameSpan, methods(item.methods));
    case 'Impl': {
      const target = doc.getText(spanToRange(doc, item.target.span));
      const behavior = item.behavior ? `${doc.getText(spanToRange(doc, item.behavior.span))} for ` : '';
      const consts = item.consts.map((c) => symbol(doc, c.name, SymbolKind.Constant, c.span, c.nameSpan));
      return symbol(doc, `impl ${behavior}${target}`, SymbolKind.Namespace, item.span, item.target.span, [...consts, ...methods(item.methods)]);
    }
    case 'TypeAlias':
      return symbol(doc, item.name, SymbolKind.TypeParameter, item.span, item.nameSpan);
    case 'Const':
      return symbol(doc, item.name, SymbolKind.Constant, item.span, item.nameSpan);
    case 'Mod':
      return item.items ? symbol(doc, item.name, SymbolKind.Module, item.span, item.span, item.items.flatMap((i) => itemSymbol(doc, i) ?? [])) : null;
    case 'Use':
      return null;
  }
}
