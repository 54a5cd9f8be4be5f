// Spans for generated code. `@derive` and `@flags` write TML text and parse it; that text has no place in the
// user's file, so every span of the parsed tree is replaced by the span of the declaration it was written for, and
// anything reported inside it points at the user's code.
import type { Span } from './source.js';

/** Gives every span in `node` (an AST just parsed from generated text, changed in place) `span`; a `nameSpan`
 * property gets `nameSpan` (the declaration's name), which defaults to `span`. */
export function respan(node: unknown, span: Span, nameSpan: Span = span): void {
  if (Array.isArray(node)) {
    for (const x of node) respan(x, span, nameSpan);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const o = node as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    const v = o[key];
    if (isSpan(v)) o[key] = key === 'nameSpan' ? nameSpan : span;
    else respan(v, span, nameSpan);
  }
}

function isSpan(v: unknown): v is Span {
  return v !== null && typeof v === 'object' && typeof (v as Span).file === 'string' && typeof (v as Span).start === 'number' && typeof (v as Span).end === 'number' && Object.keys(v).length === 3;
}
