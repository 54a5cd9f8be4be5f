// A keyword where a name belongs (`let to = 1`, a parameter named `base`): one error that says so, with a rename
// suggestion, and the keyword taken as the name — the rest of the program parses as meant, and a later use of the
// name in an expression reads as that name too (Parser.keywordNames), so one mistake gives one error, not a cascade
// of "expected pattern", "expected expression" and a placeholder type.
import type { Parser } from './parser_core.js';
import { isKeywordKind, type Token, type TokenKind } from './tokens.js';

/** What may follow a binding's name; a keyword followed by one of these was meant as a name. */
const AFTER_BINDING = new Set<TokenKind>(['=', ':', ',', ')', 'in', '=>', '|']);

/** Keywords that are never taken for names: they start patterns or mean a value wherever they stand. */
const NEVER_NAMES = new Set<TokenKind>(['this', 'This', 'true', 'false', 'null', 'mut', 'ref']);

/** Is the current token a keyword standing where a binding's name belongs? */
export function atKeywordAsName(p: Parser): boolean {
  const t = p.tok;
  if (!isKeywordKind(t.kind) || NEVER_NAMES.has(t.kind) || !/^[A-Za-z_]\w*$/.test(t.text)) return false;
  const next = p.peek();
  return AFTER_BINDING.has(next.kind) && !next.newlineBefore;
}

/** Takes the keyword at the cursor as a name, reporting E0015 once with a rename suggestion. */
export function takeKeywordAsName(p: Parser): Token {
  const t = p.advance();
  p.keywordNames.add(t.text);
  p.errorRecovered('E0015', `\`${t.text}\` is a keyword`, t.span, {
    label: 'a keyword cannot be used as a name',
    suggestions: [{ span: t.span, replacement: `${t.text}_`, message: `rename it (here and where it is used), e.g. \`${t.text}_\`` }],
  });
  return t;
}

/** In an expression: a keyword the program already declared as a name (reported there) is that name. */
export function isKeywordUsedAsName(p: Parser): boolean {
  return isKeywordKind(p.tok.kind) && p.keywordNames.has(p.tok.text);
}
