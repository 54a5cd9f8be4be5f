// Joining Strs: an interpolation `"a{x}b{y}"` and a `+` chain of Strs (`s + "{x}" + t`) become one join of all
// their pieces instead of a tml_str_concat (a new Str) per piece. Two pieces are one tml_str_concat; three or more
// are pushed one call each into a TmlJoin buffer on the stack (runtime-c/format.c), an integer without a Str of its
// own, and finished into the result: in the 10,000-line benchmark that is a third of the IR of its `describe`
// functions. Each piece is evaluated in source order, as before; a formatted value (an owned temporary) is dropped
// after the join instead of after its own concatenation, which no program can observe (a Str's drop frees memory
// and runs no code of the program).
import type * as ast from '../syntax/ast.js';
import type { Span } from '../syntax/source.js';
import { T, type Type } from '../sema/types.js';
import { lowerDisplay, primToString, strConst } from './lower_builtins.js';
import type { FnLowerer } from './lower_fn.js';
import type { Operand, Place } from './mir.js';
import { place } from './mir.js';

/** A piece of a join: a Str operand the join borrows, and what to do once the join is done (drop a temporary); or
 * an integer of at most 64 bits, formatted in decimal by the join itself. */
type Piece =
  | { readonly k: 'str'; readonly op: Operand; readonly release: () => void; /** a formatted value: a fresh Str */ readonly owned?: boolean }
  | { readonly k: 'int'; readonly op: Operand; readonly ty: Extract<Type, { k: 'int' }>; readonly span: Span };

/** The TmlJoin buffer of runtime-c/include/tml_runtime.h: { bytes, len, cap }. */
const JOIN: Type = { k: 'tuple', elems: [{ k: 'ptr', inner: T.u8 }, T.i64, T.i64] };
const U8P: Type = { k: 'ptr', inner: T.u8 };

/** Whether `e` is a `+` of two Strs (not an operator overload), which `lowerStrJoin` flattens. */
export function isStrPlus(l: FnLowerer, e: ast.Expr): e is Extract<ast.Expr, { kind: 'Binary' }> {
  return e.kind === 'Binary' && e.op === '+' && l.body.ops.get(e.id)?.k !== 'call' && l.operandType(e.left).k === 'str';
}

/** dest = the Str that `e` (an interpolation or a Str `+` chain) makes, by one join. */
export function lowerStrJoin(l: FnLowerer, e: ast.Expr, dest: Place): void {
  const pieces: Piece[] = [];
  collect(l, e, pieces);
  join(l, pieces, dest, e.span);
}

function collect(l: FnLowerer, e: ast.Expr, out: Piece[]): void {
  if (isStrPlus(l, e)) {
    collect(l, e.left, out);
    collect(l, e.right, out);
    return;
  }
  if (e.kind === 'InterpStr') {
    for (const p of e.parts) {
      if (p.kind === 'text') {
        if (p.text.length) out.push({ k: 'str', op: strConst(p.text), release: () => {} });
      } else {
        const res = l.body.displays.get(p.expr.id);
        const t = l.operandType(p.expr);
        // an integer shown as itself (lowerDisplay's primToString case)
        if ((!res || (res.k === 'builtin' && res.name !== 'debug_string')) && t.k === 'int' && t.bits <= 64) {
          // read now, where the formatted value used to be made (a later piece may change the place)
          const v = l.b.temp(t, p.expr.span);
          l.b.assign(place(v), { k: 'use', op: l.operand(p.expr) }, p.expr.span);
          out.push({ k: 'int', op: { k: 'copy', place: place(v) }, ty: t, span: p.expr.span });
          continue;
        }
        const s = lowerDisplay(l, p.expr);
        out.push({ k: 'str', op: { k: 'copy', place: place(s) }, release: () => l.dropLocal(s, p.expr.span), owned: true });
      }
    }
    return;
  }
  out.push({ k: 'str', ...l.strArg(e) });
}

function join(l: FnLowerer, pieces: Piece[], dest: Place, span: Span): void {
  const b = l.b;
  if (pieces.length >= 3) return pushAll(l, pieces, dest, span);
  // one or two pieces: an integer becomes a Str of its own (as lowerDisplay makes it), then as before
  const strs = pieces.map((p): Extract<Piece, { k: 'str' }> => {
    if (p.k === 'str') return p;
    const s = b.temp(T.str, p.span);
    primToString(l, p.op, p.ty, place(s), p.span);
    return { k: 'str', op: { k: 'copy', place: place(s) }, release: () => l.dropLocal(s, p.span), owned: true };
  });
  if (strs.length === 0) {
    b.assign(dest, { k: 'use', op: strConst('') }, span);
    return;
  }
  const only = strs.length === 1 ? strs[0]! : null;
  // one piece (an interpolation of one value): a literal is used as it is, a formatted value is the result itself
  if (only?.op.k === 'const' || (only?.owned && only.op.k === 'copy')) {
    b.assign(dest, { k: 'use', op: only.op.k === 'const' ? only.op : { k: 'move', place: only.op.place } }, span);
    return;
  }
  if (only) strs.push({ k: 'str', op: strConst(''), release: () => {} }); // a borrowed Str alone: a copy of it
  b.call(dest, { k: 'extern', symbol: 'tml_str_concat', ret: T.str }, strs.map((p) => p.op), span);
  for (const p of strs) p.release();
}

/** Three or more pieces: a zeroed TmlJoin on the stack, one push per piece, then the finished Str. */
function pushAll(l: FnLowerer, pieces: Piece[], dest: Place, span: Span): void {
  const b = l.b;
  const j = b.temp(JOIN, span);
  b.assign(place(j), { k: 'use', op: { k: 'const', value: { k: 'zero' }, ty: JOIN } }, span);
  const raw = b.temp({ k: 'ptr', inner: JOIN }, span);
  b.assign(place(raw), { k: 'ref', place: place(j), mutable: true, raw: true }, span);
  // one i8* for every call (an extern's pointer argument is an i8*: no cast per call)
  const jp = b.temp(U8P, span);
  b.assign(place(jp), { k: 'cast', operand: { k: 'copy', place: place(raw) }, to: U8P }, span);
  const push = (sym: string, op: Operand) => b.call(null, { k: 'extern', symbol: sym, ret: T.unit }, [{ k: 'copy', place: place(jp) }, op], span);
  for (const p of pieces) {
    if (p.k === 'str') {
      push('tml_join_str', p.op);
      continue;
    }
    if (p.ty.bits === 64) {
      push(p.ty.signed ? 'tml_join_i64' : 'tml_join_u64', p.op);
      continue;
    }
    const wide = p.ty.signed ? T.i64 : T.u64;
    const w = b.temp(wide, p.span);
    b.assign(place(w), { k: 'cast', operand: p.op, to: wide }, p.span);
    push(p.ty.signed ? 'tml_join_i64' : 'tml_join_u64', { k: 'copy', place: place(w) });
  }
  b.call(dest, { k: 'extern', symbol: 'tml_join_finish', ret: T.str }, [{ k: 'copy', place: place(jp) }], span);
  for (const p of pieces) if (p.k === 'str') p.release();
}
