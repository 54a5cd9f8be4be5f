// Loans and who holds them. A loan is made by each `ref`/`mut ref` of a tracked place (see borrowed_place.ts).
// References are second-class (MEMORY.md §3), so only locals of this function hold loans: the local a reference is
// assigned to, any local it is copied or moved into (also inside an aggregate such as `Maybe[ref V]`), a
// reference made through it (a reborrow `ref (*r).a` holds `r`'s loans as well as its own), and the result of a
// call whose type contains a reference (`HashMap::get`, `Arena::alloc`) holds the loans of the call's arguments.
// A forward dataflow gives, before each statement, the loans each local may hold; assigning a whole local replaces
// what it holds, so a reassigned reference stops keeping its old loans alive.
import type { Span } from '../../syntax/source.js';
import { containsRef } from '../../sema/collect.js';
import type { LocalId, MirFunction, Place, Statement } from '../mir.js';
import { rvalueOperands, stmtDest, successors } from '../move_paths.js';
import { borrowedPlace, throughRefLocal } from './borrowed_place.js';

export interface Loan {
  readonly id: number;
  /** the place borrowed (as borrowed_place.ts computes it) */
  readonly place: Place;
  /** the place as written, for messages */
  readonly written: Place;
  readonly mutable: boolean;
  /** a `mut this` receiver's two-phase borrow: shared until the call that uses it */
  readonly twoPhase: boolean;
  readonly span: Span;
  readonly block: number;
  readonly stmt: number;
  /** the local the reference was first assigned to */
  readonly holder: LocalId;
}

/** For each local, the loans it may hold. */
export type Holdings = Map<LocalId, Set<number>>;

export interface LoanFacts {
  readonly loans: Loan[];
  /** the loan made by a statement, if it makes one */
  readonly madeAt: Map<Statement, Loan>;
  /** the holdings before each statement (index si) and after the last (index stmts.length) of each block */
  holdingsAt(bi: number): Holdings[];
  /** every local that ever holds each loan (flow-insensitive; for finding the use that keeps a loan alive) */
  readonly holders: Map<number, Set<LocalId>>;
}

/** The loans that any of `locals` holds. */
export function heldBy(h: Holdings, locals: Iterable<LocalId>): Set<number> {
  const out = new Set<number>();
  for (const l of locals) for (const id of h.get(l) ?? []) out.add(id);
  return out;
}

/** Can a value of this type carry a loan (a reference, or something made from one)? */
export function carriesLoans(f: MirFunction, l: LocalId): boolean {
  const t = f.locals[l]!.ty;
  return containsRef(t) || t.k === 'ptr';
}

export function collectLoans(f: MirFunction): LoanFacts {
  const loans: Loan[] = [];
  const madeAt = new Map<Statement, Loan>();
  f.blocks.forEach((b, bi) =>
    b.stmts.forEach((s, si) => {
      if (s.k !== 'assign' || s.rvalue.k !== 'ref' || s.rvalue.raw) return;
      const p = borrowedPlace(f, s.rvalue.place);
      if (!p) return;
      const loan: Loan = { id: loans.length, place: p, written: s.rvalue.place, mutable: s.rvalue.mutable, twoPhase: !!s.rvalue.twoPhase, span: s.span, block: bi, stmt: si, holder: s.place.local };
      loans.push(loan);
      madeAt.set(s, loan);
    }),
  );

  // no loan, nothing held: skip the dataflow (most functions borrow nothing that is tracked)
  if (loans.length === 0) {
    const none = new Map<number, Holdings[]>();
    const holdingsAt = (bi: number): Holdings[] => {
      let out = none.get(bi);
      if (!out) none.set(bi, (out = Array.from({ length: f.blocks[bi]!.stmts.length + 1 }, () => new Map())));
      return out;
    };
    return { loans, madeAt, holdingsAt, holders: new Map() };
  }

  const transfer = (s: Statement, h: Holdings) => {
    const dest = stmtDest(s);
    if (!dest || !carriesLoans(f, dest.local)) return;
    const got = new Set<number>();
    const take = (l: LocalId) => {
      for (const id of h.get(l) ?? []) got.add(id);
    };
    if (s.k === 'assign') {
      const r = s.rvalue;
      if (r.k === 'ref') {
        const made = madeAt.get(s);
        take(r.place.local); // a reborrow through a reference keeps the outer loans
        const into = f.locals[r.place.local]!.pointsInto;
        if (into) take(into.local);
        if (made) {
          got.add(made.id);
          take(made.place.local);
        }
      } else {
        // copies, casts, aggregates, pointer arithmetic: the result carries what its operands carry
        for (const o of rvalueOperands(r)) if (o.k !== 'const') take(o.place.local);
      }
    } else if (s.k === 'call') {
      for (const a of s.args) if (a.k !== 'const' && carriesLoans(f, a.place.local)) take(a.place.local);
    }
    if (dest.proj.length === 0) {
      h.set(dest.local, got);
      // a reference reassigned no longer reaches its old referent: loans taken through it end (`cur = ref cur.next`)
      if (f.locals[dest.local]!.ty.k === 'ref') {
        for (const [l, ids] of h) {
          const ended = [...ids].filter((id) => loans[id]!.place.local === dest.local && throughRefLocal(f, loans[id]!.place));
          if (ended.length === 0) continue;
          const kept = new Set(ids);
          for (const id of ended) kept.delete(id);
          h.set(l, kept);
        }
      }
    } else {
      const cur = new Set(h.get(dest.local) ?? []);
      for (const id of got) cur.add(id);
      h.set(dest.local, cur);
    }
  };

  const succ = successors(f);
  const entry: (Holdings | null)[] = f.blocks.map(() => null);
  entry[0] = new Map();
  const work = [0];
  // the sets in a Holdings are never changed once made (transfer and the join make new ones), so a copy shares
  // them: copying per statement is linear in the locals holding loans, not in all the loans they hold
  const clone = (h: Holdings): Holdings => new Map(h);
  while (work.length) {
    const bi = work.pop()!;
    const h = clone(entry[bi]!);
    for (const s of f.blocks[bi]!.stmts) transfer(s, h);
    for (const t of succ[bi]!) {
      const cur = entry[t];
      if (!cur) {
        entry[t] = clone(h);
        work.push(t);
        continue;
      }
      let grew = false;
      for (const [l, ids] of h) {
        const into = cur.get(l);
        const missing = into ? [...ids].filter((id) => !into.has(id)) : [...ids];
        if (into && missing.length === 0) continue;
        cur.set(l, new Set([...(into ?? []), ...missing]));
        grew = true;
      }
      if (grew) work.push(t);
    }
  }

  const holders = new Map<number, Set<LocalId>>();
  const cache = new Map<number, Holdings[]>();
  const holdingsAt = (bi: number): Holdings[] => {
    let out = cache.get(bi);
    if (out) return out;
    const h = clone(entry[bi] ?? new Map());
    out = [clone(h)];
    for (const s of f.blocks[bi]!.stmts) {
      transfer(s, h);
      out.push(clone(h));
    }
    cache.set(bi, out);
    return out;
  };
  f.blocks.forEach((_, bi) => {
    for (const h of holdingsAt(bi)) {
      for (const [l, ids] of h) {
        for (const id of ids) {
          let s = holders.get(id);
          if (!s) holders.set(id, (s = new Set()));
          s.add(l);
        }
      }
    }
  });
  return { loans, madeAt, holdingsAt, holders };
}
