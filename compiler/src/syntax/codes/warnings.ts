// The warnings' codes (W0001…): what each one means, how to fix or silence it, and a program that triggers it.
// `name` is the lint's name for `-A NAME`/`-W NAME` and `@allow(NAME)`, as rustc's lint names are.
// The checks themselves are in compiler/src/sema/lints/ (docs/decisions.md, "Warnings").

export const WARNING_CODES = {
  W0001: {
    name: 'unused_variables',
    title: 'unused variable',
    explanation:
      'A local variable or parameter is declared but its value is never read (assigning to it does not count as ' +
      'a use). Remove it, use it, or start its name with an underscore (`_x`) to say it is unused on purpose. ' +
      'A variable read only inside a closure is used.',
    example: 'func main() {\n    let x = 5\n    println("hi")\n}\n',
  },
  W0002: {
    name: 'dead_code',
    title: 'unused function',
    explanation:
      'A function is never called or used as a value from `main`, a `@test` function, a method or a constant. ' +
      '`main`, `@test` functions and the `pub` functions of a module other than the entry file are never ' +
      'reported. Remove the function, call it, or start its name with an underscore.',
    example: 'func helper() -> I32 { 1 }\n\nfunc main() {\n    println("hi")\n}\n',
  },
  W0003: {
    name: 'unused_mut',
    title: 'variable does not need to be mutable',
    explanation:
      'A variable declared with `var` or `let mut` (or a `mut` parameter) is never assigned after its ' +
      'declaration, never borrowed with `mut ref` and never the receiver of a `mut this` method. Declare it with ' +
      '`let` instead.',
    example: 'func main() {\n    var x = 5\n    println("{x}")\n}\n',
  },
  W0004: {
    name: 'unreachable_code',
    title: 'unreachable code',
    explanation:
      'A statement or expression follows one that never completes: `return`, `break`, `continue`, a panic, a ' +
      'loop without a `break`, or an `if`/`when` all of whose branches leave. It can never run: remove it, or ' +
      'move it before the statement that leaves.',
    example: 'func main() {\n    println("once")\n    return\n    println("never")\n}\n',
  },
  W0005: {
    name: 'unused_must_use',
    title: 'unused `Outcome` that must be used',
    explanation:
      'An `Outcome` value is computed and thrown away, so an error it carries is silently ignored. Handle it ' +
      '(`when`, `if let`, `!` to pass it on), or discard it explicitly with `let _ = …`.',
    example:
      'func save(ok: Bool) -> Outcome[I32, Str] {\n    if ok then Ok(1) else Err("disk full")\n}\n\n' +
      'func main() {\n    save(true)\n    println("saved")\n}\n',
  },
  W0006: {
    name: 'unused_maybe',
    title: 'unused `Maybe` value',
    explanation:
      'A `Maybe` value is computed and thrown away. Use it, or discard it explicitly with `let _ = …`. The ' +
      'result of a `mut this` method (`list.pop()`, `map.insert(k, v)`) is not reported: such a call is made ' +
      'for its effect.',
    example: 'func find(x: I32) -> Maybe[I32] {\n    if x > 0 then Just(x) else Nothing\n}\n\nfunc main() {\n    find(3)\n    println("found")\n}\n',
  },
  W0007: {
    name: 'unused_imports',
    title: 'unused import',
    explanation:
      'A name brought in by `use` is never mentioned in the file. Remove it from the `use` declaration. Glob ' +
      'imports (`use a::*`) are not reported.',
    example: 'use std::time::Instant\n\nfunc main() {\n    println("hi")\n}\n',
  },
  W0008: {
    name: 'not_precedence',
    title: '`not` applies to the left operand only',
    explanation:
      '`not a == b` is `(not a) == b`: `not` binds tighter than a comparison, and on an integer it is the ' +
      'bitwise complement, so the comparison is almost never what was meant. Write `not (a == b)` or ' +
      '`a != b`; write `(not a) == b` if the complement is meant.',
    example: 'func main() {\n    let a = 1\n    if not a == 2 {\n        println("different")\n    }\n}\n',
  },
  W0009: {
    name: 'unknown_warnings',
    title: 'unknown warning in `@allow`',
    explanation:
      '`@allow(…)` on a function names warnings to turn off there, by code (`W0001`) or by name ' +
      '(`unused_variables`); this argument is neither, so it turns nothing off. Correct the name or remove it.',
    example: '@allow(unused_varaibles)\nfunc main() {\n    println("hi")\n}\n',
  },
  W0010: {
    name: 'no_effect',
    title: 'statement has no effect',
    explanation:
      'An expression statement computes a value with an operator, a literal or a variable and throws it away: it ' +
      'does nothing. `x == 5` on its own line is usually a mistyped assignment `x = 5`. Remove it, or fix it ' +
      '(`let _ = …` keeps it on purpose).',
    example: 'func main() {\n    let x = 1\n    x == 5\n    println("{x}")\n}\n',
  },
} as const;

export type WarningCode = keyof typeof WARNING_CODES;
