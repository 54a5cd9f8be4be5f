// W0002 unused function: the free functions of the user's files that nothing reachable uses. Reachable: from the
// roots (`main`, `@test` functions, every method and constructor, constants' values, and the `pub` functions of a
// module other than the entry file: its API), following every function a checked body calls, names as a value,
// formats with or dispatches an operator to. A function used only by unused ones (or by itself) is unused too.
import type { FuncDef } from '../defs.js';
import type { TypedBody } from '../typed.js';
import type { CallRes } from '../typed.js';
import { hasBody } from '../../syntax/ast.js';

/** The functions `body` refers to. */
export function referencedFunctions(body: TypedBody): FuncDef[] {
  const out: FuncDef[] = [];
  const call = (c: CallRes): void => {
    if ('fn' in c) out.push(c.fn);
  };
  for (const c of body.calls.values()) call(c);
  for (const c of body.displays.values()) call(c);
  for (const o of body.ops.values()) if (o.k === 'call') call(o.call);
  for (const p of body.paths.values()) {
    if (p.k === 'fn') out.push(p.fn);
    if (p.k === 'const' && p.def.fn) out.push(p.def.fn);
  }
  if (body.baseCall) out.push(body.baseCall.fn);
  return out;
}

/** Whether `fn` is a candidate: a free function of the user's that is not an entry point or a library's API. */
export function isCandidate(fn: FuncDef): boolean {
  if (fn.module.isStd || fn.impl || fn.behavior || fn.ctor || !fn.decl || !hasBody(fn.decl) || fn.externSymbol) return false;
  if (fn.name.startsWith('_')) return false;
  if (fn.module.path === 'main' && fn.name === 'main') return false;
  if (fn.attrs.some((a) => a.name === 'test')) return false;
  if (fn.decl.isPub && fn.module.path !== 'main') return false;
  return true;
}

/** The candidates no root reaches, in source order. `synthetic`: compiler-made functions (roots, never reported). */
export function unusedFunctions(functions: readonly FuncDef[], bodyOf: (fn: FuncDef) => TypedBody | undefined, synthetic: (fn: FuncDef) => boolean): FuncDef[] {
  const candidates = functions.filter((f) => isCandidate(f) && !synthetic(f));
  const cand = new Set(candidates);
  const reached = new Set<FuncDef>();
  const work = functions.filter((f) => !f.module.isStd && !cand.has(f));
  for (const f of work) reached.add(f);
  while (work.length > 0) {
    const f = work.pop()!;
    const body = bodyOf(f);
    if (!body) continue;
    for (const g of referencedFunctions(body)) {
      if (reached.has(g) || g.module.isStd) continue;
      reached.add(g);
      work.push(g);
    }
  }
  return candidates.filter((f) => !reached.has(f)).sort((a, b) => (a.span.file === b.span.file ? a.span.start - b.span.start : a.span.file < b.span.file ? -1 : 1));
}
