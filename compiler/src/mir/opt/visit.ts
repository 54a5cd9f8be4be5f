// What the optimizer's passes share: rewriting the operands and locals of statements and terminators, and
// counting how each local is used. MIR nodes are immutable; a rewrite builds new nodes only where something changed.
import type { BasicBlock, Callee, LocalId, MirFunction, Operand, Place, Projection, Rvalue, Statement, Terminator } from '../mir.js';

export type OperandMap = (o: Operand) => Operand;

function mapRvalue(r: Rvalue, fn: OperandMap): Rvalue {
  switch (r.k) {
    case 'use':
      return { ...r, op: fn(r.op) };
    case 'binary':
    case 'checked':
      return { ...r, left: fn(r.left), right: fn(r.right) };
    case 'unary':
    case 'cast':
    case 'unsize':
      return { ...r, operand: fn(r.operand) };
    case 'aggregate':
      return { ...r, ops: r.ops.map(fn) };
    default:
      return r;
  }
}

function mapCallee(c: Callee, fn: OperandMap): Callee {
  if (c.k === 'closure') return { ...c, value: fn(c.value) };
  if (c.k === 'virtual') return { ...c, object: fn(c.object) };
  if (c.k === 'slot') return { ...c, vtable: fn(c.vtable) };
  return c;
}

/** The statement with every operand it reads replaced by `fn`'s (places it writes, borrows or drops untouched). */
export function mapStatementOperands(s: Statement, fn: OperandMap): Statement {
  if (s.k === 'assign') return { ...s, rvalue: mapRvalue(s.rvalue, fn) };
  if (s.k === 'call') return { ...s, callee: mapCallee(s.callee, fn), args: s.args.map(fn) };
  return s;
}

export function mapTerminatorOperands(t: Terminator, fn: OperandMap): Terminator {
  if (t.k === 'branch') return { ...t, cond: fn(t.cond) };
  if (t.k === 'switch') return { ...t, discr: fn(t.discr) };
  return t;
}

/** Every operand a statement reads, callee operands included. */
export function statementOperands(s: Statement): Operand[] {
  const out: Operand[] = [];
  mapStatementOperands(s, (o) => (out.push(o), o));
  return out;
}

export function terminatorOperands(t: Terminator): Operand[] {
  if (t.k === 'branch') return [t.cond];
  if (t.k === 'switch') return [t.discr];
  return [];
}

// ---------- renaming locals ----------

function renameProj(pr: Projection, m: (l: LocalId) => LocalId): Projection {
  return pr.k === 'index' ? { k: 'index', index: m(pr.index) } : pr;
}

export function renamePlace(p: Place, m: (l: LocalId) => LocalId): Place {
  return { local: m(p.local), proj: p.proj.map((pr) => renameProj(pr, m)) };
}

function renameOperand(o: Operand, m: (l: LocalId) => LocalId): Operand {
  return o.k === 'const' ? o : { ...o, place: renamePlace(o.place, m) };
}

/** The statement with every local it names (places, index locals, drop flags) renamed by `m`. */
export function renameStatement(s: Statement, m: (l: LocalId) => LocalId): Statement {
  const ops = mapStatementOperands(s, (o) => renameOperand(o, m));
  switch (ops.k) {
    case 'assign': {
      let r = ops.rvalue;
      if (r.k === 'ref' || r.k === 'discriminant') r = { ...r, place: renamePlace(r.place, m) };
      return { ...ops, place: renamePlace(ops.place, m), rvalue: r };
    }
    case 'call':
      return { ...ops, dest: ops.dest ? renamePlace(ops.dest, m) : null };
    case 'drop':
      return { ...ops, place: renamePlace(ops.place, m), flag: ops.flag === null ? null : m(ops.flag) };
    case 'retain':
      return { ...ops, place: renamePlace(ops.place, m) };
    default:
      return ops;
  }
}

export function renameTerminator(t: Terminator, m: (l: LocalId) => LocalId): Terminator {
  return mapTerminatorOperands(t, (o) => renameOperand(o, m));
}

// ---------- uses ----------

/** How a function uses each local: `defs` counts whole assignments (`_n = …`, a call's `_n` destination);
 * `uses` counts everything else (reads, moves, borrows, drops, retains, partial writes, index and flag uses). */
export interface LocalUses {
  readonly defs: Int32Array;
  readonly uses: Int32Array;
  /** locals whose address is taken (`ref`, `mut ref`, raw): they may change behind the MIR's back */
  readonly borrowed: Uint8Array;
}

export function localUses(f: MirFunction): LocalUses {
  const n = f.locals.length;
  const defs = new Int32Array(n);
  const uses = new Int32Array(n);
  const borrowed = new Uint8Array(n);
  const usePlace = (p: Place) => {
    uses[p.local]!++;
    for (const pr of p.proj) if (pr.k === 'index') uses[pr.index]!++;
  };
  const writePlace = (p: Place) => {
    if (p.proj.length === 0) defs[p.local]!++;
    else usePlace(p);
  };
  for (const b of f.blocks) {
    for (const s of b.stmts) {
      for (const o of statementOperands(s)) if (o.k !== 'const') usePlace(o.place);
      if (s.k === 'assign') {
        const r = s.rvalue;
        if (r.k === 'ref') {
          usePlace(r.place);
          borrowed[r.place.local] = 1;
        } else if (r.k === 'discriminant') usePlace(r.place);
        writePlace(s.place);
      } else if (s.k === 'call') {
        if (s.dest) writePlace(s.dest);
      } else if (s.k === 'drop') {
        usePlace(s.place);
        if (s.flag !== null) uses[s.flag]!++;
      } else if (s.k === 'retain') usePlace(s.place);
    }
    for (const o of terminatorOperands(b.term)) if (o.k !== 'const') usePlace(o.place);
  }
  return { defs, uses, borrowed };
}

/** The blocks' predecessor counts (the entry counts one more: the call). */
export function predecessorCounts(blocks: readonly BasicBlock[]): Int32Array {
  const n = new Int32Array(blocks.length);
  n[0] = 1;
  for (const b of blocks) for (const t of targets(b.term)) n[t]!++;
  return n;
}

export function targets(t: Terminator): number[] {
  switch (t.k) {
    case 'goto':
      return [t.target];
    case 'branch':
      return [t.then, t.else];
    case 'switch':
      return [...t.cases.map((c) => c.target), t.otherwise];
    default:
      return [];
  }
}

export function retarget(t: Terminator, m: (b: number) => number): Terminator {
  switch (t.k) {
    case 'goto':
      return { k: 'goto', target: m(t.target) };
    case 'branch':
      return { ...t, then: m(t.then), else: m(t.else) };
    case 'switch':
      return { ...t, cases: t.cases.map((c) => ({ value: c.value, target: m(c.target) })), otherwise: m(t.otherwise) };
    default:
      return t;
  }
}

/** The place a statement writes: an assignment's, a call's destination. */
export function written(s: Statement): Place | null {
  return s.k === 'assign' ? s.place : s.k === 'call' ? s.dest : null;
}
