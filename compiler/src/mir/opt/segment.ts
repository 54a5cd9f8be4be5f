// The statements that can run between two program points: what the check passes inspect to know that a value read
// at one point is still the same at another (no write to the local, no mutation of the list in between).
import type { MirFunction, Statement } from '../mir.js';
import { successors } from '../move_paths.js';

/** Before statement `index` of `block` (`index` = the statement count: before the terminator). */
export interface Point {
  readonly block: number;
  readonly index: number;
}

/** The CFG's edges both ways, computed once per function. */
export class Cfg {
  readonly succ: number[][];
  readonly pred: number[][];

  constructor(readonly f: MirFunction) {
    this.succ = successors(f);
    this.pred = f.blocks.map(() => []);
    this.succ.forEach((ts, b) => ts.forEach((t) => this.pred[t]!.push(b)));
  }

  /** Every statement that can run after the most recent time control was at `from` and before it reaches `to`:
   * paths that leave `from` and do not come back to it (coming back starts a new segment). Conservative: a block
   * such a path runs through counts whole. */
  segment(from: Point, to: Point): Statement[] {
    const blocks = this.f.blocks;
    if (from.block === to.block && from.index <= to.index) return blocks[from.block]!.stmts.slice(from.index, to.index);
    const fwd = this.reach(this.succ, this.succ[from.block]!, from.block);
    if (!fwd.has(to.block)) return [];
    const bwd = this.reach(this.pred, this.pred[to.block]!, from.block);
    const out = blocks[from.block]!.stmts.slice(from.index);
    for (const b of fwd) if (b !== from.block && bwd.has(b)) out.push(...blocks[b]!.stmts);
    if (!(to.block !== from.block && fwd.has(to.block) && bwd.has(to.block))) out.push(...blocks[to.block]!.stmts.slice(0, to.index));
    return out;
  }

  /** The blocks reachable from `start` along `edges`, not going on from `stop` (it is included when reached). */
  private reach(edges: number[][], start: readonly number[], stop: number): Set<number> {
    const seen = new Set<number>();
    const stack = [...start];
    while (stack.length) {
      const b = stack.pop()!;
      if (seen.has(b)) continue;
      seen.add(b);
      if (b !== stop) stack.push(...edges[b]!);
    }
    return seen;
  }
}
