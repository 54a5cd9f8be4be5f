// Items: attributes and visibility, functions, `type` declarations (struct, enum, sum type, alias), unions,
// constants, `use`, `mod`. Behaviors, impls, classes and interfaces are in parse_classes.ts.
import {
  newId,
  type Attribute,
  type FuncDecl,
  type Item,
  type MethodModifier,
  type Param,
  type Receiver,
  type StructField,
  type TypeExpr,
  type UseItem,
  type Variant,
} from './ast.js';
import { parseBehavior, parseClass, parseImpl, parseInterface } from './parse_classes.js';
import { parseCallArgs, parseExpr } from './parse_expr.js';
import { parsePattern } from './parse_patterns.js';
import { parseBlock } from './parse_stmts.js';
import { parseType, parseTypeList, parseTypeParams, parseWhere } from './parse_types.js';
import type { Parser } from './parser_core.js';
import { describeToken, type Token } from './tokens.js';
import { RUST_ITEM_WORDS, spellAs } from './rust_habits.js';
import { atKeywordAsName, takeKeywordAsName } from './keyword_names.js';

/** What precedes an item's keyword: where it starts, its attributes, `pub`. */
export interface ItemHead {
  readonly start: number;
  readonly attrs: Attribute[];
  readonly isPub: boolean;
}

/** Whether the current token begins an item (also inside blocks: nested functions, consts, types). */
export function isItemStart(p: Parser): boolean {
  switch (p.tok.kind) {
    case 'use':
      return p.peek().kind !== '('; // `use(v)` calls a function named `use`
    case 'func': case 'type': case 'union': case 'behavior': case 'impl': case 'pub': case 'mod':
    case 'const': case 'class': case 'interface': case '@':
      return true;
    case 'abstract': case 'sealed':
      return p.peek().kind === 'class' || p.peek().kind === 'abstract' || p.peek().kind === 'sealed';
    case 'lowlevel': case 'async':
      return p.peek().kind === 'func';
    default:
      return atRustItemWord(p) !== null; // `fn helper()` in a body: reported as an item (parseItem)
  }
}

/** One item, or null after reporting an error (the caller resynchronises). Each item is one nesting level. */
export function parseItem(p: Parser): Item | null {
  return p.nested('item', () => item(p));
}

function item(p: Parser): Item | null {
  const start = p.start;
  const attrs = parseAttributes(p);
  const isPub = parseVisibility(p);
  const head: ItemHead = { start, attrs, isPub };
  switch (p.tok.kind) {
    case 'func': case 'lowlevel': case 'async':
      return parseFunc(p, head, []);
    case 'type':
      return parseTypeDecl(p, head);
    case 'union':
      return parseUnion(p, head);
    case 'const':
      return parseConst(p, head);
    case 'use':
      return parseUse(p, head);
    case 'mod':
      return parseMod(p, head);
    case 'behavior':
      return parseBehavior(p, head);
    case 'impl':
      return parseImpl(p, head);
    case 'class': case 'abstract': case 'sealed':
      return parseClass(p, head);
    case 'interface':
      return parseInterface(p, head);
    default: {
      const tml = atRustItemWord(p);
      if (tml !== null) {
        // reported once, then read as TML's keyword: the item (say `main`) still exists
        p.errorRecovered('E0012', `expected item, found ${describeToken(p.tok)}`, p.tok.span, { label: 'expected `func`, `type`, `impl`, … here', suggestions: [spellAs(p.tok.span, tml)] });
        if (tml === 'func') return parseFunc(p, head, []);
        if (tml === 'type') return parseTypeDecl(p, head);
        return parseBehavior(p, head);
      }
      p.error('E0012', `expected item, found ${describeToken(p.tok)}`, p.tok.span, 'expected `func`, `type`, `impl`, … here');
      return null;
    }
  }
}

/** TML's keyword for the Rust item word at the cursor (`fn main`, `struct Point`), or null. */
export function atRustItemWord(p: Parser): string | null {
  const tml = p.at('ident') ? RUST_ITEM_WORDS.get(p.tok.text) : undefined;
  return tml !== undefined && p.peek().kind === 'ident' && !p.peek().newlineBefore ? tml : null;
}

/** `@test`, `@derive(Eq, Display)`, `@should_panic(expected = "boom")`: arguments are expressions. */
export function parseAttributes(p: Parser): Attribute[] {
  const attrs: Attribute[] = [];
  while (p.at('@')) {
    const start = p.start;
    p.advance();
    const name = p.tok;
    if (name.kind !== 'ident' && !/^[A-Za-z_]/.test(name.text)) {
      p.errorExpected('attribute name', undefined, 'E0015');
      break;
    }
    p.advance();
    const args = p.at('(') && !p.tok.newlineBefore ? parseCallArgs(p) : [];
    attrs.push({ name: name.text, args, span: p.spanFrom(start) });
  }
  return attrs;
}

/** `pub`, `pub(crate)` (any `pub(…)` is public). */
export function parseVisibility(p: Parser): boolean {
  if (!p.eat('pub')) return false;
  if (p.at('(') && p.peek(2).kind === ')') {
    p.advance();
    p.advance();
    p.advance();
  }
  return true;
}

/** An identifier, or null after reporting E0015. */
export function expectIdent(p: Parser, what = 'identifier'): Token | null {
  if (p.at('ident')) return p.advance();
  if (atKeywordAsName(p)) return takeKeywordAsName(p); // `type T { to: I32 }`: one error, then the name
  p.errorExpected(what, undefined, 'E0015');
  return null;
}

/** A function's name. A keyword followed by `(`/`[` names a method; anywhere else it is reported, and still taken
 * as the name so that one mistake gives one error (not a nameless function that clashes with the next one). */
function funcName(p: Parser, isMethod: boolean): Token | null {
  const t = p.tok;
  const keyword = t.kind !== 'ident' && /^[A-Za-z_]\w*$/.test(t.text) && (p.peek().kind === '(' || p.peek().kind === '[');
  if (!keyword) return expectIdent(p, 'function name');
  if (!isMethod) {
    p.error('E0015', `expected function name, found keyword \`${t.text}\``, t.span, 'a keyword', [
      'only a method (in an `impl`, behavior, class or interface) may be named by a keyword: it is called after `.`',
    ]);
  }
  return p.advance();
}

/** `[lowlevel] [async] func name[T](params) -> R where … { body }`; the body is optional. A method (`isMethod`, in
 * an impl, behavior, class or interface) may be named by a keyword (`func or(…)`, `func union(…)`): it is only ever
 * called after `.`, where the parser reads any word as a name, so the keyword is unambiguous there. */
export function parseFunc(p: Parser, head: ItemHead, modifiers: MethodModifier[], isMethod = false): FuncDecl {
  let isLowlevel = false;
  let isAsync = false;
  for (;;) {
    if (p.eat('lowlevel')) isLowlevel = true;
    else if (p.eat('async')) isAsync = true;
    else break;
  }
  if (p.at('ident') && p.tok.text === 'fn') p.advance(); // Rust's `fn`, reported by the caller
  else p.expect('func');
  const nameTok = funcName(p, isMethod);
  const typeParams = parseTypeParams(p);
  const { receiver, params } = parseParams(p, true);
  const ret = p.eat('->') ? parseType(p) : null;
  const where = parseWhere(p);
  const body = p.at('{') ? parseBlock(p) : null;
  return {
    kind: 'Func', id: newId(), span: p.spanFrom(head.start), name: nameTok?.text ?? '', nameSpan: nameTok?.span ?? p.tok.span,
    isPub: head.isPub, attrs: head.attrs, typeParams, receiver, params, ret, where, body, isLowlevel, isAsync, modifiers,
  };
}

/** `(this, a: T, …)`: receivers `this`, `mut this`, `ref this`, `this: ref This`, `this: mut ref This`. */
export function parseParams(p: Parser, allowReceiver: boolean): { receiver: Receiver; params: Param[] } {
  let receiver: Receiver = null;
  const params: Param[] = [];
  if (!p.expect('(')) return { receiver, params };
  p.inDelimiters(() => {
    if (allowReceiver) receiver = parseReceiver(p);
    if (receiver !== null && !p.at(')') && !p.expect(',')) return;
    while (!p.at(')') && !p.atEof()) {
      const start = p.start;
      const pattern = parsePattern(p);
      let type: TypeExpr;
      if (p.expect(':', 'parameters need a type: `name: Type`')) type = parseType(p);
      else type = { kind: 'InferType', id: newId(), span: p.tok.span };
      params.push({ pattern, type, span: p.spanFrom(start) });
      if (p.at(')')) break;
      if (!p.eat(',')) {
        p.errorExpected('`,` or `)`');
        break;
      }
    }
  });
  p.expect(')');
  return { receiver, params };
}

function parseReceiver(p: Parser): Receiver {
  const start = p.start;
  let mutable = false;
  if (p.at('mut') && p.peek().kind === 'this') {
    p.advance();
    mutable = true;
  } else if (p.at('ref') && p.peek().kind === 'this') {
    p.advance();
  } else if (p.at('mut') && p.peek().kind === 'ref' && p.peek(2).kind === 'this') {
    p.advance();
    p.advance();
    mutable = true;
  } else if (!p.at('this')) {
    return null;
  }
  p.advance(); // this
  if (p.eat(':')) {
    const type = parseType(p);
    mutable = type.kind === 'RefType' && type.mutable;
    // `this: This` takes the receiver by value
    if (type.kind !== 'RefType') return { mutable, span: p.spanFrom(start), byValue: true };
  }
  return { mutable, span: p.spanFrom(start) };
}

/**
 * `type Name[T] { … }` (struct when the first member is `ident :`, else enum), `type Name = A | B` (enum of
 * variants), `type Name = T` (alias). `enum` lexes as `type`; `enum E {}` is an enum.
 */
function parseTypeDecl(p: Parser, head: ItemHead): Item | null {
  const keyword = p.advance();
  const nameTok = expectIdent(p, 'type name');
  if (nameTok === null) return null;
  const typeParams = parseTypeParams(p);
  const base = { id: newId(), name: nameTok.text, nameSpan: nameTok.span, isPub: head.isPub };
  if (p.eat('=')) return parseSumOrAlias(p, head, base, typeParams);
  if (!p.expect('{', 'expected `{` or `=` after the type name')) return null;
  // (attributes on the first member are an error, but must not hide what the member is)
  const lead = parseAttributes(p);
  const isStruct = p.at('}') ? keyword.text !== 'enum' : p.at('pub') || ((p.at('ident') || atKeywordAsName(p)) && p.peek().kind === ':');
  noAttributes(p, lead, isStruct ? 'a field' : 'a variant');
  if (isStruct) {
    const fields = parseFields(p);
    p.expect('}');
    return { kind: 'Struct', ...base, span: p.spanFrom(head.start), attrs: head.attrs, typeParams, fields };
  }
  const variants = parseVariants(p);
  p.expect('}');
  return { kind: 'Enum', ...base, span: p.spanFrom(head.start), attrs: head.attrs, typeParams, variants };
}

type DeclBase = { id: number; name: string; nameSpan: Token['span']; isPub: boolean };

function parseSumOrAlias(p: Parser, head: ItemHead, base: DeclBase, typeParams: ReturnType<typeof parseTypeParams>): Item {
  const leadingBar = p.eat('|') !== null;
  const alternatives: (Variant | TypeExpr)[] = [parseSumAlternative(p)];
  while (p.eat('|')) alternatives.push(parseSumAlternative(p));
  const first = alternatives[0]!;
  if (alternatives.length === 1 && !leadingBar && !('shape' in first)) {
    return { kind: 'TypeAlias', ...base, span: p.spanFrom(head.start), typeParams, type: first };
  }
  const variants: Variant[] = [];
  for (const alt of alternatives) {
    if ('shape' in alt) {
      variants.push(alt);
    } else if (alt.kind === 'PathType' && alt.segments.length === 1 && alt.segments[0]!.args === null) {
      variants.push({ name: alt.segments[0]!.name, shape: { kind: 'unit' }, span: alt.span });
    } else {
      p.error('E0019', 'expected a variant name in a sum type', alt.span, 'a variant is a name, optionally with `(payload types)`');
    }
  }
  return { kind: 'Enum', ...base, span: p.spanFrom(head.start), attrs: head.attrs, typeParams, variants };
}

/** `Name(T, U)` is a variant with a payload; anything else is read as a type (a unit variant or the alias). */
function parseSumAlternative(p: Parser): Variant | TypeExpr {
  if (p.at('ident') && p.peek().kind === '(') {
    const start = p.start;
    const name = p.advance().text;
    p.advance(); // (
    const types = p.inDelimiters(() => parseTypeList(p, ')'));
    p.expect(')');
    return { name, shape: { kind: 'tuple', types }, span: p.spanFrom(start) };
  }
  return parseType(p);
}

/** Fields and variants take no attributes (sema/attributes.ts checks those of items and methods). */
function noAttributes(p: Parser, attrs: Attribute[], what: string): void {
  for (const a of attrs) p.diags.error('E0031', `the attribute \`@${a.name}\` cannot be used on ${what}`, a.span, { label: `not allowed on ${what}` });
}

/** Fields `[pub] name: T [= default]` up to `}`, separated by commas, semicolons or newlines. */
export function parseFields(p: Parser): StructField[] {
  const fields: StructField[] = [];
  while (!p.at('}') && !p.atEof()) {
    const start = p.start;
    noAttributes(p, parseAttributes(p), 'a field');
    const isPub = parseVisibility(p);
    const nameTok = expectIdent(p, 'field name');
    if (nameTok === null) break;
    let type: TypeExpr = { kind: 'InferType', id: newId(), span: nameTok.span };
    if (p.expect(':', 'fields are written `name: Type`')) type = parseType(p);
    const def = p.eat('=') ? p.withNewlines(false, () => parseExpr(p)) : null;
    fields.push({ name: nameTok.text, type, default: def, isPub, span: p.spanFrom(start) });
    if (!separator(p)) break;
  }
  p.skipToCloseBrace();
  return fields;
}

/** Between members: `,` or `;`, or just a newline; true when another member may follow. */
function separator(p: Parser): boolean {
  if (p.eat(',') || p.eat(';')) return true;
  if (p.at('}') || p.tok.newlineBefore) return true;
  p.errorExpected('`,` or `}`');
  return false;
}

function parseVariants(p: Parser): Variant[] {
  const variants: Variant[] = [];
  while (!p.at('}') && !p.atEof()) {
    const start = p.start;
    noAttributes(p, parseAttributes(p), 'a variant');
    const nameTok = expectIdent(p, 'variant name');
    if (nameTok === null) break;
    let variant: Variant = { name: nameTok.text, shape: { kind: 'unit' }, span: nameTok.span };
    if (p.eat('(')) {
      const types = p.inDelimiters(() => parseTypeList(p, ')'));
      p.expect(')');
      variant = { name: nameTok.text, shape: { kind: 'tuple', types }, span: p.spanFrom(start) };
    } else if (p.eat('{')) {
      const fields = p.inDelimiters(() => parseFields(p));
      p.expect('}');
      variant = { name: nameTok.text, shape: { kind: 'struct', fields }, span: p.spanFrom(start) };
    }
    if (p.at('=')) {
      p.error('E0021', 'explicit discriminants are not supported', p.tok.span, 'variants are numbered in order');
      p.advance();
      parseExpr(p);
    }
    variants.push(variant);
    if (!separator(p)) break;
  }
  p.skipToCloseBrace();
  return variants;
}

/** `union Name { a: T, b: U }`. */
function parseUnion(p: Parser, head: ItemHead): Item | null {
  p.advance(); // union
  const nameTok = expectIdent(p, 'union name');
  if (nameTok === null) return null;
  if (!p.expect('{')) return null;
  const fields = parseFields(p);
  p.expect('}');
  return { kind: 'Union', id: newId(), span: p.spanFrom(head.start), name: nameTok.text, nameSpan: nameTok.span, isPub: head.isPub, attrs: head.attrs, fields };
}

/** `const NAME: T = value` (the type is required). */
export function parseConst(p: Parser, head: ItemHead): Item | null {
  p.advance(); // const
  const nameTok = expectIdent(p, 'constant name');
  if (nameTok === null) return null;
  let type: TypeExpr;
  if (p.eat(':')) {
    type = parseType(p);
  } else {
    p.error('E0018', 'missing type for `const` item', nameTok.span, `write \`${nameTok.text}: Type\``);
    type = { kind: 'InferType', id: newId(), span: nameTok.span };
  }
  p.expect('=', 'a constant needs a value');
  const value = parseExpr(p);
  return { kind: 'Const', id: newId(), span: p.spanFrom(head.start), name: nameTok.text, nameSpan: nameTok.span, isPub: head.isPub, type, value };
}

/** A name in a `use` path: identifiers and keywords (`self`, `test`, …). */
function useName(p: Parser): Token | null {
  if (p.at('ident') || /^[A-Za-z_]/.test(p.tok.text)) return p.advance();
  p.errorExpected('module or item name', undefined, 'E0015');
  return null;
}

/** `use a::b::C`, `use a::{X, Y as Z}`, `use a::*`, `use a::B as C`. */
function parseUse(p: Parser, head: ItemHead): Item | null {
  p.advance(); // use
  const path: string[] = [];
  let items: UseItem[] | 'glob' | null = null;
  const first = useName(p);
  if (first === null) return null;
  path.push(first.text);
  let lastSpan = first.span;
  while (p.eat('::')) {
    if (p.eat('*')) {
      items = 'glob';
      break;
    }
    if (p.at('{')) {
      items = parseUseGroup(p);
      break;
    }
    const name = useName(p);
    if (name === null) break;
    path.push(name.text);
    lastSpan = name.span;
  }
  if (items === null && p.eat('as')) {
    const alias = expectIdent(p, 'alias');
    const name = path.pop()!;
    items = [{ name, alias: alias?.text ?? null, span: p.spanFrom(lastSpan.start) }];
  }
  return { kind: 'Use', id: newId(), span: p.spanFrom(head.start), path, items, isPub: head.isPub };
}

function parseUseGroup(p: Parser): UseItem[] {
  p.advance(); // {
  const items: UseItem[] = [];
  p.inDelimiters(() => {
    while (!p.at('}') && !p.atEof()) {
      const start = p.start;
      const name = useName(p);
      if (name === null) break;
      const alias = p.eat('as') ? (expectIdent(p, 'alias')?.text ?? null) : null;
      items.push({ name: name.kind === 'this' ? 'self' : name.text, alias, span: p.spanFrom(start) });
      if (!p.eat(',')) break;
    }
    p.skipToCloseBrace();
  });
  p.expect('}');
  return items;
}

/** `mod name` (a file) or `mod name { items }`. */
function parseMod(p: Parser, head: ItemHead): Item | null {
  p.advance(); // mod
  const nameTok = expectIdent(p, 'module name');
  if (nameTok === null) return null;
  let items: Item[] | null = null;
  if (p.eat('{')) {
    items = parseItemsUntilBrace(p);
    p.expect('}');
  }
  return { kind: 'Mod', id: newId(), span: p.spanFrom(head.start), name: nameTok.text, isPub: head.isPub, items };
}

/** Items up to `}` or the end of the file, resynchronising after errors. */
export function parseItemsUntilBrace(p: Parser): Item[] {
  const items: Item[] = [];
  while (!p.at('}') && !p.atEof()) {
    const index = p.pos;
    const item = parseItem(p);
    if (item !== null) items.push(item);
    if (p.recovering || item === null) p.syncItem(index);
    p.eat(';');
    if (p.pos === index) p.advance();
  }
  return items;
}
