// Debug line info through DIBuilder (TOOLCHAIN.md §2): the module flags, one compile unit, a DISubprogram per
// function, a DILocation per statement, and dbg.declare for named locals of scalar type (composite and pointer
// debug types are not in the bindings, so other variables are not described).
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

  location(sp: llvm.DISubprogram, span: Span | null): llvm.DILocation {
    const { line, col } = span ? this.sources.position(span) : { line: 0, col: 0 };
    return llvm.DILocation.get(this.ctx, line, col, sp);
  }

  setLocation(builder: llvm.IRBuilder, sp: llvm.DISubprogram, span: Span | null): void {
    builder.SetCurrentDebugLocation(this.location(sp, span));
  }

  clearLocation(builder: llvm.IRBuilder): void {
    builder.SetCurrentDebugLocation(this.emptyLoc);
  }

  /** Describe a named local living in `storage` (an alloca), when its type has a basic debug type. */
  declareLocal(sp: llvm.DISubprogram, name: string, ty: Type, span: Span, argNo: number | null, storage: llvm.Value, bb: llvm.BasicBlock): void {
    const dty = this.basicType(ty);
    if (!dty) return;
    const file = this.file(span.file);
    const { line } = this.sources.position(span);
    const v =
      argNo !== null
        ? this.di.createParameterVariable(sp, name, argNo, file, line, dty, true)
        : this.di.createAutoVariable(sp, name, file, line, dty, true);
    this.di.insertDeclare(storage, v, this.di.createExpression(), this.location(sp, span), bb);
  }

  finalize(): void {
    this.di.finalize();
  }

  /** Free the native DIBuilder (before the module and context it belongs to). */
  dispose(): void {
    this.di.dispose();
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
