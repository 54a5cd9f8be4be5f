// Debug info through DIBuilder (TOOLCHAIN.md §2): the module flags, one compile unit, a DISubprogram per function
// (named as in the source, methods inside a namespace named after their type, so `break dist2` and
// `break Point::dist` work), one DILocation per source position and function (FunctionLocations), and a dbg.declare
// for every named local and parameter, of any type (debug_types.ts).
//
// The compile unit says C++ (DW_LANG_C_plus_plus): it is the language whose expression syntax (`p.x`, `xs.data[1]`,
// `*d`) and value printing best fit TML's. A subprogram has no linkage name: gdb names a function by a linkage name
// it cannot demangle (`tml.main.dist2` is not an Itanium name) rather than by DW_AT_name and its scopes, and then
// `break dist2` fails; the ELF symbol stays `tml.main.dist2` for every other tool.
import * as path from 'node:path';
import llvm, { ice } from './llvm.js';
import { DebugTypes } from './debug_types.js';
import type { Layouts } from './layout.js';
import type { SourceMap, Span } from '../syntax/source.js';
import { mangleType, type Type } from '../sema/types.js';

export class DebugInfo {
  private readonly di: llvm.DIBuilder;
  private readonly files = new Map<string, llvm.DIFile>();
  private readonly namespaces = new Map<string, llvm.DINamespace>();
  private readonly signatures = new Map<string, llvm.DISubroutineType>();
  private types: DebugTypes | null = null;
  private readonly cu: llvm.DICompileUnit;
  private readonly emptyLoc = new llvm.DebugLoc();
  /** the empty DIExpression every dbg.declare takes (uniqued by LLVM anyway; made once) */
  private emptyExpr: llvm.DIExpression | null = null;

  constructor(
    private readonly ctx: llvm.LLVMContext,
    module: llvm.Module,
    private readonly sources: SourceMap,
    private readonly mainFile: string,
  ) {
    const W = llvm.Module.ModFlagBehavior.Warning;
    module.addModuleFlag(W, 'Debug Info Version', llvm.LLVMConstants.DEBUG_METADATA_VERSION);
    // DWARF 4: Valgrind 3.19 (Debian 12) cannot read the DWARF 5 that LLVM 14 defaults to
    module.addModuleFlag(W, 'Dwarf Version', 4);
    this.di = new llvm.DIBuilder(module);
    this.cu = this.di.createCompileUnit(llvm.dwarf.SourceLanguage.DW_LANG_C_plus_plus, this.file(mainFile), 'tmlc', false, '', 0);
  }

  /** Describe types with the module's layouts (made after this object: they need the module's data layout). */
  useLayouts(layouts: Layouts): void {
    this.types = new DebugTypes(this.di, this.file(this.mainFile), layouts);
  }

  file(p: string): llvm.DIFile {
    let f = this.files.get(p);
    if (!f) {
      f = this.di.createFile(path.basename(p), path.dirname(path.resolve(p)));
      this.files.set(p, f);
    }
    return f;
  }

  /** Create and attach the DISubprogram of a defined function. `displayName` is MIR's (`dist2`, `Point::dist`,
   * `List[I64]::push`): the part after the last `::` is the name, the part before it a namespace. */
  subprogram(fn: llvm.Function, displayName: string, span: Span, internal: boolean, params: readonly Type[], ret: Type): llvm.DISubprogram {
    const { line } = this.sources.position(span);
    const SP = llvm.DISubprogram.DISPFlags;
    // type arguments as C++ template arguments (`first<I64>`, `List<I64>::push`): gdb then matches `break first`
    // and `break List::push` on every instance, which it does not do for `first[I64]`
    const cxxName = displayName.replace(/\[/g, '<').replace(/\]/g, '>');
    const split = /^(.+)::([^:]+)$/.exec(cxxName);
    const scope = split ? this.namespace(split[1]!) : this.file(span.file);
    const signature = this.signature(params, ret);
    const sp = this.di.createFunction(
      scope,
      split ? split[2]! : cxxName,
      '',
      this.file(span.file),
      line,
      signature,
      line,
      llvm.DINode.DIFlags.FlagPrototyped,
      SP.SPFlagDefinition | (internal ? SP.SPFlagLocalToUnit : 0),
    );
    fn.setSubprogram(sp);
    return sp;
  }

  /** The line-0 location of code that stands for several source positions at once (LLVM's convention for merged
   * instructions, `DILocation::getMergedLocation`): a debugger shows no line rather than a wrong one. */
  mergedLocation(sp: llvm.DISubprogram): llvm.DILocation {
    return this.at(sp, 0, 0);
  }

  /** Per-function locations: each distinct (line, col) gets one DILocation, and the builder is only told when the
   * location changes (a MIR statement emits several instructions; consecutive statements often share a position). */
  locations(sp: llvm.DISubprogram): FunctionLocations {
    return new FunctionLocations(this, this.sources, sp);
  }

  clearLocation(builder: llvm.IRBuilder): void {
    builder.SetCurrentDebugLocation(this.emptyLoc);
  }

  /** Describe a named local or parameter (argument number `argNo`) living in `storage` (an alloca). */
  declareLocal(locs: FunctionLocations, sp: llvm.DISubprogram, name: string, ty: Type, span: Span, argNo: number | null, storage: llvm.Value, bb: llvm.BasicBlock): void {
    const dty = this.typesOrFail().of(ty);
    const file = this.file(span.file);
    const { line } = this.sources.position(span);
    const v =
      argNo !== null
        ? this.di.createParameterVariable(sp, name, argNo, file, line, dty, true)
        : this.di.createAutoVariable(sp, name, file, line, dty, true);
    this.emptyExpr ??= this.di.createExpression();
    this.di.insertDeclare(storage, v, this.emptyExpr, locs.of(span), bb);
  }

  finalize(): void {
    this.di.finalize();
  }

  /** Free the native DIBuilder (before the module and context it belongs to). */
  dispose(): void {
    this.di.dispose();
  }

  /** DILocation.get for an already resolved position (FunctionLocations' cache misses). */
  at(sp: llvm.DISubprogram, line: number, col: number): llvm.DILocation {
    return llvm.DILocation.get(this.ctx, line, col, sp);
  }

  private typesOrFail(): DebugTypes {
    if (!this.types) ice('DebugInfo.useLayouts must be called before functions are described');
    return this.types;
  }

  /** One subroutine type per signature (the binding's `getOrCreateTypeArray` allocates a small native wrapper it
   * never frees, so it is called once per distinct signature rather than once per function). */
  private signature(params: readonly Type[], ret: Type): llvm.DISubroutineType {
    const key = [ret, ...params].map(mangleType).join(',');
    let sig = this.signatures.get(key);
    if (!sig) {
      const types = this.typesOrFail();
      const elements = [ret.k === 'unit' || ret.k === 'never' ? null : types.of(ret), ...params.map((p) => types.of(p))];
      sig = this.di.createSubroutineType(this.di.getOrCreateTypeArray(elements));
      this.signatures.set(key, sig);
    }
    return sig;
  }

  private namespace(name: string): llvm.DINamespace {
    let ns = this.namespaces.get(name);
    if (!ns) {
      ns = this.di.createNameSpace(null, name, false);
      this.namespaces.set(name, ns);
    }
    return ns;
  }
}

/** The debug locations of one function (see `DebugInfo.locations`). */
export class FunctionLocations {
  private readonly byPosition = new Map<number, llvm.DILocation>();
  private readonly bySpan = new WeakMap<Span, number>();
  /** the position key the builder currently carries, or -1 */
  private current = -1;

  constructor(
    private readonly debug: DebugInfo,
    private readonly sources: SourceMap,
    private readonly sp: llvm.DISubprogram,
  ) {}

  /** Make the builder's current location that of `span` (line 0 for null). */
  set(builder: llvm.IRBuilder, span: Span | null): void {
    const key = span ? this.key(span) : 0;
    if (key === this.current) return;
    builder.SetCurrentDebugLocation(this.byKey(key));
    this.current = key;
  }

  /** The location of `span` (for an instruction placed explicitly, such as a dbg.declare). */
  of(span: Span): llvm.DILocation {
    return this.byKey(this.key(span));
  }

  private byKey(key: number): llvm.DILocation {
    let loc = this.byPosition.get(key);
    if (!loc) {
      loc = this.debug.at(this.sp, Math.floor(key / COL_LIMIT), key % COL_LIMIT);
      this.byPosition.set(key, loc);
    }
    return loc;
  }

  /** Set the builder's location to something this cache did not choose (a merged location): the next `set`
   * must tell the builder again. */
  forget(): void {
    this.current = -1;
  }

  /** line · COL_LIMIT + col: one number per source position (spans are often shared by a statement's parts) */
  private key(span: Span): number {
    let k = this.bySpan.get(span);
    if (k === undefined) {
      const { line, col } = this.sources.position(span);
      k = line * COL_LIMIT + Math.min(col, COL_LIMIT - 1);
      this.bySpan.set(span, k);
    }
    return k;
  }
}

/** Columns past this (a 16-million-character line) share the last column's location. */
const COL_LIMIT = 2 ** 24;
