// Debug line info through DIBuilder (TOOLCHAIN.md §2): the module flags, one compile unit, a DISubprogram per
// function, one DILocation per source position and function (FunctionLocations), and dbg.declare for named locals
// of scalar type (composite and pointer debug types are not in the bindings, so other variables are not described).
import * as path from 'node:path';
import llvm from './llvm.js';
import type { SourceMap, Span } from '../syntax/source.js';
import type { Type } from '../sema/types.js';

export class DebugInfo {
  private readonly di: llvm.DIBuilder;
  private readonly files = new Map<string, llvm.DIFile>();
  private readonly basicTypes = new Map<string, llvm.DIBasicType>();
  private readonly fnType: llvm.DISubroutineType;
  private readonly cu: llvm.DICompileUnit;
  private readonly emptyLoc = new llvm.DebugLoc();
  /** the empty DIExpression every dbg.declare takes (uniqued by LLVM anyway; made once) */
  private emptyExpr: llvm.DIExpression | null = null;

  constructor(
    private readonly ctx: llvm.LLVMContext,
    module: llvm.Module,
    private readonly sources: SourceMap,
    mainFile: string,
  ) {
    const W = llvm.Module.ModFlagBehavior.Warning;
    module.addModuleFlag(W, 'Debug Info Version', llvm.LLVMConstants.DEBUG_METADATA_VERSION);
    // DWARF 4: Valgrind 3.19 (Debian 12) cannot read the DWARF 5 that LLVM 14 defaults to
    module.addModuleFlag(W, 'Dwarf Version', 4);
    this.di = new llvm.DIBuilder(module);
    this.cu = this.di.createCompileUnit(llvm.dwarf.SourceLanguage.DW_LANG_C, this.file(mainFile), 'tmlc', false, '', 0);
    this.fnType = this.di.createSubroutineType(this.di.getOrCreateTypeArray([]));
  }

  file(p: string): llvm.DIFile {
    let f = this.files.get(p);
    if (!f) {
      f = this.di.createFile(path.basename(p), path.dirname(path.resolve(p)));
      this.files.set(p, f);
    }
    return f;
  }

  /** Create and attach the DISubprogram of a defined function. */
  subprogram(fn: llvm.Function, name: string, linkage: string, span: Span, internal: boolean): llvm.DISubprogram {
    const { line } = this.sources.position(span);
    const SP = llvm.DISubprogram.DISPFlags;
    const sp = this.di.createFunction(
      this.file(span.file),
      name,
      linkage,
      this.file(span.file),
      line,
      this.fnType,
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

  /** Describe a named local living in `storage` (an alloca), when its type has a basic debug type. */
  declareLocal(locs: FunctionLocations, sp: llvm.DISubprogram, name: string, ty: Type, span: Span, argNo: number | null, storage: llvm.Value, bb: llvm.BasicBlock): void {
    const dty = this.basicType(ty);
    if (!dty) return;
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

  private basicType(t: Type): llvm.DIBasicType | null {
    const E = llvm.dwarf.TypeKind;
    let spec: [string, number, number] | null = null;
    switch (t.k) {
      case 'int':
        spec = [t.name, t.bits, t.signed ? E.DW_ATE_signed : E.DW_ATE_unsigned];
        break;
      case 'float':
        spec = [t.bits === 32 ? 'F32' : 'F64', t.bits, E.DW_ATE_float];
        break;
      case 'bool':
        spec = ['Bool', 8, E.DW_ATE_boolean];
        break;
      case 'char':
        spec = ['Char', 32, E.DW_ATE_UTF];
        break;
      default:
        return null;
    }
    let b = this.basicTypes.get(spec[0]);
    if (!b) {
      b = this.di.createBasicType(spec[0], spec[1], spec[2]);
      this.basicTypes.set(spec[0], b);
    }
    return b;
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
