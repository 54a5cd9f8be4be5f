// Visiting every node of a function body. The AST is plain data (syntax/ast.ts), so the walk is generic: every
// object reached through the node's properties, depth first, parents before children; spans are skipped. The lints
// look at the nodes they care about by `kind` (expressions, statements, patterns) or, for blocks, by `stmts`.
import type * as ast from '../../syntax/ast.js';

export type AnyNode = { readonly kind?: string; readonly id?: number } & Record<string, unknown>;

/** Calls `visit` on every object under `root` (root included), with the object that holds it. */
export function walk(root: unknown, visit: (node: AnyNode, parent: AnyNode | null) => void): void {
  const go = (x: unknown, parent: AnyNode | null): void => {
    if (x === null || typeof x !== 'object') return;
    if (Array.isArray(x)) {
      for (const y of x) go(y, parent);
      return;
    }
    const o = x as AnyNode;
    visit(o, parent);
    for (const key in o) {
      if (key === 'span' || key === 'nameSpan' || key === 'keywordSpan') continue;
      go(o[key], o);
    }
  };
  go(root, null);
}

/** Every block under `root` (a function body's own block included). */
export function blocks(root: ast.Block): ast.Block[] {
  const out: ast.Block[] = [];
  walk(root, (n) => {
    if (Array.isArray(n['stmts']) && 'tail' in n) out.push(n as unknown as ast.Block);
  });
  return out;
}

/** Every expression of one kind under `root`. */
export function exprsOfKind<K extends ast.Expr['kind']>(root: unknown, kind: K): Extract<ast.Expr, { kind: K }>[] {
  const out: Extract<ast.Expr, { kind: K }>[] = [];
  walk(root, (n) => {
    if (n.kind === kind) out.push(n as unknown as Extract<ast.Expr, { kind: K }>);
  });
  return out;
}
