// A disk cache of the standard library's parsed modules (issue 14): every build used to lex and parse the ~3,700
// lines of stdlib/ from scratch, most of hello's front end, in code not yet compiled by V8. A cached module is one
// JSON.parse and one walk instead.
//
// An entry is keyed by the file's path and text and by the compiler's syntax layer (its files' contents and the
// package version), so an edited library file or a changed parser misses and is parsed again. An entry is written
// to a temporary file and renamed into place, so concurrent compilers never see a half-written one; an entry that
// cannot be read or fails its checksum is ignored (parsed again and rewritten). Only a parse without diagnostics is
// cached: a file with syntax errors is parsed, and reported, every time. The text itself is still read and added
// to the SourceMap, so diagnostics that point into the library render as before.
//
// The parse's node ids are kept relative to the first id it took: a module loaded from the cache gets the ids a
// fresh parse would have given it at that point (ast.ts nextIdMark/takeIds), so later layers see the same tree.
//
// A function's body is kept as JSON text of its own and parsed the first time something reads it: bodies are 80% of
// the library's entries, and a program checks and lowers only the library bodies it reaches (sema/typed_bodies.ts),
// so most are never read. The bodies follow the module's JSON in the entry, each found by its offsets, so loading a
// module parses only the module's part (format 2 kept each body as a JSON string inside the module's JSON, which
// JSON.parse still had to scan and unescape: most of hello's parse+check was that).
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nextIdMark, takeIds, type Module } from '../syntax/ast.js';
import { DiagnosticBag } from '../syntax/diagnostics.js';
import { parseModule } from '../syntax/parser.js';
import type { SourceFile } from '../syntax/source.js';

const FORMAT = 'tmlc-parsed-module 3';
/** Entries kept (the library has 15 files; several versions of each fit). */
export const MAX_ENTRIES = 120;

/** What a parse cache is asked: the module of a source file, parsed or loaded. */
export interface ModuleParser {
  parse(src: SourceFile, diags: DiagnosticBag): Module;
}

/** Parsing without a cache. */
export const directParser: ModuleParser = { parse: (src, diags) => parseModule(src, diags) };

export class ParseCache implements ModuleParser {
  /** hits and misses since this cache was made (tests and --time) */
  hits = 0;
  misses = 0;

  /** `dir`: where entries live; `compilerKey`: what identifies the parser (see syntaxLayerKey). */
  constructor(
    readonly dir: string,
    private readonly compilerKey: string,
  ) {}

  parse(src: SourceFile, diags: DiagnosticBag): Module {
    const file = this.entryPath(src);
    const cached = this.read(file, src.path);
    if (cached) {
      this.hits++;
      return cached;
    }
    this.misses++;
    const base = nextIdMark();
    const own = new DiagnosticBag();
    const mod = parseModule(src, own);
    for (const d of own.items) diags.add(d);
    if (own.items.length === 0 && !mod.stopped) this.write(file, mod, base, nextIdMark() - base);
    return mod;
  }

  /** The entry of a source file: a digest of the compiler's key, the file's path and its text. */
  entryPath(src: SourceFile): string {
    const h = createHash('sha256').update(this.compilerKey).update('\0').update(src.path).update('\0').update(src.text);
    return path.join(this.dir, `${h.digest('hex').slice(0, 32)}.json`);
  }

  /** The module of an entry, or null when there is none or it is unreadable, corrupt or of another file. */
  private read(file: string, srcPath: string): Module | null {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return null;
    }
    try {
      const nl = text.indexOf('\n');
      const [format, countText, sum, moduleLengthText] = splitHeader(text.slice(0, Math.max(nl, 0)));
      const body = text.slice(nl + 1);
      if (nl < 0 || format !== FORMAT || createHash('sha256').update(body).digest('hex') !== sum) return null;
      const count = Number(countText);
      const moduleLength = Number(moduleLengthText);
      if (!Number.isSafeInteger(moduleLength) || moduleLength < 0 || moduleLength > body.length) return null;
      const mod = JSON.parse(body.slice(0, moduleLength)) as Module;
      if (!Number.isSafeInteger(count) || count < 0 || mod.path !== srcPath || !Array.isArray(mod.items)) return null;
      const base = nextIdMark();
      restore(mod, { base, file: srcPath, bodies: body.slice(moduleLength) });
      takeIds(count);
      return mod;
    } catch {
      return null;
    }
  }

  /** Writes an entry atomically (a temporary file renamed into place); a cache that cannot be written is skipped. */
  private write(file: string, mod: Module, base: number, count: number): void {
    try {
      const bodies: string[] = [];
      const moduleJson = JSON.stringify(mod, encoder(base, bodies));
      const body = moduleJson + bodies.join('');
      const sum = createHash('sha256').update(body).digest('hex');
      fs.mkdirSync(this.dir, { recursive: true });
      const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
      fs.writeFileSync(tmp, `${FORMAT}\t${count}\t${sum}\t${moduleJson.length}\n${body}`);
      try {
        fs.renameSync(tmp, file);
      } catch {
        fs.rmSync(tmp, { force: true });
      }
      this.prune();
    } catch {
      // a read-only or full cache directory only costs the next build a parse
    }
  }

  /**
   * Keeps the directory to MAX_ENTRIES entries, dropping the least recently written: every edit of a library file
   * and every rebuilt parser leaves entries nothing will read again. Runs only after a write (a miss); an entry
   * another process is reading when it goes is only a miss for that process.
   */
  private prune(): void {
    const names = fs.readdirSync(this.dir).filter((n) => n.endsWith('.json'));
    if (names.length <= MAX_ENTRIES) return;
    const aged = names.map((n) => {
      const file = path.join(this.dir, n);
      try {
        return { file, mtime: fs.statSync(file).mtimeMs };
      } catch {
        return { file, mtime: 0 };
      }
    });
    aged.sort((a, b) => a.mtime - b.mtime);
    for (const { file } of aged.slice(0, aged.length - MAX_ENTRIES)) fs.rmSync(file, { force: true });
  }
}

function splitHeader(line: string): [string, string, string, string] {
  const [format = '', count = '', sum = '', moduleLength = ''] = line.split('\t');
  return [format, count, sum, moduleLength];
}

/**
 * JSON for a module: node ids relative to the parse's first id, span files left out (the entry is of one file),
 * bigints (integer literals) as `{ "$bigint": "…" }`, a function's body as `{ "$lazy": [start, end] }`, its JSON
 * being `bodies.join('')` from start to end (a body's own nested function bodies are out of it the same way).
 * Anything JSON cannot carry as is makes the entry unusable.
 */
function encoder(base: number, bodies: string[]): (this: unknown, key: string, value: unknown) => unknown {
  let end = 0;
  const replacer = function (this: unknown, key: string, value: unknown): unknown {
    if (key === 'id' && typeof value === 'number') return value - base;
    if (key === 'file' && typeof value === 'string') return 0;
    if (typeof value === 'bigint') return { $bigint: value.toString() };
    if (value === undefined || (typeof value === 'number' && !Number.isFinite(value)) || Object.is(value, -0)) {
      throw new Error('not cacheable');
    }
    if (key === 'body' && value !== null && (this as { kind?: unknown }).kind === 'Func') {
      const json = JSON.stringify(value, replacer);
      bodies.push(json);
      end += json.length;
      return { $lazy: [end - json.length, end] };
    }
    return value;
  };
  return replacer;
}

/** What restore needs: the ids' base, the file of the spans, and the text the lazy bodies' offsets are into. */
interface Restoring {
  base: number;
  file: string;
  bodies: string;
}

/** Undoes the encoder in place: absolute node ids, span files, bigints; a lazy body becomes a property that parses
 * and restores it when first read (and is then a plain value). */
function restore(node: unknown, r: Restoring): void {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const v: unknown = node[i];
      if (v !== null && typeof v === 'object') {
        if ('$bigint' in v) node[i] = BigInt((v as { $bigint: string }).$bigint);
        else restore(v, r);
      }
    }
    return;
  }
  const o = node as Record<string, unknown>;
  for (const key in o) {
    const v = o[key];
    if (v !== null && typeof v === 'object') {
      if ('$bigint' in v) o[key] = BigInt((v as { $bigint: string }).$bigint);
      else if ('$lazy' in v) lazyProperty(o, key, v.$lazy, r);
      else restore(v, r);
    } else if (key === 'id' && typeof v === 'number') {
      o[key] = v + r.base;
    } else if (key === 'file' && v === 0) {
      o[key] = r.file;
    }
  }
}

function lazyProperty(o: Record<string, unknown>, key: string, range: unknown, r: Restoring): void {
  const [start, end] = Array.isArray(range) ? (range as unknown[]) : [];
  if (typeof start !== 'number' || typeof end !== 'number' || !(0 <= start && start <= end && end <= r.bodies.length)) {
    throw new Error('a lazy body out of range'); // a corrupt entry: read() treats it as a miss
  }
  const settle = (value: unknown): void => void Object.defineProperty(o, key, { value, writable: true, enumerable: true, configurable: true });
  Object.defineProperty(o, key, {
    enumerable: true,
    configurable: true,
    get() {
      const value = JSON.parse(r.bodies.slice(start, end)) as unknown;
      if (value !== null && typeof value === 'object') restore(value, r);
      settle(value);
      return value;
    },
    set: settle,
  });
}

let syntaxKey: string | null = null;

/**
 * What identifies this compiler's parser: the package version and a digest of the syntax layer's files (the
 * directory of ast.js: dist/compiler/src/syntax, or the sources under the test suite), so a rebuilt parser never
 * reads another parser's entries.
 */
export function syntaxLayerKey(version: string): string {
  if (syntaxKey === null) {
    const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'syntax');
    const h = createHash('sha256');
    for (const f of fs.readdirSync(dir).sort()) {
      if (!/\.(js|ts)$/.test(f)) continue;
      h.update(f).update('\0').update(fs.readFileSync(path.join(dir, f))).update('\0');
    }
    syntaxKey = h.digest('hex').slice(0, 16);
  }
  return `${version}-${syntaxKey}`;
}
