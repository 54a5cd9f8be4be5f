// `tmlc test` (LANGUAGE.md §7, TOOLCHAIN.md §5): verdicts per test process, signals and time-outs named, leaks failing
// a test, --filter, JSON output, the final count line, and the cache of compiled test executables.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { testTempDir } from '../setup/temp_dir.js';

const root = path.resolve(new URL('../../', import.meta.url).pathname);
const tmlc = path.join(root, 'bin/tmlc.js');
const tmp = testTempDir('tmlc-runner-');
const work = fs.mkdtempSync(path.join(tmp, 'work-'));
const cache = fs.mkdtempSync(path.join(tmp, 'cache-'));

async function test(args: string[], env: Record<string, string> = {}) {
  const r = await execa('node', [tmlc, 'test', ...args], { reject: false, env: { XDG_CACHE_HOME: cache, ...env }, cwd: work });
  return { status: r.exitCode, out: String(r.stdout), err: String(r.stderr), last: String(r.stdout).trim().split('\n').pop() };
}

const ZOO = `use test

@test
func ok_unit() { assert_eq(1 + 1, 2, "math") }

@test
func ok_i32() -> I32 { 0 }

@test
func bad_i32() -> I32 { 3 }

@test
func ok_outcome() -> Outcome[(), Str] { Ok(()) }

@test
func bad_outcome() -> Outcome[(), Str] { Err("the reason") }

@test
@should_panic(expected = "boom")
func panics_right() { panic("boom now") }

@test
@should_panic(expected = "boom")
func panics_wrong() { panic("bang") }

@test
@should_panic
func does_not_panic() { }

@test
func segfaults() {
    lowlevel {
        let p: *I32 = null
        println(p.read())
    }
}

@test
func leaks() {
    lowlevel { let p = alloc(8) }
}

@test
@ignore
func skipped() { panic("never run") }

@test
func spins() { loop { } }

@test
func deadlocks() {
    let ch: Channel[I64] = channel(1)
    when ch.recv() {
        Just(v) => println(v),
        Nothing => { },
    }
}

func main() { println("a test file may have a main; the runner ignores it") }
`;

describe('tmlc test', () => {
  const file = path.join(work, 'zoo.test.tml');
  fs.writeFileSync(file, ZOO);

  it('judges every test in its own process and ends with the count line', async () => {
    const r = await test(['zoo.test.tml'], { TMLC_TEST_TIMEOUT_MS: '3000' });
    const verdict = (name: string) => r.out.split('\n').find((l) => l.startsWith(`test zoo.test.tml::${name} ...`))?.split('... ')[1];
    expect(verdict('ok_unit')).toBe('ok');
    expect(verdict('ok_i32')).toBe('ok');
    expect(verdict('bad_i32')).toBe('FAILED');
    expect(verdict('ok_outcome')).toBe('ok');
    expect(verdict('bad_outcome')).toBe('FAILED');
    expect(verdict('panics_right')).toBe('ok');
    expect(verdict('panics_wrong')).toBe('FAILED');
    expect(verdict('does_not_panic')).toBe('FAILED');
    expect(verdict('segfaults')).toBe('FAILED');
    expect(verdict('leaks')).toBe('FAILED');
    expect(verdict('skipped')).toBe('ignored');
    expect(verdict('spins')).toBe('FAILED');
    expect(verdict('deadlocks')).toBe('FAILED');
    expect(r.out).toContain('deadlocked');
    expect(r.out).toContain('tmlc: deadlock: main is blocked forever on recv on an empty channel');
    expect(r.out).toContain('killed by signal SIGSEGV');
    expect(r.out).toContain('leaked memory');
    expect(r.out).toContain('timed out after 3 s');
    expect(r.out).toContain('the reason');
    expect(r.out).toContain('panic message did not contain "boom"');
    expect(r.last).toBe('4 passed, 8 failed, 1 skipped');
    expect(r.status).toBe(1);
  });

  it('--filter runs only matching tests; all passing gives status 0', async () => {
    const r = await test(['zoo.test.tml', '--filter', 'ok_']);
    expect(r.last).toBe('3 passed, 0 failed');
    expect(r.status).toBe(0);
  });

  it('--message-format=json prints one object per test and a summary object, and nothing else', async () => {
    const r = await test(['zoo.test.tml', '--filter', 'bad_i32', '--message-format=json']);
    const lines = r.out.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ type: 'test', name: 'bad_i32', status: 'FAILED' });
    // (`unchanged` counts files whose executable came from the cache: an earlier test here may have built it)
    expect(Object.keys(lines[1]!)).toEqual(['type', 'passed', 'failed', 'skipped', 'unchanged']);
    expect(lines[1]).toMatchObject({ type: 'summary', passed: 0, failed: 1, skipped: 0 });
    // a second run finds the executable in the cache: still only JSON, on both streams
    const again = await test(['zoo.test.tml', '--filter', 'ok_', '--message-format=json']);
    const out = again.out.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out.at(-1)).toEqual({ type: 'summary', passed: 3, failed: 0, skipped: 0, unchanged: 1 });
    expect(again.err).toBe('');
    const none = await test(['zoo.test.tml', '--filter', 'no_such_test', '--message-format=json']);
    expect(none.status).toBe(1);
    expect(JSON.parse(none.err)).toEqual({ type: 'error', message: "no test name contains 'no_such_test' (--filter)", notes: [] });
  });

  it('reuses compiled test executables until an input changes', async () => {
    const dir = path.join(work, 'tests');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'helper.tml'), 'pub func two() -> I32 { 2 }\n');
    fs.writeFileSync(path.join(dir, 'a.test.tml'), 'use helper\n@test\nfunc t() { assert_eq(helper::two(), 2, "two") }\n');
    const cold = await test(['tests/a.test.tml']);
    expect(cold.last).toBe('1 passed, 0 failed');
    expect(cold.err).not.toContain('not recompiled');
    const warm = await test(['tests/a.test.tml']);
    expect(warm.last).toBe('1 passed, 0 failed');
    expect(warm.err).toContain('(1 of 1 test file unchanged: not recompiled)');
    // an imported module changes: the executable is rebuilt
    fs.writeFileSync(path.join(dir, 'helper.tml'), 'pub func two() -> I32 { 3 }\n');
    const changed = await test(['tests/a.test.tml']);
    expect(changed.err).not.toContain('not recompiled');
    expect(changed.last).toBe('0 passed, 1 failed');
  });

  it('compiles files in worker processes and prints them in file order, the same for any --jobs', async () => {
    const dir = path.join(work, 'many');
    fs.mkdirSync(dir, { recursive: true });
    const ok = (name: string, fails = false) =>
      `use test\n@test\nfunc ${name}_first() { assert_eq(1, 1, "one") }\n@test\nfunc ${name}_second() { assert_eq(${fails ? 2 : 1}, 1, "${name} says hello") }\n`;
    fs.writeFileSync(path.join(dir, 'a.test.tml'), ok('a'));
    fs.writeFileSync(path.join(dir, 'b.test.tml'), '@test\nfunc b_broken() { let x: I32 = "text" }\n');
    fs.writeFileSync(path.join(dir, 'c.test.tml'), ok('c', true));
    fs.writeFileSync(path.join(dir, 'd.test.tml'), ok('d'));
    fs.writeFileSync(path.join(dir, 'e.test.tml'), '@test\nfunc e_broken() { undefined_function() }\n');
    const run = (jobs: string, ...more: string[]) =>
      test(['many', '--jobs', jobs, ...more], { XDG_CACHE_HOME: fs.mkdtempSync(path.join(tmp, 'cache-')) });
    const [one, two] = [await run('1'), await run('2')];
    expect(two.out).toBe(one.out);
    expect(two.err).toBe(one.err);
    expect(two.out.split('\n').filter((l) => l.startsWith('test ') || l.startsWith('FAILED '))).toEqual([
      'test a.test.tml::a_first ... ok',
      'test a.test.tml::a_second ... ok',
      `FAILED  ${path.join('many', 'b.test.tml')}: does not compile`,
      'test c.test.tml::c_first ... ok',
      'test c.test.tml::c_second ... FAILED',
      'test d.test.tml::d_first ... ok',
      'test d.test.tml::d_second ... ok',
      `FAILED  ${path.join('many', 'e.test.tml')}: does not compile`,
    ]);
    expect(two.out).toContain('c says hello');
    expect(two.last).toBe('5 passed, 3 failed');
    // each file's diagnostics, in file order
    expect(two.err.indexOf('b.test.tml:2')).toBeGreaterThanOrEqual(0);
    expect(two.err.indexOf('e.test.tml:2')).toBeGreaterThan(two.err.indexOf('b.test.tml:2'));
    const [json1, json2] = [await run('1', '--message-format=json'), await run('2', '--message-format=json')];
    expect(json2.out).toBe(json1.out);
    expect(json2.err).toBe(json1.err);
    const files = json2.err.trim().split('\n').map((l) => (JSON.parse(l) as { file?: string }).file);
    expect(files.map((f) => path.basename(f ?? ''))).toEqual(['b.test.tml', 'e.test.tml']);
    // stdout is a JSON stream too: a file that does not compile is an object, like a test and the summary
    const objects = json2.out.trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string; file?: string });
    expect(objects.filter((o) => o.type === 'file').map((o) => path.basename(o.file ?? ''))).toEqual(['b.test.tml', 'e.test.tml']);
    expect(objects.at(-1)).toEqual({ type: 'summary', passed: 5, failed: 3, skipped: 0, unchanged: 0 });
  });

  it('cleans the cache after a run that compiled: superseded and leftover entries go, current ones stay', async () => {
    const cacheHome = fs.mkdtempSync(path.join(tmp, 'cache-'));
    fs.mkdirSync(path.join(work, 'cleaning'), { recursive: true });
    fs.writeFileSync(path.join(work, 'cleaning', 'a.test.tml'), '@test\nfunc t1() { }\n');
    const first = await test(['cleaning/a.test.tml'], { XDG_CACHE_HOME: cacheHome });
    expect(first.status).toBe(0);
    const [testsDir] = fs.readdirSync(path.join(cacheHome, 'tmlc')).map((v) => path.join(cacheHome, 'tmlc', v, 'tests'));
    const current = fs.readdirSync(testsDir!).sort();
    expect(current).toHaveLength(2);
    const slot = current[0]!.slice(0, 32);
    const old = new Date(Date.now() - 3 * 3_600_000);
    // an entry of an earlier compiler build in the same slot, and one of the naming before slots
    for (const name of [`${slot}-0123456789abcdef`, `${slot}-0123456789abcdef.json`, 'f'.repeat(32), `${'f'.repeat(32)}.json`]) {
      fs.writeFileSync(path.join(testsDir!, name), '{}');
      fs.utimesSync(path.join(testsDir!, name), old, old);
    }
    fs.writeFileSync(path.join(work, 'cleaning', 'b.test.tml'), '@test\nfunc t2() { }\n');
    const second = await test(['cleaning', '--time'], { XDG_CACHE_HOME: cacheHome });
    expect(second.status).toBe(0);
    // --time: the one file compiled went through the front end once
    expect(second.err.match(/^time: parse\+check /gm)).toHaveLength(1);
    expect(second.err).toContain('(1 of 2 test files unchanged: not recompiled)');
    const after = fs.readdirSync(testsDir!);
    expect(after).toEqual(expect.arrayContaining(current));
    expect(after).toHaveLength(4);
    expect(after.some((n) => n.includes('0123456789abcdef') || n.startsWith('f'.repeat(32)))).toBe(false);
  });
});
