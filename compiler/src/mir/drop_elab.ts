// Drop elaboration (its own pass, as in rustc): lowering put a `drop` at every scope exit for every owned local;
// this pass computes, for each local at each drop, whether it is initialised (assigned and not moved since) on
// every path, on none, or on some. Definitely-initialised drops stay, definitely-moved drops go, and the rest get a
// drop flag: a Bool local set when the value is assigned, cleared when it is moved, and tested by the drop.
import { T } from '../sema/types.js';
import type { LocalId, MirFunction, Operand, Rvalue, Statement } from './mir.js';

type State = Uint8Array; // per local: bit 1 = maybe init, bit 2 = maybe uninit

export function elaborateDrops(f: MirFunction): void {
  const n = f.locals.length;
  const nb = f.blocks.length;
  const entry: State = new Uint8Array(n);
  for (let i = 0; i < n; i++) entry[i] = i >= 1 && i <= f.argCount ? 1 : 2;
  const ins: (State | null)[] = Array(nb).fill(null);
  ins[0] = entry;
  const preds = successorsOf(f);
  const work = [0];
  const outs: State[] = Array(nb);
  while (work.length) {
    const bi = work.shift()!;
    const st = new Uint8Array(ins[bi]!);
    for (const s of f.blocks[bi]!.stmts) transfer(s, st);
    outs[bi] = st;
    for (const succ of preds[bi]!) {
      const prev = ins[succ];
      if (!prev) {
        ins[succ] = new Uint8Array(st);
        work.push(succ);
        continue;
      }
      let changed = false;
      for (let i = 0; i < n; i++) {
        const j = prev[i]! | st[i]!;
        if (j !== prev[i]) {
          prev[i] = j;
          changed = true;
        }
      }
      if (changed && !work.includes(succ)) work.push(succ);
    }
  }
  // decide each drop; collect locals needing flags
  const flagged = new Set<LocalId>();
  for (let bi = 0; bi < nb; bi++) {
    const st0 = ins[bi];
    if (!st0) continue;
    const st = new Uint8Array(st0);
    for (const s of f.blocks[bi]!.stmts) {
      if (s.k === 'drop' && s.place.proj.length === 0) {
        const v = st[s.place.local]!;
        if (v === 3) flagged.add(s.place.local);
      }
      transfer(s, st);
    }
  }
  const flagOf = new Map<LocalId, LocalId>();
  for (const l of flagged) {
    const id = f.locals.length;
    f.locals.push({ id, ty: T.bool, name: null, kind: 'flag', span: null });
    flagOf.set(l, id);
  }
  for (let bi = 0; bi < nb; bi++) {
    const st0 = ins[bi];
    const blk = f.blocks[bi]!;
    if (!st0) continue;
    const st = new Uint8Array(st0);
    const out: Statement[] = [];
    for (const s of blk.stmts) {
      const before = s.k === 'drop' && s.place.proj.length === 0 ? st[s.place.local]! : 0;
      transfer(s, st);
      if (s.k === 'drop' && s.place.proj.length === 0) {
        if (before === 2 || before === 0) continue; // definitely moved out (or never set): nothing to drop
        const flag = flagOf.get(s.place.local);
        if (before === 3 && flag !== undefined) {
          out.push({ ...s, flag });
          out.push(setFlag(flag, false, s));
          continue;
        }
        out.push(s);
        if (flag !== undefined) out.push(setFlag(flag, false, s));
        continue;
      }
      out.push(s);
      // keep flags in step: set on assignment, clear on move
      for (const [l, flag] of flagOf) {
        if (assigns(s, l)) out.push(setFlag(flag, true, s));
        else if (moves(s, l)) out.push(setFlag(flag, false, s));
      }
    }
    blk.stmts = out;
  }
  if (flagOf.size) {
    // flags start cleared (arguments start set)
    const init: Statement[] = [];
    for (const [l, flag] of flagOf) init.push(setFlag(flag, l >= 1 && l <= f.argCount, null));
    f.blocks[0]!.stmts.unshift(...init);
  }
}

function setFlag(flag: LocalId, v: boolean, s: Statement | null): Statement {
  const span = s && 'span' in s ? s.span : { file: '', start: 0, end: 0 };
  return { k: 'assign', place: { local: flag, proj: [] }, rvalue: { k: 'use', op: { k: 'const', value: { k: 'bool', value: v }, ty: T.bool } }, span };
}

function successorsOf(f: MirFunction): number[][] {
  return f.blocks.map((b) => {
    const t = b.term;
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
  });
}

function operandsOf(r: Rvalue): Operand[] {
  switch (r.k) {
    case 'use':
      return [r.op];
    case 'binary':
    case 'checked':
      return [r.left, r.right];
    case 'unary':
      return [r.operand];
    case 'cast':
      return [r.operand];
    case 'aggregate':
      return [...r.ops];
    default:
      return [];
  }
}

function stmtOperands(s: Statement): Operand[] {
  if (s.k === 'assign') return operandsOf(s.rvalue);
  if (s.k === 'call') return [...s.args, ...(s.callee.k === 'closure' ? [s.callee.value] : [])];
  return [];
}

function moves(s: Statement, l: LocalId): boolean {
  return stmtOperands(s).some((o) => o.k === 'move' && o.place.local === l);
}

function assigns(s: Statement, l: LocalId): boolean {
  if (s.k === 'assign') return s.place.local === l && s.place.proj.length === 0;
  if (s.k === 'call') return s.dest !== null && s.dest.local === l && s.dest.proj.length === 0;
  return false;
}

function transfer(s: Statement, st: State): void {
  // moves happen before the destination is written
  for (const o of stmtOperands(s)) {
    // moving any part of a local ends its owner's responsibility for the whole (partial moves: see docs)
    if (o.k === 'move' && !o.place.proj.some((p) => p.k === 'deref')) st[o.place.local] = 2;
  }
  if (s.k === 'assign' && s.place.proj.length === 0) st[s.place.local] = 1;
  if (s.k === 'call' && s.dest && s.dest.proj.length === 0) st[s.dest.local] = 1;
  if (s.k === 'drop' && s.place.proj.length === 0) st[s.place.local] = 2;
}
