// The borrow checker (MEMORY.md §3), on MIR, in the style of rustc's non-lexical lifetimes. Loans are made by
// `ref`/`mut ref` of places with projections (analysis/borrowed_place.ts says what each one really borrows), held by
// the locals a reference flows into (analysis/loans.ts), and alive while a holder is live (analysis/liveness.ts).
// Every access of every statement is judged against the loans alive there, by prefix overlap of places:
//   - a read or a shared borrow conflicts with a live mutable loan (E0503, E0502);
//   - a mutable borrow conflicts with any live loan (E0499, E0502);
//   - moving out (E0505), assigning (E0506) or dropping (E0597) conflicts with any live loan.
// A `mut this` receiver's auto-ref is two-phase: shared while the call's arguments are evaluated, mutable from
// the call on. The arguments of one call are alive together, so `f(ref xs[0], mut ref xs)` conflicts.
import type { DiagnosticBag, Label } from '../syntax/diagnostics.js';
import type { Span } from '../syntax/source.js';
import type { MirFunction, Place } from './mir.js';
import { dropUse, localsRead, statementAccesses, terminatorAccesses, type Access } from './analysis/accesses.js';
import { borrowedPlace, overlaps, throughRefLocal } from './analysis/borrowed_place.js';
import { PlaceNames } from './analysis/describe_place.js';
import { placeType, projType } from './analysis/place_type.js';
import { typeToString } from '../sema/types.js';
import { liveness } from './analysis/liveness.js';
import { collectLoans, heldBy, type Loan, type LoanFacts } from './analysis/loans.js';
import { stmtDest, successors } from './move_paths.js';

/** `library`: a body of the standard library, which may change what a `@shared` handle points to (its own
 * counts, in `lowlevel` code). */
export function checkBorrows(f: MirFunction, diags: DiagnosticBag, library = false): void {
  if (!library) checkSharedPointees(f, diags);
  const facts = collectLoans(f);
  if (facts.loans.length === 0) return;
  const live = liveness(f);
  const names = new PlaceNames(f);
  const reported = new Set<number>();
  const laterUse = laterUseFinder(f, facts);

  f.blocks.forEach((blk, bi) => {
    const holdings = facts.holdingsAt(bi);
    const judge = (si: number, accesses: Access[], stmtSpan: Span) => {
      const before = holdings[Math.min(si, blk.stmts.length)]!;
      const after = holdings[Math.min(si + 1, blk.stmts.length)]!;
      const liveAfter = si < blk.stmts.length ? live.after(bi, si) : new Set<number>();
      const readHere = localsRead(accesses);
      const s = si < blk.stmts.length ? blk.stmts[si]! : null;
      const dropped = s ? dropUse(f, s) : null; // a guard's drop uses its loans (analysis/accesses.ts)
      if (dropped !== null) readHere.add(dropped);
      const made = s ? facts.madeAt.get(s) : undefined;
      // loans alive during this statement: those a local live after it holds, and those it uses
      const active = heldBy(after, liveAfter);
      for (const id of heldBy(before, readHere)) active.add(id);
      if (made) active.delete(made.id);
      if (active.size === 0) return;
      // a two-phase loan is only reserved (shared) until the statement that uses its receiver
      const reserved = (L: Loan) => L.twoPhase && !readHere.has(L.holder) && (before.get(L.holder)?.has(L.id) ?? false);

      const conflicts: { access: Access; loan: Loan }[] = [];
      const judgeAccess = (a: Access) => {
        const p = borrowedPlace(f, a.place);
        if (!p) return;
        for (const id of active) {
          const L = facts.loans[id]!;
          if (!overlaps(L.place, p)) continue;
          const mutableNow = L.mutable && !reserved(L);
          if ((a.kind === 'read' || a.kind === 'ref' || a.kind === 'reserve') && !mutableNow) continue;
          // assigning a reference local does not touch what it referred to
          if (a.kind === 'write' && a.place.proj.length === 0 && throughRefLocal(f, L.place)) continue;
          conflicts.push({ access: a, loan: L });
          return;
        }
      };
      for (const a of accesses) {
        if (a.kind === 'drop' && s && dropBeforeAssign(f, bi, si)) continue;
        // an element access reads the collection's length and data pointer first; the element access itself is
        // what is judged (so `f(mut ref xs[0], mut ref xs[1])` is a second mutable borrow, not a use of `xs.len`)
        if (a.kind === 'read' && collectionInternals(f, a.place)) continue;
        judgeAccess(a);
      }
      // activating two-phase loans: the receiver becomes a mutable borrow at its call
      for (const l of readHere) {
        for (const id of before.get(l) ?? []) {
          const L = facts.loans[id]!;
          if (!L.twoPhase || L.holder !== l) continue;
          for (const oid of active) {
            if (oid === id) continue;
            const O = facts.loans[oid]!;
            if (O.holder === l || !overlaps(O.place, L.place)) continue;
            conflicts.push({ access: { kind: 'mutref', place: L.written, span: L.span }, loan: O });
            break;
          }
        }
      }
      for (const { access, loan } of conflicts) {
        if (reported.has(loan.id)) continue;
        reported.add(loan.id);
        let span = access.span ?? stmtSpan;
        const dropped = f.locals[access.place.local]!;
        if (access.kind === 'drop' && dropped.kind === 'temp' && dropped.span && access.place.proj.length === 0) {
          reportTemporary(diags, dropped.span, loan, laterUse(loan, bi, si));
          continue;
        }
        // a scope-end drop reads as the closing brace (the drop's span is the whole block)
        if (access.kind === 'drop' && span.end > span.start) span = { file: span.file, start: span.end - 1, end: span.end };
        report(diags, names, access, loan, span, laterUse(loan, bi, si));
        break;
      }
    };
    blk.stmts.forEach((s, si) => {
      if (s.k === 'nop') return;
      // accesses without an expression of their own take the statement's span
      judge(si, statementAccesses(s).map((a) => (a.span === null ? { ...a, span: s.span } : a)), s.span);
    });
    const ta = terminatorAccesses(blk.term);
    if (ta.length) judge(blk.stmts.length, ta, blk.termSpan ?? f.span);
  });
}

/** The pointee of a `@shared` handle (`Shared`, `Sync`, `ArenaRef`) belongs to every copy of the handle: assigning
 * it, borrowing it mutably (a `mut this` method through auto-deref included) or moving out of it would change what
 * a reference taken through another handle still reads (E0594, E0596). */
function checkSharedPointees(f: MirFunction, diags: DiagnosticBag): void {
  const reported = new Set<number>();
  for (const b of f.blocks)
    for (const s of b.stmts) {
      if (s.k === 'nop' || f.lowlevel?.some((l) => l.start <= s.span.start && s.span.end <= l.end)) continue;
      for (const w of statementAccesses(s)) {
        if (w.kind !== 'write' && w.kind !== 'mutref' && w.kind !== 'reserve') continue;
        const handle = sharedHandleOn(f, w.place);
        if (!handle || reported.has(s.span.start)) continue;
        reported.add(s.span.start);
        if (w.kind === 'write') diags.error('E0594', `cannot assign to data in a \`${handle}\``, s.span, { label: 'cannot assign', notes: [`every copy of a \`${handle}\` shares its value, so it is read-only through \`*\`; keep a \`Heap\` or a class instance inside to change it`] });
        else diags.error('E0596', `cannot borrow data in a \`${handle}\` as mutable`, s.span, { label: 'cannot borrow as mutable', notes: [`every copy of a \`${handle}\` shares its value, so it is read-only through \`*\``] });
      }
    }
}

/** The `@shared` handle type a place goes through (`(*s.ptr).value`), if any. */
function sharedHandleOn(f: MirFunction, p: Place): string | null {
  let t = f.locals[p.local]!.ty;
  for (let i = 0; i < p.proj.length; i++) {
    const pr = p.proj[i]!;
    if (pr.k === 'field' && t.k === 'adt' && t.def.attrs.has('shared') && t.def.deref?.[0] === pr.index && p.proj[i + 1]?.k === 'deref') return typeToString(t);
    t = projType(t, pr);
  }
  return null;
}

/** A read of an `@index` collection's own `len` or `data` field (bounds checks, element addresses). */
function collectionInternals(f: MirFunction, p: Place): boolean {
  const last = p.proj[p.proj.length - 1];
  if (!last || last.k !== 'field') return false;
  const t = placeType(f, { local: p.local, proj: p.proj.slice(0, -1) });
  return t.k === 'adt' && !!t.def.index && (t.def.index.len === last.index || t.def.index.data === last.index);
}

/** A temporary dropped at the end of its statement while a reference into it lives on (`ref make()[0]`). */
function reportTemporary(diags: DiagnosticBag, temp: Span, L: Loan, later: { span: Span; loop: boolean } | null): void {
  const secondary: Label[] = [{ span: L.span, message: 'borrow of the temporary occurs here' }];
  if (later) secondary.push({ span: later.span, message: 'borrow later used here' });
  diags.error('E0716', 'temporary value dropped while borrowed', temp, {
    label: 'creates a temporary value which is freed at the end of the statement while still in use',
    secondary,
    notes: ['bind the value to a variable with `let`, so that it lives until the end of the block'],
  });
}

/** `drop(x)` right before `x = …`: the assignment's own drop of the old value; the assignment reports. */
function dropBeforeAssign(f: MirFunction, bi: number, si: number): boolean {
  const stmts = f.blocks[bi]!.stmts;
  const d = stmts[si]!;
  if (d.k !== 'drop') return false;
  for (let k = si + 1; k < stmts.length; k++) {
    const s = stmts[k]!;
    if (s.k === 'nop') continue;
    const dest = stmtDest(s);
    return !!dest && dest.local === d.place.local && dest.proj.length === d.place.proj.length;
  }
  return false;
}

function report(diags: DiagnosticBag, names: PlaceNames, a: Access, L: Loan, span: Span, later: LaterUse | null): void {
  const what = names.describe(a.place) ?? names.describe(L.written) ?? 'a temporary value';
  const borrowed = names.describe(L.written) ?? what;
  const q = (s: string) => `\`${s}\``;
  // a reserved two-phase borrow is still a mutable one: a second `mut ref` meanwhile is E0499
  const loanKind = L.mutable ? 'mutable' : 'immutable';
  const secondary: Label[] = [];
  const dropNote = later?.dropOf !== undefined ? `, when ${later.dropOf ? `\`${later.dropOf}\`` : 'the guard'} is dropped` : '';
  const laterLabel = (kind: string) => later && secondary.push({ span: later.span, message: `${kind}borrow later used here${dropNote}${later.loop ? ', in later iteration of loop' : ''}` });
  const notes: string[] = [];
  if (later) notes.push(`the borrow of ${q(borrowed)} lives until its last use${later.loop ? ', in the next iteration of the loop' : ''}; end it before this ${a.kind === 'write' ? 'assignment' : a.kind === 'move' ? 'move' : a.kind === 'drop' ? 'drop' : 'access'}`);
  const extra = (label: string, loanLabel: string, laterKind: string) => {
    secondary.push({ span: L.span, message: loanLabel });
    laterLabel(laterKind);
    return { label, secondary, notes };
  };
  switch (a.kind) {
    case 'read':
      return diags.error('E0503', `cannot use ${q(what)} because it was mutably borrowed`, span, extra(`use of borrowed ${q(borrowed)}`, `${q(borrowed)} is borrowed here`, ''));
    case 'ref':
    case 'reserve': // a two-phase borrow, still reserved, conflicts as a shared one
      return diags.error('E0502', `cannot borrow ${q(what)} as immutable because it is also borrowed as mutable`, span, extra('immutable borrow occurs here', 'mutable borrow occurs here', 'mutable '));
    case 'mutref':
      if (loanKind === 'mutable') return diags.error('E0499', `cannot borrow ${q(what)} as mutable more than once at a time`, span, extra('second mutable borrow occurs here', 'first mutable borrow occurs here', 'first '));
      return diags.error('E0502', `cannot borrow ${q(what)} as mutable because it is also borrowed as immutable`, span, extra('mutable borrow occurs here', 'immutable borrow occurs here', 'immutable '));
    case 'move':
      return diags.error('E0505', `cannot move out of ${q(what)} because it is borrowed`, span, extra(`move out of ${q(what)} occurs here`, `borrow of ${q(borrowed)} occurs here`, ''));
    case 'write':
      return diags.error('E0506', `cannot assign to ${q(what)} because it is borrowed`, span, extra(`${q(what)} is assigned to here but it was already borrowed`, `borrow of ${q(borrowed)} occurs here`, ''));
    case 'drop':
      return diags.error('E0597', `${q(what)} does not live long enough`, span, extra(`${q(what)} dropped here while still borrowed`, `borrow of ${q(borrowed)} occurs here`, ''));
  }
}

/** Where a loan is used later; `dropOf`: by the drop of that guard (a `@borrow` value with drop glue). */
interface LaterUse {
  span: Span;
  loop: boolean;
  dropOf?: string | null;
}

/** Finds, after a point, the first use of a local holding a loan (what keeps the loan alive there). */
function laterUseFinder(f: MirFunction, facts: LoanFacts): (L: Loan, bi: number, si: number) => LaterUse | null {
  const succ = successors(f);
  return (L, bi, si) => {
    const holders = facts.holders.get(L.id) ?? new Set();
    const here = f.blocks[bi]!.stmts[si];
    const hereSpan = here && 'span' in here ? here.span : null;
    const seen = new Set<number>();
    const queue: { b: number; from: number }[] = [{ b: bi, from: si + 1 }];
    while (queue.length) {
      const { b, from } = queue.shift()!;
      const blk = f.blocks[b]!;
      const hs = facts.holdingsAt(b);
      for (let k = from; k < blk.stmts.length; k++) {
        const s = blk.stmts[k]!;
        const reads = localsRead(statementAccesses(s));
        const d = dropUse(f, s);
        if (d !== null && s.k === 'drop' && holders.has(d) && hs[k]!.get(d)?.has(L.id)) {
          // a guard dropped at the end of its scope: the closing brace, named as the drop of the guard
          const span = s.span.end > s.span.start ? { file: s.span.file, start: s.span.end - 1, end: s.span.end } : s.span;
          return { span, loop: !!hereSpan && s.span.end <= hereSpan.start, dropOf: f.locals[d]!.name ?? null };
        }
        for (const l of reads) {
          if (holders.has(l) && hs[k]!.get(l)?.has(L.id) && 'span' in s) return { span: s.span, loop: !!hereSpan && s.span.end <= hereSpan.start };
        }
      }
      const treads = localsRead(terminatorAccesses(blk.term));
      for (const l of treads) if (holders.has(l) && hs[blk.stmts.length]!.get(l)?.has(L.id) && blk.termSpan) return { span: blk.termSpan, loop: !!hereSpan && blk.termSpan.end <= hereSpan.start };
      for (const t of succ[b]!) {
        if (seen.has(t)) continue;
        seen.add(t);
        queue.push({ b: t, from: 0 });
      }
    }
    return null;
  };
}

