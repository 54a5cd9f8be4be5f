// bin/tmlc.js runs the bundled CLI (ci/bundle_cli.mjs) only while it is at least as new as every file it was made
// from, through a V8 code cache it writes next to it; otherwise, or with TMLC_NO_BUNDLE=1, it runs dist/ as it is.
// Tested on a copy of bin/tmlc.js in a stand-in package whose "dist" and "bundle" only say which one ran.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(new URL('../../', import.meta.url).pathname);
const pkg = mkdtempSync(path.join(os.tmpdir(), 'tmlc-bundle-'));
afterAll(() => rmSync(pkg, { recursive: true, force: true }));

const cli = path.join(pkg, 'dist', 'compiler', 'src', 'cli');
const bundle = path.join(cli, 'tmlc.cjs');
const input = path.join(pkg, 'dist', 'compiler', 'src', 'driver', 'pipeline.js');
mkdirSync(cli, { recursive: true });
mkdirSync(path.dirname(input), { recursive: true });
mkdirSync(path.join(pkg, 'bin'));
copyFileSync(path.join(root, 'bin', 'tmlc.js'), path.join(pkg, 'bin', 'tmlc.js'));
copyFileSync(path.join(root, 'bin', 'one_shot_v8_flags.json'), path.join(pkg, 'bin', 'one_shot_v8_flags.json'));
writeFileSync(path.join(pkg, 'package.json'), '{ "type": "module" }\n');
writeFileSync(path.join(cli, 'main.js'), "process.stdout.write('dist ' + process.argv.slice(2).join(' '));\n");
writeFileSync(input, '// a module the bundle was made from\n');
writeFileSync(bundle, "process.stdout.write('bundle ' + process.argv.slice(2).join(' ') + ' ' + typeof require + ' ' + __filename);\n");
writeFileSync(`${bundle}.inputs`, JSON.stringify([input, path.join(cli, 'main.js')]));

const setTime = (f: string, secondsAgo: number) => {
  const t = new Date(Date.now() - secondsAgo * 1000);
  utimesSync(f, t, t);
};
const tmlc = async (env: Record<string, string> = {}) => String((await execa('node', [path.join(pkg, 'bin', 'tmlc.js'), 'check', 'x.tml'], { env })).stdout);

describe('bin/tmlc.js', () => {
  it('runs a fresh bundle as a CommonJS script and leaves a code cache next to it', async () => {
    setTime(input, 100);
    setTime(path.join(cli, 'main.js'), 100);
    setTime(bundle, 10);
    expect(await tmlc()).toBe(`bundle check x.tml function ${bundle}`);
    expect(existsSync(`${bundle}.cache`)).toBe(true);
    // with the cache, and with a cache that is garbage (V8 rejects it; it is written again)
    expect(await tmlc()).toBe(`bundle check x.tml function ${bundle}`);
    writeFileSync(`${bundle}.cache`, 'not a code cache');
    expect(await tmlc()).toBe(`bundle check x.tml function ${bundle}`);
    expect(existsSync(`${bundle}.cache`)).toBe(true);
  });

  it('a cache written by a run that generates no code is written again by the first one that does, once', async () => {
    const run = async (...args: string[]) => String((await execa('node', [path.join(pkg, 'bin', 'tmlc.js'), ...args])).stdout);
    const cache = `${bundle}.cache`;
    const full = `${cache}.full`;
    setTime(input, 100);
    setTime(path.join(cli, 'main.js'), 100);
    setTime(bundle, 10);
    rmSync(cache, { force: true });
    rmSync(full, { force: true });
    expect(await run('check', 'x.tml')).toBe(`bundle check x.tml function ${bundle}`);
    expect(existsSync(cache)).toBe(true);
    expect(existsSync(full)).toBe(false);
    // --emit=mir stops before code generation: still not a full cache
    setTime(cache, 50);
    await run('build', '--emit=mir', 'x.tml');
    expect(existsSync(full)).toBe(false);
    expect(statSync(cache).mtimeMs).toBeLessThan(Date.now() - 40_000);
    // a build writes it again and marks it
    await run('build', 'x.tml');
    expect(existsSync(full)).toBe(true);
    expect(statSync(cache).mtimeMs).toBeGreaterThan(Date.now() - 40_000);
    // after that, no run writes it (check, build)
    setTime(cache, 50);
    await run('check', 'x.tml');
    await run('run', 'x.tml');
    expect(statSync(cache).mtimeMs).toBeLessThan(Date.now() - 40_000);
    expect(existsSync(full)).toBe(true);
  });

  it('runs dist/ when a file the bundle was made from is newer, or with TMLC_NO_BUNDLE=1', async () => {
    setTime(bundle, 10);
    setTime(input, 100);
    expect(await tmlc({ TMLC_NO_BUNDLE: '1' })).toBe('dist check x.tml');
    setTime(input, 5);
    expect(await tmlc()).toBe('dist check x.tml');
  });

  it('runs dist/ when there is no bundle or its list of inputs is missing', async () => {
    setTime(input, 100);
    rmSync(`${bundle}.inputs`);
    expect(await tmlc()).toBe('dist check x.tml');
    rmSync(bundle);
    expect(await tmlc()).toBe('dist check x.tml');
  });

  it('one-shot commands run without V8\'s optimising compiler; TMLC_V8_OPT=1 keeps it', async () => {
    // --trace-opt prints a line for each function V8 marks or compiles with TurboFan
    const hello = path.join(root, 'examples', 'hello.tml');
    const turbofanLines = async (env: Record<string, string>): Promise<number> => {
      const r = await execa('node', ['--trace-opt', path.join(root, 'bin', 'tmlc.js'), 'check', hello], { env });
      return String(r.stdout).split('\n').filter((l) => l.includes('TURBOFAN')).length;
    };
    expect(await turbofanLines({})).toBe(0);
    expect(await turbofanLines({ TMLC_V8_OPT: '1' })).toBeGreaterThan(0);
  });
});
