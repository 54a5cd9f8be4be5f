// Finding and parsing every module a program reaches: the entry file, the prelude, and each `use`d module
// (sibling files, `foo/bar.tml`, and the standard library). Each file is parsed once.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as ast from '../syntax/ast.js';
import { DiagnosticBag } from '../syntax/diagnostics.js';
import { parseModule } from '../syntax/parser.js';
import { SourceFile, type SourceMap } from '../syntax/source.js';
import { expandFlags } from './flags.js';
import { directParser, type ModuleParser } from './parse_cache.js';
import { readSource } from './read_source.js';

export interface LoadedModule {
  /** `main` for the entry file, else the `::` path it was imported by (`test`, `util::strings`) */
  readonly name: string;
  readonly file: string;
  readonly ast: ast.Module;
  readonly isStd: boolean;
}

/** The standard library directory: `stdlib/` at the package root. */
export function stdlibDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  // compiler/src/sema (sources) or dist/compiler/src/sema (built)
  for (const up of ['../../..', '../../../..']) {
    const dir = path.resolve(here, up, 'stdlib');
    if (fs.existsSync(path.join(dir, 'core', 'prelude.tml'))) return dir;
  }
  return path.resolve(here, '../../../stdlib');
}

export const PRELUDE = 'core::prelude';

export class ModuleLoader {
  readonly modules = new Map<string, LoadedModule>();
  /** a module could not be read (reported): its importers' names cannot be checked meaningfully */
  unreadable = false;
  /** a module's parse stopped at the nesting limit (reported): nothing more is checked */
  stopped = false;
  private readonly std = stdlibDir();

  /** `stdParser`: how the standard library's files are parsed (a ParseCache in builds, plain parsing by default);
   * `moduleRoot`: a project's `src/` directory, where `use foo` also looks (so its `tests/` files reach its modules);
   * `overlay`: file path → text read instead of the file (the language server's unsaved editor buffers) */
  constructor(
    private readonly sources: SourceMap,
    private readonly diags: DiagnosticBag,
    private readonly stdParser: ModuleParser = directParser,
    private readonly moduleRoot: string | null = null,
    private readonly overlay: ReadonlyMap<string, string> = new Map(),
  ) {}

  /** Parse the entry file and everything it reaches. Returns false when the entry cannot be read. */
  loadProgram(entry: string): boolean {
    const text = this.readText(entry);
    if (text === null) return false;
    this.parse(PRELUDE, path.join(this.std, 'core', 'prelude.tml'), true);
    this.parseText('main', entry, text, false);
    return true;
  }

  /** Resolve a `use` path to a module name, loading it if needed. `fromFile` is the importing file. */
  resolveModule(segments: string[], fromFile: string, fromStd: boolean): string | null {
    const key = segments.join('::');
    if (this.modules.has(key)) return key;
    const rel = path.join(...segments) + '.tml';
    // next to the importing file, then (for the program's files) the project's `src/`, then the standard library
    const candidates: [string, boolean][] = [[path.join(path.dirname(fromFile), rel), fromStd]];
    if (!fromStd && this.moduleRoot !== null) candidates.push([path.join(this.moduleRoot, rel), false]);
    candidates.push([path.join(this.std, rel), true]);
    for (const [file, isStd] of candidates) {
      if (this.overlay.has(file) || fs.existsSync(file)) {
        this.parse(key, file, isStd);
        return key;
      }
    }
    return null;
  }

  private parse(name: string, file: string, isStd: boolean): void {
    if (this.modules.has(name)) return;
    const text = this.readText(file);
    if (text === null) {
      // reported; an empty module in its place keeps the importer from a cascade of unresolved names
      this.modules.set(name, { name, file, ast: emptyModule(file), isStd });
      return;
    }
    this.parseText(name, file, text, isStd);
  }

  /** The file's text; null (and an error) when it cannot be read or is not UTF-8 (then at the first bad byte). */
  private readText(file: string): string | null {
    const open = this.overlay.get(file);
    if (open !== undefined) return open;
    const r = readSource(file);
    if (r.ok) return r.text;
    this.unreadable = true;
    if (r.text === undefined || r.offset === undefined) {
      this.diags.error('E0000', `cannot read \`${file}\`: ${r.reason}`, { file, start: 0, end: 0 });
    } else {
      this.sources.add(file, r.text);
      this.diags.error('E0041', 'source file is not valid UTF-8', { file, start: r.offset, end: r.offset + 1 }, {
        label: r.reason,
        notes: ['TML source files must be UTF-8; write other bytes in string literals as escapes (`\\x..`, `\\u{..}`)'],
      });
    }
    return null;
  }

  private parseText(name: string, file: string, text: string, isStd: boolean): void {
    const src = this.sources.add(file, text);
    const mod = isStd ? this.stdParser.parse(src, this.diags) : parseModule(src, this.diags);
    expandFlags(mod, this.diags);
    if (mod.stopped) this.stopped = true;
    this.modules.set(name, { name, file, ast: mod, isStd });
  }
}

function emptyModule(file: string): ast.Module {
  return parseModule(new SourceFile(file, ''), new DiagnosticBag());
}
