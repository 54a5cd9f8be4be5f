// C functions (the runtime, libc, FFI): declared once per symbol, called with the C ABI as far as it can be
// expressed without parameter attributes (tml_runtime.h's rules):
//   - every pointer (Str, ref, ptr) is i8* in the declaration and bitcast at the call;
//   - Bool arguments are passed as i32 0/1, integer arguments narrower than 32 bits are sign/zero-extended to
//     i32 (what a C callee expects whether it takes int32_t or a narrow type);
//   - a Bool result is declared i8 and tested against 0 (reads a C `bool` or an int32_t 0/1 correctly); narrower
//     integer results are read at their own width; Unit/Never results are void;
//   - aggregates (tuples, structs, enums, arrays, func values, fat pointers to `dyn`) cannot cross: an internal
//     error.
// A symbol called with different signatures at different places is declared with the first one and called
// through a bitcast function pointer elsewhere. Signatures are compared by their C scalar kinds (`CType`), never
// with `llvm.Type.isSameType` (which recurses forever on recursive named structs in llvm-bindings 0.4.2).
import llvm, { ice, ptrTo } from './llvm.js';
import { isFatPointer, type Layouts } from './layout.js';
import { typeToString, type Type } from '../sema/types.js';

/** The scalar kinds that cross the C boundary. */
export type CType = 'void' | 'i8' | 'i16' | 'i32' | 'i64' | 'i128' | 'f32' | 'f64' | 'ptr';

interface Declared {
  readonly fn: llvm.Function;
  readonly type: llvm.FunctionType;
  readonly key: string;
}

export class Externs {
  private readonly declared = new Map<string, Declared>();

  constructor(
    private readonly ctx: llvm.LLVMContext,
    private readonly module: llvm.Module,
    private readonly builder: llvm.IRBuilder,
    private readonly layouts: Layouts,
    /** symbols defined by the program (an extern must not shadow one) */
    private readonly isDefined: (symbol: string) => boolean,
  ) {}

  /** Declare a C function from TML parameter and result types (used for `MirProgram.externs`). */
  declare(symbol: string, params: readonly Type[], ret: Type): void {
    this.lookup(symbol, this.cRet(ret, symbol), params.map((p) => this.cParam(p, symbol)));
  }

  /** Call a C function by its C signature (runtime entry points used by codegen itself). */
  callC(symbol: string, ret: CType, params: readonly CType[], args: readonly llvm.Value[]): llvm.Value {
    const d = this.lookup(symbol, ret, params);
    return this.emitCall(d, ret, params, args.map((a, i) => (params[i] === 'ptr' ? this.builder.CreateBitCast(a, this.layouts.i8p) : a)));
  }

  /** Call a C function with TML-typed arguments; returns the result converted to `ret`'s LLVM type, or null for
   * Unit/Never results. */
  call(symbol: string, argTypes: readonly Type[], args: readonly llvm.Value[], ret: Type): llvm.Value | null {
    const params = argTypes.map((t) => this.cParam(t, symbol));
    const cret = this.cRet(ret, symbol);
    const d = this.lookup(symbol, cret, params);
    const r = this.emitCall(d, cret, params, args.map((a, i) => this.toC(a, argTypes[i]!)));
    return cret === 'void' ? null : this.fromC(r, ret);
  }

  /** Every C function declared so far (the ones the module calls or takes the address of). */
  symbols(): IterableIterator<string> {
    return this.declared.keys();
  }

  private lookup(symbol: string, ret: CType, params: readonly CType[]): Declared {
    const have = this.declared.get(symbol);
    if (have) return have;
    if (this.isDefined(symbol)) ice(`extern '${symbol}' has the name of a function defined by the program`);
    if (this.module.getFunction(symbol)) ice(`C function '${symbol}' clashes with another function of the module`);
    const type = this.fnType(ret, params);
    const fn = llvm.Function.Create(type, llvm.GlobalValue.LinkageTypes.ExternalLinkage, symbol, this.module);
    const d: Declared = { fn, type, key: sigKey(ret, params) };
    this.declared.set(symbol, d);
    return d;
  }

  private emitCall(d: Declared, ret: CType, params: readonly CType[], args: readonly llvm.Value[]): llvm.Value {
    const b = this.builder;
    if (d.key === sigKey(ret, params)) return b.CreateCall(d.type, d.fn, [...args]);
    const type = this.fnType(ret, params);
    return b.CreateCall(type, b.CreateBitCast(d.fn, ptrTo(type)), [...args]);
  }

  private fnType(ret: CType, params: readonly CType[]): llvm.FunctionType {
    return llvm.FunctionType.get(this.llvmC(ret), params.map((p) => this.llvmC(p)), false);
  }

  private llvmC(c: CType): llvm.Type {
    switch (c) {
      case 'void':
        return llvm.Type.getVoidTy(this.ctx);
      case 'f32':
        return llvm.Type.getFloatTy(this.ctx);
      case 'f64':
        return llvm.Type.getDoubleTy(this.ctx);
      case 'ptr':
        return this.layouts.i8p;
      default:
        return llvm.Type.getIntNTy(this.ctx, Number(c.slice(1)));
    }
  }

  private cParam(t: Type, symbol: string): CType {
    switch (t.k) {
      case 'bool':
      case 'char':
        return 'i32';
      case 'int':
        return t.bits < 32 ? 'i32' : (`i${t.bits}` as CType);
      case 'float':
        return t.bits === 32 ? 'f32' : 'f64';
      case 'str':
      case 'ref':
      case 'ptr':
        if (isFatPointer(t)) return ice(`a fat pointer (${typeToString(t)}) cannot be passed to C function '${symbol}'`);
        return 'ptr';
      default:
        return ice(`a value of type ${typeToString(t)} cannot be passed to C function '${symbol}'`);
    }
  }

  private cRet(t: Type, symbol: string): CType {
    switch (t.k) {
      case 'unit':
      case 'never':
        return 'void';
      case 'bool':
        return 'i8';
      case 'char':
        return 'i32';
      case 'int':
        return `i${t.bits}` as CType;
      case 'float':
        return t.bits === 32 ? 'f32' : 'f64';
      case 'str':
      case 'ref':
      case 'ptr':
        if (isFatPointer(t)) return ice(`C function '${symbol}' cannot return a fat pointer (${typeToString(t)})`);
        return 'ptr';
      default:
        return ice(`C function '${symbol}' cannot return a value of type ${typeToString(t)}`);
    }
  }

  private toC(v: llvm.Value, t: Type): llvm.Value {
    const b = this.builder;
    switch (t.k) {
      case 'bool':
        return b.CreateZExt(v, this.layouts.i32);
      case 'int':
        return t.bits < 32 ? (t.signed ? b.CreateSExt(v, this.layouts.i32) : b.CreateZExt(v, this.layouts.i32)) : v;
      case 'str':
      case 'ref':
      case 'ptr':
        return b.CreateBitCast(v, this.layouts.i8p); // no-op when already i8*
      default:
        return v;
    }
  }

  private fromC(v: llvm.Value, t: Type): llvm.Value {
    const b = this.builder;
    switch (t.k) {
      case 'bool':
        return b.CreateICmpNE(v, llvm.ConstantInt.get(this.layouts.i8, 0, false));
      case 'str':
      case 'ref':
      case 'ptr':
        return b.CreateBitCast(v, this.layouts.llvmType(t));
      default:
        return v;
    }
  }
}

function sigKey(ret: CType, params: readonly CType[]): string {
  return `${ret}(${params.join(',')})`;
}
