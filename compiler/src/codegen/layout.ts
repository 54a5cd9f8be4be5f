// Type → LLVM type, and sizes/alignments from the module's DataLayout.
//
//   int → iN, Char → i32, Bool → i1, F32/F64 → float/double, Str → i8* (a TmlStr *),
//   Unit/Never → {} as values (void as function results, see `returnType`),
//   tuple → literal struct of its elements, array → [N x T], struct → named struct of its fields,
//   enum → named struct { i32 tag, [K x iA] payload }: iA is an integer as aligned as the most aligned variant
//          field struct and K·A bytes cover the biggest one; a variant's fields are reached by bitcasting the
//          payload's address to that variant's field struct (literal struct of its field types),
//   union → named struct { [K x iA] }, every field at offset 0,
//   ref/ptr → pointer to the inner type (`*Unit`/`*Never` → i8*), func → { i8* fnptr, i8* env },
//   ref/mut ref/ptr to `dyn B` → a fat pointer { i8* data, i8* vtable } (see `isFatPointer`); a bare `dyn B`
//          value never exists (MIR only reaches the object through a fat pointer), so it is an internal error.
//
// Named struct types are created as shells first and given their bodies afterwards, so types that refer to
// themselves (or to each other) through pointers work. Bodies of types reached only through a pointer are
// deferred until the outermost `llvmType` call returns, because an enum body needs the sizes of its payloads
// and a type still being defined has no size yet.
//
// Every answer is cached (by the MIR type object, and for sizes by the LLVM type's wrapper), so asking again makes
// no call into LLVM and returns the same wrapper object: code generation may compare LLVM types by identity (equal
// wrappers are equal types; different wrappers may still be the same type).
import llvm, { ice, ptrTo } from './llvm.js';
import { mangleType, structFields, typeToString, variantFields, type Type } from '../sema/types.js';

type Adt = Extract<Type, { k: 'adt' }>;

export class Layouts {
  private readonly cache = new Map<string, llvm.Type>();
  /** enum payload arrays by mangled enum type (const_aggregates.ts packs constant variants into them) */
  private readonly payloads = new Map<string, { ty: llvm.ArrayType; elemBytes: number; count: number }>();
  /** answers of `llvmType` by type object (types are shared objects: a local's type is asked for again and again) */
  private readonly byObject = new WeakMap<Type, llvm.Type>();
  private readonly ints = new Map<number, llvm.IntegerType>();
  private readonly sizes = new WeakMap<llvm.Type, number>();
  private readonly pointers = new WeakMap<llvm.Type, llvm.PointerType>();
  private readonly aligns = new WeakMap<llvm.Type, number>();
  private readonly voidTy: llvm.Type;
  private readonly i1: llvm.IntegerType;
  private readonly f32: llvm.Type;
  private readonly f64: llvm.Type;
  private readonly shells = new Map<string, llvm.StructType>();
  private readonly defined = new Set<string>();
  private readonly defining = new Set<string>();
  private readonly pending: Adt[] = [];
  private depth = 0;
  private readonly unitTy: llvm.StructType;
  readonly i8: llvm.IntegerType;
  readonly i8p: llvm.PointerType;
  readonly i32: llvm.IntegerType;
  readonly i64: llvm.IntegerType;
  readonly funcValueTy: llvm.StructType;
  /** `{ i8* data, i8* vtable }`: the LLVM type of `ref dyn B`, `mut ref dyn B` and `*dyn B` */
  readonly fatPtrTy: llvm.StructType;

  constructor(
    private readonly ctx: llvm.LLVMContext,
    readonly dl: llvm.DataLayout,
  ) {
    this.unitTy = llvm.StructType.get(ctx, []);
    this.i8 = llvm.Type.getInt8Ty(ctx);
    this.i8p = llvm.Type.getInt8PtrTy(ctx);
    this.i32 = llvm.Type.getInt32Ty(ctx);
    this.i64 = llvm.Type.getInt64Ty(ctx);
    this.funcValueTy = llvm.StructType.get(ctx, [this.i8p, this.i8p]);
    this.fatPtrTy = llvm.StructType.get(ctx, [this.i8p, this.i8p]);
    this.voidTy = llvm.Type.getVoidTy(ctx);
    this.i1 = llvm.Type.getInt1Ty(ctx);
    this.f32 = llvm.Type.getFloatTy(ctx);
    this.f64 = llvm.Type.getDoubleTy(ctx);
    for (const [bits, ty] of [[1, this.i1], [8, this.i8], [32, this.i32], [64, this.i64]] as const) this.ints.set(bits, ty);
    this.pointers.set(this.i8, this.i8p);
  }

  /** `ty*`, one wrapper per pointee wrapper (so `pointerTo(llvmType(T))` is `llvmType(ref T)` itself). */
  pointerTo(ty: llvm.Type): llvm.PointerType {
    let p = this.pointers.get(ty);
    if (!p) {
      p = ptrTo(ty);
      this.pointers.set(ty, p);
    }
    return p;
  }

  /** iN (one wrapper per width) */
  int(bits: number): llvm.IntegerType {
    let ty = this.ints.get(bits);
    if (!ty) {
      ty = llvm.Type.getIntNTy(this.ctx, bits);
      this.ints.set(bits, ty);
    }
    return ty;
  }

  get void(): llvm.Type {
    return this.voidTy;
  }

  get unit(): llvm.StructType {
    return this.unitTy;
  }

  /** The LLVM type of a value of type `t` (in a local, a field, a parameter). */
  llvmType(t: Type): llvm.Type {
    const hit = this.byObject.get(t);
    if (hit) return hit;
    this.depth++;
    let ty: llvm.Type;
    try {
      ty = this.compute(t);
    } finally {
      this.depth--;
      if (this.depth === 0) this.drainPending();
    }
    // only complete answers are remembered: inside a type's definition a body may still be pending
    if (this.depth === 0) this.byObject.set(t, ty);
    return ty;
  }

  /** The LLVM result type of a function returning `t`: void for Unit and Never. */
  returnType(t: Type): llvm.Type {
    return isVoidLike(t) ? this.voidTy : this.llvmType(t);
  }

  /** An enum's payload array (its second field): its type, the bytes of one element and how many there are. */
  enumPayload(t: Adt): { readonly ty: llvm.ArrayType; readonly elemBytes: number; readonly count: number } {
    this.llvmType(t);
    return this.payloads.get(mangleType(t)) ?? ice(`no payload layout for ${typeToString(t)}`);
  }

  /** Literal struct of one enum variant's field types. */
  variantStruct(t: Adt, variant: number): llvm.StructType {
    if (t.def.kind !== 'enum') ice(`variant access on non-enum ${typeToString(t)}`);
    if (!t.def.variants[variant]) ice(`enum ${typeToString(t)} has no variant ${variant}`);
    return llvm.StructType.get(
      this.ctx,
      variantFields(t, variant).map((f) => this.llvmType(f)),
    );
  }

  sizeOf(t: Type): number {
    return this.dl.getTypeAllocSize(this.llvmType(t));
  }

  alignOf(t: Type): number {
    return this.alignOfLLVM(this.llvmType(t));
  }

  sizeOfLLVM(ty: llvm.Type): number {
    let n = this.sizes.get(ty);
    if (n === undefined) {
      n = this.dl.getTypeAllocSize(ty);
      this.sizes.set(ty, n);
    }
    return n;
  }

  /** ABI alignment: allocSize({i8, T}) − allocSize(T) (DataLayout has no alignment query in the bindings). */
  alignOfLLVM(ty: llvm.Type): number {
    let n = this.aligns.get(ty);
    if (n === undefined) {
      const withByte = llvm.StructType.get(this.ctx, [this.i8, ty]);
      n = this.dl.getTypeAllocSize(withByte) - this.dl.getTypeAllocSize(ty);
      this.aligns.set(ty, n);
    }
    return n;
  }

  private compute(t: Type): llvm.Type {
    switch (t.k) {
      case 'int':
        return this.int(t.bits);
      case 'float':
        return t.bits === 32 ? this.f32 : this.f64;
      case 'bool':
        return this.i1;
      case 'char':
        return this.i32;
      case 'str':
        return this.i8p;
      case 'unit':
      case 'never':
        return this.unitTy;
      case 'func':
        return this.funcValueTy;
      case 'ref':
      case 'ptr':
        if (t.inner.k === 'dyn') return this.fatPtrTy;
        return this.pointerTo(this.pointee(t.inner));
      case 'tuple':
      case 'array': {
        const key = mangleType(t);
        const hit = this.cache.get(key);
        if (hit) return hit;
        const ty =
          t.k === 'tuple'
            ? llvm.StructType.get(this.ctx, t.elems.map((e) => this.compute(e)))
            : llvm.ArrayType.get(this.compute(t.elem), t.size);
        this.cache.set(key, ty);
        return ty;
      }
      case 'adt': {
        // a class value is a pointer to its object (bitcast to the object's struct where a field is reached); an
        // interface value is { object, vtable }
        if (t.def.kind === 'class') return this.i8p;
        if (t.def.kind === 'interface') return this.fatPtrTy;
        const shell = this.shell(t);
        this.defineBody(t);
        return shell;
      }
      case 'dyn':
        return ice(`a bare '${typeToString(t)}' value has no layout (a trait object is only reached through a fat pointer)`);
      case 'param':
      case 'var':
      case 'error':
        return ice(`open or erroneous type '${typeToString(t)}' reached codegen`);
    }
  }

  /** The pointee LLVM type of a pointer to `inner`; ADT bodies are deferred (see the header). */
  private pointee(inner: Type): llvm.Type {
    if (isVoidLike(inner)) return this.i8;
    if (inner.k === 'adt' && inner.def.kind !== 'class' && inner.def.kind !== 'interface') {
      const shell = this.shell(inner);
      if (!this.defined.has(mangleType(inner))) this.pending.push(inner);
      return shell;
    }
    return this.compute(inner);
  }

  private shell(t: Adt): llvm.StructType {
    const key = mangleType(t);
    let s = this.shells.get(key);
    if (!s) {
      s = llvm.StructType.create(this.ctx, key);
      this.shells.set(key, s);
    }
    return s;
  }

  private defineBody(t: Adt): void {
    const key = mangleType(t);
    if (this.defined.has(key) || this.defining.has(key)) return;
    this.defining.add(key);
    const shell = this.shell(t);
    switch (t.def.kind) {
      case 'struct':
        shell.setBody(structFields(t).map((f) => this.compute(f.ty)));
        break;
      case 'enum': {
        let size = 0;
        let align = 1;
        t.def.variants.forEach((_, i) => {
          const fields = variantFields(t, i);
          const vs = llvm.StructType.get(
            this.ctx,
            fields.map((f) => this.compute(f)),
          );
          for (const f of fields) this.checkSized(f, t);
          size = Math.max(size, this.dl.getTypeAllocSize(vs));
          align = Math.max(align, this.alignOfLLVM(vs));
        });
        const payload = this.payloadArray(size, align, t);
        this.payloads.set(key, { ty: payload, elemBytes: align, count: Math.ceil(size / align) });
        shell.setBody([this.i32, payload]);
        break;
      }
      case 'union': {
        let size = 0;
        let align = 1;
        for (const f of structFields(t)) {
          const ft = this.compute(f.ty);
          this.checkSized(f.ty, t);
          size = Math.max(size, this.dl.getTypeAllocSize(ft));
          align = Math.max(align, this.alignOfLLVM(ft));
        }
        shell.setBody([this.payloadArray(size, align, t)]);
        break;
      }
    }
    this.defining.delete(key);
    this.defined.add(key);
  }

  private payloadArray(size: number, align: number, t: Adt): llvm.ArrayType {
    const elem = this.int(align * 8);
    if (this.alignOfLLVM(elem) < align) ice(`no integer type aligned to ${align} bytes for ${typeToString(t)}`);
    return llvm.ArrayType.get(elem, Math.ceil(size / align));
  }

  /** A by-value field whose type is still being defined means an infinitely sized type (sema rejects those);
   * asking LLVM for its size would read an opaque struct's layout. */
  private checkSized(t: Type, owner: Adt): void {
    const inProgress = (x: Type): boolean => {
      switch (x.k) {
        case 'tuple':
          return x.elems.some(inProgress);
        case 'array':
          return inProgress(x.elem);
        case 'adt':
          return this.defining.has(mangleType(x));
        default:
          return false;
      }
    };
    if (inProgress(t)) ice(`type ${typeToString(owner)} contains itself by value`);
  }

  private drainPending(): void {
    this.depth++;
    try {
      while (this.pending.length > 0) this.defineBody(this.pending.pop()!);
    } finally {
      this.depth--;
    }
  }
}

/** `ref dyn B`, `mut ref dyn B`, `*dyn B`: a { data, vtable } pair rather than a plain LLVM pointer. */
export function isFatPointer(t: Type): boolean {
  return (t.k === 'ref' || t.k === 'ptr') && t.inner.k === 'dyn';
}

export function isVoidLike(t: Type): boolean {
  return t.k === 'unit' || t.k === 'never';
}
