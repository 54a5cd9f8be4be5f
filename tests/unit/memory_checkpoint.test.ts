// driver/memory_checkpoint.ts: a checkpoint collects only when the resident set grew by its threshold since the last
// collection, and finish() collects only after a checkpoint that collected (a large build).
import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import { MemoryCheckpoint } from '../../compiler/src/driver/memory_checkpoint.js';

/** V8's flag hash before any checkpoint of this file collected (the first collection sets and unsets the flag). */
const TAG_AT_START = v8.cachedDataVersionTag();

/** Memory the process touches (so it is resident), kept alive by the caller. */
function touch(mb: number): Buffer {
  return Buffer.alloc(mb * 2 ** 20, 1);
}

describe('MemoryCheckpoint', () => {
  it('does not collect while the resident set has not grown, and finish() then does nothing', () => {
    const c = new MemoryCheckpoint();
    c.now();
    for (let i = 0; i < 200; i++) c.sometimes();
    c.finish();
    expect(c.collections).toBe(0);
  });

  it('collects once the resident set grew by 16 MB, then measures growth from there; finish() collects again', () => {
    const c = new MemoryCheckpoint();
    const kept = [touch(24)];
    c.now();
    expect(c.collections).toBe(1);
    c.now();
    expect(c.collections).toBe(1);
    kept.push(touch(24));
    // sometimes() looks on every 64th call only
    for (let i = 0; i < 63; i++) c.sometimes();
    expect(c.collections).toBe(1);
    c.sometimes();
    expect(c.collections).toBe(2);
    c.finish();
    expect(c.collections).toBe(3);
    expect(kept.reduce((n, b) => n + b.length, 0)).toBe(48 * 2 ** 20);
  });

  it("leaves V8's flags as they were, so a code cache written after a collection is accepted by the next run", () => {
    const c = new MemoryCheckpoint();
    const kept = touch(24);
    c.now();
    expect(c.collections).toBe(1);
    expect(v8.cachedDataVersionTag()).toBe(TAG_AT_START);
    expect(kept.length).toBe(24 * 2 ** 20);
  });
});
