// The compile-time rules that keep async functions sound (MEMORY.md §8.1), judged on MIR, where what is live at
// each `await` is known exactly (the storage liveness: a value is live until its last use or its drop):
//   E0785  no reference (nor a value that borrows, like a `MutexGuard`) may be live across an `await`: the future's
//          state would keep a pointer to something the future does not own (run on every async body, generic or
//          not, called or not);
//   E0786  in an async function that runs as a task (`spawn`), and in the async functions whose futures it or any
//          function it calls makes, every value live across an `await` must be `Send`: the task may resume on
//          another worker thread. (All async functions, when a spawned function value or a future made by a
//          closure or a virtual call hides which one runs.)
//          (A `Future` value held across an `await` is judged by the async function that made it, which is in
//          that set when it is a program's; the library's futures are Send when their type arguments are.)
import type { DiagnosticBag } from '../syntax/diagnostics.js';
import type { Span } from '../syntax/source.js';
import { containsRef } from '../sema/collect.js';
import type { ProgramDefs } from '../sema/defs.js';
import { notSend } from '../sema/send.js';
import { typeToString, type Type } from '../sema/types.js';
import { holdsBorrowAdt } from './analysis/accesses.js';
import { liveness } from './analysis/liveness.js';
import { placeType } from './analysis/place_type.js';
import { dropPaths, isAwaitCall, suspensions } from './async_lower.js';
import type { LocalId, MirFunction, MirProgram } from './mir.js';

interface AwaitLive {
  readonly span: Span;
  readonly locals: LocalId[];
}

/** For each `await` of an async body: the locals live right after it, other than the awaited value's destination. */
function liveAcrossAwaits(f: MirFunction): AwaitLive[] {
  const live = liveness(f, true, dropPaths(f, suspensions(f)));
  const out: AwaitLive[] = [];
  f.blocks.forEach((b, bi) =>
    b.stmts.forEach((s, si) => {
      if (!isAwaitCall(s)) return;
      const after = live.after(bi, si);
      if (s.dest && s.dest.proj.length === 0) after.delete(s.dest.local);
      out.push({ span: s.span, locals: [...after].sort((a, c) => a - c) });
    }),
  );
  return out;
}

function describe(f: MirFunction, l: LocalId): string {
  const d = f.locals[l]!;
  return d.name ? `\`${d.name}\`` : 'a temporary';
}

/** E0785, on one async body (before monomorphisation: every body is judged, called or not). */
export function checkAsyncRefs(f: MirFunction, diags: DiagnosticBag): void {
  if (!f.asyncFuture) return;
  const reported = new Set<LocalId>();
  for (const a of liveAcrossAwaits(f)) {
    for (const l of a.locals) {
      const d = f.locals[l]!;
      if (reported.has(l) || !(containsRef(d.ty) || holdsBorrowAdt(d.ty))) continue;
      reported.add(l);
      const what = holdsBorrowAdt(d.ty) ? 'a value that borrows' : 'a reference';
      diags.error('E0785', `${what} is live across an \`await\``, a.span, {
        label: `${describe(f, l)} is used after this \`await\``,
        secondary: d.span ? [{ span: d.span, message: `${describe(f, l)} is a \`${typeToString(d.ty)}\`` }] : [],
        notes: [
          'a suspended future keeps its live values in its state, and may be resumed after what they borrow is gone',
          'end the borrow before the `await` (copy out what you need), or hold an owner instead (a value, `Shared`, `Sync`)',
        ],
      });
    }
  }
}

/** E0786, on the monomorphised program before the state-machine pass: the async functions spawned as tasks, and
 * the async functions whose futures those make (transitively). */
/** What mono saw spawned as async tasks: named async functions (the first spawn of each), and the first spawn of a
 * function value whose async function is not known. */
export interface SpawnedAsync {
  readonly named: ReadonlyMap<string, Span>;
  readonly unknown: Span | null;
}

export function checkAsyncSend(program: MirProgram, spawned: SpawnedAsync, defs: ProgramDefs, diags: DiagnosticBag): void {
  const fns = new Map(program.functions.map((f) => [f.symbol, f]));
  const bodies = new Map(program.functions.filter((f) => f.asyncFuture).map((f) => [f.symbol, f]));
  const future = defs.langAdt('Future');
  const isFuture = (t: Type) => t.k === 'adt' && t.def === future;
  // what a task runs: from each spawned async function, every function it calls (a sync helper may make a future
  // it then awaits); a future that comes out of a closure or a virtual call could be any async function's
  const via = new Map<string, Span>();
  const work: string[] = [];
  let everyBody: Span | null = spawned.unknown;
  for (const [sym, span] of spawned.named) if (fns.has(sym) && !via.has(sym)) (via.set(sym, span), work.push(sym));
  while (work.length && !everyBody) {
    const f = fns.get(work.pop()!)!;
    for (const b of f.blocks) for (const s of b.stmts) {
      if (s.k !== 'call') continue;
      if (s.callee.k !== 'fn' && s.callee.k !== 'extern' && s.dest && isFuture(placeType(f, s.dest))) everyBody = via.get(f.symbol)!;
      if (s.callee.k !== 'fn' || via.has(s.callee.symbol) || !fns.has(s.callee.symbol)) continue;
      via.set(s.callee.symbol, via.get(f.symbol)!);
      work.push(s.callee.symbol);
    }
  }
  if (everyBody) for (const sym of bodies.keys()) if (!via.has(sym)) via.set(sym, everyBody);
  for (const [sym, spawnSpan] of via) {
    const f = bodies.get(sym);
    if (!f) continue;
    const reported = new Set<LocalId>();
    for (const a of liveAcrossAwaits(f)) {
      for (const l of a.locals) {
        const d = f.locals[l]!;
        if (reported.has(l) || (d.ty.k === 'adt' && d.ty.def === future)) continue;
        const bad = notSend(d.ty, { trustParams: false, funcsChecked: false });
        if (!bad) continue;
        reported.add(l);
        diags.error('E0786', `${describe(f, l)} is not \`Send\`, and is live across an \`await\` in a task`, a.span, {
          label: `${describe(f, l)} is used after this \`await\``,
          secondary: [
            ...(d.span ? [{ span: d.span, message: `a \`${typeToString(d.ty)}\`${typeToString(bad) !== typeToString(d.ty) ? `, which contains a \`${typeToString(bad)}\`` : ''}` }] : []),
            { span: spawnSpan, message: 'the task is spawned here: it may resume on another worker thread' },
          ],
          notes: ['end its use before the `await`, or hold a `Send` value instead (`Sync[T]` for shared data)'],
        });
      }
    }
  }
}
