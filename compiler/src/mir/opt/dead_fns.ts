// Dead functions: only what the entry, the tests, the statics' initialiser and finaliser and exported functions
// reach is kept, after inlining and devirtualisation have removed calls. A drop or retain reaches its type's glue,
// which code generation finds by name; a vtable reaches its slots.
import { mangleType } from '../../sema/types.js';
import type { ConstValue, MirFunction, MirProgram, Operand } from '../mir.js';
import { placeType } from '../analysis/place_type.js';
import { statementOperands, terminatorOperands } from './visit.js';

export function removeDeadFunctions(p: MirProgram): void {
  const bySymbol = new Map(p.functions.map((f) => [f.symbol, f]));
  const vtables = new Map(p.vtables.map((v) => [v.symbol, v]));
  const live = new Set<string>();
  const liveVtables = new Set<string>();
  const work: string[] = [];
  const reach = (symbol: string | null | undefined) => {
    if (!symbol || live.has(symbol) || !bySymbol.has(symbol)) return;
    live.add(symbol);
    work.push(symbol);
  };
  const reachVtable = (symbol: string) => {
    if (liveVtables.has(symbol)) return;
    liveVtables.add(symbol);
    for (const s of vtables.get(symbol)?.slots ?? []) reach(s);
  };
  const reachConst = (c: ConstValue) => {
    if (c.k === 'fn' || c.k === 'fnptr') reach(c.symbol);
    if (c.k === 'vtable') reachVtable(c.symbol);
  };
  const reachOperand = (o: Operand) => {
    if (o.k === 'const') reachConst(o.value);
  };
  reach(p.entry?.symbol);
  reach(p.staticInit);
  reach(p.staticDrop);
  for (const t of p.tests) reach(t.symbol);
  for (const f of p.functions) if (f.exported) reach(f.symbol);
  while (work.length) {
    const f = bySymbol.get(work.pop()!)!;
    for (const b of f.blocks) {
      for (const s of b.stmts) {
        statementOperands(s).forEach(reachOperand);
        if (s.k === 'call' && s.callee.k === 'fn') reach(s.callee.symbol);
        if (s.k === 'assign' && s.rvalue.k === 'aggregate' && s.rvalue.kind.k === 'closure') {
          reach(s.rvalue.kind.fn);
          reach(s.rvalue.kind.envDrop);
        }
        if (s.k === 'assign' && s.rvalue.k === 'unsize') reachVtable(s.rvalue.vtable);
        if (s.k === 'drop') reachGlue(f, 'drop$', s.place, reach);
        if (s.k === 'retain') reachGlue(f, 'retain$', s.place, reach);
      }
      terminatorOperands(b.term).forEach(reachOperand);
    }
  }
  const keep = (f: MirFunction) => live.has(f.symbol);
  if (p.functions.every(keep)) return;
  p.functions.splice(0, p.functions.length, ...p.functions.filter(keep));
  p.vtables.splice(0, p.vtables.length, ...p.vtables.filter((v) => liveVtables.has(v.symbol)));
}

function reachGlue(f: MirFunction, prefix: string, place: Parameters<typeof placeType>[1], reach: (s: string) => void): void {
  const t = placeType(f, place);
  reach(prefix + mangleType(t));
  // a trait object's glue is reached through its vtable's slot 0, which the unsize reached
}
