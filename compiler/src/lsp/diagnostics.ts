// The compiler's diagnostics of the document as LSP diagnostics: the primary span as the range, the code, the
// message with its label and notes (as `tmlc check` prints them under the message), and the secondary labels as
// related information (they may point into other files).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic as LspDiagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver';
import { stdlibDir } from '../sema/modules.js';
import type { Diagnostic } from '../syntax/diagnostics.js';
import { fileDocument, type Analysis } from './analysis.js';
import { spanToRange } from './positions.js';

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, note: DiagnosticSeverity.Information } as const;

/** Not reported in an editor: whether the open file is a program's entry or a module it `use`s is not known there,
 * and a module has no `main` (`tmlc check`/`build` of the entry still say so). */
const ENTRY_ONLY = new Set(['E0601']);

/** The diagnostics whose primary span is in the document (a `use`d module's errors show when it is opened). A file
 * of the standard library (opened by going to a definition) has none: checked as a program's entry it would break
 * the rules only the library is exempt from (`@send`, `lowlevel`), and the test suite checks it as the library. */
export function documentDiagnostics(a: Analysis): LspDiagnostic[] {
  const rel = path.relative(stdlibDir(), a.file);
  if (!rel.startsWith('..') && !path.isAbsolute(rel)) return [];
  return a.diagnostics.filter((d) => d.span.file === a.file && !ENTRY_ONLY.has(d.code)).map((d) => toLsp(a, d));
}

function toLsp(a: Analysis, d: Diagnostic): LspDiagnostic {
  const lines = [d.message];
  if (d.label) lines.push(d.label);
  for (const n of d.notes) lines.push(`note: ${n}`);
  const related: DiagnosticRelatedInformation[] = [];
  for (const l of d.secondary) {
    const doc = fileDocument(a, l.span.file);
    if (!doc) continue;
    const uri = l.span.file === a.file ? a.doc.uri : pathToFileURL(l.span.file).href;
    related.push({ location: { uri, range: spanToRange(doc, l.span) }, message: l.message });
  }
  const out: LspDiagnostic = { range: spanToRange(a.doc, d.span), severity: SEVERITY[d.severity], code: d.code, source: 'tmlc', message: lines.join('\n') };
  return related.length ? { ...out, relatedInformation: related } : out;
}
