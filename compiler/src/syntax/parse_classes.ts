// Items with member lists: behaviors, impl blocks, classes and interfaces. Members are separated by newlines
// (or `;`, `,`); an error in one member is reported and the parser carries on with the next.
import {
  newId,
  type AssocTypeDecl,
  type AssocTypeDef,
  type ClassField,
  type Constructor,
  type Expr,
  type FuncDecl,
  type Item,
  type MethodModifier,
  type TypeExpr,
} from './ast.js';
import { parseCallArgs, parseExpr } from './parse_expr.js';
import { spellAs } from './rust_habits.js';
import { atRustItemWord, expectIdent, parseAttributes, parseConst, parseFunc, parseParams, parseVisibility, type ItemHead } from './parse_items.js';
import { parseBlock } from './parse_stmts.js';
import { parseBounds, parseType, parseTypeParams, parseWhere } from './parse_types.js';
import type { Parser } from './parser_core.js';
import { describeToken } from './tokens.js';

/** Parses members up to `}` with `member`, resynchronising after a member with an error. */
function parseMembers(p: Parser, member: (head: ItemHead) => void): void {
  while (!p.at('}') && !p.atEof()) {
    const index = p.pos;
    const start = p.start;
    const attrs = parseAttributes(p);
    const isPub = parseVisibility(p);
    member({ start, attrs, isPub });
    if (p.recovering) p.syncStatement(index);
    while (p.eat(';') || p.eat(',')) {
      // separators between members are optional
    }
    if (p.pos === index) p.advance();
  }
  p.expect('}');
}

function memberError(p: Parser, what: string): void {
  p.error('E0022', `expected ${what}, found ${describeToken(p.tok)}`, p.tok.span, `expected ${what}`);
}

/** At a method; Rust's `fn` counts, reported here once with a suggestion (parseFunc reads it as `func`). */
function atFunc(p: Parser): boolean {
  if (atRustItemWord(p) === 'func') {
    p.errorRecovered('E0022', `expected a member, found ${describeToken(p.tok)}`, p.tok.span, { label: 'expected a member', suggestions: [spellAs(p.tok.span, 'func')] });
    return true;
  }
  return p.at('func') || ((p.at('lowlevel') || p.at('async')) && p.peek().kind === 'func');
}

/** `behavior Name[T]: Super + Other { type Item; func required(this); func provided(this) { … } }`. */
export function parseBehavior(p: Parser, head: ItemHead): Item | null {
  p.advance(); // behavior
  const nameTok = expectIdent(p, 'behavior name');
  if (nameTok === null) return null;
  const typeParams = parseTypeParams(p);
  const supers = p.eat(':') ? parseBounds(p) : [];
  parseWhere(p); // accepted; a behavior's where clause adds nothing the checker uses yet
  const assocTypes: AssocTypeDecl[] = [];
  const methods: FuncDecl[] = [];
  if (!p.expect('{')) return null;
  parseMembers(p, (member) => {
    if (p.at('type')) {
      p.advance();
      const name = expectIdent(p, 'associated type name');
      if (name === null) return;
      const bounds = p.eat(':') ? parseBounds(p) : [];
      if (p.eat('=')) parseType(p); // a default is accepted and ignored
      assocTypes.push({ name: name.text, bounds, span: p.spanFrom(member.start) });
    } else if (atFunc(p)) {
      methods.push(parseFunc(p, member, [], true));
    } else {
      memberError(p, '`func` or `type` in behavior');
    }
  });
  return {
    kind: 'Behavior', id: newId(), span: p.spanFrom(head.start), name: nameTok.text, nameSpan: nameTok.span,
    isPub: head.isPub, attrs: head.attrs, typeParams, supers, assocTypes, methods,
  };
}

/** `impl Type { … }`, `impl Behavior for Type { … }`, `impl[T: B] B for X[T] where … { type Item = T  … }`. */
export function parseImpl(p: Parser, head: ItemHead): Item | null {
  p.advance(); // impl
  const typeParams = parseTypeParams(p);
  const first = parseType(p);
  let behavior: TypeExpr | null = null;
  let target = first;
  if (p.eat('for')) {
    behavior = first;
    target = parseType(p);
  }
  const where = parseWhere(p);
  const assocTypes: AssocTypeDef[] = [];
  const methods: FuncDecl[] = [];
  const consts: Extract<Item, { kind: 'Const' }>[] = [];
  if (!p.expect('{')) return null;
  parseMembers(p, (member) => {
    if (p.at('type')) {
      p.advance();
      const name = expectIdent(p, 'associated type name');
      if (name === null) return;
      p.expect('=', 'associated types are defined with `type Name = T`');
      assocTypes.push({ name: name.text, type: parseType(p), span: p.spanFrom(member.start) });
    } else if (p.at('const')) {
      const c = parseConst(p, member);
      if (c?.kind === 'Const') consts.push(c);
    } else if (atFunc(p)) {
      methods.push(parseFunc(p, member, [], true));
    } else {
      memberError(p, '`func`, `const` or `type` in impl');
    }
  });
  return { kind: 'Impl', id: newId(), span: p.spanFrom(head.start), attrs: head.attrs, typeParams, behavior, target, where, assocTypes, consts, methods };
}

const MODIFIERS = new Map<string, MethodModifier>([
  ['virtual', 'virtual'], ['override', 'override'], ['abstract', 'abstract'], ['static', 'static'], ['sealed', 'sealed'],
]);

/** `[abstract|sealed] class Name[T] [extends Base] [implements I, J] { fields, constructors, methods }`. */
export function parseClass(p: Parser, head: ItemHead): Item | null {
  let isAbstract = false;
  let isSealed = false;
  for (;;) {
    if (p.eat('abstract')) isAbstract = true;
    else if (p.eat('sealed')) isSealed = true;
    else break;
  }
  p.expect('class');
  const nameTok = expectIdent(p, 'class name');
  if (nameTok === null) return null;
  const typeParams = parseTypeParams(p);
  const base = p.eat('extends') ? parseType(p) : null;
  const interfaces: TypeExpr[] = [];
  if (p.eat('implements')) {
    do interfaces.push(parseType(p));
    while (p.eat(','));
  }
  const fields: ClassField[] = [];
  const constructors: Constructor[] = [];
  const methods: FuncDecl[] = [];
  if (!p.expect('{')) return null;
  parseMembers(p, (member) => {
    const modifiers: MethodModifier[] = [];
    for (let m = MODIFIERS.get(p.tok.kind); m !== undefined; m = MODIFIERS.get(p.tok.kind)) {
      modifiers.push(m);
      p.advance();
    }
    if (atFunc(p)) {
      methods.push(parseFunc(p, member, modifiers, true));
    } else if (p.at('ident') && p.tok.text === 'new' && p.peek().kind === '(') {
      if (modifiers.length > 0) p.error('E0024', 'constructors take no modifiers', p.tok.span, `remove \`${modifiers.join(' ')}\``);
      constructors.push(parseConstructor(p, member));
    } else if (p.at('ident') && p.peek().kind === ':') {
      const misplaced = modifiers.filter((m) => m !== 'static');
      if (misplaced.length > 0) p.error('E0024', `fields cannot be \`${misplaced[0]!}\``, p.tok.span, 'only `static` applies to fields');
      fields.push(parseClassField(p, member, modifiers.includes('static')));
    } else {
      memberError(p, 'field, `new` or `func` in class');
    }
  });
  return {
    kind: 'Class', id: newId(), span: p.spanFrom(head.start), name: nameTok.text, nameSpan: nameTok.span, isPub: head.isPub,
    attrs: head.attrs, typeParams, isAbstract, isSealed, base, interfaces, fields, constructors, methods,
  };
}

function parseClassField(p: Parser, member: ItemHead, isStatic: boolean): ClassField {
  const name = p.advance().text;
  p.advance(); // :
  const type = parseType(p);
  const def = p.eat('=') ? p.withNewlines(false, () => parseExpr(p)) : null;
  return { name, type, default: def, isPub: member.isPub, isStatic, span: p.spanFrom(member.start) };
}

/** `new(params) [-> Outcome[This, E]] [: base(args)] { body }`. */
function parseConstructor(p: Parser, member: ItemHead): Constructor {
  p.advance(); // new
  const { params } = parseParams(p, false);
  const ret = p.eat('->') ? parseType(p) : null;
  let baseArgs: Expr[] | null = null;
  if (p.eat(':')) {
    p.expect('base', 'a constructor may call its base constructor: `: base(args)`');
    baseArgs = parseCallArgs(p);
  }
  const body = parseBlock(p);
  return { params, baseArgs, ret, body, isPub: member.isPub, attrs: member.attrs, span: p.spanFrom(member.start) };
}

/** `interface Name[T] [: A + B | extends A, B] { func m(this) -> T }`. */
export function parseInterface(p: Parser, head: ItemHead): Item | null {
  p.advance(); // interface
  const nameTok = expectIdent(p, 'interface name');
  if (nameTok === null) return null;
  const typeParams = parseTypeParams(p);
  const supers: TypeExpr[] = [];
  if (p.eat(':')) supers.push(...parseBounds(p));
  else if (p.eat('extends')) {
    do supers.push(parseType(p));
    while (p.eat(','));
  }
  const methods: FuncDecl[] = [];
  if (!p.expect('{')) return null;
  parseMembers(p, (member) => {
    if (atFunc(p)) methods.push(parseFunc(p, member, [], true));
    else memberError(p, '`func` in interface');
  });
  return { kind: 'Interface', id: newId(), span: p.spanFrom(head.start), name: nameTok.text, nameSpan: nameTok.span, isPub: head.isPub, typeParams, supers, methods };
}
