// Diagnostic codes: one meaning per code across the layers, and docs/errors.md lists them all (it is generated from
// the registry, compiler/src/syntax/codes/; code_registry.test.ts checks the registry against the sources).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorsMarkdown } from '../../ci/error_codes.mjs';
import { CODES } from '../../compiler/src/syntax/codes/index.js';

const root = path.resolve(new URL('../../', import.meta.url).pathname);

function codesIn(dir: string): Set<string> {
  const out = new Set<string>();
  for (const f of fs.readdirSync(path.join(root, dir)).filter((x) => x.endsWith('.ts'))) {
    const text = fs.readFileSync(path.join(root, dir, f), 'utf8');
    for (const m of text.matchAll(/(?:error|p\.error|this\.error)\(\s*'(E\d{4})'/g)) out.add(m[1]!);
  }
  return out;
}

describe('diagnostic codes', () => {
  it('a code means one thing: the syntax layer and the later layers share none', () => {
    const syntax = codesIn('compiler/src/syntax');
    const later = new Set([...codesIn('compiler/src/sema'), ...codesIn('compiler/src/mir')]);
    expect([...syntax].filter((c) => later.has(c))).toEqual([]);
  });

  it('docs/errors.md is up to date', () => {
    // from the sources' registry, so a stale dist/ cannot hide a difference
    const now = errorsMarkdown(CODES);
    expect(fs.readFileSync(path.join(root, 'docs/errors.md'), 'utf8')).toBe(now);
  });
});
