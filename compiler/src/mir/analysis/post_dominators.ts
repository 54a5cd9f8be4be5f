// Immediate post-dominators of a function's blocks: the dominators of the reversed CFG, rooted at a virtual exit
// that every `return` block reaches (Cooper, Harvey and Kennedy, as dominators.ts). A block that reaches no `return`
// (a panic's `unreachable`, an endless loop) has none, and paths through it do not count.
import type { MirFunction } from '../mir.js';
import { reversePostorder, successors } from '../move_paths.js';

export class PostDominators {
  /** ipdom per block, in block numbers; -1: the virtual exit, or none */
  private readonly ipdom: Int32Array;

  constructor(f: MirFunction) {
    const n = f.blocks.length;
    // node 0 is the exit, node b + 1 is block b; edges run from a block to its predecessors
    const cfgSucc = successors(f);
    const rev: number[][] = Array.from({ length: n + 1 }, () => []);
    f.blocks.forEach((b, i) => {
      if (b.term.k === 'return') rev[0]!.push(i + 1);
      for (const t of cfgSucc[i]!) rev[t + 1]!.push(i + 1);
    });
    const rpo = reversePostorder(rev);
    const order = new Int32Array(n + 1).fill(-1);
    rpo.forEach((b, i) => (order[b] = i));
    const idom = new Int32Array(n + 1).fill(-1);
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
      for (const node of rpo) {
        if (node === 0) continue;
        let d = -1;
        // the node's predecessors in the reversed graph are its successors in the CFG (and the exit for a return)
        const after = cfgSucc[node - 1]!.map((t) => t + 1);
        if (f.blocks[node - 1]!.term.k === 'return') after.push(0);
        for (const p of after) if (idom[p] !== -1) d = d === -1 ? p : intersect(p, d);
        if (d !== -1 && idom[node] !== d) {
          idom[node] = d;
          changed = true;
        }
      }
    }
    this.ipdom = Int32Array.from({ length: n }, (_, b) => (idom[b + 1]! > 0 ? idom[b + 1]! - 1 : -1));
  }

  /** The block every path from `b` to a `return` passes through first, or -1 (only the exit, or none). */
  parent(b: number): number {
    return this.ipdom[b]!;
  }
}
