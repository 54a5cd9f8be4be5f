// A compact S-expression rendering of the AST, for tests and `--emit`-style debugging: `(+ 1 (* 2 3))`,
// `(call f a)`, `(method v push 1)`. Types and patterns print in TML surface syntax.
import { CHAIN_STEP, elseIfChain, leftSpine } from './chains.js';
import type { Block, Expr, Item, Pattern, PathSegment, Stmt, TypeExpr } from './ast.js';

export function printPath(segments: readonly PathSegment[]): string {
  return segments.map((s) => s.name + (s.args === null ? '' : `[${s.args.map(printType).join(', ')}]`)).join('::');
}

export function printType(t: TypeExpr): string {
  switch (t.kind) {
    case 'PathType': return printPath(t.segments);
    case 'RefType': return (t.mutable ? 'mut ref ' : 'ref ') + printType(t.inner);
    case 'PtrType': return '*' + printType(t.inner);
    case 'TupleType': return `(${t.elems.map(printType).join(', ')}${t.elems.length === 1 ? ',' : ''})`;
    case 'ArrayType': return `[${printType(t.elem)}; ${printExpr(t.size)}]`;
    case 'FuncType': return `func(${t.params.map(printType).join(', ')})` + (t.ret === null ? '' : ' -> ' + printType(t.ret));
    case 'DynType': return 'dyn ' + printType(t.behavior);
    case 'ImplType': return 'impl ' + printType(t.behavior);
    case 'InferType': return '_';
  }
}

export function printPattern(p: Pattern): string {
  switch (p.kind) {
    case 'WildcardPat': return '_';
    case 'IdentPat': return (p.mutable ? 'mut ' : '') + p.name;
    case 'LiteralPat': return printExpr(p.value);
    case 'RangePat': return `${printExpr(p.lo)} ${p.inclusive ? 'through' : 'to'} ${printExpr(p.hi)}`;
    case 'TuplePat': return `(${p.elems.map(printPattern).join(', ')})`;
    case 'ArrayPat': return `[${p.elems.map(printPattern).join(', ')}]`;
    case 'RestPat': return '..' + (p.binding ?? '');
    case 'VariantPat': return `${printPath(p.path)}(${p.args.map(printPattern).join(', ')})`;
    case 'PathPat': return printPath(p.path);
    case 'StructPat': {
      const fields = p.fields.map((f) => (f.pattern.kind === 'IdentPat' && f.pattern.name === f.name && !f.pattern.mutable ? f.name : `${f.name}: ${printPattern(f.pattern)}`));
      if (p.rest) fields.push('..');
      return `${printPath(p.path)} { ${fields.join(', ')} }`;
    }
    case 'OrPat': return p.alts.map(printPattern).join(' | ');
  }
}

const UNARY_NAMES: Record<string, string> = { '-': 'neg', not: 'not', '~': '~', '*': 'deref', ref: 'ref', mutref: 'mutref', '&': 'addr' };

function list(head: string, parts: readonly string[]): string {
  return `(${[head, ...parts].join(' ')})`;
}

/** Chain links printed ahead (see printExpr): a long chain is printed without recursing once per link. */
const printed = new Map<Expr, string>();

export function printExpr(e: Expr): string {
  const done = printed.get(e);
  if (done !== undefined) return done;
  // a long left spine: its links bottom-up, every CHAIN_STEP-th one remembered (syntax/chains.ts)
  const spine = leftSpine(e, (x) => printed.has(x));
  const ahead: Expr[] = [];
  for (let i = spine.length - 1 - CHAIN_STEP; i > 0; i -= CHAIN_STEP) {
    printed.set(spine[i]!, printOne(spine[i]!));
    ahead.push(spine[i]!);
  }
  // an `else if` chain: from its end
  if ((e.kind === 'If' || e.kind === 'IfLet') && e.else !== null && (e.else.kind === 'If' || e.else.kind === 'IfLet')) {
    const { links } = elseIfChain(e);
    for (let i = links.length - 1; i > 0; i--) {
      printed.set(links[i]!, printOne(links[i]!));
      ahead.push(links[i]!);
    }
  }
  const out = printOne(e);
  for (const x of ahead) printed.delete(x);
  return out;
}

function printOne(e: Expr): string {
  switch (e.kind) {
    case 'IntLit': return e.value.toString() + (e.suffix ?? '');
    case 'FloatLit': return (Number.isInteger(e.value) ? e.value.toFixed(1) : String(e.value)) + (e.suffix ?? '');
    case 'StrLit': return JSON.stringify(e.value);
    case 'InterpStr': return list('interp', e.parts.map((p) => (p.kind === 'text' ? JSON.stringify(p.text) : printExpr(p.expr))));
    case 'CharLit': return `'${String.fromCodePoint(e.value)}'`;
    case 'BoolLit': return String(e.value);
    case 'NullLit': return 'null';
    case 'UnitLit': return '()';
    case 'Path': return printPath(e.segments);
    case 'Binary': return list(e.op, [printExpr(e.left), printExpr(e.right)]);
    case 'Unary': return list(UNARY_NAMES[e.op] ?? e.op, [printExpr(e.operand)]);
    case 'Assign': return list(e.op, [printExpr(e.target), printExpr(e.value)]);
    case 'Call': return list('call', [printExpr(e.callee), ...e.args.map(printExpr)]);
    case 'MethodCall': {
      const name = e.name + (e.typeArgs === null ? '' : `[${e.typeArgs.map(printType).join(', ')}]`);
      return list('method', [printExpr(e.receiver), name, ...e.args.map(printExpr)]);
    }
    case 'Field': return list('field', [printExpr(e.object), e.name]);
    case 'Index': return list('index', [printExpr(e.object), printExpr(e.index)]);
    case 'Try': return list('try', [printExpr(e.operand)]);
    case 'Cast': return list('as', [printExpr(e.operand), printType(e.type)]);
    case 'Is': return list('is', [printExpr(e.operand), printType(e.type)]);
    case 'Range': return list(e.inclusive ? 'through' : 'to', [printExpr(e.start), printExpr(e.end)]);
    case 'If': return list('if', [printExpr(e.cond), printExpr(e.then), ...(e.else === null ? [] : [printExpr(e.else)])]);
    case 'IfLet': return list('if-let', [printPattern(e.pattern), printExpr(e.scrutinee), printExpr(e.then), ...(e.else === null ? [] : [printExpr(e.else)])]);
    case 'Ternary': return list('?', [printExpr(e.cond), printExpr(e.then), printExpr(e.else)]);
    case 'When': return list('when', [printExpr(e.scrutinee), ...e.arms.map((a) => list('arm', [printPattern(a.pattern), ...(a.guard === null ? [] : ['if', printExpr(a.guard)]), printExpr(a.body)]))]);
    case 'Loop': {
      const head = e.decl !== null ? `(var ${e.decl.name}${e.decl.type === null ? '' : ': ' + printType(e.decl.type)})` : null;
      return list('loop', [...(head === null ? [] : [head]), ...(e.cond === null ? [] : [printExpr(e.cond)]), printBlock(e.body)]);
    }
    case 'While': return list('while', [printExpr(e.cond), printBlock(e.body)]);
    case 'For': return list('for', [printPattern(e.pattern), printExpr(e.iter), printBlock(e.body)]);
    case 'Block': return printBlock(e.block);
    case 'Lowlevel': return list('lowlevel', [printBlock(e.block)]);
    case 'Closure': {
      const params = e.params.map((p) => printPattern(p.pattern) + (p.type === null ? '' : ': ' + printType(p.type)));
      return list(e.isMove ? 'move-do' : 'do', [`(${params.join(', ')})`, ...(e.ret === null ? [] : ['->', printType(e.ret)]), printExpr(e.body)]);
    }
    case 'StructLit': return list('struct', [printPath(e.path), ...e.fields.map((f) => `(${f.name} ${printExpr(f.value)})`), ...(e.base === null ? [] : [`(.. ${printExpr(e.base)})`])]);
    case 'Tuple': return list('tuple', e.elems.map(printExpr));
    case 'ArrayLit': return `[${e.elems.map(printExpr).join(' ')}]`;
    case 'ArrayRepeat': return `[${printExpr(e.value)}; ${printExpr(e.count)}]`;
    case 'Return': return e.value === null ? '(return)' : list('return', [printExpr(e.value)]);
    case 'Break': return e.value === null ? '(break)' : list('break', [printExpr(e.value)]);
    case 'Continue': return '(continue)';
    case 'Await': return list('await', [printExpr(e.operand)]);
    case 'Error': return '<error>';
  }
}

export function printStmt(s: Stmt): string {
  switch (s.kind) {
    case 'Let': {
      let text = `(${s.mutable ? 'var' : 'let'} ${printPattern(s.pattern)}`;
      if (s.type !== null) text += ': ' + printType(s.type);
      if (s.init !== null) text += ' = ' + printExpr(s.init);
      if (s.elseBlock !== null) text += ' else ' + printBlock(s.elseBlock);
      return text + ')';
    }
    case 'ExprStmt': return printExpr(s.expr) + (s.semi ? ';' : '');
    case 'Defer': return list('defer', [printExpr(s.expr)]);
    case 'ItemStmt': return list('item', [s.item.kind, 'name' in s.item ? s.item.name : '']);
  }
}

export function printBlock(b: Block): string {
  const parts = b.stmts.map(printStmt);
  if (b.tail !== null) parts.push(printExpr(b.tail));
  return `{${parts.join(' ')}}`;
}

/** One line per item: its kind and name, and for functions the signature. */
export function printItemHeader(item: Item): string {
  switch (item.kind) {
    case 'Func': return `func ${item.name}`;
    case 'Impl': return `impl ${item.behavior === null ? '' : printType(item.behavior) + ' for '}${printType(item.target)}`;
    case 'Use': return `use ${item.path.join('::')}`;
    default: return `${item.kind.toLowerCase()} ${item.name}`;
  }
}
