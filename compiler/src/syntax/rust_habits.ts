// Words a Rust programmer writes that TML spells differently. Where one of them causes an error, the error gets a
// machine-applicable suggestion "TML spells this `func`"; where the parser can tell what was meant (`fn name(`,
// `struct Name {`), it reads it as the TML spelling after the one error, so nothing cascades (no false "`main`
// function not found").
import type { Suggestion } from './diagnostics.js';
import type { Span } from './source.js';

/** Item keywords: Rust's word → TML's. */
export const RUST_ITEM_WORDS: ReadonlyMap<string, string> = new Map([
  ['fn', 'func'],
  ['struct', 'type'],
  ['trait', 'behavior'],
]);

/** Type names (LANGUAGE.md §3): Rust's → TML's. `String` needs none: TML accepts it for `Str`. */
export const RUST_TYPE_NAMES: ReadonlyMap<string, string> = new Map([
  ...['8', '16', '32', '64', '128'].flatMap((bits): [string, string][] => [[`i${bits}`, `I${bits}`], [`u${bits}`, `U${bits}`]]),
  ['isize', 'I64'],
  ['usize', 'I64'],
  ['f32', 'F32'],
  ['f64', 'F64'],
  ['bool', 'Bool'],
  ['char', 'Char'],
  ['str', 'Str'],
  ['Option', 'Maybe'],
  ['Result', 'Outcome'],
  ['Vec', 'List'],
  ['Box', 'Heap'],
  ['Rc', 'Shared'],
  ['Arc', 'Shared'],
]);

/** Values (variants): Rust's → TML's. */
export const RUST_VALUE_NAMES: ReadonlyMap<string, string> = new Map([
  ['Some', 'Just'],
  ['None', 'Nothing'],
]);

/** The suggestion to write `tml` where `span` says the Rust word. */
export function spellAs(span: Span, tml: string): Suggestion {
  return { span, replacement: tml, message: `TML spells this \`${tml.trim()}\`` };
}
