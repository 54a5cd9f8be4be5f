// The registry of diagnostic codes (compiler/src/syntax/codes/): every code the compiler emits is in it, every code
// in it is emitted somewhere, and every entry's example program reports exactly its code. The examples go through
// the driver's front end in this process (as `tmlc check` does), not one tmlc process each.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runFrontEnd } from '../../compiler/src/driver/frontend.js';
import { makeTempDir } from '../../compiler/src/driver/tempdir.js';
import { CODES, isDiagnosticCode, type DiagnosticCode } from '../../compiler/src/syntax/codes/index.js';

const root = path.resolve(new URL('../../', import.meta.url).pathname);
const src = path.join(root, 'compiler/src');

/** Every code written as a literal in the compiler's sources, outside the registry itself. */
function emittedCodes(): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (p !== path.join(src, 'syntax/codes')) walk(p);
      } else if (e.name.endsWith('.ts')) {
        for (const m of fs.readFileSync(p, 'utf8').matchAll(/'([EW]\d{4})'/g)) out.set(m[1]!, path.relative(root, p));
      }
    }
  };
  walk(src);
  return out;
}

/** Codes whose example also reports a follow-on error the compiler does not suppress yet (the example's own code
 * still comes first). Keep this list short: a new entry needs a reason. */
const FOLLOW_ONS: Partial<Record<DiagnosticCode, readonly DiagnosticCode[]>> = {
  // the parser recovers with a placeholder type `_`, which sema then rejects where types must be written
  E0013: ['E0121'],
  E0018: ['E0121'],
  // `a < b < c` is kept as `(a < b) < c`, a Bool compared with an integer
  E0016: ['E0308'],
};

/** Examples that need more than their text: E0049 is the parser's internal-error guard, which no program reaches. */
const NO_PROGRAM: readonly DiagnosticCode[] = ['E0049'];

describe('diagnostic code registry', () => {
  it('every emitted code is in the registry, and every registered code is emitted', () => {
    const emitted = emittedCodes();
    const unregistered = [...emitted.keys()].filter((c) => !isDiagnosticCode(c));
    const unused = Object.keys(CODES).filter((c) => !emitted.has(c));
    expect(unregistered).toEqual([]);
    expect(unused).toEqual([]);
  });

  it('isDiagnosticCode knows registered codes only', () => {
    expect(isDiagnosticCode('E0382')).toBe(true);
    expect(isDiagnosticCode('E9999')).toBe(false);
    expect(isDiagnosticCode('toString')).toBe(false);
  });

  it('every entry has a title, an explanation and an example', () => {
    for (const [code, info] of Object.entries(CODES)) {
      expect(info.title.length, code).toBeGreaterThan(5);
      expect(info.explanation.length, code).toBeGreaterThan(40);
      expect(info.example, code).toMatch(/\n/);
    }
  });

  const dir = makeTempDir('tmlc-codes');
  afterAll(() => dir.remove());

  const checked = (Object.keys(CODES) as DiagnosticCode[]).filter((c) => !NO_PROGRAM.includes(c));
  it.each(checked)('the example of %s reports exactly that code', (code) => {
    const caseDir = path.join(dir.path, code);
    fs.mkdirSync(caseDir);
    const file = path.join(caseDir, 'example.tml');
    // E0041 is about a file that is not UTF-8: its example is saved in Latin-1, as an editor might
    fs.writeFileSync(file, CODES[code].example, code === 'E0041' ? 'latin1' : 'utf8');
    // E0000 is about a module that cannot be read: its example imports `nowhere`, which is a directory here
    if (code === 'E0000') fs.mkdirSync(path.join(caseDir, 'nowhere.tml'));
    // E0603 is about another module's private item: its example uses `util`, whose `helper` is not `pub`
    if (code === 'E0603') fs.writeFileSync(path.join(caseDir, 'util.tml'), 'func helper() -> I32 { 42 }\n');
    const fe = runFrontEnd(file, { overflowChecks: true, tests: false, needsMain: true, checkOnly: true });
    // an error's example may also have a warning (an unused variable beside the error); a warning's has no error
    const codes = fe.diagnostics.filter((d) => code.startsWith('W') || d.severity === 'error').map((d) => d.code);
    expect(codes[0]).toBe(code);
    expect(codes.filter((c) => c !== code && !(FOLLOW_ONS[code] ?? []).includes(c))).toEqual([]);
  });
});
