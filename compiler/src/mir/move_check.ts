// The move checker (MEMORY.md §2, LANGUAGE.md §8): a use of a variable that may have been moved out — on any path,
// including a previous loop iteration — or that may never have been assigned, is a compile error. It runs on MIR,
// on the same initialisation dataflow as drop elaboration, before elaboration rewrites the drops.
import type { DiagnosticBag, Label } from '../syntax/diagnostics.js';
import type { Span } from '../syntax/source.js';
import type { MirFunction, Place, Statement } from './mir.js';
import { initDataflow, MAYBE_UNINIT, MovePaths, stmtOperands, stmtReads, transfer } from './move_paths.js';

export function checkMoves(f: MirFunction, diags: DiagnosticBag): void {
  const mp = new MovePaths(f);
  const ins = initDataflow(mp);
  const reported = new Set<number>();
  const moveSites = collectMoves(f, mp);
  f.blocks.forEach((blk, bi) => {
    const st0 = ins[bi];
    if (!st0) return;
    const st = new Uint8Array(st0);
    for (const s of blk.stmts) {
      for (const pl of readsWithSpans(s)) {
        const local = f.locals[pl.place.local]!;
        if (local.name === null || (local.kind !== 'var' && local.kind !== 'arg') || reported.has(local.id)) continue;
        const path = mp.pathOfPlace(pl.place);
        if (path === null) continue;
        const sub = mp.descendants(path);
        const bad = sub.filter((d) => st[d]! & MAYBE_UNINIT);
        if (bad.length === 0) continue;
        reported.add(local.id);
        const span = pl.span ?? ('span' in s ? s.span : f.span);
        const moves = moveSites.filter((m) => sub.includes(m.path) || isAncestor(mp, m.path, path));
        if (moves.length === 0) {
          diags.error('E0381', `used binding \`${local.name}\` isn't initialized`, span, {
            label: `\`${local.name}\` used here but it isn't initialized`,
            secondary: local.span ? [{ span: local.span, message: 'binding declared here but left uninitialized' }] : [],
          });
          continue;
        }
        const before = moves.filter((m) => m.span.start < span.start);
        const site = before.length ? before[before.length - 1]! : moves[0]!;
        const inLoop = site.span.start >= span.start;
        const partial = !sub.includes(site.path) || site.path !== path;
        const what = partial && isAncestor(mp, path, site.path) && site.path !== path ? 'partially moved value' : 'moved value';
        const secondary: Label[] = [{ span: site.span, message: inLoop ? 'value moved here, in previous iteration of loop' : 'value moved here' }];
        diags.error('E0382', `use of ${what} \`${local.name}\``, span, {
          label: 'value used here after move',
          secondary,
          notes: inLoop ? ['the value is moved in one iteration and used again in the next'] : [],
        });
      }
      transfer(mp, s, st);
    }
  });
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
        const l = f.locals[o.place.local]!;
        if (l.name === null) continue;
        out.push({ path: p, span: o.span ?? ('span' in s ? s.span : f.span) });
      }
    }
  }
  return out.sort((a, b) => a.span.start - b.span.start);
}

/** The places a statement reads, with the span of the source expression when the operand knows it. */
function readsWithSpans(s: Statement): { place: Place; span: Span | undefined }[] {
  const out: { place: Place; span: Span | undefined }[] = [];
  for (const o of stmtOperands(s)) if (o.k !== 'const') out.push({ place: o.place, span: o.span });
  for (const p of stmtReads(s)) if (!out.some((x) => x.place === p)) out.push({ place: p, span: undefined });
  return out;
}
