// The test-executable cache of `tmlc test`: entries keyed by file, options and compiler build, and the cleaning that
// removes superseded, half-written, unused and over-the-cap entries (testing/cache_clean.ts).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TestCache } from '../../compiler/src/testing/cache.js';
import { cleanTestCache, defaultPolicy, type CleanPolicy } from '../../compiler/src/testing/cache_clean.js';
import { resolveTestOptions } from '../../compiler/src/driver/settings.js';
import type { MirTest } from '../../compiler/src/mir/mir.js';

const base = mkdtempSync(path.join(os.tmpdir(), 'tmlc-test-cache-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
let n = 0;
const freshDir = (): string => {
  const d = path.join(base, `d${n++}`);
  mkdirSync(d);
  return d;
};

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.parse('2026-12-01T12:00:00Z');
const policy: CleanPolicy = { now: NOW, maxAgeMs: 14 * DAY, maxBytes: 1 << 30, inUseMs: HOUR };

const slot = (i: number): string => i.toString(16).padStart(32, 'a');
const tag = (i: number): string => i.toString(16).padStart(16, 'b');

/** Writes a file of `bytes` bytes last modified `ageMs` before NOW. */
function put(dir: string, name: string, ageMs: number, bytes = 10): void {
  writeFileSync(path.join(dir, name), 'x'.repeat(bytes));
  const t = new Date(NOW - ageMs);
  utimesSync(path.join(dir, name), t, t);
}
function entry(dir: string, name: string, ageMs: number, bytes = 10): void {
  put(dir, name, ageMs, bytes);
  put(dir, `${name}.json`, ageMs, 10);
}

describe('cleanTestCache', () => {
  it('keeps only the entry of a slot used last (older compiler builds are superseded)', () => {
    const d = freshDir();
    entry(d, `${slot(1)}-${tag(1)}`, 10 * DAY);
    entry(d, `${slot(1)}-${tag(2)}`, 2 * HOUR);
    entry(d, `${slot(2)}-${tag(1)}`, 10 * DAY);
    const r = cleanTestCache(d, policy);
    expect(r.removed.sort()).toEqual([`${slot(1)}-${tag(1)}`, `${slot(1)}-${tag(1)}.json`]);
    expect(readdirSync(d).sort()).toEqual([`${slot(1)}-${tag(2)}`, `${slot(1)}-${tag(2)}.json`, `${slot(2)}-${tag(1)}`, `${slot(2)}-${tag(1)}.json`]);
    expect(r.bytesFreed).toBe(20);
  });

  it('removes entries unused for longer than the age limit', () => {
    const d = freshDir();
    entry(d, `${slot(1)}-${tag(1)}`, 15 * DAY);
    entry(d, `${slot(2)}-${tag(1)}`, 13 * DAY);
    cleanTestCache(d, policy);
    expect(readdirSync(d).sort()).toEqual([`${slot(2)}-${tag(1)}`, `${slot(2)}-${tag(1)}.json`]);
  });

  it('removes half entries, half-written files and entries of the old naming, unless they are in use', () => {
    const d = freshDir();
    put(d, `${slot(1)}-${tag(1)}`, 2 * HOUR); // an executable without manifest
    put(d, `${slot(2)}-${tag(1)}.json`, 2 * HOUR); // a manifest without executable
    put(d, `${slot(3)}-${tag(1)}`, 5 * 60_000); // being written right now by another run
    put(d, `${slot(4)}-${tag(1)}.json.1234`, 2 * HOUR);
    put(d, `.${slot(5)}-${tag(1)}.tmlc-1234`, 2 * HOUR);
    entry(d, slot(6), 2 * HOUR); // the old naming: no compiler part
    put(d, 'not-ours.txt', 30 * DAY);
    cleanTestCache(d, policy);
    expect(readdirSync(d).sort()).toEqual([`${slot(3)}-${tag(1)}`, 'not-ours.txt']);
  });

  it('removes the least recently used entries while the cache is over its size cap, never one in use', () => {
    const d = freshDir();
    entry(d, `${slot(1)}-${tag(1)}`, 5 * HOUR, 990);
    entry(d, `${slot(2)}-${tag(1)}`, 4 * HOUR, 990);
    entry(d, `${slot(3)}-${tag(1)}`, 3 * HOUR, 990);
    entry(d, `${slot(4)}-${tag(1)}`, 10 * 60_000, 990);
    const r = cleanTestCache(d, { ...policy, maxBytes: 2500 });
    expect(readdirSync(d).sort()).toEqual([`${slot(3)}-${tag(1)}`, `${slot(3)}-${tag(1)}.json`, `${slot(4)}-${tag(1)}`, `${slot(4)}-${tag(1)}.json`]);
    expect(r.bytesKept).toBe(2000);
    // over the cap with only entries in use: they all stay
    cleanTestCache(d, { ...policy, maxBytes: 0, now: NOW - 3 * HOUR + 60_000 });
    expect(readdirSync(d)).toHaveLength(4);
  });

  it('a missing directory is nothing to clean', () => {
    expect(cleanTestCache(path.join(base, 'missing'), policy)).toEqual({ removed: [], bytesFreed: 0, bytesKept: 0 });
  });

  it('the size cap comes from TMLC_TEST_CACHE_MAX_MB, default 1024 MB', () => {
    expect(defaultPolicy({}, NOW).maxBytes).toBe(1024 * 1024 * 1024);
    expect(defaultPolicy({ TMLC_TEST_CACHE_MAX_MB: '5' }, NOW).maxBytes).toBe(5 * 1024 * 1024);
    expect(defaultPolicy({ TMLC_TEST_CACHE_MAX_MB: 'lots' }, NOW).maxBytes).toBe(1024 * 1024 * 1024);
  });
});

describe('TestCache', () => {
  const tests: MirTest[] = [{ name: 't', symbol: 's', returns: 'unit', shouldPanic: null, ignored: false, span: { file: 'x', start: 0, end: 0 } }];
  const options = resolveTestOptions({}).build;

  it('finds a stored entry until a source changes, and names it slot-compiler', () => {
    const d = freshDir();
    const src = path.join(d, 'a.test.tml');
    writeFileSync(src, 'one');
    const cache = new TestCache(options, path.join(d, 'cache'), 'c'.repeat(64));
    expect(cache.lookup(src)).toBeNull();
    const exe = cache.exePath(src);
    expect(path.basename(exe)).toMatch(/^[0-9a-f]{32}-c{16}$/);
    writeFileSync(exe, 'executable');
    cache.store(src, [src], tests);
    expect(cache.lookup(src)?.exe).toBe(exe);
    expect(cache.lookup(src)?.tests.map((t) => t.name)).toEqual(['t']);
    writeFileSync(src, 'two');
    expect(cache.lookup(src)).toBeNull();
    cache.forget(src);
    expect(existsSync(exe)).toBe(false);
  });

  it('the same slot for options that do not shape the executable; another slot or compiler part otherwise', () => {
    const d = freshDir();
    const src = path.join(d, 'a.test.tml');
    const name = (o: typeof options, compiler = 'c'.repeat(64)) => path.basename(new TestCache(o, d, compiler).exePath(src));
    const plain = name(options);
    expect(name({ ...options, time: true, verbose: true, messageFormat: 'json' })).toBe(plain);
    expect(name(resolveTestOptions({ release: true }).build).slice(0, 32)).not.toBe(plain.slice(0, 32));
    const rebuilt = name(options, 'd'.repeat(64));
    expect(rebuilt.slice(0, 32)).toBe(plain.slice(0, 32));
    expect(rebuilt).not.toBe(plain);
  });
});
