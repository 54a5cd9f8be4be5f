// Small constructors of MIR statements and operands for passes that write MIR directly (async_lower.ts,
// async_body.ts); lowering uses FnBuilder (builder.ts) instead.
import type { Span } from '../syntax/source.js';
import { T, type Type } from '../sema/types.js';
import type { LocalId, Operand, Place, Rvalue, Statement } from './mir.js';

export const U8P: Type = { k: 'ptr', inner: T.u8 };

export function pl(local: LocalId): Place {
  return { local, proj: [] };
}
export function withProj(p: Place, pr: Place['proj'][number]): Place {
  return { local: p.local, proj: [...p.proj, pr] };
}
export function copy(p: Place): Operand {
  return { k: 'copy', place: p };
}
export function use(op: Operand): Rvalue {
  return { k: 'use', op };
}
export function int32(v: number): Operand {
  return { k: 'const', value: { k: 'int', value: BigInt(v) }, ty: T.i32 };
}
export function fnptr(symbol: string): Operand {
  return { k: 'const', value: { k: 'fnptr', symbol }, ty: U8P };
}
export function assign(place: Place, rvalue: Rvalue, span: Span): Statement {
  return { k: 'assign', place, rvalue, span };
}
export function callExtern(dest: Place | null, symbol: string, ret: Type, args: Operand[], span: Span): Statement {
  return { k: 'call', dest, callee: { k: 'extern', symbol, ret }, args, span, noReturn: false };
}
export function callFn(dest: Place | null, symbol: string, args: Operand[], span: Span): Statement {
  return { k: 'call', dest, callee: { k: 'fn', symbol }, args, span, noReturn: false };
}

/** `t = &raw p` into a new temporary of type `*ty` (`ty`: the type of `p`), made by `temp` */
export function rawPointer(out: Statement[], p: Place, ty: Type, temp: (ty: Type) => LocalId, span: Span): LocalId {
  const t = temp({ k: 'ptr', inner: ty });
  out.push(assign(pl(t), { k: 'ref', place: p, mutable: true, raw: true }, span));
  return t;
}

/** `&raw p as *U8` into a new temporary (a runtime or poll function's `void *` argument) */
export function rawAddressOf(out: Statement[], p: Place, ty: Type, temp: (ty: Type) => LocalId, span: Span): LocalId {
  const t = rawPointer(out, p, ty, temp, span);
  const raw = temp(U8P);
  out.push(assign(pl(raw), { k: 'cast', operand: copy(pl(t)), to: U8P }, span));
  return raw;
}
