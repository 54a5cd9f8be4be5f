// sema/derive.ts: `@derive(...)` becomes ordinary impl items, appended to the module, whose spans are all the
// attribute's; invalid requests are reported and generate nothing.
import { describe, expect, it } from 'vitest';
import { expandDerives, type DerivedImpl } from '../../compiler/src/sema/derive.js';
import { printType } from '../../compiler/src/syntax/ast_print.js';
import type { Item } from '../../compiler/src/syntax/ast.js';
import { DiagnosticBag } from '../../compiler/src/syntax/diagnostics.js';
import { parseModule } from '../../compiler/src/syntax/parser.js';
import { SourceFile, type Span } from '../../compiler/src/syntax/source.js';

function expand(src: string): { items: Item[]; added: Item[]; codes: string[]; derived: Map<Item, DerivedImpl> } {
  const diags = new DiagnosticBag();
  const mod = parseModule(new SourceFile('t.tml', src), diags);
  const derived = new Map<Item, DerivedImpl>();
  const out = expandDerives(mod, diags, derived);
  return { items: out.items, added: out.items.slice(mod.items.length), codes: diags.items.map((d) => d.code), derived };
}

/** Every span object in a tree. */
function spans(node: unknown, out: Span[] = []): Span[] {
  if (Array.isArray(node)) node.forEach((n) => spans(n, out));
  else if (node !== null && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (typeof o.file === 'string' && typeof o.start === 'number') out.push(o as unknown as Span);
    else Object.values(o).forEach((v) => spans(v, out));
  }
  return out;
}

describe('@derive expansion', () => {
  it('appends one impl per behavior, requiring it (and the own bounds) of each type parameter', () => {
    const { added, codes, derived } = expand('@derive(Eq, Debug)\ntype Pair[T: Display] { a: T, b: T }\n');
    expect(codes).toEqual([]);
    expect(added.map((i) => (i.kind === 'Impl' ? `${i.typeParams.map((p) => `${p.name}: ${p.bounds.map(printType).join(' + ')}`).join(', ')} | ${i.behavior ? printType(i.behavior) : ''} for ${printType(i.target)}` : i.kind))).toEqual([
      'T: Eq + Display | Eq for Pair[T]',
      'T: Debug + Display | Debug for Pair[T]',
    ]);
    expect(added.map((i) => derived.get(i)?.behavior)).toEqual(['Eq', 'Debug']);
  });

  it('gives the generated code the attribute\'s span', () => {
    const src = 'type A { x: I64 }\n@derive(Hash)\ntype B { Leaf(I64), Node(Heap[B]) }\n';
    const { added } = expand(src);
    const all = spans(added);
    expect(all.length).toBeGreaterThan(10);
    const at = src.indexOf('@derive');
    expect(new Set(all.map((s) => `${s.start}-${s.end}`))).toEqual(new Set([`${at}-${at + '@derive(Hash)'.length}`]));
  });

  it('reports what cannot be derived and generates nothing for it', () => {
    expect(expand('@derive(Frobnicate, Eq)\ntype A { x: I64 }\n')).toMatchObject({ codes: ['E0760'] });
    expect(expand('@derive(Frobnicate, Eq)\ntype A { x: I64 }\n').added.length).toBe(1);
    expect(expand('@derive(Default)\ntype C { Red, Green }\n')).toMatchObject({ codes: ['E0761'], added: [] });
    expect(expand('@derive(Eq)\nunion U { i: I64, f: F64 }\n')).toMatchObject({ codes: ['E0763'], added: [] });
    expect(expand('@derive(Eq, Eq)\ntype A { x: I64 }\n').codes).toEqual(['E0764']);
    expect(expand('@derive\ntype A { x: I64 }\n')).toMatchObject({ codes: ['E0760'], added: [] });
  });

  it('leaves a module without derives as it is', () => {
    const diags = new DiagnosticBag();
    const mod = parseModule(new SourceFile('t.tml', 'type A { x: I64 }\n'), diags);
    expect(expandDerives(mod, diags, new Map())).toBe(mod);
  });
});
