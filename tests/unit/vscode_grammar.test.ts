// editors/vscode: the extension's manifest points at a TextMate grammar that is valid JSON, whose references
// resolve, whose patterns compile, and whose keywords are exactly the lexer's reserved words and their synonyms.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KEYWORD_SYNONYMS, KEYWORDS } from '../../compiler/src/syntax/tokens.js';

const dir = path.resolve(new URL('../../editors/vscode/', import.meta.url).pathname);
const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
const grammarPath = path.join(dir, manifest.contributes.grammars[0].path);

interface Rule {
  name?: string;
  match?: string;
  begin?: string;
  end?: string;
  include?: string;
  patterns?: Rule[];
}
const grammar = JSON.parse(readFileSync(grammarPath, 'utf8')) as { scopeName: string; patterns: Rule[]; repository: Record<string, Rule> };

function* rules(rs: readonly Rule[]): Generator<Rule> {
  for (const r of rs) {
    yield r;
    yield* rules(r.patterns ?? []);
  }
}
const allRules = [...rules([...grammar.patterns, ...Object.values(grammar.repository)])];
const regexOf = (repo: string, name: string): RegExp => {
  const r = [...rules([grammar.repository[repo]!])].find((x) => x.name === name)!;
  return new RegExp(`^(?:${r.match})$`);
};

describe('the VS Code extension', () => {
  it('contributes the language and the grammar, and starts `tmlc lsp`', () => {
    expect(manifest.contributes.languages[0]).toMatchObject({ id: 'tml', extensions: ['.tml'] });
    expect(manifest.contributes.grammars[0]).toMatchObject({ language: 'tml', scopeName: grammar.scopeName });
    expect(existsSync(path.join(dir, manifest.main))).toBe(true);
    expect(readFileSync(path.join(dir, manifest.main), 'utf8')).toContain("args: ['lsp']");
    expect(Object.keys(manifest.dependencies)).toEqual(['vscode-languageclient']);
  });

  it('has a grammar whose includes resolve and whose patterns compile', () => {
    for (const r of allRules) {
      if (r.include && r.include !== '$self') expect(Object.keys(grammar.repository)).toContain(r.include.slice(1));
      for (const re of [r.match, r.begin, r.end]) if (re !== undefined) expect(() => new RegExp(re)).not.toThrow();
    }
  });

  it('highlights exactly the lexer keywords (and their synonyms) as keywords', () => {
    const words = (grammar.repository['keywords']!.patterns ?? []).flatMap((r) => {
      const m = /^\\b\(\?:(.*)\)\\b$/.exec(r.match ?? '');
      return m ? m[1]!.split('|') : [];
    });
    expect(new Set(words).size).toBe(words.length);
    expect([...words].sort()).toEqual([...KEYWORDS, ...Object.keys(KEYWORD_SYNONYMS)].sort());
  });

  it('tells literals apart as the lexer does', () => {
    const integer = regexOf('numbers', 'constant.numeric.integer.tml');
    const float = regexOf('numbers', 'constant.numeric.float.tml');
    const hex = regexOf('numbers', 'constant.numeric.hex.tml');
    expect(['42', '1_000', '255u8', '500_i64'].every((s) => integer.test(s))).toBe(true);
    expect(['3.14', '1e10', '2.5e-3', '1.5f32'].every((s) => float.test(s))).toBe(true);
    expect(float.test('1.')).toBe(false); // `1.` is not a float (LANGUAGE.md §1)
    expect(hex.test('0xFF')).toBe(true);
    const escape = regexOf('strings', 'constant.character.escape.tml');
    expect(['\\n', '\\{', '\\x41', '\\u{1F600}'].every((s) => escape.test(s))).toBe(true);
    expect(escape.test('\\q')).toBe(false);
    // `{` followed by a letter or `_` starts an interpolation; any other `{` is literal text
    const interp = new RegExp(grammar.repository['interpolation']!.begin!);
    expect(['{a', '{_x'].map((s) => interp.test(s))).toEqual([true, true]);
    expect(['{1', '{ a', '{}'].map((s) => interp.test(s))).toEqual([false, false, false]);
  });
});
