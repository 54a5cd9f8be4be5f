// Items: modules, imports, impls, attributes, derives, `@flags`, unions and `main`. One entry a code: see code_info.ts for what each field is for.
import type { CodeInfo } from './code_info.js';

export const ITEM_CODES = {
  E0046: {
    title: 'behavior items not implemented',
    explanation:
      'An `impl Behavior for Type` must define every method of the behavior that has no default body. Add the missing methods (the message names them).',
    example: `behavior Shape {
    func area(this) -> F64
    func name(this) -> Str { "shape" }
}

type Square { side: F64 }

impl Shape for Square {
    func name(this) -> Str { "square" }
}

func main() {
    let s = Square { side: 2.0 }
    println(s.name())
}
`,
  },
  E0119: {
    title: 'conflicting implementations',
    explanation:
      'A behavior is implemented twice for the same type (also through `@derive` and a hand-written `impl`). Keep one implementation.',
    example: `behavior Tag { func tag(this) -> Str }
impl Tag for U8 { func tag(this) -> Str { "a" } }
impl Tag for I8 { func tag(this) -> Str { "i8" } }
impl Tag for U8 { func tag(this) -> Str { "b" } }
func main() {
    println((1 as U8).tag())
}
`,
  },
  E0120: {
    title: '`Drop` implemented for something that is not a struct or enum',
    explanation:
      '`Drop` runs when an owned value of a nominal type goes away, so it can only be implemented for a struct or enum declared in the program, not for a tuple, primitive or behavior. Wrap the value in a struct and implement `Drop` for that.',
    example: `impl Drop for (I32, I32) {
    func drop(mut this) {}
}

func main() {}
`,
  },
  E0201: {
    title: 'duplicate definitions in an impl',
    explanation:
      'An `impl` (or class) defines two methods or associated constants with the same name. Rename or remove one; TML has no overloading by parameter types.',
    example: `type P { x: I32 }

impl P {
    func get(this) -> I32 { this.x }
    func get(this) -> I32 { 0 }
}

func main() {}
`,
  },
  E0407: {
    title: 'method is not a member of the behavior',
    explanation:
      'An `impl Behavior for Type` defines a method that the behavior does not declare. Move the method to an inherent `impl Type`, or fix its name.',
    example: `behavior Named { func name(this) -> Str }

type P { x: I32 }

impl Named for P {
    func name(this) -> Str { "p" }
    func age(this) -> I32 { 1 }
}

func main() {}
`,
  },
  E0428: {
    title: 'name defined multiple times',
    explanation:
      'Two items in the same module have the same name. Rename one of them.',
    example: `func helper() -> I32 { 1 }

func helper() -> I32 { 2 }

func main() {
    println(helper())
}
`,
  },
  E0432: {
    title: 'unresolved import',
    explanation:
      'A `use` names a module or item that cannot be found: no file `NAME.tml` next to the importing file or in the standard library, or no such item in that module. Check the path.',
    example: `use core::intrinsics::{size_of, field_count}

func main() {}
`,
  },
  E0580: {
    title: 'invalid `main` signature',
    explanation:
      '`main` is the program\'s entry point: it is `func main()` or `func main() -> I32` (its exit status), never `async` and without parameters. Change its signature; to run async code from `main`, use `block_on`.',
    example: `func main() -> Str {
    "done"
}
`,
  },
  E0592: {
    title: 'duplicate method definitions for a type',
    explanation:
      'Two `impl` blocks of the same type define a method with the same name. Rename or remove one.',
    example: `impl I32 {
    const MAX: I32 = 100
}

func main() {
    println(I32::MAX)
}
`,
  },
  E0601: {
    title: '`main` function not found',
    explanation:
      'A program that is built or run needs a `func main()`. Add one, or use `tmlc check` for a file that is only a module.',
    example: `func helper() -> I32 { 42 }
`,
  },
  E0603: {
    title: 'item is private to its module',
    explanation:
      'An item of one of the program\'s modules can be used from another module only when it is declared `pub`; a plain `use` inside a module is not re-exported either (`pub use` is). Mark the item `pub` in the module that defines it, or use a `pub` item instead. The standard library\'s modules are not subject to this rule.',
    example: `use util

func main() {
    println(util::helper())
}
`,
  },
  E0787: {
    title: 'function without a body',
    explanation:
      'Only a `lowlevel func` (an external C function) or an `@extern` function may be declared without a body. Give the function a `{ … }` body, or declare it `lowlevel` if it is implemented in C.',
    example: `func helper() -> I32

func main() {
    println(helper())
}
`,
  },
  E0610: {
    title: 'invalid `@deref` / `@map` attribute',
    explanation:
      '`@deref(f, …)` and `@map(entries)` are library attributes that describe how a type reaches its contents: `@deref` needs a raw-pointer field `f` (and fields that exist in the pointee), `@map` a field `entries`. Fix the attribute\'s arguments, or remove it.',
    example: `@deref(ptr)
type Boxed { n: I32 }

func main() {}
`,
  },
  E0731: {
    title: '`@send` is a library attribute',
    explanation:
      '`@send` promises that a type may be moved to another thread even though it holds raw pointers; only the standard library can make that promise. Remove the attribute and build the type from fields that are `Send` (such as `Shared`, `Mutex`, `Channel`).',
    example: `@send
type Handle { p: *U8 }

func main() { }
`,
  },
  E0734: {
    title: 'unknown attribute',
    explanation:
      'The attribute name is not one TML knows. Check its spelling against the attribute list in the language reference.',
    example: `@tset
func adds() {
    assert(1 + 1 == 2)
}

func main() {}
`,
  },
  E0735: {
    title: 'attribute not allowed on this item',
    explanation:
      'A known attribute was written on an item where it means nothing (for example `@test` on a type, `@value` on a function). Remove it, or put it on the kind of item it applies to.',
    example: `@test
type P { x: I64 }

func main() {}
`,
  },
  E0737: {
    title: 'associated constant outside an inherent impl',
    explanation:
      'Associated constants (`const NAME: T = …` inside an `impl`) are allowed only in an inherent `impl Type` of a non-generic type, not in a behavior impl. Move the constant there, or make it a module-level `const`.',
    example: `type Meters { v: F64 }

impl Display for Meters {
    const UNIT: Str = "m"
    func to_string(this) -> Str { "{this.v}" }
}

func main() {
    println(Meters { v: 1.0 })
}
`,
  },
  E0760: {
    title: '`@derive` without behaviors',
    explanation:
      '`@derive` needs the list of behaviors to derive, as in `@derive(Eq, Debug)`.',
    example: `@derive(Eq, Frobnicate)
type A { x: I64 }

@derive(Debg)
type B { x: I64 }

@derive(Ord)
type C { x: I64 }

@derive("Eq")
type D { x: I64 }

func main() {}
`,
  },
  E0761: {
    title: '`Default` cannot be derived for an enum',
    explanation:
      'A derived `Default` builds each field\'s default, but an enum has no single obvious variant to choose. Implement `Default` by hand and pick the variant.',
    example: `@derive(Debug, Default)
type Color { Red, Green }

func main() {}
`,
  },
  E0762: {
    title: 'field does not implement the derived behavior',
    explanation:
      'A derived behavior is built from the same behavior on every field, and this field\'s type does not implement it. Implement the behavior for the field\'s type, or implement it by hand for the outer type.',
    example: `type Opaque { n: I64 }

@derive(Eq, Debug)
type Wrapper { name: Str, inner: Opaque }

@derive(Duplicate)
type Shape { Circle(I64), Blob { o: Opaque } }

@derive(Hash)
type Reading { value: F64 }

@derive(Display)
type Pair[T] { first: T, items: List[T] }

@derive(Default)
type Grid { cells: [I64; 4], unit: () }

func main() {}
`,
  },
  E0763: {
    title: '`@derive` not allowed here',
    explanation:
      '`@derive` applies to structs and enums only, not to functions, classes or unions. Remove it, or implement the behavior by hand.',
    example: `@derive(Eq)
union Bits { i: I64, f: F64 }

func main() {}
`,
  },
  E0764: {
    title: 'behavior derived twice',
    explanation:
      'The same behavior is listed twice in `@derive(…)`. Remove the duplicate.',
    example: `@derive(Eq, Debug, Eq)
type Twice { x: I64 }

func main() {}
`,
  },
  E0770: {
    title: '`@flags` variant carries data',
    explanation:
      'A `@flags` type is a set of bit flags, so each variant is one bit and carries no data. Remove the payload, or use a plain enum.',
    example: `@flags type Perm { Read, Write(I32), Exec }

func main() {}
`,
  },
  E0771: {
    title: 'too many `@flags` variants for the representation',
    explanation:
      'A `@flags` type gives every variant one bit of its representation (`U8`, `U16`, `U32` or `U64`), and there are more variants than bits. Use a wider representation, such as `@flags(U64)`.',
    example: `@flags(U8) type Small { A, B, C, D, E, F, G, H, I }

func main() {}
`,
  },
  E0772: {
    title: 'invalid `@flags` representation',
    explanation:
      'The argument of `@flags(…)` must be an unsigned integer type: `U8`, `U16`, `U32` or `U64`.',
    example: `@flags(I8) type Small { A, B }

func main() {}
`,
  },
  E0773: {
    title: '`@flags` type with type parameters',
    explanation:
      'A `@flags` type is a fixed set of bits and cannot be generic. Remove the type parameters.',
    example: `@flags type Set[T] { A, B }

func main() {}
`,
  },
  E0776: {
    title: 'union field that is not plain data',
    explanation:
      'A union\'s fields share their storage and nothing records which one is set, so no field may own resources or need dropping (a `Str`, `List`, `Heap`, …). Use plain data (integers, floats, raw pointers, structs of them) in the union, or an enum, which knows its variant.',
    example: `union Value { n: I64, items: List[I64] }

func main() {}
`,
  },
  E0777: {
    title: 'built-in imported under another name',
    explanation:
      'The built-in test assertions can be imported from `test` by their own names only (`use test::{assert}`), not renamed with `as`. Import them by name.',
    example: `use test::{assert as check}

func main() {}
`,
  },
  E0780: {
    title: 'invalid `async func` signature',
    explanation:
      'An `async func` runs later, after its caller has returned, so it cannot take references (neither `ref` parameters nor `ref this`), and an external function cannot be async. Pass owned values (or `Shared`/`Sync` handles) instead.',
    example: `async func fill(xs: mut ref List[I64]) {
    xs.push(1)
}

func main() {
    var xs: List[I64] = List::new()
    block_on(fill(mut ref xs))
}
`,
  },
} as const satisfies Record<string, CodeInfo>;
