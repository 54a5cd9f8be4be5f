// Definite initialisation in constructors (LANGUAGE.md §2.3): every own field without a default must be assigned
// before the constructor returns or otherwise uses `this`. The analysis follows the body's statements in order;
// `if`/`else` and `when` initialise what all their branches initialise; loops and closures initialise nothing.
import type * as ast from '../syntax/ast.js';
import type { DiagSink } from './error_type.js';
import type { Span } from '../syntax/source.js';
import type { AdtDef } from './types.js';

type Assigned = Set<string> | 'diverges';

/** `fallible`: the constructor returns `Outcome[This, E]`, so a `return` is an error exit (`return Err(e)`) after
 * which the partial object is freed: it needs nothing initialised. */
export function checkConstructorInit(cls: AdtDef, body: ast.Block, diags: DiagSink, fallible = false): void {
  const start = cls.cls?.ownFieldStart ?? 0;
  const required = cls.fields.slice(start).filter((f) => !f.hasDefault).map((f) => f.name);
  if (required.length === 0) return;
  const known = new Set(cls.fields.map((f, i) => (i < start || f.hasDefault ? f.name : '')).filter((n) => n));
  const c = new InitCheck(required, known, diags, fallible);
  const end = c.block(body, new Set());
  if (end !== 'diverges') c.requireAll(end, body.span, 'the constructor ends');
}

class InitCheck {
  private reported = false;

  constructor(
    private readonly required: string[],
    private readonly known: Set<string>,
    private readonly diags: DiagSink,
    private readonly fallible: boolean,
  ) {}

  requireAll(a: Set<string>, span: Span, when: string): void {
    const missing = this.required.filter((f) => !a.has(f));
    if (missing.length === 0 || this.reported) return;
    this.reported = true;
    this.diags.error('E0720', `field${missing.length > 1 ? 's' : ''} ${missing.map((m) => `\`${m}\``).join(', ')} ${missing.length > 1 ? 'are' : 'is'} not initialised when ${when}`, span, {
      label: 'not every field is initialised here',
      notes: ['assign every field of the class (`this.field = …`) in every path through the constructor, or give it a default'],
    });
  }

  block(b: ast.Block, inAssigned: Set<string>): Assigned {
    let a: Assigned = new Set(inAssigned);
    for (const s of b.stmts) {
      if (a === 'diverges') return a;
      if (s.kind === 'ExprStmt') a = this.expr(s.expr, a);
      else if (s.kind === 'Let' && s.init) {
        a = this.expr(s.init, a);
        if (a !== 'diverges' && s.elseBlock) this.block(s.elseBlock, a);
      } else if (s.kind === 'Defer') this.uses(s.expr, a);
    }
    if (a !== 'diverges' && b.tail) a = this.expr(b.tail, a);
    return a;
  }

  /** The fields assigned after evaluating `e`, given those assigned before. */
  private expr(e: ast.Expr, a: Set<string>): Assigned {
    switch (e.kind) {
      case 'Assign': {
        const t = e.target;
        if (e.op === '=' && t.kind === 'Field' && isThis(t.object)) {
          this.uses(e.value, a);
          return new Set([...a, t.name]);
        }
        this.uses(e, a);
        return a;
      }
      case 'Block':
      case 'Lowlevel':
        return this.block(e.block, a);
      case 'If': {
        this.uses(e.cond, a);
        const t = this.expr(e.then, a);
        const f = e.else ? this.expr(e.else, a) : a;
        return meet(t, f);
      }
      case 'When': {
        this.uses(e.scrutinee, a);
        let out: Assigned = 'diverges';
        for (const arm of e.arms) out = meet(out, this.expr(arm.body, a));
        return e.arms.length ? out : a;
      }
      case 'Return':
        if (e.value) this.uses(e.value, a);
        if (!this.fallible) this.requireAll(a, e.span, 'the constructor returns');
        return 'diverges';
      default:
        this.uses(e, a);
        return a;
    }
  }

  /** Reads of `this` in `e`: its fields once assigned; `this` itself (a call, a copy) only when complete. */
  /** Reads of `this` and its fields anywhere in `root`, in source order; an explicit stack (chains may be long). */
  private uses(root: unknown, a: Set<string>): void {
    const stack: unknown[] = [root];
    while (stack.length > 0 && !this.reported) {
      const e = stack.pop();
      if (e === null || typeof e !== 'object') continue;
      if (Array.isArray(e)) {
        for (let i = e.length - 1; i >= 0; i--) stack.push(e[i]);
        continue;
      }
      const n = e as { kind?: string; span?: Span };
      if (n.kind === 'Field') {
        const f = e as Extract<ast.Expr, { kind: 'Field' }>;
        if (isThis(f.object)) {
          if (!a.has(f.name) && !this.known.has(f.name) && this.required.includes(f.name)) {
            this.reported = true;
            this.diags.error('E0720', `field \`${f.name}\` is read before it is initialised`, f.span, { label: 'not initialised yet' });
          }
          continue;
        }
      }
      if (n.kind === 'Path' && isThis(e as ast.Expr)) {
        this.requireAll(a, n.span!, '`this` is used');
        continue;
      }
      const kids = Object.entries(e).filter(([k, v]) => k !== 'span' && typeof v === 'object');
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]![1]);
    }
  }
}

function isThis(e: ast.Expr): boolean {
  return e.kind === 'Path' && e.segments.length === 1 && e.segments[0]!.name === 'this';
}

function meet(x: Assigned, y: Assigned): Assigned {
  if (x === 'diverges') return y;
  if (y === 'diverges') return x;
  return new Set([...x].filter((f) => y.has(f)));
}
