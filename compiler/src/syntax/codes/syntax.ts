// Lexer and parser errors, and the reading of source files. One entry a code: see code_info.ts for what each field is for.
import type { CodeInfo } from './code_info.js';

export const SYNTAX_CODES = {
  E0000: {
    title: 'a source file cannot be read',
    explanation:
      'A module the program needs could not be read: the file named by `use` exists but is not a readable file — it is a directory, or its permissions forbid reading it. Make the path a regular, readable `.tml` file, or change the `use` to name the module you mean.',
    example: `use nowhere

func main() {}
`,
  },
  E0001: {
    title: 'unknown character',
    explanation:
      'The source contains a character that is not part of TML\'s syntax, outside a string or comment (for example `$`, or a Unicode quotation mark pasted from a document). Remove it, or put it inside a string literal if it is meant as text.',
    example: `func main() {
    $
}
`,
  },
  E0002: {
    title: 'unterminated string literal',
    explanation:
      'A string literal (`"…"` or a raw string `r"…"`) has no closing quote before the end of the file, so everything after the opening quote would be part of the string. Add the closing `"`; to write a quote inside a string, escape it as `\\"`.',
    example: `func main() {}

const S: Str = "abc
`,
  },
  E0003: {
    title: 'unterminated block comment',
    explanation:
      'A block comment `/* … */` is never closed. Block comments nest, so every `/*` needs its own `*/`. Add the missing `*/`.',
    example: `func main() {}
/* this comment never ends
`,
  },
  E0006: {
    title: 'invalid character literal',
    explanation:
      'A character literal `\'…\'` must hold exactly one character: it is empty, holds several characters, or is never closed. Write one character between single quotes; use double quotes for a string.',
    example: `func main() {
    let c = ''
}
`,
  },
  E0007: {
    title: 'invalid unicode escape',
    explanation:
      'A `\\u` escape must be written `\\u{HEX}` with one to six hex digits naming a Unicode scalar value (not a surrogate, at most 10FFFF). Write it as, for example, `\\u{41}`.',
    example: `func main() {
    println("\\u0041")
}
`,
  },
  E0008: {
    title: 'unterminated interpolation in string literal',
    explanation:
      'A `{` in a string literal starts an interpolation, `"{name}"`, which must be closed by `}` in the same string. Close it, or write `{{` for a literal brace.',
    example: `func main() {
    let n = 1
    let s = "n = {n"
}
`,
  },
  E0009: {
    title: 'invalid escape sequence',
    explanation:
      'A backslash in a string or character literal must start a known escape: `\\n`, `\\r`, `\\t`, `\\0`, `\\\\`, `\\"`, `\\\'`, `\\{`, `\\}`, `\\xHH` (at most `\\x7F`) or `\\u{…}`. Fix the escape, or write `\\\\` for a backslash.',
    example: `func main() {
    println("tab:\\q")
}
`,
  },
  E0010: {
    title: 'expected expression',
    explanation:
      'The parser needed an expression (a value, a name, a call, an operator applied to operands) and found something else, such as a closing delimiter or an operator with its operand missing. Complete the expression.',
    example: `func main() {
    let x = 1 + )
}
`,
  },
  E0011: {
    title: 'unexpected token',
    explanation:
      'The parser expected a particular token here (the message names it) and found a different one: a delimiter does not match, or a separator is missing. Write the expected token, or check that brackets pair up.',
    example: `func main() {
    let x: I32 = (1 + 2]
}
`,
  },
  E0012: {
    title: 'expected item',
    explanation:
      'At the top level of a module only items may appear: `func`, `type`, `class`, `interface`, `behavior`, `impl`, `const`, `use` and the like, or there is a closing `}` with no `{` to close. Statements such as `let` belong inside a function body.',
    example: `let x = 1

func main() {}
`,
  },
  E0013: {
    title: 'expected type',
    explanation:
      'The parser needed a type (such as `I32`, `Str`, `List[T]`, `ref T`, `(A, B)`) after a `:`, `->` or inside type arguments, and found something else. Write a type.',
    example: `type P { x: 5 }

func main() {}
`,
  },
  E0014: {
    title: 'expected pattern',
    explanation:
      'The parser needed a pattern (a name, `_`, a literal, a tuple, a variant, a struct pattern) and found something else, for example an operator after `let`. Write a pattern.',
    example: `func main() {
    let + = 3
}
`,
  },
  E0015: {
    title: 'expected identifier',
    explanation:
      'A name was needed here — of a function, variable, field, method, type parameter or module — and the parser found a keyword, literal or punctuation. Keywords cannot be used as names; pick another name.',
    example: `func main() {
    let p = (1, 2)
    println(p.)
}
`,
  },
  E0016: {
    title: 'comparison operators cannot be chained',
    explanation:
      '`a < b < c` does not mean "b is between a and c" in TML: comparisons do not chain. Write the two comparisons out, `a < b and b < c`.',
    example: `func f(a: I32, b: I32, c: I32) -> Bool {
    a < b < c
}

func main() {}
`,
  },
  E0017: {
    title: 'unclosed delimiter',
    explanation:
      'The file ends while a `(`, `[` or `{` is still open. Add the missing closing delimiter where the construct ends.',
    example: `func main() {
`,
  },
  E0018: {
    title: 'missing type for `const` item',
    explanation:
      'A `const` must state its type; it is not inferred. Write `const NAME: Type = value`.',
    example: `const LIMIT = 10

func main() {}
`,
  },
  E0019: {
    title: 'expected a variant name in a sum type',
    explanation:
      'In `type T = A | B(…)`, each alternative is a variant: a name, optionally followed by its payload types in parentheses. A bare type is not a variant; give it a name, such as `Items(List[I32])`.',
    example: `type Shape = Circle(F64) | List[I32]

func main() {}
`,
  },
  E0020: {
    title: 'unexpected token in interpolation',
    explanation:
      'An interpolation `{…}` in a string holds one expression followed by an optional format spec (`{x:>8}`), then `}`. Something else follows the expression here. Write one expression per `{…}`.',
    example: `func main() {
    let n = 1
    println("{n n}")
}
`,
  },
  E0021: {
    title: 'unsupported syntax',
    explanation:
      'This construct is Rust or C syntax that TML does not support: explicit enum discriminants (`Red = 1`) or `throw`. Variants are numbered in order; report errors with `panic(…)` or by returning an `Outcome`.',
    example: `type Color { Red = 1, Green }

func main() {}
`,
  },
  E0022: {
    title: 'expected a class member',
    explanation:
      'Inside a `class` or `interface` body only fields, constructors (`new`), methods and their modifiers may appear. Remove or move what is there.',
    example: `class A {
    5
}

func main() {}
`,
  },
  E0024: {
    title: 'misplaced class member modifier',
    explanation:
      'A constructor takes no modifiers (`static`, `virtual`, …), and a field may only be `static`. Remove the modifier.',
    example: `class A {
    static new() {}
}

func main() {}
`,
  },
  E0025: {
    title: 'invalid number literal',
    explanation:
      'A number literal has a suffix that is not a numeric type (valid: `i8` … `i128`, `u8` … `u128`, `f32`, `f64`), or has no digits after its prefix (`0x`). Fix the literal, or write the type as an annotation.',
    example: `func main() {
    let x = 10q8
}
`,
  },
  E0028: {
    title: '`let … else` needs an initialiser',
    explanation:
      '`let PATTERN else { … }` names no value to match. Write `let PATTERN = VALUE else { … }`; the `else` block runs when the value does not match and must leave the scope (`return`, `break`, `continue` or panic).',
    example: `func f(m: Maybe[I32]) {
    let Just(x): Maybe[I32] else { return }
}

func main() {}
`,
  },
  E0030: {
    title: 'nested too deeply',
    explanation:
      'The program nests expressions, blocks or types more than 256 levels deep, beyond what the compiler accepts. Break the expression up with intermediate `let` bindings or helper functions.',
    example: 'func main() {\n    let x = ' + '('.repeat(260) + '1' + ')'.repeat(260) + '\n}\n',
  },
  E0031: {
    title: 'attribute not allowed here',
    explanation:
      'A syntactic attribute was written on something it cannot apply to (for example any attribute on a struct field). Remove it, or move it to the item it is meant for.',
    example: `type P {
    @move x: I64
}

func main() {}
`,
  },
  E0041: {
    title: 'source file is not valid UTF-8',
    explanation:
      'TML source files are UTF-8, and this file contains a byte sequence that is not (typically a file saved in Latin-1 or Windows-1252). Convert the file to UTF-8; the note shows where the first invalid byte is.',
    example: `func main() {
    println("café")
}
`,
  },
  E0049: {
    title: 'internal compiler error in the parser',
    explanation:
      'The parser itself failed on this input: this is a bug in tmlc, not in the program. Please report it with the input that triggers it. No program is meant to produce this code.',
    example: '// No program is meant to produce E0049: it reports a failure of the parser itself.\nfunc main() {}\n',
  },
} as const satisfies Record<string, CodeInfo>;
