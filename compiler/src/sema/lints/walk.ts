// Visiting every node of a function body. The AST is plain data (syntax/ast.ts), so the walk is generic: every
// object reached through the node's properties, depth first, parents before children; spans are skipped. One walk
// per body collects what all the lints look at (BodyNodes), so linting costs one pass over the tree.
import type * as ast from '../../syntax/ast.js';

export type AnyNode = { readonly kind?: string; readonly id?: number } & Record<string, unknown>;

/** Calls `visit` on every object under `root` (root included). */
export function walk(root: unknown, visit: (node: AnyNode) => void): void {
  const go = (x: unknown): void => {
    if (x === null || typeof x !== 'object') return;
    if (Array.isArray(x)) {
      for (const y of x) go(y);
      return;
    }
    const o = x as AnyNode;
    visit(o);
    for (const key in o) {
      if (key === 'span' || key === 'nameSpan' || key === 'keywordSpan') continue;
      go(o[key]);
    }
  };
  go(root);
}

/** The nodes of one function (parameters and body) the lints look at. */
export interface BodyNodes {
  readonly blocks: ast.Block[];
  readonly assigns: Extract<ast.Expr, { kind: 'Assign' }>[];
  readonly unaries: Extract<ast.Expr, { kind: 'Unary' }>[];
  readonly binaries: Extract<ast.Expr, { kind: 'Binary' }>[];
  readonly identPats: Extract<ast.Pattern, { kind: 'IdentPat' }>[];
}

export function bodyNodes(decl: ast.FuncDecl & { body: ast.Block }): BodyNodes {
  const out: BodyNodes = { blocks: [], assigns: [], unaries: [], binaries: [], identPats: [] };
  walk([decl.params, decl.body], (n) => {
    switch (n.kind) {
      case 'Assign':
        out.assigns.push(n as unknown as BodyNodes['assigns'][number]);
        break;
      case 'Unary':
        out.unaries.push(n as unknown as BodyNodes['unaries'][number]);
        break;
      case 'Binary':
        out.binaries.push(n as unknown as BodyNodes['binaries'][number]);
        break;
      case 'IdentPat':
        out.identPats.push(n as unknown as BodyNodes['identPats'][number]);
        break;
      case undefined:
        if (Array.isArray(n['stmts']) && 'tail' in n) out.blocks.push(n as unknown as ast.Block);
        break;
      default:
        break;
    }
  });
  return out;
}
