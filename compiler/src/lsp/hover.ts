// Hover: the type of the expression or name under the cursor, a function's signature, a type's declaration line.
import type { Hover } from 'vscode-languageserver';
import { typeToString } from '../sema/types.js';
import type { Analysis } from './analysis.js';
import { spanToRange } from './positions.js';
import { targetAt, type Target } from './query.js';
import { adtSignature, functionSignature } from './signature.js';

export function hoverAt(a: Analysis, offset: number): Hover | null {
  const found = targetAt(a, offset);
  if (!found) return null;
  const text = hoverText(a, found.target);
  if (text === null) return null;
  return { contents: { kind: 'markdown', value: '```tml\n' + text + '\n```' }, range: spanToRange(a.doc, found.span) };
}

/** The hover's one line of TML (shown as a code block). */
export function hoverText(a: Analysis, t: Target): string | null {
  switch (t.k) {
    case 'local':
      return `${t.local.mutable ? 'var' : 'let'} ${t.local.name}: ${typeToString(t.local.ty)}`;
    case 'fn':
      return functionSignature(t.fn, a.sources);
    case 'field':
      return `${t.field.name}: ${typeToString(t.ty)}`;
    case 'adt':
      return adtSignature(t.def);
    case 'behavior':
      return `behavior ${t.def.name}`;
    case 'const':
      return `const ${t.def.name}: ${typeToString(t.def.ty)}`;
    case 'variant':
      return `${t.adt.name}::${t.adt.variants[t.index]!.name}`;
    case 'module':
      return `use ${t.scope.path}`;
    case 'builtin':
      return t.ty ? `${t.name}: ${typeToString(t.ty)}` : t.name;
    case 'expr':
      return typeToString(t.ty);
  }
}
