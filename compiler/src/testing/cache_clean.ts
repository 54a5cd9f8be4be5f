// Cleaning the test-executable cache (cache.ts), so that it does not grow with every rebuild of the compiler and
// every test file ever run. `tmlc test` runs it at the end of a run that compiled something (a run that only
// reused executables added nothing). What is removed, in this order:
//
//  1. superseded entries: of the entries of one slot (same test file, options and compiler installation), all but
//     the one used last — the others were made by earlier builds of the compiler and can never be hit again;
//  2. leftovers: an executable without its manifest or a manifest without its executable, half-written files of
//     an interrupted run, and entries named as before this scheme (a hash without the compiler part);
//  3. entries not used for MAX_AGE_DAYS days (a test file deleted or no longer run);
//  4. the least recently used entries while the whole cache is over its size cap (TMLC_TEST_CACHE_MAX_MB, default
//     DEFAULT_MAX_MB).
//
// Anything used or written within the last IN_USE_MINUTES is never removed by 2–4: another `tmlc test` may be
// about to run it.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const MAX_AGE_DAYS = 14;
export const DEFAULT_MAX_MB = 1024;
export const IN_USE_MINUTES = 60;

export interface CleanPolicy {
  /** now, in ms since the epoch */
  now: number;
  maxAgeMs: number;
  maxBytes: number;
  inUseMs: number;
}

/** The policy in force: the constants above, and TMLC_TEST_CACHE_MAX_MB for the size cap. */
export function defaultPolicy(env: NodeJS.ProcessEnv = process.env, now: number = Date.now()): CleanPolicy {
  const mb = Number(env['TMLC_TEST_CACHE_MAX_MB']);
  const maxMb = env['TMLC_TEST_CACHE_MAX_MB'] !== undefined && Number.isFinite(mb) && mb >= 0 ? mb : DEFAULT_MAX_MB;
  return { now, maxAgeMs: MAX_AGE_DAYS * 86_400_000, maxBytes: maxMb * 1024 * 1024, inUseMs: IN_USE_MINUTES * 60_000 };
}

export interface CleanReport {
  /** names of the removed files */
  readonly removed: string[];
  readonly bytesFreed: number;
  /** bytes the cache holds afterwards */
  readonly bytesKept: number;
}

const ENTRY = /^([0-9a-f]{32})-([0-9a-f]{16})(\.json)?$/;
const LEGACY = /^[0-9a-f]{32}(\.json)?$/;
/** cache.ts's manifest being written, and files.ts's copyOutputFile staging an executable */
const PARTIAL = /^(?:[0-9a-f]{32}-[0-9a-f]{16}\.json\.\d+|\.[0-9a-f]{32}-[0-9a-f]{16}\.tmlc-\d+|[0-9a-f]{32}\.json\.\d+|\.[0-9a-f]{32}\.tmlc-\d+)$/;

interface FileInfo {
  readonly name: string;
  readonly bytes: number;
  readonly mtimeMs: number;
}

interface Entry {
  readonly slot: string;
  exe: FileInfo | null;
  manifest: FileInfo | null;
}

function statFile(dir: string, name: string): FileInfo | null {
  try {
    const st = fs.statSync(path.join(dir, name));
    return st.isFile() ? { name, bytes: st.size, mtimeMs: st.mtimeMs } : null;
  } catch {
    return null;
  }
}

/** When an entry was last used: its manifest's time (cache.ts touches it on every hit), else its executable's. */
function lastUse(e: Entry): number {
  return Math.max(e.manifest?.mtimeMs ?? 0, e.exe?.mtimeMs ?? 0);
}

function bytesOf(e: Entry): number {
  return (e.exe?.bytes ?? 0) + (e.manifest?.bytes ?? 0);
}

/** Clean the cache directory `dir` by `policy` (see the top of this file). Never throws: it is housekeeping. */
export function cleanTestCache(dir: string, policy: CleanPolicy = defaultPolicy()): CleanReport {
  const removed: string[] = [];
  let bytesFreed = 0;
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return { removed, bytesFreed, bytesKept: 0 };
  }
  const remove = (f: FileInfo | null): void => {
    if (f === null) return;
    try {
      fs.rmSync(path.join(dir, f.name), { force: true });
      removed.push(f.name);
      bytesFreed += f.bytes;
    } catch {
      // someone else's file, or already gone
    }
  };
  const inUse = (ms: number): boolean => policy.now - ms < policy.inUseMs;

  const entries = new Map<string, Entry>();
  for (const name of names.sort()) {
    const m = ENTRY.exec(name);
    if (m !== null) {
      const key = name.replace(/\.json$/, '');
      const e = entries.get(key) ?? { slot: m[1]!, exe: null, manifest: null };
      entries.set(key, e);
      const info = statFile(dir, name);
      if (m[3] === undefined) e.exe = info;
      else e.manifest = info;
    } else if (LEGACY.test(name) || PARTIAL.test(name)) {
      const info = statFile(dir, name);
      if (info !== null && !inUse(info.mtimeMs)) remove(info);
    }
  }

  // 1. superseded: per slot, keep only the entry used last
  const newest = new Map<string, Entry>();
  for (const e of entries.values()) {
    const best = newest.get(e.slot);
    if (best === undefined || lastUse(e) > lastUse(best)) newest.set(e.slot, e);
  }
  let live: Entry[] = [];
  for (const e of entries.values()) {
    if (newest.get(e.slot) !== e) {
      remove(e.manifest);
      remove(e.exe);
    } else {
      live.push(e);
    }
  }

  // 2 and 3. half entries, and entries unused for too long
  live = live.filter((e) => {
    const half = e.exe === null || e.manifest === null;
    const old = policy.now - lastUse(e) > policy.maxAgeMs;
    if ((half || old) && !inUse(lastUse(e))) {
      remove(e.manifest);
      remove(e.exe);
      return false;
    }
    return true;
  });

  // 4. the size cap, least recently used first
  let total = live.reduce((n, e) => n + bytesOf(e), 0);
  for (const e of [...live].sort((a, b) => lastUse(a) - lastUse(b))) {
    if (total <= policy.maxBytes) break;
    if (inUse(lastUse(e))) continue;
    total -= bytesOf(e);
    remove(e.manifest);
    remove(e.exe);
  }
  return { removed, bytesFreed, bytesKept: total };
}
