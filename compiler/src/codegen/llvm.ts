// The one place that imports `llvm-bindings` (a CommonJS native addon; the default import works under NodeNext with
// esModuleInterop). Everything else in codegen imports `llvm` from here.
import llvm from 'llvm-bindings';

export default llvm;
export { llvm };

/** tmlc carries a patch of llvm-bindings (patches/llvm-bindings+0.4.2.patch, applied by `npm ci`'s postinstall) that
 * adds disposal, attributes and object emission; an unpatched copy would fail later with "not a function". */
export function requirePatchedBindings(): void {
  if (typeof llvm.Module.prototype.dispose !== 'function' || typeof llvm.Function.prototype.addFnAttr !== 'function') {
    throw new Error(
      "node_modules/llvm-bindings lacks tmlc's patch (patches/llvm-bindings+0.4.2.patch): run `npm ci` (or `npm run postinstall`) in tmlc's directory",
    );
  }
}

let targetsInitialised = false;

/** Register the targets the addon links, x86-64 and AArch64 (once per process; the patch builds it with those two
 * only: docs/decisions.md, "The LLVM addon links two targets"). */
export function initTargets(): void {
  if (targetsInitialised) return;
  llvm.InitializeAllTargetInfos();
  llvm.InitializeAllTargets();
  llvm.InitializeAllTargetMCs();
  // object files are written in-process (TargetMachine.emitToFile)
  llvm.InitializeAllAsmPrinters();
  targetsInitialised = true;
}

/** An internal compiler error raised by code generation (a bug in tmlc, never a user error). */
export class CodegenError extends Error {
  constructor(message: string) {
    super(`internal compiler error (codegen): ${message}`);
    this.name = 'CodegenError';
  }
}

export function ice(message: string): never {
  throw new CodegenError(message);
}

// llvm-bindings returns every type and value as its most derived wrapper class (IntegerType, PointerType, …), and
// those classes only accept the methods they declare themselves (the d.ts "duplicated" ones): calling an inherited
// method such as `getPointerTo` on an IntegerType throws "Illegal invocation". These helpers work on any type.

export function ptrTo(ty: llvm.Type): llvm.PointerType {
  return llvm.PointerType.getUnqual(ty);
}

export function isPointerType(ty: llvm.Type): boolean {
  return ty.getTypeID() === llvm.Type.TypeID.PointerTyID;
}

export function isIntegerType(ty: llvm.Type): boolean {
  return ty.getTypeID() === llvm.Type.TypeID.IntegerTyID;
}
