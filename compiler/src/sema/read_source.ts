// Reading a source file: a regular file of sensible size whose bytes are valid UTF-8. Anything else is refused
// with a reason (and, for bad UTF-8, the offset of the first bad byte) instead of being read forever
// (`/dev/zero`) or silently changed (invalid bytes decoded as U+FFFD).
import { isUtf8 } from 'node:buffer';
import fs from 'node:fs';

/** Largest source file read; real sources are far smaller. */
export const MAX_SOURCE_BYTES = 16 * 1024 * 1024;

export type SourceRead =
  | { ok: true; text: string }
  /** `text` is the file decoded up to the bad byte; `offset` is that byte's position in `text` */
  | { ok: false; reason: string; text?: string; offset?: number };

export function readSource(file: string): SourceRead {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    return { ok: false, reason: 'no such file' };
  }
  if (!st.isFile()) return { ok: false, reason: st.isDirectory() ? 'it is a directory' : 'not a regular file' };
  if (st.size > MAX_SOURCE_BYTES) return { ok: false, reason: `${st.size} bytes is more than the ${MAX_SOURCE_BYTES >> 20} MiB a source file may have` };
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    return { ok: false, reason: e instanceof Error ? e.message : String(e) };
  }
  if (bytes.length > MAX_SOURCE_BYTES) return { ok: false, reason: `more than the ${MAX_SOURCE_BYTES >> 20} MiB a source file may have` };
  // node's native check first (the same definition of well-formed UTF-8); the byte-by-byte scan only finds where
  // a file already known to be bad goes wrong
  if (isUtf8(bytes)) return { ok: true, text: bytes.toString('utf8') };
  const bad = firstInvalidUtf8(bytes);
  if (bad < 0) return { ok: true, text: bytes.toString('utf8') };
  const text = bytes.subarray(0, bad).toString('utf8') + bytes.subarray(bad).toString('utf8');
  const offset = bytes.subarray(0, bad).toString('utf8').length;
  return { ok: false, reason: `byte 0x${bytes[bad]!.toString(16).padStart(2, '0')} is not valid UTF-8`, text, offset };
}

/** Index of the first byte that does not belong to a well-formed UTF-8 sequence, or -1. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      if (c === 0xe0) lo = 0xa0; // no overlong forms
      if (c === 0xed) hi = 0x9f; // no surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f; // nothing past U+10FFFF
    } else return i;
    for (let k = 1; k <= n; k++) {
      const d = b[i + k];
      if (d === undefined) return i;
      if (k === 1 ? d < lo || d > hi : d < 0x80 || d > 0xbf) return i;
    }
    i += n + 1;
  }
  return -1;
}
