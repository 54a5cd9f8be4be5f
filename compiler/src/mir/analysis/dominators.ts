// Immediate dominators of a function's blocks (Cooper, Harvey and Kennedy's iterative algorithm over the reverse
// postorder). Unreachable blocks have none (-1).
import type { MirFunction } from '../mir.js';
import { reversePostorder, successors } from '../move_paths.js';

export class Dominators {
  private readonly idom: Int32Array;

  constructor(f: MirFunction) {
    const succ = successors(f);
    const rpo = reversePostorder(succ);
    const order = new Int32Array(f.blocks.length).fill(-1);
    rpo.forEach((b, i) => (order[b] = i));
    const preds: number[][] = f.blocks.map(() => []);
    succ.forEach((ts, b) => ts.forEach((t) => preds[t]!.push(b)));
    const idom = new Int32Array(f.blocks.length).fill(-1);
    idom[0] = 0;
    const intersect = (a: number, b: number): number => {
      while (a !== b) {
        while (order[a]! > order[b]!) a = idom[a]!;
        while (order[b]! > order[a]!) b = idom[b]!;
      }
      return a;
    };
    for (let changed = true; changed; ) {
      changed = false;
      for (const b of rpo) {
        if (b === 0) continue;
        let d = -1;
        for (const p of preds[b]!) if (idom[p] !== -1) d = d === -1 ? p : intersect(p, d);
        if (d !== -1 && idom[b] !== d) {
          idom[b] = d;
          changed = true;
        }
      }
    }
    this.idom = idom;
  }

  /** The immediate dominator of block `b` (the entry's is itself; an unreachable block's is -1). */
  parent(b: number): number {
    return this.idom[b]!;
  }

  /** Does block `a` dominate block `b` (every path from the entry to `b` passes through `a`)? */
  dominates(a: number, b: number): boolean {
    if (this.idom[b] === -1) return false;
    for (let at = b; ; at = this.idom[at]!) {
      if (at === a) return true;
      if (at === 0) return false;
    }
  }
}
