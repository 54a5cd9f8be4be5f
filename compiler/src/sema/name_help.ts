// Help for a name that resolves to nothing: TML's spelling when it is a Rust habit (`Some`, `Option`, `i32`), else
// the closest name of the same kind in scope (sema/suggest.ts), else nothing.
import type { Suggestion } from '../syntax/diagnostics.js';
import { RUST_TYPE_NAMES, RUST_VALUE_NAMES, spellAs } from '../syntax/rust_habits.js';
import type { Span } from '../syntax/source.js';
import type { Binding, ModuleScope, ProgramDefs } from './defs.js';
import { similarNameSuggestion } from './suggest.js';

/** The built-in type names (LANGUAGE.md §3), which no scope lists. */
const PRIMITIVE_TYPES = ['I8', 'I16', 'I32', 'I64', 'I128', 'U8', 'U16', 'U32', 'U64', 'U128', 'F32', 'F64', 'Bool', 'Char', 'Str', 'Unit', 'Never'];

/** Names of `scope` (and the prelude) whose binding is of one of `kinds`. */
function itemNames(defs: ProgramDefs, scope: ModuleScope, kinds: readonly Binding['k'][]): string[] {
  const out: string[] = [];
  for (const names of [scope.names, defs.prelude?.names ?? new Map<string, Binding>()]) {
    for (const [name, b] of names) if (kinds.includes(b.k)) out.push(name);
  }
  return out;
}

/** For E0425: a value `name` not found at `span`; `locals` are the names of the locals in scope. */
export function unknownValueSuggestions(defs: ProgramDefs, scope: ModuleScope, locals: Iterable<string>, name: string, span: Span): Suggestion[] {
  const rust = RUST_VALUE_NAMES.get(name);
  if (rust !== undefined) return [spellAs(span, rust)];
  const variants = [...scope.variants.keys(), ...(defs.prelude?.variants.keys() ?? [])];
  return similarNameSuggestion(name, span, [
    ['local variable', locals],
    ['function', itemNames(defs, scope, ['fn'])],
    ['constant', itemNames(defs, scope, ['const'])],
    ['variant', variants],
  ]);
}

/** For E0412: a type `name` not found at `span`. */
export function unknownTypeSuggestions(defs: ProgramDefs, scope: ModuleScope, name: string, span: Span, typeParams: Iterable<string>): Suggestion[] {
  const rust = RUST_TYPE_NAMES.get(name);
  if (rust !== undefined) return [spellAs(span, rust)];
  return similarNameSuggestion(name, span, [
    ['type parameter', typeParams],
    ['type', [...PRIMITIVE_TYPES, ...itemNames(defs, scope, ['type', 'adt', 'alias'])]],
    ['behavior', itemNames(defs, scope, ['behavior'])],
  ]);
}
