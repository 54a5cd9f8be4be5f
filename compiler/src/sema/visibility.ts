// `pub` across modules (LANGUAGE.md §1): an item of one of the program's modules may be named from another module
// only when it is `pub`; what a module imports with a plain `use` is its own, not re-exported (`pub use` is). The
// standard library keeps its own rules (private fields, `libraryPrivate`), so its modules are not checked here.
import type { Span } from '../syntax/source.js';
import type { Binding, ModuleScope } from './defs.js';
import type { DiagSink } from './error_type.js';

/** Whether `name` in `target` may be named from `from`. */
export function isVisible(target: ModuleScope, name: string, from: ModuleScope): boolean {
  return target === from || target.isStd || from.isStd || target.exported.has(name);
}

/** Report a private item named from another module (E0603), pointing at its definition. */
export function reportPrivate(diags: DiagSink, target: ModuleScope, name: string, b: Binding | undefined, span: Span): void {
  const def = definitionSpan(b);
  const file = target.file.split('/').pop();
  diags.error('E0603', `${describe(b)} \`${name}\` is private to module \`${target.path}\``, span, {
    label: 'private item',
    secondary: def === null ? [] : [{ span: def, message: `\`${name}\` is defined here without \`pub\`` }],
    notes: [`mark it \`pub\` in ${file} to use it from other modules`],
  });
}

/** A reporter for lookupPath: E0603 at `span` for each private segment it passes. */
export function privacyReporter(diags: DiagSink, span: Span): (target: ModuleScope, name: string, b: Binding | undefined) => void {
  return (target, name, b) => reportPrivate(diags, target, name, b, span);
}

function describe(b: Binding | undefined): string {
  switch (b?.k) {
    case 'fn':
      return 'function';
    case 'adt':
      return b.def.kind;
    case 'behavior':
      return 'behavior';
    case 'const':
      return 'constant';
    case 'alias':
    case 'type':
      return 'type alias';
    case 'module':
      return 'module';
    default:
      return 'item';
  }
}

function definitionSpan(b: Binding | undefined): Span | null {
  switch (b?.k) {
    case 'fn':
      return b.def.decl?.nameSpan ?? b.def.span;
    case 'adt':
    case 'behavior':
      return b.def.span;
    case 'const':
      return b.def.decl.nameSpan;
    default:
      return null;
  }
}
