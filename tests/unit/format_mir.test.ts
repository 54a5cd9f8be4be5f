// The formatter never changes meaning: every corpus file that `tmlc fmt` would change compiles, formatted, to
// the same MIR (before the optimizer, source locations left out) or to the same diagnostics. A file it leaves as
// it is needs no check. The formatted copy is compiled from a copy of its directory, so the modules it `use`s
// are found beside it.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runFrontEnd } from '../../compiler/src/driver/frontend.js';
import { PASS_NAMES } from '../../compiler/src/mir/pass_manager.js';
import { formatSource } from '../../compiler/src/syntax/format/format.js';
import { corpusFiles } from './format/corpus.js';

const BEFORE_OPTIMIZER = 'async_lower';
expect(PASS_NAMES).toContain(BEFORE_OPTIMIZER);

const work = mkdtempSync(path.join(os.tmpdir(), 'tmlc-fmt-mir-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const copies = new Map<string, string>();

/** A copy of `dir` under the work directory (made once). */
function copyOf(dir: string): string {
  let copy = copies.get(dir);
  if (copy === undefined) {
    copy = path.join(work, String(copies.size));
    cpSync(dir, copy, { recursive: true });
    copies.set(dir, copy);
  }
  return copy;
}

/** What a compilation of `file` means: its MIR, or its diagnostics, without source positions. */
function meaning(file: string): string {
  // the MIR before the optimizer (`async_lower` is the last pass before it): closest to the source, and quicker
  const r = runFrontEnd(file, { overflowChecks: true, tests: file.endsWith('.test.tml'), mirAfter: BEFORE_OPTIMIZER });
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || r.mirText === null) return 'diagnostics:\n' + r.diagnostics.map((d) => `${d.code} ${d.message}`).join('\n');
  // positions appear as `FILE@OFFSET` (panic sites, allocation sites)
  return r.mirText.replace(/[^\s()]*\.tml@\d+/g, '<pos>');
}

/** The corpus files formatting changes, with their formatted text. */
const changed = corpusFiles().flatMap((file) => {
  const text = readFileSync(file, 'utf8');
  const r = formatSource(text, file);
  return 'diagnostics' in r || r.text === text ? [] : [{ file, text, formatted: r.text }];
});

describe('the comparison', () => {
  it('tells a changed program from a re-laid-out one', () => {
    let count = 0;
    const program = (body: string): string => {
      const file = path.join(work, `program${count++}.tml`);
      writeFileSync(file, `func main() {\n${body}\n}\n`);
      return meaning(file);
    };
    const original = program('    let x = (1 + 2) * 3\n    println("{x}")');
    expect(program('let x=(1+2)*3\nprintln("{x}")')).toBe(original);
    expect(program('    let x = 1 + 2 * 3\n    println("{x}")')).not.toBe(original);
  });
});

describe('formatting keeps the meaning', () => {
  it('changes some corpus files (else this test checks nothing)', () => {
    expect(changed.length).toBeGreaterThan(10);
  });
  // one test per file: a compilation takes a while, and the run must not block the worker for minutes
  it.each(changed.map((c) => [path.relative(process.cwd(), c.file), c] as const))('%s: same MIR or diagnostics', (_name, c) => {
    const copyDir = copyOf(path.dirname(c.file));
    const copy = path.join(copyDir, path.basename(c.file));
    writeFileSync(copy, c.formatted);
    try {
      expect(meaning(copy)).toBe(meaning(c.file));
    } finally {
      writeFileSync(copy, c.text);
    }
  });
});
