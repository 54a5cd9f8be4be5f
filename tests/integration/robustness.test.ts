// The robustness issue's driver and input defects, each tried the way a user meets it, through the real `tmlc`
// process: bad output paths, an output over the source, closed pipes, non-regular and oversized inputs, invalid
// UTF-8 and binary files, control bytes and huge lines in diagnostics, `tmlc test` without tests, option-like
// file names, and an interrupted clang. Every case asserts the exact message and status (never 70).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execa } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TMLC = path.join(ROOT, 'bin', 'tmlc.js');
const OK = 'func main() {\n    println("hi")\n}\n';
let dir = '';

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tmlc-robust-'));
  fs.writeFileSync(path.join(dir, 'ok.tml'), OK);
});
afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function tmlc(args: string[], opts: { env?: Record<string, string>; cwd?: string } = {}) {
  const r = await execa('node', [TMLC, ...args], { cwd: opts.cwd ?? dir, reject: false, stdin: 'ignore', env: opts.env, timeout: 120_000, stripFinalNewline: false });
  return { status: r.exitCode, out: String(r.stdout), err: String(r.stderr) };
}

function write(name: string, text: string | Buffer): string {
  const p = path.join(dir, name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return p;
}

describe('output paths: one line, status 1, nothing written', () => {
  for (const emit of ['mir', 'ir', 'bc', 'obj', null]) {
    const flag = emit === null ? [] : [`--emit=${emit}`];
    it(`-o in a directory that does not exist (${emit ?? 'executable'})`, async () => {
      const r = await tmlc(['build', 'ok.tml', ...flag, '-o', '/nonexistent/dir/x']);
      expect(r.err).toBe("error: cannot write '/nonexistent/dir/x': the directory '/nonexistent/dir' does not exist\n");
      expect(r.status).toBe(1);
    });
    it(`-o naming a directory (${emit ?? 'executable'})`, async () => {
      fs.mkdirSync(path.join(dir, 'outdir'), { recursive: true });
      const r = await tmlc(['build', 'ok.tml', ...flag, '-o', 'outdir']);
      expect(r.err).toBe("error: cannot write 'outdir': it is a directory\n");
      expect(r.status).toBe(1);
    });
  }

  for (const emit of [null, 'ir', 'mir', 'bc']) {
    it(`refuses to write over the source (${emit ?? 'executable'})`, async () => {
      const src = write('self.tml', OK);
      const r = await tmlc(['build', 'self.tml', ...(emit ? [`--emit=${emit}`] : []), '-o', './self.tml']);
      expect(r.err).toBe("error: refusing to write the output to './self.tml': it is an input file of this build; choose another -o\n");
      expect(r.status).toBe(1);
      expect(fs.readFileSync(src, 'utf8')).toBe(OK);
    });
  }

  it('refuses to write over a module the program imports', async () => {
    write('imp/util.tml', 'pub func two() -> I32 { 2 }\n');
    write('imp/main.tml', 'use util\nfunc main() { println(util::two()) }\n');
    const r = await tmlc(['build', 'imp/main.tml', '-o', 'imp/util.tml']);
    expect(r.err).toBe("error: refusing to write the output to 'imp/util.tml': it is an input file of this build; choose another -o\n");
    expect(r.status).toBe(1);
    expect(fs.readFileSync(path.join(dir, 'imp/util.tml'), 'utf8')).toBe('pub func two() -> I32 { 2 }\n');
  });

  it('-o - is for text only', async () => {
    const r = await tmlc(['build', 'ok.tml', '-o', '-']);
    expect(r.err).toBe('error: -o - (standard output) is for --emit=ir and --emit=mir, not for an executable\n');
    expect(r.status).toBe(2);
    expect(fs.existsSync(path.join(dir, '-'))).toBe(false);
  });

  it('replaces an existing output whole, and the result runs', async () => {
    write('old_exe', 'not a program');
    expect((await tmlc(['build', 'ok.tml', '-o', 'old_exe'])).status).toBe(0);
    expect((await execa(path.join(dir, 'old_exe'))).stdout).toBe('hi');
    expect(fs.readdirSync(dir).filter((f) => f.includes('.tmlc-'))).toEqual([]);
  });

  it('a file name that looks like an option is only ever a file name', async () => {
    write('-lfoo.tml', OK);
    const r = await tmlc(['build', '--', '-lfoo.tml']);
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
    expect((await execa(path.join(dir, '-lfoo'))).stdout).toBe('hi');
    expect((await tmlc(['build', '--emit=obj', '--', '-lfoo.tml'])).status).toBe(0);
    expect(fs.existsSync(path.join(dir, '-lfoo.o'))).toBe(true);
  });
});

describe('closed pipes are I/O errors, status 1', () => {
  it('diagnostics into a closed stderr', async () => {
    write('bad.tml', 'func main() { let x: I32 = "s" }\n'.repeat(1) + 'func f() -> I32 { "x" }\n'.repeat(200));
    const r = await execa('bash', ['-c', `node ${JSON.stringify(TMLC)} check bad.tml 2>&1 | true; echo "status=\${PIPESTATUS[0]}"`], { cwd: dir });
    expect(r.stdout.trim()).toBe('status=1');
  });

  it('MIR into a closed stdout', async () => {
    const r = await execa('bash', ['-c', `node ${JSON.stringify(TMLC)} build ok.tml --emit=mir -o - | true; echo "status=\${PIPESTATUS[0]}"`], { cwd: dir });
    expect(r.stdout.trim()).toMatch(/^status=[01]$/);
    expect(r.stderr).not.toContain('internal compiler error');
  });
});

describe('inputs that are not source files', () => {
  it('a device is refused at once (not read forever)', async () => {
    const r = await tmlc(['check', '/dev/zero']);
    expect(r.err).toBe("error: cannot read '/dev/zero': not a regular file\n");
    expect(r.status).toBe(1);
  });

  it('a file larger than 16 MiB is refused', async () => {
    const big = path.join(dir, 'big.tml');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, 17 * 1024 * 1024);
    const r = await tmlc(['check', 'big.tml']);
    expect(r.err).toBe("error: cannot read 'big.tml': 17825792 bytes is more than the 16 MiB a source file may have\n");
    expect(r.status).toBe(1);
  });

  it('invalid UTF-8 is one error at the first bad byte', async () => {
    write('latin1.tml', Buffer.concat([Buffer.from('func main() {\n    println("caf'), Buffer.from([0xe9]), Buffer.from('")\n}\n')]));
    const r = await tmlc(['check', 'latin1.tml']);
    expect(r.err).toContain('error[E0041]: source file is not valid UTF-8\n  --> latin1.tml:2:17\n');
    expect(r.err).toContain('byte 0xe9 is not valid UTF-8');
    expect(r.err).toContain('error: aborting due to 1 previous error');
    expect(r.status).toBe(1);
  });

  it('an invalid UTF-8 byte in an imported module is reported there, with no cascade in the importer', async () => {
    write('bad_import/util.tml', Buffer.concat([Buffer.from('pub func two() -> I32 { 2 } // '), Buffer.from([0xff]), Buffer.from('\n')]));
    write('bad_import/main.tml', 'use util\nfunc main() { println(util::two()) }\n');
    const r = await tmlc(['check', 'bad_import/main.tml']);
    expect(r.err).toContain('error[E0041]: source file is not valid UTF-8\n  --> bad_import/util.tml:1:32\n');
    expect(r.err).toContain('error: aborting due to 1 previous error');
  });

  it('a binary file is one error, not one per byte', async () => {
    const exe = path.join(dir, 'ok_exe');
    expect((await tmlc(['build', 'ok.tml', '-o', exe])).status).toBe(0);
    fs.copyFileSync(exe, path.join(dir, 'binary.tml'));
    const r = await tmlc(['check', 'binary.tml']);
    expect(r.status).toBe(1);
    expect(r.err.match(/^error\[/gm)).toHaveLength(1);
    expect(r.err.length).toBeLessThan(2000);
  });

  it('a run of NUL bytes is one error', async () => {
    write('nul.tml', Buffer.concat([Buffer.from('func main() {}\n'), Buffer.alloc(5000)]));
    const r = await tmlc(['check', 'nul.tml']);
    expect(r.err).toContain('error[E0001]: unknown character `\\u{0}`\n  --> nul.tml:2:1\n');
    expect(r.err).toContain('this and the 4999 characters after it are not valid in TML source');
    expect(r.err.match(/^error\[/gm)).toHaveLength(1);
  });
});

describe('diagnostics never echo raw control bytes or huge lines', () => {
  it('an escape sequence in the source is shown as a control picture, and in the message as an escape', async () => {
    write('esc.tml', 'func main() {\n    let s = "\u001b[31mred" + 1\n    \u001b\n}\n');
    const r = await tmlc(['check', 'esc.tml']);
    expect(r.status).toBe(1);
    expect(r.err).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(r.err).toContain('let s = "\u241b[31mred" + 1');
    expect(r.err).toContain('error[E0001]: unknown character `\\u{1b}`');
  });

  it('a 20,000-character line is shown as a window around the error', async () => {
    write('wide.tml', `func main() { let s = "${'a'.repeat(20_000)}"; let x: I64 = "s" }\n`);
    const r = await tmlc(['check', 'wide.tml']);
    expect(r.status).toBe(1);
    for (const l of r.err.split('\n')) expect(l.length).toBeLessThanOrEqual(140);
    expect(r.err).toMatch(/\| \.\.\.a+"; let x: I64 = "s" }\n/);
    expect(r.err).toMatch(/\n +\| +\^\^\^ expected `I64`, found `Str`\n/);
  });
});

describe('building a test file as a program', () => {
  it('is a compile error that points to `tmlc test`, not a linker error', async () => {
    write('t1.test.tml', '@test\nfunc one() { assert_eq(1, 1) }\n');
    const r = await tmlc(['build', 't1.test.tml']);
    expect(r.err).toContain('error[E0601]: `main` function not found\n');
    expect(r.err).toContain('= note: `t1.test.tml` is a test file: run its tests with `tmlc test t1.test.tml`');
    expect(r.err).not.toContain('undefined reference');
    expect(r.status).toBe(1);
    expect((await tmlc(['check', 't1.test.tml'])).status).toBe(0);
  });
});

describe('tmlc test finds tests or says why not', () => {
  it('a path that does not exist is an error', async () => {
    const r = await tmlc(['test', 'no/such/dir']);
    expect(r.err).toBe("error: cannot find 'no/such/dir': no such file or directory\n");
    expect(r.status).toBe(1);
  });

  it('a directory without test files is an error', async () => {
    fs.mkdirSync(path.join(dir, 'empty'), { recursive: true });
    const r = await tmlc(['test', 'empty']);
    expect(r.err).toContain("error: no test files found in 'empty'\n");
    expect(r.status).toBe(1);
  });

  it('`tmlc test` and `tmlc test .` search the current directory', async () => {
    const proj = path.join(dir, 'proj');
    fs.mkdirSync(path.join(proj, 'tests'), { recursive: true });
    fs.writeFileSync(path.join(proj, 'tests', 'a.tml'), '@test\nfunc adds() { assert_eq(1 + 1, 2) }\n');
    for (const args of [['test'], ['test', '.']]) {
      const r = await tmlc(args, { cwd: proj });
      expect(r.out).toContain('test a.tml::adds ... ok\n1 passed, 0 failed\n');
      expect(r.status).toBe(0);
    }
  });

  it('test files without a single test, or a filter that matches none, are errors', async () => {
    write('notests/x.test.tml', 'func helper() -> I32 { 1 }\n');
    const r = await tmlc(['test', 'notests']);
    expect(r.err).toContain('error: no tests found in 1 test file\n');
    expect(r.status).toBe(1);
    const f = await tmlc(['test', 'proj', '--filter', 'zzz']);
    expect(f.err).toContain("error: no test name contains 'zzz' (--filter)\n");
    expect(f.status).toBe(1);
  });
});

describe('an interrupted build', () => {
  it("leaves none of clang's temporaries behind: they go to tmlc's private temp dir", async () => {
    // a stand-in clang that makes a temporary where clang would (TMPDIR) and then takes its time
    const bin = path.join(dir, 'fakebin');
    fs.mkdirSync(bin, { recursive: true });
    fs.writeFileSync(path.join(bin, 'clang-14'), '#!/bin/sh\n: > "${TMPDIR:-/tmp}/prog-fake.o"\nexec sleep 20\n', { mode: 0o755 });
    const tmpdir = fs.mkdtempSync(path.join(os.tmpdir(), 'tmlc-robust-tmpdir-'));
    try {
      const child = execa('node', [TMLC, 'build', 'ok.tml', '-o', 'never'], {
        cwd: dir,
        reject: false,
        env: { PATH: `${bin}${path.delimiter}${process.env['PATH']}`, TMPDIR: tmpdir },
      });
      // wait until the stand-in has made its temporary, then interrupt tmlc
      const deadline = Date.now() + 60_000;
      const made = (): boolean => fs.readdirSync(tmpdir, { recursive: true }).some((f) => String(f).endsWith('prog-fake.o'));
      while (!made() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(made()).toBe(true);
      child.kill('SIGINT');
      await child;
      expect(fs.readdirSync(tmpdir)).toEqual([]);
      expect(fs.existsSync(path.join(dir, 'never'))).toBe(false);
    } finally {
      fs.rmSync(tmpdir, { recursive: true, force: true });
    }
  });
});
