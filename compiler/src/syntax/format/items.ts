// Items: functions, type declarations, constants, `use`, `mod`, behaviors, impls, classes, interfaces. Members
// of a behavior, impl or class are printed in source order (the tree keeps them in separate lists) with their
// comments and blank lines; a field or variant list written on one line stays on one line when it fits.
import type { Attribute, ClassField, Constructor, FuncDecl, Item, Param, Receiver, StructField, Variant } from '../ast.js';
import { block } from './blocks.js';
import { expr, list, type Ctx } from './exprs.js';
import { pattern } from './patterns.js';
import { fits, lastLineLength, pad, type ListElement, type Printer } from './printer.js';
import { bounds, type, typeParams, whereClause } from './types.js';

/** One item at `indent` (its first line unindented). */
export function item(p: Printer, it: Item, indent: number): string {
  const col = indent * 4;
  const ctx: Ctx = { indent, col, head: false };
  const pub = 'isPub' in it && it.isPub ? 'pub ' : '';
  const attrs = 'attrs' in it ? attributes(p, it.attrs, indent) : '';
  switch (it.kind) {
    case 'Func': return func(p, it, indent);
    case 'Struct': case 'Union': {
      const head = attrs + pub + (it.kind === 'Struct' ? 'type ' + it.name + typeParams(p, it.typeParams) : 'union ' + it.name);
      return head + ' ' + fieldBlock(p, it.fields, it.nameSpan.end, it.span.end, indent, braceCol(head, indent));
    }
    case 'Enum': {
      const head = attrs + pub + 'type ' + it.name + typeParams(p, it.typeParams);
      const afterName = p.nextNonSpace(it.nameSpan.end);
      if (p.src.slice(afterName, it.span.end).replace(/^\[[^=]*?\]\s*/, '').startsWith('=')) {
        return head + ' = ' + it.variants.map((v) => variant(p, v, indent)).join(' | ');
      }
      const open = p.braceAfter(it.nameSpan.end);
      if (it.variants.length > 0 && p.oneLine(open, it.span.end) && !p.comments.anyIn(open, it.span.end)) {
        const flat = '{ ' + it.variants.map((v) => variant(p, v, indent)).join(', ') + ' }';
        if (fits(flat, braceCol(head, indent))) return head + ' ' + flat;
      }
      return head + ' ' + memberBlock(p, it.variants.map((v) => ({ start: v.span.start, end: v.span.end, render: () => variant(p, v, indent + 1) })), it.nameSpan.end, it.span.end, indent, ',', braceCol(head, indent));
    }
    case 'TypeAlias': return pub + 'type ' + it.name + typeParams(p, it.typeParams) + ' = ' + type(p, it.type);
    case 'Const': {
      const head = pub + 'const ' + it.name + ': ' + type(p, it.type) + ' = ';
      return head + expr(p, it.value, { ...ctx, col: col + head.length });
    }
    case 'Use': {
      let out = pub + 'use ' + it.path.join('::');
      if (it.items === 'glob') return out + '::*';
      if (it.items === null) return out;
      const names = it.items.map((u) => u.name + (u.alias === null ? '' : ' as ' + u.alias));
      const grouped = p.src.slice(it.span.start, it.span.end).includes('{');
      out += grouped ? '::{' + names.join(', ') + '}' : '::' + names[0]!;
      return out;
    }
    case 'Mod': {
      const head = pub + 'mod ' + it.name;
      if (it.items === null) return head;
      const open = p.braceAfter(it.span.start);
      const lines = p.list(it.items.map((x) => ({ start: x.span.start, end: x.span.end, render: () => item(p, x, indent + 1) })), open + 1, it.span.end - 1, indent + 1);
      return head + ' ' + braces(p, open, lines, indent);
    }
    case 'Behavior': {
      const head = attrs + pub + 'behavior ' + it.name + typeParams(p, it.typeParams) + (it.supers.length === 0 ? '' : ': ' + bounds(p, it.supers));
      const members: ListElement[] = [
        ...it.assocTypes.map((a) => ({ start: a.span.start, end: a.span.end, render: () => 'type ' + a.name + (a.bounds.length === 0 ? '' : ': ' + bounds(p, a.bounds)) })),
        ...it.methods.map((m) => ({ start: m.span.start, end: m.span.end, render: () => func(p, m, indent + 1) })),
      ];
      return head + ' ' + memberBlock(p, members, it.nameSpan.end, it.span.end, indent, '', braceCol(head, indent));
    }
    case 'Impl': {
      const target = type(p, it.target);
      const head = attrs + 'impl' + typeParams(p, it.typeParams) + ' ' + (it.behavior === null ? target : type(p, it.behavior) + ' for ' + target) + whereClause(p, it.where);
      const members: ListElement[] = [
        ...it.assocTypes.map((a) => ({ start: a.span.start, end: a.span.end, render: () => 'type ' + a.name + ' = ' + type(p, a.type) })),
        ...it.consts.map((c) => ({ start: c.span.start, end: c.span.end, render: () => item(p, c, indent + 1) })),
        ...it.methods.map((m) => ({ start: m.span.start, end: m.span.end, render: () => func(p, m, indent + 1) })),
      ];
      return head + ' ' + memberBlock(p, members, it.attrs.reduce((end, a) => Math.max(end, a.span.end), it.span.start), it.span.end, indent, '', braceCol(head, indent));
    }
    case 'Class': {
      let head = attrs + pub + (it.isAbstract ? 'abstract ' : '') + (it.isSealed ? 'sealed ' : '') + 'class ' + it.name + typeParams(p, it.typeParams);
      if (it.base !== null) head += ' extends ' + type(p, it.base);
      if (it.interfaces.length > 0) head += ' implements ' + it.interfaces.map((t) => type(p, t)).join(', ');
      const members: ListElement[] = [
        ...it.fields.map((f) => ({ start: f.span.start, end: f.span.end, render: () => classField(p, f, indent + 1) })),
        ...it.constructors.map((c) => ({ start: c.span.start, end: c.span.end, render: () => constructor(p, c, indent + 1) })),
        ...it.methods.map((m) => ({ start: m.span.start, end: m.span.end, render: () => func(p, m, indent + 1) })),
      ];
      return head + ' ' + memberBlock(p, members, it.nameSpan.end, it.span.end, indent, '', braceCol(head, indent));
    }
    case 'Interface': {
      let head = pub + 'interface ' + it.name + typeParams(p, it.typeParams);
      if (it.supers.length > 0) {
        const extendsForm = /\bextends\b/.test(p.src.slice(it.nameSpan.end, p.src.indexOf('{', it.nameSpan.end)));
        head += extendsForm ? ' extends ' + it.supers.map((t) => type(p, t)).join(', ') : ': ' + bounds(p, it.supers);
      }
      const members = it.methods.map((m) => ({ start: m.span.start, end: m.span.end, render: () => func(p, m, indent + 1) }));
      return head + ' ' + memberBlock(p, members, it.nameSpan.end, it.span.end, indent, '', braceCol(head, indent));
    }
  }
}

/** Attributes, each followed by a newline and the item's indentation, or by a space when the source has the
 * attribute on the line of what follows it (`@flags type Perm { … }`). */
function attributes(p: Printer, attrs: readonly Attribute[], indent: number): string {
  return attrs
    .map((a) => {
      const args = a.args.length === 0 && !p.src.slice(a.span.start, a.span.end).includes('(') ? '' : list(p, '(', ')', a.args.map((x) => (c: Ctx) => expr(p, x, c)), { indent, col: indent * 4 + a.name.length + 1, head: false }, false);
      const next = p.nextNonSpace(a.span.end);
      return '@' + a.name + args + (p.oneLine(a.span.end, next) && !p.comments.anyIn(a.span.end, next) ? ' ' : '\n' + pad(indent));
    })
    .join('');
}

function braces(p: Printer, open: number, lines: readonly string[], indent: number): string {
  return lines.length === 0 ? p.emptyBraces(open) : '{\n' + lines.join('\n') + '\n' + pad(indent) + '}';
}

/** The column after `head` and a space, where a `{` goes (a head may begin with attribute lines). */
function braceCol(head: string, indent: number): number {
  return (head.includes('\n') ? lastLineLength(head) : indent * 4 + head.length) + 1;
}

/** `{ members }` of a declaration spanning [start, end), its `{` at column `col`: the list runs from the first
 * `{` after `start` to the declaration's last `}`. */
function memberBlock(p: Printer, members: ListElement[], start: number, end: number, indent: number, suffix: string, col: number): string {
  const sorted = [...members].sort((a, b) => a.start - b.start).map((m) => ({ ...m, suffix }));
  const open = p.braceAfter(start);
  // written on one line, without comments (`impl Sum for I8 { func zero() -> I8 { 0 }  func plus(…) … }`):
  // stays so when it fits, members two spaces apart as the repository writes them
  if (sorted.length > 0 && p.oneLine(open, end) && !p.comments.anyIn(open, end)) {
    const saved = p.comments.save();
    const flat = '{ ' + sorted.map((m) => m.render()).join(suffix === ',' ? ', ' : '  ') + ' }';
    if (fits(flat, col)) return flat;
    p.comments.restore(saved);
  }
  const lines = p.list(sorted, open + 1, end - 1, indent + 1);
  return braces(p, open, lines, indent);
}

/** The fields of a struct or union: on one line when written so and it fits, else one per line with commas. */
function fieldBlock(p: Printer, fields: readonly StructField[], start: number, end: number, indent: number, col: number): string {
  const open = p.braceAfter(start);
  if (fields.length > 0 && p.oneLine(open, end) && !p.comments.anyIn(open, end)) {
    const flat = '{ ' + fields.map((f) => field(p, f, indent)).join(', ') + ' }';
    if (fits(flat, col)) return flat;
  }
  const elements = fields.map((f) => ({ start: f.span.start, end: f.span.end, suffix: ',', render: () => field(p, f, indent + 1) }));
  return braces(p, open, p.list(elements, open + 1, end - 1, indent + 1), indent);
}

function field(p: Printer, f: StructField, indent: number): string {
  const head = (f.isPub ? 'pub ' : '') + f.name + ': ' + type(p, f.type);
  return head + (f.default === null ? '' : ' = ' + expr(p, f.default, { indent, col: indent * 4 + head.length + 3, head: false }));
}

function classField(p: Printer, f: ClassField, indent: number): string {
  return (f.isPub ? 'pub ' : '') + (f.isStatic ? 'static ' : '') + field(p, { ...f, isPub: false }, indent);
}

function variant(p: Printer, v: Variant, indent: number): string {
  switch (v.shape.kind) {
    case 'unit': return v.name;
    case 'tuple': return v.name + '(' + v.shape.types.map((t) => type(p, t)).join(', ') + ')';
    case 'struct': return v.name + ' { ' + v.shape.fields.map((f) => field(p, f, indent)).join(', ') + ' }';
  }
}

function receiver(p: Printer, r: Receiver): string[] {
  return r === null ? [] : [p.src.slice(r.span.start, r.span.end).replace(/\s+/g, ' ').replace(/\s*:\s*/, ': ')];
}

function params(p: Printer, r: Receiver, ps: readonly Param[], ctx: Ctx): string {
  const items = [...receiver(p, r).map((text) => () => text), ...ps.map((x) => () => pattern(p, x.pattern) + ': ' + type(p, x.type))];
  return list(p, '(', ')', items, ctx, false);
}

export function func(p: Printer, f: FuncDecl, indent: number): string {
  let head = attributes(p, f.attrs, indent) + (f.isPub ? 'pub ' : '') + f.modifiers.map((m) => m + ' ').join('');
  head += (f.isLowlevel ? 'lowlevel ' : '') + (f.isAsync ? 'async ' : '') + 'func ' + f.name + typeParams(p, f.typeParams);
  head += params(p, f.receiver, f.params, { indent, col: braceCol(head, indent) - 1, head: false });
  head += (f.ret === null ? '' : ' -> ' + type(p, f.ret)) + whereClause(p, f.where);
  if (f.body === null) return head;
  return head + ' ' + block(p, f.body, indent, braceCol(head, indent));
}

function constructor(p: Printer, c: Constructor, indent: number): string {
  let head = attributes(p, c.attrs, indent) + (c.isPub ? 'pub ' : '') + 'new';
  head += params(p, null, c.params, { indent, col: braceCol(head, indent) - 1, head: false });
  if (c.ret !== null) head += ' -> ' + type(p, c.ret);
  if (c.baseArgs !== null) head += ' : base' + list(p, '(', ')', c.baseArgs.map((x) => (cx: Ctx) => expr(p, x, cx)), { indent, col: braceCol(head, indent) + 6, head: false }, false);
  return head + ' ' + block(p, c.body, indent, braceCol(head, indent));
}
