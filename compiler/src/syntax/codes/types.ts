// Names, types and expressions inside function bodies and signatures. One entry a code: see code_info.ts for what each field is for.
import type { CodeInfo } from './code_info.js';

export const TYPE_CODES = {
  E0061: {
    title: 'wrong number of arguments',
    explanation:
      'A function, method, variant or constructor is called with more or fewer arguments than it declares. Pass exactly the parameters its declaration lists.',
    example: `class P {
    x: I32
    new(x: I32) { this.x = x }
}
func main() { let p = P::new(1, 2) }
`,
  },
  E0062: {
    title: 'field specified more than once',
    explanation:
      'A struct literal sets the same field twice. Remove one of them.',
    example: `type Point { x: I32, y: I32 }

func main() {
    let p = Point { x: 1, x: 2, y: 3 }
    println(p.x)
}
`,
  },
  E0063: {
    title: 'missing fields in a struct literal',
    explanation:
      'A struct literal must set every field of the struct. Add the missing fields (the message names them), or build the value with a constructor function that fills in defaults.',
    example: `type Point { x: I32, y: I32, label: Str = "p" }

func main() {
    let p = Point { x: 1 }
    println(p.x)
}
`,
  },
  E0070: {
    title: 'invalid left-hand side of assignment',
    explanation:
      'Only places can be assigned to: a variable, a field, an index, or `*r` for a mutable reference. The left-hand side here is a value such as a call result or a literal. Assign to a variable instead.',
    example: `func main() {
    I32::MAX = 5
}
`,
  },
  E0080: {
    title: 'literal out of range',
    explanation:
      'An integer literal does not fit in the type it is given (for example `256` as a `U8`). Use a wider type, or a value within the type\'s range.',
    example: `func main() {
    let small: U8 = 255
    let too_big: U8 = 256
    println(small + too_big)
}
`,
  },
  E0106: {
    title: 'reference stored where references cannot be',
    explanation:
      'References in TML are second-class: they can be parameters and local bindings, but not fields, function results, elements of collections or arrays, or type arguments of library containers. Store an owner (the value itself, a `Heap`, a `Shared`) or an index instead.',
    example: `type Holder { r: ArenaRef[I32] }
func main() { }
`,
  },
  E0107: {
    title: 'wrong number of type arguments',
    explanation:
      'A generic type or function is given more or fewer type arguments than it declares. Supply exactly the type parameters its declaration lists, or leave them out to have them inferred.',
    example: `func main() {
    let m: Maybe[I32, I32] = Nothing
    println(m.is_just())
}
`,
  },
  E0121: {
    title: 'placeholder `_` not allowed in this type',
    explanation:
      '`_` asks the compiler to infer a type, which it does for local bindings, not in signatures, fields or constants, where the type must be written out. Write the type.',
    example: `func f(x: List[_]) {}

func main() {}
`,
  },
  E0133: {
    title: 'operation requires a `lowlevel` block',
    explanation:
      'Dereferencing a raw pointer, taking a raw address with `&`, calling a raw-memory function or reading a union field can break memory safety, so it is allowed only inside `lowlevel { … }`. Wrap the operation in a `lowlevel` block (and make sure it is sound), or use a safe type such as `Heap` or `List`.',
    example: `func main() {
    let p = alloc(16)
    println("allocated")
}
`,
  },
  E0220: {
    title: 'associated types are not supported',
    explanation:
      '`This::Item`-style associated types are not supported yet. Make the type a type parameter of the behavior instead, as in `behavior Container[T] { … }`.',
    example: `behavior Container {
    func first(this) -> This::Item
}

func main() {}
`,
  },
  E0268: {
    title: '`break` or `continue` outside of a loop',
    explanation:
      '`break` and `continue` only make sense inside `loop`, `while` or `for`. To leave a function early, use `return`.',
    example: `func check(n: I32) -> I32 {
    if n > 10 {
        break
    }
    n
}

func main() {
    println(check(3))
}
`,
  },
  E0277: {
    title: 'behavior not implemented for a type',
    explanation:
      'An operation needs a behavior (such as `Display` to format, `Eq` to compare, `Iterator` to loop, `Duplicate` to copy) that the type does not implement, or an operator such as `!` or `for` is applied to a type it does not work on. Implement or derive the behavior for the type, or convert the value first.',
    example: `func main() {
    let n: I32 = 5
    for i in n {
        println(i)
    }
}
`,
  },
  E0282: {
    title: 'type annotations needed',
    explanation:
      'The compiler cannot work out a type from the program (for example an empty `List::new()` that nothing is ever pushed to). Add an annotation: `let xs: List[I32] = List::new()`.',
    example: `func main() {
    let mk = Just
    println("done")
}
`,
  },
  E0308: {
    title: 'mismatched types',
    explanation:
      'A value has a different type from the one its place expects: an argument, a return value, a binding with an annotation, an operand or a condition. TML performs no implicit conversions; convert explicitly (`x as I64`, `n.to_string()`), or change the annotation.',
    example: `func main() {
    let count: I32 = "three"
    println("{count}")
}
`,
  },
  E0317: {
    title: '`if` may be missing an `else` clause',
    explanation:
      'An `if` without `else` has type `Unit`, but this one\'s branch produces a value, which would be lost when the condition is false. Add an `else` branch that produces a value of the same type, or end the branch with a statement.',
    example: `func main() {
    let ready = true
    if ready then 1
}
`,
  },
  E0369: {
    title: 'binary operator cannot be applied to the type',
    explanation:
      'The operator is not defined for the operand type (for example `+` on two structs, or `<` on a type without `Ord`). Implement the operator\'s behavior for the type, or compare or combine its fields.',
    example: `func larger[T](a: T, b: T) -> T {
    if a > b then a else b
}

func main() {
    println(larger(1, 2))
}
`,
  },
  E0404: {
    title: 'expected a behavior',
    explanation:
      'A bound (`T: Bound`), a `dyn` type or an `impl … for` names something that is not a behavior, such as a struct. Use a behavior there.',
    example: `type P { x: I32 }

func f[T: P](t: T) {}

func main() {}
`,
  },
  E0405: {
    title: 'cannot find behavior',
    explanation:
      'A bound or `impl` names a behavior that is not in scope. Check the spelling, or import it with `use`.',
    example: `func f[T: Nope](t: T) -> T {
    println("{t}")
    if t == t { println("eq") }
    let u = t + t
    println(t.field)
    t.go()
}
func main() { println(f(1)) }
`,
  },
  E0411: {
    title: '`This` outside of an impl or behavior',
    explanation:
      '`This` names the type an `impl`, class or behavior is about, so it only exists inside one. Write the type\'s name.',
    example: `func f(x: This) {}

func main() {}
`,
  },
  E0412: {
    title: 'cannot find type',
    explanation:
      'A type name is not in scope. Check the spelling (TML\'s built-in types are `I32`, `Str`, `Bool`, `Maybe`, …), or import the type with `use`.',
    example: `func main() {
    let s: Strng = "text"
    println(s)
}
`,
  },
  E0422: {
    title: 'cannot find struct',
    explanation:
      'A struct literal `Name { … }` names a type that is not a struct in scope. Check the spelling, or import the struct with `use`.',
    example: `func main() {
    let p = Nowhere { x: 1 }
}
`,
  },
  E0423: {
    title: 'built-in function used as a value',
    explanation:
      'Built-in functions such as `println` are not function values: they must be called directly. Wrap the call in a closure, `do(s: Str) { println(s) }`, to pass it around.',
    example: `func main() {
    let f = println
}
`,
  },
  E0425: {
    title: 'cannot find value',
    explanation:
      'A name used as a value is not a variable, parameter, function or constant in scope. Check the spelling, declare it before use, or import it with `use`.',
    example: `func main() {
    let total = 10
    println(totl + 1)
}
`,
  },
  E0451: {
    title: 'private field in a struct literal or pattern',
    explanation:
      'The type\'s fields are private to the module (or library) that declares it, so another module cannot build it with a literal or take it apart with a pattern. Use the type\'s constructor and methods.',
    example: `func main() {
    let it = ListIter { data: null, len: 3, next: 0 }
}
`,
  },
  E0560: {
    title: 'struct has no such field',
    explanation:
      'A struct literal sets a field that the struct does not declare. Check the field\'s spelling against the declaration.',
    example: `type Point { x: I32, y: I32 }

func main() {
    let p = Point { x: 1, y: 2, z: 3 }
    println(p.x)
}
`,
  },
  E0562: {
    title: '`impl Behavior` types are not supported',
    explanation:
      '`impl Behavior` in a type position is not supported yet. Use a type parameter with a bound, `func f[T: Behavior](x: T)`, or `dyn Behavior` behind a reference.',
    example: `func f(x: impl Display) {}

func main() {}
`,
  },
  E0571: {
    title: '`break` with a value is not supported',
    explanation:
      '`break value` is not supported. Assign the value to a variable declared before the loop, then `break`.',
    example: `func main() {
    loop {
        break 5
    }
}
`,
  },
  E0573: {
    title: 'expected a type, found something else',
    explanation:
      'A type position names something that is not a type, such as a function or a variant. Write a type there.',
    example: `func helper() {}

func f(x: helper) {}

func main() {}
`,
  },
  E0599: {
    title: 'no such method or associated item',
    explanation:
      'The type has no method, associated function or constant of that name (also: not in any behavior it implements). Check the spelling, or implement the method; for a behavior\'s method, import the behavior with `use`.',
    example: `func main() {
    let name = "tml"
    println(name.shout())
}
`,
  },
  E0602: {
    title: 'items inside function bodies',
    explanation:
      'Functions, types and other items can only be declared at the module level, not inside a function body. Move the item out of the function; use a closure (`do(…) { … }`) for a local function.',
    example: `func main() {
    func helper() -> I32 { 1 }
}
`,
  },
  E0605: {
    title: 'invalid `as` conversion',
    explanation:
      '`as` converts between numeric types (and a few other primitive pairs); it cannot convert this pair of types. Use a conversion function such as `to_string()`, `parse()` or `T::from(…)`.',
    example: `type Point { x: I32, y: I32 }

func main() {
    let p = Point { x: 1, y: 2 }
    let n = p as I32
    println(n)
}
`,
  },
  E0608: {
    title: 'cannot index into a value of this type',
    explanation:
      'Indexing `x[i]` is defined for arrays, lists, strings, maps and types that implement `Index`; this type has none. Index a collection, or call a method of the type.',
    example: `func main() {
    let x = 5
    let y = x[0]
}
`,
  },
  E0609: {
    title: 'no such field',
    explanation:
      'The type has no field of that name (methods are called with parentheses, `x.len()`). Check the spelling against the type\'s declaration.',
    example: `type Point { x: I32, y: I32 }

func main() {
    let p = Point { x: 1, y: 2 }
    println(p.x + p.z)
}
`,
  },
  E0614: {
    title: 'cannot dereference a value of this type',
    explanation:
      '`*x` applies to references, `Heap`, `Shared` and other pointer-like types; this value is none of them. Use the value directly.',
    example: `func main() {
    let x = 5
    let y = *x
}
`,
  },
  E0616: {
    title: 'private field',
    explanation:
      'The field is private to the module (or library) that declares the type, which keeps the type\'s invariants. Use the type\'s methods instead of reading or writing the field.',
    example: `func main() {
    var l: List[I64] = List::new()
    println("{l.cap}")
}
`,
  },
  E0618: {
    title: 'expected a function',
    explanation:
      'A call `f(…)` is applied to something that is not a function: a value of another type, a unit variant or a struct; or `spawn` is given something other than a function; or a `@test` function has the wrong signature. Call a function, or remove the parentheses.',
    example: `func main() {
    let n = 5
    println("{n()}")
}
`,
  },
  E0659: {
    title: 'ambiguous variant name',
    explanation:
      'Several enums in scope have a variant of this name, so the bare name does not say which one is meant. Qualify it: `Enum::Variant`.',
    example: `type Light { Red, Green }
type Paint { Red, Blue }

func main() {
    let c = Red
}
`,
  },
  E0689: {
    title: 'method call on an ambiguous numeric type',
    explanation:
      'An unsuffixed number literal\'s type is inferred from its use, and the method called on it exists on several numeric types, so the type cannot be decided. Add a suffix (`5i32`) or annotate a binding with the type.',
    example: `impl I32 { func f(this) -> I32 { 1 } }
impl U32 { func f(this) -> U32 { 2 } }
func main() {
    println(5.f())
    println(5u32.f())
}
`,
  },
  E0740: {
    title: 'format argument is not a string literal',
    explanation:
      '`println`, `print`, `format` and friends check their format string at compile time, so it must be a string literal. Write `println("{}", s)` to print a string value.',
    example: `func main() {
    let f = "{}"
    println(f, 1)
}
`,
  },
  E0741: {
    title: 'invalid format string',
    explanation:
      'The format string is malformed: an unclosed `{`, a stray `}`, or an unknown format spec. Write `{{` and `}}` for literal braces, and check the spec syntax (`{x:>8}`, `{:.2}`, `{:x}`).',
    example: `func main() {
    println("value {:q}", 1)
}
`,
  },
  E0742: {
    title: 'format placeholder without an argument',
    explanation:
      'A `{}` or `{N}` placeholder refers to an argument that was not passed. Pass one argument per placeholder, or name a variable inside the braces.',
    example: `func main() {
    println("{}", 1, 2)
}
`,
  },
  E0743: {
    title: 'format spec does not apply to the type',
    explanation:
      'The format spec (such as `:x` for hexadecimal or `.2` for precision) does not apply to a value of this type. Remove the spec, or convert the value to a type it applies to.',
    example: `func main() {
    println("{:x}", "text")
    println("{:.2}", 5)
}
`,
  },
  E0744: {
    title: 'argument formatted twice with different specs',
    explanation:
      'One positional argument is used by two placeholders with different format specs, which the formatter cannot do. Pass the value twice, once for each spec.',
    example: `func main() {
    println("{0:>4} {0:x}", 255)
}
`,
  },
  E0750: {
    title: 'range value over an unsupported integer type',
    explanation:
      'A range used as a value (an iterator) counts through 8- to 64-bit integers only. Use a narrower type for the bounds, or iterate the range in a `for` head, which counts through any integer type.',
    example: `func main() {
    let a: I128 = 0
    let b: I128 = 3
    println((a to b).count())
}
`,
  },
  E0751: {
    title: 'wrong number of type arguments for a behavior',
    explanation:
      'A behavior is given more or fewer type arguments than it declares, for example `Iterator` without its item type. Write them all: `I: Iterator[T]`.',
    example: `func first_of[I: Iterator](it: I) -> I32 {
    var i = it
    when i.next() { Just(x) => x, Nothing => 0 }
}

func main() {
    println(first_of(0 to 3))
}
`,
  },
  E0775: {
    title: 'union literal must set exactly one field',
    explanation:
      'A union holds one of its fields at a time, so a union literal sets exactly one. Remove the other fields.',
    example: `union Bits { i: I64, f: F64 }

func main() {
    let b = Bits { }
}
`,
  },
} as const satisfies Record<string, CodeInfo>;
