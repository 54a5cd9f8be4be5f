// Our spans are offsets into a file's text (JavaScript string indices, so UTF-16 code units); LSP positions are a
// 0-based line and a UTF-16 character within it, where a line ends at `\n`, `\r\n` or `\r`. TextDocument
// (vscode-languageserver-textdocument) does that conversion by the protocol's own rules, for the open documents and
// for any other file a span points into (a `use`d module, the standard library).
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, Range } from 'vscode-languageserver';
import type { Span } from '../syntax/source.js';

/** A text's line table, for converting offsets both ways. */
export function textDocument(uri: string, text: string, version = 0): TextDocument {
  return TextDocument.create(uri, 'tml', version, text);
}

/** The LSP position of offset `offset` (clamped to the text). */
export function offsetToPosition(doc: TextDocument, offset: number): Position {
  return doc.positionAt(offset);
}

/** The offset of an LSP position (a character past the line's end is the line's end). */
export function positionToOffset(doc: TextDocument, pos: Position): number {
  return doc.offsetAt(pos);
}

/** The LSP range of a span of `doc`'s text. */
export function spanToRange(doc: TextDocument, span: Span): Range {
  return { start: doc.positionAt(span.start), end: doc.positionAt(Math.max(span.start, span.end)) };
}
