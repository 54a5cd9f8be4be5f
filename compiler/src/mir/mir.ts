// MIR: one control-flow graph per monomorphic function. Every type here is closed (no generic params, no
// inference variables). Memory management is explicit: `move`/`copy` operands, `retain` and `drop` statements
// (placed by lowering and made exact by the drop-elaboration pass), and glue functions (also MIR) that say what
// dropping or retaining a value of each type means. Calls are statements: panics abort, nothing unwinds.
import type { SourceMap, Span } from '../syntax/source.js';
import type { Type } from '../sema/types.js';

export type LocalId = number;
export type BlockId = number;

export interface LocalDecl {
  readonly id: LocalId;
  readonly ty: Type;
  /** Source name of a user variable; null for temporaries. */
  readonly name: string | null;
  readonly kind: 'return' | 'arg' | 'var' | 'temp' | 'flag';
  readonly span: Span | null;
  /** an immutable `let x: T` declared without a value: it may be assigned exactly once (the move checker) */
  readonly assignOnce?: boolean;
  /** what a compiler-made pointer temporary points into, for messages (`index of \`List[Token]\``) */
  readonly origin?: string;
  /** a compiler-made raw pointer temporary (an element address) that points inside the value at this place: a
   * reference made through it borrows that place (the borrow checker), as `ref xs[i]` borrows all of `xs` */
  readonly pointsInto?: Place;
}

export type Projection =
  /** field `index` of a struct, tuple or closure environment (declaration order) */
  | { readonly k: 'field'; readonly index: number }
  /** field `index` of the payload of enum variant `variant`; the place must hold that variant */
  | { readonly k: 'variant'; readonly variant: number; readonly index: number }
  /** through a `ref`/`mut ref`/raw pointer */
  | { readonly k: 'deref' }
  /** array element; bounds are checked by explicit MIR before this projection is used */
  | { readonly k: 'index'; readonly index: LocalId };

export interface Place {
  readonly local: LocalId;
  readonly proj: readonly Projection[];
}

export type ConstValue =
  | { readonly k: 'int'; readonly value: bigint }
  | { readonly k: 'float'; readonly value: number }
  | { readonly k: 'bool'; readonly value: boolean }
  | { readonly k: 'char'; readonly value: number }
  /** a static Str literal (refcount sentinel, never freed) */
  | { readonly k: 'str'; readonly value: string }
  | { readonly k: 'unit' }
  | { readonly k: 'null' }
  /** the all-zero value of the operand's type (used for uninitialised-but-never-read slots) */
  | { readonly k: 'zero' }
  /** a named function used as a value of `func` type: a closure value with a thunk and no environment */
  | { readonly k: 'fn'; readonly symbol: string }
  /** pointer to a constant TmlLoc {file, line, col}; operand type is `*U8` */
  | { readonly k: 'loc'; readonly span: Span }
  /** pointer to a constant TmlAllocSite {loc, type_name}; operand type is `*U8` */
  | { readonly k: 'site'; readonly span: Span; readonly typeName: string }
  /** pointer to a constant NUL-terminated C string; operand type is `*U8` */
  | { readonly k: 'cstr'; readonly value: string }
  /** the address of program global `symbol` (a static field, a class pool); operand type is `*T` */
  | { readonly k: 'global'; readonly symbol: string }
  /** the address of MIR function `symbol` as `*U8` (a C callback: task bodies, drop glue) */
  | { readonly k: 'fnptr'; readonly symbol: string }
  /** the address of vtable `symbol` as `*U8` */
  | { readonly k: 'vtable'; readonly symbol: string }
  /** size in bytes of a type (from the target DataLayout); operand type is I64 */
  | { readonly k: 'sizeof'; readonly of: Type }
  /** alignment in bytes of a type; operand type is I64 */
  | { readonly k: 'alignof'; readonly of: Type };

/** `span`, when present, is the source expression the operand reads (for the move checker's messages). */
export type Operand =
  | { readonly k: 'copy'; readonly place: Place; readonly span?: Span }
  | { readonly k: 'move'; readonly place: Place; readonly span?: Span }
  | { readonly k: 'const'; readonly value: ConstValue; readonly ty: Type };

export type BinOp = 'add' | 'sub' | 'mul' | 'div' | 'rem' | 'and' | 'or' | 'xor' | 'shl' | 'shr' | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';
export type CheckedOp = 'add' | 'sub' | 'mul';

export type AggregateKind =
  | { readonly k: 'tuple' }
  | { readonly k: 'struct' } // the destination's struct type; operands in field order
  | { readonly k: 'variant'; readonly variant: number } // the destination's enum type
  | { readonly k: 'union'; readonly field: number } // the destination's union type; one operand: that field's value
  | { readonly k: 'array' }
  /** a closure value: `fn` is the closure body (first parameter: the environment pointer); operands are the
   * captured values in environment order; `envDrop` is the glue that drops the captures (null when none needs
   * dropping); no operands → null env */
  | { readonly k: 'closure'; readonly fn: string; readonly envTy: Type; readonly envDrop: string | null };

export type Rvalue =
  | { readonly k: 'use'; readonly op: Operand }
  /** integer/float/bool arithmetic and comparison, without overflow checks; signedness from the operand type;
   * shifts take the count modulo the bit width (checks, when wanted, are explicit MIR before) */
  | { readonly k: 'binary'; readonly op: BinOp; readonly left: Operand; readonly right: Operand }
  /** (result, overflowed: Bool) — the destination is a 2-tuple */
  | { readonly k: 'checked'; readonly op: CheckedOp; readonly left: Operand; readonly right: Operand }
  | { readonly k: 'unary'; readonly op: 'neg' | 'not'; readonly operand: Operand } // not: bitwise on ints, logical on Bool
  /** numeric ↔ numeric (float→int saturating), Char ↔ int, Bool → int, pointer ↔ pointer, pointer ↔ int */
  | { readonly k: 'cast'; readonly operand: Operand; readonly to: Type }
  /** address of a place: a `ref`/`mut ref` (or raw pointer when `raw`). `twoPhase`: the auto-ref of a `mut this`
   * receiver, only reserved (a shared borrow) until the call that uses it (MEMORY.md §3, two-phase borrows) */
  | { readonly k: 'ref'; readonly place: Place; readonly mutable: boolean; readonly raw: boolean; readonly twoPhase?: boolean }
  | { readonly k: 'aggregate'; readonly kind: AggregateKind; readonly ops: readonly Operand[] }
  /** the raw pointer `base` (a `*T`) advanced by `index` (I64) elements of T: an LLVM `getelementptr`, so alias
   * analysis still sees which object the result points into (pointer → integer → pointer arithmetic hides it).
   * `inbounds`: the result is known to stay inside that object (an element a bounds check admitted); the user's
   * `p.offset(n)` is not, and keeps wrapping address arithmetic */
  | { readonly k: 'offset'; readonly base: Operand; readonly index: Operand; readonly inbounds: boolean }
  /** the variant index (I32) of an enum place */
  | { readonly k: 'discriminant'; readonly place: Place }
  /** a thin pointer/reference to a concrete T made into a fat pointer/reference to `dyn B` (the destination's type):
   * { data: the pointer as *U8, vtable: the address of vtable `vtable` } */
  | { readonly k: 'unsize'; readonly operand: Operand; readonly vtable: string };

export type Callee =
  /** a MIR function of this program, by symbol */
  | { readonly k: 'fn'; readonly symbol: string }
  /** a C function (runtime or FFI); its LLVM signature comes from the argument and destination types */
  | { readonly k: 'extern'; readonly symbol: string; readonly ret: Type }
  /** a closure value of `func` type: call its function pointer with its environment first */
  | { readonly k: 'closure'; readonly value: Operand }
  /** dynamic dispatch: `object` is a fat pointer/reference to `dyn B`; calls the function in slot `slot` of its
   * vtable with the data pointer first, then the arguments; `ret` is the result type */
  | { readonly k: 'virtual'; readonly object: Operand; readonly slot: number; readonly ret: Type }
  /** a class method through a vtable: calls the function in slot `slot` of the table `vtable` (a `*U8`) with the
   * arguments as given (the receiver first: a `ref` to the class reference) */
  | { readonly k: 'slot'; readonly vtable: Operand; readonly slot: number; readonly ret: Type };

export type Statement =
  | { readonly k: 'assign'; readonly place: Place; readonly rvalue: Rvalue; readonly span: Span }
  /** dest: null discards the result (or the callee returns Unit/Never) */
  | { readonly k: 'call'; readonly dest: Place | null; readonly callee: Callee; readonly args: readonly Operand[]; readonly span: Span; readonly noReturn: boolean }
  /** run the drop glue of the place's type; with `flag`, only when that Bool local is true */
  | { readonly k: 'drop'; readonly place: Place; readonly flag: LocalId | null; readonly span: Span }
  /** add one reference to the runtime-managed parts of the value at `place` (its retain glue) */
  | { readonly k: 'retain'; readonly place: Place; readonly span: Span }
  /** the value at `place` is moved out of its scope's drop responsibility; a marker for drop elaboration */
  | { readonly k: 'nop' };

export type Terminator =
  | { readonly k: 'goto'; readonly target: BlockId }
  | { readonly k: 'branch'; readonly cond: Operand; readonly then: BlockId; readonly else: BlockId }
  | { readonly k: 'switch'; readonly discr: Operand; readonly cases: readonly { value: bigint; target: BlockId }[]; readonly otherwise: BlockId }
  | { readonly k: 'return' } // returns local 0
  | { readonly k: 'unreachable' };

export interface BasicBlock {
  readonly id: BlockId;
  stmts: Statement[];
  term: Terminator;
  /** where the terminator comes from (for debug locations) */
  termSpan: Span | null;
}

export interface MirFunction {
  readonly symbol: string;
  /** human name for diagnostics and --emit=mir, e.g. `Point::new`, `largest[I32]` */
  readonly displayName: string;
  readonly kind: 'fn' | 'closure' | 'drop-glue' | 'retain-glue' | 'thunk' | 'test';
  /** local 0 is the return place; locals 1..argCount are the arguments, in order */
  readonly locals: LocalDecl[];
  readonly argCount: number;
  readonly retTy: Type;
  readonly blocks: BasicBlock[];
  readonly span: Span;
  /** visible outside the module (entry point, tests); everything else is internal */
  readonly exported: boolean;
  /** a constructor: the local holding the object being built, which no reference from elsewhere can reach yet */
  readonly freshObject?: LocalId;
  /** the spans of its `lowlevel` blocks, where raw-memory code is the programmer's responsibility */
  readonly lowlevel?: readonly Span[];
  /** lines printed above the function by --emit=mir (an async function's state layout) */
  readonly notes?: readonly string[];
  /** an `async func` body before the state-machine pass (mir/async_lower.ts): the `Future[T]` its callers get */
  readonly asyncFuture?: Type;
}

/** A vtable: a constant table of function addresses, one per slot. Slot 0 is always the drop glue of the concrete
 * type (a function taking a `mut ref T`); the others are the behavior's methods in declaration order (each taking
 * the `ref T`/`mut ref T` receiver first). Fat pointers (`ref dyn B`, `mut ref dyn B`, `*dyn B`) are
 * { data: *U8, vtable: *U8 }: field 0 and field 1 of such a place read them. A place `(*p)` with `p` a fat pointer
 * denotes the object: only `ref`/`drop` of it (whose reference is `p` itself) and virtual calls use it. */
export interface MirVtable {
  readonly symbol: string;
  readonly slots: readonly string[];
  /** for --emit=mir and debugging: `Cat as dyn Describe` */
  readonly displayName: string;
  /** a class's own vtable: the class instance type whose objects carry it (devirtualisation) */
  readonly cls?: Type;
}

/** A mutable program global, zero-initialised: static fields (set by the statics initialiser before `main`, dropped
 * after it) and class pools. */
export interface MirGlobal {
  readonly symbol: string;
  readonly ty: Type;
  readonly displayName: string;
}

export interface MirExtern {
  readonly symbol: string;
  readonly params: readonly Type[];
  readonly ret: Type;
}

export interface MirProgram {
  readonly functions: MirFunction[];
  /** FFI functions declared by the program (`lowlevel func`, `@extern`) */
  readonly externs: MirExtern[];
  readonly vtables: MirVtable[];
  readonly globals: MirGlobal[];
  /** functions run before the entry (or a test) and after it: static fields' initialisation and drops */
  readonly staticInit: string | null;
  readonly staticDrop: string | null;
  /** symbol of the user's `main`, and whether it returns I32 (its value is the exit status) */
  readonly entry: { readonly symbol: string; readonly returnsI32: boolean } | null;
  /** tests (for the test harness): name → symbol and how the result is judged */
  readonly tests: readonly MirTest[];
  readonly sources: SourceMap;
}

export interface MirTest {
  readonly name: string;
  readonly symbol: string;
  readonly returns: 'unit' | 'i32' | 'outcome';
  readonly shouldPanic: { readonly expected: string | null } | null;
  readonly ignored: boolean;
  readonly span: Span;
}

// ---------- helpers ----------

export function place(local: LocalId, ...proj: Projection[]): Place {
  return { local, proj };
}

export function placeEquals(a: Place, b: Place): boolean {
  if (a.local !== b.local || a.proj.length !== b.proj.length) return false;
  return a.proj.every((p, i) => {
    const q = b.proj[i]!;
    if (p.k !== q.k) return false;
    if (p.k === 'field') return p.index === (q as typeof p).index;
    if (p.k === 'variant') return p.variant === (q as typeof p).variant && p.index === (q as typeof p).index;
    if (p.k === 'index') return p.index === (q as typeof p).index;
    return true;
  });
}

/** The blocks a terminator may jump to (a switch's cases in order, then its `otherwise`). */
export function terminatorTargets(t: Terminator): number[] {
  switch (t.k) {
    case 'goto':
      return [t.target];
    case 'branch':
      return [t.then, t.else];
    case 'switch':
      return [...t.cases.map((c) => c.target), t.otherwise];
    default:
      return [];
  }
}
