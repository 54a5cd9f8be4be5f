// What one MIR statement or terminator does to places, in evaluation order: the reads, moves, writes, borrows and
// drops the borrow checker judges against the loans live there (MEMORY.md §3). Operands come first (they are
// evaluated before the destination is written); a call's callee operands (closure value, virtual object) count.
import type { Span } from '../../syntax/source.js';
import type { Type } from '../../sema/types.js';
import type { LocalId, MirFunction, Operand, Place, Statement, Terminator } from '../mir.js';
import { rvalueOperands } from '../move_paths.js';

export type AccessKind =
  /** a read (copy, discriminant, retain) */
  | 'read'
  /** a move out */
  | 'move'
  /** an assignment to the place (the old value is overwritten) */
  | 'write'
  /** the value's drop glue runs (its storage ends, or it is replaced) */
  | 'drop'
  /** a shared borrow */
  | 'ref'
  /** a two-phase mutable borrow (a `mut this` receiver): judged as shared until its call, a change all the same */
  | 'reserve'
  /** a mutable borrow */
  | 'mutref';

export interface Access {
  readonly kind: AccessKind;
  readonly place: Place;
  /** the source expression, when the operand has one */
  readonly span: Span | null;
}

function operandAccess(o: Operand): Access | null {
  if (o.k === 'const') return null;
  return { kind: o.k === 'move' ? 'move' : 'read', place: o.place, span: o.span ?? null };
}

export function statementAccesses(s: Statement): Access[] {
  const out: Access[] = [];
  const push = (a: Access | null) => a && out.push(a);
  switch (s.k) {
    case 'assign': {
      for (const o of rvalueOperands(s.rvalue)) push(operandAccess(o));
      const r = s.rvalue;
      if (r.k === 'discriminant') out.push({ kind: 'read', place: r.place, span: null });
      if (r.k === 'ref' && !r.raw) out.push({ kind: !r.mutable ? 'ref' : r.twoPhase ? 'reserve' : 'mutref', place: r.place, span: null });
      out.push({ kind: 'write', place: s.place, span: null });
      break;
    }
    case 'call': {
      const c = s.callee;
      if (c.k === 'closure') push(operandAccess(c.value));
      if (c.k === 'virtual') push(operandAccess(c.object));
      if (c.k === 'slot') push(operandAccess(c.vtable));
      for (const a of s.args) push(operandAccess(a));
      if (s.dest) out.push({ kind: 'write', place: s.dest, span: null });
      break;
    }
    case 'drop':
      out.push({ kind: 'drop', place: s.place, span: null });
      break;
    case 'retain':
      out.push({ kind: 'read', place: s.place, span: null });
      break;
    case 'nop':
      break;
  }
  return out;
}

export function terminatorAccesses(t: Terminator): Access[] {
  if (t.k === 'branch') return [operandAccess(t.cond)].filter((a): a is Access => a !== null);
  if (t.k === 'switch') return [operandAccess(t.discr)].filter((a): a is Access => a !== null);
  return [];
}

/** The locals whose values a statement reads (the holders whose loans it uses), including index locals. */
export function localsRead(accesses: readonly Access[]): Set<number> {
  const out = new Set<number>();
  for (const a of accesses) {
    if (a.kind !== 'write' && a.kind !== 'drop') out.add(a.place.local);
    else if (a.place.proj.length) out.add(a.place.local); // writing through or into a part reads the base
    for (const pr of a.place.proj) if (pr.k === 'index') out.add(pr.index);
  }
  return out;
}

/** Does a value of this type hold a `@borrow` library value (`MutexGuard`, `ArenaRef`) at any depth? */
export function holdsBorrowAdt(t: Type): boolean {
  switch (t.k) {
    case 'adt':
      return t.def.attrs.has('borrow') || t.args.some(holdsBorrowAdt);
    case 'tuple':
      return t.elems.some(holdsBorrowAdt);
    case 'array':
      return holdsBorrowAdt(t.elem);
    default:
      return false;
  }
}

/** The local whose loans a statement's drop glue uses: dropping a value that holds a `@borrow` library value with
 * drop glue (a `MutexGuard` unlocks its mutex) runs code that reaches what it borrows, so the drop is a use of its
 * loans, like a read: the borrowed value must still be there (Rust: a type with `Drop` is used by its drop). */
export function dropUse(f: MirFunction, s: Statement): LocalId | null {
  if (s.k !== 'drop' || s.place.proj.length !== 0) return null;
  return holdsBorrowAdt(f.locals[s.place.local]!.ty) ? s.place.local : null;
}
