// Field privacy of the standard library's types. Their fields (a List's `data`/`len`, a ListIter's pointer, a
// Heap's `ptr`) carry invariants that only the library's `lowlevel` code keeps: writing `l.len = 5` or building
// `ListIter { data: null, … }` in ordinary code would read out of bounds with no `lowlevel` in sight. So only the
// library, and `lowlevel` code (which answers for invariants anyway), names them; a `pub` library field is open to
// everyone. A program's own modules form one package
// and see each other's fields (LANGUAGE.md says nothing of field visibility; see docs/decisions.md).
import type { Span } from '../syntax/source.js';
import type { DiagSink } from './error_type.js';
import type { AdtDef, FieldDef } from './types.js';

/** Whether code may name this field: `trusted` is library code or a `lowlevel` block. */
export function fieldVisible(f: FieldDef, trusted: boolean): boolean {
  return trusted || f.libraryPrivate !== true;
}

/** E0616: reading or writing a private field (`l.len`). */
export function privateFieldAccess(diags: DiagSink, adt: AdtDef, field: string, span: Span): void {
  diags.error('E0616', `field \`${field}\` of ${adt.kind} \`${adt.name}\` is private`, span, {
    label: 'private field',
    notes: [`the standard library keeps the fields of \`${adt.name}\` to itself (its \`lowlevel\` code relies on them): use its methods, or a \`lowlevel\` block if you answer for its invariants`],
  });
}

/** E0451: a literal or pattern of a library type naming (or, for a literal, needing) a private field. */
export function privateFieldInLiteral(diags: DiagSink, adt: AdtDef, field: string, span: Span, what: 'literal' | 'pattern'): void {
  diags.error('E0451', `field \`${field}\` of ${adt.kind} \`${adt.name}\` is private`, span, {
    label: what === 'literal' ? `a \`${adt.name}\` cannot be built field by field outside the library` : 'private field',
    notes: [`the standard library keeps the fields of \`${adt.name}\` to itself: use its constructors and methods`],
  });
}
