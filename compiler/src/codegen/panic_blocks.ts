// Which blocks of a function are runtime-check failures that code generation merges into one shared block.
//
// A check (overflow, bounds, division by zero, …) lowers to a branch to a block that only calls a runtime panic
// function (`tml_panic…`, never returns) with the failing check's source location and details, and ends in
// `unreachable`. Emitted one by one that is a block, a call with its arguments and an `unreachable` per check: at
// -O0 a third of a checked expression's IR. Blocks that call the same panic function with arguments of the same
// types are merged: one block per (function, panic function, argument types) whose arguments are φs over the
// branches into it, so each check costs only its branch. The panic message stays exact (the location is an
// argument); only the debugger's line of the call becomes the merged one (line 0, see DebugInfo.mergedLocation).
//
// A block qualifies when its only statement is that call and every argument is a constant or a register temporary
// (mir/analysis/register_temps.ts): those are values at the end of every predecessor without any instruction
// there (a register temporary's write dominates the panic block, hence every block that branches to it).
import { printOperand } from '../mir/print.js';
import { typeToString } from '../sema/types.js';
import { terminatorTargets, type BlockId, type MirFunction, type Operand, type Statement } from '../mir/mir.js';

type PanicCall = Extract<Statement, { k: 'call' }>;

/** Blocks merged into one shared panic block. */
export interface PanicGroup {
  /** the merged blocks and their calls, in block order */
  readonly members: ReadonlyMap<BlockId, PanicCall>;
  /** per argument: true when every member passes the same constant (no φ needed) */
  readonly uniform: readonly boolean[];
}

/** The panic groups of `f` with at least two members (a lone check gains nothing from a shared block). */
export function panicGroups(f: MirFunction, registers: ReadonlySet<number>): PanicGroup[] {
  const byKey = new Map<string, Map<BlockId, PanicCall>>();
  for (const bb of f.blocks) {
    if (bb.term.k !== 'unreachable') continue;
    let call: PanicCall | null = null;
    let other = false;
    for (const s of bb.stmts) {
      if (s.k === 'nop') continue;
      if (call || s.k !== 'call') other = true;
      else call = s;
    }
    if (other || !call || !isPanic(call)) continue;
    const types: string[] = [];
    let ok = true;
    for (const a of call.args) {
      if (a.k === 'const') types.push(typeToString(a.ty));
      else if (a.place.proj.length === 0 && registers.has(a.place.local)) types.push(typeToString(f.locals[a.place.local]!.ty));
      else ok = false;
    }
    if (!ok) continue;
    const key = `${call.callee.k === 'extern' ? call.callee.symbol : ''}(${types.join(',')})`;
    let members = byKey.get(key);
    if (!members) byKey.set(key, (members = new Map()));
    members.set(bb.id, call);
  }
  const groups: PanicGroup[] = [];
  for (const members of byKey.values()) {
    if (members.size < 2) continue;
    keepOneTargetPerBranch(f, members);
    if (members.size < 2) continue;
    const calls = [...members.values()];
    const first = calls[0]!;
    const uniform = first.args.map((a, i) => a.k === 'const' && calls.every((c) => sameConstant(c.args[i]!, a)));
    groups.push({ members, uniform });
  }
  return groups;
}

/** A branch into two members of one group (`if c -> [true: panic A, false: panic B]`, where the optimizer has found
 * that both arms fail) would reach the shared block twice from one block, with two different φ values: invalid IR.
 * Such a branch keeps its first member in the group; the others stay blocks of their own. */
function keepOneTargetPerBranch(f: MirFunction, members: Map<BlockId, PanicCall>): void {
  for (const bb of f.blocks) {
    const targets = new Set(terminatorTargets(bb.term).filter((t) => members.has(t)));
    if (targets.size < 2) continue;
    for (const t of [...targets].slice(1)) members.delete(t);
  }
}

function isPanic(s: PanicCall): boolean {
  return s.noReturn && s.dest === null && s.callee.k === 'extern' && s.callee.symbol.startsWith('tml_panic');
}

function sameConstant(a: Operand, b: Operand): boolean {
  return a.k === 'const' && b.k === 'const' && printOperand(a) === printOperand(b);
}
