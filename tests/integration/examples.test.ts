// The example programs of issue 11 (examples/*/): each is built and run on its sample input, in a debug build
// (leak checker on: a leak is status 102) and under AddressSanitizer, and must print exactly the expected output.
// A missing file is the other case each handles: csvsum on a path that does not exist.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TMLC = path.join(ROOT, 'bin', 'tmlc.js');
const EX = path.join(ROOT, 'examples');
let dir = '';

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tmlc-examples-'));
});
afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

interface Example {
  name: string;
  args: string[];
  stdin?: string;
  stderr?: string;
}

const examples: Example[] = [
  { name: 'wordfreq', args: ['5'], stdin: 'sample.txt' },
  { name: 'csvsum', args: [path.join(EX, 'csvsum', 'sample.csv')], stderr: 'expected.stderr' },
  { name: 'adventure', args: [], stdin: 'moves.txt' },
];

async function buildAndRun(ex: Example, flags: string[], args: string[] = ex.args) {
  const exe = path.join(dir, `${ex.name}${flags.join('')}`);
  const b = await execa('node', [TMLC, 'build', path.join(EX, ex.name, `${ex.name}.tml`), ...flags, '-o', exe], { reject: false });
  expect(b.stderr).toBe('');
  expect(b.exitCode).toBe(0);
  const input = ex.stdin ? { inputFile: path.join(EX, ex.name, ex.stdin) } : { stdin: 'ignore' as const };
  return execa(exe, args, { reject: false, ...input, stripFinalNewline: false });
}

describe('example programs print exactly their expected output', () => {
  for (const ex of examples) {
    for (const flags of [[], ['--sanitize=address']]) {
      it(`${ex.name} ${flags.join(' ') || '(debug, leak checker)'}`, async () => {
        const r = await buildAndRun(ex, flags);
        expect(r.stdout).toBe(fs.readFileSync(path.join(EX, ex.name, 'expected.txt'), 'utf8'));
        expect(r.stderr).toBe(ex.stderr ? fs.readFileSync(path.join(EX, ex.name, ex.stderr), 'utf8') : '');
        expect(r.exitCode).toBe(0);
      });
    }
  }

  it('csvsum on a file that does not exist: one line on stderr, status 1', async () => {
    const r = await buildAndRun(examples[1]!, [], [path.join(dir, 'missing.csv')]);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`csvsum: cannot open '${path.join(dir, 'missing.csv')}': No such file or directory\n`);
    expect(r.exitCode).toBe(1);
  });
});
