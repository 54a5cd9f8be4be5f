// Constant folding and propagation. A local written once, with a constant, whose address is never taken, is that
// constant wherever its one write dominates the read; within a block, constants flow through locals and tuple
// fields, and arithmetic, comparisons and casts of constants are folded. A checked operation is folded only when it
// does not overflow: one that would is left to fail at run time, with its message.
import { T, type Type } from '../../sema/types.js';
import type { ConstValue, LocalId, MirFunction, Operand, Rvalue, Statement } from '../mir.js';
import { placeType } from '../analysis/place_type.js';
import { reversePostorder, successors } from '../move_paths.js';
import { Dominators } from '../analysis/dominators.js';
import { localUses, mapStatementOperands, mapTerminatorOperands } from './visit.js';

type Scalar = Extract<ConstValue, { k: 'int' | 'bool' | 'char' | 'unit' }>;

function isScalar(c: ConstValue): c is Scalar {
  return c.k === 'int' || c.k === 'bool' || c.k === 'char' || c.k === 'unit';
}

export function constProp(f: MirFunction): void {
  const known = singleConstants(f);
  const dom = known.size ? new Dominators(f) : null;
  const succ = successors(f);
  const preds = new Int32Array(f.blocks.length);
  const onlyPred = new Int32Array(f.blocks.length);
  succ.forEach((ts, from) => {
    for (const t of ts) {
      preds[t]!++;
      onlyPred[t] = from;
    }
  });
  // a block with one predecessor starts with what was known at that predecessor's end
  const exits = new Map<number, Map<string, Operand>>();
  for (const bi of reversePostorder(succ)) {
    const b = f.blocks[bi]!;
    let local = new Map<string, Operand>();
    if (bi !== 0 && preds[bi] === 1) {
      // (a bounded copy: a long chain of checked operations would otherwise copy ever more facts at each step)
      const from = exits.get(onlyPred[bi]!);
      if (from && from.size <= 64) local = new Map(from);
    }
    const lookup = (o: Operand, at: number): Operand => {
      if (o.k === 'const') return o;
      const key = placeKey(o.place.local, o.place.proj);
      if (key === null) return o;
      const hit = local.get(key);
      if (hit) return hit;
      const g = o.place.proj.length === 0 ? known.get(o.place.local) : undefined;
      if (g && (g.block !== bi ? dom!.dominates(g.block, bi) : g.index < at)) return g.value;
      return o;
    };
    b.stmts = b.stmts.map((s, si) => {
      const replaced = mapStatementOperands(s, (o) => lookup(o, si));
      let folded = replaced;
      if (replaced.k === 'assign') {
        const rvalue = fold(replaced.rvalue, placeType(f, replaced.place));
        if (rvalue !== replaced.rvalue) folded = { ...replaced, rvalue };
      }
      forget(local, folded);
      if (folded.k === 'assign' && folded.place.proj.length === 0 && !borrowedLocal(f, folded.place.local)) remember(local, folded.place.local, folded.rvalue);
      return folded;
    });
    b.term = mapTerminatorOperands(b.term, (o) => lookup(o, b.stmts.length));
    exits.set(bi, local);
  }
}

/** `_n` or `_n.i` (a tuple field): the places whose constant values are tracked. */
function placeKey(l: LocalId, proj: readonly { k: string; index?: number }[]): string | null {
  if (proj.length === 0) return `${l}`;
  if (proj.length === 1 && proj[0]!.k === 'field') return `${l}.${proj[0]!.index}`;
  return null;
}

const borrowedCache = new WeakMap<MirFunction, Uint8Array>();
function borrowedLocal(f: MirFunction, l: LocalId): boolean {
  let b = borrowedCache.get(f);
  if (!b) borrowedCache.set(f, (b = localUses(f).borrowed));
  return b[l] === 1;
}

function forget(local: Map<string, Operand>, s: Statement): void {
  const written = s.k === 'assign' ? s.place : s.k === 'call' ? s.dest : null;
  if (!written || local.size === 0) return;
  const l = `${written.local}`;
  local.delete(l);
  const fields = local.get(`${l}.#`);
  if (!fields) return;
  const n = Number((fields.k === 'const' && fields.value.k === 'int' && fields.value.value) || 0n);
  for (let i = 0; i < n; i++) local.delete(`${l}.${i}`);
  local.delete(`${l}.#`);
}

function remember(local: Map<string, Operand>, l: LocalId, r: Rvalue): void {
  if (r.k === 'use' && r.op.k === 'const' && isScalar(r.op.value)) local.set(`${l}`, r.op);
  if (r.k === 'aggregate' && r.kind.k === 'tuple') {
    r.ops.forEach((o, i) => {
      if (o.k === 'const' && isScalar(o.value)) local.set(`${l}.${i}`, o);
    });
    // how many fields `forget` must clear (never read as a place: no place key ends in `#`)
    local.set(`${l}.#`, { k: 'const', value: { k: 'int', value: BigInt(r.ops.length) }, ty: T.i64 });
  }
}

interface Known {
  readonly value: Operand;
  readonly block: number;
  readonly index: number;
}

/** Locals (not arguments) written exactly once, by `_n = const c`, and never borrowed. */
function singleConstants(f: MirFunction): Map<LocalId, Known> {
  const uses = localUses(f);
  const out = new Map<LocalId, Known>();
  f.blocks.forEach((b, bi) =>
    b.stmts.forEach((s, si) => {
      if (s.k !== 'assign' || s.place.proj.length !== 0 || s.rvalue.k !== 'use' || s.rvalue.op.k !== 'const') return;
      const l = s.place.local;
      if (l <= f.argCount || uses.defs[l] !== 1 || uses.borrowed[l] || !isScalar(s.rvalue.op.value)) return;
      out.set(l, { value: s.rvalue.op, block: bi, index: si });
    }),
  );
  return out;
}

// ---------- folding ----------

function intOf(o: Operand): bigint | null {
  if (o.k !== 'const') return null;
  const v = o.value;
  if (v.k === 'int') return v.value;
  if (v.k === 'bool') return v.value ? 1n : 0n;
  if (v.k === 'char') return BigInt(v.value);
  return null;
}

function wrap(v: bigint, t: Type): bigint {
  if (t.k !== 'int') return v;
  return t.signed ? BigInt.asIntN(t.bits, v) : BigInt.asUintN(t.bits, v);
}

function inRange(v: bigint, t: Type): boolean {
  return t.k === 'int' && wrap(v, t) === v;
}

function constOf(v: bigint, t: Type): Operand | null {
  if (t.k === 'int') return { k: 'const', value: { k: 'int', value: wrap(v, t) }, ty: t };
  if (t.k === 'bool') return { k: 'const', value: { k: 'bool', value: v !== 0n }, ty: t };
  return null;
}

/** The rvalue with constant operands computed, or unchanged. `dest` is the destination's type. */
export function fold(r: Rvalue, dest: Type): Rvalue {
  if (r.k === 'binary') {
    const a = intOf(r.left);
    const b = intOf(r.right);
    const id = identity(r.op, r.left, r.right, a, b, dest);
    if (id) return { k: 'use', op: id };
    const t = r.left.k === 'const' ? r.left.ty : r.right.k === 'const' ? r.right.ty : null;
    if (a === null || b === null || !t || (t.k !== 'int' && t.k !== 'bool' && t.k !== 'char')) return r;
    const v = binary(r.op, a, b, t);
    const c = v === null ? null : constOf(v, dest);
    return c ? { k: 'use', op: c } : r;
  }
  if (r.k === 'checked') {
    const a = intOf(r.left);
    const b = intOf(r.right);
    const t = r.left.k === 'const' ? r.left.ty : null;
    if (a === null || b === null || !t || t.k !== 'int') return r;
    const v = r.op === 'add' ? a + b : r.op === 'sub' ? a - b : a * b;
    if (!inRange(v, t)) return r; // it overflows: the check fails at run time, as it would have
    return { k: 'aggregate', kind: { k: 'tuple' }, ops: [constOf(v, t)!, constOf(0n, T.bool)!] };
  }
  if (r.k === 'unary') {
    const a = intOf(r.operand);
    const t = r.operand.k === 'const' ? r.operand.ty : null;
    if (a === null || !t) return r;
    if (t.k === 'bool' && r.op === 'not') return { k: 'use', op: constOf(a === 0n ? 1n : 0n, T.bool)! };
    if (t.k !== 'int') return r;
    const c = constOf(r.op === 'neg' ? -a : ~a, t);
    return c ? { k: 'use', op: c } : r;
  }
  if (r.k === 'cast') {
    const a = intOf(r.operand);
    const from = r.operand.k === 'const' ? r.operand.ty : null;
    if (a === null || !from || (from.k !== 'int' && from.k !== 'bool') || r.to.k !== 'int') return r;
    return { k: 'use', op: constOf(wrap(a, from), r.to)! };
  }
  return r;
}

/** An operation with one constant side that decides it: `x and false`, `x or true`, `x * 0` (integers and Bool
 * only: a float `x * 0` is not 0 for NaN), or leaves the other side: `x and true`, `x + 0`, `x * 1`. */
function identity(op: string, l: Operand, r: Operand, a: bigint | null, b: bigint | null, dest: Type): Operand | null {
  if (dest.k !== 'int' && dest.k !== 'bool') return null;
  const other = (c: bigint | null, x: Operand) => (c === null ? null : x);
  for (const [c, x] of [
    [a, r],
    [b, l],
  ] as const) {
    if (c === null) continue;
    const t = (x.k === 'const' ? x.ty : dest) as Type;
    if (t.k !== dest.k) return null; // a comparison: not an identity
    if (op === 'and' && c === 0n) return constOf(0n, dest);
    if (op === 'or' && dest.k === 'bool' && c === 1n) return constOf(1n, dest);
    if (op === 'mul' && c === 0n) return constOf(0n, dest);
    if ((op === 'and' && dest.k === 'bool' && c === 1n) || ((op === 'or' || op === 'xor' || op === 'add') && c === 0n) || (op === 'mul' && c === 1n)) return other(c, x);
  }
  // (what is left of `x - 0`, `x / 1` needs the constant on the right)
  if (b === 0n && (op === 'sub' || op === 'shl' || op === 'shr')) return l;
  if (b === 1n && op === 'div') return l;
  return null;
}

function binary(op: string, a0: bigint, b0: bigint, t: Type): bigint | null {
  const a = wrap(a0, t);
  const b = wrap(b0, t);
  const bits = t.k === 'int' ? t.bits : t.k === 'char' ? 32 : 1;
  const signed = t.k === 'int' && t.signed;
  switch (op) {
    case 'add':
      return a + b;
    case 'sub':
      return a - b;
    case 'mul':
      return a * b;
    case 'div':
    case 'rem': {
      if (b === 0n) return null; // the division's own check reports it
      if (signed && b === -1n && a === -(1n << BigInt(bits - 1))) return null;
      return op === 'div' ? a / b : a % b; // BigInt division truncates toward zero, like LLVM's sdiv/udiv
    }
    case 'and':
      return a & b;
    case 'or':
      return a | b;
    case 'xor':
      return a ^ b;
    case 'shl':
      return a << (BigInt.asUintN(64, b) % BigInt(bits));
    case 'shr': {
      const n = BigInt.asUintN(64, b) % BigInt(bits);
      return signed ? a >> n : BigInt.asUintN(bits, a) >> n;
    }
    case 'eq':
      return a === b ? 1n : 0n;
    case 'ne':
      return a !== b ? 1n : 0n;
    case 'lt':
      return a < b ? 1n : 0n;
    case 'le':
      return a <= b ? 1n : 0n;
    case 'gt':
      return a > b ? 1n : 0n;
    case 'ge':
      return a >= b ? 1n : 0n;
    default:
      return null;
  }
}
