// Drop elaboration (its own pass, as in rustc): lowering put a `drop` at every scope exit for every owned local.
// Using the initialisation dataflow over move paths, each drop becomes:
//   - itself, when the value is initialised on every path;
//   - nothing, when it was moved out on every path;
//   - a flagged drop, when it was moved on some paths only: a Bool drop flag, set where the value is assigned,
//     cleared where it is moved or dropped, and tested by the drop;
//   - drops of the remaining fields, when some fields were moved out (a partial move; MEMORY.md §2 rule 5).
import type { Span } from '../syntax/source.js';
import { structFields, T, type Type } from '../sema/types.js';
import type { ProgramDefs } from '../sema/defs.js';
import { classify } from '../sema/ownership.js';
import type { LocalId, MirFunction, Place, Statement } from './mir.js';
import { initDataflow, MAYBE_INIT, MAYBE_UNINIT, MovePaths, stmtDest, stmtOperands, transfer, type InitState } from './move_paths.js';

export function elaborateDrops(f: MirFunction, defs: ProgramDefs): void {
  const mp = new MovePaths(f);
  const ins = initDataflow(mp);
  const flags = new Map<number, LocalId>(); // path → flag local
  const flagFor = (path: number): LocalId => {
    let id = flags.get(path);
    if (id === undefined) {
      id = f.locals.length;
      f.locals.push({ id, ty: T.bool, name: null, kind: 'flag', span: null });
      flags.set(path, id);
    }
    return id;
  };

  /** The drops that replace `drop(place)` for move path `path`, given the state before it. */
  const elaborate = (path: number, pl: Place, ty: Type, st: InitState, span: Span): Statement[] => {
    const node = st[path]!;
    const sub = mp.descendants(path);
    const uniform = sub.every((d) => st[d] === node);
    if (uniform) {
      if (node === MAYBE_INIT) return [{ k: 'drop', place: pl, flag: null, span }];
      if (node === MAYBE_UNINIT || node === 0) return [];
      return [{ k: 'drop', place: pl, flag: flagFor(path), span }];
    }
    // some fields were moved out: drop the others one by one (a type with `impl Drop` cannot be partially moved)
    const fieldTys = fieldTypes(ty);
    if (!fieldTys) return [{ k: 'drop', place: pl, flag: null, span }];
    const out: Statement[] = [];
    fieldTys.forEach((ft, i) => {
      if (classify(defs, ft) === 'plain') return; // nothing to drop in plain data
      const child = mp.paths[path]!.children.find((c) => mp.paths[c]!.fields[mp.paths[c]!.fields.length - 1] === i);
      const cpl: Place = { local: pl.local, proj: [...pl.proj, { k: 'field', index: i }] };
      if (child === undefined) {
        // never moved by itself: it shares its parent's own state
        if (node === MAYBE_INIT) out.push({ k: 'drop', place: cpl, flag: null, span });
        else if (node & MAYBE_INIT) out.push({ k: 'drop', place: cpl, flag: flagFor(path), span });
        return;
      }
      out.push(...elaborate(child, cpl, ft, st, span));
    });
    return out;
  };

  const placeTy = (pl: Place): Type => {
    let t = f.locals[pl.local]!.ty;
    for (const pr of pl.proj) if (pr.k === 'field') t = fieldTypes(t)?.[pr.index] ?? T.error;
    return t;
  };

  // pass 1: rewrite drops (flags are created on demand)
  const rewritten: Statement[][] = f.blocks.map(() => []);
  f.blocks.forEach((blk, bi) => {
    const st0 = ins[bi];
    if (!st0) {
      rewritten[bi] = blk.stmts;
      return;
    }
    const st = new Uint8Array(st0);
    const out = rewritten[bi]!;
    for (const s of blk.stmts) {
      if (s.k === 'drop' && s.flag === null) {
        const path = mp.pathOfPlace(s.place);
        if (path !== null && mp.isWhole(s.place)) {
          out.push(...elaborate(path, s.place, placeTy(s.place), st, s.span));
          transfer(mp, s, st);
          continue;
        }
      }
      out.push(s);
      transfer(mp, s, st);
    }
  });
  // pass 2: keep every flag in step with the value it guards
  if (flags.size) {
    const ancestorsOrSelf = (path: number): Set<number> => {
      const s = new Set<number>();
      for (let p: number | null = path; p !== null; p = mp.paths[p]!.parent) s.add(p);
      return s;
    };
    const flagged = [...flags.entries()].map(([path, flag]) => ({ path, flag, anc: ancestorsOrSelf(path) }));
    rewritten.forEach((stmts, bi) => {
      const out: Statement[] = [];
      for (const s of stmts) {
        out.push(s);
        const span = 'span' in s ? s.span : f.span;
        const moved = new Set<number>();
        for (const o of stmtOperands(s)) {
          if (o.k !== 'move') continue;
          const p = mp.pathOfPlace(o.place);
          if (p !== null) moved.add(p);
        }
        // (a drop clears no flag: nothing drops the same value again unless it is first re-assigned, which sets
        // the flag; and the field drops made above have no move path of their own, only their parent's)
        const dest = stmtDest(s);
        const destPath = dest && mp.isWhole(dest) ? mp.pathOfPlace(dest) : null;
        for (const fl of flagged) {
          if ([...moved].some((m) => fl.anc.has(m))) out.push(setFlag(fl.flag, false, span));
          else if (destPath !== null && fl.anc.has(destPath)) out.push(setFlag(fl.flag, true, span));
        }
      }
      f.blocks[bi]!.stmts = out;
    });
    const init: Statement[] = [];
    for (const [path, flag] of flags) {
      const local = mp.paths[path]!.local;
      init.push(setFlag(flag, local >= 1 && local <= f.argCount, f.span));
    }
    f.blocks[0]!.stmts.unshift(...init);
  } else {
    rewritten.forEach((stmts, bi) => (f.blocks[bi]!.stmts = stmts));
  }
}

/** Field types of a struct (without a Drop impl) or tuple; null for anything else. */
function fieldTypes(t: Type): Type[] | null {
  if (t.k === 'tuple') return [...t.elems];
  if (t.k === 'adt' && t.def.kind === 'struct') return structFields(t).map((f) => f.ty);
  return null;
}

function setFlag(flag: LocalId, v: boolean, span: Span): Statement {
  return { k: 'assign', place: { local: flag, proj: [] }, rvalue: { k: 'use', op: { k: 'const', value: { k: 'bool', value: v }, ty: T.bool } }, span };
}
