// Format strings (issue 11): a print/println/eprint/eprintln/format call whose format string the checker parsed
// (sema/format_string.ts, body.formats) becomes one runtime call per formatted argument (runtime-c/format.c) and one
// tml_fmt_concat of the pieces. Nothing is parsed at run time.
import type * as ast from '../syntax/ast.js';
import type { Span } from '../syntax/source.js';
import { PLAIN_SPEC, type FormatPiece, type FormatSpec } from '../sema/format_string.js';
import { T, type Type } from '../sema/types.js';
import { constInt } from './builder.js';
import { lowerDisplay, strConst, zeroIndex } from './lower_builtins.js';
import type { LocalId, Operand, Place } from './mir.js';
import { place } from './mir.js';
import type { FnLowerer } from './lower_fn.js';

/**
 * `println("a={} b={:>8}", a, b)`: each argument is evaluated once, in order, and formatted by its placeholder's spec
 * (the checker parsed the format string: body.formats); the text pieces and the formatted arguments are joined by
 * one tml_fmt_concat into dest.
 */
export function lowerFormat(l: FnLowerer, e: Extract<ast.Expr, { kind: 'Call' }>, pieces: FormatPiece[], dest: Place): void {
  const b = l.b;
  const span = e.span;
  const args = e.args.slice(1);
  const specOf = (i: number) => pieces.find((p): p is Extract<FormatPiece, { k: 'arg' }> => p.k === 'arg' && p.index === i)?.spec ?? PLAIN_SPEC;
  const formatted = args.map((a, i) => formatArg(l, a, specOf(i)));
  const ops: Operand[] = pieces.map((p) => (p.k === 'text' ? strConst(p.text) : { k: 'copy', place: place(formatted[p.index]!) }));
  if (ops.length === 0) ops.push(strConst(''));
  concatStrs(l, ops, formatted, dest, span);
}

/** dest = the Str operands joined (one tml_fmt_concat of an array of them); the `owned` pieces are dropped after. */
export function concatStrs(l: FnLowerer, ops: Operand[], owned: LocalId[], dest: Place, span: Span): void {
  const b = l.b;
  const arr = b.temp({ k: 'array', elem: T.str, size: ops.length }, span);
  b.assign(place(arr), { k: 'aggregate', kind: { k: 'array' }, ops }, span);
  const ap = b.temp({ k: 'ptr', inner: T.str }, span);
  b.assign(place(ap), { k: 'ref', place: place(arr, { k: 'index', index: zeroIndex(l, span) }), mutable: false, raw: true }, span);
  b.call(dest, { k: 'extern', symbol: 'tml_fmt_concat', ret: T.str }, [{ k: 'copy', place: place(ap) }, constInt(ops.length, T.i64)], span);
  for (const s of owned) l.dropLocal(s, span);
}

/** One argument formatted by its spec (format.c does the padding, radix, precision and quoting): an owned Str. */
function formatArg(l: FnLowerer, e: ast.Expr, spec: FormatSpec): LocalId {
  const b = l.b;
  const span = e.span;
  const t = l.operandType(e);
  const ext = (sym: string, ops: Operand[]): LocalId => {
    const out = b.temp(T.str, span);
    b.call(place(out), { k: 'extern', symbol: sym, ret: T.str }, ops, span);
    return out;
  };
  // replaces s by f(s), dropping s
  const then = (s: LocalId, sym: string, more: Operand[]): LocalId => {
    const r = ext(sym, [{ k: 'copy', place: place(s) }, ...more]);
    l.dropLocal(s, span);
    return r;
  };
  let s: LocalId;
  const radix = { x: 16, X: 16, b: 2, o: 8 }[spec.kind as 'x'];
  if (radix && t.k === 'int') {
    // the value's bits as an unsigned number of its width (Rust prints negative numbers in two's complement)
    const v = b.temp(t, span);
    b.assign(place(v), { k: 'use', op: l.operand(e) }, span);
    const unsigned: Type = { ...t, signed: false };
    const u = b.temp(unsigned, span);
    b.assign(place(u), { k: 'cast', operand: { k: 'copy', place: place(v) }, to: unsigned }, span);
    const lo = b.temp(T.u64, span);
    const hi = b.temp(T.u64, span);
    b.assign(place(lo), { k: 'cast', operand: { k: 'copy', place: place(u) }, to: T.u64 }, span);
    if (t.bits === 128) {
      const sh = b.temp(unsigned, span);
      b.assign(place(sh), { k: 'binary', op: 'shr', left: { k: 'copy', place: place(u) }, right: constInt(64, unsigned) }, span);
      b.assign(place(hi), { k: 'cast', operand: { k: 'copy', place: place(sh) }, to: T.u64 }, span);
    } else b.assign(place(hi), { k: 'use', op: constInt(0, T.u64) }, span);
    s = ext('tml_fmt_radix', [{ k: 'copy', place: place(lo) }, { k: 'copy', place: place(hi) }, constInt(radix, T.i32), constInt(spec.kind === 'X' ? 1 : 0, T.i32), constInt(spec.alt ? 1 : 0, T.i32)]);
  } else if (spec.precision !== null && t.k === 'float') {
    const v = b.temp(T.f64, span);
    b.assign(place(v), t.bits === 64 ? { k: 'use', op: l.operand(e) } : { k: 'cast', operand: l.operand(e), to: T.f64 }, span);
    s = ext('tml_fmt_float_prec', [{ k: 'copy', place: place(v) }, constInt(spec.precision, T.i64)]);
  } else {
    s = lowerDisplay(l, e);
    if (spec.kind === '?' && (t.k === 'str' || t.k === 'char')) s = then(s, 'tml_fmt_debug', [constInt(t.k === 'str' ? 34 : 39, T.i32)]);
    if (spec.precision !== null && t.k === 'str') s = then(s, 'tml_fmt_truncate', [constInt(spec.precision, T.i64)]);
  }
  if (spec.width !== null || spec.plus) {
    const numeric = t.k === 'int' || t.k === 'float';
    const align = spec.align ?? (numeric ? 'right' : 'left');
    const flags = (spec.plus ? 1 : 0) | (spec.zero ? 2 : 0) | (spec.alt ? 4 : 0);
    s = then(s, 'tml_fmt_pad', [constInt(spec.fill.codePointAt(0)!, T.i32), constInt(align === 'left' ? 0 : align === 'center' ? 1 : 2, T.i32), constInt(spec.width ?? 0, T.i64), constInt(flags, T.i32)]);
  }
  return s;
}
