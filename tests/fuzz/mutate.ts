// A deterministic mutation engine for TML source, for fuzzing the front end.
//
// Mutant `index` of seed `seed` depends only on (seed, index, original text): each mutant gets its own PRNG
// (mulberry32 seeded from both), so any single mutant can be regenerated without the ones before it. The engine
// has its own small tokenizer on purpose: mutants stay the same when the compiler's lexer changes, and a lexer
// bug cannot skew what the fuzzer feeds the compiler.

/** mulberry32: a small, fast 32-bit PRNG. Returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A PRNG with helpers. */
export class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  /** Integer in [0, n); 0 when n <= 0. */
  int(n: number): number {
    return n <= 0 ? 0 : Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** Mixes a base seed and a mutant index into the seed of that mutant's PRNG. */
export function mutantSeed(seed: number, index: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (index + 0x7f4a7c15), 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

// ---------- tokenizer ----------

/** A token of the source: the half-open range [start, end). */
export interface Tok {
  start: number;
  end: number;
}

const PUNCT = [
  '<<=', '>>=',
  '==', '!=', '<=', '>=', '<<', '>>', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '->', '=>', '::', '..', '&&', '||',
  '+', '-', '*', '/', '%', '<', '>', '&', '|', '^', '~', '=', '?', ':', '.', ',', '@', '!', ';', '(', ')', '[', ']', '{', '}',
];

const isIdentStart = (c: string | undefined): boolean => c !== undefined && /[A-Za-z_]/.test(c);
const isIdentChar = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_]/.test(c);
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/**
 * Splits TML source into tokens, skipping whitespace and comments. Never throws, whatever the text. Strings are
 * cut at interpolations: `"a {x + 1} b"` is `"a {`, `x`, `+`, `1`, `} b"`, so the code inside is mutated too.
 */
export function tokenizeTml(src: string): Tok[] {
  const toks: Tok[] = [];
  let pos = 0;
  const n = src.length;

  /** Code tokens until end of input, or (inInterp) an unmatched `}` or the end of the line; pos stays at the stop. */
  const code = (inInterp: boolean): void => {
    let depth = 0;
    while (pos < n) {
      const c = src[pos]!;
      if (c === '\n') {
        if (inInterp) return;
        pos++;
      } else if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v' || c === '\ufeff') {
        pos++;
      } else if (c === '/' && src[pos + 1] === '/') {
        while (pos < n && src[pos] !== '\n') pos++;
      } else if (c === '/' && src[pos + 1] === '*') {
        let d = 0;
        while (pos < n) {
          if (src.startsWith('/*', pos)) {
            d++;
            pos += 2;
          } else if (src.startsWith('*/', pos)) {
            d--;
            pos += 2;
            if (d === 0) break;
          } else pos++;
        }
      } else if (c === 'r' && src[pos + 1] === '"') {
        const start = pos;
        const close = src.indexOf('"', pos + 2);
        pos = close < 0 ? n : close + 1;
        toks.push({ start, end: pos });
      } else if (isIdentStart(c)) {
        const start = pos;
        while (isIdentChar(src[pos])) pos++;
        toks.push({ start, end: pos });
      } else if (isDigit(c)) {
        const start = pos;
        while (isIdentChar(src[pos])) pos++;
        if (src[pos] === '.' && isDigit(src[pos + 1])) {
          pos++;
          while (isIdentChar(src[pos])) pos++;
        }
        toks.push({ start, end: pos });
      } else if (c === '"') {
        string();
      } else if (c === "'") {
        // a character literal up to its closing quote (escapes like `'\u{1F600}'` included), else a lone `'`
        const start = pos;
        let end = pos + 1;
        if (src[end] === '\\') end += 2;
        else if (end < n && src[end] !== '\n') end += String.fromCodePoint(src.codePointAt(end)!).length;
        while (end < n && end - start < 14 && src[end] !== "'" && src[end] !== '\n') end++;
        pos = src[end] === "'" ? end + 1 : start + 1;
        toks.push({ start, end: pos });
      } else {
        if (inInterp && c === '}' && depth === 0) return;
        if (c === '{') depth++;
        if (c === '}') depth--;
        const p = PUNCT.find((q) => src.startsWith(q, pos));
        const len = p !== undefined ? p.length : String.fromCodePoint(src.codePointAt(pos)!).length;
        toks.push({ start: pos, end: pos + len });
        pos += len;
      }
    }
  };

  /** At `"`: the string, as one token or as pieces around its interpolations. */
  const string = (): void => {
    let segStart = pos;
    pos++;
    while (pos < n) {
      const c = src[pos]!;
      if (c === '\n') break;
      if (c === '"') {
        pos++;
        break;
      }
      if (c === '\\') {
        pos = Math.min(pos + 2, n);
      } else if (c === '{' && isIdentStart(src[pos + 1])) {
        toks.push({ start: segStart, end: pos + 1 });
        pos++;
        code(true);
        segStart = pos; // at `}` (or where the interpolation was cut off)
        if (src[pos] !== '}') return;
        pos++;
      } else {
        pos++;
      }
    }
    if (pos > segStart) toks.push({ start: segStart, end: pos });
  };

  code(false);
  return toks;
}

// ---------- mutations ----------

export type MutationKind =
  | 'delete-token'
  | 'duplicate-token'
  | 'swap-tokens'
  | 'delete-line'
  | 'duplicate-line'
  | 'swap-lines'
  | 'insert-token';

export const MUTATION_KINDS: readonly MutationKind[] = [
  'delete-token',
  'duplicate-token',
  'swap-tokens',
  'delete-line',
  'duplicate-line',
  'swap-lines',
  'insert-token',
];

/** What `insert-token` inserts: keywords, brackets, operators and a few identifiers and literals. */
export const INSERTABLE: readonly string[] = [
  'func', 'type', 'union', 'behavior', 'impl', 'use', 'pub', 'mod', 'const', 'let', 'var', 'if', 'then', 'else',
  'when', 'loop', 'while', 'for', 'in', 'to', 'through', 'break', 'continue', 'return', 'and', 'or', 'not', 'xor',
  'shl', 'shr', 'this', 'This', 'as', 'is', 'mut', 'ref', 'do', 'move', 'async', 'await', 'where', 'dyn', 'lowlevel',
  'class', 'interface', 'extends', 'implements', 'override', 'virtual', 'abstract', 'sealed', 'static', 'base',
  'throw', 'defer', 'true', 'false', 'null', 'enum', 'unsafe', 'self',
  '(', ')', '[', ']', '{', '}', '<', '>', '(', ')', '{', '}',
  '=', '==', '=>', '->', '::', ':', '.', '..', ',', ';', '@', '!', '?', '&', '|', '*', '+', '-', '/', '%', '~', '^',
  'x', 'T', 'Self', 'I32', 'Str', 'Maybe', 'main', '_', '0', '1', '-1', '255u8', '1.5', '"s"', '"{x}"', "'c'",
  '@test', '\n',
];

/** One applied mutation, for the failure report. */
export interface Mutation {
  kind: MutationKind;
  /** e.g. `token 12 "let"`, `line 4`, `lines 3<->7`, `"{" before token 9` */
  detail: string;
}

export interface Mutant {
  text: string;
  mutations: Mutation[];
}

function show(s: string): string {
  const t = s.length > 40 ? s.slice(0, 37) + '...' : s;
  return JSON.stringify(t);
}

/** Applies one mutation of the given kind; null when the text has nothing to apply it to. */
export function applyMutation(text: string, kind: MutationKind, rng: Rng): { text: string; mutation: Mutation } | null {
  const done = (t: string, detail: string): { text: string; mutation: Mutation } => ({ text: t, mutation: { kind, detail } });
  switch (kind) {
    case 'delete-token':
    case 'duplicate-token':
    case 'swap-tokens':
    case 'insert-token': {
      const toks = tokenizeTml(text);
      if (kind === 'insert-token') {
        const i = rng.int(toks.length + 1);
        const at = i < toks.length ? toks[i]!.start : text.length;
        const ins = rng.pick(INSERTABLE);
        const piece = ins === '\n' ? '\n' : ins + ' ';
        return done(text.slice(0, at) + piece + text.slice(at), `${show(ins)} before token ${i}`);
      }
      if (toks.length === 0) return null;
      if (kind === 'swap-tokens') {
        if (toks.length < 2) return null;
        const i = rng.int(toks.length - 1);
        const a = toks[i]!;
        const b = toks[i + 1]!;
        const ta = text.slice(a.start, a.end);
        const tb = text.slice(b.start, b.end);
        return done(
          text.slice(0, a.start) + tb + text.slice(a.end, b.start) + ta + text.slice(b.end),
          `tokens ${i} ${show(ta)} <-> ${i + 1} ${show(tb)}`,
        );
      }
      const i = rng.int(toks.length);
      const t = toks[i]!;
      const tt = text.slice(t.start, t.end);
      if (kind === 'delete-token') return done(text.slice(0, t.start) + text.slice(t.end), `token ${i} ${show(tt)}`);
      const sep = rng.chance(0.5) ? ' ' : '';
      return done(text.slice(0, t.end) + sep + tt + text.slice(t.end), `token ${i} ${show(tt)}`);
    }
    case 'delete-line':
    case 'duplicate-line':
    case 'swap-lines': {
      const lines = text.split('\n');
      if (kind === 'swap-lines') {
        if (lines.length < 2) return null;
        const i = rng.int(lines.length - 1);
        const j = rng.chance(0.5) ? i + 1 : i + 1 + rng.int(lines.length - i - 1);
        const li = lines[i]!;
        lines[i] = lines[j]!;
        lines[j] = li;
        return done(lines.join('\n'), `lines ${i + 1} <-> ${j + 1}`);
      }
      const i = rng.int(lines.length);
      if (kind === 'delete-line') lines.splice(i, 1);
      else lines.splice(i, 0, lines[i]!);
      return done(lines.join('\n'), `line ${i + 1}`);
    }
  }
}

/**
 * Mutant `index` of `text` under `seed`: one to three mutations (mostly one), each applied to the result of the
 * last. Always differs from `text` unless no mutation applies (an empty file).
 */
export function mutate(text: string, seed: number, index: number): Mutant {
  const rng = new Rng(mutantSeed(seed, index));
  const count = rng.chance(0.6) ? 1 : rng.chance(0.6) ? 2 : 3;
  const mutations: Mutation[] = [];
  let cur = text;
  for (let k = 0, tries = 0; k < count && tries < 20; tries++) {
    const r = applyMutation(cur, rng.pick(MUTATION_KINDS), rng);
    if (r === null || r.text === cur) continue;
    cur = r.text;
    mutations.push(r.mutation);
    k++;
  }
  return { text: cur, mutations };
}
