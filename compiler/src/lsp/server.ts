// `tmlc lsp`: a Language Server Protocol server on stdin/stdout (vscode-languageserver). Each open document is
// checked by the compiler's own front end, in process, from its editor buffer: diagnostics are published after
// every change (debounced), and hover, definition, document symbols and member completion answer from the last
// check of the document's current version. Nothing a document contains may end the server: every handler catches,
// logs to the client's output channel and answers "nothing".
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind, type Connection, type InitializeResult } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, type Analysis } from './analysis.js';
import { completionAt } from './completion.js';
import { definitionAt } from './definition.js';
import { documentDiagnostics } from './diagnostics.js';
import { FORMATTER, formattingEdits } from './formatting.js';
import { hoverAt } from './hover.js';
import { positionToOffset } from './positions.js';
import { documentSymbols } from './symbols.js';

/** How long after the last keystroke a changed document is checked again. */
export const DIAGNOSTICS_DELAY_MS = 150;

/** The file path a document URI stands for; an unsaved `untitled:` buffer is a file of the current directory. */
export function uriToPath(uri: string): string {
  if (uri.startsWith('file:')) return fileURLToPath(uri);
  const name = uri.replace(/^[a-z]+:/i, '').replace(/[^A-Za-z0-9_.-]/g, '_') || 'untitled';
  return path.resolve(name.endsWith('.tml') ? name : `${name}.tml`);
}

export function startServer(connection: Connection = createConnection(ProposedFeatures.all, process.stdin, process.stdout)): void {
  const documents = new TextDocuments(TextDocument);
  const analyses = new Map<string, { version: number; generation: number; analysis: Analysis }>();
  // bumped by every edit of any open document: a document's check reads the others' buffers (a `use`d module), so
  // an edit anywhere makes every earlier check stale
  let generation = 0;
  const timers = new Map<string, NodeJS.Timeout>();
  // stdout carries the protocol: anything else printed would corrupt it
  console.log = (...xs: unknown[]) => connection.console.log(xs.map(String).join(' '));
  console.error = (...xs: unknown[]) => connection.console.error(xs.map(String).join(' '));

  const guard = <T>(what: string, fallback: T, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      connection.console.error(`tmlc lsp: ${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return fallback;
    }
  };

  /** The analysis of the document's current version (checked now if it changed since the last one). */
  const analysisOf = (doc: TextDocument): Analysis => {
    const cached = analyses.get(doc.uri);
    if (cached && cached.version === doc.version && cached.generation === generation) return cached.analysis;
    const overlay = new Map(documents.all().map((d) => [uriToPath(d.uri), d.getText()] as const));
    const analysis = analyze(uriToPath(doc.uri), doc, overlay);
    analyses.set(doc.uri, { version: doc.version, generation, analysis });
    return analysis;
  };

  const publish = (uri: string): void => {
    const doc = documents.get(uri);
    if (!doc) return;
    const diagnostics = guard(`checking ${uri}`, [], () => documentDiagnostics(analysisOf(doc)));
    void connection.sendDiagnostics({ uri, version: doc.version, diagnostics });
  };

  const schedule = (uri: string): void => {
    clearTimeout(timers.get(uri));
    timers.set(uri, setTimeout(() => {
      timers.delete(uri);
      publish(uri);
    }, DIAGNOSTICS_DELAY_MS));
  };
  // the edited document and every other open one (which may `use` it) are checked again
  documents.onDidChangeContent(({ document }) => {
    generation++;
    schedule(document.uri);
    for (const other of documents.all()) if (other.uri !== document.uri) schedule(other.uri);
  });
  documents.onDidClose(({ document }) => {
    clearTimeout(timers.get(document.uri));
    timers.delete(document.uri);
    analyses.delete(document.uri);
    // the others read the file from the disk again
    generation++;
    for (const other of documents.all()) if (other.uri !== document.uri) schedule(other.uri);
    void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  });

  connection.onInitialize((): InitializeResult => ({
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      hoverProvider: true,
      definitionProvider: true,
      documentSymbolProvider: true,
      completionProvider: { triggerCharacters: ['.'] },
      documentFormattingProvider: true,
    },
    serverInfo: { name: 'tmlc' },
  }));

  /** A request about a position of an open document: its analysis and the offset, or the fallback answer. */
  const atPosition = <T>(what: string, fallback: T, p: { textDocument: { uri: string }; position: { line: number; character: number } }, f: (a: Analysis, offset: number) => T): T => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return fallback;
    return guard(what, fallback, () => f(analysisOf(doc), positionToOffset(doc, p.position)));
  };
  connection.onHover((p) => atPosition('hover', null, p, hoverAt));
  connection.onDefinition((p) => atPosition('definition', null, p, definitionAt));
  connection.onCompletion((p) => atPosition('completion', [], p, completionAt));
  connection.onDocumentSymbol((p) => {
    const doc = documents.get(p.textDocument.uri);
    return doc ? guard('document symbols', [], () => documentSymbols(doc, analysisOf(doc).module)) : [];
  });
  connection.onDocumentFormatting((p) => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return [];
    return guard('formatting', [], () => formattingEdits(FORMATTER, doc, uriToPath(doc.uri)));
  });

  documents.listen(connection);
  connection.listen();
}
