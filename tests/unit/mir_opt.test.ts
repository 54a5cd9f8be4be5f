// Golden MIR tests of the optimizer (tests/mir_opt/): each NAME.tml says which passes it exercises and which
// functions to show; the test builds the program's MIR without the optimizer (NAME.before.mir), runs only those
// passes (NAME.after.mir) and validates the result. `// unchanged` asserts that the passes leave the functions as
// they were: what a pass must not touch (a drop that prints, a check that can fail). TMLC_BLESS=1 rewrites the files.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { passContext } from '../../compiler/src/mir/build.js';
import { PASSES, runPasses, type PassContext } from '../../compiler/src/mir/pass_manager.js';
import { printFunction } from '../../compiler/src/mir/print.js';
import { validateProgram } from '../../compiler/src/mir/validate.js';
import { stdlibDir } from '../../compiler/src/sema/modules.js';
import { checkProgram } from '../../compiler/src/sema/program.js';
import { DiagnosticBag } from '../../compiler/src/syntax/diagnostics.js';
import { SourceMap } from '../../compiler/src/syntax/source.js';

const DIR = new URL('../mir_opt/', import.meta.url).pathname;
const BLESS = process.env.TMLC_BLESS === '1';

interface Header {
  passes: string[];
  fns: string[];
  unchanged: boolean;
  release: boolean;
}

function header(src: string): Header {
  const field = (name: string) => new RegExp(`^// ${name}:(.*)$`, 'm').exec(src)?.[1]!.trim().split(/\s+/) ?? [];
  return { passes: field('passes'), fns: field('fns'), unchanged: /^\/\/ unchanged$/m.test(src), release: /^\/\/ release$/m.test(src) };
}

/** The selected functions' MIR before and after the passes (the path in messages made relative). */
export function goldens(file: string, h: Header): { before: string; after: string } {
  const sources = new SourceMap();
  const diags = new DiagnosticBag();
  const checked = checkProgram(file, sources, diags, false);
  if (!checked || diags.hasErrors()) throw new Error(diags.items.map((d) => d.message).join('\n'));
  const ctx = passContext(checked, sources, { overflowChecks: !h.release, tests: false, trackSites: !h.release, mirOpt: false }, diags);
  runPasses(ctx, { passes: PASSES.filter((p) => !p.optimize) });
  if (diags.hasErrors()) throw new Error(diags.items.map((d) => d.message).join('\n'));
  const show = () =>
    h.fns
      .map((name) => {
        const f = ctx.program!.functions.find((x) => x.displayName === name);
        return f ? printFunction(f) : `(no function ${name})\n`;
      })
      .join('\n')
      .replaceAll(file, path.basename(file))
      // a library function inlined into the program carries its file's path: the same in every checkout
      .replaceAll(stdlibDir(), '<stdlib>');
  const before = show();
  const passes = h.passes.map((n) => PASSES.find((p) => p.name === n) ?? fail(`${file}: no pass \`${n}\``));
  runPasses({ ...ctx, optimize: true } as PassContext, { passes: passes.map((p) => ({ ...p })) });
  // the passes mutate ctx.program in place (the spread context shares it)
  const errors = validateProgram(ctx.program!);
  if (errors.length) throw new Error(`invalid MIR after ${h.passes.join(', ')}:\n${errors.slice(0, 10).join('\n')}`);
  return { before, after: show() };
}

function fail(msg: string): never {
  throw new Error(msg);
}

function golden(file: string, text: string): void {
  if (BLESS || !fs.existsSync(file)) fs.writeFileSync(file, text);
  expect(text).toBe(fs.readFileSync(file, 'utf8'));
}

const cases = fs.readdirSync(DIR).filter((f) => f.endsWith('.tml')).sort();

describe('MIR optimizer goldens', () => {
  it('has golden tests', () => expect(cases.length).toBeGreaterThan(0));
  for (const name of cases) {
    it(name, () => {
      const file = path.join(DIR, name);
      const h = header(fs.readFileSync(file, 'utf8'));
      expect(h.passes.length, `${name} names no passes`).toBeGreaterThan(0);
      expect(h.fns.length, `${name} names no functions`).toBeGreaterThan(0);
      const { before, after } = goldens(file, h);
      const base = file.replace(/\.tml$/, '');
      golden(`${base}.before.mir`, before);
      golden(`${base}.after.mir`, after);
      if (h.unchanged) expect(after).toBe(before);
      else expect(after).not.toBe(before);
    });
  }
});
