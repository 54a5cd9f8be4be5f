// The linkage of a program function. Exported functions (the entry point's callers, tests) are external; so are
// large functions, so that optimisation time grows with the program instead of faster than it.
//
// Why large functions: LLVM's inliner gives an internal function with a single call site a bonus of 15,000 (its
// body disappears once inlined), about 3,000 instructions, so a chain of single-caller functions — `main` calling
// each part of a program once, each part calling its helpers once — collapses into one function holding the whole
// program's code and loops. Some of LLVM's passes are superlinear in the size of a function (loop strength
// reduction took 2.2 of the 3.4 s of code generation of the 10,000-line benchmark, whose `main` held 28,000
// instructions after inlining), so that build's time grew faster than the program. A function that is not
// internal gets no such bonus: it is inlined only when LLVM's ordinary cost model says so (about 45 instructions
// at -O2), which a function this large never passes, so each large function stays its own unit of optimisation.
// Small functions keep internal linkage and are inlined, folded and removed as before. See docs/decisions.md,
// "Release builds that scale".
import llvm from './llvm.js';
import type { MirFunction } from '../mir/mir.js';

/** The size (MIR statements and terminators) from which a function is external. LLVM's -O2 inline threshold (225,
 * five per instruction) is about 45 instructions; a MIR statement is one or more LLVM instructions, so a function
 * this size is far above it and inlining it could only come from the single-caller bonus. */
export const LARGE_FUNCTION_MIR_SIZE = 48;

/** Statements plus terminators: the function's size as the inliner will roughly see it. */
export function mirSize(f: MirFunction): number {
  let n = 0;
  for (const b of f.blocks) n += b.stmts.length + 1;
  return n;
}

/** True when the function is given external linkage (see the top of this file). */
export function isExternalFunction(f: MirFunction): boolean {
  return f.exported || mirSize(f) >= LARGE_FUNCTION_MIR_SIZE;
}

export function functionLinkage(f: MirFunction): number {
  return isExternalFunction(f) ? llvm.GlobalValue.LinkageTypes.ExternalLinkage : llvm.GlobalValue.LinkageTypes.InternalLinkage;
}
