// mapParts/indexElement on library types broken by an earlier error (found by the front-end fuzzer: mutant 762 of
// seed 3087997 mutated stdlib/core/collections.tml so that `for (k, v) in ref map` met a `@map(entries)` type whose
// entry enum had no variants, and the checker crashed with a TypeError instead of reporting the broken source).
import { describe, expect, it } from 'vitest';
import { indexElement, mapParts, type AdtDef, type Type } from '../../compiler/src/sema/types.js';

const span = { file: 't.tml', start: 0, end: 0 };
function adt(kind: AdtDef['kind'], fields: { name: string; ty: Type }[], extra: Partial<AdtDef> = {}): AdtDef {
  return { kind, name: 'X', path: 'main::X', params: [], fields: fields.map((f) => ({ ...f, span, hasDefault: false })), variants: [], span, attrs: new Set(), nodeId: 0, ...extra } as AdtDef;
}
const i64: Type = { k: 'int', bits: 64, signed: true } as Type;

describe('for-loop shapes of broken library types', () => {
  it('a @map type whose entries field is missing has no map parts', () => {
    const m = adt('struct', [], { mapEntries: 0 });
    expect(mapParts({ k: 'adt', def: m, args: [] })).toBeNull();
  });

  it('a @map type whose entry enum has no variants has no map parts', () => {
    const entry = adt('enum', []);
    const list = adt('struct', [{ name: 'data', ty: { k: 'ptr', inner: { k: 'adt', def: entry, args: [] } } as Type }, { name: 'len', ty: i64 }], { index: { data: 0, len: 1 } });
    const m = adt('struct', [{ name: 'entries', ty: { k: 'adt', def: list, args: [] } }], { mapEntries: 0 });
    expect(mapParts({ k: 'adt', def: m, args: [] })).toBeNull();
  });

  it('an @index type whose data field is missing has no element type', () => {
    expect(indexElement({ k: 'adt', def: adt('struct', [], { index: { data: 3, len: 4 } }), args: [] })).toBeNull();
  });
});
