// "Did you mean": the name in scope closest to a misspelled one, by edit distance, as rustc does — only names the
// program could have meant (locals and items in scope, the fields or methods of that very type), and none when
// nothing is close (at most a third of the name's length in edits, at least one), so a help line is never a guess.
import type { Suggestion } from '../syntax/diagnostics.js';
import type { Span } from '../syntax/source.js';

/** Levenshtein distance: insertions, deletions and substitutions, each costing 1. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/** The candidate closest to `name` within the limit (a case-only difference is closest), or null. Ties go to the
 * first candidate, so callers list the likeliest kind of name first. */
export function similarName(name: string, candidates: Iterable<string>): string | null {
  const limit = Math.max(1, Math.floor(name.length / 3));
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const c of candidates) {
    if (c === name || c.startsWith('$')) continue;
    const d = c.toLowerCase() === name.toLowerCase() ? 0.5 : editDistance(name, c);
    if (d <= limit && d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** Candidate names in groups, likeliest first: `[['local variable', locals], ['function', fns]]`. */
export type NameGroups = readonly (readonly [kind: string, names: Iterable<string>])[];

/** The suggestion to write the closest name of `groups` instead of `name` at `span`: "a local variable with a
 * similar name exists: `total`"; none when nothing is close. */
export function similarNameSuggestion(name: string, span: Span, groups: NameGroups): Suggestion[] {
  let best: { kind: string; name: string; distance: number } | null = null;
  for (const [kind, names] of groups) {
    const found = similarName(name, names);
    if (found === null) continue;
    const distance = found.toLowerCase() === name.toLowerCase() ? 0.5 : editDistance(name, found);
    if (best === null || distance < best.distance) best = { kind, name: found, distance };
  }
  if (best === null) return [];
  const article = /^[aeiou]/.test(best.kind) ? 'an' : 'a';
  return [{ span, replacement: best.name, message: `${article} ${best.kind} with a similar name exists: \`${best.name}\`` }];
}
