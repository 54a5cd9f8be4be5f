// Classes and interfaces. One entry a code: see code_info.ts for what each field is for.
import type { CodeInfo } from './code_info.js';

export const CLASS_CODES = {
  E0702: {
    title: 'interface extends or implements something that is not an interface',
    explanation:
      'An interface can only extend interfaces, and a class\'s `implements` list can only name interfaces. To reuse a class, use `extends`.',
    example: `class A {
    new() {}
}

interface I extends A {}

func main() {}
`,
  },
  E0703: {
    title: 'interface method with a body',
    explanation:
      'Interface methods are declarations only; the classes that implement the interface provide the bodies. Remove the body, or use an `abstract class` to share code.',
    example: `interface Named { func name(this) -> Str { "x" } }
func main() { }
`,
  },
  E0704: {
    title: 'class inherits from itself',
    explanation:
      'A class\'s chain of base classes leads back to itself, directly or through other classes. Break the cycle.',
    example: `class A extends A {
    new() {}
}

func main() {}
`,
  },
  E0705: {
    title: 'invalid inheritance',
    explanation:
      'Only a class can be inherited, and a `@value` class can neither inherit nor declare virtual methods, since it is stored inline without a vtable. Remove the `extends`/`virtual`, or drop `@value`.',
    example: `class A { new() { } }
@value class V extends A { x: I32 }
func main() { }
`,
  },
  E0706: {
    title: 'cannot inherit from a sealed class',
    explanation:
      'A `sealed` class forbids further derivation. Inherit from its base instead, or remove `sealed`.',
    example: `sealed class A { new() { } }
class B extends A { new() { } }
func main() { }
`,
  },
  E0707: {
    title: 'field already declared in a base class',
    explanation:
      'A derived class declares a field with the same name as an inherited one, which would hide it. Rename the field; the inherited one is reachable as it is.',
    example: `class A {
    n: I32
    new() { this.n = 0 }
}

class B extends A {
    n: I32
    new() { this.n = 1 }
}

func main() {}
`,
  },
  E0708: {
    title: 'invalid static field',
    explanation:
      'A static field needs an initial value, and generic classes cannot have static fields (each instantiation would need its own). Give the field a value, or move it to a module-level `const` or a non-generic class.',
    example: `class Box[T] {
    static count: I32 = 0
    value: T
    new(v: T) { this.value = v }
}
func main() { }
`,
  },
  E0709: {
    title: 'invalid receiver on a class method',
    explanation:
      'A `static` method has no `this`, and a `virtual`/`abstract`/`override` method needs one (it is dispatched on it). Remove `this` or `static` accordingly.',
    example: `class A {
    new() {}
    static func make(this) -> I32 { 1 }
}

func main() {}
`,
  },
  E0710: {
    title: 'duplicate constructor arity',
    explanation:
      'Constructors overload by their number of arguments only, and two constructors of this class take the same number. Merge them, or give one a different number of parameters.',
    example: `class A {
    n: I32
    new(n: I32) { this.n = n }
    new(m: I32) { this.n = m }
}

func main() {}
`,
  },
  E0711: {
    title: '`base(…)` in a class without a base class',
    explanation:
      '`base(…)` calls the base class\'s constructor, but this class extends nothing. Remove the call, or add `extends Base`.',
    example: `class A {
    x: I32
    new() : base() { this.x = 1 }
}
func main() { }
`,
  },
  E0712: {
    title: 'invalid method body',
    explanation:
      'An `abstract` method has no body and makes its class `abstract`; every other method needs a body. Add or remove the body, or declare the class `abstract`.',
    example: `abstract class Shape {
    new() {}
    abstract func area(this) -> F64 { 0.0 }
}

func main() {}
`,
  },
  E0713: {
    title: 'invalid override',
    explanation:
      '`override` replaces a base class\'s `virtual` or `abstract` method: the base must declare the method, it must be virtual and not sealed; and a method that hides a base\'s virtual method must say `override`. Fix the modifiers, or rename the method.',
    example: `class A { new() { } }
class B extends A {
    new() { }
    override func speak(this) -> Str { "b" }
}
func main() { }
`,
  },
  E0714: {
    title: 'abstract method not implemented',
    explanation:
      'A non-abstract class must implement every abstract method of its base classes. Add an `override func` for it, or declare the class `abstract`.',
    example: `abstract class Shape {
    abstract func area(this) -> F64
}
class Blob extends Shape {
    new() { }
}
func main() { }
`,
  },
  E0715: {
    title: 'interface method not implemented',
    explanation:
      'A class that `implements` an interface must define every method of it. Add the missing method.',
    example: `interface Named { func name(this) -> Str }
class Robot implements Named {
    id: I32
    new(id: I32) { this.id = id }
}
func main() { }
`,
  },
  E0717: {
    title: 'cannot instantiate an abstract class',
    explanation:
      'An `abstract` class has methods without bodies, so it cannot be created; only its concrete derived classes can. Create one of those.',
    example: `abstract class Shape {
    id: I32
    new(id: I32) { this.id = id }
    abstract func area(this) -> F64
}
func main() {
    let s = Shape::new(1)
}
`,
  },
  E0718: {
    title: 'invalid class literal',
    explanation:
      'A class value is built by its constructor, `Name(args)`; a literal `Name { … }` is only for a class without a constructor, cannot set inherited fields, and cannot create an abstract class. Call the constructor.',
    example: `abstract class Shape {
    abstract func area(this) -> F64
}
func main() {
    let s = Shape { }
}
`,
  },
  E0719: {
    title: 'invalid `base` call',
    explanation:
      '`base.method()` calls a base class\'s version of a method, so it is only available in a derived class\'s methods, and the base must have a method of that name with a body. Call the method on `this`, or fix the name.',
    example: `class A {
    new() { }
    func f(this) -> I32 { base.f() }
}
func main() { }
`,
  },
  E0720: {
    title: 'field not initialised in a constructor',
    explanation:
      'A constructor must initialise every field before it returns and before reading it or using `this`. Assign each field (`this.f = …`) on every path through the constructor, or give the field a default value.',
    example: `class P {
    a: I32
    b: I32
    new() {
        this.b = this.a + 1
        this.a = 1
    }
}
func main() { }
`,
  },
  E0721: {
    title: 'invalid constructor result',
    explanation:
      'A constructor returns nothing, or `Outcome[This, E]` when it can fail; when the base class\'s constructor can fail, the derived one must return `Outcome` too, to pass the error on. Change the constructor\'s return type.',
    example: `class P {
    x: I32
    new(x: I32) -> I32 { this.x = x }
}
func main() { }
`,
  },
  E0722: {
    title: '`is` on a value or type that is not a class',
    explanation:
      '`x is C` tests a class or interface value\'s run-time class, so both the value and `C` must be classes or interfaces. For enums, use `when`; other types are known at compile time.',
    example: `type S { x: I32 }
class C { new() { } }
func main() {
    let c = C::new()
    println(c is S)
}
`,
  },
} as const satisfies Record<string, CodeInfo>;
