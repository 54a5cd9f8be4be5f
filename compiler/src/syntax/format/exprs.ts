// Expressions. The tree has no parentheses: they are put back where precedence (parse_expr.ts) needs them, by
// comparing an operand's binding level with what its position requires. Operators and literals are spelled as
// written (`&&` or `and`, `xor` or `^`, `0xFF`, escapes), so formatting changes layout only.
import type { BinaryOp, Block, Expr } from '../ast.js';
import { block } from './blocks.js';
import { literalText, pattern } from './patterns.js';
import { fits, lastLineLength, pad, WIDTH, type Printer } from './printer.js';
import { path, type } from './types.js';

/** Where an expression is printed: block indentation, the column it starts at, and whether it is in the head of
 * `if`/`while`/`for`/`when` (where `Name {` would open the body, so a struct literal needs parentheses). */
export interface Ctx {
  readonly indent: number;
  readonly col: number;
  readonly head: boolean;
}

// binding levels, loosest first: what an operand position requires is compared with these
const OPEN = 0; // assignment, closures, `return v`, `break v`, `if c then a else b`: they extend to the right
const TERNARY = 1;
const CAST = 11; // `as`, `is`, `to`, `through`
const PREFIX = 12;
const POSTFIX = 13;
const PRIMARY = 14;

const BINARY_LEVEL: Readonly<Record<BinaryOp, number>> = {
  or: 2, and: 3, '==': 4, '!=': 4, '<': 4, '>': 4, '<=': 4, '>=': 4, '|': 5, '^': 6, '&': 7, '<<': 8, '>>': 8,
  '+': 9, '-': 9, '*': 10, '/': 10, '%': 10,
};
const COMPARISON = 4;
/** Expressions whose parentheses in the source are dropped: `(x)` is `x` (but `(2.5).tag()` stays). */
const LEAVES = new Set<Expr['kind']>(['Path', 'StrLit', 'InterpStr', 'CharLit', 'BoolLit', 'NullLit', 'UnitLit', 'Tuple']);
/** Other spellings of an operator, kept when the source uses them. */
const SPELLINGS: Partial<Readonly<Record<BinaryOp, readonly string[]>>> = {
  and: ['&&'], or: ['||'], '^': ['xor'], '<<': ['shl'], '>>': ['shr'],
};

function level(p: Printer, e: Expr): number {
  switch (e.kind) {
    case 'Assign': case 'Closure': return OPEN;
    case 'Return': case 'Break': return e.value === null ? PRIMARY : OPEN;
    case 'If': case 'IfLet': return isBlockForm(e) ? PRIMARY : OPEN;
    case 'Ternary': return TERNARY;
    case 'Binary': return BINARY_LEVEL[e.op];
    case 'Cast': case 'Is': case 'Range': return CAST;
    case 'Unary': return PREFIX;
    case 'Await': return isPrefixAwait(p, e) ? PREFIX : POSTFIX;
    case 'Call': case 'MethodCall': case 'Field': case 'Index': case 'Try': return POSTFIX;
    default: return PRIMARY;
  }
}

function isPrefixAwait(p: Printer, e: Expr): boolean {
  return p.src.startsWith('await', e.span.start);
}

/** `if c { } else { }` (true) or `if c then a else b`: the block form needs blocks in both branches. */
export function isBlockForm(e: Extract<Expr, { kind: 'If' | 'IfLet' }>): boolean {
  if (e.then.kind !== 'Block') return false;
  return e.else === null || e.else.kind === 'Block' || ((e.else.kind === 'If' || e.else.kind === 'IfLet') && isBlockForm(e.else));
}

/** `e` where its position requires binding level `min`: parenthesised when it binds more loosely. */
export function expr(p: Printer, e: Expr, ctx: Ctx, min = OPEN): string {
  const lvl = level(p, e);
  const needsParens = lvl < min || (ctx.head && e.kind === 'StructLit') || (!LEAVES.has(e.kind) && p.parenthesized(e.span));
  if (!needsParens) return bare(p, e, ctx);
  return '(' + bare(p, e, { indent: ctx.indent, col: ctx.col + 1, head: false }) + ')';
}

function after(ctx: Ctx, printed: string, extra: number): Ctx {
  const col = printed.includes('\n') ? lastLineLength(printed) : ctx.col + printed.length;
  return { indent: ctx.indent, col: col + extra, head: ctx.head };
}

function bare(p: Printer, e: Expr, ctx: Ctx): string {
  switch (e.kind) {
    case 'IntLit': case 'FloatLit': case 'StrLit': case 'InterpStr': case 'CharLit': return literalText(p, e);
    case 'BoolLit': return e.value ? 'true' : 'false';
    case 'NullLit': return 'null';
    case 'UnitLit': return '()';
    case 'Path': return path(p, e.segments);
    case 'Binary': return binary(p, e, ctx);
    case 'Unary': return unary(p, e, ctx);
    case 'Assign': {
      const target = expr(p, e.target, ctx, TERNARY);
      return `${target} ${e.op} ` + expr(p, e.value, after(ctx, target, e.op.length + 2));
    }
    case 'Ternary': {
      const cond = expr(p, e.cond, ctx, TERNARY + 1);
      const then = expr(p, e.then, after(ctx, cond, 3), TERNARY);
      return `${cond} ? ${then} : ` + expr(p, e.else, after(ctx, cond + then, 6), TERNARY);
    }
    case 'Call': {
      // `(j.run)()` calls a field; `j.run()` would be a method call
      const callee = e.callee.kind === 'Field' ? '(' + bare(p, e.callee, { ...ctx, col: ctx.col + 1 }) + ')' : expr(p, e.callee, ctx, POSTFIX);
      return callee + args(p, e.args, after(ctx, callee, 0));
    }
    case 'MethodCall': return chain(p, e, ctx);
    case 'Field': return expr(p, e.object, ctx, POSTFIX) + '.' + e.name;
    case 'Index': {
      const object = expr(p, e.object, ctx, POSTFIX);
      return object + '[' + expr(p, e.index, { ...after(ctx, object, 1), head: false }) + ']';
    }
    case 'Try': return expr(p, e.operand, ctx, POSTFIX) + '!';
    case 'Cast': case 'Is': return expr(p, e.operand, ctx, CAST) + (e.kind === 'Cast' ? ' as ' : ' is ') + type(p, e.type);
    case 'Range': {
      const start = expr(p, e.start, ctx, CAST);
      const word = e.inclusive ? ' through ' : ' to ';
      return start + word + expr(p, e.end, after(ctx, start, word.length), PREFIX);
    }
    case 'If': case 'IfLet': return ifChain(p, e, ctx);
    case 'When': return when(p, e, ctx);
    case 'Loop': return loop(p, e, ctx);
    case 'While': return 'while ' + headThen(p, e.cond, e.body, ctx, 6);
    case 'For': {
      const pat = 'for ' + pattern(p, e.pattern) + ' in ';
      return pat + headThen(p, e.iter, e.body, ctx, pat.length);
    }
    case 'Block': return block(p, e.block, ctx.indent, ctx.col);
    case 'Lowlevel': return 'lowlevel ' + block(p, e.block, ctx.indent, ctx.col + 9);
    case 'Closure': return closure(p, e, ctx);
    case 'StructLit': return structLit(p, e, ctx);
    case 'Tuple': {
      if (e.elems.length === 1) return '(' + expr(p, e.elems[0]!, { ...ctx, col: ctx.col + 1, head: false }) + ',)';
      return list(p, '(', ')', e.elems.map((x) => (c: Ctx) => expr(p, x, c)), ctx, false);
    }
    case 'ArrayLit': return list(p, '[', ']', e.elems.map((x) => (c: Ctx) => expr(p, x, c)), ctx, !p.oneLine(e.span.start, e.span.end), true);
    case 'ArrayRepeat': {
      const inner = { ...ctx, col: ctx.col + 1, head: false };
      const value = expr(p, e.value, inner);
      return '[' + value + '; ' + expr(p, e.count, after(inner, value, 2)) + ']';
    }
    case 'Return': case 'Break': {
      const word = e.kind === 'Return' ? 'return' : 'break';
      return e.value === null ? word : word + ' ' + expr(p, e.value, after(ctx, word, 1));
    }
    case 'Continue': return 'continue';
    case 'Await': return isPrefixAwait(p, e) ? 'await ' + expr(p, e.operand, ctx, PREFIX) : expr(p, e.operand, ctx, POSTFIX) + '.await';
    case 'Error': return p.src.slice(e.span.start, e.span.end);
  }
}

function binary(p: Printer, e: Extract<Expr, { kind: 'Binary' }>, ctx: Ctx): string {
  const lvl = BINARY_LEVEL[e.op];
  // comparisons do not chain: a comparison operand of a comparison needs parentheses on both sides
  const left = expr(p, e.left, ctx, lvl === COMPARISON ? lvl + 1 : lvl);
  const written = p.src.slice(e.left.span.end, e.right.span.start).replace(/\/\/.*|\/\*[\s\S]*?\*\/|[()\s]/g, '');
  const op = SPELLINGS[e.op]?.includes(written) ? written : e.op;
  return `${left} ${op} ` + expr(p, e.right, after(ctx, left, op.length + 2), lvl + 1);
}

function unary(p: Printer, e: Extract<Expr, { kind: 'Unary' }>, ctx: Ctx): string {
  let op: string;
  switch (e.op) {
    case 'not': op = p.src.startsWith('!', e.span.start) ? '!' : 'not '; break;
    case 'ref': op = 'ref '; break;
    case 'mutref': op = 'mut ref '; break;
    default: op = e.op;
  }
  const operand = expr(p, e.operand, after(ctx, op, 0), PREFIX);
  // `-(-x)` and `- -x` are the same tree; `&&x` would lex as `and`
  if ((op === '-' && operand.startsWith('-')) || (op === '&' && operand.startsWith('&'))) {
    return op + '(' + operand + ')';
  }
  return op + operand;
}

/** `(a, b)` on one line, or one per line with a trailing comma when it does not fit (or `broken`). A last element
 * that spans lines (a closure with a block) may stay on the line of the opening delimiter, except in a literal
 * that keeps its source layout (`layoutKept`): there it would read as written broken, and break the next time. */
export function list(p: Printer, open: string, close: string, items: readonly ((c: Ctx) => string)[], ctx: Ctx, broken: boolean, layoutKept = false): string {
  const saved = p.comments.save();
  if (!broken || items.length === 0) {
    let col = ctx.col + open.length;
    const flat: string[] = [];
    for (const item of items) {
      const text = item({ indent: ctx.indent, col, head: false });
      flat.push(text);
      col = text.includes('\n') ? lastLineLength(text) : col + text.length + 2;
    }
    const joined = open + flat.join(', ') + close;
    const firstLine = joined.split('\n', 1)[0]!;
    const onlyLastMultiline = layoutKept ? !joined.includes('\n') : flat.slice(0, -1).every((t) => !t.includes('\n'));
    if (onlyLastMultiline && ctx.col + firstLine.length <= WIDTH && (joined.includes('\n') || fits(joined, ctx.col))) return joined;
    if (items.length === 0) return joined;
    p.comments.restore(saved);
  }
  const inner = ctx.indent + 1;
  const lines = items.map((item) => pad(inner) + item({ indent: inner, col: inner * 4, head: false }) + ',');
  // one element too long for its own line (a long string): breaking would not make it fit
  if (items.length === 1 && !broken && lines[0]!.length > WIDTH && !lines[0]!.includes('\n')) {
    p.comments.restore(saved);
    return open + items[0]!({ indent: ctx.indent, col: ctx.col + open.length, head: false }) + close;
  }
  return open + '\n' + lines.join('\n') + '\n' + pad(ctx.indent) + close;
}

function args(p: Printer, list_: readonly Expr[], ctx: Ctx): string {
  return list(p, '(', ')', list_.map((a) => (c: Ctx) => expr(p, a, c)), ctx, false);
}

function structLit(p: Printer, e: Extract<Expr, { kind: 'StructLit' }>, ctx: Ctx): string {
  const head = path(p, e.path) + ' ';
  const items = e.fields.map((f) => (c: Ctx) => {
    const v = f.value;
    // the shorthand `Point { x }` stays shorthand, and `x: x` stays as written
    if (!p.src.slice(f.span.start, f.span.end).includes(':') && v.kind === 'Path' && v.segments.length === 1) return f.name;
    return f.name + ': ' + expr(p, v, { ...c, col: c.col + f.name.length + 2 });
  });
  if (e.base !== null) {
    const base = e.base;
    items.push((c: Ctx) => '..' + expr(p, base, { ...c, col: c.col + 2 }));
  }
  if (items.length === 0) return head + p.emptyBraces(p.braceAfter(e.span.start));
  const broken = !p.oneLine(e.span.start, e.span.end);
  const text = list(p, '{ ', ' }', items, after(ctx, head, 0), broken, true);
  // broken: `{` then the fields, without the inner spaces of the one-line form
  return head + (text.startsWith('{ \n') ? '{\n' + text.slice(3).replace(/ \}$/, '}') : text);
}

type Link = Extract<Expr, { kind: 'MethodCall' | 'Field' | 'Try' }>;

/**
 * A method chain `root.a().b.c()!`, printed as a loop over its links (a chain may be thousands long). When it does
 * not fit on one line and has two calls or more, every call goes on its own line, indented (a newline before
 * `.` continues an expression): `items\n    .iter()\n    .map(…)`; fields and `!` stay with the link before.
 */
function chain(p: Printer, e: Link, ctx: Ctx): string {
  const links: Link[] = [];
  let root: Expr = e;
  while (root.kind === 'MethodCall' || root.kind === 'Field' || root.kind === 'Try') {
    links.push(root);
    root = root.kind === 'MethodCall' ? root.receiver : root.kind === 'Field' ? root.object : root.operand;
  }
  links.reverse();
  const saved = p.comments.save();
  const flat = chainOnce(p, root, links, ctx, false);
  const calls = links.filter((l) => l.kind === 'MethodCall').length;
  const firstLine = flat.split('\n', 1)[0]!;
  const argsBroke = flat.includes('\n') && firstLine.endsWith('(');
  if (calls < 2 || (ctx.col + firstLine.length <= WIDTH && !argsBroke)) return flat;
  p.comments.restore(saved);
  return chainOnce(p, root, links, ctx, true);
}

function chainOnce(p: Printer, root: Expr, links: readonly Link[], ctx: Ctx, broken: boolean): string {
  let out = expr(p, root, ctx, POSTFIX);
  const inner: Ctx = { indent: broken ? ctx.indent + 1 : ctx.indent, col: 0, head: ctx.head };
  for (const link of links) {
    if (link.kind === 'Try') {
      out += '!';
      continue;
    }
    if (broken && link.kind === 'MethodCall') out += '\n' + pad(inner.indent);
    out += '.' + link.name;
    if (link.kind === 'MethodCall') {
      out += link.typeArgs === null ? '' : `[${link.typeArgs.map((t) => type(p, t)).join(', ')}]`;
      out += args(p, link.args, after(broken ? inner : ctx, out, 0));
    }
  }
  return out;
}

/** `if c { } else if d { } else { }` or `if c then a else b`, as one loop over the `else if` chain. A chain that
 * does not fit on one line has every block broken (not `{ a } else {` then a broken one). */
function ifChain(p: Printer, first: Extract<Expr, { kind: 'If' | 'IfLet' }>, ctx: Ctx): string {
  const saved = p.comments.save();
  const text = ifChainOnce(p, first, ctx, false);
  if (!text.includes('\n') || first.else === null) return text;
  p.comments.restore(saved);
  return ifChainOnce(p, first, ctx, true);
}

function ifChainOnce(p: Printer, first: Extract<Expr, { kind: 'If' | 'IfLet' }>, ctx: Ctx, broken: boolean): string {
  let out = '';
  let e: Expr | null = first;
  while (e !== null && (e.kind === 'If' || e.kind === 'IfLet')) {
    const link: Extract<Expr, { kind: 'If' | 'IfLet' }> = e;
    const headText = link.kind === 'If' ? 'if ' : 'if let ' + pattern(p, link.pattern) + ' = ';
    const headExpr = link.kind === 'If' ? link.cond : link.scrutinee;
    const c = after(ctx, out, 0);
    if (isBlockForm(link)) {
      out += headText + headThen(p, headExpr, (link.then as Extract<Expr, { kind: 'Block' }>).block, c, headText.length, broken);
    } else {
      const cond = expr(p, headExpr, { ...after(c, headText, 0), head: true });
      out += headText + cond + ' then ' + expr(p, link.then, after(c, headText + cond, 6));
    }
    e = link.else;
    if (e === null) break;
    out += ' else ';
    if (e.kind !== 'If' && e.kind !== 'IfLet') {
      out += e.kind === 'Block' && isBlockForm(link) ? block(p, e.block, ctx.indent, after(ctx, out, 0).col, broken) : expr(p, e, after(ctx, out, 0));
      break;
    }
  }
  return out;
}

/** `HEAD {` body `}` for `while`, `for`, `if`: the head is printed without struct literals. */
function headThen(p: Printer, head: Expr, body: Block, ctx: Ctx, prefix: number, broken = false): string {
  const h = expr(p, head, { indent: ctx.indent, col: ctx.col + prefix, head: true });
  return h + ' ' + block(p, body, ctx.indent, ctx.col + prefix + h.length + 1, broken);
}

function loop(p: Printer, e: Extract<Expr, { kind: 'Loop' }>, ctx: Ctx): string {
  let head = 'loop ';
  if (e.decl !== null && e.cond !== null && e.cond.kind === 'Binary') {
    const keyword = p.src.startsWith('let', e.decl.span.start) ? 'let' : 'var';
    const mut = /^\w+\s+mut\b/.test(p.src.slice(e.decl.span.start, e.decl.span.end)) ? 'mut ' : '';
    const decl = `(${keyword} ${mut}${e.decl.name}` + (e.decl.type === null ? '' : ': ' + type(p, e.decl.type)) + ` ${e.cond.op} `;
    head += decl + expr(p, e.cond.right, after(ctx, head + decl, 0), COMPARISON + 1) + ') ';
  } else if (e.cond !== null) {
    head += '(' + expr(p, e.cond, after(ctx, head, 1)) + ') ';
  }
  return head + block(p, e.body, ctx.indent, ctx.col + head.length);
}

function when(p: Printer, e: Extract<Expr, { kind: 'When' }>, ctx: Ctx): string {
  const scrutinee = expr(p, e.scrutinee, { ...after(ctx, 'when ', 0), head: true });
  const inner = ctx.indent + 1;
  const open = p.braceAfter(e.scrutinee.span.end);
  const arms = e.arms.map((arm) => ({
    start: arm.span.start,
    end: arm.span.end,
    // a comma after an arm as written (a newline also separates arms; many write none after a block)
    suffix: p.src[p.nextNonSpace(arm.span.end)] === ',' ? ',' : '',
    render: () => {
      const head = pattern(p, arm.pattern) + (arm.guard === null ? '' : ' if ' + expr(p, arm.guard, { indent: inner, col: inner * 4, head: false })) + ' => ';
      return head + expr(p, arm.body, { indent: inner, col: inner * 4 + head.length, head: false });
    },
  }));
  // written on one line, without comments: stays so when it fits
  if (arms.length > 0 && p.oneLine(open, e.span.end) && !p.comments.anyIn(open, e.span.end)) {
    const saved = p.comments.save();
    const flat = `when ${scrutinee} { ` + arms.map((a, i) => a.render() + (i < arms.length - 1 ? ',' : a.suffix)).join(' ') + ' }';
    if (fits(flat, ctx.col)) return flat;
    p.comments.restore(saved);
  }
  const lines = p.list(arms, open + 1, e.span.end - 1, inner);
  if (lines.length === 0) return `when ${scrutinee} {}`;
  return `when ${scrutinee} {\n` + lines.join('\n') + '\n' + pad(ctx.indent) + '}';
}

function closure(p: Printer, e: Extract<Expr, { kind: 'Closure' }>, ctx: Ctx): string {
  const params = e.params.map((param) => pattern(p, param.pattern) + (param.type === null ? '' : ': ' + type(p, param.type)));
  const head = (e.isMove ? 'move ' : '') + 'do(' + params.join(', ') + ')' + (e.ret === null ? '' : ' -> ' + type(p, e.ret)) + ' ';
  return head + expr(p, e.body, after(ctx, head, 0));
}
