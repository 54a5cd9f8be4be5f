// Which syntax is under the cursor: the chain of AST objects whose span contains an offset, outermost first. The AST
// is plain data (syntax/ast.ts), so the walk is generic: any object with a `span` of the file is a candidate — nodes
// with an `id` (expressions, patterns, items, types) and the id-less parts the chain needs too (path segments,
// params, fields, variants). A span's end counts as inside, so a cursor just after a name still finds it.
import type { Span } from '../syntax/source.js';

export interface SyntaxObject {
  readonly span: Span;
  readonly kind?: string;
  readonly id?: number;
  readonly [key: string]: unknown;
}

function isSpan(v: unknown): v is Span {
  return typeof v === 'object' && v !== null && typeof (v as Span).start === 'number' && typeof (v as Span).file === 'string';
}

function hasSpan(v: unknown): v is SyntaxObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && isSpan((v as { span?: unknown }).span);
}

/** The objects containing `offset`, outermost first; `root` is a module, an item, or any part of one. */
export function nodesAt(root: unknown, file: string, offset: number): SyntaxObject[] {
  const chain: SyntaxObject[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (const x of v) visit(x);
      return;
    }
    if (typeof v !== 'object' || v === null || isSpan(v)) return;
    if (hasSpan(v)) {
      const s = v.span;
      if (s.file !== file || offset < s.start || offset > s.end) return;
      chain.push(v);
    }
    for (const [key, child] of Object.entries(v)) if (key !== 'span' && key !== 'nameSpan') visit(child);
  };
  visit(root);
  // a walk in source order: two siblings that touch (rare: tokens are separated by at least a `.` or `(`) both
  // appear, the later one last
  return chain;
}

/** The innermost object of `chain` matching `pred`. */
export function innermost<T extends SyntaxObject>(chain: readonly SyntaxObject[], pred: (n: SyntaxObject) => n is T): T | null;
export function innermost(chain: readonly SyntaxObject[], pred: (n: SyntaxObject) => boolean): SyntaxObject | null;
export function innermost(chain: readonly SyntaxObject[], pred: (n: SyntaxObject) => boolean): SyntaxObject | null {
  for (let i = chain.length - 1; i >= 0; i--) if (pred(chain[i]!)) return chain[i]!;
  return null;
}

/** Whether `offset` is within `span` (its end included). */
export function spanHas(span: Span, offset: number): boolean {
  return offset >= span.start && offset <= span.end;
}
