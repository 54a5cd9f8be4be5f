// The standard library's parse cache (sema/parse_cache.ts): a module loaded from the cache is the module a parse
// gives (node ids, spans, literals), an edited file misses, a corrupt entry is ignored and rewritten, a file with
// syntax errors is never cached, and a cache that cannot be written costs nothing but the parse.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testTempDir } from '../setup/temp_dir.js';
import { stdlibParseCache } from '../../compiler/src/driver/frontend.js';
import { stdlibDir } from '../../compiler/src/sema/modules.js';
import { directParser, MAX_ENTRIES, ParseCache, syntaxLayerKey } from '../../compiler/src/sema/parse_cache.js';
import { checkProgram } from '../../compiler/src/sema/program.js';
import { nextIdMark, type Module } from '../../compiler/src/syntax/ast.js';
import { DiagnosticBag } from '../../compiler/src/syntax/diagnostics.js';
import { parseModule } from '../../compiler/src/syntax/parser.js';
import { SourceFile, SourceMap } from '../../compiler/src/syntax/source.js';

const tmp = testTempDir('tmlc-parse-cache-');
let dirs = 0;
const freshDir = (): string => path.join(tmp, `cache${dirs++}`);

const SRC = [
  'type Pair[T] { first: T, second: T }',
  'func big() -> U128 { 340282366920938463463374607431768211455u128 }',
  'func f(x: I64) -> Str { "x = {x}, {1.5e3}, {\'c\'}" }',
  'impl[T] Pair[T] { func first(this) -> ref T { ref this.first } }',
].join('\n');

function source(text = SRC, name = 'lib.tml'): SourceFile {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return new SourceFile(file, text);
}

/** The module as data with its node ids relative to the first id its parse took. */
function normalized(mod: Module, base: number): unknown {
  return JSON.parse(JSON.stringify(mod, (k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : k === 'id' && typeof v === 'number' ? v - base : v)));
}

/** Parses (or loads) with `p`, returning the module normalised and how many ids it took. */
function load(p: { parse: ParseCache['parse'] }, src: SourceFile, diags = new DiagnosticBag()): { mod: unknown; ids: number; raw: Module } {
  const base = nextIdMark();
  const raw = p.parse(src, diags);
  return { mod: normalized(raw, base), ids: nextIdMark() - base, raw };
}

function entries(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
}

describe('the standard library parse cache', () => {
  it('loads on the second parse the module the first parse gave, with the same ids, spans and literals', () => {
    const dir = freshDir();
    const src = source();
    const direct = load(directParser, src);
    const first = new ParseCache(dir, 'k1');
    expect(load(first, src)).toMatchObject({ mod: direct.mod, ids: direct.ids });
    expect([first.hits, first.misses]).toEqual([0, 1]);
    expect(entries(dir)).toHaveLength(1);
    const second = new ParseCache(dir, 'k1');
    const hit = load(second, src);
    expect([second.hits, second.misses]).toEqual([1, 0]);
    expect(hit.mod).toEqual(direct.mod);
    expect(hit.ids).toBe(direct.ids);
    // literals come back as what the lexer made: a bigint, a float
    const text = JSON.stringify(hit.raw, (_k, v: unknown) => (typeof v === 'bigint' ? `big:${v}` : v));
    expect(text).toContain('big:340282366920938463463374607431768211455');
    expect(text).toContain(`"file":${JSON.stringify(src.path)}`);
  });

  it('keeps a loaded function\'s body unparsed until it is read, then gives the body a parse gives, with its ids', () => {
    const dir = freshDir();
    const src = source();
    const directBase = nextIdMark();
    const direct = parseModule(src, new DiagnosticBag());
    new ParseCache(dir, 'k').parse(src, new DiagnosticBag());
    const base = nextIdMark();
    const loaded = new ParseCache(dir, 'k').parse(src, new DiagnosticBag());
    const fns = loaded.items.filter((i) => i.kind === 'Func');
    expect(fns.map((f) => f.name)).toEqual(['big', 'f']);
    for (const fn of fns) {
      // an accessor until read
      expect(Object.getOwnPropertyDescriptor(fn, 'body')?.get).toBeTypeOf('function');
    }
    const big = fns[0]!;
    const body = big.body!;
    // then a plain property holding the same object
    expect(Object.getOwnPropertyDescriptor(big, 'body')).toMatchObject({ value: body, writable: true, enumerable: true });
    expect(big.body).toBe(body);
    const directBig = direct.items.find((i) => i.kind === 'Func' && i.name === 'big')!;
    expect(normalized(body as unknown as Module, base)).toEqual(normalized((directBig as typeof big).body as unknown as Module, directBase));
    expect(body.span.file).toBe(src.path);
    // the other function's body is still unread
    expect(Object.getOwnPropertyDescriptor(fns[1]!, 'body')?.get).toBeTypeOf('function');
  });

  it('gives every standard library file back exactly as parsed', () => {
    const dir = freshDir();
    const files = fs.readdirSync(stdlibDir(), { recursive: true }).map(String).filter((f) => f.endsWith('.tml'));
    expect(files.length).toBeGreaterThan(10);
    for (const rel of files) {
      const file = path.join(stdlibDir(), rel);
      const src = new SourceFile(file, fs.readFileSync(file, 'utf8'));
      const direct = load(directParser, src);
      load(new ParseCache(dir, 'k'), src);
      const cache = new ParseCache(dir, 'k');
      const hit = load(cache, src);
      expect(cache.hits, rel).toBe(1);
      expect(hit.mod, rel).toEqual(direct.mod);
      expect(hit.ids, rel).toBe(direct.ids);
    }
  });

  it('misses when the file changed, or the compiler did', () => {
    const dir = freshDir();
    load(new ParseCache(dir, 'k1'), source());
    const edited = source(SRC.replace('first: T', 'first: T, third: I32'));
    const cache = new ParseCache(dir, 'k1');
    const after = load(cache, edited);
    expect([cache.hits, cache.misses]).toEqual([0, 1]);
    expect(after.mod).toEqual(load(directParser, edited).mod);
    const otherCompiler = new ParseCache(dir, 'k2');
    load(otherCompiler, edited);
    expect([otherCompiler.hits, otherCompiler.misses]).toEqual([0, 1]);
    expect(syntaxLayerKey('1.0.0')).not.toBe(syntaxLayerKey('1.0.1'));
  });

  it('ignores a corrupt entry, parses again and rewrites it', () => {
    const src = source();
    const direct = load(directParser, src);
    const corruptions: ((text: string) => string)[] = [
      () => 'not a cache entry',
      (t) => t.slice(0, t.length / 2), // truncated
      (t) => t.replace('"items"', '"itens"'), // body changed, checksum not
      (t) => t.replace(/\t\d+\t/, '\tmany\t'), // header mangled
      (t) => t.replace(/\t\d+\n/, '\t99999999\n'), // the module's length beyond the entry
      (t) => t.replace(/\t\d+\n/, '\t10\n'), // the module's length cutting its JSON
      () => '',
    ];
    for (const corrupt of corruptions) {
      const dir = freshDir();
      const first = new ParseCache(dir, 'k');
      load(first, src);
      const entry = first.entryPath(src);
      fs.writeFileSync(entry, corrupt(fs.readFileSync(entry, 'utf8')));
      const cache = new ParseCache(dir, 'k');
      const again = load(cache, src);
      expect([cache.hits, cache.misses]).toEqual([0, 1]);
      expect(again.mod).toEqual(direct.mod);
      const healed = new ParseCache(dir, 'k');
      expect(load(healed, src).mod).toEqual(direct.mod);
      expect(healed.hits).toBe(1);
    }
  });

  it('never caches a file with syntax errors, and reports them every time', () => {
    const dir = freshDir();
    const src = source('func broken( {\n', 'broken.tml');
    for (let i = 0; i < 2; i++) {
      const diags = new DiagnosticBag();
      const cache = new ParseCache(dir, 'k');
      cache.parse(src, diags);
      const direct = new DiagnosticBag();
      parseModule(src, direct);
      expect(diags.items).toEqual(direct.items);
      expect(diags.items.length).toBeGreaterThan(0);
      expect(cache.misses).toBe(1);
    }
    expect(entries(dir)).toEqual([]);
  });

  it('keeps at most MAX_ENTRIES entries, dropping the oldest', () => {
    const dir = freshDir();
    const cache = new ParseCache(dir, 'k');
    const old = source('func first() {}\n', 'first.tml');
    cache.parse(old, new DiagnosticBag());
    const oldEntry = cache.entryPath(old);
    fs.utimesSync(oldEntry, new Date(2000, 0, 1), new Date(2000, 0, 1));
    for (let i = 0; i < MAX_ENTRIES + 5; i++) cache.parse(source(`func f${i}() {}\n`, `f${i}.tml`), new DiagnosticBag());
    const left = entries(dir);
    expect(left).toHaveLength(MAX_ENTRIES);
    expect(left).not.toContain(path.basename(oldEntry));
    expect(left).toContain(path.basename(cache.entryPath(source(`func f${MAX_ENTRIES + 4}() {}\n`, `f${MAX_ENTRIES + 4}.tml`))));
  });

  it('parses as usual when the cache directory cannot be written', () => {
    const blocker = path.join(tmp, 'a-file');
    fs.writeFileSync(blocker, '');
    const cache = new ParseCache(path.join(blocker, 'cache'), 'k');
    const src = source();
    expect(load(cache, src).mod).toEqual(load(directParser, src).mod);
  });

  it('checks a program the same with and without the cache, and lives under the cache directory', () => {
    const home = freshDir();
    const env = { XDG_CACHE_HOME: home };
    const parser = stdlibParseCache(env);
    expect(parser).toBeInstanceOf(ParseCache);
    expect((parser as ParseCache).dir.startsWith(path.join(home, 'tmlc'))).toBe(true);
    expect(stdlibParseCache({ ...env, TMLC_STDLIB_CACHE: '0' })).toBe(directParser);
    const prog = path.join(tmp, 'prog.tml');
    fs.writeFileSync(prog, 'impl Display for Ordering {\n    func to_string(this) -> Str { "o" }\n}\nfunc main() {\n    var v: List[I32] = List::new()\n    v.push(1, 2)\n}\n');
    const run = (stdParser: typeof parser): string[] => {
      const diags = new DiagnosticBag();
      checkProgram(prog, new SourceMap(), diags, false, false, { stdParser });
      return diags.items.map((d) => `${d.code} ${d.message} ${d.span.file}:${d.span.start} ${d.secondary.map((s) => `${s.span.file}:${s.span.start}`).join(' ')}`);
    };
    const direct = run(directParser);
    expect(direct.some((d) => d.includes(path.join('stdlib', 'core', 'prelude.tml')))).toBe(true);
    expect(run(stdlibParseCache(env))).toEqual(direct); // filling the cache
    const cached = stdlibParseCache(env) as ParseCache;
    expect(run(cached)).toEqual(direct); // from the cache
    expect(cached.hits).toBeGreaterThan(5);
    expect(cached.misses).toBe(0);
  });
});
