import { describe, it, expect } from 'vitest';
import { tokenize } from '../../compiler/src/syntax/lexer.js';
import { SourceFile } from '../../compiler/src/syntax/source.js';
import { DiagnosticBag } from '../../compiler/src/syntax/diagnostics.js';
import type { Token } from '../../compiler/src/syntax/tokens.js';

function lex(src: string): { tokens: Token[]; diags: DiagnosticBag; file: SourceFile } {
  const file = new SourceFile('t.tml', src);
  const diags = new DiagnosticBag();
  return { tokens: tokenize(file, diags), diags, file };
}

function kinds(src: string): string[] {
  const { tokens, diags } = lex(src);
  expect(diags.items).toEqual([]);
  return tokens.map((t) => t.kind);
}

/** Each diagnostic as `CODE line:col`. */
function errors(src: string): string[] {
  const { diags, file } = lex(src);
  return diags.items.map((d) => {
    const p = file.position(d.span.start);
    return `${d.code} ${p.line}:${p.col}`;
  });
}

describe('lexer: words and punctuation', () => {
  it('lexes keywords, identifiers and operators', () => {
    expect(kinds('func main() -> I32 { x += 1 }')).toEqual(['func', 'ident', '(', ')', '->', 'ident', '{', 'ident', '+=', 'int', '}', 'eof']);
    expect(kinds('a::b => c .. d <<= e >>= f != g')).toEqual(['ident', '::', 'ident', '=>', 'ident', '..', 'ident', '<<=', 'ident', '>>=', 'ident', '!=', 'ident', 'eof']);
  });

  it('folds synonyms but keeps the written text', () => {
    const { tokens } = lex('enum unsafe self && || ! This');
    expect(tokens.map((t) => t.kind)).toEqual(['type', 'lowlevel', 'this', 'and', 'or', '!', 'This', 'eof']);
    expect(tokens.map((t) => t.text)).toEqual(['enum', 'unsafe', 'self', '&&', '||', '!', 'This', '']);
  });

  it('reads `new`, `to_string` and `_` as identifiers', () => {
    expect(kinds('new to_string _ _x')).toEqual(['ident', 'ident', 'ident', 'ident', 'eof']);
  });

  it('reads names of JavaScript object members (`constructor`, `toString`, `__proto__`) as identifiers', () => {
    expect(kinds('constructor toString hasOwnProperty __proto__ valueOf')).toEqual(['ident', 'ident', 'ident', 'ident', 'ident', 'eof']);
  });

  it('records spans and whether a newline precedes each token', () => {
    const { tokens } = lex('let x\n  = /* a\n b */ 5 // c\ny');
    expect(tokens.map((t) => [t.text, t.span.start, t.span.end, t.newlineBefore])).toEqual([
      ['let', 0, 3, true],
      ['x', 4, 5, false],
      ['=', 8, 9, true],
      ['5', 21, 22, true], // the block comment crossed a line
      ['y', 28, 29, true],
      ['', 29, 29, true],
    ]);
  });

  it('skips nested block comments and doc comments', () => {
    expect(kinds('a /* x /* y */ z */ b\n/// doc\n//! inner\nc')).toEqual(['ident', 'ident', 'ident', 'eof']);
  });
});

describe('lexer: numbers', () => {
  it('reads integer literals with radixes, underscores and suffixes', () => {
    const { tokens } = lex('42 1_000 0xFF 0b1010 0o755 255u8 500_i64 0xFFu16 7i128');
    expect(tokens.slice(0, -1).map((t) => (t.kind === 'int' ? [t.value, t.suffix] : t.kind))).toEqual([
      [42n, null], [1000n, null], [255n, null], [10n, null], [493n, null], [255n, 'u8'], [500n, 'i64'], [255n, 'u16'], [7n, 'i128'],
    ]);
  });

  it('reads float literals', () => {
    const { tokens } = lex('3.14 1e10 2.5e-3 1.5f32 3f64 6E+2');
    expect(tokens.slice(0, -1).map((t) => (t.kind === 'float' ? [t.value, t.suffix] : t.kind))).toEqual([
      [3.14, null], [1e10, null], [0.0025, null], [1.5, 'f32'], [3, 'f64'], [600, null],
    ]);
  });

  it('does not read `1.` as a float, and reads `t.0.1` as two field accesses', () => {
    expect(kinds('1.')).toEqual(['int', '.', 'eof']);
    expect(kinds('1.max(2)')).toEqual(['int', '.', 'ident', '(', 'int', ')', 'eof']);
    const { tokens } = lex('t.0.1');
    expect(tokens.map((t) => [t.kind, t.text])).toEqual([['ident', 't'], ['.', '.'], ['int', '0'], ['.', '.'], ['int', '1'], ['eof', '']]);
  });

  it('reads every literal at the edge of exact float parsing exactly', () => {
    // short literals are parsed as numbers first (lexer.ts intValue): the longest such and the next longer ones
    const cases: [string, bigint][] = [
      ['999999999999999', 999_999_999_999_999n],
      ['9999999999999999', 9_999_999_999_999_999n],
      ['9007199254740993', 2n ** 53n + 1n],
      ['0xFFFFFFFFFFFFF', 2n ** 52n - 1n],
      ['0x1FFFFFFFFFFFFF', 2n ** 53n - 1n],
      ['0xFFFFFFFFFFFFFFFF', 2n ** 64n - 1n],
      ['0o77777777777777777', 8n ** 17n - 1n],
      ['0o777777777777777777', 8n ** 18n - 1n],
      [`0b${'1'.repeat(52)}`, 2n ** 52n - 1n],
      [`0b${'1'.repeat(64)}`, 2n ** 64n - 1n],
      ['00000000000000000042', 42n],
      ['1_2_3', 123n],
    ];
    for (const [src, value] of cases) expect(lex(src).tokens[0], src).toMatchObject({ kind: 'int', value });
  });

  it('keeps integers beyond 64 bits exact', () => {
    const { tokens } = lex('340282366920938463463374607431768211455u128');
    expect(tokens[0]).toMatchObject({ kind: 'int', value: 2n ** 128n - 1n, suffix: 'u128' });
  });
});

describe('lexer: strings and characters', () => {
  it('processes every escape', () => {
    const { tokens, diags } = lex(String.raw`"a\n\r\t\\\"\'\0\x41\u{1F600}\{\}"`);
    expect(diags.items).toEqual([]);
    expect(tokens[0]).toMatchObject({ kind: 'string', value: 'a\n\r\t\\"\'\0A\u{1F600}{}' });
  });

  it('keeps raw strings as written', () => {
    const { tokens } = lex(String.raw`r"a\nb{x}"`);
    expect(tokens[0]).toMatchObject({ kind: 'string', value: String.raw`a\nb{x}` });
  });

  it('reads character literals as code points', () => {
    const { tokens } = lex(String.raw`'a' '\n' '\u{41}' 'é' '\''`);
    expect(tokens.slice(0, -1).map((t) => (t.kind === 'char' ? t.value : -1))).toEqual([97, 10, 65, 0xe9, 39]);
  });

  it('splits an interpolated string into text and expression ranges', () => {
    const src = 'x = "sum = {a + b}, {f(c)}!"';
    const { tokens, diags } = lex(src);
    expect(diags.items).toEqual([]);
    const t = tokens[2]!;
    expect(t.kind).toBe('interp');
    if (t.kind !== 'interp') return;
    expect(t.parts.map((p) => (p.kind === 'text' ? p.text : '{' + src.slice(p.start, p.end) + '}'))).toEqual(['sum = ', '{a + b}', ', ', '{f(c)}', '!']);
    expect(t.parts[1]).toEqual({ kind: 'expr', start: 12, end: 17 });
  });

  it('treats `{` not followed by a letter or `_` as text', () => {
    const { tokens } = lex('"\\{not interpolated\\} and { spaced } {} {1}"');
    expect(tokens[0]).toMatchObject({ kind: 'string', value: '{not interpolated} and { spaced } {} {1}' });
  });

  it('finds the closing brace past nested braces and strings', () => {
    const src = '"{m.get("}")} {x}"';
    const { tokens, diags } = lex(src);
    expect(diags.items).toEqual([]);
    const t = tokens[0]!;
    if (t.kind !== 'interp') throw new Error('expected interp');
    expect(t.parts.map((p) => (p.kind === 'text' ? p.text : src.slice(p.start, p.end)))).toEqual(['m.get("}")', ' ', 'x']);
  });
});

describe('lexer: errors', () => {
  it('reports each malformed token with its code and carries on', () => {
    expect(errors('a # b $ c')).toEqual(['E0001 1:3', 'E0001 1:7']);
    expect(errors('let s = "abc\nlet t = 1')).toEqual(['E0002 1:9']);
    expect(errors('a /* b /* c */')).toEqual(['E0003 1:3']);
    expect(errors('"a\\qb"')).toEqual(['E0009 1:3']);
    expect(errors('"\\xFF"')).toEqual(['E0009 1:2']);
    expect(errors('12abc 0x 1.5u8')).toEqual(['E0025 1:3', 'E0025 1:7', 'E0025 1:13']);
    expect(errors("'' 'ab' 'c")).toEqual(['E0006 1:1', 'E0006 1:4', 'E0006 1:9']);
    expect(errors('"\\u{D800}" "\\u{110000}" "\\u41"')).toEqual(['E0007 1:2', 'E0007 1:13', 'E0007 1:26']);
    expect(errors('"a {b + c"')).toEqual(['E0008 1:4']);
  });

  it('still produces tokens after errors', () => {
    const { tokens } = lex('x # y');
    expect(tokens.map((t) => t.kind)).toEqual(['ident', 'ident', 'eof']);
  });

  it('never throws on arbitrary input', () => {
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const alphabet = 'ab_0129xX.eE+-*/"\'\\{}()[]r#$é\n\t /u';
    for (let i = 0; i < 500; i++) {
      let src = '';
      const len = rand(40);
      for (let j = 0; j < len; j++) src += alphabet[rand(alphabet.length)];
      const { tokens } = lex(src);
      expect(tokens[tokens.length - 1]!.kind).toBe('eof');
    }
  });
});
