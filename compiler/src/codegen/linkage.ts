// The linkage of a program's functions. Exported functions (tests, the entry point's callers) are external, and so
// are the few large functions that would otherwise make one function hold a large part of the program, so that
// optimisation time grows with the program instead of faster than it. Everything else is internal.
//
// Why: LLVM's inliner gives an internal function with a single call site a bonus of 15,000 (its body disappears once
// inlined), about 3,000 instructions, so a tree of single-caller functions — `main` calling each part of a program
// once, each part calling its helpers once — collapses into one function holding the whole tree's code and loops.
// In a small program that is what makes it fast (C does the same with `static` functions: constants flow from
// caller to callee, e.g. a list's length into the loop over it). But some of LLVM's passes are superlinear in a
// function's size (loop strength reduction took 2.2 of the 3.4 s of code generation of the 10,000-line benchmark,
// whose `main` held 28,000 instructions after inlining), so such a build's time grew faster than the program.
//
// So a function absorbs its single-caller callees up to a budget (INLINE_BUDGET_MIR_SIZE, estimated bottom-up over
// the call graph the way the inliner will merge it); past the budget its largest single-caller callees become
// external. A non-internal function gets no single-caller bonus: LLVM inlines it only when its ordinary cost model
// says so (about 45 instructions at -O2), which a function this large never passes, so it stays a unit of
// optimisation of its own, with its own callees inlined into it. See docs/decisions.md, "Release builds that scale".
import llvm from './llvm.js';
import type { MirFunction, MirProgram } from '../mir/mir.js';

/** The MIR size from which LLVM's ordinary cost model would not inline a function anyway (-O2's threshold of 225
 * is about 45 LLVM instructions; a MIR statement is one or more of them). Smaller callees are never made external:
 * LLVM would inline them whatever their linkage. */
export const LARGE_FUNCTION_MIR_SIZE = 48;

/** How large (MIR statements and terminators) a function may grow by absorbing its single-caller callees. The
 * 10,000-line benchmark's units are about 350 each with their helpers; a budget of a few units keeps every
 * function's optimisation cheap while a whole small program (all the benchmarks under benchmarks/) still merges
 * as C's would. */
export const INLINE_BUDGET_MIR_SIZE = 1500;

/** Statements plus terminators: the function's size as the inliner will roughly see it. */
export function mirSize(f: MirFunction): number {
  let n = 0;
  for (const b of f.blocks) n += b.stmts.length + 1;
  return n;
}

/** The symbols of the functions that get external linkage: the exported ones, and the single-caller callees made
 * external to keep their caller within the budget. */
export function externalFunctions(program: MirProgram, budget: number = INLINE_BUDGET_MIR_SIZE): Set<string> {
  const external = new Set<string>();
  const bySymbol = new Map<string, MirFunction>();
  for (const f of program.functions) {
    bySymbol.set(f.symbol, f);
    if (f.exported) external.add(f.symbol);
  }
  // direct call sites per callee, and the caller of each callee called once
  const calls = new Map<string, number>();
  const callerOf = new Map<string, string>();
  for (const f of program.functions) {
    for (const b of f.blocks) {
      for (const s of b.stmts) {
        if (s.k !== 'call' || s.callee.k !== 'fn') continue;
        const callee = s.callee.symbol;
        calls.set(callee, (calls.get(callee) ?? 0) + 1);
        callerOf.set(callee, f.symbol);
      }
    }
  }
  // a function in a vtable has its address taken: no single-caller bonus for it
  const addressTaken = new Set<string>();
  for (const v of program.vtables) for (const s of v.slots) addressTaken.add(s);
  const children = new Map<string, MirFunction[]>();
  for (const [callee, n] of calls) {
    const f = bySymbol.get(callee);
    const caller = callerOf.get(callee)!;
    if (n !== 1 || f === undefined || f.exported || addressTaken.has(callee) || caller === callee) continue;
    const list = children.get(caller);
    if (list === undefined) children.set(caller, [f]);
    else list.push(f);
  }

  // bottom-up: the size of each function with its absorbed callees (iterative post-order; a single-caller cycle,
  // mutual recursion, is cut where the walk meets a function still on its stack)
  const absorbed = new Map<string, number>();
  const onStack = new Set<string>();
  for (const root of program.functions) {
    if (absorbed.has(root.symbol)) continue;
    const stack: { f: MirFunction; next: number }[] = [{ f: root, next: 0 }];
    onStack.add(root.symbol);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const kids = children.get(top.f.symbol) ?? [];
      if (top.next < kids.length) {
        const c = kids[top.next++]!;
        if (!absorbed.has(c.symbol) && !onStack.has(c.symbol)) {
          onStack.add(c.symbol);
          stack.push({ f: c, next: 0 });
        }
        continue;
      }
      stack.pop();
      onStack.delete(top.f.symbol);
      absorbed.set(top.f.symbol, withinBudget(top.f, kids, absorbed, external, budget));
    }
  }
  return external;
}

/** The size of `f` with the callees it keeps; the largest callees are made external while it is over the budget. */
function withinBudget(f: MirFunction, kids: readonly MirFunction[], absorbed: Map<string, number>, external: Set<string>, budget: number): number {
  const sized = kids.filter((c) => absorbed.has(c.symbol)).map((c) => ({ c, size: absorbed.get(c.symbol)! }));
  let total = mirSize(f);
  for (const k of sized) total += k.size;
  if (total <= budget) return total;
  sized.sort((a, b) => b.size - a.size || (a.c.symbol < b.c.symbol ? -1 : 1));
  for (const k of sized) {
    if (total <= budget || k.size < LARGE_FUNCTION_MIR_SIZE) break;
    external.add(k.c.symbol);
    total -= k.size;
  }
  return total;
}

export function functionLinkage(f: MirFunction, external: ReadonlySet<string>): number {
  return external.has(f.symbol) ? llvm.GlobalValue.LinkageTypes.ExternalLinkage : llvm.GlobalValue.LinkageTypes.InternalLinkage;
}
