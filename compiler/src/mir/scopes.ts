// The drop schedule while lowering: a stack of scopes, each with the owned locals and `defer`s registered in it, in
// order. Leaving a scope (normally or by return/break/continue/`!`) emits their drops and defers in reverse —
// LIFO, interleaved (MEMORY.md §2). Drops of values that were moved are removed or guarded later by drop elaboration.
import type * as ast from '../syntax/ast.js';
import type { LocalId } from './mir.js';

export type ScopeEntry =
  | { readonly k: 'local'; readonly id: LocalId }
  | { readonly k: 'defer'; readonly expr: ast.Expr }
  /** compiler cleanup code run at scope exit (what a consuming loop has not yet taken) */
  | { readonly k: 'emit'; readonly emit: () => void };

export interface Scope {
  readonly kind: 'fn' | 'block' | 'temps' | 'loop' | 'arm';
  readonly entries: ScopeEntry[];
  /** for 'loop' scopes: where `break` and `continue` go */
  readonly breakBlock?: number;
  readonly continueBlock?: number;
  readonly loopId?: number;
}

export class ScopeStack {
  readonly stack: Scope[] = [];

  push(kind: Scope['kind'], extra: Partial<Scope> = {}): Scope {
    const s: Scope = { kind, entries: [], ...extra };
    this.stack.push(s);
    return s;
  }

  pop(): Scope {
    return this.stack.pop()!;
  }

  get depth(): number {
    return this.stack.length;
  }

  top(): Scope {
    return this.stack[this.stack.length - 1]!;
  }

  /** The innermost enclosing temporaries scope (statement temporaries go there). */
  temps(): Scope {
    for (let i = this.stack.length - 1; i >= 0; i--) if (this.stack[i]!.kind === 'temps') return this.stack[i]!;
    return this.stack[0]!;
  }

  /** The innermost loop scope and its index. */
  loop(): { scope: Scope; index: number } | null {
    for (let i = this.stack.length - 1; i >= 0; i--) if (this.stack[i]!.kind === 'loop') return { scope: this.stack[i]!, index: i };
    return null;
  }
}
