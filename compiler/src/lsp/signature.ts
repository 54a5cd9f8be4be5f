// How hover shows a declaration: a function as its signature, written as in the source (`func dist(this, other:
// Point) -> F64`), a local with its type, a type with its kind.
import type { FuncDef } from '../sema/defs.js';
import { typeToString, type AdtDef } from '../sema/types.js';
import type { SourceMap } from '../syntax/source.js';

/** `func name[T](params) -> R`: the declaration's own text up to its body, on one line; built from the types when
 * the function has no source (compiler-made). A method says what it belongs to: `Point::dist`. */
export function functionSignature(fn: FuncDef, sources: SourceMap): string {
  const owner = fn.selfType ? `${typeToString(fn.selfType)}::` : '';
  const decl = fn.decl;
  const text = decl ? sources.get(decl.span.file)?.text : undefined;
  if (decl && text !== undefined && decl.nameSpan.start !== decl.span.start) {
    const end = decl.body ? decl.body.span.start : decl.span.end;
    const from = text.indexOf('func', decl.span.start);
    if (from >= 0 && from < decl.nameSpan.start) {
      const sig = text.slice(from, end).replace(/\s+/g, ' ').trim();
      return owner ? sig.replace(/^func /, `func ${owner}`) : sig;
    }
  }
  const params = fn.params.map((p) => `${p.name}: ${typeToString(p.ty)}`).join(', ');
  const ret = fn.asyncRet ?? fn.ret;
  return `func ${owner}${fn.name}(${params})${ret.k === 'unit' ? '' : ` -> ${typeToString(ret)}`}`;
}

/** `type Point`, `class Animal`, `type Maybe[T]` (enums are `type` too: LANGUAGE.md spells both so). */
export function adtSignature(def: AdtDef): string {
  const kw = def.kind === 'class' || def.kind === 'interface' || def.kind === 'union' ? def.kind : 'type';
  const params = def.params.length ? `[${def.params.map((p) => p.name).join(', ')}]` : '';
  return `${kw} ${def.name}${params}`;
}
