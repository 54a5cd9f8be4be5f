// Move paths and the initialisation dataflow that both drop elaboration and the move checker stand on.
// A move path is a local or a chain of field projections of it (`_3`, `_3.1`, `_3.1.0`); moving or assigning a
// place affects its path and every path below it. The analysis computes, before every statement, whether each
// path may be initialised and whether it may be uninitialised (two bits), by a forward fixpoint over the CFG.
import type { BasicBlock, LocalId, MirFunction, Operand, Place, Rvalue, Statement } from './mir.js';
import { terminatorTargets } from './mir.js';

export interface MovePath {
  readonly index: number;
  readonly local: LocalId;
  /** field indices from the local */
  readonly fields: readonly number[];
  readonly parent: number | null;
  readonly children: number[];
}

export const MAYBE_INIT = 1;
export const MAYBE_UNINIT = 2;

export class MovePaths {
  readonly paths: MovePath[] = [];
  private readonly byKey = new Map<string, number>();

  constructor(readonly f: MirFunction) {
    for (const l of f.locals) this.pathFor(l.id, []);
    // create the paths of every field chain that is moved, assigned or dropped
    for (const b of f.blocks) {
      for (const s of b.stmts) {
        for (const o of stmtOperands(s)) if (o.k === 'move') this.pathOfPlace(o.place, true);
        const d = stmtDest(s);
        if (d) this.pathOfPlace(d, true);
        if (s.k === 'drop') this.pathOfPlace(s.place, true);
      }
    }
  }

  private pathFor(local: LocalId, fields: number[]): number {
    const key = `${local}:${fields.join('.')}`;
    const found = this.byKey.get(key);
    if (found !== undefined) return found;
    const parent = fields.length ? this.pathFor(local, fields.slice(0, -1)) : null;
    const p: MovePath = { index: this.paths.length, local, fields, parent, children: [] };
    this.paths.push(p);
    this.byKey.set(key, p.index);
    if (parent !== null) this.paths[parent]!.children.push(p.index);
    return p.index;
  }

  /** The path a place belongs to: its local and the leading field projections (stopping at a deref, index or
   * variant projection, whose insides are tracked as part of the path before them). null when it goes through a
   * deref (the place is not owned by this function's locals). */
  pathOfPlace(p: Place, create = false): number | null {
    // the common case, a whole local: its path was made first, at the local's own index
    const first = p.proj[0];
    if (first === undefined || (first.k !== 'field' && first.k !== 'deref')) {
      if (this.paths[p.local]?.local === p.local && this.paths[p.local]!.fields.length === 0) return p.local;
    }
    const fields: number[] = [];
    for (const pr of p.proj) {
      if (pr.k === 'deref') return null;
      if (pr.k !== 'field') break;
      fields.push(pr.index);
    }
    if (create) return this.pathFor(p.local, fields);
    // the deepest existing path
    for (let n = fields.length; n >= 0; n--) {
      const key = `${p.local}:${fields.slice(0, n).join('.')}`;
      const found = this.byKey.get(key);
      if (found !== undefined) return found;
    }
    return null;
  }

  /** Does the place stop at its path (a whole-path access), or go inside it (a variant payload, an element)? */
  isWhole(p: Place): boolean {
    return p.proj.every((pr) => pr.k === 'field');
  }

  descendants(i: number): number[] {
    const out = [i];
    for (let k = 0; k < out.length; k++) out.push(...this.paths[out[k]!]!.children);
    return out;
  }
}

export type InitState = Uint8Array;

/** The effect of one statement on the initialisation state. */
export function transfer(mp: MovePaths, s: Statement, st: InitState): void {
  for (const o of stmtOperands(s)) moveOut(mp, o, st);
  const dest = stmtDest(s);
  if (dest) {
    const p = mp.pathOfPlace(dest);
    if (p !== null && mp.isWhole(dest)) setBelow(mp, p, st, MAYBE_INIT);
  }
  // dropping an element (`arr[i]` before it is reassigned) leaves the rest of the value as it was
  if (s.k === 'drop' && s.flag === null && mp.isWhole(s.place)) {
    const p = mp.pathOfPlace(s.place);
    if (p !== null) setBelow(mp, p, st, MAYBE_UNINIT);
  }
}

function moveOut(mp: MovePaths, o: Operand, st: InitState): void {
  if (o.k !== 'move') return;
  const p = mp.pathOfPlace(o.place);
  if (p !== null) setBelow(mp, p, st, MAYBE_UNINIT);
}

/** Sets a path and every path below it (most paths have none: no list to make). */
function setBelow(mp: MovePaths, p: number, st: InitState, v: number): void {
  st[p] = v;
  const children = mp.paths[p]!.children;
  if (children.length === 0) return;
  for (const d of mp.descendants(p)) st[d] = v;
}

/** Initialisation state at the entry of every block (null: unreachable). Arguments start initialised. */
export function initDataflow(mp: MovePaths): (InitState | null)[] {
  const f = mp.f;
  const n = mp.paths.length;
  const entry = new Uint8Array(n);
  for (const p of mp.paths) entry[p.index] = p.local >= 1 && p.local <= f.argCount ? MAYBE_INIT : MAYBE_UNINIT;
  return forwardUnionDataflow(successors(f), entry, (bi, st) => {
    for (const s of f.blocks[bi]!.stmts) transfer(mp, s, st);
  });
}

/** A forward dataflow whose facts are bit sets joined by OR: the state at the entry of every block reachable over
 * `succ` (null: unreachable), given the entry block's state and a transfer that updates a state through a block. */
export function forwardUnionDataflow(succ: readonly (readonly number[])[], entry: Uint8Array, transferBlock: (block: number, st: Uint8Array) => void): (Uint8Array | null)[] {
  const n = entry.length;
  const ins: (Uint8Array | null)[] = succ.map(() => null);
  ins[0] = entry;
  // blocks in reverse postorder, swept until nothing changes: an acyclic function takes one sweep, each loop a few
  // more (a FIFO worklist revisited a join once per path into it: cubic on a long `else if` chain)
  const order = reversePostorder(succ as number[][]);
  const rank = new Int32Array(succ.length);
  order.forEach((b, i) => (rank[b] = i));
  const pending = new Uint8Array(succ.length);
  pending[0] = 1;
  for (let again = true; again; ) {
    again = false;
    for (const bi of order) {
      if (!pending[bi]) continue;
      pending[bi] = 0;
      const st = new Uint8Array(ins[bi]!);
      transferBlock(bi, st);
      for (const t of succ[bi]!) {
        const prev = ins[t];
        let changed = false;
        if (!prev) {
          ins[t] = new Uint8Array(st);
          changed = true;
        } else {
          for (let i = 0; i < n; i++) {
            const j = prev[i]! | st[i]!;
            if (j !== prev[i]) {
              prev[i] = j;
              changed = true;
            }
          }
        }
        if (changed) {
          pending[t] = 1;
          if (rank[t]! <= rank[bi]!) again = true; // a back edge: another sweep
        }
      }
    }
  }
  return ins;
}

/** Blocks reachable from the entry in reverse postorder (an explicit stack: functions may have many blocks). */
export function reversePostorder(succ: number[][]): number[] {
  const seen = new Uint8Array(succ.length);
  const post: number[] = [];
  const stack: [number, number][] = [[0, 0]];
  seen[0] = 1;
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    const next = succ[top[0]]![top[1]++];
    if (next === undefined) {
      post.push(top[0]);
      stack.pop();
    } else if (!seen[next]) {
      seen[next] = 1;
      stack.push([next, 0]);
    }
  }
  return post.reverse();
}

export function successors(f: MirFunction): number[][] {
  return f.blocks.map((b: BasicBlock) => terminatorTargets(b.term));
}

/** The operands an rvalue reads, in evaluation order. Shared, not copied (the hot loops of every dataflow iterate them): read-only. */
export function rvalueOperands(r: Rvalue): readonly Operand[] {
  switch (r.k) {
    case 'use':
      return [r.op];
    case 'binary':
    case 'checked':
      return [r.left, r.right];
    case 'offset':
      return [r.base, r.index];
    case 'unary':
    case 'cast':
    case 'unsize':
      return [r.operand];
    case 'aggregate':
      return r.ops;
    default:
      return NO_OPERANDS;
  }
}

const NO_OPERANDS: readonly Operand[] = [];

/** The operands of a statement, in order (a call's arguments, then a closure callee's value). Read-only. */
export function stmtOperands(s: Statement): readonly Operand[] {
  if (s.k === 'assign') return rvalueOperands(s.rvalue);
  if (s.k === 'call') return s.callee.k === 'closure' ? [...s.args, s.callee.value] : s.args;
  return NO_OPERANDS;
}

/** Places read by a statement (operands, and places borrowed or inspected). */
export function stmtReads(s: Statement): Place[] {
  const out: Place[] = [];
  for (const o of stmtOperands(s)) if (o.k !== 'const') out.push(o.place);
  if (s.k === 'assign' && (s.rvalue.k === 'ref' || s.rvalue.k === 'discriminant')) out.push(s.rvalue.place);
  if (s.k === 'retain') out.push(s.place);
  return out;
}

export function stmtDest(s: Statement): Place | null {
  if (s.k === 'assign') return s.place;
  if (s.k === 'call') return s.dest;
  return null;
}
