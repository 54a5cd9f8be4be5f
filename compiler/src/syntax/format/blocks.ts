// Blocks and statements. A block is printed on one line (`{ x + 1 }`) only when it was written on one line, holds
// at most one statement and no comment, and fits; otherwise one statement per line. `;` is kept after an
// expression statement (it decides whether the block has a value) and dropped after `let` and `defer`.
import type { Block, Stmt } from '../ast.js';
import { expr } from './exprs.js';
import { item } from './items.js';
import { pattern } from './patterns.js';
import { pad, WIDTH, type ListElement, type Printer } from './printer.js';
import { type } from './types.js';

/** `block` whose `{` is at column `col` of a line indented `indent` levels; `broken`: never on one line (unless
 * empty). An empty block is written `{}` or `{ }` as in the source. */
export function block(p: Printer, b: Block, indent: number, col: number, broken = false): string {
  const inner = indent + 1;
  const elements: ListElement[] = b.stmts.map((s) => ({ start: s.span.start, end: s.span.end, render: () => stmt(p, s, inner) }));
  const tail = b.tail;
  if (tail !== null) elements.push({ start: tail.span.start, end: tail.span.end, render: () => expr(p, tail, { indent: inner, col: inner * 4, head: false }) });
  const empty = p.emptyBraces(b.span.start);
  if (elements.length <= 1 && p.oneLine(b.span.start, b.span.end) && !p.comments.anyIn(b.span.start, b.span.end) && !(broken && elements.length > 0)) {
    if (elements.length === 0) return empty;
    const saved = p.comments.save();
    const text = elements[0]!.render();
    if (!text.includes('\n') && col + text.length + 4 <= WIDTH) return `{ ${text} }`;
    p.comments.restore(saved);
  }
  const lines = p.list(elements, b.span.start + 1, b.span.end - 1, inner);
  if (lines.length === 0) return empty;
  return '{\n' + lines.join('\n') + '\n' + pad(indent) + '}';
}

/** One statement at `indent` (its first line unindented). */
export function stmt(p: Printer, s: Stmt, indent: number): string {
  const col = indent * 4;
  switch (s.kind) {
    case 'Let': {
      const keyword = p.src.startsWith('var', s.span.start) ? 'var' : s.mutable ? 'let mut' : 'let';
      let out = keyword + ' ' + pattern(p, s.pattern) + (s.type === null ? '' : ': ' + type(p, s.type));
      if (s.init !== null) out += ' = ' + expr(p, s.init, { indent, col: col + out.length + 3, head: false });
      if (s.elseBlock !== null) out += ' else ' + block(p, s.elseBlock, indent, col + out.length + 6);
      return out;
    }
    case 'ExprStmt': return expr(p, s.expr, { indent, col, head: false }) + (s.semi ? ';' : '');
    case 'Defer': return 'defer ' + expr(p, s.expr, { indent, col: col + 6, head: false });
    case 'ItemStmt': return item(p, s.item, indent);
  }
}
