// Definitions collected from every module of a program: functions, impls, behaviors, consts, and the scopes
// that name them. These are the checker's tables; the typed bodies it produces refer to them.
import type * as ast from '../syntax/ast.js';
import type { Span } from '../syntax/source.js';
import type { AdtDef, BehaviorDef, BehaviorRef, ParamType, Type } from './types.js';

/** How a method receives `this`. `borrow` (class and interface methods): the class reference itself, neither
 * retained by the caller nor released by the method; the caller guarantees the object outlives the call. */
export type Receiver = null | 'ref' | 'mutref' | 'value' | 'borrow';

export interface FuncDef {
  readonly name: string;
  /** module-qualified path for mangling and messages: `main::Point::new` */
  readonly path: string;
  readonly decl: ast.FuncDecl | null; // null for compiler-made functions
  /** impl params first, then the function's own (behavior default methods: `This` first) */
  readonly typeParams: ParamType[];
  /** the function's own type params (a suffix of typeParams), for explicit instantiation `f[I32](…)` */
  readonly ownParams: ParamType[];
  bounds: Bound[];
  params: { name: string; ty: Type; span: Span }[];
  ret: Type;
  readonly receiver: Receiver;
  /** the `This` type of a method: the impl target (or the behavior's `This` param) */
  selfType: Type | null;
  readonly impl: ImplDef | null;
  readonly behavior: BehaviorDef | null;
  readonly module: ModuleScope;
  /** external C function: its symbol */
  readonly externSymbol: string | null;
  readonly isLowlevel: boolean;
  readonly attrs: ast.Attribute[];
  readonly span: Span;
  /** an `async func`: `ret` is its signature's `Future[T]`, and this is the `T` its body produces (MEMORY.md §8.1) */
  asyncRet?: Type;
  /** a class constructor: `this` is the object being built; `Class::new(…)` picks one by arity */
  ctor?: {
    readonly cls: AdtDef;
    readonly index: number;
    readonly baseArgs: ast.Expr[] | null;
    /** `-> Outcome[This, E]`: the error type E (the constructor's own `ret` is then `Outcome[Unit, E]`) */
    failure: Type | null;
  };
}

/** `T: Ord` — a param (or any type mentioning params) must implement a behavior. */
export interface Bound {
  readonly ty: Type;
  readonly behavior: BehaviorRef;
}

export interface ImplDef {
  readonly typeParams: ParamType[];
  bounds: Bound[];
  behavior: BehaviorRef | null;
  target: Type;
  readonly methods: Map<string, FuncDef>;
  readonly assocTypes: Map<string, Type>;
  /** associated constants (`impl I32 { const MAX: I32 = … }`), used as `I32::MAX` */
  readonly consts: Map<string, ConstDef>;
  readonly module: ModuleScope;
  readonly span: Span;
  readonly decl: Extract<ast.Item, { kind: 'Impl' }> | null;
}

export interface ConstDef {
  readonly name: string;
  readonly decl: Extract<ast.Item, { kind: 'Const' }>;
  /** the impl of an associated constant */
  readonly impl?: ImplDef;
  ty: Type;
  readonly module: ModuleScope;
  /** the value as a function of no arguments: checked like any body, called where the constant is used */
  fn: FuncDef | null;
}

/** What a name in a module scope refers to. */
export type Binding =
  | { readonly k: 'type'; readonly ty: Type } // primitives, aliases, ADTs without args written
  | { readonly k: 'adt'; readonly def: AdtDef }
  | { readonly k: 'behavior'; readonly def: BehaviorDef }
  | { readonly k: 'fn'; readonly def: FuncDef }
  | { readonly k: 'const'; readonly def: ConstDef }
  | { readonly k: 'variant'; readonly adt: AdtDef; readonly index: number }
  | { readonly k: 'module'; readonly scope: ModuleScope }
  | { readonly k: 'alias'; readonly params: ParamType[]; readonly ty: Type; readonly decl: ast.TypeExpr | null };

export interface ModuleScope {
  readonly path: string; // "main", "std::io", "core::prelude"
  readonly file: string;
  readonly names: Map<string, Binding>;
  /** unit and tuple variants reachable unqualified (`Just`, `Red`) when unambiguous */
  readonly variants: Map<string, { adt: AdtDef; index: number }[]>;
  readonly ast: ast.Module;
  /** part of the standard library (which may use `lowlevel` freely and return `Maybe[ref V]`) */
  readonly isStd: boolean;
  /** the names other modules may use: its `pub` items and `pub use` imports (sema/visibility.ts) */
  readonly exported: Set<string>;
}

/** The whole program's tables. */
export class ProgramDefs {
  readonly modules = new Map<string, ModuleScope>();
  readonly functions: FuncDef[] = [];
  readonly impls: ImplDef[] = [];
  readonly adts: AdtDef[] = [];
  readonly behaviors: BehaviorDef[] = [];
  /** ADT → its `impl Drop` (at most one) */
  readonly dropImpls = new Map<AdtDef, ImplDef>();
  /** library definitions the checker and lowering refer to by name (Maybe, Outcome, Ordering, Display, …) */
  readonly lang = new Map<string, AdtDef | BehaviorDef>();
  prelude: ModuleScope | null = null;
  /** set when collection is over: impls and their methods no longer change (impls.ts indexes them then) */
  complete = false;
  /** ids of type parameters with a bound that could not be resolved (reported): what they can do is unknown, so
   * sema reports nothing about them (sema/error_type.ts) */
  readonly erroneousParams = new Set<number>();

  langAdt(name: string): AdtDef {
    const d = this.lang.get(name);
    if (!d || !('kind' in d)) throw new Error(`internal: library type ${name} is missing`);
    return d;
  }
  langBehavior(name: string): BehaviorDef | null {
    const d = this.lang.get(name);
    return d && !('kind' in d) ? d : null;
  }
}
