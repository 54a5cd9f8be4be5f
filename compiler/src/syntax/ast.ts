// The abstract syntax tree. Plain data: discriminated unions on `kind`, every node has a unique `id` (used by
// later layers as a key for side tables: types, resolutions) and a `span`. The parser never resolves names:
// a bare identifier is an `Ident` pattern or a `Path` expression; the checker decides what it denotes.
import type { Span } from './source.js';

let nextNodeId = 1;
/** A fresh node id; ids are unique within the process. */
export function newId(): number {
  return nextNodeId++;
}
/** Whether a function declaration has a body, without reading it: the standard library's bodies loaded from the
 * parse cache are parsed when first read (sema/parse_cache.ts keeps them as accessors until then, and only
 * non-null bodies are kept that way), and most are never needed. */
export function hasBody(d: FuncDecl): boolean {
  return Object.getOwnPropertyDescriptor(d, 'body')?.get !== undefined || (d.body !== null && d.body !== undefined);
}

/** The id the next node will get (a parse uses the ids from here on, contiguously). */
export function nextIdMark(): number {
  return nextNodeId;
}
/** Uses up `count` ids: a module loaded from the parse cache takes the ids its parse would have taken. */
export function takeIds(count: number): void {
  nextNodeId += count;
}

interface Node {
  readonly id: number;
  readonly span: Span;
}

// ---------- names and types ----------

/** One segment of a path: `List[I32]` in `List[I32]::new` is { name: "List", args: [I32] }. */
export interface PathSegment {
  readonly name: string;
  readonly args: TypeExpr[] | null; // null: no brackets written
  readonly span: Span;
}

export type TypeExpr =
  | (Node & { kind: 'PathType'; segments: PathSegment[] }) // I32, List[T], Maybe[Str], core::alloc::heap::Heap[T], This, This::Item
  | (Node & { kind: 'RefType'; mutable: boolean; inner: TypeExpr }) // ref T, mut ref T
  | (Node & { kind: 'PtrType'; inner: TypeExpr }) // *T, Ptr[T] is a PathType resolved by the checker
  | (Node & { kind: 'TupleType'; elems: TypeExpr[] }) // (A, B); () is the unit type
  | (Node & { kind: 'ArrayType'; elem: TypeExpr; size: Expr }) // [T; N]
  | (Node & { kind: 'FuncType'; params: TypeExpr[]; ret: TypeExpr | null }) // func(A) -> R
  | (Node & { kind: 'DynType'; behavior: TypeExpr }) // dyn Describe
  | (Node & { kind: 'ImplType'; behavior: TypeExpr }) // impl Iterator
  | (Node & { kind: 'InferType' }); // _

export interface TypeParam {
  readonly name: string;
  readonly bounds: TypeExpr[]; // T: Ord + Display
  readonly span: Span;
}

export interface WherePredicate {
  readonly type: TypeExpr;
  readonly bounds: TypeExpr[];
}

/** `@name` or `@name(args)`; `@should_panic(expected = "boom")` has args [Assign(expected, "boom")]. */
export interface Attribute {
  readonly name: string;
  readonly args: Expr[];
  readonly span: Span;
}

// ---------- patterns ----------

export type Pattern =
  | (Node & { kind: 'WildcardPat' }) // _
  | (Node & { kind: 'IdentPat'; name: string; mutable: boolean }) // x, mut x (a unit variant if one is in scope)
  | (Node & { kind: 'LiteralPat'; value: Expr }) // 1, -1, 'a', "s", true, 1.5
  | (Node & { kind: 'RangePat'; lo: Expr; hi: Expr; inclusive: boolean }) // 1 through 9, 'a' to 'z'
  | (Node & { kind: 'TuplePat'; elems: Pattern[] })
  | (Node & { kind: 'ArrayPat'; elems: Pattern[] }) // may contain one RestPat
  | (Node & { kind: 'RestPat'; binding: string | null }) // `..` or `..rest` inside array/tuple patterns
  | (Node & { kind: 'VariantPat'; path: PathSegment[]; args: Pattern[] }) // Just(x), Shape::Rect(w, h)
  | (Node & { kind: 'PathPat'; path: PathSegment[] }) // Color::Red (qualified, no parens)
  | (Node & { kind: 'StructPat'; path: PathSegment[]; fields: FieldPat[]; rest: boolean }) // Point { x, y: py, .. }
  | (Node & { kind: 'OrPat'; alts: Pattern[] });

export interface FieldPat {
  readonly name: string;
  readonly pattern: Pattern; // shorthand `x` is IdentPat x
  readonly span: Span;
}

// ---------- expressions ----------

export type BinaryOp =
  | '+' | '-' | '*' | '/' | '%'
  | '==' | '!=' | '<' | '>' | '<=' | '>='
  | 'and' | 'or'
  | '&' | '|' | '^' | '<<' | '>>';

export type AssignOp = '=' | '+=' | '-=' | '*=' | '/=' | '%=' | '&=' | '|=' | '^=' | '<<=' | '>>=';

export type UnaryOp = '-' | 'not' | '~' | '*' | 'ref' | 'mutref' | '&';

/** A piece of an interpolated string: literal text or `{expr}`. */
export type InterpPart = { kind: 'text'; text: string } | { kind: 'expr'; expr: Expr };

export interface ClosureParam {
  readonly pattern: Pattern;
  readonly type: TypeExpr | null;
  readonly span: Span;
}

export interface FieldInit {
  readonly name: string;
  readonly value: Expr; // shorthand `Point { x }` has value Path(x)
  readonly span: Span;
}

export interface WhenArm {
  readonly pattern: Pattern;
  readonly guard: Expr | null;
  readonly body: Expr;
  readonly span: Span;
}

export type Expr =
  | (Node & { kind: 'IntLit'; value: bigint; suffix: string | null }) // suffix like "u8", "i64"
  | (Node & { kind: 'FloatLit'; value: number; suffix: string | null })
  | (Node & { kind: 'StrLit'; value: string }) // escapes processed; raw strings too
  | (Node & { kind: 'InterpStr'; parts: InterpPart[] })
  | (Node & { kind: 'CharLit'; value: number }) // Unicode scalar value
  | (Node & { kind: 'BoolLit'; value: boolean })
  | (Node & { kind: 'NullLit' })
  | (Node & { kind: 'UnitLit' }) // ()
  | (Node & { kind: 'Path'; segments: PathSegment[] }) // x, Point::new, List[I32]::new, Color::Red, identity[I32], this
  | (Node & { kind: 'Binary'; op: BinaryOp; left: Expr; right: Expr })
  | (Node & { kind: 'Unary'; op: UnaryOp; operand: Expr })
  | (Node & { kind: 'Assign'; op: AssignOp; target: Expr; value: Expr })
  | (Node & { kind: 'Call'; callee: Expr; args: Expr[] })
  | (Node & { kind: 'MethodCall'; receiver: Expr; name: string; nameSpan: Span; typeArgs: TypeExpr[] | null; args: Expr[] })
  | (Node & { kind: 'Field'; object: Expr; name: string; nameSpan: Span }) // p.x, t.0 (name "0")
  | (Node & { kind: 'Index'; object: Expr; index: Expr }) // a[i]
  | (Node & { kind: 'Try'; operand: Expr }) // postfix !
  | (Node & { kind: 'Cast'; operand: Expr; type: TypeExpr }) // x as T
  | (Node & { kind: 'Is'; operand: Expr; type: TypeExpr }) // x is T
  | (Node & { kind: 'Range'; start: Expr; end: Expr; inclusive: boolean }) // a to b, a through b
  | (Node & { kind: 'If'; cond: Expr; then: Expr; else: Expr | null }) // `then` form and block form; else-if is an If in else
  | (Node & { kind: 'IfLet'; pattern: Pattern; scrutinee: Expr; then: Expr; else: Expr | null })
  | (Node & { kind: 'Ternary'; cond: Expr; then: Expr; else: Expr }) // c ? a : b
  | (Node & { kind: 'When'; scrutinee: Expr; arms: WhenArm[]; keywordSpan: Span })
  | (Node & { kind: 'Loop'; cond: Expr | null; decl: LoopDecl | null; body: Block }) // loop {}, loop (c) {}, loop (var i: I32 < 5) {}
  | (Node & { kind: 'While'; cond: Expr; body: Block })
  | (Node & { kind: 'For'; pattern: Pattern; iter: Expr; body: Block }) // for x in ref list, for i in 0 to n
  | (Node & { kind: 'Block'; block: Block })
  | (Node & { kind: 'Lowlevel'; block: Block })
  | (Node & { kind: 'Closure'; params: ClosureParam[]; ret: TypeExpr | null; body: Expr; isMove: boolean })
  | (Node & { kind: 'StructLit'; path: PathSegment[]; fields: FieldInit[]; base: Expr | null }) // Point { x: 1, ..p }
  | (Node & { kind: 'Tuple'; elems: Expr[] })
  | (Node & { kind: 'ArrayLit'; elems: Expr[] })
  | (Node & { kind: 'ArrayRepeat'; value: Expr; count: Expr }) // [0; 64]
  | (Node & { kind: 'Return'; value: Expr | null })
  | (Node & { kind: 'Break'; value: Expr | null })
  | (Node & { kind: 'Continue' })
  | (Node & { kind: 'Await'; operand: Expr }) // accepted by the parser; the checker rejects it for now
  | (Node & { kind: 'Error' }); // placeholder after a parse error

/** `loop (var i: I32 < 5)`: declares `i` (initialised to 0) and loops while the condition holds. */
export interface LoopDecl {
  readonly name: string;
  readonly type: TypeExpr | null;
  readonly span: Span;
}

export interface Block {
  readonly id: number;
  readonly span: Span;
  readonly stmts: Stmt[];
  /** The final expression without `;`, whose value is the block's value. */
  readonly tail: Expr | null;
}

// ---------- statements ----------

export type Stmt =
  | (Node & { kind: 'Let'; pattern: Pattern; mutable: boolean; type: TypeExpr | null; init: Expr | null; elseBlock: Block | null })
  | (Node & { kind: 'ExprStmt'; expr: Expr; semi: boolean })
  | (Node & { kind: 'Defer'; expr: Expr })
  | (Node & { kind: 'ItemStmt'; item: Item }); // nested func/const/type

// ---------- items ----------

/** `this`/`mut this`, `this: ref This`/`this: mut ref This`; `this: This` consumes the receiver (byValue). */
export type Receiver = null | { mutable: boolean; span: Span; byValue?: boolean };

export interface Param {
  readonly pattern: Pattern; // usually IdentPat
  readonly type: TypeExpr;
  readonly span: Span;
}

export interface FuncDecl extends Node {
  readonly kind: 'Func';
  readonly name: string;
  readonly nameSpan: Span;
  readonly isPub: boolean;
  readonly attrs: Attribute[];
  readonly typeParams: TypeParam[];
  readonly receiver: Receiver;
  readonly params: Param[];
  readonly ret: TypeExpr | null; // null: Unit
  readonly where: WherePredicate[];
  readonly body: Block | null; // null: external (lowlevel func / @extern) or required behavior method
  readonly isLowlevel: boolean; // `lowlevel func` (body-less: FFI; with body: a lowlevel context)
  readonly isAsync: boolean;
  /** class members: */
  readonly modifiers: MethodModifier[];
}

export type MethodModifier = 'virtual' | 'override' | 'abstract' | 'static' | 'sealed';

export interface StructField {
  readonly name: string;
  readonly type: TypeExpr;
  readonly default: Expr | null;
  readonly isPub: boolean;
  readonly span: Span;
}

export type VariantShape =
  | { kind: 'unit' }
  | { kind: 'tuple'; types: TypeExpr[] }
  | { kind: 'struct'; fields: StructField[] };

export interface Variant {
  readonly name: string;
  readonly shape: VariantShape;
  readonly span: Span;
}

export interface ClassField extends StructField {
  readonly isStatic: boolean;
}

export interface Constructor {
  readonly params: Param[];
  readonly baseArgs: Expr[] | null; // `: base(a, b)`
  readonly ret: TypeExpr | null; // `-> Outcome[This, E]`: a constructor that can fail
  readonly body: Block;
  readonly isPub: boolean;
  readonly attrs: Attribute[]; // e.g. `@track_caller`
  readonly span: Span;
}

export type Item =
  | FuncDecl
  | (Node & { kind: 'Struct'; name: string; nameSpan: Span; isPub: boolean; attrs: Attribute[]; typeParams: TypeParam[]; fields: StructField[] })
  | (Node & { kind: 'Enum'; name: string; nameSpan: Span; isPub: boolean; attrs: Attribute[]; typeParams: TypeParam[]; variants: Variant[] })
  | (Node & { kind: 'Union'; name: string; nameSpan: Span; isPub: boolean; attrs: Attribute[]; fields: StructField[] })
  | (Node & { kind: 'TypeAlias'; name: string; nameSpan: Span; isPub: boolean; typeParams: TypeParam[]; type: TypeExpr })
  | (Node & { kind: 'Const'; name: string; nameSpan: Span; isPub: boolean; type: TypeExpr; value: Expr })
  | (Node & { kind: 'Use'; path: string[]; items: UseItem[] | 'glob' | null; isPub: boolean }) // use a::b, use a::{X, Y}, use a::*
  | (Node & {
      kind: 'Behavior';
      name: string;
      nameSpan: Span;
      isPub: boolean;
      attrs: Attribute[];
      typeParams: TypeParam[];
      supers: TypeExpr[];
      assocTypes: AssocTypeDecl[];
      methods: FuncDecl[];
    })
  | (Node & {
      kind: 'Impl';
      attrs: Attribute[];
      typeParams: TypeParam[];
      behavior: TypeExpr | null; // impl B for T
      target: TypeExpr;
      where: WherePredicate[];
      assocTypes: AssocTypeDef[];
      /** associated constants: `const MAX: I32 = 2147483647`, used as `I32::MAX` */
      consts: Extract<Item, { kind: 'Const' }>[];
      methods: FuncDecl[];
    })
  | (Node & {
      kind: 'Class';
      name: string;
      nameSpan: Span;
      isPub: boolean;
      attrs: Attribute[]; // @value, @pool, @pool(thread_local), @sync
      typeParams: TypeParam[];
      isAbstract: boolean;
      isSealed: boolean;
      base: TypeExpr | null; // extends
      interfaces: TypeExpr[]; // implements
      fields: ClassField[];
      constructors: Constructor[];
      methods: FuncDecl[];
    })
  | (Node & {
      kind: 'Interface';
      name: string;
      nameSpan: Span;
      isPub: boolean;
      typeParams: TypeParam[];
      supers: TypeExpr[];
      methods: FuncDecl[];
    })
  | (Node & { kind: 'Mod'; name: string; isPub: boolean; items: Item[] | null }); // `mod x` (file) or `mod x { … }`

export interface UseItem {
  readonly name: string;
  readonly alias: string | null;
  readonly span: Span;
}

export interface AssocTypeDecl {
  readonly name: string;
  readonly bounds: TypeExpr[];
  readonly span: Span;
}

export interface AssocTypeDef {
  readonly name: string;
  readonly type: TypeExpr;
  readonly span: Span;
}

/** One parsed file. */
export interface Module {
  readonly path: string;
  readonly items: Item[];
  /** the parse stopped at the nesting limit (E0030): the file is not checked */
  readonly stopped?: boolean;
}
