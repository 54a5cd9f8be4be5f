// The MIR validator: structural and type invariants every MIR program must satisfy before codegen. The compiler's
// tests run it on every program they compile; a violation is a compiler bug, reported with the function and block.
import { derefPlaceType, isClosed, mangleType, structFields, typeEquals, typeToString, variantFields, type Type } from '../sema/types.js';
import type { MirFunction, MirProgram, Operand, Place, Statement } from './mir.js';
import { rvalueOperands } from './move_paths.js';
import { printPlace, printStatement } from './print.js';

export function validateProgram(p: MirProgram): string[] {
  const errors: string[] = [];
  const fns = new Map(p.functions.map((f) => [f.symbol, f]));
  if (fns.size !== p.functions.length) errors.push('duplicate function symbols');
  for (const f of p.functions) errors.push(...validateFunction(f, fns, p));
  for (const v of p.vtables) for (const s of v.slots) if (!fns.has(s)) errors.push(`vtable ${v.symbol}: slot ${s} is not a function`);
  if (p.entry && !fns.has(p.entry.symbol)) errors.push(`entry ${p.entry.symbol} is not a function`);
  for (const t of p.tests) if (!fns.has(t.symbol)) errors.push(`test ${t.name}: ${t.symbol} is not a function`);
  return errors;
}

/** `generic`: a body lowered in its generic form for the checks (check_bodies.ts): its types may be open and its
 * callees, glue and vtables are named but not built. */
export function validateFunction(f: MirFunction, fns: Map<string, MirFunction>, p: Pick<MirProgram, 'vtables'>, generic = false): string[] {
  const errors: string[] = [];
  const where = (bi: number, s?: Statement) => `${f.displayName} [${f.symbol}] bb${bi}${s ? `: ${printStatement(s)}` : ''}`;
  if (f.argCount >= f.locals.length) errors.push(`${f.displayName}: argCount ${f.argCount} exceeds the locals`);
  f.locals.forEach((l, i) => {
    if (l.id !== i) errors.push(`${f.displayName}: local ${i} has id ${l.id}`);
    if (!generic && !isClosed(l.ty)) errors.push(`${f.displayName}: local _${i} has an open type ${typeToString(l.ty)}`);
  });
  const nb = f.blocks.length;
  const target = (bi: number, t: number) => {
    if (t < 0 || t >= nb) errors.push(`${where(bi)}: jump to missing block bb${t}`);
  };
  const placeType = (pl: Place): Type | string => {
    if (pl.local < 0 || pl.local >= f.locals.length) return `unknown local _${pl.local}`;
    let t = f.locals[pl.local]!.ty;
    for (const pr of pl.proj) {
      switch (pr.k) {
        case 'deref':
          {
            const inner = derefPlaceType(t);
            if (!inner) return `deref of ${typeToString(t)} in ${printPlace(pl)}`;
            t = inner;
          }
          break;
        case 'field':
          if (t.k === 'tuple') {
            if (pr.index >= t.elems.length) return `field ${pr.index} of ${typeToString(t)}`;
            t = t.elems[pr.index]!;
          } else if (t.k === 'adt' && t.def.kind !== 'enum') {
            const fs = structFields(t);
            if (pr.index >= fs.length) return `field ${pr.index} of ${typeToString(t)}`;
            t = fs[pr.index]!.ty;
          } else if (t.k === 'func' || ((t.k === 'ref' || t.k === 'ptr') && t.inner.k === 'dyn')) {
            if (pr.index > 1) return `field ${pr.index} of ${typeToString(t)}`;
            t = { k: 'ptr', inner: { k: 'int', name: 'U8', bits: 8, signed: false } };
          } else return `field projection on ${typeToString(t)} in ${printPlace(pl)}`;
          break;
        case 'variant':
          if (t.k !== 'adt' || t.def.kind !== 'enum' || !t.def.variants[pr.variant]) return `variant projection on ${typeToString(t)}`;
          {
            const fs = variantFields(t, pr.variant);
            if (pr.index >= fs.length) return `field ${pr.index} of variant ${pr.variant} of ${typeToString(t)}`;
            t = fs[pr.index]!;
          }
          break;
        case 'index': {
          if (t.k !== 'array') return `index projection on ${typeToString(t)}`;
          const it = f.locals[pr.index]?.ty;
          if (!it || it.k !== 'int') return `array index _${pr.index} is not an integer`;
          t = t.elem;
          break;
        }
      }
    }
    return t;
  };
  const operandType = (o: Operand): Type | string => (o.k === 'const' ? o.ty : placeType(o.place));
  const check = (bi: number, s: Statement, what: string, r: Type | string): Type | null => {
    if (typeof r === 'string') {
      errors.push(`${where(bi, s)}: ${what}: ${r}`);
      return null;
    }
    return r;
  };
  f.blocks.forEach((b, bi) => {
    if (b.id !== bi) errors.push(`${f.displayName}: block ${bi} has id ${b.id}`);
    for (const s of b.stmts) {
      switch (s.k) {
        case 'assign': {
          const dt = check(bi, s, 'destination', placeType(s.place));
          const r = s.rvalue;
          const ops = rvalueOperands(r);
          const opTys = ops.map((o) => check(bi, s, 'operand', operandType(o)));
          if (r.k === 'use' && dt && opTys[0] && !typeEquals(dt, opTys[0]) && opTys[0].k !== 'never') {
            errors.push(`${where(bi, s)}: assigns ${typeToString(opTys[0])} to ${typeToString(dt)}`);
          }
          if ((r.k === 'ref' || r.k === 'discriminant') && typeof placeType(r.place) === 'string') check(bi, s, 'place', placeType(r.place));
          if (r.k === 'discriminant') {
            const pt = placeType(r.place);
            if (typeof pt !== 'string' && !(pt.k === 'adt' && pt.def.kind === 'enum')) errors.push(`${where(bi, s)}: discriminant of ${typeToString(pt)}`);
          }
          if (r.k === 'aggregate' && dt) {
            const k = r.kind;
            // an interface value is { object, vtable }
            const iface = dt.k === 'adt' && dt.def.kind === 'interface' && r.ops.length === 2;
            if (k.k === 'struct' && !iface && !(dt.k === 'adt' && dt.def.kind === 'struct' && structFields(dt).length === r.ops.length)) errors.push(`${where(bi, s)}: struct aggregate does not fit ${typeToString(dt)}`);
            if (k.k === 'variant' && !(dt.k === 'adt' && dt.def.kind === 'enum' && dt.def.variants[k.variant] && variantFields(dt, k.variant).length === r.ops.length)) errors.push(`${where(bi, s)}: variant aggregate does not fit ${typeToString(dt)}`);
            if (k.k === 'union' && !(dt.k === 'adt' && dt.def.kind === 'union' && dt.def.fields[k.field] && r.ops.length === 1)) errors.push(`${where(bi, s)}: union aggregate does not fit ${typeToString(dt)}`);
            if (k.k === 'tuple' && !(dt.k === 'tuple' && dt.elems.length === r.ops.length)) errors.push(`${where(bi, s)}: tuple aggregate does not fit ${typeToString(dt)}`);
            if (k.k === 'array' && !(dt.k === 'array' && dt.size === r.ops.length)) errors.push(`${where(bi, s)}: array aggregate does not fit ${typeToString(dt)}`);
            if (k.k === 'closure' && !fns.has(k.fn) && !generic) errors.push(`${where(bi, s)}: closure body ${k.fn} is missing`);
          }
          if (r.k === 'unsize' && !generic && !p.vtables.some((v) => v.symbol === r.vtable)) errors.push(`${where(bi, s)}: unknown vtable ${r.vtable}`);
          break;
        }
        case 'call': {
          if (s.dest) check(bi, s, 'destination', placeType(s.dest));
          for (const a of s.args) check(bi, s, 'argument', operandType(a));
          if (s.callee.k === 'fn' && !generic) {
            const g = fns.get(s.callee.symbol);
            if (!g) errors.push(`${where(bi, s)}: calls missing function ${s.callee.symbol}`);
            else if (g.argCount !== s.args.length) errors.push(`${where(bi, s)}: passes ${s.args.length} arguments to ${g.displayName}, which takes ${g.argCount}`);
          }
          if (s.noReturn && b.term.k !== 'unreachable') errors.push(`${where(bi, s)}: a call that never returns must end its block`);
          break;
        }
        case 'drop':
        case 'retain': {
          const t = check(bi, s, 'place', placeType(s.place));
          const glue = (s.k === 'drop' ? 'drop$' : 'retain$') + (t ? mangleType(t) : '');
          if (t && !generic && !fns.has(glue)) errors.push(`${where(bi, s)}: missing glue ${glue}`);
          if (s.k === 'drop' && s.flag !== null && f.locals[s.flag]?.ty.k !== 'bool') errors.push(`${where(bi, s)}: drop flag _${s.flag} is not a Bool`);
          break;
        }
        case 'nop':
          break;
      }
    }
    const t = b.term;
    if (t.k === 'goto') target(bi, t.target);
    else if (t.k === 'branch') {
      target(bi, t.then);
      target(bi, t.else);
      const ct = operandType(t.cond);
      if (typeof ct === 'string' || ct.k !== 'bool') errors.push(`${where(bi)}: branch on a non-Bool`);
    } else if (t.k === 'switch') {
      for (const c of t.cases) target(bi, c.target);
      target(bi, t.otherwise);
    }
  });
  return errors;
}
