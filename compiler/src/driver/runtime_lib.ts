// Finding the C runtime library of a variant (TOOLCHAIN.md §4): the prebuilt one next to the package
// (`build/lib/libtml_runtime_<variant>.a`), else one built earlier into the cache directory, else build it there
// now with cmake, under a lock file so that parallel builds do not collide.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RuntimeVariant } from './options.js';
import { hostTriple, tripleArch } from './settings.js';
import { runTool, ToolError } from './toolchain.js';

let cachedRoot: string | null = null;

/** The package root: the nearest directory above this file whose package.json is `tmlc`'s (works from dist/ and from sources). */
export function packageRoot(): string {
  if (cachedRoot !== null) return cachedRoot;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pj = path.join(dir, 'package.json');
    if (existsSync(pj)) {
      try {
        if ((JSON.parse(readFileSync(pj, 'utf8')) as { name?: unknown }).name === 'tmlc') return (cachedRoot = dir);
      } catch {
        // not ours; keep looking
      }
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find tmlc's package.json above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

/** The compiler's version, from package.json. */
export function packageVersion(root: string = packageRoot()): string {
  const v = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version?: unknown }).version;
  return typeof v === 'string' ? v : '0.0.0';
}

/** The version a cached runtime is keyed by: the package version and a digest of the runtime's sources, so a
 * changed runtime is rebuilt instead of a stale one being linked. */
export function runtimeVersion(root: string): string {
  const h = createHash('sha256');
  for (const f of runtimeSources(root)) h.update(f.slice(root.length)).update(readFileSync(f));
  return `${packageVersion(root)}-${h.digest('hex').slice(0, 12)}`;
}

/** The files a runtime library is built from (the root CMakeLists.txt, runtime-c's sources and headers, its CMake
 * scripts, and the gdb pretty-printers it embeds). */
function runtimeSources(root: string): string[] {
  const files = [path.join(root, 'CMakeLists.txt')];
  const dir = path.join(root, 'runtime-c');
  for (const sub of ['', 'include', 'gdb']) {
    const d = path.join(dir, sub);
    if (!existsSync(d)) continue;
    for (const f of readdirSync(d).sort()) if (/\.([ch]|cmake|py)$/.test(f)) files.push(path.join(d, f));
  }
  return files.filter((f) => existsSync(f));
}

/** A prebuilt library older than a runtime source is stale (a runtime change not yet rebuilt into build/). */
function isStale(lib: string, root: string): boolean {
  const built = statSync(lib).mtimeMs;
  return runtimeSources(root).some((f) => statSync(f).mtimeMs > built);
}

export function runtimeLibName(variant: RuntimeVariant): string {
  return `libtml_runtime_${variant}.a`;
}

/** The file next to the release library that holds its hot functions as available_externally bitcode (CMakeLists.txt,
 * TML_RT_INLINE_FUNCTIONS), which --release links into the program so that they inline. */
export const RUNTIME_INLINE_BITCODE = 'tml_runtime_release_inline.bc';

/** The inline bitcode that goes with a runtime library: only the release variant has one (the others are linked as
 * they are), and only when it was built (CMake skips it without opt and llvm-dis); else null. */
export function runtimeInlineBitcode(runtimeLib: string | null): string | null {
  if (runtimeLib === null || path.basename(runtimeLib) !== runtimeLibName('release')) return null;
  const bc = path.join(path.dirname(runtimeLib), RUNTIME_INLINE_BITCODE);
  return existsSync(bc) ? bc : null;
}

/** True when code for `triple` runs on this machine (same architecture), so the prebuilt runtime fits. */
export function isHostTriple(triple: string, arch: string = process.arch): boolean {
  let host: string;
  try {
    host = hostTriple(arch);
  } catch {
    return false;
  }
  return tripleArch(triple) === tripleArch(host);
}

/**
 * Where built runtimes are cached: `$XDG_CACHE_HOME/tmlc/<version>/runtime`, else `~/.cache/tmlc/<version>/runtime`;
 * cross builds get `runtime-<triple>`.
 */
export function runtimeCacheDir(
  version: string,
  triple: string | null = null,
  env: NodeJS.ProcessEnv = process.env,
  home: string = os.homedir(),
): string {
  const xdg = env['XDG_CACHE_HOME'];
  const base = xdg !== undefined && xdg !== '' && path.isAbsolute(xdg) ? xdg : path.join(home, '.cache');
  return path.join(base, 'tmlc', version, triple === null ? 'runtime' : `runtime-${triple}`);
}

function stampPath(cacheDir: string, variant: RuntimeVariant): string {
  return path.join(cacheDir, `.tml_runtime_${variant}.ok`);
}

/** Candidate paths of an already built library in a cmake build dir. */
function builtCandidates(buildDir: string, variant: RuntimeVariant): string[] {
  const name = runtimeLibName(variant);
  return [path.join(buildDir, 'lib', name), path.join(buildDir, name), path.join(buildDir, 'runtime-c', name)];
}

export interface RuntimeLookupOptions {
  triple: string;
  verbose?: boolean;
  log?: (line: string) => void;
  /** overrides for tests */
  root?: string;
  env?: NodeJS.ProcessEnv;
  home?: string;
  arch?: string;
}

/** The runtime library if it already exists (prebuilt or cached), else null. Never builds. */
export function existingRuntimeLibrary(variant: RuntimeVariant, o: RuntimeLookupOptions): string | null {
  const root = o.root ?? packageRoot();
  const host = isHostTriple(o.triple, o.arch);
  if (host) {
    const prebuilt = path.join(root, 'build', 'lib', runtimeLibName(variant));
    if (existsSync(prebuilt) && !isStale(prebuilt, root)) return prebuilt;
  }
  const cacheDir = runtimeCacheDir(runtimeVersion(root), host ? null : o.triple, o.env, o.home);
  if (!existsSync(stampPath(cacheDir, variant))) return null;
  return builtCandidates(cacheDir, variant).find((p) => existsSync(p)) ?? null;
}

/** The runtime library of a variant: prebuilt, cached, or built into the cache now (first use). */
export async function findRuntimeLibrary(variant: RuntimeVariant, o: RuntimeLookupOptions): Promise<string> {
  const found = existingRuntimeLibrary(variant, o);
  if (found !== null) return found;

  const root = o.root ?? packageRoot();
  const host = isHostTriple(o.triple, o.arch);
  const cacheDir = runtimeCacheDir(runtimeVersion(root), host ? null : o.triple, o.env, o.home);
  const log = o.log ?? ((l: string) => process.stderr.write(l + '\n'));
  if (!existsSync(path.join(root, 'CMakeLists.txt'))) {
    throw new ToolError(`error: the ${variant} runtime library is not built and its sources are missing (no CMakeLists.txt in ${root})`);
  }
  mkdirSync(path.dirname(cacheDir), { recursive: true });
  return withLockFile(`${cacheDir}.lock`, log, async () => {
    // someone may have built it while we waited for the lock
    const again = existingRuntimeLibrary(variant, o);
    if (again !== null) return again;
    log(`tmlc: building the ${variant} runtime library into ${cacheDir} (first use)`);
    forgetOtherSourceTree(cacheDir, root);
    const configure = ['-S', root, '-B', cacheDir, '-DCMAKE_BUILD_TYPE=Release'];
    if (!host) configure.push('-DCMAKE_C_COMPILER=clang-14', `-DCMAKE_C_COMPILER_TARGET=${o.triple}`);
    await runTool('cmake', configure, { verbose: o.verbose, log });
    await runTool('cmake', ['--build', cacheDir, '--target', `tml_runtime_${variant}`], { verbose: o.verbose, log });
    const lib = builtCandidates(cacheDir, variant).find((p) => existsSync(p));
    if (lib === undefined) {
      throw new ToolError(`error: cmake built the target tml_runtime_${variant} but ${runtimeLibName(variant)} is not in ${cacheDir}/lib`);
    }
    writeFileSync(stampPath(cacheDir, variant), `${new Date().toISOString()}\n`);
    return lib;
  });
}

/**
 * The cache is keyed by the runtime's sources, not by where they are, so two copies of tmlc (a second checkout, a
 * reinstall elsewhere) share a cache directory that cmake has configured for the other copy's source tree — and
 * cmake refuses to reuse it ("does not match the source … used to generate cache"). The sources are identical (same
 * key), so the configuration is forgotten and redone for this tree; libraries already built there stay valid.
 */
export function forgetOtherSourceTree(cacheDir: string, root: string): void {
  const cache = path.join(cacheDir, 'CMakeCache.txt');
  if (!existsSync(cache)) return;
  const home = /^CMAKE_HOME_DIRECTORY:INTERNAL=(.*)$/m.exec(readFileSync(cache, 'utf8'))?.[1];
  if (home === undefined || path.resolve(home) === path.resolve(root)) return;
  rmSync(cache, { force: true });
  rmSync(path.join(cacheDir, 'CMakeFiles'), { recursive: true, force: true });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A lock file is stale when the process that wrote it is gone (or it is old and has no valid pid). */
function lockIsStale(lockPath: string): boolean {
  let text: string;
  let ageMs: number;
  try {
    text = readFileSync(lockPath, 'utf8');
    ageMs = Date.now() - statSync(lockPath).mtimeMs;
  } catch {
    return false; // vanished: just retry
  }
  const pid = Number.parseInt(text, 10);
  if (!Number.isInteger(pid) || pid <= 0) return ageMs > 10_000;
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Run `fn` holding an exclusive lock file (O_CREAT|O_EXCL with our pid inside); stale locks are broken. */
export async function withLockFile<T>(
  lockPath: string,
  log: (line: string) => void,
  fn: () => Promise<T>,
  timeoutMs = 30 * 60_000,
): Promise<T> {
  const start = Date.now();
  let told = false;
  for (;;) {
    try {
      const fd = openSync(lockPath, 'wx');
      try {
        writeSync(fd, `${process.pid}\n`);
      } finally {
        closeSync(fd);
      }
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (lockIsStale(lockPath)) {
        try {
          unlinkSync(lockPath);
        } catch {
          // another waiter broke it first
        }
        continue;
      }
      if (Date.now() - start > timeoutMs) {
        throw new ToolError(`error: timed out waiting for ${lockPath}; remove it if no other tmlc is running`);
      }
      if (!told) {
        log(`tmlc: waiting for another tmlc process to finish building the runtime (${lockPath})`);
        told = true;
      }
      await sleep(250);
    }
  }
  try {
    return await fn();
  } finally {
    try {
      unlinkSync(lockPath);
    } catch {
      // already gone
    }
  }
}
