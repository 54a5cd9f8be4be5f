// The formatter's guarantee that it changes layout only: a formatted item is parsed again and must give the same
// tree (ignoring ids and positions) from the same tokens (ignoring `,` `;` and parentheses, which layout may add
// or drop). An item that fails is written as it was; the tests count how often that happens.
import type { Item } from '../ast.js';
import { DiagnosticBag } from '../diagnostics.js';
import { tokenize } from '../lexer.js';
import { parseModule } from '../parser.js';
import { SourceFile } from '../source.js';
import type { Token } from '../tokens.js';

const POSITION_KEYS = new Set(['id', 'span', 'nameSpan', 'keywordSpan']);

/** Deep equality of two syntax trees, ignoring node ids and spans. */
export function sameTree(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => !POSITION_KEYS.has(k) && (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => !POSITION_KEYS.has(k) && (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => sameTree((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

const LAYOUT_TOKENS = new Set([',', ';', '(', ')', 'eof']);
const TEXT_KINDS = new Set(['ident', 'int', 'float', 'string', 'interp', 'char']);

/** What a token stream says, without layout: kinds, and the text of names and literals. */
export function tokenWords(tokens: readonly Token[]): string[] {
  return tokens.filter((t) => !LAYOUT_TOKENS.has(t.kind)).map((t) => (TEXT_KINDS.has(t.kind) ? t.kind + ':' + t.text : t.kind));
}

/** Whether `text`, parsed alone, is exactly `original` (an item whose tokens were `originalTokens`). */
export function sameItem(original: Item, originalTokens: readonly Token[], text: string, fileName: string): boolean {
  const file = new SourceFile(fileName, text);
  const diags = new DiagnosticBag();
  const reparsed = parseModule(file, diags);
  if (diags.hasErrors() || reparsed.items.length !== 1) return false;
  if (!sameTree(original, reparsed.items[0])) return false;
  const a = tokenWords(originalTokens);
  const b = tokenWords(tokenize(file, new DiagnosticBag()));
  return a.length === b.length && a.every((w, i) => w === b[i]);
}
