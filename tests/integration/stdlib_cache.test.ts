// The standard library's parse cache through the real `tmlc` (sema/parse_cache.ts, driver/frontend.ts): several
// compilers filling one empty cache at once all succeed with the diagnostics of an uncached run, and leave only
// complete entries behind (each written to a temporary file and renamed into place); a later run reads them.
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TMLC = path.join(ROOT, 'bin', 'tmlc.js');
// errors, one of them with a label in the standard library (the prelude's `impl Display for Ordering`)
const PROG = 'impl Display for Ordering {\n    func to_string(this) -> Str { "o" }\n}\nfunc main() {\n    var v: List[I32] = List::new()\n    v.push(1, 2)\n}\n';

async function check(file: string, env: Record<string, string>) {
  const r = await execa('node', [TMLC, 'check', file], { cwd: ROOT, reject: false, stdin: 'ignore', env, timeout: 120_000 });
  return { status: r.exitCode, out: String(r.stdout), err: String(r.stderr) };
}

function entryFiles(dir: string): string[] {
  return fs.readdirSync(dir).sort();
}

describe('the standard library parse cache, shared by processes', () => {
  it('is filled by concurrent compilers without a torn entry, and read afterwards', async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tmlc-stdcache-'));
    const prog = path.join(tmp, 'prog.tml');
    fs.writeFileSync(prog, PROG);
    const uncached = await check(prog, { TMLC_STDLIB_CACHE: '0' });
    expect(uncached.status).toBe(1);
    expect(uncached.err).toContain('stdlib/core/prelude.tml:52:1');
    const env = { XDG_CACHE_HOME: path.join(tmp, 'cache') };
    const runs = await Promise.all([0, 1, 2, 3].map(() => check(prog, env)));
    for (const r of runs) expect(r).toEqual(uncached);
    const [versionDir] = fs.readdirSync(path.join(tmp, 'cache', 'tmlc'));
    const dir = path.join(tmp, 'cache', 'tmlc', versionDir!, 'stdlib-ast');
    const files = entryFiles(dir);
    expect(files.length).toBeGreaterThan(10);
    expect(files.filter((f) => !f.endsWith('.json'))).toEqual([]); // no temporary file left behind
    for (const f of files) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      const nl = text.indexOf('\n');
      const sum = text.slice(0, nl).split('\t')[2];
      expect(createHash('sha256').update(text.slice(nl + 1)).digest('hex'), f).toBe(sum);
    }
    const before = files.map((f) => fs.statSync(path.join(dir, f)).mtimeMs);
    expect(await check(prog, env)).toEqual(uncached);
    expect(await check(path.join(ROOT, 'examples', 'hello.tml'), env)).toMatchObject({ status: 0 });
    // read, not rewritten
    expect(entryFiles(dir)).toEqual(files);
    expect(files.map((f) => fs.statSync(path.join(dir, f)).mtimeMs)).toEqual(before);
    fs.rmSync(tmp, { recursive: true, force: true });
  });
});
