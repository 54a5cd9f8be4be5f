// Built-in methods of numbers beyond the basic ones in lower_builtins.ts: clamp, signum, sign tests, checked /
// wrapping / saturating arithmetic of integers (LLVM's *.with.overflow through the `checked` rvalue), and the libm
// functions of floats (called in F64; an F32 receiver is widened and the result narrowed).
import type { Span } from '../syntax/source.js';
import { T, type Type } from '../sema/types.js';
import { constInt } from './builder.js';
import type { BinOp, Operand, Place } from './mir.js';
import { place } from './mir.js';
import type { FnLowerer } from './lower_fn.js';

/** libm functions of one F64 argument, by method name. */
const LIBM_UNARY: Record<string, string> = {
  trunc: 'trunc', cbrt: 'cbrt', exp: 'exp', exp2: 'exp2', ln: 'log', log10: 'log10', log2: 'log2',
  sin: 'sin', cos: 'cos', tan: 'tan', asin: 'asin', acos: 'acos', atan: 'atan',
};

/** libm functions of two F64 arguments, by method name. */
const LIBM_BINARY: Record<string, string> = { powf: 'pow', atan2: 'atan2', hypot: 'hypot', min: 'fmin', max: 'fmax' };

/** Lower `recv.name(args)` for a number receiver of type `rt` into `dest`; false when the method is not one of these. */
export function lowerNumMethod(l: FnLowerer, name: string, rt: Type, recv: () => Operand, args: () => Operand[], dest: Place, span: Span): boolean {
  const ours = rt.k === 'float' ? FLOAT_OWN.has(name) : rt.k === 'int' ? INT_OWN.has(name) : false;
  if (!ours) return false;
  const r = recv();
  const a = args();
  if (rt.k === 'float') lowerFloat(l, name, rt, r, a, dest, span);
  else if (rt.k === 'int') lowerInt(l, name, rt, r, a, dest, span);
  return true;
}

/** The integer methods lowered here (the others are in lower_builtins.ts). */
const INT_OWN = new Set([
  'is_positive', 'is_negative', 'signum', 'clamp', 'wrapping_add', 'wrapping_sub', 'wrapping_mul', 'checked_add', 'checked_sub',
  'checked_mul', 'checked_div', 'saturating_add', 'saturating_sub', 'saturating_mul',
]);

/** The float methods lowered here. */
const FLOAT_OWN = new Set([
  ...Object.keys(LIBM_UNARY), ...Object.keys(LIBM_BINARY), 'powi', 'is_nan', 'is_finite', 'is_infinite', 'is_sign_positive',
  'is_sign_negative', 'signum', 'clamp',
]);

/** A new temporary of type `t` holding `op`, read back as an operand (evaluates `op` once). */
function hold(l: FnLowerer, t: Type, op: Operand, span: Span): Operand {
  const v = l.b.temp(t, span);
  l.b.assign(place(v), { k: 'use', op }, span);
  return { k: 'copy', place: place(v) };
}

function compare(l: FnLowerer, op: BinOp, a: Operand, c: Operand, span: Span): Operand {
  const v = l.b.temp(T.bool, span);
  l.b.assign(place(v), { k: 'binary', op, left: a, right: c }, span);
  return { k: 'copy', place: place(v) };
}

/** `if cond { yes() } else { no() }` in MIR. */
function branch(l: FnLowerer, cond: Operand, yes: () => void, no: () => void, span: Span): void {
  const b = l.b;
  const y = b.newBlock();
  const n = b.newBlock();
  const done = b.newBlock();
  b.branch(cond, y, n, span);
  b.switchTo(y);
  yes();
  b.goto(done);
  b.switchTo(n);
  no();
  b.goto(done);
  b.switchTo(done);
}

function put(l: FnLowerer, dest: Place, op: Operand, span: Span): void {
  l.b.assign(dest, { k: 'use', op }, span);
}

/** `Maybe`'s variants: `Just(v)` is 0, `Nothing` is 1 (stdlib/core/prelude.tml). */
function just(l: FnLowerer, dest: Place, op: Operand, span: Span): void {
  l.b.assign(dest, { k: 'aggregate', kind: { k: 'variant', variant: 0 }, ops: [op] }, span);
}

function nothing(l: FnLowerer, dest: Place, span: Span): void {
  l.b.assign(dest, { k: 'aggregate', kind: { k: 'variant', variant: 1 }, ops: [] }, span);
}

/** `clamp(lo, hi)`: panics when `lo > hi` (or either is NaN), then limits the receiver. */
function clamp(l: FnLowerer, v: Operand, lo: Operand, hi: Operand, dest: Place, span: Span): void {
  const ordered = compare(l, 'le', lo, hi, span);
  const bad = l.b.temp(T.bool, span);
  l.b.assign(place(bad), { k: 'unary', op: 'not', operand: ordered }, span);
  l.panicIf({ k: 'copy', place: place(bad) }, 'cstr', 'clamp: `lo` must not be greater than `hi`', span);
  put(l, dest, v, span);
  branch(l, compare(l, 'lt', v, lo, span), () => put(l, dest, lo, span), () => {}, span);
  branch(l, compare(l, 'gt', v, hi, span), () => put(l, dest, hi, span), () => {}, span);
}

function lowerInt(l: FnLowerer, name: string, t: Extract<Type, { k: 'int' }>, recv: Operand, args: Operand[], dest: Place, span: Span): boolean {
  const b = l.b;
  const min = t.signed ? -(1n << BigInt(t.bits - 1)) : 0n;
  const max = t.signed ? (1n << BigInt(t.bits - 1)) - 1n : (1n << BigInt(t.bits)) - 1n;
  const zero = constInt(0, t);
  switch (name) {
    case 'is_positive':
    case 'is_negative':
      b.assign(dest, { k: 'binary', op: name === 'is_positive' ? 'gt' : 'lt', left: recv, right: zero }, span);
      return true;
    case 'signum': {
      const v = hold(l, t, recv, span);
      const pos = l.b.temp(t, span);
      const neg = l.b.temp(t, span);
      b.assign(place(pos), { k: 'cast', operand: compare(l, 'gt', v, zero, span), to: t }, span);
      b.assign(place(neg), { k: 'cast', operand: compare(l, 'lt', v, zero, span), to: t }, span);
      b.assign(dest, { k: 'binary', op: 'sub', left: { k: 'copy', place: place(pos) }, right: { k: 'copy', place: place(neg) } }, span);
      return true;
    }
    case 'clamp': {
      const v = hold(l, t, recv, span);
      clamp(l, v, hold(l, t, args[0]!, span), hold(l, t, args[1]!, span), dest, span);
      return true;
    }
    case 'wrapping_add':
    case 'wrapping_sub':
    case 'wrapping_mul': {
      const op = name === 'wrapping_add' ? 'add' : name === 'wrapping_sub' ? 'sub' : 'mul';
      b.assign(dest, { k: 'binary', op, left: recv, right: args[0]! }, span);
      return true;
    }
    case 'checked_add':
    case 'checked_sub':
    case 'checked_mul':
    case 'saturating_add':
    case 'saturating_sub':
    case 'saturating_mul': {
      const a = hold(l, t, recv, span);
      const c = hold(l, t, args[0]!, span);
      const op = name.endsWith('add') ? 'add' : name.endsWith('sub') ? 'sub' : 'mul';
      const pair = b.temp({ k: 'tuple', elems: [t, T.bool] }, span);
      b.assign(place(pair), { k: 'checked', op, left: a, right: c }, span);
      const overflow: Operand = { k: 'copy', place: place(pair, { k: 'field', index: 1 }) };
      const value: Operand = { k: 'copy', place: place(pair, { k: 'field', index: 0 }) };
      if (name.startsWith('checked')) {
        branch(l, overflow, () => nothing(l, dest, span), () => just(l, dest, value, span), span);
        return true;
      }
      // the bound an overflow saturates to
      const bound = (): void => {
        if (!t.signed) return put(l, dest, constInt(op === 'sub' ? min : max, t), span);
        if (op === 'add') return branch(l, compare(l, 'lt', c, zero, span), () => put(l, dest, constInt(min, t), span), () => put(l, dest, constInt(max, t), span), span);
        if (op === 'sub') return branch(l, compare(l, 'lt', c, zero, span), () => put(l, dest, constInt(max, t), span), () => put(l, dest, constInt(min, t), span), span);
        // a product overflows toward MIN when exactly one factor is negative
        const differ = compare(l, 'ne', compare(l, 'lt', a, zero, span), compare(l, 'lt', c, zero, span), span);
        return branch(l, differ, () => put(l, dest, constInt(min, t), span), () => put(l, dest, constInt(max, t), span), span);
      };
      branch(l, overflow, bound, () => put(l, dest, value, span), span);
      return true;
    }
    case 'checked_div': {
      const a = hold(l, t, recv, span);
      const c = hold(l, t, args[0]!, span);
      let bad = compare(l, 'eq', c, zero, span);
      if (t.signed) {
        const both = l.b.temp(T.bool, span);
        b.assign(place(both), { k: 'binary', op: 'and', left: compare(l, 'eq', a, constInt(min, t), span), right: compare(l, 'eq', c, constInt(-1, t), span) }, span);
        const any = l.b.temp(T.bool, span);
        b.assign(place(any), { k: 'binary', op: 'or', left: bad, right: { k: 'copy', place: place(both) } }, span);
        bad = { k: 'copy', place: place(any) };
      }
      branch(l, bad, () => nothing(l, dest, span), () => {
        const q = l.b.temp(t, span);
        b.assign(place(q), { k: 'binary', op: 'div', left: a, right: c }, span);
        just(l, dest, { k: 'copy', place: place(q) }, span);
      }, span);
      return true;
    }
  }
  return false;
}

/** Call libm's `sym` on F64 versions of `args` and store the result, narrowed to `t`, in `dest`. */
function libm(l: FnLowerer, sym: string, t: Type, args: Operand[], dest: Place, span: Span): void {
  const wide = args.map((a) => {
    const w = l.b.temp(T.f64, span);
    l.b.assign(place(w), { k: 'cast', operand: a, to: T.f64 }, span);
    return { k: 'copy', place: place(w) } as Operand;
  });
  const r = l.b.temp(T.f64, span);
  l.b.call(place(r), { k: 'extern', symbol: sym, ret: T.f64 }, wide, span);
  l.b.assign(dest, { k: 'cast', operand: { k: 'copy', place: place(r) }, to: t }, span);
}

function lowerFloat(l: FnLowerer, name: string, t: Extract<Type, { k: 'float' }>, recv: Operand, args: Operand[], dest: Place, span: Span): boolean {
  const b = l.b;
  const f = (x: number): Operand => ({ k: 'const', value: { k: 'float', value: x }, ty: t });
  if (LIBM_UNARY[name]) {
    libm(l, LIBM_UNARY[name]!, t, [recv], dest, span);
    return true;
  }
  if (LIBM_BINARY[name]) {
    libm(l, LIBM_BINARY[name]!, t, [recv, args[0]!], dest, span);
    return true;
  }
  switch (name) {
    case 'powi': {
      libm(l, 'pow', t, [recv, args[0]!], dest, span);
      return true;
    }
    case 'is_nan': {
      const v = hold(l, t, recv, span);
      b.assign(dest, { k: 'binary', op: 'ne', left: v, right: v }, span);
      return true;
    }
    case 'is_finite':
    case 'is_infinite': {
      // |x| < inf is false for infinities and NaN; |x| == inf only for infinities
      const a = b.temp(t, span);
      libm(l, 'fabs', t, [recv], place(a), span);
      b.assign(dest, { k: 'binary', op: name === 'is_finite' ? 'lt' : 'eq', left: { k: 'copy', place: place(a) }, right: f(Infinity) }, span);
      return true;
    }
    case 'is_sign_positive':
    case 'is_sign_negative': {
      // copysign(1, x) carries x's sign bit (also for -0.0 and NaN)
      const s = b.temp(t, span);
      libm(l, 'copysign', t, [f(1), recv], place(s), span);
      b.assign(dest, { k: 'binary', op: name === 'is_sign_positive' ? 'gt' : 'lt', left: { k: 'copy', place: place(s) }, right: f(0) }, span);
      return true;
    }
    case 'signum': {
      const v = hold(l, t, recv, span);
      branch(l, compare(l, 'ne', v, v, span), () => put(l, dest, v, span), () => libm(l, 'copysign', t, [f(1), v], dest, span), span);
      return true;
    }
    case 'clamp': {
      const v = hold(l, t, recv, span);
      clamp(l, v, hold(l, t, args[0]!, span), hold(l, t, args[1]!, span), dest, span);
      return true;
    }
  }
  return false;
}
