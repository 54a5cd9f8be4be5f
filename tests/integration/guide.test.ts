// docs/guide.md (issue 15, part 9): every ```tml sample in the guide is compiled and run, and what the guide says
// it prints is what it prints. A sample is followed by the blocks that describe its result:
//   ```tml                 a program (main.tml): built and run; status 0 unless `status=N` is given
//   ```tml error=E0382     a program that must not compile, with that code
//   ```tml test            a test file (main.test.tml), run with `tmlc test`
//   ```output / ```stderr  the exact standard output / standard error (of the compiler for `error=`)
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execa } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TMLC = path.join(ROOT, 'bin', 'tmlc.js');

interface Sample {
  readonly line: number;
  readonly code: string;
  readonly mode: 'run' | 'error' | 'test';
  readonly errorCode: string | null;
  readonly status: number;
  stdout: string | null;
  stderr: string | null;
}

/** The samples of a Markdown text, each with the output blocks after it (up to the next sample). */
function guideSamples(text: string): Sample[] {
  const samples: Sample[] = [];
  const fence = /^```([^\n]*)\n([\s\S]*?)^```$/gm;
  for (const m of text.matchAll(fence)) {
    const info = m[1]!.trim().split(/\s+/);
    const body = m[2]!;
    const line = text.slice(0, m.index).split('\n').length;
    if (info[0] === 'tml') {
      const error = info.find((w) => w.startsWith('error='));
      const status = info.find((w) => w.startsWith('status='));
      samples.push({
        line,
        code: body,
        mode: error ? 'error' : info.includes('test') ? 'test' : 'run',
        errorCode: error ? error.slice('error='.length) : null,
        status: status ? Number(status.slice('status='.length)) : error ? 1 : 0,
        stdout: null,
        stderr: null,
      });
    } else if (info[0] === 'output' || info[0] === 'stderr') {
      const last = samples[samples.length - 1];
      if (last === undefined) throw new Error(`docs/guide.md:${line}: an output block before any sample`);
      if (info[0] === 'output') last.stdout = body;
      else last.stderr = body;
    }
  }
  return samples;
}

const guide = fs.readFileSync(path.join(ROOT, 'docs', 'guide.md'), 'utf8');
const samples = guideSamples(guide);
let dir = '';

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tmlc-guide-'));
});
afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function run(cmd: string, args: string[], cwd: string) {
  const r = await execa(cmd, args, { cwd, reject: false, stdin: 'ignore', timeout: 120_000, stripFinalNewline: false });
  return { status: r.exitCode, out: String(r.stdout), err: String(r.stderr) };
}

describe('docs/guide.md', () => {
  it('has samples of every kind, each with the result it claims', () => {
    expect(samples.length).toBeGreaterThanOrEqual(10);
    expect(new Set(samples.map((s) => s.mode))).toEqual(new Set(['run', 'error', 'test']));
    for (const s of samples) {
      // a sample that claims nothing would test nothing
      if (s.mode === 'error') expect(s.stderr, `sample at line ${s.line}`).not.toBeNull();
      else expect(s.stdout, `sample at line ${s.line}`).not.toBeNull();
    }
  });

  for (const s of samples) {
    it(`the ${s.mode} sample at line ${s.line}`, async () => {
      const work = fs.mkdtempSync(path.join(dir, 'sample-'));
      if (s.mode === 'test') {
        fs.writeFileSync(path.join(work, 'main.test.tml'), s.code);
        const r = await run('node', [TMLC, 'test', '--jobs', '1', 'main.test.tml'], work);
        expect(r.status).toBe(s.status);
        expect(r.out).toBe(s.stdout);
        return;
      }
      fs.writeFileSync(path.join(work, 'main.tml'), s.code);
      const built = await run('node', [TMLC, 'build', 'main.tml', '-o', 'main'], work);
      if (s.mode === 'error') {
        expect(built.status).toBe(1);
        expect(built.err).toContain(`error[${s.errorCode}]`);
        expect(built.err).toBe(s.stderr);
        return;
      }
      expect(built.status, built.err).toBe(0);
      // a sample in the guide compiles cleanly: no warning either
      expect(built.err).toBe('');
      const r = await run(path.join(work, 'main'), [], work);
      expect(r.status, r.err).toBe(s.status);
      expect(r.out).toBe(s.stdout);
      if (s.stderr !== null) expect(r.err).toBe(s.stderr);
    });
  }
});
