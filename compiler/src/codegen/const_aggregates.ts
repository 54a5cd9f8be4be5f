// Aggregates of constants as LLVM constants: `[5, 8, 1]`, `(1, true)`, `Vec { x: 1, y: 2 }`, `Shape::Rect(3, 4)`,
// `Color::Blue`. Stored in one `store` instead of a GEP and a store per field, and, for a temporary only read whole
// (mir/analysis/register_temps.ts), no stack slot at all: the constant is the operand of its use. In the
// 10,000-line benchmark that is most of the IR of building enum arguments and fixed arrays at -O0.
//
// An enum value is { i32 tag, [K x iA] payload } (layout.ts): a variant's fields are laid out as the literal struct
// of their types would be, so a constant variant is its fields' bytes (little-endian; both targets are) packed into
// the payload's integers, padding zero. Only integer, Bool and Char fields are packed (a pointer cannot become an
// integer constant portably); any other field type, or operand kind, answers null and the aggregate is built as
// before.
import llvm from './llvm.js';
import type { Layouts } from './layout.js';
import type { ConstantPool } from './constants.js';
import { structFields, variantFields, type Type } from '../sema/types.js';
import type { AggregateKind, Operand } from '../mir/mir.js';

type Adt = Extract<Type, { k: 'adt' }>;

/** The constant value of an aggregate of `ty` (its destination's type), or null when it is not one. */
export function constAggregate(L: Layouts, consts: ConstantPool, ty: Type, kind: AggregateKind, ops: readonly Operand[]): llvm.Constant | null {
  if (!ops.every((o) => o.k === 'const')) return null;
  switch (kind.k) {
    case 'tuple':
    case 'struct': {
      const fieldTys = ty.k === 'tuple' ? ty.elems : ty.k === 'adt' && ty.def.kind === 'struct' ? structFields(ty).map((f) => f.ty) : null;
      if (!fieldTys || fieldTys.length !== ops.length) return null;
      const vals = ops.map((o, i) => scalarConst(L, consts, fieldTys[i]!, o));
      if (vals.some((v) => v === null)) return null;
      return llvm.ConstantStruct.get(L.llvmType(ty) as llvm.StructType, vals as llvm.Constant[]);
    }
    case 'array': {
      if (ty.k !== 'array' || ty.size !== ops.length || ops.length === 0) return null;
      const vals = ops.map((o) => scalarConst(L, consts, ty.elem, o));
      if (vals.some((v) => v === null)) return null;
      return llvm.ConstantArray.get(L.llvmType(ty) as llvm.ArrayType, vals as llvm.Constant[]);
    }
    case 'variant':
      if (ty.k !== 'adt' || ty.def.kind !== 'enum') return null;
      return variantConst(L, consts, ty, kind.variant, ops);
    default:
      return null;
  }
}

/** A constant operand of a scalar type as an LLVM constant; null for anything else. */
function scalarConst(L: Layouts, consts: ConstantPool, ty: Type, o: Operand): llvm.Constant | null {
  if (o.k !== 'const') return null;
  const c = o.value;
  switch (ty.k) {
    case 'int':
      return c.k === 'int' ? consts.int(ty.bits, c.value) : null;
    case 'bool':
      return c.k === 'bool' ? consts.small(1, c.value ? 1 : 0) : null;
    case 'char':
      return c.k === 'char' ? consts.small(32, c.value) : null;
    case 'float':
      return c.k === 'float' ? llvm.ConstantFP.get(L.llvmType(ty), c.value) : null;
    case 'str':
      // a static literal: the address of its constant TmlStr (a Str's LLVM type is that i8*)
      return c.k === 'str' ? consts.str(c.value) : null;
    default:
      return null;
  }
}

/** The integer value and byte size of a constant field that can be packed into an enum payload. */
function packable(L: Layouts, ty: Type, o: Operand): { value: bigint; size: number; align: number } | null {
  if (o.k !== 'const') return null;
  const c = o.value;
  const ll = L.llvmType(ty);
  const size = L.sizeOfLLVM(ll);
  const align = L.alignOfLLVM(ll);
  if (ty.k === 'int' && c.k === 'int') return { value: c.value, size, align };
  if (ty.k === 'bool' && c.k === 'bool') return { value: c.value ? 1n : 0n, size, align };
  if (ty.k === 'char' && c.k === 'char') return { value: BigInt(c.value), size, align };
  return null;
}

function variantConst(L: Layouts, consts: ConstantPool, ty: Adt, variant: number, ops: readonly Operand[]): llvm.Constant | null {
  const fields = variantFields(ty, variant);
  if (fields.length !== ops.length) return null;
  const st = L.llvmType(ty) as llvm.StructType;
  const { ty: payloadTy, elemBytes, count: n } = L.enumPayload(ty);
  const bytes = new Uint8Array(n * elemBytes);
  let offset = 0;
  for (const [i, f] of fields.entries()) {
    const p = packable(L, f, ops[i]!);
    if (!p) return null;
    offset = Math.ceil(offset / p.align) * p.align;
    let v = BigInt.asUintN(p.size * 8, p.value);
    for (let k = 0; k < p.size; k++, v >>= 8n) bytes[offset + k] = Number(v & 0xffn);
    offset += p.size;
  }
  if (offset > bytes.length) return null;
  const elems: llvm.Constant[] = [];
  for (let e = 0; e < n; e++) {
    let v = 0n;
    for (let k = elemBytes - 1; k >= 0; k--) v = (v << 8n) | BigInt(bytes[e * elemBytes + k]!);
    elems.push(consts.int(elemBytes * 8, v));
  }
  return llvm.ConstantStruct.get(st, [consts.small(32, variant), llvm.ConstantArray.get(payloadTy, elems)]);
}
