// Driver plumbing: temp dirs (removed on success, failure and SIGINT), the runtime library lookup and its lock,
// running a built program (exit status and signals passed through).
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { runProgram } from '../../compiler/src/driver/pipeline.js';
import {
  existingRuntimeLibrary,
  findRuntimeLibrary,
  forgetOtherSourceTree,
  isHostTriple,
  packageRoot,
  packageVersion,
  runtimeVersion,
  runtimeCacheDir,
  runtimeInlineBitcode,
  withLockFile,
} from '../../compiler/src/driver/runtime_lib.js';
import { resolveBuildOptions } from '../../compiler/src/driver/settings.js';
import { liveTempDirCount, makeTempDir, withTempDir } from '../../compiler/src/driver/tempdir.js';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'tmlc-driver-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const quiet = { out: () => {}, err: () => {} };

describe('temp dirs', () => {
  it('are private and removed after success and after failure', async () => {
    let seen = '';
    await withTempDir(async (d) => {
      seen = d;
      expect(statSync(d).mode & 0o777).toBe(0o700);
      writeFileSync(path.join(d, 'f'), 'x');
      mkdirSync(path.join(d, 'sub'));
    });
    expect(existsSync(seen)).toBe(false);
    await expect(
      withTempDir(async (d) => {
        seen = d;
        throw new Error('fail');
      }),
    ).rejects.toThrow('fail');
    expect(existsSync(seen)).toBe(false);
    const t = makeTempDir();
    t.remove();
    t.remove();
    expect(liveTempDirCount()).toBe(0);
  });

  it('are removed when SIGINT ends the process, and the process dies of SIGINT', async () => {
    const script = path.join(scratch, 'sigint.ts');
    const tempdir = path.join(packageRoot(), 'compiler/src/driver/tempdir.ts');
    writeFileSync(script, `import { makeTempDir } from ${JSON.stringify(tempdir)};\nconsole.log(makeTempDir().path);\nsetInterval(() => {}, 1000);\n`);
    const child = execa(path.join(packageRoot(), 'node_modules/.bin/vite-node'), [script], { reject: false, cwd: packageRoot() });
    const dir = await new Promise<string>((resolve) => child.stdout!.once('data', (b: Buffer) => resolve(b.toString().trim())));
    expect(existsSync(dir)).toBe(true);
    child.kill('SIGINT');
    const r = await child;
    expect(existsSync(dir)).toBe(false);
    expect(r.signal === 'SIGINT' || r.exitCode === 130).toBe(true);
  });
});

describe('runtime library lookup', () => {
  it('cache dir: $XDG_CACHE_HOME/tmlc/<version>/runtime, else ~/.cache; cross builds apart', () => {
    expect(runtimeCacheDir('1.2.3', null, { XDG_CACHE_HOME: '/xdg' }, '/home/u')).toBe('/xdg/tmlc/1.2.3/runtime');
    expect(runtimeCacheDir('1.2.3', null, {}, '/home/u')).toBe('/home/u/.cache/tmlc/1.2.3/runtime');
    expect(runtimeCacheDir('1.2.3', null, { XDG_CACHE_HOME: 'relative' }, '/home/u')).toBe('/home/u/.cache/tmlc/1.2.3/runtime');
    expect(runtimeCacheDir('1.2.3', 'aarch64-linux-gnu', {}, '/h')).toBe('/h/.cache/tmlc/1.2.3/runtime-aarch64-linux-gnu');
  });

  it('the package root is the tmlc package', () => {
    expect(JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')).name).toBe('tmlc');
    expect(packageVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('prefers the prebuilt library, then a completed cache build', () => {
    const root = path.join(scratch, 'pkg');
    mkdirSync(path.join(root, 'build', 'lib'), { recursive: true });
    writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'tmlc', version: '9.9.9' }));
    const home = path.join(scratch, 'home');
    const o = { triple: 'x86_64-pc-linux-gnu', root, env: {}, home, arch: 'x64' };
    expect(existingRuntimeLibrary('debug', o)).toBeNull();
    // a cache build without its completion stamp (interrupted) does not count
    const cache = runtimeCacheDir(runtimeVersion(root), null, {}, home);
    expect(runtimeVersion(root)).toMatch(/^9\.9\.9-[0-9a-f]{12}$/);
    mkdirSync(path.join(cache, 'lib'), { recursive: true });
    writeFileSync(path.join(cache, 'lib', 'libtml_runtime_debug.a'), '');
    expect(existingRuntimeLibrary('debug', o)).toBeNull();
    writeFileSync(path.join(cache, '.tml_runtime_debug.ok'), '');
    expect(existingRuntimeLibrary('debug', o)).toBe(path.join(cache, 'lib', 'libtml_runtime_debug.a'));
    writeFileSync(path.join(root, 'build', 'lib', 'libtml_runtime_debug.a'), '');
    expect(existingRuntimeLibrary('debug', o)).toBe(path.join(root, 'build', 'lib', 'libtml_runtime_debug.a'));
    // the prebuilt library is the host's: a cross build does not use it
    expect(existingRuntimeLibrary('debug', { ...o, triple: 'aarch64-linux-gnu' })).toBeNull();
    expect(isHostTriple('x86_64-unknown-linux-gnu', 'x64')).toBe(true);
    expect(isHostTriple('aarch64-linux-gnu', 'x64')).toBe(false);
  });

  it('builds a missing variant once into the cache with cmake, even when asked twice at the same time', async () => {
    const root = path.join(scratch, 'cmakepkg');
    mkdirSync(root, { recursive: true });
    writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'tmlc', version: '0.0.1' }));
    writeFileSync(path.join(root, 'rt.c'), 'int tml_rt_probe(void) { return 1; }\n');
    writeFileSync(
      path.join(root, 'CMakeLists.txt'),
      [
        'cmake_minimum_required(VERSION 3.20)',
        'project(fake C)',
        'set(CMAKE_ARCHIVE_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/lib)',
        'add_library(tml_runtime_release STATIC rt.c)',
        'add_library(tml_runtime_debug STATIC rt.c)',
        'file(APPEND ${CMAKE_BINARY_DIR}/configured "x")',
        '',
      ].join('\n'),
    );
    const home = path.join(scratch, 'cmakehome');
    const logs: string[] = [];
    const o = { triple: 'x86_64-pc-linux-gnu', root, env: {}, home, arch: 'x64', log: (l: string) => logs.push(l) };
    const [a, b] = await Promise.all([findRuntimeLibrary('release', o), findRuntimeLibrary('release', o)]);
    const cache = runtimeCacheDir(runtimeVersion(root), null, {}, home);
    expect(a).toBe(path.join(cache, 'lib', 'libtml_runtime_release.a'));
    expect(b).toBe(a);
    expect(existsSync(path.join(cache, 'lib', 'libtml_runtime_debug.a'))).toBe(false);
    expect(readFileSync(path.join(cache, 'configured'), 'utf8')).toBe('x');
    expect(logs.filter((l) => l.includes('building the release runtime'))).toHaveLength(1);
    expect(await findRuntimeLibrary('release', o)).toBe(a);
    expect(logs.filter((l) => l.includes('building the release runtime library'))).toHaveLength(1);
    expect(logs.some((l) => l.includes('waiting for another tmlc'))).toBe(true);
  });

  it('the lock file serialises builders and a stale lock is broken', async () => {
    const lock = path.join(scratch, 'rt.lock');
    const order: string[] = [];
    const slow = (name: string) => async () => {
      order.push(`${name}+`);
      await new Promise((r) => setTimeout(r, 100));
      order.push(`${name}-`);
      return name;
    };
    const [a, b] = await Promise.all([withLockFile(lock, () => {}, slow('a')), withLockFile(lock, () => {}, slow('b'))]);
    expect([a, b]).toEqual(['a', 'b']);
    expect(order).toEqual(['a+', 'a-', 'b+', 'b-']);
    expect(existsSync(lock)).toBe(false);
    // a lock left by a dead process
    const dead = await execa('node', ['-e', 'console.log(process.pid)']);
    writeFileSync(lock, `${dead.stdout.trim()}\n`);
    expect(await withLockFile(lock, () => {}, async () => 'got it', 5_000)).toBe('got it');
  });
});

describe('running a built program', () => {
  const o = resolveBuildOptions({});
  function prog(name: string, body: string): string {
    const p = path.join(scratch, name);
    writeFileSync(p, `#!/bin/sh\n${body}\n`);
    chmodSync(p, 0o755);
    return p;
  }
  it('passes the exit status and the arguments through', async () => {
    const p = prog('exit7', '[ "$1" = "a b" ] && [ "$2" = "-c" ] && exit 7; exit 1');
    expect(await runProgram(p, ['a b', '-c'], o, quiet)).toBe(7);
  });
  it('reports a signal as 128+n', async () => {
    const p = prog('segv', 'kill -SEGV $$');
    expect(await runProgram(p, [], o, quiet)).toBe(139);
  });
});

describe('runtime cache key', () => {
  it('changes when a runtime source changes, so a stale cached runtime is never linked', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'tmlc-rtver-'));
    try {
      writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'tmlc', version: '1.0.0' }));
      mkdirSync(path.join(root, 'runtime-c'));
      writeFileSync(path.join(root, 'runtime-c', 'a.c'), 'int a;\n');
      const before = runtimeVersion(root);
      expect(runtimeVersion(root)).toBe(before);
      writeFileSync(path.join(root, 'runtime-c', 'a.c'), 'int a = 1;\n');
      expect(runtimeVersion(root)).not.toBe(before);
      expect(runtimeVersion(root).startsWith('1.0.0-')).toBe(true);
      // the CMake scripts make runtime files too (runtime-c/inline_bitcode.cmake: the inline bitcode)
      const withC = runtimeVersion(root);
      writeFileSync(path.join(root, 'runtime-c', 'inline_bitcode.cmake'), '# v1\n');
      const withScript = runtimeVersion(root);
      expect(withScript).not.toBe(withC);
      writeFileSync(path.join(root, 'runtime-c', 'inline_bitcode.cmake'), '# v2\n');
      expect(runtimeVersion(root)).not.toBe(withScript);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('runtime inline bitcode', () => {
  it('is the file next to the release library, and only the release variant has one', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tmlc-inlinebc-'));
    try {
      const release = path.join(dir, 'libtml_runtime_release.a');
      expect(runtimeInlineBitcode(release)).toBeNull(); // not built (no opt or llvm-dis when cmake ran)
      writeFileSync(path.join(dir, 'tml_runtime_release_inline.bc'), '');
      expect(runtimeInlineBitcode(release)).toBe(path.join(dir, 'tml_runtime_release_inline.bc'));
      expect(runtimeInlineBitcode(path.join(dir, 'libtml_runtime_debug.a'))).toBeNull();
      expect(runtimeInlineBitcode(path.join(dir, 'libtml_runtime_asan.a'))).toBeNull();
      expect(runtimeInlineBitcode(null)).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('runtime cache shared by two copies of tmlc', () => {
  it('reconfigures a cache dir that cmake configured for another source tree with the same sources', async () => {
    const top = mkdtempSync(path.join(os.tmpdir(), 'tmlc-rtcopies-'));
    try {
      const project = 'cmake_minimum_required(VERSION 3.13)\nproject(copy NONE)\n';
      for (const copy of ['a', 'b']) {
        mkdirSync(path.join(top, copy));
        writeFileSync(path.join(top, copy, 'CMakeLists.txt'), project);
      }
      const cacheDir = path.join(top, 'cache');
      await execa('cmake', ['-S', path.join(top, 'a'), '-B', cacheDir]);
      // without forgetting, cmake refuses: the cache was generated for copy a
      const refused = await execa('cmake', ['-S', path.join(top, 'b'), '-B', cacheDir], { reject: false });
      expect(refused.exitCode).not.toBe(0);
      expect(refused.stderr).toContain('does not match the source');
      forgetOtherSourceTree(cacheDir, path.join(top, 'b'));
      const again = await execa('cmake', ['-S', path.join(top, 'b'), '-B', cacheDir], { reject: false });
      expect(again.exitCode).toBe(0);
      // the same tree is left alone
      const before = readFileSync(path.join(cacheDir, 'CMakeCache.txt'), 'utf8');
      forgetOtherSourceTree(cacheDir, path.join(top, 'b'));
      expect(readFileSync(path.join(cacheDir, 'CMakeCache.txt'), 'utf8')).toBe(before);
    } finally {
      rmSync(top, { recursive: true, force: true });
    }
  });
});
