// `@flags` enums (LANGUAGE.md §2.1, decisions.md "Flags enums, unions and `use test::{…}`"): `@flags type Perm { Read, Write, Exec }`
// is a set of bit flags. It is expanded, right after parsing, into ordinary TML: a struct holding the bits, an
// inherent impl whose associated constants are the flags (variant i is bit `1 << i`) and whose methods are the
// reference implementation's (`has`, `add`, `remove`, `toggle`, `is_empty`, `bits`, `from_bits`, `none`, `all`),
// and impls of `Eq`, `Hash`, `Debug` and `Display`. The operators `|`, `&`, `^` and `~` are checked in
// check_body.ts and call the methods `bit_or`, `bit_and`, `bit_xor` and `complement` written here. Every span of the
// generated items is the declaration's, so a diagnostic about them points at the `@flags` type.
import type * as ast from '../syntax/ast.js';
import type { DiagnosticBag } from '../syntax/diagnostics.js';
import { parseModule } from '../syntax/parser.js';
import { SourceFile } from '../syntax/source.js';
import { respan } from '../syntax/respan.js';

const REPRS: Record<string, number> = { U8: 8, U16: 16, U32: 32, U64: 64 };

/** The name of the method an operator on a flags value calls. */
export const FLAGS_OPERATORS: Record<string, string> = { '|': 'bit_or', '&': 'bit_and', '^': 'bit_xor', '~': 'complement' };

/** Replaces every top-level `@flags` enum of a module by its expansion (in place). */
export function expandFlags(mod: ast.Module, diags: DiagnosticBag): void {
  if (!mod.items.some(isFlags)) return;
  const out: ast.Item[] = [];
  for (const item of mod.items) {
    if (item.kind === 'Enum' && isFlags(item)) out.push(...expand(item, diags));
    else out.push(item);
  }
  mod.items.splice(0, mod.items.length, ...out);
}

function isFlags(item: ast.Item): boolean {
  return item.kind === 'Enum' && item.attrs.some((a) => a.name === 'flags');
}

function expand(item: Extract<ast.Item, { kind: 'Enum' }>, diags: DiagnosticBag): ast.Item[] {
  const attr = item.attrs.find((a) => a.name === 'flags')!;
  let repr = 'U32';
  let explicit = false;
  if (attr.args.length > 0) {
    const a = attr.args[0]!;
    const name = a.kind === 'Path' && a.segments.length === 1 ? a.segments[0]!.name : null;
    if (attr.args.length > 1 || name === null || !Object.hasOwn(REPRS, name)) {
      diags.error('E0772', 'the argument of `@flags` must be one of `U8`, `U16`, `U32`, `U64`', a.span, { label: 'not an unsigned integer type' });
      return [];
    }
    repr = name;
    explicit = true;
  }
  let ok = true;
  if (item.typeParams.length > 0) {
    diags.error('E0773', `the \`@flags\` type \`${item.name}\` cannot have type parameters`, item.nameSpan, { label: 'a set of bit flags is not generic' });
    ok = false;
  }
  for (const v of item.variants) {
    if (v.shape.kind === 'unit') continue;
    diags.error('E0770', `the variant \`${v.name}\` of the \`@flags\` type \`${item.name}\` carries data`, v.span, {
      label: 'a flag has no fields',
      notes: ['the variants of a `@flags` type are unit variants: each one is a bit'],
    });
    ok = false;
  }
  const n = item.variants.length;
  if (!explicit && n > 32) repr = 'U64';
  if (n > REPRS[repr]!) {
    diags.error('E0771', `the \`@flags\` type \`${item.name}\` has ${n} variants, more than the ${REPRS[repr]} bits of \`${repr}\``, item.nameSpan, {
      label: `too many flags for \`${repr}\``,
      notes: [explicit ? 'use a wider type in `@flags(…)`, up to `U64`' : 'a `@flags` type has at most 64 variants'],
    });
    ok = false;
  }
  if (!ok) return [];
  const file = new SourceFile(item.span.file, source(item, repr));
  const mod = parseModule(file, diags);
  for (const it of mod.items) respan(it, item.span, item.nameSpan);
  const struct = mod.items[0] as Extract<ast.Item, { kind: 'Struct' }>;
  struct.attrs = item.attrs;
  return mod.items;
}

/** The TML text of the expansion. */
function source(item: Extract<ast.Item, { kind: 'Enum' }>, repr: string): string {
  const T = item.name;
  const pub = item.isPub ? 'pub ' : '';
  const all = (1n << BigInt(item.variants.length)) - 1n;
  const lines: string[] = [];
  lines.push(`${pub}type ${T} { bits: ${repr} }`);
  lines.push(`impl ${T} {`);
  item.variants.forEach((v, i) => lines.push(`    pub const ${v.name}: ${T} = ${T} { bits: ${1n << BigInt(i)} }`));
  lines.push(`    pub func none() -> ${T} { ${T} { bits: 0 } }`);
  lines.push(`    pub func all() -> ${T} { ${T} { bits: ${all} } }`);
  lines.push(`    pub func from_bits(bits: ${repr}) -> ${T} { ${T} { bits: bits & ${all} } }`);
  lines.push(`    pub func bits(this) -> ${repr} { this.bits }`);
  lines.push(`    pub func has(this, other: ${T}) -> Bool { (this.bits & other.bits) == other.bits }`);
  lines.push(`    pub func is_empty(this) -> Bool { this.bits == 0 }`);
  lines.push(`    pub func add(this, other: ${T}) -> ${T} { ${T} { bits: this.bits | other.bits } }`);
  lines.push(`    pub func remove(this, other: ${T}) -> ${T} { ${T} { bits: this.bits & ~other.bits } }`);
  lines.push(`    pub func toggle(this, other: ${T}) -> ${T} { ${T} { bits: this.bits ^ other.bits } }`);
  lines.push(`    pub func bit_or(this, other: ref ${T}) -> ${T} { ${T} { bits: this.bits | other.bits } }`);
  lines.push(`    pub func bit_and(this, other: ref ${T}) -> ${T} { ${T} { bits: this.bits & other.bits } }`);
  lines.push(`    pub func bit_xor(this, other: ref ${T}) -> ${T} { ${T} { bits: this.bits ^ other.bits } }`);
  lines.push(`    pub func complement(this) -> ${T} { ${T} { bits: ~this.bits & ${all} } }`);
  lines.push('}');
  lines.push(`impl Eq for ${T} { func eq(this, other: ref ${T}) -> Bool { this.bits == other.bits } }`);
  lines.push(`impl Hash for ${T} { func hash(this) -> I64 { this.bits as I64 } }`);
  lines.push(`impl Debug for ${T} { func debug_string(this) -> Str { if this.bits == 0 then "${T}()" else "${T}(" + this.to_string() + ")" } }`);
  lines.push(`impl Display for ${T} {`);
  lines.push('    func to_string(this) -> Str {');
  lines.push('        var out = ""');
  item.variants.forEach((v, i) => {
    lines.push(`        if (this.bits & ${1n << BigInt(i)}) != 0 {`);
    lines.push(`            out = if out == "" then "${v.name}" else out + " | ${v.name}"`);
    lines.push('        }');
  });
  lines.push('        if out == "" then "(empty)" else out');
  lines.push('    }');
  lines.push('}');
  return lines.join('\n') + '\n';
}
