// External tools: PATH lookup without a shell, the one-line message naming the Debian package, failures as
// user-facing errors.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { guarded } from '../../compiler/src/driver/pipeline.js';
import { findExecutable, formatCommand, locateTool, missingToolMessage, runTool, ToolError, TOOLS, type ToolName } from '../../compiler/src/driver/toolchain.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'tmlc-toolchain-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fakeTool(name: string, script: string, mode = 0o755): string {
  const p = path.join(dir, name);
  writeFileSync(p, `#!/bin/sh\n${script}\n`);
  chmodSync(p, mode);
  return p;
}

describe('missing tools', () => {
  const expected: Record<ToolName, string> = {
    clang: 'clang-14',
    opt: 'llvm-14',
    'llvm-link': 'llvm-14',
    valgrind: 'valgrind',
    cmake: 'cmake',
    'qemu-aarch64': 'qemu-user',
  };
  for (const [tool, pkg] of Object.entries(expected) as [ToolName, string][]) {
    it(`${tool}: one line naming the package ${pkg}`, () => {
      const msg = missingToolMessage(tool);
      expect(msg.split('\n')).toHaveLength(1);
      expect(msg).toContain(TOOLS[tool].exe);
      expect(msg).toContain(`apt-get install ${pkg}`);
    });
  }

  it('locateTool throws a ToolError with that message when PATH lacks the tool', () => {
    const empty = mkdtempSync(path.join(dir, 'empty-'));
    expect(() => locateTool('opt', empty)).toThrow(ToolError);
    expect(() => locateTool('opt', empty)).toThrow(missingToolMessage('opt'));
  });

  it('the driver prints it as one line with status 1, not as an internal error', async () => {
    let err = '';
    const empty = mkdtempSync(path.join(dir, 'empty-'));
    const status = await guarded(
      async () => {
        locateTool('valgrind', empty);
        return 0;
      },
      { out: () => {}, err: (s) => void (err += s) },
    );
    expect(status).toBe(1);
    expect(err).toBe(missingToolMessage('valgrind') + '\n');
  });
});

describe('PATH lookup', () => {
  it('finds an executable file, skips non-executable files and directories', () => {
    const bin1 = path.join(dir, 'bin1');
    const bin2 = path.join(dir, 'bin2');
    for (const d of [bin1, bin2]) rmSync(d, { recursive: true, force: true });
    mkdirSync(bin1, { recursive: true });
    mkdirSync(bin2, { recursive: true });
    writeFileSync(path.join(bin1, 'clang-14'), 'not executable');
    chmodSync(path.join(bin1, 'clang-14'), 0o644);
    writeFileSync(path.join(bin2, 'clang-14'), '#!/bin/sh\n');
    chmodSync(path.join(bin2, 'clang-14'), 0o755);
    mkdirSync(path.join(bin1, 'opt-14'), { recursive: true });
    const p = [bin1, '', bin2].join(path.delimiter);
    expect(findExecutable('clang-14', p)).toBe(path.join(bin2, 'clang-14'));
    expect(findExecutable('opt-14', p)).toBeNull();
    expect(locateTool('clang', p)).toBe(path.join(bin2, 'clang-14'));
  });

  it('finds the real clang-14 on this machine', () => {
    // the machine set-up (ci/setup.sh) installs it
    expect(findExecutable('clang-14')).not.toBeNull();
  });
});

describe('running tools', () => {
  it('arguments are passed as an array, never through a shell', async () => {
    const bin = path.join(dir, 'argbin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(path.join(bin, 'cmake'), '#!/bin/sh\nfor a in "$@"; do printf "[%s]" "$a"; done\n');
    chmodSync(path.join(bin, 'cmake'), 0o755);
    const r = await runTool('cmake', ['a b', '$(echo no)', "'q'", ';', '*'], { env: { PATH: bin + path.delimiter + process.env['PATH'] } });
    expect(r.stdout).toBe("[a b][$(echo no)]['q'][;][*]");
  });

  it('a failing tool is a ToolError carrying its stderr', async () => {
    const bin = path.join(dir, 'failbin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(path.join(bin, 'opt-14'), '#!/bin/sh\necho "opt: bad input" >&2\nexit 3\n');
    chmodSync(path.join(bin, 'opt-14'), 0o755);
    const e = await runTool('opt', ['x.bc'], { env: { PATH: bin } }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ToolError);
    expect((e as ToolError).message).toBe('error: `opt-14` failed with exit status 3');
    expect((e as ToolError).detail).toBe('opt: bad input');
  });

  it('--verbose echoes the command, quoted for reading', async () => {
    const lines: string[] = [];
    fakeTool('valgrind', 'exit 0');
    await runTool('valgrind', ['--leak-check=full', 'a b'], { verbose: true, log: (l) => lines.push(l), env: { PATH: dir } });
    expect(lines).toEqual(["valgrind --leak-check=full 'a b'"]);
    expect(formatCommand('x', ["it's"])).toBe(`x 'it'\\''s'`);
  });
});
