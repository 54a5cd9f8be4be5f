// One run of the compiler's front end over an open document, kept for the requests that follow it (hover,
// definition, completion) until the document changes. The document is the entry file; every open document is read
// from its editor buffer instead of the disk (the loader's overlay), saved or not. The front end is `tmlc check`'s
// (runFrontEnd with checkOnly), so the diagnostics are the ones `tmlc check` prints.
import { pathToFileURL } from 'node:url';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { runFrontEnd } from '../driver/frontend.js';
import type * as ast from '../syntax/ast.js';
import { DiagnosticBag, type Diagnostic } from '../syntax/diagnostics.js';
import { parseModule } from '../syntax/parser.js';
import { SourceFile, type SourceMap } from '../syntax/source.js';
import type { FuncDef, ModuleScope } from '../sema/defs.js';
import { allFunctions, type CheckedProgram } from '../sema/program.js';
import type { TypedBody } from '../sema/typed.js';
import { spanHas } from './node_at.js';
import { textDocument } from './positions.js';

export interface Analysis {
  /** the document's file path (the entry of the check) */
  readonly file: string;
  readonly doc: TextDocument;
  readonly diagnostics: readonly Diagnostic[];
  readonly sources: SourceMap;
  /** null when a module could not be read: then only the syntax is known */
  readonly checked: CheckedProgram | null;
  /** the document's own module scope, when checked */
  readonly scope: ModuleScope | null;
  /** the document's syntax tree */
  readonly module: ast.Module;
}

export function analyze(file: string, doc: TextDocument, overlay: ReadonlyMap<string, string>): Analysis {
  const fe = runFrontEnd(file, { overflowChecks: true, tests: false, checkOnly: true, overlay });
  const checked = fe.checked;
  const scope = checked ? ([...checked.defs.modules.values()].find((m) => m.file === file) ?? null) : null;
  // the checked module's own tree when there is one (its node ids key the typed bodies), else a parse of its own
  const module = scope?.ast ?? parseModule(new SourceFile(file, doc.getText()), new DiagnosticBag());
  return { file, doc, diagnostics: fe.diagnostics, sources: fe.sources, checked, scope, module };
}

/** The function of the document whose declaration contains `offset` (the innermost one), with its typed body. */
export function functionAt(a: Analysis, offset: number): { fn: FuncDef; body: TypedBody } | null {
  if (!a.checked) return null;
  let best: { fn: FuncDef; body: TypedBody } | null = null;
  for (const fn of allFunctions(a.checked.defs)) {
    const decl = fn.decl;
    if (!decl?.body || fn.module.file !== a.file || !spanHas(decl.span, offset)) continue;
    if (best && best.fn.decl!.span.end - best.fn.decl!.span.start <= decl.span.end - decl.span.start) continue;
    if (!a.checked.bodies.has(fn)) continue;
    const body = a.checked.bodies.get(fn);
    if (body) best = { fn, body };
  }
  return best;
}

/** The text of any file the analysis read (the document, a `use`d module, a library file) as a TextDocument. */
export function fileDocument(a: Analysis, file: string): TextDocument | null {
  if (file === a.file) return a.doc;
  const src = a.sources.get(file);
  return src ? textDocument(pathToFileURL(file).href, src.text) : null;
}
