// CFG simplification: branches on constants become jumps, jumps through empty blocks go straight to their target,
// a block reached only by a jump is merged into its predecessor, and unreachable blocks are removed (rustc's
// SimplifyCfg). Statements never move across a branch, so every check and drop stays on the paths it was on.
import type { BasicBlock, MirFunction, Terminator } from '../mir.js';
import { predecessorCounts, reachableBlocks, retarget } from './visit.js';

export function simplifyCfg(f: MirFunction): void {
  if (f.blocks.length === 0) return;
  for (const b of f.blocks) b.term = foldTerminator(b.term);
  threadEmptyBlocks(f);
  removeUnreachable(f); // their jumps must not count as predecessors
  mergeChains(f);
  removeUnreachable(f);
}

/** `if const true`, `switch const 2`, and a branch whose arms agree, become a `goto`. */
function foldTerminator(t: Terminator): Terminator {
  if (t.k === 'branch') {
    if (t.then === t.else) return { k: 'goto', target: t.then };
    if (t.cond.k === 'const' && t.cond.value.k === 'bool') return { k: 'goto', target: t.cond.value.value ? t.then : t.else };
  }
  if (t.k === 'switch') {
    if (t.discr.k === 'const' && t.discr.value.k === 'int') {
      const v = t.discr.value.value;
      return { k: 'goto', target: t.cases.find((c) => c.value === v)?.target ?? t.otherwise };
    }
    if (t.cases.every((c) => c.target === t.otherwise)) return { k: 'goto', target: t.otherwise };
  }
  return t;
}

/** A jump to an empty block that only jumps on goes to the final target (not through a loop of empty blocks). */
function threadEmptyBlocks(f: MirFunction): void {
  const final = (start: number): number => {
    let at = start;
    const seen = new Set<number>();
    for (;;) {
      const b = f.blocks[at]!;
      if (b.stmts.length !== 0 || b.term.k !== 'goto' || seen.has(at)) return at;
      seen.add(at);
      at = b.term.target;
    }
  };
  for (const b of f.blocks) {
    b.term = retarget(b.term, (t) => (t === 0 ? 0 : final(t)));
    b.term = foldTerminator(b.term);
  }
}

/** `goto bbN` where bbN has no other predecessor: bbN's statements and terminator join the block. */
function mergeChains(f: MirFunction): void {
  const preds = predecessorCounts(f.blocks);
  for (const b of f.blocks) {
    while (b.term.k === 'goto') {
      const t = b.term.target;
      if (t === b.id || t === 0 || preds[t] !== 1) break;
      const next = f.blocks[t]!;
      b.stmts.push(...next.stmts);
      b.term = next.term;
      b.termSpan = next.termSpan;
      // the merged block is now unreachable; keep it well-formed until it is removed
      next.stmts = [];
      next.term = { k: 'unreachable' };
      preds[t] = 0;
    }
  }
}

/** Drops the blocks the entry cannot reach and numbers the rest in their old order. */
function removeUnreachable(f: MirFunction): void {
  const reached = reachableBlocks(f.blocks);
  if (reached.every((r) => r === 1)) return;
  const renumber = new Int32Array(f.blocks.length).fill(-1);
  const kept: BasicBlock[] = [];
  f.blocks.forEach((b, i) => {
    if (!reached[i]) return;
    renumber[i] = kept.length;
    kept.push({ id: kept.length, stmts: b.stmts, term: b.term, termSpan: b.termSpan });
  });
  for (const b of kept) b.term = retarget(b.term, (t) => renumber[t]!);
  f.blocks.splice(0, f.blocks.length, ...kept);
}
