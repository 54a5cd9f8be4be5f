// What the optimizer's passes share: rewriting the operands and locals of statements and terminators, and
// counting how each local is used. MIR nodes are immutable; a rewrite builds new nodes only where something changed.
import type { BasicBlock, Callee, LocalId, MirFunction, Operand, Place, Projection, Rvalue, Statement, Terminator } from '../mir.js';
import { terminatorTargets } from '../mir.js';

export type OperandMap = (o: Operand) => Operand;

// (a rewrite that changes nothing returns the node itself: most statements of a pass are left alone)
function mapAll(ops: readonly Operand[], fn: OperandMap): readonly Operand[] {
  let out: Operand[] | null = null;
  ops.forEach((o, i) => {
    const m = fn(o);
    if (m !== o && !out) out = ops.slice(0, i);
    out?.push(m);
  });
  return out ?? ops;
}

function mapRvalue(r: Rvalue, fn: OperandMap): Rvalue {
  switch (r.k) {
    case 'use': {
      const op = fn(r.op);
      return op === r.op ? r : { ...r, op };
    }
    case 'binary':
    case 'checked': {
      const left = fn(r.left);
      const right = fn(r.right);
      return left === r.left && right === r.right ? r : { ...r, left, right };
    }
    case 'offset': {
      const base = fn(r.base);
      const index = fn(r.index);
      return base === r.base && index === r.index ? r : { ...r, base, index };
    }
    case 'unary':
    case 'cast':
    case 'unsize': {
      const operand = fn(r.operand);
      return operand === r.operand ? r : { ...r, operand };
    }
    case 'aggregate': {
      const ops = mapAll(r.ops, fn);
      return ops === r.ops ? r : { ...r, ops };
    }
    default:
      return r;
  }
}

function mapCallee(c: Callee, fn: OperandMap): Callee {
  if (c.k === 'closure') {
    const value = fn(c.value);
    return value === c.value ? c : { ...c, value };
  }
  if (c.k === 'virtual') {
    const object = fn(c.object);
    return object === c.object ? c : { ...c, object };
  }
  if (c.k === 'slot') {
    const vtable = fn(c.vtable);
    return vtable === c.vtable ? c : { ...c, vtable };
  }
  return c;
}

/** The statement with every operand it reads replaced by `fn`'s (places it writes, borrows or drops untouched). */
export function mapStatementOperands(s: Statement, fn: OperandMap): Statement {
  if (s.k === 'assign') {
    const rvalue = mapRvalue(s.rvalue, fn);
    return rvalue === s.rvalue ? s : { ...s, rvalue };
  }
  if (s.k === 'call') {
    const callee = mapCallee(s.callee, fn);
    const args = mapAll(s.args, fn);
    return callee === s.callee && args === s.args ? s : { ...s, callee, args };
  }
  return s;
}

/** Calls `fn` with every operand a statement reads, callee operands included (no allocation). */
export function forEachStatementOperand(s: Statement, fn: (o: Operand) => void): void {
  if (s.k === 'assign') {
    const r = s.rvalue;
    switch (r.k) {
      case 'use':
        return fn(r.op);
      case 'binary':
      case 'checked':
        fn(r.left);
        return fn(r.right);
      case 'offset':
        fn(r.base);
        return fn(r.index);
      case 'unary':
      case 'cast':
      case 'unsize':
        return fn(r.operand);
      case 'aggregate':
        return r.ops.forEach(fn);
      default:
        return;
    }
  }
  if (s.k === 'call') {
    const c = s.callee;
    if (c.k === 'closure') fn(c.value);
    if (c.k === 'virtual') fn(c.object);
    if (c.k === 'slot') fn(c.vtable);
    s.args.forEach(fn);
  }
}

export function mapTerminatorOperands(t: Terminator, fn: OperandMap): Terminator {
  if (t.k === 'branch') {
    const cond = fn(t.cond);
    return cond === t.cond ? t : { ...t, cond };
  }
  if (t.k === 'switch') {
    const discr = fn(t.discr);
    return discr === t.discr ? t : { ...t, discr };
  }
  return t;
}

/** Every operand a statement reads, callee operands included. */
export function statementOperands(s: Statement): Operand[] {
  const out: Operand[] = [];
  forEachStatementOperand(s, (o) => out.push(o));
  return out;
}

export function terminatorOperands(t: Terminator): Operand[] {
  if (t.k === 'branch') return [t.cond];
  if (t.k === 'switch') return [t.discr];
  return [];
}

// ---------- renaming locals ----------

/** The place with its locals renamed by `m`; the same object when `m` changes none of them (most statements of a
 * renumbered function keep their low-numbered locals, and allocating a copy of each was dead_locals' main cost). */
export function renamePlace(p: Place, m: (l: LocalId) => LocalId): Place {
  const local = m(p.local);
  let proj = p.proj;
  for (let i = 0; i < p.proj.length; i++) {
    const pr = p.proj[i]!;
    if (pr.k !== 'index') continue;
    const index = m(pr.index);
    if (index === pr.index) continue;
    if (proj === p.proj) proj = p.proj.slice();
    (proj as Projection[])[i] = { k: 'index', index };
  }
  return local === p.local && proj === p.proj ? p : { local, proj };
}

function renameOperand(o: Operand, m: (l: LocalId) => LocalId): Operand {
  if (o.k === 'const') return o;
  const place = renamePlace(o.place, m);
  return place === o.place ? o : { ...o, place };
}

/** The statement with every local it names (places, index locals, drop flags) renamed by `m`; the same object when
 * nothing changes. */
export function renameStatement(s: Statement, m: (l: LocalId) => LocalId): Statement {
  const ops = mapStatementOperands(s, (o) => renameOperand(o, m));
  switch (ops.k) {
    case 'assign': {
      let r = ops.rvalue;
      if (r.k === 'ref' || r.k === 'discriminant') {
        const place = renamePlace(r.place, m);
        if (place !== r.place) r = { ...r, place };
      }
      const place = renamePlace(ops.place, m);
      return place === ops.place && r === ops.rvalue ? ops : { ...ops, place, rvalue: r };
    }
    case 'call': {
      const dest = ops.dest ? renamePlace(ops.dest, m) : null;
      return dest === ops.dest ? ops : { ...ops, dest };
    }
    case 'drop': {
      const place = renamePlace(ops.place, m);
      const flag = ops.flag === null ? null : m(ops.flag);
      return place === ops.place && flag === ops.flag ? ops : { ...ops, place, flag };
    }
    case 'retain': {
      const place = renamePlace(ops.place, m);
      return place === ops.place ? ops : { ...ops, place };
    }
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
  const count = new UseCounts(f.locals.length);
  const use = (l: LocalId) => count.use(l);
  for (const b of f.blocks) {
    for (const s of b.stmts) statementUses(s, count);
    terminatorUses(b.term, use);
  }
  return count;
}

/** The counter behind `localUses`: a class, so that `statementUses`' calls to it stay monomorphic (a fresh object of
 * closures per function made them megamorphic, and counting uses is done by every pass). */
class UseCounts implements LocalUses, UseCounter {
  readonly defs: Int32Array;
  readonly uses: Int32Array;
  readonly borrowed: Uint8Array;
  constructor(n: number) {
    this.defs = new Int32Array(n);
    this.uses = new Int32Array(n);
    this.borrowed = new Uint8Array(n);
  }
  use(l: LocalId): void {
    this.uses[l]!++;
  }
  def(l: LocalId): void {
    this.defs[l]!++;
  }
  borrow(l: LocalId): void {
    this.borrowed[l] = 1;
  }
}

export interface UseCounter {
  use(l: LocalId): void;
  def(l: LocalId): void;
  borrow(l: LocalId): void;
}

/** Reports each local a statement uses, defines (writes as a whole) or borrows, as `localUses` counts them.
 * Written without closures or callbacks: every optimisation pass counts uses, so this is one of the compiler's
 * hottest loops. */
export function statementUses(s: Statement, c: UseCounter): void {
  switch (s.k) {
    case 'assign': {
      const r = s.rvalue;
      switch (r.k) {
        case 'use':
          useOperand(r.op, c);
          break;
        case 'binary':
        case 'checked':
          useOperand(r.left, c);
          useOperand(r.right, c);
          break;
        case 'offset':
          useOperand(r.base, c);
          useOperand(r.index, c);
          break;
        case 'unary':
        case 'cast':
        case 'unsize':
          useOperand(r.operand, c);
          break;
        case 'aggregate':
          for (const o of r.ops) useOperand(o, c);
          break;
        case 'ref':
          usePlace(r.place, c);
          c.borrow(r.place.local);
          break;
        case 'discriminant':
          usePlace(r.place, c);
          break;
        default:
          break;
      }
      writePlace(s.place, c);
      return;
    }
    case 'call': {
      const callee = s.callee;
      if (callee.k === 'closure') useOperand(callee.value, c);
      else if (callee.k === 'virtual') useOperand(callee.object, c);
      else if (callee.k === 'slot') useOperand(callee.vtable, c);
      for (const o of s.args) useOperand(o, c);
      if (s.dest) writePlace(s.dest, c);
      return;
    }
    case 'drop':
      usePlace(s.place, c);
      if (s.flag !== null) c.use(s.flag);
      return;
    case 'retain':
      usePlace(s.place, c);
      return;
    default:
      return;
  }
}

function usePlace(p: Place, c: UseCounter): void {
  c.use(p.local);
  const proj = p.proj;
  for (let i = 0; i < proj.length; i++) {
    const pr = proj[i]!;
    if (pr.k === 'index') c.use(pr.index);
  }
}

function useOperand(o: Operand, c: UseCounter): void {
  if (o.k !== 'const') usePlace(o.place, c);
}

function writePlace(p: Place, c: UseCounter): void {
  if (p.proj.length === 0) c.def(p.local);
  else usePlace(p, c);
}

export function terminatorUses(t: Terminator, use: (l: LocalId) => void): void {
  const o = t.k === 'branch' ? t.cond : t.k === 'switch' ? t.discr : null;
  if (o === null || o.k === 'const') return;
  use(o.place.local);
  for (const pr of o.place.proj) if (pr.k === 'index') use(pr.index);
}

/** The blocks' predecessor counts (the entry counts one more: the call). */
export function predecessorCounts(blocks: readonly BasicBlock[]): Int32Array {
  const n = new Int32Array(blocks.length);
  n[0] = 1;
  for (const b of blocks) for (const t of targets(b.term)) n[t]!++;
  return n;
}

/** The blocks the entry reaches: 1 for a reachable block, 0 for the others. */
export function reachableBlocks(blocks: readonly BasicBlock[]): Uint8Array {
  const reached = new Uint8Array(blocks.length);
  const stack = [0];
  reached[0] = 1;
  while (stack.length) {
    for (const t of targets(blocks[stack.pop()!]!.term)) {
      if (!reached[t]) {
        reached[t] = 1;
        stack.push(t);
      }
    }
  }
  return reached;
}

/** Each block's distinct predecessors among the reachable blocks, in block order (a switch with two cases into
 * the same block is one predecessor); empty for the entry unless a loop returns to it. */
export function reachablePredecessors(blocks: readonly BasicBlock[]): number[][] {
  const reached = reachableBlocks(blocks);
  const preds: number[][] = blocks.map(() => []);
  for (const b of blocks) {
    if (!reached[b.id]) continue;
    for (const t of new Set(targets(b.term))) preds[t]!.push(b.id);
  }
  return preds;
}

/** (mir.ts's terminatorTargets, under the name the passes use) */
export const targets = terminatorTargets;

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
