// Attribute names (LANGUAGE.md, MEMORY.md): an unknown one, or a known one where it means nothing, is an error
// rather than silently ignored (a test marked `@tset` would otherwise just not run).
import type * as ast from '../syntax/ast.js';
import type { DiagnosticBag } from '../syntax/diagnostics.js';

/** Attributes of functions and methods. */
const FUNCTION_ATTRS = ['test', 'should_panic', 'ignore', 'extern', 'track_caller', 'copy_out', 'allow'];
/** Attributes of `type` declarations (structs, enums, unions): the library's ownership and layout markers. */
const TYPE_ATTRS = ['derive', 'move', 'shared', 'borrow', 'send', 'not_send', 'sync', 'deref', 'index', 'map', 'flags'];
/** Attributes of classes. */
const CLASS_ATTRS = ['value', 'pool', 'sync', 'send', 'not_send'];

const KNOWN = [...new Set([...FUNCTION_ATTRS, ...TYPE_ATTRS, ...CLASS_ATTRS])];

type Place = 'function' | 'type' | 'class' | 'behavior' | 'impl';

function allowed(place: Place): readonly string[] {
  switch (place) {
    case 'function':
      return FUNCTION_ATTRS;
    case 'type':
      return TYPE_ATTRS;
    case 'class':
      return CLASS_ATTRS;
    default:
      return [];
  }
}

const PLACE_NAMES: Record<Place, string> = { function: 'a function', type: 'a type', class: 'a class', behavior: 'a behavior', impl: 'an impl' };

/** Checks the attributes of a module's items and of their members (methods of impls, behaviors and classes). */
export function checkAttributes(items: readonly ast.Item[], diags: DiagnosticBag): void {
  for (const item of items) {
    switch (item.kind) {
      case 'Func':
        check(item.attrs, 'function', diags);
        break;
      case 'Struct':
      case 'Enum':
      case 'Union':
        check(item.attrs, 'type', diags);
        break;
      case 'Class':
        check(item.attrs, 'class', diags);
        for (const m of item.methods) check(m.attrs, 'function', diags);
        break;
      case 'Behavior':
        check(item.attrs, 'behavior', diags);
        for (const m of item.methods) check(m.attrs, 'function', diags);
        break;
      case 'Impl':
        check(item.attrs, 'impl', diags);
        for (const m of item.methods) check(m.attrs, 'function', diags);
        break;
      default:
        break;
    }
  }
}

function check(attrs: readonly ast.Attribute[], place: Place, diags: DiagnosticBag): void {
  const here = allowed(place);
  for (const a of attrs) {
    if (here.includes(a.name)) continue;
    if (KNOWN.includes(a.name)) {
      const where = [FUNCTION_ATTRS.includes(a.name) ? 'functions' : null, TYPE_ATTRS.includes(a.name) ? 'types' : null, CLASS_ATTRS.includes(a.name) ? 'classes' : null].filter((x) => x !== null);
      diags.error('E0735', `the attribute \`@${a.name}\` cannot be used on ${PLACE_NAMES[place]}`, a.span, {
        label: `not allowed on ${PLACE_NAMES[place]}`,
        notes: [`\`@${a.name}\` applies to ${where.join(' and ')}`],
      });
    } else {
      const near = closest(a.name, here.length ? here : KNOWN);
      const notes: string[] = [];
      if (near !== null) notes.push(`did you mean \`@${near}\`?`);
      if (here.length) notes.push(`the attributes of ${PLACE_NAMES[place]} are ${here.map((n) => `\`@${n}\``).join(', ')}`);
      else notes.push(`${PLACE_NAMES[place]} takes no attributes`);
      diags.error('E0734', `unknown attribute \`@${a.name}\``, a.span, { label: 'unknown attribute', notes });
    }
  }
}

/** The candidate closest to `name` by edit distance, if close enough to be a likely typo. */
export function closest(name: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  const limit = Math.max(1, Math.floor(name.length / 3));
  return best !== null && bestD <= limit ? best : null;
}

/** Levenshtein distance, with a transposition of two neighbours counting as one edit (`tset` → `test`). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}
