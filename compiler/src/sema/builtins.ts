// Built-in methods of primitive types (LANGUAGE.md §3) and the names of built-in functions (§6). Their meaning is
// implemented by MIR lowering (mir/lower_builtins.ts) as runtime calls or instructions.
import { T, type Type } from './types.js';

export interface BuiltinMethod {
  readonly params: Type[];
  readonly ret: Type;
  /** receiver passing: by value (copy) for primitives */
}

/** Methods of `Str`; `maybe(x)` types are built by the checker (Maybe is a library type). */
export const STR_METHODS: Record<string, { params: Type[]; ret: Type | 'maybe-i64' | 'maybe-f64' | 'list-str' }> = {
  split: { params: [T.str], ret: 'list-str' },
  len: { params: [], ret: T.i64 },
  is_empty: { params: [], ret: T.bool },
  slice: { params: [T.i64, T.i64], ret: T.str },
  char_at: { params: [T.i64], ret: T.char },
  contains: { params: [T.str], ret: T.bool },
  starts_with: { params: [T.str], ret: T.bool },
  ends_with: { params: [T.str], ret: T.bool },
  find: { params: [T.str], ret: 'maybe-i64' },
  trim: { params: [], ret: T.str },
  to_upper: { params: [], ret: T.str },
  to_lower: { params: [], ret: T.str },
  parse_i64: { params: [], ret: 'maybe-i64' },
  parse_f64: { params: [], ret: 'maybe-f64' },
  to_string: { params: [], ret: T.str },
  duplicate: { params: [], ret: T.str },
  hash: { params: [], ret: T.i64 },
  /** quoted and escaped as Rust's `{:?}` (`"a\"b"`) */
  debug_string: { params: [], ret: T.str },
};

/** A built-in numeric method's signature: `self` stands for the receiver's type, `maybe-self` for `Maybe[Self]`. */
export interface NumMethod {
  readonly params: ('self' | Type)[];
  readonly ret: 'self' | 'maybe-self' | Type;
}

/** Methods of integer types (lowered in mir/lower_builtins.ts and mir/lower_num.ts). */
export const INT_METHODS: Record<string, NumMethod> = {
  /** the absolute value (signed types; `MIN.abs()` overflows) */
  abs: { params: [], ret: 'self' },
  /** `this` raised to the power `exp` (overflow checked like `*`) */
  pow: { params: [T.u32], ret: 'self' },
  /** the smaller of the two */
  min: { params: ['self'], ret: 'self' },
  /** the larger of the two */
  max: { params: ['self'], ret: 'self' },
  /** `this` limited to `lo..=hi` (panics when `lo > hi`) */
  clamp: { params: ['self', 'self'], ret: 'self' },
  /** -1, 0 or 1 (signed types) */
  signum: { params: [], ret: 'self' },
  /** `this > 0` (signed types) */
  is_positive: { params: [], ret: T.bool },
  /** `this < 0` (signed types) */
  is_negative: { params: [], ret: T.bool },
  /** `Just(this + other)`, or `Nothing` on overflow */
  checked_add: { params: ['self'], ret: 'maybe-self' },
  /** `Just(this - other)`, or `Nothing` on overflow */
  checked_sub: { params: ['self'], ret: 'maybe-self' },
  /** `Just(this * other)`, or `Nothing` on overflow */
  checked_mul: { params: ['self'], ret: 'maybe-self' },
  /** `Just(this / other)`, or `Nothing` for a zero divisor or `MIN / -1` */
  checked_div: { params: ['self'], ret: 'maybe-self' },
  /** `this + other` modulo 2^bits */
  wrapping_add: { params: ['self'], ret: 'self' },
  /** `this - other` modulo 2^bits */
  wrapping_sub: { params: ['self'], ret: 'self' },
  /** `this * other` modulo 2^bits */
  wrapping_mul: { params: ['self'], ret: 'self' },
  /** `this + other`, clamped to `MIN..=MAX` */
  saturating_add: { params: ['self'], ret: 'self' },
  /** `this - other`, clamped to `MIN..=MAX` */
  saturating_sub: { params: ['self'], ret: 'self' },
  /** `this * other`, clamped to `MIN..=MAX` */
  saturating_mul: { params: ['self'], ret: 'self' },
  to_string: { params: [], ret: T.str },
  duplicate: { params: [], ret: 'self' },
  hash: { params: [], ret: T.i64 },
  /** as `to_string` (Rust's `{:?}` of an integer) */
  debug_string: { params: [], ret: T.str },
};

/** Integer methods that only signed types have. */
export const SIGNED_ONLY_METHODS = new Set(['abs', 'signum', 'is_positive', 'is_negative']);

/** Methods of `F32` and `F64` (libm through the runtime's link line; F32 is computed in F64). */
export const FLOAT_METHODS: Record<string, NumMethod> = {
  /** the square root (NaN for negative numbers) */
  sqrt: { params: [], ret: 'self' },
  /** the cube root */
  cbrt: { params: [], ret: 'self' },
  /** the largest integer not above `this` */
  floor: { params: [], ret: 'self' },
  /** the smallest integer not below `this` */
  ceil: { params: [], ret: 'self' },
  /** the nearest integer, halves away from zero */
  round: { params: [], ret: 'self' },
  /** the integer part (rounded toward zero) */
  trunc: { params: [], ret: 'self' },
  /** the absolute value */
  abs: { params: [], ret: 'self' },
  /** -1.0 or 1.0 by the sign (NaN for NaN) */
  signum: { params: [], ret: 'self' },
  /** the smaller of the two; a NaN operand is ignored */
  min: { params: ['self'], ret: 'self' },
  /** the larger of the two; a NaN operand is ignored */
  max: { params: ['self'], ret: 'self' },
  /** `this` limited to `lo..=hi` (panics when `lo > hi`) */
  clamp: { params: ['self', 'self'], ret: 'self' },
  /** `this` raised to an integer power */
  powi: { params: [T.i32], ret: 'self' },
  /** `this` raised to a float power */
  powf: { params: ['self'], ret: 'self' },
  /** e^this */
  exp: { params: [], ret: 'self' },
  /** 2^this */
  exp2: { params: [], ret: 'self' },
  /** the natural logarithm */
  ln: { params: [], ret: 'self' },
  /** the base-10 logarithm */
  log10: { params: [], ret: 'self' },
  /** the base-2 logarithm */
  log2: { params: [], ret: 'self' },
  /** the sine (radians) */
  sin: { params: [], ret: 'self' },
  /** the cosine (radians) */
  cos: { params: [], ret: 'self' },
  /** the tangent (radians) */
  tan: { params: [], ret: 'self' },
  /** the arcsine, in radians */
  asin: { params: [], ret: 'self' },
  /** the arccosine, in radians */
  acos: { params: [], ret: 'self' },
  /** the arctangent, in radians */
  atan: { params: [], ret: 'self' },
  /** the angle of the point (`other`, `this`) = atan(this / other) in the right quadrant */
  atan2: { params: ['self'], ret: 'self' },
  /** sqrt(this² + other²) without needless overflow */
  hypot: { params: ['self'], ret: 'self' },
  /** whether `this` is NaN */
  is_nan: { params: [], ret: T.bool },
  /** whether `this` is neither infinite nor NaN */
  is_finite: { params: [], ret: T.bool },
  /** whether `this` is positive or negative infinity */
  is_infinite: { params: [], ret: T.bool },
  /** whether the sign bit is clear (true for +0.0 and positive numbers) */
  is_sign_positive: { params: [], ret: T.bool },
  /** whether the sign bit is set (true for -0.0 and negative numbers) */
  is_sign_negative: { params: [], ret: T.bool },
  to_string: { params: [], ret: T.str },
  duplicate: { params: [], ret: 'self' },
  /** as `to_string` (Rust's `{:?}` of a float) */
  debug_string: { params: [], ret: T.str },
};

/** Methods of `Bool` and `Char`. */
export const SIMPLE_METHODS: Record<string, NumMethod> = {
  to_string: { params: [], ret: T.str },
  duplicate: { params: [], ret: 'self' },
  /** the code point (Char) or 0/1 (Bool) */
  hash: { params: [], ret: T.i64 },
  /** a Char quoted and escaped as Rust's `{:?}` (`'\n'`); a Bool as `to_string` */
  debug_string: { params: [], ret: T.str },
};

/** Built-in free functions (the checker types each one specially). */
export const BUILTIN_FUNCTIONS = new Set([
  'print', 'println', 'eprint', 'eprintln', 'format', 'panic', 'assert', 'assert_eq', 'assert_ne',
  'size_of', 'align_of', 'type_name', 'needs_drop', 'alloc', 'alloc_zeroed', 'realloc', 'free', 'dealloc',
  'mem_copy', 'mem_move', 'mem_set', 'mem_compare', 'exit', 'env', 'read_line', 'read_file', 'write_file',
  'clock_ns', 'describe_value', 'spawn',
  // library intrinsics (lowlevel): see stdlib/core/alloc.tml
  'alloc_for', 'realloc_for', 'drop_in_place', 'copy_out', 'forget',
]);

/** Built-ins that may only be called inside `lowlevel` (MEMORY.md §7). */
export const LOWLEVEL_FUNCTIONS = new Set([
  'alloc', 'alloc_zeroed', 'realloc', 'free', 'dealloc', 'mem_copy', 'mem_move', 'mem_set', 'mem_compare',
  'alloc_for', 'realloc_for', 'drop_in_place', 'copy_out', 'forget',
]);

// The method tables are looked up by names the program wrote: without a prototype, `x.toString()` or
// `x.constructor()` finds nothing in them instead of Object.prototype's members. (Literal tables, then the
// prototype dropped, so that ci/library_docs.mjs can still read them.)
for (const t of [STR_METHODS, INT_METHODS, FLOAT_METHODS, SIMPLE_METHODS]) Object.setPrototypeOf(t, null);
