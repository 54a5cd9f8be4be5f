// `tmlc test` compiles a test file with one pass of the front end (issue 14): compileTestFile gets the test list
// and the source files from the build itself. The front end is the real one, wrapped to count its runs.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';

const counter = vi.hoisted(() => ({ frontEnds: 0 }));

vi.mock('../../compiler/src/driver/frontend.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../compiler/src/driver/frontend.js')>();
  return {
    ...real,
    runFrontEnd: (...args: Parameters<typeof real.runFrontEnd>) => {
      counter.frontEnds++;
      return real.runFrontEnd(...args);
    },
  };
});

const { bufferedOutput, compileTestFile } = await import('../../compiler/src/testing/compile.js');
const { resolveTestOptions } = await import('../../compiler/src/driver/settings.js');

const dir = mkdtempSync(path.join(os.tmpdir(), 'tmlc-test-compile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const options = { ...resolveTestOptions({}).build, emit: null };

beforeEach(() => {
  counter.frontEnds = 0;
});

describe('compileTestFile', () => {
  it('runs the front end once and returns the tests and the sources it read', async () => {
    writeFileSync(path.join(dir, 'helper.tml'), 'pub func two() -> I32 { 2 }\n');
    const file = path.join(dir, 'ok.test.tml');
    writeFileSync(file, 'use helper\n@test\nfunc first() { assert_eq(helper::two(), 2, "two") }\n@test\n@ignore\nfunc second() { }\n');
    const exe = path.join(dir, 'ok.exe');
    const { io, chunks } = bufferedOutput();
    const r = await compileTestFile({ file, exe, options }, io);
    expect(chunks).toEqual([]);
    expect(r.status).toBe(0);
    expect(r.tests?.map((t) => [t.name, t.ignored])).toEqual([
      ['first', false],
      ['second', true],
    ]);
    expect(r.inputs.map((p) => path.basename(p))).toEqual(expect.arrayContaining(['ok.test.tml', 'helper.tml']));
    expect(existsSync(exe)).toBe(true);
    expect(counter.frontEnds).toBe(1);
  });

  it('a file that does not compile: its diagnostics in the output, no tests, still one front-end pass', async () => {
    const file = path.join(dir, 'bad.test.tml');
    writeFileSync(file, '@test\nfunc broken() { let x: I32 = "text" }\n');
    const exe = path.join(dir, 'bad.exe');
    const { io, chunks } = bufferedOutput();
    const r = await compileTestFile({ file, exe, options }, io);
    expect(r.status).toBe(1);
    expect(r.tests).toBeNull();
    expect(existsSync(exe)).toBe(false);
    expect(chunks.map((c) => c.stream)).toEqual(['err']);
    expect(chunks[0]!.text).toContain('bad.test.tml:2');
    expect(counter.frontEnds).toBe(1);
  });

  it('--time output goes to the buffer with one parse+check phase', async () => {
    const file = path.join(dir, 'ok.test.tml');
    const { io, chunks } = bufferedOutput();
    const r = await compileTestFile({ file, exe: path.join(dir, 'timed.exe'), options: { ...options, time: true } }, io);
    expect(r.status).toBe(0);
    const text = chunks.map((c) => c.text).join('');
    expect(text.match(/^time: parse\+check /gm)).toHaveLength(1);
    expect(counter.frontEnds).toBe(1);
  });
});

describe('bufferedOutput', () => {
  it('keeps the order of what was written, joining runs on the same stream', () => {
    const { io, chunks } = bufferedOutput();
    io.err('a');
    io.err('b');
    io.out('c');
    io.err('d');
    expect(chunks).toEqual([
      { stream: 'err', text: 'ab' },
      { stream: 'out', text: 'c' },
      { stream: 'err', text: 'd' },
    ]);
  });
});
