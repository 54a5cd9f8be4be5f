// `tmlc fmt` on real files (in-process, through the commander program): in-place formatting, --check's exit
// status and list, --stdout, and a file with a parse error left untouched with its diagnostics printed.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../compiler/src/cli/program.js';

const MESSY = 'func main( ) {\n  let x=1 // one\n  println("{x}")\n}\n';
const TIDY = 'func main() {\n    let x = 1 // one\n    println("{x}")\n}\n';
const BROKEN = 'func main( {\n    println("hi")\n';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tmlc-fmt-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, text);
  return p;
}

async function fmt(...args: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(['fmt', ...args], { io: { out: (s) => void (out += s), err: (s) => void (err += s) } });
  return { code, out, err };
}

describe('tmlc fmt', () => {
  it('formats files in place, keeping their mode, and leaves no temp file behind', async () => {
    const messy = file('a.tml', MESSY);
    chmodSync(messy, 0o640);
    const tidy = file('b.tml', TIDY);
    expect(await fmt(messy, tidy)).toEqual({ code: 0, out: '', err: '' });
    expect(readFileSync(messy, 'utf8')).toBe(TIDY);
    expect(statSync(messy).mode & 0o777).toBe(0o640);
    expect(readFileSync(tidy, 'utf8')).toBe(TIDY);
    expect(readdirSync(dir).sort()).toEqual(['a.tml', 'b.tml']);
  });

  it('searches directories for .tml files', async () => {
    const nested = file('src/deep/m.tml', MESSY);
    const other = file('src/notes.txt', MESSY);
    expect((await fmt(dir)).code).toBe(0);
    expect(readFileSync(nested, 'utf8')).toBe(TIDY);
    expect(readFileSync(other, 'utf8')).toBe(MESSY);
  });

  it('--check lists the files that would change and exits 1, writing nothing', async () => {
    const messy = file('a.tml', MESSY);
    const tidy = file('b.tml', TIDY);
    expect(await fmt('--check', messy, tidy)).toEqual({ code: 1, out: messy + '\n', err: '' });
    expect(readFileSync(messy, 'utf8')).toBe(MESSY);
  });

  it('--check exits 0 when every file is formatted', async () => {
    expect(await fmt('--check', file('b.tml', TIDY))).toEqual({ code: 0, out: '', err: '' });
  });

  it('--stdout prints the formatted text and writes nothing', async () => {
    const messy = file('a.tml', MESSY);
    expect(await fmt('--stdout', messy)).toEqual({ code: 0, out: TIDY, err: '' });
    expect(readFileSync(messy, 'utf8')).toBe(MESSY);
  });

  it('leaves a file with a parse error untouched, prints its diagnostics and exits 1; formats the others', async () => {
    const broken = file('bad.tml', BROKEN);
    const messy = file('a.tml', MESSY);
    const r = await fmt(broken, messy);
    expect(r.code).toBe(1);
    expect(r.err).toContain('error[E0014]: expected pattern, found `{`\n  --> ' + broken + ':1:12');
    expect(readFileSync(broken, 'utf8')).toBe(BROKEN);
    expect(readFileSync(messy, 'utf8')).toBe(TIDY);
  });

  it('--check also fails on a parse error', async () => {
    const r = await fmt('--check', file('bad.tml', BROKEN));
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toContain('E0014');
  });

  it('rejects --check with --stdout', async () => {
    const r = await fmt('--check', '--stdout', file('b.tml', TIDY));
    expect(r.code).toBe(2);
    expect(r.err).toBe("error: option '--check' cannot be used with option '--stdout'\n");
  });

  it('reports a missing path as a usage error', async () => {
    expect(await fmt(path.join(dir, 'nope.tml'))).toEqual({ code: 2, out: '', err: `error: no such file or directory: ${path.join(dir, 'nope.tml')}\n` });
  });
});
