// Warnings on the command line (driver/warning_policy.ts): printed to stderr without changing the exit status,
// `-A` drops one, `-W` makes one an error (status 1), `--deny-warnings` makes them all errors; `tmlc test` shows a
// test file's warnings once. Needs dist/ (`npx tsc -p tsconfig.json`).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(new URL('../../', import.meta.url).pathname);
const tmlc = path.join(root, 'bin/tmlc.js');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tmlc-warn-'));
const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'tmlc-warn-cache-'));
afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
  fs.rmSync(cache, { recursive: true, force: true });
});

async function tmlcRun(args: string[]) {
  const r = await execa('node', [tmlc, ...args], { reject: false, cwd: work, env: { XDG_CACHE_HOME: cache } });
  return { status: r.exitCode, out: String(r.stdout), err: String(r.stderr) };
}

fs.writeFileSync(path.join(work, 'w.tml'), 'func main() {\n    let x = 5\n    println("hi")\n}\n');

const WARNING = [
  'warning[W0001]: unused variable: `x`',
  '  --> w.tml:2:9',
  '   |',
  ' 2 |     let x = 5',
  '   |         ^ help: if this is intentional, prefix it with an underscore: `_x`',
  '',
].join('\n');

describe('warnings on the command line', () => {
  it('a warning is printed and the status stays 0 (check, build, run)', async () => {
    expect(await tmlcRun(['check', 'w.tml'])).toEqual({ status: 0, out: '', err: WARNING });
    const b = await tmlcRun(['build', 'w.tml', '-o', 'w']);
    expect(b).toEqual({ status: 0, out: '', err: WARNING });
    expect(fs.existsSync(path.join(work, 'w'))).toBe(true);
    expect(await tmlcRun(['run', 'w.tml'])).toEqual({ status: 0, out: 'hi', err: WARNING });
  });

  it('-A drops a warning, by code or by name', async () => {
    expect(await tmlcRun(['check', 'w.tml', '-A', 'W0001'])).toEqual({ status: 0, out: '', err: '' });
    expect(await tmlcRun(['check', 'w.tml', '-A', 'unused_variables'])).toEqual({ status: 0, out: '', err: '' });
    // another warning's -A leaves this one
    expect((await tmlcRun(['check', 'w.tml', '-A', 'dead_code'])).err).toBe(WARNING);
  });

  it('-W makes one warning an error: status 1, and no executable', async () => {
    const c = await tmlcRun(['check', 'w.tml', '-W', 'unused_variables']);
    expect(c.status).toBe(1);
    expect(c.err).toBe(
      [
        'error[W0001]: unused variable: `x`',
        '  --> w.tml:2:9',
        '   |',
        ' 2 |     let x = 5',
        '   |         ^ help: if this is intentional, prefix it with an underscore: `_x`',
        '   |',
        '   = note: `-W W0001` (unused_variables) turns this warning into an error',
        '',
        'error: aborting due to 1 previous error',
      ].join('\n'),
    );
    const b = await tmlcRun(['build', 'w.tml', '-o', 'w_denied', '-W', 'W0001']);
    expect(b.status).toBe(1);
    expect(fs.existsSync(path.join(work, 'w_denied'))).toBe(false);
    // -W of another warning changes nothing here
    expect(await tmlcRun(['check', 'w.tml', '-W', 'W0002'])).toEqual({ status: 0, out: '', err: WARNING });
  });

  it('--deny-warnings makes every warning an error (status 1) unless -A allows it', async () => {
    const d = await tmlcRun(['run', 'w.tml', '--deny-warnings']);
    expect(d.status).toBe(1);
    expect(d.out).toBe('');
    expect(d.err).toContain('error[W0001]: unused variable: `x`');
    expect(d.err).toContain('   = note: `--deny-warnings` turns every warning into an error');
    expect(await tmlcRun(['build', 'w.tml', '-o', 'w2', '--deny-warnings', '-A', 'W0001'])).toEqual({ status: 0, out: '', err: '' });
    // a program without warnings passes --deny-warnings
    fs.writeFileSync(path.join(work, 'clean.tml'), 'func main() {\n    println("clean")\n}\n');
    expect(await tmlcRun(['run', 'clean.tml', '--deny-warnings'])).toEqual({ status: 0, out: 'clean', err: '' });
  });

  it('an unknown warning name is bad usage (status 2)', async () => {
    const r = await tmlcRun(['check', 'w.tml', '-W', 'unusd']);
    expect(r.status).toBe(2);
    expect(r.err).toMatch(/^error: unknown warning 'unusd' for -W \(expected one of W0001 \(unused_variables\), /);
  });

  it('--message-format=json: a warning is one object with severity "warning"', async () => {
    const r = await tmlcRun(['check', 'w.tml', '--message-format=json']);
    expect(r.status).toBe(0);
    const lines = r.err.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ severity: 'warning', code: 'W0001', message: 'unused variable: `x`', file: 'w.tml', line: 2, col: 9 });
  });

  it('tmlc test shows a test file\'s warnings once; --deny-warnings fails the file', async () => {
    fs.mkdirSync(path.join(work, 'suite'), { recursive: true });
    fs.writeFileSync(path.join(work, 'suite', 'a.test.tml'), 'use test\n@test\nfunc t() {\n    let unused = 1\n    assert_eq(1, 1, "one")\n}\n');
    const r = await tmlcRun(['test', 'suite']);
    expect(r.status).toBe(0);
    expect(r.err.split('warning[W0001]: unused variable: `unused`')).toHaveLength(2);
    expect(r.err).toContain(`  --> ${path.join('suite', 'a.test.tml')}:4:9`);
    const denied = await tmlcRun(['test', 'suite', '--deny-warnings']);
    expect(denied.status).toBe(1);
    expect(denied.out).toContain(`FAILED  ${path.join('suite', 'a.test.tml')}: does not compile`);
  });
});
