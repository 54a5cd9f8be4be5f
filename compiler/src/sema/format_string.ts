// Format strings of print/println/eprint/eprintln/format (LANGUAGE.md §6, issue 11): parsed once, at check time,
// into literal text and placeholders; lowering turns the pieces into runtime calls, nothing is parsed at run time.
//
//   placeholder := '{' [index] [':' spec] '}'        `{{` and `}}` are a literal brace
//   spec        := [[fill] align] ['+'] ['#'] ['0'] [width] ['.' precision] [kind]
//   align       := '<' | '^' | '>'                    fill is any one character
//   kind        := '' | '?' | 'x' | 'X' | 'b' | 'o'
//
// Offsets are indexes (UTF-16 units) into the string's value, after the lexer's escapes.

export type Align = 'left' | 'center' | 'right';
export type FormatKind = '' | '?' | 'x' | 'X' | 'b' | 'o';

export interface FormatSpec {
  readonly fill: string; // one character; ' ' unless given
  readonly align: Align | null; // null: the type's default (numbers right, the rest left)
  readonly plus: boolean;
  readonly alt: boolean; // '#': 0x/0b/0o prefix
  readonly zero: boolean; // '0': sign-aware zero padding
  readonly width: number | null; // in characters
  readonly precision: number | null;
  readonly kind: FormatKind;
}

export type FormatPiece =
  | { readonly k: 'text'; readonly text: string }
  | { readonly k: 'arg'; readonly index: number; readonly spec: FormatSpec; readonly start: number; readonly end: number };

export interface FormatError {
  readonly message: string;
  readonly label: string;
  readonly start: number;
  readonly end: number;
}

export interface ParsedFormat {
  readonly pieces: FormatPiece[];
  /** how many placeholders name an argument (the largest index + 1) */
  readonly argsUsed: number;
  readonly errors: FormatError[];
}

export const PLAIN_SPEC: FormatSpec = { fill: ' ', align: null, plus: false, alt: false, zero: false, width: null, precision: null, kind: '' };

/** The largest width or precision accepted (a bigger one is surely a mistake, and keeps the runtime's sizes small). */
const MAX_COUNT = 65535;

export function parseFormatString(s: string): ParsedFormat {
  const pieces: FormatPiece[] = [];
  const errors: FormatError[] = [];
  let text = '';
  let next = 0; // the next implicit argument
  let argsUsed = 0;
  let i = 0;
  const flush = () => {
    if (text) pieces.push({ k: 'text', text });
    text = '';
  };
  while (i < s.length) {
    const c = s[i]!;
    if (c === '}') {
      if (s[i + 1] === '}') {
        text += '}';
        i += 2;
        continue;
      }
      errors.push({ message: 'unmatched `}` found', label: 'unmatched `}` in format string (write `}}` for a literal `}`)', start: i, end: i + 1 });
      i++;
      continue;
    }
    if (c !== '{') {
      text += c;
      i++;
      continue;
    }
    if (s[i + 1] === '{') {
      text += '{';
      i += 2;
      continue;
    }
    const close = s.indexOf('}', i + 1);
    const open2 = s.indexOf('{', i + 1);
    if (close < 0 || (open2 >= 0 && open2 < close)) {
      errors.push({ message: 'expected `}` to close this placeholder', label: 'unclosed `{` (write `{{` for a literal `{`)', start: i, end: i + 1 });
      text += c;
      i++;
      continue;
    }
    const body = s.slice(i + 1, close);
    const colon = body.indexOf(':');
    const indexText = colon < 0 ? body : body.slice(0, colon);
    let index: number;
    if (indexText === '') index = next++;
    else if (/^[0-9]+$/.test(indexText)) index = Number(indexText);
    else {
      errors.push({ message: `\`${indexText}\` is not an argument position`, label: 'expected a number or nothing before `:`', start: i, end: close + 1 });
      i = close + 1;
      continue;
    }
    const spec = colon < 0 ? PLAIN_SPEC : parseSpec(body.slice(colon + 1), i + 1 + colon + 1, errors);
    flush();
    pieces.push({ k: 'arg', index, spec: spec ?? PLAIN_SPEC, start: i, end: close + 1 });
    argsUsed = Math.max(argsUsed, index + 1);
    i = close + 1;
  }
  flush();
  return { pieces, argsUsed, errors };
}

/** The spec after `:`, starting at offset `at` of the string; null (and an error) when it is malformed. */
function parseSpec(spec: string, at: number, errors: FormatError[]): FormatSpec | null {
  const chars = [...spec]; // by code point, so a fill may be any character
  let p = 0;
  let fill = ' ';
  let align: Align | null = null;
  const alignOf = (ch: string | undefined): Align | null => (ch === '<' ? 'left' : ch === '^' ? 'center' : ch === '>' ? 'right' : null);
  if (chars.length >= 2 && alignOf(chars[1])) {
    fill = chars[0]!;
    align = alignOf(chars[1]);
    p = 2;
  } else if (alignOf(chars[0])) {
    align = alignOf(chars[0]);
    p = 1;
  }
  let plus = false;
  let alt = false;
  let zero = false;
  if (chars[p] === '+') {
    plus = true;
    p++;
  }
  if (chars[p] === '#') {
    alt = true;
    p++;
  }
  if (chars[p] === '0' && /[0-9]/.test(chars[p + 1] ?? '')) {
    zero = true;
    p++;
  }
  const count = (): number | null => {
    let digits = '';
    while (p < chars.length && /[0-9]/.test(chars[p]!)) digits += chars[p++];
    return digits === '' ? null : Number(digits);
  };
  const width = count();
  let precision: number | null = null;
  if (chars[p] === '.') {
    p++;
    precision = count();
    if (precision === null) {
      errors.push({ message: 'expected a precision after `.`', label: 'expected digits after `.`', start: at, end: at + spec.length });
      return null;
    }
  }
  const rest = chars.slice(p).join('');
  if (rest !== '' && rest !== '?' && rest !== 'x' && rest !== 'X' && rest !== 'b' && rest !== 'o') {
    errors.push({ message: `unknown format kind \`${rest}\``, label: 'expected one of `?`, `x`, `X`, `b`, `o` or nothing', start: at, end: at + spec.length });
    return null;
  }
  if ((width ?? 0) > MAX_COUNT || (precision ?? 0) > MAX_COUNT) {
    errors.push({ message: `a width or precision above ${MAX_COUNT}`, label: 'too large', start: at, end: at + spec.length });
    return null;
  }
  const kind = rest as FormatKind;
  if (alt && kind !== 'x' && kind !== 'X' && kind !== 'b' && kind !== 'o') {
    errors.push({ message: '`#` needs one of the kinds `x`, `X`, `b`, `o`', label: '`#` adds a 0x/0b/0o prefix', start: at, end: at + spec.length });
    return null;
  }
  return { fill, align, plus, alt, zero, width, precision, kind };
}

/** The spec written back (for messages): `{:>8}` → `:>8`. */
export function specText(s: FormatSpec): string {
  let t = '';
  if (s.align) t += (s.fill !== ' ' ? s.fill : '') + (s.align === 'left' ? '<' : s.align === 'center' ? '^' : '>');
  if (s.plus) t += '+';
  if (s.alt) t += '#';
  if (s.zero) t += '0';
  if (s.width !== null) t += String(s.width);
  if (s.precision !== null) t += `.${s.precision}`;
  return t + s.kind;
}

/** Why a spec does not apply to a value of type t (a short label), or null when it does. */
export function formatSpecProblem(spec: FormatSpec, t: { k: string; lit?: 'int' | 'float' | null }): string | null {
  const isInt = t.k === 'int' || (t.k === 'var' && t.lit === 'int');
  const isFloat = t.k === 'float' || (t.k === 'var' && t.lit === 'float');
  if (spec.kind === 'x' || spec.kind === 'X' || spec.kind === 'b' || spec.kind === 'o') {
    if (!isInt) return `\`${spec.kind}\` (hexadecimal, binary, octal) is for integers`;
    if (spec.precision !== null) return 'a precision is for floats and strings';
  }
  if (spec.precision !== null && !isFloat && t.k !== 'str') return 'a precision is for floats (digits) and strings (characters)';
  if ((spec.plus || spec.zero) && !isInt && !isFloat) return `\`${spec.plus ? '+' : '0'}\` is for numbers`;
  return null;
}
