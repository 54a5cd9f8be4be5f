// Constant globals of one module, each deduplicated: Str literals ({i64 TML_RC_STATIC, i64 len, [len+1 x i8]}),
// C strings, TmlLoc {i8* file, i32 line, i32 col} and TmlAllocSite {TmlLoc loc, i8* type_name}. Every getter
// returns an i8* constant (a bitcast of the global). Also: integer constants of any width from a bigint.
import llvm, { ice } from './llvm.js';
import type { Layouts } from './layout.js';
import type { SourceMap, Span } from '../syntax/source.js';

const PRIVATE = () => llvm.GlobalValue.LinkageTypes.PrivateLinkage;
const TML_RC_STATIC = -(2n ** 63n);

export class ConstantPool {
  private readonly strs = new Map<string, llvm.Constant>();
  private readonly cstrs = new Map<string, llvm.Constant>();
  private readonly locs = new Map<string, llvm.Constant>();
  private readonly sites = new Map<string, llvm.Constant>();
  /** integer constants by width, then value (a constant is asked for once per use: loop bounds, 0, 1, sizes) */
  private readonly ints = new Map<number, Map<bigint, llvm.Constant>>();
  private readonly zeros = new WeakMap<llvm.Type, llvm.Constant>();
  private readonly locTy: llvm.StructType;
  private readonly siteTy: llvm.StructType;

  constructor(
    private readonly ctx: llvm.LLVMContext,
    private readonly module: llvm.Module,
    private readonly builder: llvm.IRBuilder,
    private readonly layouts: Layouts,
    private readonly sources: SourceMap,
  ) {
    const l = layouts;
    this.locTy = llvm.StructType.get(ctx, [l.i8p, l.i32, l.i32]);
    this.siteTy = llvm.StructType.get(ctx, [this.locTy, l.i8p]);
  }

  /** A static Str literal: pointer to a constant TmlStr whose refcount is TML_RC_STATIC. */
  str(value: string): llvm.Constant {
    let c = this.strs.get(value);
    if (!c) {
      const len = Buffer.byteLength(value, 'utf8');
      const bytes = llvm.ConstantDataArray.getString(this.ctx, value, true);
      const ty = llvm.StructType.get(this.ctx, [this.layouts.i64, this.layouts.i64, bytes.getType()]);
      const init = llvm.ConstantStruct.get(ty, [this.int(64, TML_RC_STATIC), this.int(64, BigInt(len)), bytes]);
      const g = new llvm.GlobalVariable(this.module, ty, true, PRIVATE(), init, `str.${this.strs.size}`);
      c = llvm.ConstantExpr.getBitCast(g, this.layouts.i8p);
      this.strs.set(value, c);
    }
    return c;
  }

  /** A NUL-terminated C string. */
  cstr(value: string): llvm.Constant {
    let c = this.cstrs.get(value);
    if (!c) {
      const bytes = llvm.ConstantDataArray.getString(this.ctx, value, true);
      const g = new llvm.GlobalVariable(this.module, bytes.getType(), true, PRIVATE(), bytes, `cstr.${this.cstrs.size}`);
      c = llvm.ConstantExpr.getBitCast(g, this.layouts.i8p);
      this.cstrs.set(value, c);
    }
    return c;
  }

  /** Pointer to a constant TmlLoc for the start of `span`. */
  loc(span: Span): llvm.Constant {
    const { line, col } = this.sources.position(span);
    const key = `${span.file}\0${line}\0${col}`;
    let c = this.locs.get(key);
    if (!c) {
      const g = new llvm.GlobalVariable(this.module, this.locTy, true, PRIVATE(), this.locInit(span.file, line, col), `loc.${this.locs.size}`);
      c = llvm.ConstantExpr.getBitCast(g, this.layouts.i8p);
      this.locs.set(key, c);
    }
    return c;
  }

  /** Pointer to a constant TmlAllocSite for `span` and a TML type name. */
  site(span: Span, typeName: string): llvm.Constant {
    const { line, col } = this.sources.position(span);
    const key = `${span.file}\0${line}\0${col}\0${typeName}`;
    let c = this.sites.get(key);
    if (!c) {
      const init = llvm.ConstantStruct.get(this.siteTy, [this.locInit(span.file, line, col), this.cstr(typeName)]);
      const g = new llvm.GlobalVariable(this.module, this.siteTy, true, PRIVATE(), init, `site.${this.sites.size}`);
      c = llvm.ConstantExpr.getBitCast(g, this.layouts.i8p);
      this.sites.set(key, c);
    }
    return c;
  }

  /** An integer constant of any width. ConstantInt.get takes a JS number, so values that are not exactly
   * representable are assembled from 32-bit chunks with shl/or, which IRBuilder folds into one constant. */
  int(bits: number, value: bigint): llvm.Constant {
    let byValue = this.ints.get(bits);
    if (!byValue) {
      byValue = new Map();
      this.ints.set(bits, byValue);
    }
    let c = byValue.get(value);
    if (!c) {
      c = this.makeInt(bits, value);
      byValue.set(value, c);
    }
    return c;
  }

  /** An integer constant from a JS number (indices, field numbers, sizes). */
  small(bits: number, value: number): llvm.Constant {
    return this.int(bits, BigInt(value));
  }

  /** The zero value of an LLVM type (null pointer, zeroed aggregate, `{}`), one per type wrapper. */
  zero(ty: llvm.Type): llvm.Constant {
    let c = this.zeros.get(ty);
    if (!c) {
      c = llvm.Constant.getNullValue(ty);
      this.zeros.set(ty, c);
    }
    return c;
  }

  private makeInt(bits: number, value: bigint): llvm.Constant {
    const ty = this.layouts.int(bits);
    const v = BigInt.asUintN(bits, value);
    const signed = BigInt.asIntN(bits, value);
    if (signed >= -(2n ** 53n) && signed <= 2n ** 53n) return llvm.ConstantInt.get(ty, Number(signed), true);
    let acc: llvm.Value = llvm.ConstantInt.get(ty, 0, false);
    for (let shift = Math.ceil(bits / 32) * 32 - 32; shift >= 0; shift -= 32) {
      const chunk = Number((v >> BigInt(shift)) & 0xffffffffn);
      acc = this.builder.CreateShl(acc, llvm.ConstantInt.get(ty, 32, false));
      acc = this.builder.CreateOr(acc, llvm.ConstantInt.get(ty, chunk, false));
    }
    if (!(acc instanceof llvm.Constant)) ice('integer constant did not fold');
    return acc;
  }

  private locInit(file: string, line: number, col: number): llvm.Constant {
    return llvm.ConstantStruct.get(this.locTy, [
      this.cstr(file),
      llvm.ConstantInt.get(this.layouts.i32, line, true),
      llvm.ConstantInt.get(this.layouts.i32, col, true),
    ]);
  }
}
