// What LLVM may assume about a function's reference parameters. A `ref T`/`mut ref T` is never null and points at a
// live, initialised T for the whole call (MEMORY.md §3: references are second-class and cannot outlive what they
// borrow), so it is `nonnull dereferenceable(size of T) align(alignment of T)`: loads through it may be hoisted out
// of loops and past branches (a list's `data` above a bounds check). docs/decisions.md says why there is no `noalias`.
import type llvm from './llvm.js';
import { isFatPointer, type Layouts } from './layout.js';
import type { Type } from '../sema/types.js';

/** Adds the attributes to `fn`'s parameters, whose TML types are `params` in order. */
export function addReferenceParamAttributes(fn: llvm.Function, params: readonly Type[], layouts: Layouts): void {
  for (let i = 0; i < params.length; i++) {
    const t = params[i]!;
    // a `ref dyn B` is a (data, vtable) pair, not a pointer
    if (t.k !== 'ref' || isFatPointer(t)) continue;
    const size = layouts.sizeOf(t.inner);
    // a zero-sized referent has no memory to speak of (its address may be anything)
    if (size === 0) continue;
    fn.addParamAttr(i, 'nonnull');
    fn.addParamAttr(i, 'dereferenceable', size);
    // without the alignment LLVM does not speculate a load through it (every place of a T is aligned for T)
    fn.addParamAttr(i, 'align', layouts.alignOf(t.inner));
  }
}
