// Every mention of one local in a MIR function, sorted by kind: what the state-machine pass (async_lower.ts) needs
// to know before it gives a future local a different representation (its state embedded in place of a box).
import type { LocalId, MirFunction, Operand, Place, Statement } from './mir.js';
import { rvalueOperands } from './move_paths.js';
import { AWAIT } from './lower_async.js';

export interface PlaceUses {
  /** statements that assign the whole local */
  readonly defs: { block: number; index: number }[];
  /** moves of the whole local into `tml$await` */
  readonly awaits: number;
  /** unflagged drops of the whole local */
  readonly drops: number;
  /** some drop of it is flagged (it is moved on some paths only) */
  readonly flaggedDrop: boolean;
  /** every other mention (reads, borrows, projections, index operands, the flag of a drop) */
  readonly other: number;
  /** all mentions */
  readonly count: number;
}

export function placeUses(f: MirFunction, l: LocalId): PlaceUses {
  const u = { defs: [] as { block: number; index: number }[], awaits: 0, drops: 0, flaggedDrop: false, other: 0, count: 0 };
  const mention = (p: Place, whole: () => void) => {
    for (const pr of p.proj) if (pr.k === 'index' && pr.index === l) (u.other++, u.count++);
    if (p.local !== l) return;
    u.count++;
    if (p.proj.length) u.other++;
    else whole();
  };
  const operand = (o: Operand, whole: () => void = () => u.other++) => {
    if (o.k !== 'const') mention(o.place, whole);
  };
  f.blocks.forEach((b, bi) => {
    b.stmts.forEach((s: Statement, si) => {
      const def = () => u.defs.push({ block: bi, index: si });
      switch (s.k) {
        case 'assign': {
          for (const o of rvalueOperands(s.rvalue)) operand(o);
          if (s.rvalue.k === 'ref' || s.rvalue.k === 'discriminant') mention(s.rvalue.place, () => u.other++);
          mention(s.place, def);
          break;
        }
        case 'call': {
          const c = s.callee;
          if (c.k === 'closure') operand(c.value);
          if (c.k === 'virtual') operand(c.object);
          if (c.k === 'slot') operand(c.vtable);
          const isAwait = c.k === 'extern' && c.symbol === AWAIT;
          s.args.forEach((a, i) => operand(a, isAwait && i === 0 && a.k === 'move' ? () => u.awaits++ : () => u.other++));
          if (s.dest) mention(s.dest, def);
          break;
        }
        case 'drop':
          mention(s.place, () => (s.flag === null ? u.drops++ : ((u.flaggedDrop = true), u.other++)));
          if (s.flag === l) (u.other++, u.count++);
          break;
        case 'retain':
          mention(s.place, () => u.other++);
          break;
        case 'nop':
          break;
      }
    });
    const t = b.term;
    if (t.k === 'branch') operand(t.cond);
    if (t.k === 'switch') operand(t.discr);
    if (t.k === 'return' && l === 0) (u.other++, u.count++);
  });
  return u;
}
