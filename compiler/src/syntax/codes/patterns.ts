// Patterns: `when` arms, `let` patterns and their exhaustiveness. One entry a code: see code_info.ts for what each field is for.
import type { CodeInfo } from './code_info.js';

export const PATTERN_CODES = {
  E0004: {
    title: 'non-exhaustive patterns',
    explanation:
      'A `when` must handle every value its scrutinee can have, and the arms leave some out (the message shows one value that no arm matches). Add an arm for the missing cases, or a final `_ => …` arm that handles everything else.',
    example: `func main() {
    let m: Maybe[I32] = Just(3)
    let v = when m {
        Just(x) if x > 0 => x,
        Just(_) => 0,
    }
    println(v)
}
`,
  },
  E0005: {
    title: 'refutable pattern in local binding',
    explanation:
      'A `let` pattern must match every value, but this one can fail (it names one variant of an enum, a literal, a range). Use `let PATTERN = VALUE else { … }` to handle the other values, or `when` / `if let` to branch on them.',
    example: `func main() {
    let m: Maybe[I32] = Just(3)
    let Just(x) = m
    println(x)
}
`,
  },
  E0023: {
    title: 'wrong number of fields in a variant pattern',
    explanation:
      'A tuple-variant pattern must list exactly as many sub-patterns as the variant has fields. Add or remove sub-patterns; write `_` for a field you do not need.',
    example: `type Shape { Circle(F64), Rect(F64, F64) }

func area(s: Shape) -> F64 {
    when s {
        Circle(r) => 3.0 * r * r,
        Rect(w) => w * w,
    }
}

func main() {
    println(area(Circle(1.0)))
}
`,
  },
  E0026: {
    title: 'struct pattern names a field the type does not have',
    explanation:
      'A struct pattern names a field that is not declared in the struct (or the struct-like variant). Check the field\'s spelling against the type\'s declaration.',
    example: `type Point { x: I32, y: I32 }

func f(p: Point) -> I32 {
    when p {
        Point { x, z, .. } => x,
    }
}

func main() {}
`,
  },
  E0027: {
    title: 'struct pattern does not mention every field',
    explanation:
      'A struct pattern without `..` must mention every field of the type, so that adding a field later is noticed. List the missing fields, or add `..` to ignore the rest.',
    example: `type Point { x: I32, y: I32 }

func f(p: Point) -> I32 {
    when p {
        Point { x } => x,
    }
}

func main() {}
`,
  },
  E0029: {
    title: 'range pattern on a type that is not an integer or character',
    explanation:
      'Range patterns (`1 to 5`, `\'a\' to \'z\'`) match integers and characters only; other types such as floats have no usable order for `when`. Compare with `if` and `<`/`>` instead.',
    example: `func f(x: F64) -> I32 {
    when x {
        0.0 to 1.0 => 1,
        _ => 0,
    }
}

func main() {}
`,
  },
  E0301: {
    title: 'cannot bind by move into a pattern with a guard',
    explanation:
      'When an arm\'s guard fails, matching goes on with the next arm, so the value must still be whole: the guard\'s pattern cannot move an owner (a `List`, a `Heap`, …) into a binding. Match on `ref` of the value, or test the condition inside the arm body.',
    example: `type Named { Person(List[I32]), Nobody }

func greet(n: Named) {
    when n {
        Person(l) if l.len() > 0 => println("{l.len()}"),
        _ => {},
    }
}

func main() {}
`,
  },
  E0408: {
    title: 'variable not bound in all alternatives',
    explanation:
      'In an or-pattern `A(x) | B`, every alternative must bind the same names with the same types, since the arm body may use them whichever alternative matched. Bind the name in every alternative, or split the arm.',
    example: `type Shape { Circle(I32), Square(I32), Dot }

func size(s: Shape) -> I32 {
    when s {
        Circle(n) | Dot => n,
        Square(n) => n,
    }
}

func main() {}
`,
  },
  E0529: {
    title: 'array pattern on a value that is not an array',
    explanation:
      'An array pattern `[a, b]` matches fixed-size arrays only. Match the value with a pattern of its own type.',
    example: `func f(x: I32) -> I32 {
    when x {
        [_, _] => 1,
        _ => 0,
    }
}

func main() {}
`,
  },
  E0531: {
    title: 'unknown variant or struct in a pattern',
    explanation:
      'A pattern names a variant or struct that is not in scope. Check the spelling, qualify the variant (`Enum::Variant`), or import the type with `use`.',
    example: `func f(x: I32) -> I32 {
    when x {
        Nowhere(n) => n,
        _ => 0,
    }
}

func main() {}
`,
  },
  E0532: {
    title: 'tuple variant used as a unit pattern',
    explanation:
      'The variant carries data, so a pattern for it must list its fields: write `Variant(…)` with one sub-pattern (or `_`) per field.',
    example: `type Shape { Circle(F64), Dot }

func f(s: Shape) -> I32 {
    when s {
        Shape::Circle => 1,
        Dot => 0,
    }
}

func main() {}
`,
  },
  E0606: {
    title: '`..rest` bindings in array patterns are not supported',
    explanation:
      'An array pattern may skip elements with `..`, but cannot yet bind them to a name (`..rest`). Use `..` and index the array for the elements you need.',
    example: `func f(a: [I32; 3]) -> I32 {
    when a {
        [x, ..rest] => x,
    }
}

func main() {}
`,
  },
  E0774: {
    title: '`@flags` value matched against an invalid pattern',
    explanation:
      'A value of a `@flags` type is a set of bits, not one variant, so `when` can compare it only with a single flag name or a combination of them. Test membership with the type\'s methods (such as `contains`) instead.',
    example: `@flags type Perm { Read, Write, Exec }

func main() {
    let p = Perm::Read | Perm::Write
    when p {
        Perm::Read => print("read\\n"),
        _ => print("other\\n"),
    }
}
`,
  },
} as const satisfies Record<string, CodeInfo>;
