// The format-string parser (compiler/src/sema/format_string.ts): pieces, specs, escapes, errors with their offsets,
// and which specs apply to which types.
import { describe, expect, it } from 'vitest';
import { formatSpecProblem, parseFormatString, PLAIN_SPEC, specText } from '../../compiler/src/sema/format_string.js';

const spec = (s: string) => {
  const p = parseFormatString(s);
  expect(p.errors).toEqual([]);
  const a = p.pieces.find((x) => x.k === 'arg');
  if (!a || a.k !== 'arg') throw new Error('no placeholder');
  return a.spec;
};

describe('format string pieces', () => {
  it('splits text and placeholders, numbering implicit arguments in order', () => {
    const p = parseFormatString('a={} b={}!');
    expect(p.errors).toEqual([]);
    expect(p.argsUsed).toBe(2);
    expect(p.pieces).toEqual([
      { k: 'text', text: 'a=' },
      { k: 'arg', index: 0, spec: PLAIN_SPEC, start: 2, end: 4 },
      { k: 'text', text: ' b=' },
      { k: 'arg', index: 1, spec: PLAIN_SPEC, start: 7, end: 9 },
      { k: 'text', text: '!' },
    ]);
  });
  it('reads {{ and }} as literal braces', () => {
    const p = parseFormatString('{{{}}}');
    expect(p.errors).toEqual([]);
    expect(p.pieces.map((x) => (x.k === 'text' ? x.text : `#${x.index}`))).toEqual(['{', '#0', '}']);
  });
  it('takes explicit positions', () => {
    const p = parseFormatString('{1} {0} {1:>3}');
    expect(p.pieces.filter((x) => x.k === 'arg').map((x) => (x.k === 'arg' ? x.index : -1))).toEqual([1, 0, 1]);
    expect(p.argsUsed).toBe(2);
  });
  it('counts no placeholders in plain text', () => {
    expect(parseFormatString('plain').argsUsed).toBe(0);
    expect(parseFormatString('').pieces).toEqual([]);
  });
});

describe('format specs', () => {
  it('reads fill, alignment, sign, alternate form, zero, width, precision and kind', () => {
    expect(spec('{:>8}')).toMatchObject({ align: 'right', width: 8, fill: ' ' });
    expect(spec('{:<8}')).toMatchObject({ align: 'left', width: 8 });
    expect(spec('{:*^9}')).toMatchObject({ align: 'center', width: 9, fill: '*' });
    expect(spec('{:→<3}')).toMatchObject({ align: 'left', fill: '→' });
    expect(spec('{:08}')).toMatchObject({ zero: true, width: 8 });
    expect(spec('{:0}')).toMatchObject({ zero: false, width: 0 });
    expect(spec('{:+}')).toMatchObject({ plus: true });
    expect(spec('{:.3}')).toMatchObject({ precision: 3, width: null });
    expect(spec('{:8.2}')).toMatchObject({ width: 8, precision: 2 });
    expect(spec('{:#010x}')).toMatchObject({ alt: true, zero: true, width: 10, kind: 'x' });
    expect(spec('{:?}')).toMatchObject({ kind: '?' });
    expect(spec('{:X}').kind).toBe('X');
  });
  it('writes a spec back for messages', () => {
    expect(specText(spec('{:*^9}'))).toBe('*^9');
    expect(specText(spec('{:+#010.2x}'))).toBe('+#010.2x');
  });
});

describe('format string errors', () => {
  const errs = (s: string) => parseFormatString(s).errors.map((e) => [e.message, e.start, e.end]);
  it('reports an unclosed {', () => {
    expect(errs('ab {')).toEqual([['expected `}` to close this placeholder', 3, 4]]);
    expect(errs('{ {}')).toEqual([['expected `}` to close this placeholder', 0, 1]]);
  });
  it('reports a stray }', () => {
    expect(errs('a } b')).toEqual([['unmatched `}` found', 2, 3]]);
  });
  it('reports an unknown kind, a missing precision, # without a radix and a bad position', () => {
    expect(errs('x {:q}')).toEqual([['unknown format kind `q`', 4, 5]]);
    expect(errs('{:.}')).toEqual([['expected a precision after `.`', 2, 3]]);
    expect(errs('{:#}')).toEqual([['`#` needs one of the kinds `x`, `X`, `b`, `o`', 2, 3]]);
    expect(errs('{a-b}')).toEqual([['`a-b` is not an argument position', 0, 5]]);
    expect(errs('{:99999}')[0]![0]).toMatch(/width or precision/);
  });
});

describe('which specs apply to which types', () => {
  const I64 = { k: 'int' };
  const F64 = { k: 'float' };
  const STR = { k: 'str' };
  const BOOL = { k: 'bool' };
  it('radix kinds are for integers', () => {
    expect(formatSpecProblem(spec('{:x}'), I64)).toBeNull();
    expect(formatSpecProblem(spec('{:x}'), { k: 'var', lit: 'int' })).toBeNull();
    expect(formatSpecProblem(spec('{:x}'), STR)).toMatch(/integers/);
    expect(formatSpecProblem(spec('{:b}'), F64)).toMatch(/integers/);
  });
  it('precision is for floats and strings', () => {
    expect(formatSpecProblem(spec('{:.2}'), F64)).toBeNull();
    expect(formatSpecProblem(spec('{:.2}'), STR)).toBeNull();
    expect(formatSpecProblem(spec('{:.2}'), I64)).toMatch(/precision/);
  });
  it('+ and 0 are for numbers; width and alignment for everything', () => {
    expect(formatSpecProblem(spec('{:+}'), BOOL)).toMatch(/numbers/);
    expect(formatSpecProblem(spec('{:05}'), STR)).toMatch(/numbers/);
    expect(formatSpecProblem(spec('{:>5}'), BOOL)).toBeNull();
    expect(formatSpecProblem(spec('{:?}'), BOOL)).toBeNull();
  });
});
