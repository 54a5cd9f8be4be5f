// Tokens of TML source. Keywords and punctuation are their own token kinds (the kind is the canonical spelling),
// so the parser can ask `at('func')` or `at('=>')`. Synonyms are folded here: `enum` lexes as `type`, `unsafe` as
// `lowlevel`, `self` as `this`, `&&` as `and`, `||` as `or`; `text` keeps what was written.
import type { Span } from './source.js';

/** Reserved words (LANGUAGE.md §1), by their canonical token kind. */
export const KEYWORDS = [
  'func', 'type', 'union', 'behavior', 'impl', 'use', 'pub', 'mod', 'const', 'let', 'var',
  'if', 'then', 'else', 'when', 'loop', 'while', 'for', 'in', 'to', 'through', 'break', 'continue', 'return',
  'and', 'or', 'not', 'xor', 'shl', 'shr', 'this', 'This', 'as', 'is', 'mut', 'ref', 'do', 'move',
  'async', 'await', 'where', 'dyn', 'lowlevel', 'class', 'interface', 'extends', 'implements', 'override',
  'virtual', 'abstract', 'sealed', 'static', 'base', 'throw', 'defer', 'true', 'false', 'null',
] as const;

export type KeywordKind = (typeof KEYWORDS)[number];

/** Spellings that lex as another keyword. */
export const KEYWORD_SYNONYMS: Readonly<Record<string, KeywordKind>> = {
  enum: 'type',
  unsafe: 'lowlevel',
  self: 'this',
};

/** Operators and delimiters, longest first (the lexer tries them in this order). */
export const PUNCTUATION = [
  '<<=', '>>=',
  '==', '!=', '<=', '>=', '<<', '>>', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '->', '=>', '::', '..',
  '&&', '||',
  '+', '-', '*', '/', '%', '<', '>', '&', '|', '^', '~', '=', '?', ':', '.', ',', '@', '!', ';',
  '(', ')', '[', ']', '{', '}',
] as const;

type RawPunct = (typeof PUNCTUATION)[number];
/** `&&` and `||` never reach the parser: they become `and` / `or`. */
export type PunctKind = Exclude<RawPunct, '&&' | '||'>;

export const PUNCT_SYNONYMS: Readonly<Partial<Record<RawPunct, KeywordKind>>> = {
  '&&': 'and',
  '||': 'or',
};

/** Kinds of tokens that carry no payload. */
export type SimpleKind = KeywordKind | PunctKind | 'ident' | 'eof';

/** A piece of an interpolated string as the lexer sees it: processed text, or the source range of `{expr}`. */
export type InterpTokenPart =
  | { kind: 'text'; text: string; span: Span }
  | { kind: 'expr'; start: number; end: number }; // offsets of the expression inside the braces

interface TokenBase {
  readonly span: Span;
  /** The source text of the token. */
  readonly text: string;
  /** A newline (or a comment containing one) separates this token from the previous one. */
  readonly newlineBefore: boolean;
}

export type Token = TokenBase &
  (
    | { readonly kind: SimpleKind }
    | { readonly kind: 'int'; readonly value: bigint; readonly suffix: string | null }
    | { readonly kind: 'float'; readonly value: number; readonly suffix: string | null }
    | { readonly kind: 'string'; readonly value: string }
    | { readonly kind: 'interp'; readonly parts: InterpTokenPart[] }
    | { readonly kind: 'char'; readonly value: number }
  );

export type TokenKind = Token['kind'];

const KEYWORD_SET: ReadonlySet<string> = new Set(KEYWORDS);
/** Every spelling of a keyword, synonyms included, by its kind. A Map, not the object above: an object lookup of
 * an identifier such as `constructor` or `toString` found Object.prototype's member and lexed it as no identifier. */
const KEYWORD_KINDS: ReadonlyMap<string, KeywordKind> = new Map<string, KeywordKind>([
  ...KEYWORDS.map((k): [string, KeywordKind] => [k, k]),
  ...Object.entries(KEYWORD_SYNONYMS),
]);

/** The keyword kind of an identifier-shaped word, or null for a plain identifier. */
export function keywordKind(word: string): KeywordKind | null {
  return KEYWORD_KINDS.get(word) ?? null;
}

export function isKeywordKind(kind: TokenKind): kind is KeywordKind {
  return KEYWORD_SET.has(kind);
}

/** How a token is named in a message: `}` or end of file. */
export function describeToken(tok: Token): string {
  if (tok.kind === 'eof' || (tok.kind === '}' && tok.text === '')) return 'end of file'; // (a `}` put back at the end: brace_recovery.ts)
  const text = tok.text.length > 30 ? tok.text.slice(0, 27) + '...' : tok.text;
  return '`' + text + '`';
}
