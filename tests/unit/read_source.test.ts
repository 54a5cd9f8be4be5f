// Source files are UTF-8 (issue 10): the validator finds the first byte that is not part of a well-formed
// sequence, including the forms a lenient decoder would accept (overlong, surrogates, past U+10FFFF).
import { describe, expect, it } from 'vitest';
import { isUtf8 } from 'node:buffer';
import { firstInvalidUtf8 } from '../../compiler/src/sema/read_source.js';

const b = (...xs: number[]) => Uint8Array.from(xs);

describe('firstInvalidUtf8', () => {
  it('accepts ASCII, and 2-, 3- and 4-byte characters', () => {
    expect(firstInvalidUtf8(Buffer.from('héllo, 世界, 🦀'))).toBe(-1);
    expect(firstInvalidUtf8(b())).toBe(-1);
    expect(firstInvalidUtf8(b(0xf4, 0x8f, 0xbf, 0xbf))).toBe(-1); // U+10FFFF
  });
  it('finds the first bad byte', () => {
    expect(firstInvalidUtf8(b(0x61, 0xff, 0x62))).toBe(1);
    expect(firstInvalidUtf8(b(0x61, 0x80))).toBe(1); // a continuation byte alone
    expect(firstInvalidUtf8(b(0xc3))).toBe(0); // truncated at the end
    expect(firstInvalidUtf8(b(0xe4, 0xb8, 0x41))).toBe(0); // truncated in the middle
  });
  it('refuses overlong forms, surrogates and code points past U+10FFFF', () => {
    expect(firstInvalidUtf8(b(0xc0, 0xaf))).toBe(0);
    expect(firstInvalidUtf8(b(0xe0, 0x80, 0xaf))).toBe(0);
    expect(firstInvalidUtf8(b(0xed, 0xa0, 0x80))).toBe(0); // U+D800
    expect(firstInvalidUtf8(b(0xf4, 0x90, 0x80, 0x80))).toBe(0); // U+110000
    expect(firstInvalidUtf8(b(0xf8, 0x88, 0x80, 0x80, 0x80))).toBe(0);
  });
});

// readSource asks node's native validator first (buffer.isUtf8) and scans only a file it rejects: the two must
// agree on what well-formed UTF-8 is, or a file would be accepted that the scan refuses (or the other way round).
describe('the native UTF-8 check readSource uses first', () => {
  it('agrees with firstInvalidUtf8 on every sequence of up to 4 bytes from a tricky alphabet, and on random ones', () => {
    const alphabet = [0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff];
    const agree = (x: Uint8Array): void => expect(isUtf8(x), `${[...x].map((v) => v.toString(16))}`).toBe(firstInvalidUtf8(x) < 0);
    for (const a of alphabet) for (const c of alphabet) for (const d of alphabet) agree(b(a, c, d));
    for (const a of alphabet) for (const c of alphabet) for (const d of alphabet) for (const e of alphabet) if (a >= 0xf0) agree(b(a, c, d, e));
    let seed = 12345;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 256;
    for (let i = 0; i < 2000; i++) agree(Uint8Array.from({ length: 1 + (i % 9) }, next));
  });
});
