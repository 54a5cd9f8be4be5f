// ARM64 (AArch64) executables: conformance programs cross-compiled with --target aarch64-linux-gnu run under
// qemu-aarch64 with the expected output and status, in debug and release builds (the runtime is built for the
// target on first use). Needs Debian's gcc-aarch64-linux-gnu, libc6-dev-arm64-cross and qemu-user (ci/setup.sh).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { testTempDir } from '../setup/temp_dir.js';

const root = path.resolve(new URL('../../', import.meta.url).pathname);
const conformance = path.resolve(root, '../shared/conformance');
const work = testTempDir('tmlc-arm64-');
const SYSROOT = '/usr/aarch64-linux-gnu';

const PROGRAMS: [string, string[]][] = [
  ['hello', []],
  ['basics', []],
  ['strings', []],
  ['closures', []],
  ['structs_enums', []],
  ['heap_tree', ['--release']],
  ['lists_maps', []],
  ['behaviors', []],
  ['drop_order', []],
  ['shared_weak', ['--release']],
  ['overflow_panic', []],
  ['classes', []],
  ['classes', ['--release']],
  ['leak_cycle', []],
  ['pool_arena', []],
  ['tasks_channels', []],
  ['async_basics', []],
  ['async_drop', ['--release']],
];

describe('ARM64 executables under qemu', () => {
  it.each(PROGRAMS)('%s %j', async (name, flags) => {
    const exe = path.join(work, `${name}.arm64`);
    const b = await execa('node', [path.join(root, 'bin/tmlc.js'), 'build', '--target', 'aarch64-linux-gnu', path.join(conformance, `${name}.tml`), '-o', exe, ...flags], { reject: false });
    expect(b.exitCode, String(b.stderr)).toBe(0);
    const file = await execa('file', [exe], { reject: false });
    expect(String(file.stdout)).toContain('ARM aarch64');
    const r = await execa('qemu-aarch64', ['-L', SYSROOT, exe], { reject: false, timeout: 60_000, stripFinalNewline: false });
    const want = fs.readFileSync(path.join(conformance, `${name}.stdout`), 'utf8');
    const status = fs.existsSync(path.join(conformance, `${name}.status`)) ? Number(fs.readFileSync(path.join(conformance, `${name}.status`), 'utf8').trim()) : 0;
    expect(String(r.stdout), String(r.stderr)).toBe(want);
    expect(r.exitCode).toBe(status);
  }, 120_000);
});
