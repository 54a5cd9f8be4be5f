// Checking a whole program: load modules, collect definitions, check every function body once (generic bodies with
// their params abstract). The result is what MIR lowering consumes.
import type { DiagnosticBag } from '../syntax/diagnostics.js';
import type { SourceMap } from '../syntax/source.js';
import { Collector } from './collect.js';
import { lintProgram } from './lints/index.js';
import type { FuncDef, ProgramDefs } from './defs.js';
import { ModuleLoader } from './modules.js';
import type { ModuleParser } from './parse_cache.js';
import { TypedBodies } from './typed_bodies.js';
import { T, typeToString } from './types.js';
import { hasBody } from '../syntax/ast.js';

export interface CheckedProgram {
  readonly defs: ProgramDefs;
  /** the program's bodies, checked; the standard library's, checked when first asked for (typed_bodies.ts) */
  readonly bodies: TypedBodies;
  readonly main: FuncDef | null;
  readonly tests: FuncDef[];
}

export interface CheckOptions {
  /** check every standard-library body now too (the test suite's check of the library) */
  readonly eagerStd?: boolean;
  /** how the standard library's files are parsed (a ParseCache in builds) */
  readonly stdParser?: ModuleParser;
  /** a project's `src/` directory: `use foo` finds `src/foo.tml` from any of the project's files */
  readonly moduleRoot?: string | null;
  /** file path → text to check instead of the file's (the language server's unsaved buffers) */
  readonly overlay?: ReadonlyMap<string, string>;
}

export function checkProgram(entry: string, sources: SourceMap, diags: DiagnosticBag, wantTests: boolean, needsMain = false, o: CheckOptions = {}): CheckedProgram | null {
  const eagerStd = o.eagerStd ?? false;
  const loader = new ModuleLoader(sources, diags, o.stdParser, o.moduleRoot ?? null, o.overlay);
  // an entry that cannot be read has been reported by the loader
  if (!loader.loadProgram(entry)) return null;
  // a file nested past the parser's limit has one error (E0030) and nothing else: no `main` not found, no cascade
  if (loader.stopped) return null;
  const defs = new Collector(loader, diags).collect();
  // the bodies of a program with an unreadable module would only report what that module should have defined
  if (loader.unreadable || loader.stopped) return null;
  const bodies = new TypedBodies(defs, diags);
  const all = allFunctions(defs);
  for (const fn of all) {
    if (!fn.decl || !hasBody(fn.decl)) continue;
    if (diags.full()) break;
    bodies.add(fn, eagerStd);
  }
  const mainScope = defs.modules.get('main');
  const mainB = mainScope?.names.get('main');
  let main: FuncDef | null = mainB?.k === 'fn' ? mainB.def : null;
  const mainDeclared = main !== null;
  if (main?.asyncRet) {
    diags.error('E0580', '`main` cannot be `async`', main.span, {
      label: 'the program would end before its future ran',
      notes: ['keep `func main()` and run the async code from it with `block_on(…)`'],
    });
    main = null;
  } else if (main) {
    const ret = main.ret;
    if (main.params.length || (ret.k !== 'unit' && !(ret.k === 'int' && ret.name === 'I32')) || main.typeParams.length) {
      diags.error('E0580', '`main` must be `func main()` or `func main() -> I32`', main.span, { label: `found \`${typeToString(ret)}\` result or parameters` });
      main = null;
    }
  }
  const tests = wantTests ? collectTests(defs, diags) : [];
  // a test file needs no `main` (LANGUAGE.md §7) to be checked or tested, but an executable does
  const testFile = entry.endsWith('.test.tml');
  if (!main && !mainDeclared && !wantTests && mainScope && (!testFile || needsMain)) {
    const notes = testFile
      ? [`\`${entry}\` is a test file: run its tests with \`tmlc test ${entry}\``]
      : ['add `func main() { … }` to the entry file'];
    diags.error('E0601', '`main` function not found', { file: mainScope.file, start: 0, end: 0 }, { notes });
  }
  const checked = { defs, bodies, main, tests };
  // the warnings of the user's files, when there is no error to cascade from (sema/lints/index.ts)
  if (!diags.hasErrors()) lintProgram(checked, all, sources, diags);
  return checked;
}

export function allFunctions(defs: ProgramDefs): FuncDef[] {
  const out: FuncDef[] = [...defs.functions];
  for (const impl of defs.impls) out.push(...impl.methods.values());
  for (const b of defs.behaviors) for (const m of b.methods.values()) out.push(m as FuncDef);
  return out;
}

function collectTests(defs: ProgramDefs, diags: DiagnosticBag): FuncDef[] {
  const out: FuncDef[] = [];
  const scope = defs.modules.get('main');
  if (!scope) return out;
  for (const b of scope.names.values()) {
    if (b.k !== 'fn' || b.def.module !== scope) continue;
    const fn = b.def;
    if (!fn.attrs.some((a) => a.name === 'test')) continue;
    const r = fn.ret;
    const outcome = defs.langAdt('Outcome');
    const ok = r.k === 'unit' || (r.k === 'int' && r.name === 'I32') || (r.k === 'adt' && r.def === outcome && r.args[0]?.k === 'unit' && r.args[1]?.k === 'str');
    if (fn.params.length || fn.typeParams.length || !ok) {
      diags.error('E0618', 'a `@test` function takes no parameters and returns `Unit`, `I32` or `Outcome[(), Str]`', fn.span);
      continue;
    }
    out.push(fn);
  }
  return out.sort((a, b) => a.span.start - b.span.start);
}

export { T };
