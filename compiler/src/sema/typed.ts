// The checker's output for one function body: types and resolutions keyed by AST node id. Types may mention the
// function's generic params; lowering substitutes them per instantiation.
import type { FormatPiece } from './format_string.js';
import type { Span } from '../syntax/source.js';
import type { AdtDef, BehaviorRef, StaticDef, Type } from './types.js';
import type { ConstDef, FuncDef } from './defs.js';

export interface LocalVar {
  readonly id: number;
  readonly name: string;
  ty: Type;
  readonly mutable: boolean;
  readonly span: Span;
  /** `let x: T` without a value: assignable once even when immutable (checked on MIR) */
  lateInit?: boolean;
}

/** What a `Path` expression denotes. */
export type PathRes =
  | { readonly k: 'local'; readonly local: LocalVar }
  | { readonly k: 'fn'; readonly fn: FuncDef; readonly typeArgs: Type[] } // a function used as a value
  | { readonly k: 'const'; readonly def: ConstDef }
  | { readonly k: 'variant'; readonly ty: Type; readonly index: number } // a unit variant value (ty: the enum type)
  | { readonly k: 'ctor'; readonly ty: Type; readonly index: number } // a tuple variant used as a function value
  | { readonly k: 'static'; readonly def: StaticDef }; // a class's static field: `Animal::count`

/** How a receiver is passed to a method. */
/** `borrow`: the receiver's class reference, copied without a retain (retained for the call when it is not a local).
 * `view`: the receiver is a fixed array `[T; N]` and the method is `ArrayView[T]`'s: the view `{ data: element 0,
 * len: N }` of the array place is passed by value, borrowing the array (stdlib/core/array.tml). */
export type Adjust = 'none' | 'ref' | 'mutref' | 'deref' | 'deref-ref' | 'deref-mutref' | 'borrow' | 'view';

/** What a `Call` or `MethodCall` node calls. */
export type CallRes =
  /** a known function (free, inherent method, or a behavior impl's method chosen at check time) */
  | { readonly k: 'fn'; readonly fn: FuncDef; readonly typeArgs: Type[]; readonly recv: Adjust | null }
  /** a behavior method on a type known only at instantiation time (`x.describe()` with `T: Describe`) */
  | { readonly k: 'behavior'; readonly behavior: BehaviorRef; readonly method: string; readonly selfType: Type; readonly methodArgs: Type[]; readonly recv: Adjust | null }
  /** a compiler built-in function or method (print, Str.len, I32.to_string, …) */
  | { readonly k: 'builtin'; readonly name: string; readonly recv: Adjust | null; readonly typeArgs: Type[] }
  /** a tuple variant constructor: `Just(x)`, `Shape::Rect(1.0, 2.0)` */
  | { readonly k: 'variant'; readonly ty: Type; readonly index: number }
  /** calling a value of `func` type */
  | { readonly k: 'closure' }
  /** a method call on a `dyn B` value: dispatch through the vtable */
  | { readonly k: 'dyn'; readonly behavior: BehaviorRef; readonly method: string; readonly recv: Adjust | null }
  /** `Class::new(…)`: allocate an instance and run the constructor `fn` (chosen by arity) */
  | { readonly k: 'new'; readonly fn: FuncDef; readonly typeArgs: Type[] }
  /** a virtual method of a class: through slot `slot` of the object's vtable (`fn` is the nearest declaration,
   * typed for the receiver's static class `cls`) */
  | { readonly k: 'virtual'; readonly fn: FuncDef; readonly typeArgs: Type[]; readonly recv: Adjust | null; readonly slot: number }
  /** a method of an interface value: through slot `slot` of the (class, interface) vtable it carries */
  | { readonly k: 'iface'; readonly fn: FuncDef; readonly iface: AdtDef; readonly slot: number; readonly recv: Adjust | null };

/** Operator resolution for Binary/Unary nodes whose operands are not primitives. */
export type OpRes =
  | { readonly k: 'prim' } // handled by the compiler: ints, floats, Bool, Char, Str, pointers
  | { readonly k: 'call'; readonly call: CallRes; readonly compare: 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | null };

export interface TypedBody {
  readonly fn: FuncDef;
  readonly exprTypes: Map<number, Type>;
  readonly paths: Map<number, PathRes>;
  readonly calls: Map<number, CallRes>;
  readonly ops: Map<number, OpRes>;
  /** IdentPat / binding node id → the local it introduces */
  readonly bindings: Map<number, LocalVar>;
  /** IdentPat node id → unit variant it matches (a bare identifier naming a variant) */
  readonly patVariants: Map<number, { ty: Type; index: number }>;
  /** pattern node id → the type it matches */
  readonly patTypes: Map<number, Type>;
  /** VariantPat/PathPat/StructPat node id → variant index (for enums) */
  readonly patVariantIndex: Map<number, number>;
  /** closure node id → captured locals, in capture order */
  readonly captures: Map<number, LocalVar[]>;
  /** For-loop node id → how it iterates */
  readonly forKinds: Map<number, 'range' | 'range-inclusive' | 'array-ref' | 'array' | 'list-ref' | 'list' | 'map-ref' | 'iterator'>;
  /** Field node id → field index in its struct/tuple (after auto-deref) and the number of derefs */
  readonly fields: Map<number, { index: number; derefs: number }>;
  /** `this` params and declared params, in order */
  readonly params: LocalVar[];
  /** the self local of a method (`this`), if any */
  readonly self: LocalVar | null;
  /** Let-declared locals for a `loop (var i: I32 < n)` head */
  readonly loopDecls: Map<number, LocalVar>;
  /** expressions whose value is implicitly read through references (auto-deref of `ref` copyables): count */
  readonly autoDeref: Map<number, number>;
  /** expressions formatted by interpolation or print: how to turn them into a Str */
  readonly displays: Map<number, CallRes>;
  /** print/println/eprint/eprintln/format call id → its format string, parsed (format_string.ts) */
  readonly formats: Map<number, FormatPiece[]>;
  /** Try (`!`) node id → what it unwraps */
  readonly tries: Map<number, 'maybe' | 'outcome'>;
  /** struct literal node id → the struct type and, for enum struct variants, the variant index */
  readonly structLits: Map<number, { ty: Type; variant: number | null }>;
  /** expression id → how many library-pointer dereferences turn its `ref Heap[T]` into the expected `ref T`
   * (deref coercion, LANGUAGE.md §3) */
  readonly refCoercions: Map<number, number>;
  /** expression id → the `dyn` type its value is coerced to (`ref T` → `ref dyn B`, `Heap[T]` → `Heap[dyn B]`) */
  readonly unsizes: Map<number, Type>;
  /** Loop node id → whether a `break` leaves it (a bare `loop` without one never ends) */
  readonly loopBreaks: Set<number>;
  /** locals whose mutability something needed: assigned, borrowed `mut ref`, a `mut this` receiver (the unneeded
   * `var` warning, sema/lints/unused_locals.ts, reports the mutable locals not in here) */
  readonly mutated: Set<LocalVar>;
  /** `x is C` node id → the class or interface type tested */
  readonly isTargets: Map<number, Type>;
  /** a constructor's `: base(…)`: the base constructor and the base class's type arguments */
  baseCall: { fn: FuncDef; typeArgs: Type[] } | null;
}
