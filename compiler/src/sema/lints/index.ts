// The warnings (W0001…, syntax/codes/warnings.ts) of the user's files, after a check without errors: the standard
// library is never linted, nor code the compiler wrote (`@derive`, `@flags`, constants' value functions). After
// errors there are none, so no warning is a cascade of an error's recovery (a variable "unused" because the
// expression that used it did not check). Which lint lives where is written in docs/decisions.md ("Warnings").
import type * as ast from '../../syntax/ast.js';
import { DiagnosticBag } from '../../syntax/diagnostics.js';
import type { SourceMap } from '../../syntax/source.js';
import type { WarningCode } from '../../syntax/codes/warnings.js';
import type { FuncDef } from '../defs.js';
import type { CheckedProgram } from '../program.js';
import { allowedBy, warner, warningCodeOf, type BodyLint } from './lint.js';
import { lintNotPrecedence } from './not_precedence.js';
import { lintImports } from './unused_imports.js';
import { lintLocals } from './unused_locals.js';
import { lintUnreachable } from './unreachable.js';
import { lintUnusedResults } from './unused_results.js';
import { unusedFunctions } from './unused_functions.js';
import { bodyNodes } from './walk.js';
import { hasBody } from '../../syntax/ast.js';

/** `all`: every function of the program (program.ts's allFunctions, passed in so this module does not import it) */
export function lintProgram(checked: CheckedProgram, all: readonly FuncDef[], sources: SourceMap, out: DiagnosticBag): void {
  const { defs, bodies } = checked;
  // collected apart, then reported in source order (files in the order they were loaded: the entry first)
  const diags = new DiagnosticBag();
  const functions = all.filter((f) => !f.module.isStd);
  const none = new Set<WarningCode>();
  for (const scope of defs.modules.values()) {
    if (!scope.isStd) lintImports(scope, warner(diags, none));
  }
  for (const fn of functions) {
    const decl = fn.decl;
    if (!decl || !hasBody(decl) || synthetic(fn)) continue;
    const body = bodies.get(fn);
    if (!body) continue;
    const allowed = allowedBy(fn.attrs);
    reportUnknownAllows(fn.attrs, diags);
    const d = decl as BodyLint['decl'];
    const c: BodyLint = { defs, sources, fn, decl: d, body, nodes: bodyNodes(d), warn: warner(diags, allowed) };
    lintLocals(c);
    lintUnreachable(c);
    lintUnusedResults(c);
    lintNotPrecedence(c);
  }
  for (const fn of unusedFunctions(functions, (f) => (f.decl && hasBody(f.decl) ? bodies.get(f) : undefined), synthetic)) {
    warner(diags, allowedBy(fn.attrs))('W0002', `function \`${fn.name}\` is never used`, fn.decl!.nameSpan, {
      label: 'help: remove it, or start its name with an underscore',
    });
  }
  const fileRank = new Map([...defs.modules.values()].map((m, i) => [m.file, i]));
  const rank = (f: string): number => fileRank.get(f) ?? fileRank.size;
  const sorted = [...diags.items].sort((a, b) => rank(a.span.file) - rank(b.span.file) || a.span.start - b.span.start);
  for (const d of sorted) out.add(d);
}

/** Compiler-written functions: their whole text has one span, the declaration's they were written for
 * (syntax/respan.ts), or the value's (a constant's value function), so the function's span is its body's. */
function synthetic(fn: FuncDef): boolean {
  const d = fn.decl;
  return d === null || d.body === null || (d.span.start === d.body.span.start && d.span.end === d.body.span.end);
}

/** `@allow(x)` naming no warning: W0009. */
function reportUnknownAllows(attrs: readonly ast.Attribute[], diags: DiagnosticBag): void {
  for (const a of attrs) {
    if (a.name !== 'allow') continue;
    for (const arg of a.args) {
      const name = arg.kind === 'Path' && arg.segments.length === 1 ? arg.segments[0]!.name : null;
      if (name !== null && warningCodeOf(name) !== null) continue;
      diags.warning('W0009', 'unknown warning in `@allow`', arg.span, {
        label: 'not a warning code or name',
        notes: ['`@allow` takes warning codes (`W0001`) or names (`unused_variables`); `tmlc --help` lists them'],
      });
    }
  }
}
