// Patterns. Literals print as written (`0xFF`, `'\n'`, `-1`).
import type { Expr, Pattern } from '../ast.js';
import type { Printer } from './printer.js';
import { path } from './types.js';

/** A literal as the source spells it. */
export function literalText(p: Printer, e: Expr): string {
  return p.src.slice(e.span.start, e.span.end).replace(/^-\s+/, '-');
}

export function pattern(p: Printer, pat: Pattern): string {
  switch (pat.kind) {
    case 'WildcardPat': return '_';
    case 'IdentPat': return (pat.mutable ? 'mut ' : '') + pat.name;
    case 'LiteralPat': return literalText(p, pat.value);
    case 'RangePat': return `${literalText(p, pat.lo)} ${pat.inclusive ? 'through' : 'to'} ${literalText(p, pat.hi)}`;
    case 'TuplePat': return `(${pat.elems.map((e) => pattern(p, e)).join(', ')}${pat.elems.length === 1 ? ',' : ''})`;
    case 'ArrayPat': return `[${pat.elems.map((e) => pattern(p, e)).join(', ')}]`;
    case 'RestPat': return '..' + (pat.binding ?? '');
    case 'VariantPat': return `${path(p, pat.path)}(${pat.args.map((a) => pattern(p, a)).join(', ')})`;
    case 'PathPat': return path(p, pat.path);
    case 'StructPat': {
      const fields = pat.fields.map((f) =>
        f.pattern.kind === 'IdentPat' && f.pattern.name === f.name && !f.pattern.mutable ? f.name : `${f.name}: ${pattern(p, f.pattern)}`,
      );
      if (pat.rest) fields.push('..');
      return fields.length === 0 ? `${path(p, pat.path)} {}` : `${path(p, pat.path)} { ${fields.join(', ')} }`;
    }
    case 'OrPat': return pat.alts.map((a) => pattern(p, a)).join(' | ');
  }
}
