// Write-only fields. A number field of a struct that no code of the program reads holds nothing anyone can see, so
// its stores go: `Pool[T]`'s `acquires` counter in a program that never asks for `stats()`. A read that only feeds
// the field's own store (`s.n += 1`: `_t = add(copy s.n, 1); s.n = move _t`) is not a read; dead_stores then removes
// what computed the value. Whole-program and sound because all code that can read a field is here: the runtime and
// C code see a struct only through an extern call, and memory reaches another type only through a pointer cast, a
// union, a `dyn`, or pointer arithmetic from a field's raw address (or from a reference made raw, `&*r`, which may
// point at any struct's field). A struct any of those can reach keeps every field, except for the two casts of its
// own memory that read nothing: the allocation's (`tml_alloc(n) as *S`, the raw pointer used for nothing else) and
// the free's (`p as *Unit`, given only to `tml_free` or `tml_realloc`). Class objects keep theirs (the header is
// the runtime's). Not in a debuggable build: a debugger reads fields too.
import type { Type } from '../../sema/types.js';
import { mangleType, structFields, variantFields, type AdtDef } from '../../sema/types.js';
import { placeType, projType } from '../analysis/place_type.js';
import type { BasicBlock, LocalId, MirFunction, MirProgram, Operand, Place, Statement } from '../mir.js';
import { forEachStatementOperand, localUses, statementOperands, terminatorOperands, type LocalUses } from './visit.js';

/** For the fuzzer's proof that it can fail (tests/fuzz/alias_fuzz.test.ts): with `ignoreEscapes`, a struct whose
 * memory another type reads loses its stores too. */
export const deadFieldsForTests = { ignoreEscapes: false };

type AdtType = Extract<Type, { k: 'adt' }>;

/** `(def, field)` pairs: the fields of each struct definition (all its instances together) that something reads. */
type FieldSet = Map<AdtDef, Set<number>>;

/** A store into a number field of a struct: removed if nothing reads the field. */
interface Store {
  readonly block: BasicBlock;
  readonly stmt: Statement;
  readonly def: AdtDef;
  readonly index: number;
}

export function removeWriteOnlyFields(p: MirProgram): void {
  const escaped = new Set<AdtDef>();
  const read: FieldSet = new Map();
  const stores: Store[] = [];
  const seen = new Set<string>();
  const seenTypes = new WeakSet<Type>();
  const escape = (t: Type) => {
    if (seenTypes.has(t)) return;
    seenTypes.add(t);
    forEachReachableAdt(t, seen, (a) => escaped.add(a.def));
  };
  // the pointee types of references made raw pointers
  const refTargets = new Set<string>();
  for (const f of p.functions) scanFunction(f, read, escape, stores, refTargets);
  // such a pointer may point at a field, and pointer arithmetic reaches the fields around it: every ADT type the
  // program's locals hold that holds a target inline lets its memory out
  if (refTargets.size) {
    const walked = new Set<string>();
    const holder = (t: AdtType) => {
      if (holdsInline(t, refTargets, new Set())) escape(t);
    };
    for (const f of p.functions) for (const l of f.locals) forEachReachableAdt(l.ty, walked, holder);
  }
  const dead = new Set<Statement>();
  for (const st of stores) if ((deadFieldsForTests.ignoreEscapes || !escaped.has(st.def)) && !read.get(st.def)?.has(st.index)) dead.add(st.stmt);
  const blocks = new Set(stores.filter((st) => dead.has(st.stmt)).map((st) => st.block));
  for (const b of blocks) b.stmts = b.stmts.filter((s) => !dead.has(s));
}

/** The struct field a place names last (`(*_1).6`) when it is a number, or null. Never a class object's
 * (`AdtDef.objectOf`): the runtime makes, reads and frees those. */
function numberField(f: MirFunction, p: Place): { def: AdtDef; index: number } | null {
  const n = p.proj.length;
  const last = p.proj[n - 1];
  if (last?.k !== 'field') return null;
  let t = f.locals[p.local]!.ty;
  for (let i = 0; i < n - 1; i++) t = projType(t, p.proj[i]!);
  if (t.k !== 'adt' || t.def.kind !== 'struct' || t.def.objectOf !== undefined) return null;
  const ft = projType(t, last);
  return ft.k === 'int' || ft.k === 'float' || ft.k === 'bool' || ft.k === 'char' ? { def: t.def, index: last.index } : null;
}

/** What one function needs to know about its locals, computed when a statement first asks (most never do). */
class LocalFacts {
  private uses_: LocalUses | null = null;
  private defs_: Map<LocalId, Statement> | null = null;
  private users_: Map<LocalId, Statement> | null = null;
  constructor(readonly f: MirFunction) {}
  get uses(): LocalUses {
    return (this.uses_ ??= localUses(this.f));
  }
  get defs(): Map<LocalId, Statement> {
    return (this.defs_ ??= definitions(this.f));
  }
  get users(): Map<LocalId, Statement> {
    return (this.users_ ??= singleUsers(this.f, this.uses));
  }
}

/** Records what a function reads (`read`), which types' memory it lets out of sight (`escape`) and its stores into
 * number fields (`stores`). */
function scanFunction(f: MirFunction, read: FieldSet, escape: (t: Type) => void, stores: Store[], refTargets: Set<string>): void {
  const facts = new LocalFacts(f);
  const own = ownStoreReads(f, facts);
  const readPlace = (p: Place, skipLast: boolean) => {
    let t = f.locals[p.local]!.ty;
    const n = skipLast ? p.proj.length - 1 : p.proj.length;
    for (let i = 0; i < p.proj.length; i++) {
      const pr = p.proj[i]!;
      if (pr.k === 'field' && t.k === 'adt' && t.def.kind === 'struct' && i < n) {
        let set = read.get(t.def);
        if (!set) read.set(t.def, (set = new Set()));
        set.add(pr.index);
      }
      // a union's fields share their memory: what is written as one may be read as another (a store too)
      if (pr.k === 'field' && t.k === 'adt' && t.def.kind === 'union') escape(t);
      t = projType(t, pr);
    }
  };
  const readOperand = (o: Operand) => {
    if (o.k !== 'const') readPlace(o.place, false);
  };
  // a read that feeds the field's own store reads what leads to the field, not the field
  const readOwnOperand = (o: Operand) => {
    if (o.k !== 'const') readPlace(o.place, true);
  };
  const escapeOperand = (o: Operand) => escape(o.k === 'const' ? o.ty : placeType(f, o.place));
  for (const b of f.blocks) {
    for (const s of b.stmts) {
      if (s.k === 'assign') {
        readPlace(s.place, true);
        const r = s.rvalue;
        if (r.k === 'ref' || r.k === 'discriminant') readPlace(r.place, false);
        // the raw address of a field: pointer arithmetic reaches the rest of the struct (and of those around it)
        if (r.k === 'ref' && r.raw) escapeEnclosing(f, r.place, escape, refTargets);
        else forEachStatementOperand(s, own.has(s) ? readOwnOperand : readOperand);
        if (r.k === 'cast' && r.to.k === 'ptr' && r.operand.k !== 'const') {
          const from = placeType(f, r.operand.place);
          if (from.k === 'ref') refTargets.add(mangleType(from.inner));
        }
        if (r.k === 'cast' && !isAllocCast(f, s, facts) && !isFreeCast(f, s, facts)) {
          escapeOperand(r.operand);
          escape(r.to);
        }
        if (r.k === 'unsize' || (r.k === 'aggregate' && r.kind.k === 'union')) forEachStatementOperand(s, escapeOperand);
        const k = numberField(f, s.place);
        if (k) stores.push({ block: b, stmt: s, def: k.def, index: k.index });
      } else if (s.k === 'call') {
        if (s.dest) readPlace(s.dest, true);
        forEachStatementOperand(s, readOperand);
        if (s.callee.k === 'extern') {
          for (const o of s.args) escapeOperand(o);
          escape(s.callee.ret);
        }
      } else if (s.k === 'drop' || s.k === 'retain') {
        readPlace(s.place, false);
      }
    }
    for (const o of terminatorOperands(b.term)) readOperand(o);
  }
}

/** For the raw address of a place: escapes the structs it lies inside, up to its last dereference (`&raw s.a.b`
 * lets out `s`'s and `s.a`'s memory); when that dereference is of a reference, what it points at may itself be a
 * field of any struct, so its type joins `refTargets`. */
function escapeEnclosing(f: MirFunction, p: Place, escape: (t: Type) => void, refTargets: Set<string>): void {
  let t = f.locals[p.local]!.ty;
  let inside: Type[] = [];
  let throughRef: Type | null = null;
  for (const pr of p.proj) {
    if (pr.k === 'deref') {
      inside = [];
      throughRef = t.k === 'ref' ? t.inner : null;
    } else inside.push(t);
    t = projType(t, pr);
  }
  inside.forEach(escape);
  if (throughRef) refTargets.add(mangleType(throughRef));
}

/** Whether a value of type `t` holds (in its own memory, not behind a pointer) a value of one of the `targets`. */
function holdsInline(t: Type, targets: Set<string>, seen: Set<string>): boolean {
  const key = mangleType(t);
  if (targets.has(key)) return true;
  if (seen.has(key)) return false;
  seen.add(key);
  if (t.k === 'tuple') return t.elems.some((e) => holdsInline(e, targets, seen));
  if (t.k === 'array') return holdsInline(t.elem, targets, seen);
  if (t.k !== 'adt' || t.def.kind === 'class' || t.def.kind === 'interface') return false;
  if (t.def.kind === 'enum') return t.def.variants.some((_, v) => variantFields(t, v).some((ft) => holdsInline(ft, targets, seen)));
  return structFields(t).some((fd) => holdsInline(fd.ty, targets, seen));
}

/** Each local's whole-local definitions (`_n = …`, a call into `_n`), for the locals defined exactly once. */
function definitions(f: MirFunction): Map<LocalId, Statement> {
  const out = new Map<LocalId, Statement>();
  for (const b of f.blocks) {
    for (const s of b.stmts) {
      const w = s.k === 'assign' ? s.place : s.k === 'call' ? s.dest : null;
      if (w && w.proj.length === 0) out.set(w.local, s);
    }
  }
  return out;
}

/** The statement that reads each local used exactly once, as a whole (`move _t`, `copy _t`). */
function singleUsers(f: MirFunction, uses: LocalUses): Map<LocalId, Statement> {
  const out = new Map<LocalId, Statement>();
  for (const b of f.blocks) {
    for (const s of b.stmts) {
      for (const o of statementOperands(s)) if (o.k !== 'const' && o.place.proj.length === 0 && uses.uses[o.place.local] === 1) out.set(o.place.local, s);
    }
  }
  return out;
}

/** The statements whose reads only feed a store into the field they read (`_t = add(copy s.n, 1); s.n = move _t`,
 * `_t` a temporary used nowhere else). */
function ownStoreReads(f: MirFunction, facts: LocalFacts): Set<Statement> {
  const out = new Set<Statement>();
  for (const b of f.blocks) {
    for (const s of b.stmts) {
      if (s.k !== 'assign' || s.rvalue.k !== 'use' || s.rvalue.op.k === 'const' || s.rvalue.op.place.proj.length !== 0) continue;
      const t = s.rvalue.op.place.local;
      if (f.locals[t]!.kind !== 'temp') continue;
      const store = numberField(f, s.place);
      if (!store || facts.uses.defs[t] !== 1 || facts.uses.uses[t] !== 1) continue;
      const def = facts.defs.get(t);
      if (def?.k !== 'assign') continue;
      const r = def.rvalue;
      if (r.k !== 'binary' && r.k !== 'unary' && r.k !== 'use') continue;
      // every place it reads is that field, or a temporary or constant that says nothing about other fields
      const ok = statementOperands(def).every((o) => {
        if (o.k === 'const' || o.place.proj.length === 0) return true;
        const k = numberField(f, o.place);
        return k !== null && k.def === store.def && k.index === store.index;
      });
      if (ok) out.add(def);
    }
  }
  return out;
}

/** The runtime's allocator: it hands out and takes back memory without reading it (realloc copies it as it is). */
const ALLOCATES = new Set(['tml_alloc', 'tml_realloc']);
const TAKES_BACK = new Set(['tml_free', 'tml_realloc']);

/** `_p = move _raw as *S` where `_raw` is what `tml_alloc` or `tml_realloc` returned, used for nothing else. */
function isAllocCast(f: MirFunction, s: Statement, facts: LocalFacts): boolean {
  if (s.k !== 'assign' || s.rvalue.k !== 'cast' || s.rvalue.operand.k === 'const' || s.rvalue.operand.place.proj.length !== 0) return false;
  const raw = s.rvalue.operand.place.local;
  if (f.locals[raw]!.kind !== 'temp' || facts.uses.defs[raw] !== 1 || facts.uses.uses[raw] !== 1) return false;
  const def = facts.defs.get(raw);
  return def?.k === 'call' && def.callee.k === 'extern' && ALLOCATES.has(def.callee.symbol);
}

/** `_u = copy _p as *Unit` where `_u` is used only as the memory `tml_free` or `tml_realloc` takes back. */
function isFreeCast(f: MirFunction, s: Statement, facts: LocalFacts): boolean {
  if (s.k !== 'assign' || s.place.proj.length !== 0 || s.rvalue.k !== 'cast') return false;
  const u = s.place.local;
  if (f.locals[u]!.kind !== 'temp' || facts.uses.defs[u] !== 1 || facts.uses.uses[u] !== 1) return false;
  const user = facts.users.get(u);
  if (user?.k !== 'call' || user.callee.k !== 'extern' || !TAKES_BACK.has(user.callee.symbol)) return false;
  const first = user.args[0];
  const only = user.args.filter((o) => o.k !== 'const' && o.place.local === u);
  return first?.k !== 'const' && first?.place.local === u && first.place.proj.length === 0 && only.length === 1;
}

/** Calls `visit` once for each ADT type a value of type `t` holds or points to, at any depth (`seen`: the ADT types
 * already walked, by their mangled names; only an ADT can lead back to itself). */
function forEachReachableAdt(t: Type, seen: Set<string>, visit: (t: AdtType) => void): void {
  switch (t.k) {
    case 'ref':
    case 'ptr':
      forEachReachableAdt(t.inner, seen, visit);
      return;
    case 'tuple':
      for (const e of t.elems) forEachReachableAdt(e, seen, visit);
      return;
    case 'array':
      forEachReachableAdt(t.elem, seen, visit);
      return;
    case 'adt': {
      const key = mangleType(t);
      if (seen.has(key)) return;
      seen.add(key);
      visit(t);
      if (t.def.kind === 'enum') t.def.variants.forEach((_, v) => variantFields(t, v).forEach((ft) => forEachReachableAdt(ft, seen, visit)));
      else for (const fd of structFields(t)) forEachReachableAdt(fd.ty, seen, visit);
      for (const a of t.args) forEachReachableAdt(a, seen, visit);
      return;
    }
    default:
      return;
  }
}
