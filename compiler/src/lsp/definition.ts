// Go to definition: where the target under the cursor is declared — in the document, in a `use`d module, or in the
// standard library (any file the analysis read, so its text is at hand for the position conversion).
import type { Location } from 'vscode-languageserver';
import type { Span } from '../syntax/source.js';
import { fileDocument, type Analysis } from './analysis.js';
import { spanToRange } from './positions.js';
import { targetAt, type Target } from './query.js';

export function definitionAt(a: Analysis, offset: number): Location | null {
  const found = targetAt(a, offset);
  const span = found ? declarationSpan(found.target) : null;
  if (!span) return null;
  const doc = fileDocument(a, span.file);
  return doc ? { uri: span.file === a.file ? a.doc.uri : doc.uri, range: spanToRange(doc, span) } : null;
}

function declarationSpan(t: Target): Span | null {
  switch (t.k) {
    case 'local':
      return t.local.span;
    case 'fn':
      return t.fn.decl?.nameSpan ?? t.fn.span;
    case 'field':
      return t.field.span;
    case 'adt':
    case 'behavior':
      return t.def.span;
    case 'const':
      return t.def.decl.nameSpan;
    case 'variant':
      return t.adt.variants[t.index]!.span;
    case 'module':
      return { file: t.scope.file, start: 0, end: 0 };
    case 'builtin':
    case 'expr':
      return null;
  }
}
