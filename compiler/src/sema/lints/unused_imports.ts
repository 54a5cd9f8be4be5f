// W0007 unused import: a name a `use` brings into a user's file that the file never mentions. Name-based, on the
// module's AST: every name written outside the `use` items (path segments, types, patterns, field names, attribute
// arguments) counts as a mention, so a local that shadows an import can only hide an unused import, never report a
// used one. An enum counts as mentioned when one of its variants is (`use shapes::Shape` for `Circle(1.0)`), and
// `use test` when one of its helpers is, or one of the built-in assertions (`assert_eq`): `use test` heads every
// test file in LANGUAGE.md §7, whose example uses only `assert_eq`. Glob imports and `pub use` (a re-export) are
// not reported.
import type * as ast from '../../syntax/ast.js';
import type { Span } from '../../syntax/source.js';
import { TEST_BUILTINS } from '../collect.js';
import type { Binding, ModuleScope } from '../defs.js';
import type { Warn } from './lint.js';
import { walk } from './walk.js';

export function lintImports(scope: ModuleScope, warn: Warn): void {
  const uses = scope.ast.items.filter((i): i is Extract<ast.Item, { kind: 'Use' }> => i.kind === 'Use');
  if (uses.length === 0) return;
  const mentioned = new Set<string>();
  walk(
    scope.ast.items.filter((i) => i.kind !== 'Use'),
    (n) => {
      if (typeof n['name'] === 'string') mentioned.add(n['name']);
    },
  );
  const used = (name: string): boolean => [name, ...alsoMentions(scope.names.get(name))].some((x) => mentioned.has(x));
  for (const u of uses) {
    if (u.isPub || u.items === 'glob') continue;
    if (u.items === null) {
      const name = u.path[u.path.length - 1]!;
      if (!used(name)) report(warn, u.path.join('::'), u.span);
      continue;
    }
    for (const it of u.items) {
      if (!used(it.alias ?? it.name)) report(warn, [...u.path, it.name].join('::'), it.span);
    }
  }
}

/** Names whose mention uses a binding although they are not its own: an enum's variants, a module's helpers. */
function alsoMentions(b: Binding | undefined): string[] {
  if (b?.k === 'adt') return b.def.variants?.map((v) => v.name) ?? [];
  if (b?.k === 'module' && b.scope.path === 'test') return [...b.scope.names.keys(), ...TEST_BUILTINS];
  return [];
}

function report(warn: Warn, path: string, span: Span): void {
  warn('W0007', `unused import: \`${path}\``, span, { label: 'help: remove this import' });
}
