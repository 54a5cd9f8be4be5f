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
};

/** Methods of integer types: `self` stands for the receiver's type. */
export const INT_METHODS: Record<string, { params: ('self' | Type)[]; ret: 'self' | Type }> = {
  abs: { params: [], ret: 'self' },
  pow: { params: [T.u32], ret: 'self' },
  min: { params: ['self'], ret: 'self' },
  max: { params: ['self'], ret: 'self' },
  to_string: { params: [], ret: T.str },
  duplicate: { params: [], ret: 'self' },
  hash: { params: [], ret: T.i64 },
};

export const FLOAT_METHODS: Record<string, { params: ('self' | Type)[]; ret: 'self' | Type }> = {
  sqrt: { params: [], ret: 'self' },
  floor: { params: [], ret: 'self' },
  ceil: { params: [], ret: 'self' },
  round: { params: [], ret: 'self' },
  abs: { params: [], ret: 'self' },
  min: { params: ['self'], ret: 'self' },
  max: { params: ['self'], ret: 'self' },
  to_string: { params: [], ret: T.str },
  duplicate: { params: [], ret: 'self' },
};

export const SIMPLE_METHODS: Record<string, { params: ('self' | Type)[]; ret: 'self' | Type }> = {
  to_string: { params: [], ret: T.str },
  duplicate: { params: [], ret: 'self' },
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
