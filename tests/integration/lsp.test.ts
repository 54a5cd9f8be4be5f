// `tmlc lsp` in a real session: the built CLI (bin/tmlc.js, dist/) spawned as an editor would, spoken to over its
// stdin/stdout by vscode-languageserver-protocol's client connection. Every answer is compared whole.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa, type ResultPromise } from 'execa';
import tmp from 'tmp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';

const root = path.resolve(new URL('../../', import.meta.url).pathname);
const dir = tmp.dirSync({ unsafeCleanup: true });
const mainPath = path.join(dir.name, 'main.tml');
const mainUri = pathToFileURL(mainPath).href;
const utilUri = pathToFileURL(path.join(dir.name, 'util.tml')).href;

// util.tml is on disk; main.tml never is: the server checks the editor's buffer
writeFileSync(path.join(dir.name, 'util.tml'), 'pub func twice(n: I32) -> I32 {\n    n * 2\n}\n');

const program = (line16: string, last = '') => `use util

type Point { x: F64, y: F64 }

impl Point {
    func dist(this, other: Point) -> F64 {
        let dx = this.x - other.x
        let dy = this.y - other.y
        (dx * dx + dy * dy).sqrt()
    }
}

func main() {
    let p = Point { x: 1.0, y: 2.0 }
    let q = Point { x: 4.0, y: 6.0 }
${line16}
    println("{p.dist(q)} {util::twice(n)}")
${last}}
`;
const WITH_ERROR = program('    let n: I32 = "three"');
const FIXED = program('    let n: I32 = 3');

let server: ResultPromise<{ buffer: false }>;
let client: ProtocolConnection;
const published: PublishDiagnosticsParams[] = [];
/** what the server logged to the client's output (a handler that failed says so there) */
const logged: string[] = [];
const waiters: (() => void)[] = [];

/** The diagnostics the server publishes for `uri` at document version `version`, from the `from`-th publication on. */
async function diagnosticsFor(uri: string, version: number, from = 0): Promise<Diagnostic[]> {
  for (;;) {
    const hit = published.slice(from).find((p) => p.uri === uri && p.version === version);
    if (hit) return hit.diagnostics;
    await new Promise<void>((resolve) => waiters.push(resolve));
  }
}

let version = 1;
async function change(text: string): Promise<Diagnostic[]> {
  version++;
  const from = published.length;
  await client.sendNotification('textDocument/didChange', { textDocument: { uri: mainUri, version }, contentChanges: [{ text }] });
  return diagnosticsFor(mainUri, version, from);
}

/** The LSP position of the `index`-th character of the first occurrence of `needle` in the current text. */
function at(text: string, needle: string, index = 0): { line: number; character: number } {
  return positionOf(text, text.indexOf(needle) + index);
}
function positionOf(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}
const pos = (text: string, needle: string, index = 0) => ({ textDocument: { uri: mainUri }, position: at(text, needle, index) });
const range = (sl: number, sc: number, el: number, ec: number) => ({ start: { line: sl, character: sc }, end: { line: el, character: ec } });

beforeAll(async () => {
  server = execa('node', [path.join(root, 'bin', 'tmlc.js'), 'lsp', '--stdio'], { env: { TMLC_NO_BUNDLE: '1' }, buffer: false, reject: false });
  client = createProtocolConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
  client.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    published.push(p);
    for (const w of waiters.splice(0)) w();
  });
  client.onNotification('window/logMessage', (p: { message: string }) => logged.push(p.message));
  client.listen();
});

afterAll(() => {
  if (server.exitCode === null) server.kill();
  dir.removeCallback();
});

describe('tmlc lsp over stdio', () => {
  it('initializes with its capabilities', async () => {
    const r = await client.sendRequest('initialize', { processId: process.pid, rootUri: pathToFileURL(dir.name).href, capabilities: {} });
    expect(r).toEqual({
      capabilities: {
        textDocumentSync: 2,
        hoverProvider: true,
        definitionProvider: true,
        documentSymbolProvider: true,
        completionProvider: { triggerCharacters: ['.'] },
        documentFormattingProvider: true,
      },
      serverInfo: { name: 'tmlc' },
    });
    await client.sendNotification('initialized', {});
  });

  it('publishes the errors `tmlc check` reports for the unsaved buffer, and none once it is fixed', async () => {
    await client.sendNotification('textDocument/didOpen', { textDocument: { uri: mainUri, languageId: 'tml', version: 1, text: WITH_ERROR } });
    expect(await diagnosticsFor(mainUri, 1)).toEqual([
      {
        range: range(15, 17, 15, 24),
        severity: 1,
        code: 'E0308',
        source: 'tmlc',
        message: 'mismatched types: expected `I32`, found `Str`\nexpected `I32`, found `Str`',
      },
    ]);
    expect(await change(FIXED)).toEqual([]);
  });

  it('reports the MIR checks too (a use after move), with the earlier move as related information', async () => {
    const moved = program('    let n: I32 = 3', '    let list = List[I32]::new()\n    let other = list\n    let k = list.len()\n    println("{other.len()} {k}")\n');
    expect(await change(moved)).toEqual([
      {
        range: range(19, 12, 19, 16),
        severity: 1,
        code: 'E0382',
        source: 'tmlc',
        message: 'use of moved value `list`\nvalue used here after move',
        relatedInformation: [{ location: { uri: mainUri, range: range(18, 16, 18, 20) }, message: 'value moved here' }],
      },
    ]);
    expect(await change(FIXED)).toEqual([]);
  });

  it('checks a document again when a module it uses is edited, and reads the module from the disk once it is closed', async () => {
    const from = published.length;
    // a module has no `main`: not an error in an editor, where the entry is not known
    await client.sendNotification('textDocument/didOpen', { textDocument: { uri: utilUri, languageId: 'tml', version: 1, text: 'pub func twice(n: Str) -> I64 {\n    n.len()\n}\n' } });
    expect(await diagnosticsFor(utilUri, 1, from)).toEqual([]);
    const main = await diagnosticsFor(mainUri, version, from);
    expect(main.map((d) => [d.code, d.message.split('\n')[0], d.range])).toEqual([['E0308', 'mismatched types: expected `Str`, found `I32`', range(16, 38, 16, 39)]]);
    const closed = published.length;
    await client.sendNotification('textDocument/didClose', { textDocument: { uri: utilUri } });
    expect(await diagnosticsFor(mainUri, version, closed)).toEqual([]);
  });

  it('hovers with types and signatures', async () => {
    const hover = async (needle: string, index = 0) => client.sendRequest('textDocument/hover', pos(FIXED, needle, index));
    expect(await hover('p.dist')).toEqual({ contents: { kind: 'markdown', value: '```tml\nlet p: Point\n```' }, range: range(16, 14, 16, 15) });
    expect(await hover('dist(q)', 1)).toEqual({ contents: { kind: 'markdown', value: '```tml\nfunc Point::dist(this, other: Point) -> F64\n```' }, range: range(16, 16, 16, 20) });
    expect(await hover('other.x', 6)).toEqual({ contents: { kind: 'markdown', value: '```tml\nx: F64\n```' }, range: range(6, 32, 6, 33) });
    expect(await hover('twice(n)', 6)).toEqual({ contents: { kind: 'markdown', value: '```tml\nlet n: I32\n```' }, range: range(16, 38, 16, 39) });
    expect(await hover('(dx * dx', 2)).toEqual({ contents: { kind: 'markdown', value: '```tml\nlet dx: F64\n```' }, range: range(8, 9, 8, 11) });
    // a keyword is nothing
    expect(await hover('let p')).toBeNull();
  });

  it('goes to definitions in the document and in a used module', async () => {
    const definition = async (needle: string, index = 0) => client.sendRequest('textDocument/definition', pos(FIXED, needle, index));
    expect(await definition('dist(q)', 2)).toEqual({ uri: mainUri, range: range(5, 9, 5, 13) });
    expect(await definition('twice(n)', 2)).toEqual({ uri: utilUri, range: range(0, 9, 0, 14) });
    expect(await definition('p.dist')).toEqual({ uri: mainUri, range: range(13, 8, 13, 9) });
    expect(await definition('this.y', 5)).toEqual({ uri: mainUri, range: range(2, 21, 2, 27) });
    expect(await definition('other: Point', 8)).toEqual({ uri: mainUri, range: range(2, 5, 2, 10) });
  });

  it('goes into the standard library, and completes a library type\'s methods for its type arguments', async () => {
    const text = program('    let n: I32 = 3', '    var xs = List[I32]::new()\n    xs.push(n)\n    xs.\n');
    await change(text);
    const collections = path.join(root, 'stdlib', 'core', 'collections.tml');
    const lines = readFileSync(collections, 'utf8').split('\n');
    const line = lines.findIndex((l) => l.includes('pub func push('));
    const character = lines[line]!.indexOf('push');
    expect(await client.sendRequest('textDocument/definition', pos(text, 'push(n)', 1))).toEqual({
      uri: pathToFileURL(collections).href,
      range: range(line, character, line, character + 4),
    });
    expect(await client.sendRequest('textDocument/hover', pos(text, 'push(n)', 1))).toMatchObject({ contents: { value: '```tml\nfunc List[T]::push(mut this, value: T)\n```' } });
    // the editor opens the library file it went to: no diagnostics there (it is checked as the library, not as a
    // program), and hover still works in it
    const libUri = pathToFileURL(collections).href;
    const from = published.length;
    await client.sendNotification('textDocument/didOpen', { textDocument: { uri: libUri, languageId: 'tml', version: 1, text: readFileSync(collections, 'utf8') } });
    expect(await diagnosticsFor(libUri, 1, from)).toEqual([]);
    const inLib = await client.sendRequest('textDocument/hover', { textDocument: { uri: libUri }, position: { line, character } });
    expect(inLib).toMatchObject({ contents: { value: '```tml\nfunc List[T]::push(mut this, value: T)\n```' } });
    await client.sendNotification('textDocument/didClose', { textDocument: { uri: libUri } });
    const items = (await client.sendRequest('textDocument/completion', pos(text, '    xs.\n', 7))) as { label: string; kind: number }[];
    const labels = items.map((i) => i.label);
    expect(labels).toEqual(expect.arrayContaining(['push', 'pop', 'len', 'get', 'iter', 'sort']));
    // not a field (the library's are private), not a helper without `pub`, not `List[Str]`'s `join`, not `drop`
    expect(items.filter((i) => i.kind !== 2)).toEqual([]);
    expect(labels.filter((l) => ['len_', 'data', 'grow_for_one', 'check_index', 'join', 'drop', 'new'].includes(l))).toEqual([]);
  });

  it('lists the document symbols', async () => {
    const symbols = await client.sendRequest('textDocument/documentSymbol', { textDocument: { uri: mainUri } });
    const outline = (s: { name: string; kind: number; selectionRange: { start: { line: number } }; children?: unknown[] }): unknown => [
      s.name,
      s.kind,
      s.selectionRange.start.line,
      ...(s.children?.length ? [(s.children as (typeof s)[]).map(outline)] : []),
    ];
    expect((symbols as Parameters<typeof outline>[0][]).map(outline)).toEqual([
      ['Point', 23, 2, [['x', 8, 2], ['y', 8, 2]]],
      ['impl Point', 3, 4, [['dist', 6, 5]]],
      ['main', 12, 12],
    ]);
  });

  it('completes the fields and methods of the receiver after `.`, in a half-typed program', async () => {
    const typing = program('    let n: I32 = 3', '    p.\n');
    const diags = await change(typing);
    // the parser's error only: no cascade about a field with an empty name
    expect(diags.map((d) => d.code)).toEqual(['E0015']);
    const items = await client.sendRequest('textDocument/completion', pos(typing, '    p.', 6));
    expect((items as { label: string; detail: string }[]).map((i) => [i.label, i.detail])).toEqual([
      ['x', 'F64'],
      ['y', 'F64'],
      ['dist', 'func Point::dist(this, other: Point) -> F64'],
    ]);
    // a library type's members: Str's built-in and library methods, not the library's private helpers
    const str = program('    let n: I32 = 3', '    let s = "abc"\n    s.sp\n');
    await change(str);
    const strItems = (await client.sendRequest('textDocument/completion', pos(str, 's.sp', 4))) as { label: string }[];
    const labels = strItems.map((i) => i.label);
    expect(labels).toContain('split');
    expect(labels).toContain('split_once');
    expect(labels).toContain('len');
    expect(labels).not.toContain('x');
    // not after a dot: nothing
    expect(await client.sendRequest('textDocument/completion', pos(str, 'let s', 3))).toEqual([]);
  });

  it('keeps serving after input it cannot make sense of', async () => {
    const garbage = 'func (((\n}} type = when @@ "unterminated\n';
    const diags = await change(garbage);
    expect(diags.length).toBeGreaterThan(0);
    expect(diags.every((d) => d.severity === 1 && /^E\d{4}$/.test(String(d.code)))).toBe(true);
    expect(await client.sendRequest('textDocument/hover', pos(garbage, 'type'))).toBeNull();
    expect(await client.sendRequest('textDocument/documentSymbol', { textDocument: { uri: mainUri } })).toEqual([]);
    expect(await change(FIXED)).toEqual([]);
  });

  it('answers every request on every prefix of a program (what typing it produces), without a failure', async () => {
    const text = program('    let n: I32 = 3', '    let s = "abc"\n    s.len()\n');
    for (let end = 0; end <= text.length; end += 11) {
      const prefix = text.slice(0, end);
      await change(prefix);
      const here = { textDocument: { uri: mainUri }, position: positionOf(prefix, prefix.length) };
      await client.sendRequest('textDocument/hover', here);
      await client.sendRequest('textDocument/definition', here);
      await client.sendRequest('textDocument/completion', here);
      await client.sendRequest('textDocument/documentSymbol', { textDocument: { uri: mainUri } });
    }
    expect(logged).toEqual([]);
    expect(await change(FIXED)).toEqual([]);
  });

  it('shuts down and exits with status 0', async () => {
    expect(await client.sendRequest('shutdown')).toBeNull();
    await client.sendNotification('exit');
    const r = await server;
    expect(r.exitCode).toBe(0);
    client.dispose();
  });
});
