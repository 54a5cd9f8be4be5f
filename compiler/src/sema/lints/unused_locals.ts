// W0001 unused variable and W0003 unneeded `var`/`mut`, from the checked body's resolutions: a local is read
// when some `Path` resolves to it other than as the target of an assignment (a closure's body resolves its
// captures the same way, so a variable read only in a closure is read); a mutable local is needed mutable when
// the checker's mutability check (requireMutablePlace) had to look at it, i.e. it was assigned, borrowed
// `mut ref`, or the receiver of a `mut this` method (TypedBody.mutated).
import type * as ast from '../../syntax/ast.js';
import type { Span } from '../../syntax/source.js';
import type { LocalVar } from '../typed.js';
import type { BodyLint } from './lint.js';

export function lintLocals(c: BodyLint): void {
  const patSpans = new Map<number, Span>(c.nodes.identPats.map((p) => [p.id, p.span]));
  const targets = new Set(c.nodes.assigns.map((a) => a.target.id));
  const read = new Set<LocalVar>();
  const written = new Set<LocalVar>();
  for (const [id, r] of c.body.paths) {
    if (r.k !== 'local') continue;
    if (targets.has(id)) written.add(r.local);
    else read.add(r.local);
  }
  // `&x` (lowlevel): the raw pointer may write to `x`, so its `var` is needed
  const addressed = new Set<LocalVar>();
  for (const u of c.nodes.unaries) {
    const root = u.op === '&' ? rootLocal(c, u.operand) : null;
    if (root) addressed.add(root);
  }
  const loopHeads = new Set(c.body.loopDecls.values());
  const seen = new Set<LocalVar>();
  const found: { local: LocalVar; span: Span }[] = [];
  for (const [patId, local] of c.body.bindings) {
    if (seen.has(local) || local === c.body.self || local.name === 'this' || local.name.startsWith('_')) continue;
    seen.add(local);
    found.push({ local, span: patSpans.get(patId) ?? local.span });
  }
  found.sort((a, b) => a.span.start - b.span.start);
  for (const { local, span } of found) {
    const n = local.name;
    if (!read.has(local)) {
      c.warn('W0001', `unused variable: \`${n}\``, span, {
        label: `help: if this is intentional, prefix it with an underscore: \`_${n}\``,
        notes: written.has(local) ? [`\`${n}\` is assigned to, but its value is never read`] : [],
      });
    } else if (local.mutable && !c.body.mutated.has(local) && !addressed.has(local) && !loopHeads.has(local)) {
      c.warn('W0003', `variable \`${n}\` does not need to be mutable`, span, {
        label: c.body.params.includes(local) ? 'help: remove the `mut`' : `help: declare it with \`let ${n}\``,
        notes: ['it is never assigned after its declaration, borrowed `mut ref`, or the receiver of a `mut this` method'],
      });
    }
  }
}

/** The local a place expression (`x`, `x.f`, `x[i]`) is part of. */
function rootLocal(c: BodyLint, e: ast.Expr): LocalVar | null {
  if (e.kind === 'Field' || e.kind === 'Index') return rootLocal(c, e.object);
  if (e.kind !== 'Path') return null;
  const r = c.body.paths.get(e.id);
  return r?.k === 'local' ? r.local : null;
}
