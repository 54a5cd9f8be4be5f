// DWARF types for every TML type (through the patched DIBuilder's composite and pointer types), described from the
// same layouts code generation uses (layout.ts), so a debugger reads exactly the bytes the program wrote:
//
//   integers, floats, Bool, Char → base types named as in TML (`I64`, `F64`, …)
//   Str → a typedef `Str` of a pointer to `TmlStr { rc, len, bytes[] }` (the runtime's string header)
//   struct, tuple → a structure with a member per field (tuple members `__0`, `__1`, … as rustc names them)
//   enum (Maybe, Outcome, …) → a structure holding a DWARF variant part: the discriminant is the I32 tag at offset 0,
//          each variant a member whose structure has that variant's fields at their offsets from the enum's start
//   union → a union of its fields; array → an array type
//   class instance → a pointer to its object `Name { <Base>, own fields }`: the object's first part is the base
//          class's object (DW_TAG_inheritance at offset 0), the root class's object starts with `rc` and `vtable`
//   ref/ptr → a pointer; func (a closure) → `{ fn, env }`; a fat pointer (`ref dyn B`, interfaces) → `{ data, vtable }`
//
// Types are named with `typeToString` (`List[I64]`, `Maybe[Str]`, `(I64, Str)`): the gdb pretty-printers
// (runtime-c/gdb/tml_printers.py) recognise List, HashMap, Maybe, Outcome, Heap, Shared and Str by these names.
// Structures are created without members, cached, then given them (`replaceArrays`), so a type that reaches itself
// through a pointer (a linked list node) refers to its own (finished) description.
import llvm, { ice } from './llvm.js';
import type { Layouts } from './layout.js';
import { classObject, intType, mangleType, structFields, substFor, substitute, typeToString, variantFields, type Type } from '../sema/types.js';

type Adt = Extract<Type, { k: 'adt' }>;

export class DebugTypes {
  private readonly byKey = new Map<string, llvm.DIType>();

  constructor(
    private readonly di: llvm.DIBuilder,
    private readonly file: llvm.DIFile,
    private readonly layouts: Layouts,
  ) {}

  /** The DWARF type of a value of type `t` (in a local, a parameter, a field). */
  of(t: Type): llvm.DIType {
    const key = mangleType(t);
    const hit = this.byKey.get(key);
    if (hit) return hit;
    const made = this.make(t, key);
    this.byKey.set(key, made);
    return made;
  }

  private make(t: Type, key: string): llvm.DIType {
    const E = llvm.dwarf.TypeKind;
    switch (t.k) {
      case 'int':
        return this.di.createBasicType(t.name, t.bits, t.signed ? E.DW_ATE_signed : E.DW_ATE_unsigned);
      case 'float':
        return this.di.createBasicType(t.bits === 32 ? 'F32' : 'F64', t.bits, E.DW_ATE_float);
      case 'bool':
        return this.di.createBasicType('Bool', 8, E.DW_ATE_boolean);
      case 'char':
        return this.di.createBasicType('Char', 32, E.DW_ATE_UTF);
      case 'str':
        return this.di.createTypedef(this.pointer(this.strHeader()), 'Str', this.file, 0, null);
      case 'unit':
      case 'never':
        return this.struct(typeToString(t), key, 0, 1, () => []);
      case 'tuple':
        return this.fields(t, key, t.elems.map((e, i) => ({ name: `__${i}`, ty: e })));
      case 'array':
        return this.di.createArrayType(this.bits(t), this.alignBits(t), this.of(t.elem), t.size);
      case 'ref':
      case 'ptr':
        if (t.inner.k === 'dyn') return this.pairOfPointers(typeToString(t), key, 'data', 'vtable');
        if (t.inner.k === 'unit' || t.inner.k === 'never') return this.pointer(null);
        return this.pointer(this.of(t.inner));
      case 'func':
        return this.pairOfPointers(typeToString(t), key, 'fn', 'env');
      case 'adt':
        return this.adt(t, key);
      case 'dyn':
      case 'param':
      case 'var':
      case 'error':
        return ice(`no debug type for '${typeToString(t)}'`);
    }
  }

  private adt(t: Adt, key: string): llvm.DIType {
    switch (t.def.kind) {
      case 'struct':
        return this.fields(t, key, structFields(t));
      case 'enum':
        return this.enumType(t, key);
      case 'union': {
        const members = structFields(t).map((f) => this.member(f.name, f.ty, 0));
        return this.di.createUnionType(this.file, typeToString(t), this.file, 0, this.bits(t), this.alignBits(t), 0, members, key);
      }
      case 'class':
        return this.pointer(this.classObjectType(t));
      case 'interface':
        return this.pairOfPointers(typeToString(t), key, 'object', 'vtable');
    }
  }

  /** A structure of named fields laid out as LLVM lays out the literal struct of their types. */
  private fields(t: Type, key: string, fields: readonly { name: string; ty: Type }[]): llvm.DICompositeType {
    return this.struct(typeToString(t), key, this.bits(t), this.alignBits(t), () => {
      const offsets = this.offsets(fields.map((f) => f.ty));
      return fields.map((f, i) => this.member(f.name, f.ty, offsets[i]!));
    });
  }

  /** An enum: { tag: I32, payload } described as a variant part selected by the tag (see the header). */
  private enumType(t: Adt, key: string): llvm.DICompositeType {
    const size = this.bits(t);
    const align = this.alignBits(t);
    const name = typeToString(t);
    return this.struct(name, key, size, align, (outer) => {
      const tag = this.di.createMemberType(outer, 'tag', this.file, 0, 32, 32, 0, llvm.DINode.DIFlags.FlagArtificial, this.of(INT32));
      // the payload array's element is an integer as aligned as the most aligned variant (layout.ts)
      const variantAlign = Math.max(1, ...t.def.variants.map((_, i) => this.layouts.alignOfLLVM(this.layouts.variantStruct(t, i))));
      const payloadAlign = this.layouts.alignOfLLVM(this.layouts.int(variantAlign * 8));
      const payloadOffset = Math.ceil(4 / payloadAlign) * payloadAlign;
      const variants = t.def.variants.map((v, i) => {
        const tys = variantFields(t, i);
        const offsets = this.offsets(tys);
        const body = this.struct(v.name, `${key}::${v.name}`, size, align, () =>
          tys.map((ty, j) => this.member(v.shape === 'tuple' ? `__${j}` : v.fields[j]!.name, ty, payloadOffset + offsets[j]!)),
        );
        const discriminant = llvm.ConstantInt.get(this.layouts.i32, i);
        return this.di.createVariantMemberType(outer, v.name, this.file, 0, size, align, 0, discriminant, 0, body);
      });
      return [this.di.createVariantPart(outer, '', this.file, 0, size, align, 0, tag, variants, `${key}::variants`)];
    });
  }

  /** The object a class instance points to: its base's object, then its own fields (root: rc, vtable, fields). */
  private classObjectType(t: Adt): llvm.DICompositeType {
    const object = classObject(t);
    const key = mangleType(object);
    const hit = this.byKey.get(key);
    if (hit) return hit as llvm.DICompositeType;
    const cls = t.def.cls;
    if (!cls) ice(`class ${typeToString(t)} has no class information`);
    const all = structFields(object);
    const base = cls.base ? (substitute(cls.base, substFor(t.def.params, t.args)) as Adt) : null;
    const made = this.struct(typeToString(t), key, this.bits(object), this.alignBits(object), (self) => {
      const offsets = this.offsets(all.map((f) => f.ty));
      const placed = all.map((f, i) => ({ ...f, offset: offsets[i]! }));
      const own = base ? placed.slice(cls.ownFieldStart + 2) : placed;
      // the vtable is a table of function addresses, not the bytes `*U8` would print as a string
      const members: llvm.DIType[] = own.map((f, i) =>
        !base && i === 1 ? this.di.createMemberType(self, f.name, this.file, 0, this.pointerBits(), this.pointerBits(), f.offset * 8, 0, this.pointer(null)) : this.member(f.name, f.ty, f.offset),
      );
      if (base) members.unshift(this.di.createInheritance(self, this.classObjectType(base), 0, llvm.DINode.DIFlags.FlagPublic));
      return members;
    });
    this.byKey.set(key, made);
    return made;
  }

  /** A named structure given its members after it is cached, so members may point back at it. */
  private struct(name: string, key: string, size: number, align: number, members: (self: llvm.DICompositeType) => llvm.DIType[]): llvm.DICompositeType {
    const shell = this.di.createStructType(this.file, name, this.file, 0, size, align, 0, null, [], key);
    this.byKey.set(key, shell);
    const done = this.di.replaceArrays(shell, members(shell));
    this.byKey.set(key, done);
    return done;
  }

  private member(name: string, ty: Type, offsetBytes: number): llvm.DIDerivedType {
    return this.di.createMemberType(this.file, name, this.file, 0, this.bits(ty), this.alignBits(ty), offsetBytes * 8, 0, this.of(ty));
  }

  private pairOfPointers(name: string, key: string, first: string, second: string): llvm.DICompositeType {
    const ptr = this.pointer(null);
    return this.struct(name, key, 128, 64, (self) => [
      this.di.createMemberType(self, first, this.file, 0, 64, 64, 0, 0, ptr),
      this.di.createMemberType(self, second, this.file, 0, 64, 64, 64, 0, ptr),
    ]);
  }

  /** The runtime's string header (runtime-c/include/tml_runtime.h `TmlStr`). */
  private strHeader(): llvm.DICompositeType {
    const i64 = this.of(INT64);
    const bytes = this.di.createArrayType(0, 8, this.of(UINT8), 0);
    return this.struct('TmlStr', '$TmlStr', 128, 64, (self) => [
      this.di.createMemberType(self, 'rc', this.file, 0, 64, 64, 0, 0, i64),
      this.di.createMemberType(self, 'len', this.file, 0, 64, 64, 64, 0, i64),
      this.di.createMemberType(self, 'bytes', this.file, 0, 0, 8, 128, 0, bytes),
    ]);
  }

  private pointer(pointee: llvm.DIType | null): llvm.DIDerivedType {
    return this.di.createPointerType(pointee, this.pointerBits(), this.pointerBits(), '');
  }

  private pointerBits(): number {
    return this.layouts.sizeOfLLVM(this.layouts.i8p) * 8;
  }

  /** Byte offsets of the fields of a literal struct of these types (LLVM's rule: each field at the next multiple
   * of its ABI alignment; DataLayout has no offset query in the bindings). */
  private offsets(tys: readonly Type[]): number[] {
    let at = 0;
    return tys.map((ty) => {
      const align = this.layouts.alignOf(ty);
      at = Math.ceil(at / align) * align;
      const here = at;
      at += this.layouts.sizeOf(ty);
      return here;
    });
  }

  private bits(t: Type): number {
    return this.layouts.sizeOf(t) * 8;
  }

  private alignBits(t: Type): number {
    return this.layouts.alignOf(t) * 8;
  }
}

const INT32: Type = intType('I32');
const INT64: Type = intType('I64');
const UINT8: Type = intType('U8');
