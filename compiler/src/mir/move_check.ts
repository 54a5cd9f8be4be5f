// The move checker (MEMORY.md §2, LANGUAGE.md §8): a use of a variable that may have been moved out — on any path,
// including a previous loop iteration, or earlier in the same statement — or that may never have been assigned, is
// a compile error; so is moving out through a reference, out of an index, or out of a field of a type with `impl
// Drop`, and assigning twice to an immutable `let` declared without a value. It runs on MIR, on the same
// initialisation dataflow as drop elaboration, before elaboration rewrites the drops.
import type { DiagnosticBag, Label } from '../syntax/diagnostics.js';
import type { Span } from '../syntax/source.js';
import type { ProgramDefs } from '../sema/defs.js';
import { derefPlaceType, isClass, structFields, typeToString, variantFields, type Type } from '../sema/types.js';
import type { MirFunction, Operand, Place, Statement } from './mir.js';
import { initDataflow, MAYBE_INIT, MAYBE_UNINIT, MovePaths, stmtDest, stmtOperands, stmtReads, transfer, type InitState } from './move_paths.js';

export function checkMoves(f: MirFunction, diags: DiagnosticBag, defs: ProgramDefs): void {
  const mp = new MovePaths(f);
  const ins = initDataflow(mp);
  const reported = new Set<number>();
  const moveSites = collectMoves(f, mp);
  const named = (local: number) => {
    const l = f.locals[local]!;
    return l.name !== null && (l.kind === 'var' || l.kind === 'arg') ? l : null;
  };

  /** Report a read of `pl` (at `span`) that may see a moved or uninitialised value. */
  const checkRead = (full: Place, span: Span, st: InitState) => {
    // reading through a pointer (`*h`, `h.v` through a Heap, `(*r).f`) reads the pointer first
    const firstDeref = full.proj.findIndex((p) => p.k === 'deref');
    const pl: Place = firstDeref < 0 ? full : { local: full.local, proj: full.proj.slice(0, firstDeref) };
    const local = named(pl.local);
    if (!local || reported.has(local.id)) return;
    const path = mp.pathOfPlace(pl);
    if (path === null) return;
    // the path's own state, and every tracked path inside the place read (not its siblings)
    const fields = placeFields(pl);
    const inside = mp.descendants(path).filter((d) => d === path || startsWith(mp.paths[d]!.fields, fields));
    if (!inside.some((d) => st[d]! & MAYBE_UNINIT)) return;
    reported.add(local.id);
    const moves = moveSites.filter((m) => inside.includes(m.path) || isAncestor(mp, m.path, path));
    if (moves.length === 0) {
      diags.error('E0381', `used binding \`${local.name}\` isn't initialized`, span, {
        label: `\`${local.name}\` used here but it isn't initialized`,
        secondary: local.span ? [{ span: local.span, message: 'binding declared here but left uninitialized' }] : [],
      });
      return;
    }
    const before = moves.filter((m) => m.span.start < span.start);
    const site = before.length ? before[before.length - 1]! : moves[0]!;
    const inLoop = site.span.start >= span.start;
    const partial = site.path !== path && isAncestor(mp, path, site.path);
    const secondary: Label[] = [{ span: site.span, message: inLoop ? 'value moved here, in previous iteration of loop' : 'value moved here' }];
    diags.error('E0382', `use of ${partial ? 'partially moved value' : 'moved value'} \`${local.name}\``, span, {
      label: 'value used here after move',
      secondary,
      notes: inLoop ? ['the value is moved in one iteration and used again in the next'] : [],
    });
  };

  f.blocks.forEach((blk, bi) => {
    const st0 = ins[bi];
    if (!st0) return;
    const st = new Uint8Array(st0);
    for (const s of blk.stmts) {
      const span = 'span' in s ? s.span : f.span;
      // operands in order: a value moved by an earlier operand of the same statement is gone for the later ones.
      // The moves are marked in `st` itself and undone after the operands (copying the state per statement made
      // this quadratic in a large function's size).
      const operands = stmtOperands(s);
      const undo: number[] = [];
      for (const o of operands) {
        if (o.k === 'const') continue;
        checkRead(o.place, o.span ?? span, st);
        if (o.k === 'move') {
          checkMoveOut(f, o, span, diags, defs);
          const p = mp.pathOfPlace(o.place);
          if (p !== null)
            for (const d of mp.descendants(p)) {
              undo.push(d, st[d]!);
              st[d] = MAYBE_UNINIT;
            }
        }
      }
      for (let k = undo.length - 2; k >= 0; k -= 2) st[undo[k]!] = undo[k + 1]!;
      for (const pl of stmtReads(s)) if (!operands.some((o) => o.k !== 'const' && o.place === pl)) checkRead(pl, span, st);
      // an immutable late-initialised binding is assigned once
      const dest = stmtDest(s);
      // writing through a pointer (`*h = v`) reads the pointer
      if (dest && dest.proj.some((p) => p.k === 'deref')) checkRead(dest, span, st);
      if (dest && dest.proj.length === 0 && f.locals[dest.local]!.assignOnce) {
        const p = mp.pathOfPlace(dest);
        const l = f.locals[dest.local]!;
        if (p !== null && st[p]! & MAYBE_INIT && !reported.has(l.id)) {
          reported.add(l.id);
          diags.error('E0384', `cannot assign twice to immutable variable \`${l.name}\``, span, {
            label: 'cannot assign twice to immutable variable',
            secondary: l.span ? [{ span: l.span, message: `help: declare it mutable: \`var ${l.name}\`` }] : [],
          });
        }
      }
      transfer(mp, s, st);
    }
  });
}

/** Moving out of a place is only possible from something this function owns: not through a reference or an index,
 * and not a field of a value whose type has `impl Drop` (its `drop` needs the whole value). */
function checkMoveOut(f: MirFunction, o: Extract<Operand, { k: 'move' }>, stmtSpan: Span, diags: DiagnosticBag, defs: ProgramDefs): void {
  if (!o.span) return; // compiler-made moves (temporaries, glue) are correct by construction
  let t: Type = f.locals[o.place.local]!.ty;
  const span = o.span ?? stmtSpan;
  for (const pr of o.place.proj) {
    if (pr.k === 'deref') {
      const origin = f.locals[o.place.local]!.origin;
      if (origin) {
        diags.error('E0507', `cannot move out of ${origin}`, span, {
          label: 'move occurs here',
          notes: ['borrow the element, or take it out with a method such as `pop`'],
        });
        return;
      }
      const what = t.k === 'ptr' ? 'a raw pointer' : t.k === 'ref' && t.mutable ? 'a mutable reference' : isClass(t) ? 'a class reference (its object is shared)' : 'a shared reference';
      diags.error('E0507', `cannot move out of a value behind ${what}`, span, {
        label: `move occurs because the value has type \`${typeToString(derefTy(t))}\`, which cannot be copied`,
        notes: ['borrow it instead, or copy it out with `.duplicate()` where the type implements `Duplicate`'],
      });
      return;
    }
    if (pr.k === 'index') {
      diags.error('E0508', `cannot move out of an element of \`${typeToString(t)}\``, span, {
        label: 'cannot move out of here',
        notes: ['borrow the element, or take it out with a method such as `pop`'],
      });
      return;
    }
    if (t.k === 'adt' && defs.dropImpls.has(t.def)) {
      diags.error('E0509', `cannot move out of type \`${typeToString(t)}\`, which implements the \`Drop\` behavior`, span, {
        label: 'cannot move out of here',
        notes: ['its `drop` needs the whole value'],
      });
      return;
    }
    if (pr.k === 'field') t = t.k === 'tuple' ? t.elems[pr.index]! : t.k === 'adt' ? structFields(t)[pr.index]!.ty : t;
    else if (pr.k === 'variant') t = t.k === 'adt' ? variantFields(t, pr.variant)[pr.index]! : t;
  }
}

function derefTy(t: Type): Type {
  return derefPlaceType(t) ?? t;
}

function placeFields(p: Place): number[] {
  const out: number[] = [];
  for (const pr of p.proj) {
    if (pr.k !== 'field') break;
    out.push(pr.index);
  }
  return out;
}

function startsWith(a: readonly number[], prefix: readonly number[]): boolean {
  return prefix.length <= a.length && prefix.every((x, i) => a[i] === x);
}

function isAncestor(mp: MovePaths, anc: number, p: number): boolean {
  for (let q: number | null = p; q !== null; q = mp.paths[q]!.parent) if (q === anc) return true;
  return false;
}

interface MoveSite {
  readonly path: number;
  readonly span: Span;
}

function collectMoves(f: MirFunction, mp: MovePaths): MoveSite[] {
  const out: MoveSite[] = [];
  for (const b of f.blocks) {
    for (const s of b.stmts) {
      for (const o of stmtOperands(s)) {
        if (o.k !== 'move') continue;
        const p = mp.pathOfPlace(o.place);
        if (p === null) continue;
        if (f.locals[o.place.local]!.name === null) continue;
        out.push({ path: p, span: o.span ?? ('span' in s ? s.span : f.span) });
      }
    }
  }
  return out.sort((a, b) => a.span.start - b.span.start);
}

export type { Statement };
