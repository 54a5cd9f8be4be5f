// Source files are UTF-8 (issue 10): the validator finds the first byte that is not part of a well-formed
// sequence, including the forms a lenient decoder would accept (overlong, surrogates, past U+10FFFF).
import { describe, expect, it } from 'vitest';
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
