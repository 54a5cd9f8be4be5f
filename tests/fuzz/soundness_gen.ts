// The soundness fuzzer's generator (issue 9): random, well-typed TML scenarios over owners and references.
//
// A scenario is one function: owner declarations, then episodes. An episode borrows one place (a form of
// soundness_borrows.ts), runs a few steps while the reference lives — reads through it, writes through it if it
// is a `mut ref`, reads and writes of places that do NOT overlap the borrowed one — then uses the reference a
// last time; after that it may invalidate the place (now sound: the reference is dead). Episodes may sit in a
// loop or in the branches of an `if`; references never outlive their episode.
//
// Sound mode emits only that, so every program is sound by construction (MEMORY.md §3). Mutation mode generates
// the same scenario and inserts ONE conflicting action (a write to an overlapping place; for a `mut ref`, also a
// read) between one borrow and that reference's last use, and records both statements: the checker must reject
// the program with an ownership error there.
//
// Deterministic: scenario `index` of seed `seed` depends only on the two (its own PRNG, as mutate.ts does).
import { mutantSeed, Rng } from './mutate.js';
import { borrows, refReads, refWrites, type Borrow } from './soundness_borrows.js';
import { Model, nest, printStmts, runAll, type Stmt } from './soundness_ir.js';
import { declare, KINDS, overlaps, PRELUDE, reads, writes, type Action, type Ctx, type Kind, type Owner } from './soundness_owners.js';

export type Mode = 'sound' | 'mutation';

/** The conflict a mutation-mode scenario contains. */
export interface Conflict {
  inserted: Stmt[];
  borrow: Stmt;
  /** e.g. `xs1.pop() while r3 = ref xs1[0] is live` */
  what: string;
}

export interface Scenario {
  name: string;
  seed: number;
  index: number;
  mode: Mode;
  body: Stmt[];
  /** mutation mode only (null when no episode could take a conflict: the scenario is then sound) */
  conflict: Conflict | null;
}

/** A place where a conflicting action can go: position `index` of `body`, while `borrow` is live. */
interface Hole {
  body: Stmt[];
  index: number;
  borrow: Borrow;
  owner: Owner;
  at: Stmt;
}

const PREFIX: Record<Kind, string> = { heap: 'h', listh: 'xs', listi: 'ys', map: 'mp', shared: 'sh', box: 'b', maybe: 'm', slot: 'sl' };

function makeCtx(rng: Rng): Ctx {
  const counts = new Map<string, number>();
  return {
    rng,
    fresh(prefix) {
      const k = counts.get(prefix) ?? 0;
      counts.set(prefix, k + 1);
      return `${prefix}${k}`;
    },
    val: () => 1 + rng.int(90),
  };
}

class ScenarioBuilder {
  readonly holes: Hole[] = [];
  readonly owners: Owner[] = [];

  constructor(readonly c: Ctx) {
    const n = 2 + c.rng.int(3);
    for (let i = 0; i < n; i++) {
      const kind = c.rng.pick(KINDS);
      this.owners.push({ name: `${PREFIX[kind]}${i}`, kind });
    }
  }

  body(): Stmt[] {
    const out = this.owners.flatMap((o) => declare(o, this.c));
    const n = 2 + this.c.rng.int(4);
    for (let i = 0; i < n; i++) out.push(...this.wrapped(0));
    return out;
  }

  /** An episode, maybe inside a loop or an `if` (nested at most twice). */
  private wrapped(depth: number): Stmt[] {
    const rng = this.c.rng;
    const roll = depth < 2 ? rng.int(10) : 9;
    if (roll === 0) {
      const i = this.c.fresh('i');
      const times = 2 + rng.int(2);
      const inner = this.wrapped(depth + 1);
      return [
        nest(
          [
            { depth: 0, line: `for ${i} in 0 to ${times} {` },
            { depth: 1, body: inner },
            { depth: 0, line: '}' },
          ],
          (_m, run) => {
            for (let k = 0; k < times; k++) run(0);
          },
        ),
      ];
    }
    if (roll === 1) {
      const cond = this.condition();
      const yes = this.wrapped(depth + 1);
      const no = this.wrapped(depth + 1);
      return [
        nest(
          [
            { depth: 0, line: `if ${cond.expr} {` },
            { depth: 1, body: yes },
            { depth: 0, line: '} else {' },
            { depth: 1, body: no },
            { depth: 0, line: '}' },
          ],
          (m, run) => run(cond.test(m) ? 0 : 1),
        ),
      ];
    }
    if (roll === 2) return this.plain();
    return this.episode();
  }

  private condition(): { expr: string; test: (m: Model) => boolean } {
    const o = this.c.rng.pick(this.owners);
    const n = o.name;
    switch (o.kind) {
      case 'heap':
      case 'shared':
        return { expr: `${n}.get() > 45`, test: (m) => m.num(n) > 45 };
      case 'listh':
      case 'listi':
        return { expr: `${n}.len() > 1`, test: (m) => m.list(n).length > 1 };
      case 'map':
        return { expr: `${n}.len() > 1`, test: (m) => m.map(n).size > 1 };
      case 'box':
        return { expr: `${n}.h.get() > 45`, test: (m) => m.num(`${n}.h`) > 45 };
      case 'maybe':
        return { expr: `${n}.is_just()`, test: (m) => m.opts.get(n) !== null };
      case 'slot':
        return { expr: `slot_value(ref ${n}) > 45`, test: (m) => (m.opts.get(n) ?? 0) > 45 };
    }
  }

  /** A write or a read with no reference live. */
  private plain(): Stmt[] {
    const o = this.c.rng.pick(this.owners);
    return this.c.rng.chance(0.7) ? this.c.rng.pick(writes(o, this.c)).stmts : [this.c.rng.pick(reads(o, this.c)).stmt];
  }

  private episode(): Stmt[] {
    const { rng } = this.c;
    const owner = rng.pick(this.owners);
    const b = rng.pick(borrows(owner, this.c));
    const steps: Stmt[] = [];
    const nsteps = rng.int(4);
    for (let k = 0; k < nsteps; k++) {
      const roll = rng.int(4);
      if (roll === 0) steps.push(rng.pick(refReads(b)));
      else if (roll === 1 && b.mut) steps.push(rng.pick(refWrites(b, this.c)));
      else if (roll === 1 || roll === 2) {
        // a write elsewhere: another owner, or a field the borrow does not cover
        const w = this.owners.flatMap((o) => writes(o, this.c)).filter((a) => !overlaps(a.place, b.place));
        if (w.length > 0) steps.push(...rng.pick(w).stmts);
      } else {
        // a shared read: of anything if the borrow is shared, elsewhere if it is a `mut ref`
        const r = this.owners.flatMap((o) => reads(o, this.c)).filter((x) => !b.mut || !overlaps(x.place, b.place));
        if (r.length > 0) steps.push(rng.pick(r).stmt);
      }
    }
    const body = [...steps, rng.pick(refReads(b))];
    const hole = rng.int(steps.length + 1);
    const { stmt, at } = b.build(body);
    // `build` may have put the binding in front of the steps
    this.holes.push({ body, index: hole + (body.length - steps.length - 1), borrow: b, owner, at });
    const out = [stmt];
    if (rng.chance(0.6)) {
      // invalidate the borrowed place now that the reference is dead
      const w = writes(owner, this.c).filter((a) => overlaps(a.place, b.place));
      if (w.length > 0) out.push(...rng.pick(w).stmts);
    }
    return out;
  }

  /** Mutation mode: one conflicting action into one hole. */
  insertConflict(): Conflict | null {
    const { rng } = this.c;
    if (this.holes.length === 0) return null;
    const h = rng.pick(this.holes);
    const b = h.borrow;
    const acts: Action[] = writes(h.owner, this.c).filter((a) => overlaps(a.place, b.place));
    if (b.mut) {
      for (const r of reads(h.owner, this.c)) if (overlaps(r.place, b.place)) acts.push({ place: r.place, stmts: [r.stmt] });
    }
    if (acts.length === 0) return null;
    const a = rng.pick(acts);
    h.body.splice(h.index, 0, ...a.stmts);
    const text = a.stmts.map((s) => (s.k === 'line' ? s.text : '{…}')).join('; ');
    return { inserted: a.stmts, borrow: h.at, what: `\`${text}\` while \`${b.ref}\` (${b.mut ? 'mut ' : ''}borrow of ${b.place.v}${b.place.f ? '.' + b.place.f : ''}) is live` };
  }
}

/** Scenario `index` of `seed` in `mode`. The mutation-mode scenario is the sound one plus one insertion. */
export function genScenario(seed: number, index: number, mode: Mode): Scenario {
  const rng = new Rng(mutantSeed(seed, index));
  const sb = new ScenarioBuilder(makeCtx(rng));
  const body = sb.body();
  const conflict = mode === 'mutation' ? sb.insertConflict() : null;
  return { name: mode === 'sound' ? `s${index}` : `m${index}`, seed, index, mode, body, conflict };
}

/** Where a scenario's conflict landed in a rendered program (1-based lines). */
export interface ConflictLines {
  inserted: number[];
  borrow: number;
}

export interface Program {
  text: string;
  /** per scenario, in order: its conflict's lines, or null */
  conflicts: (ConflictLines | null)[];
  /** per scenario, in order: the lines of its function */
  ranges: { first: number; last: number }[];
}

/** One program: the prelude, one function per scenario, and a `main` that calls them in turn. */
export function renderProgram(scenarios: readonly Scenario[]): Program {
  const out = PRELUDE.trimEnd().split('\n');
  const conflicts: (ConflictLines | null)[] = [];
  const ranges: { first: number; last: number }[] = [];
  for (const s of scenarios) {
    const lineOf = new Map<Stmt, number>();
    out.push('', `func ${s.name}() {`, `    println("== ${s.name}")`);
    const first = out.length - 1;
    printStmts(s.body, 1, out, lineOf);
    out.push('}');
    ranges.push({ first, last: out.length });
    const c = s.conflict;
    conflicts.push(c === null ? null : { inserted: c.inserted.map((x) => lineOf.get(x) ?? 0), borrow: lineOf.get(c.borrow) ?? 0 });
  }
  out.push('', 'func main() {', ...scenarios.map((s) => `    ${s.name}()`), '}', '');
  return { text: out.join('\n'), conflicts, ranges };
}

/** What the program of these scenarios prints, by the model; `bad` says why the model could not tell. */
export function expectedOutput(scenarios: readonly Scenario[]): { lines: string[]; bad: string } {
  const lines: string[] = [];
  for (const s of scenarios) {
    const m = new Model();
    runAll(s.body, m);
    if (m.bad !== '') return { lines, bad: `${s.name}: ${m.bad}` };
    lines.push(`== ${s.name}`, ...m.out);
  }
  return { lines, bad: '' };
}
