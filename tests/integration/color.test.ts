// Colour through the real `tmlc` process: --color=always colours (even with NO_COLOR set: the flag is explicit),
// --color=never and the default on a pipe do not, and `tmlc explain` works from the command line.
import { execa } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(new URL('../../', import.meta.url).pathname);
const TMLC = path.join(ROOT, 'bin', 'tmlc.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tmlc-color-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
fs.writeFileSync(path.join(dir, 'bad.tml'), 'func main() {\n    let x: I32 = "text"\n}\n');

async function tmlc(args: string[], env: Record<string, string> = {}) {
  const r = await execa('node', [TMLC, ...args], { cwd: dir, reject: false, stdin: 'ignore', env, stripFinalNewline: false });
  return { status: r.exitCode, out: String(r.stdout), err: String(r.stderr) };
}

const R = '\x1b[0m';
const RED = '\x1b[1;31m';
const BLUE = '\x1b[1;34m';
const BOLD = '\x1b[1m';
// an empty NO_COLOR counts as unset (no-color.org), whatever the environment running the tests says
const PATH = { NO_COLOR: '' };

describe('--color', () => {
  it('always: the exact escape sequences, whatever NO_COLOR says', async () => {
    const r = await tmlc(['check', 'bad.tml', '--color=always'], { NO_COLOR: '1' });
    expect(r.status).toBe(1);
    expect(r.err).toBe(
      [
        `${RED}error[E0308]${R}${BOLD}: mismatched types: expected \`I32\`, found \`Str\`${R}`,
        `${BLUE}  -->${R} bad.tml:2:18`,
        `${BLUE}   |${R}`,
        `${BLUE} 2 |${R}     let x: I32 = "text"`,
        `${BLUE}   |${R}                  ${RED}^^^^^^ expected \`I32\`, found \`Str\`${R}`,
        '',
        `${RED}error${R}${BOLD}: aborting due to 1 previous error${R}`,
        '',
      ].join('\n'),
    );
  });

  it('never, NO_COLOR and a pipe (auto): no escape sequence, the same text', async () => {
    const plain = await tmlc(['check', 'bad.tml', '--color=never'], PATH);
    expect(plain.status).toBe(1);
    expect(plain.err).not.toContain('\x1b');
    // eslint-disable-next-line no-control-regex
    expect(plain.err).toBe((await tmlc(['check', 'bad.tml', '--color=always'], PATH)).err.replace(/\x1b\[[0-9;]*m/g, ''));
    expect((await tmlc(['check', 'bad.tml'], { NO_COLOR: '1' })).err).toBe(plain.err);
    expect((await tmlc(['check', 'bad.tml'], PATH)).err).toBe(plain.err);
  });

  it('--message-format=json is never coloured', async () => {
    const r = await tmlc(['check', 'bad.tml', '--message-format=json', '--color=always'], PATH);
    expect(r.err).not.toContain('\x1b');
    expect(JSON.parse(r.err)).toMatchObject({ severity: 'error', code: 'E0308', line: 2, col: 18 });
  });
});

describe('tmlc explain', () => {
  it('prints the entry; an unknown code exits 2', async () => {
    const r = await tmlc(['explain', 'E0308'], PATH);
    expect(r.status).toBe(0);
    expect(r.out.startsWith('E0308: mismatched types\n\n')).toBe(true);
    const bad = await tmlc(['explain', 'X1'], PATH);
    expect(bad.status).toBe(2);
    expect(bad.err).toBe('error: `X1` is not a tmlc diagnostic code (codes look like E0382; docs/errors.md lists them all)\n');
  });
});
