// The stable text form of MIR (`tmlc build --emit=mir`): every move, copy, retain and drop is visible.
import { typeToString } from '../sema/types.js';
import type { ConstValue, MirFunction, MirProgram, Operand, Place, Rvalue, Statement, Terminator } from './mir.js';

export function printProgram(p: MirProgram): string {
  const vt = p.vtables.map((v) => `vtable ${v.displayName} [${v.symbol}] = [${v.slots.join(', ')}]`);
  return [...vt, ...p.functions.map(printFunction)].join('\n');
}

export function printFunction(f: MirFunction): string {
  const out: string[] = [];
  const args = f.locals.slice(1, f.argCount + 1).map((l) => `_${l.id}: ${typeToString(l.ty)}`);
  for (const n of f.notes ?? []) out.push(`// ${n}`);
  out.push(`fn ${f.displayName} [${f.symbol}] (${args.join(', ')}) -> ${typeToString(f.retTy)} {`);
  for (const l of f.locals) {
    if (l.id >= 1 && l.id <= f.argCount) continue;
    out.push(`    let _${l.id}: ${typeToString(l.ty)};${l.name ? ` // ${l.name}` : l.kind === 'flag' ? ' // drop flag' : ''}`);
  }
  for (const b of f.blocks) {
    out.push(`  bb${b.id}: {`);
    for (const s of b.stmts) out.push(`    ${printStatement(s)};`);
    out.push(`    ${printTerminator(b.term)};`);
    out.push('  }');
  }
  out.push('}');
  return out.join('\n');
}

export function printPlace(p: Place): string {
  let s = `_${p.local}`;
  for (const pr of p.proj) {
    if (pr.k === 'deref') s = `(*${s})`;
    else if (pr.k === 'field') s = `${s}.${pr.index}`;
    else if (pr.k === 'variant') s = `(${s} as #${pr.variant}).${pr.index}`;
    else s = `${s}[_${pr.index}]`;
  }
  return s;
}

function printConst(c: ConstValue): string {
  switch (c.k) {
    case 'int':
      return String(c.value);
    case 'float':
      return Number.isInteger(c.value) ? `${c.value}.0` : String(c.value);
    case 'bool':
      return String(c.value);
    case 'char':
      return `'${String.fromCodePoint(c.value)}'`;
    case 'str':
      return JSON.stringify(c.value);
    case 'unit':
      return '()';
    case 'null':
      return 'null';
    case 'zero':
      return 'zeroed';
    case 'fn':
      return `fn ${c.symbol}`;
    case 'loc':
      return `loc(${c.span.file}@${c.span.start})`;
    case 'site':
      return `site(${c.typeName} ${c.span.file}@${c.span.start})`;
    case 'cstr':
      return `c${JSON.stringify(c.value)}`;
    case 'sizeof':
      return `size_of[${typeToString(c.of)}]`;
    case 'alignof':
      return `align_of[${typeToString(c.of)}]`;
    case 'global':
    case 'vtable':
    case 'fnptr':
      return `&${c.symbol}`;
  }
}

export function printOperand(o: Operand): string {
  if (o.k === 'const') return `const ${printConst(o.value)}`;
  return `${o.k} ${printPlace(o.place)}`;
}

function printRvalue(r: Rvalue): string {
  switch (r.k) {
    case 'use':
      return printOperand(r.op);
    case 'binary':
      return `${r.op}(${printOperand(r.left)}, ${printOperand(r.right)})`;
    case 'checked':
      return `checked_${r.op}(${printOperand(r.left)}, ${printOperand(r.right)})`;
    case 'unary':
      return `${r.op}(${printOperand(r.operand)})`;
    case 'cast':
      return `${printOperand(r.operand)} as ${typeToString(r.to)}`;
    case 'ref':
      return `${r.raw ? '&raw ' : r.mutable ? (r.twoPhase ? 'mut ref(2φ) ' : 'mut ref ') : 'ref '}${printPlace(r.place)}`;
    case 'discriminant':
      return `discriminant(${printPlace(r.place)})`;
    case 'offset':
      return `${r.inbounds ? 'offset_inbounds' : 'offset'}(${printOperand(r.base)}, ${printOperand(r.index)})`;
    case 'unsize':
      return `unsize(${printOperand(r.operand)}, vtable ${r.vtable})`;
    case 'aggregate': {
      const ops = r.ops.map(printOperand).join(', ');
      switch (r.kind.k) {
        case 'tuple':
          return `(${ops})`;
        case 'struct':
          return `struct {${ops}}`;
        case 'variant':
          return `variant #${r.kind.variant}(${ops})`;
        case 'union':
          return `union .${r.kind.field} {${ops}}`;
        case 'array':
          return `[${ops}]`;
        case 'closure':
          return `closure ${r.kind.fn} [${ops}]`;
      }
    }
  }
}

export function printStatement(s: Statement): string {
  switch (s.k) {
    case 'assign':
      return `${printPlace(s.place)} = ${printRvalue(s.rvalue)}`;
    case 'call': {
      const c = s.callee;
      const callee =
        c.k === 'closure' ? `(${printOperand(c.value)})` : c.k === 'extern' ? `extern ${c.symbol}` : c.k === 'virtual' ? `virtual[${c.slot}](${printOperand(c.object)})` : c.k === 'slot' ? `slot[${c.slot}](${printOperand(c.vtable)})` : c.symbol;
      return `${s.dest ? `${printPlace(s.dest)} = ` : ''}call ${callee}(${s.args.map(printOperand).join(', ')})${s.noReturn ? ' -> !' : ''}`;
    }
    case 'drop':
      return `drop(${printPlace(s.place)})${s.flag !== null ? ` if _${s.flag}` : ''}`;
    case 'retain':
      return `retain(${printPlace(s.place)})`;
    case 'nop':
      return 'nop';
  }
}

function printTerminator(t: Terminator): string {
  switch (t.k) {
    case 'goto':
      return `goto bb${t.target}`;
    case 'branch':
      return `if ${printOperand(t.cond)} -> [true: bb${t.then}, false: bb${t.else}]`;
    case 'switch':
      return `switch ${printOperand(t.discr)} -> [${t.cases.map((c) => `${c.value}: bb${c.target}`).join(', ')}, otherwise: bb${t.otherwise}]`;
    case 'return':
      return 'return';
    case 'unreachable':
      return 'unreachable';
  }
}
