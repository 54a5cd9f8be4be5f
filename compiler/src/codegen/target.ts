// Target triple → data layout string.
//
// The brief's route, `TargetRegistry.lookupTarget(triple).createTargetMachine(triple, 'generic').createDataLayout()`,
// cannot be used as is with llvm-bindings 0.4.2: its `createDataLayout` wraps a pointer to a temporary
// `llvm::DataLayout` that is destroyed before the call returns (src/Target/TargetMachine.cpp binds the by-value
// result to a local reference), so any use of the returned object reads freed memory (checked: a segfault in
// `Module.setDataLayout(dl)`, "Invalid argument" from `getStringRepresentation`). We still look the target up
// (which checks that LLVM knows the triple's architecture) and create the target machine, but take the layout
// string from this table, which is exactly what clang-14 emits for these triples (checked with
// `clang-14 -target T -S -emit-llvm`). The DataLayout used for sizes is the module's own (from that string).
//
// Target machines are made once per (triple, optimisation level) and kept for the process: one per compilation
// would be a native object left behind by each (tmlc's patch of llvm-bindings can dispose of them, but reusing
// them is cheaper still).
import llvm, { ice, initTargets } from './llvm.js';

const LAYOUTS: readonly { arch: RegExp; layout: string }[] = [
  { arch: /^x86_64-/, layout: 'e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-f80:128-n8:16:32:64-S128' },
  { arch: /^(aarch64|arm64)-/, layout: 'e-m:e-i8:8:32-i16:16:32-i64:64-i128:128-n32:64-S128' },
];

export function dataLayoutFor(triple: string): string {
  const entry = LAYOUTS.find((l) => l.arch.test(triple));
  if (!entry || !/linux/.test(triple)) ice(`unsupported target triple '${triple}' (supported: x86_64-pc-linux-gnu, aarch64-linux-gnu)`);
  targetMachine(triple, 0);
  return entry.layout;
}

const machines = new Map<string, llvm.TargetMachine>();

/** The target machine that generates code for `triple` at `-O<optLevel>`: relocatable as position-independent
 * code, because clang-14 links position-independent executables (it compiles with `-mrelocation-model pic`). */
export function targetMachine(triple: string, optLevel: 0 | 1 | 2 | 3): llvm.TargetMachine {
  const key = `${triple} -O${optLevel}`;
  let machine = machines.get(key);
  if (machine === undefined) {
    initTargets();
    const target = llvm.TargetRegistry.lookupTarget(triple);
    if (!target) ice(`LLVM has no target for triple '${triple}'`);
    machine = target.createTargetMachine(triple, 'generic', '', 'pic', optLevel);
    machines.set(key, machine);
  }
  return machine;
}
