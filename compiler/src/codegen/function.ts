// One MIR function → one LLVM function body.
//
// Every local gets an alloca in the entry block (parameters are stored into theirs), except the scalar temporaries
// written once and read only later in the same block (mir/analysis/register_temps.ts), which are LLVM values; a
// place is an address
// computed from its local's alloca by GEPs (fields, enum payloads through a bitcast to the variant's field struct,
// array elements) and loads (deref); operands are loads or constants; a statement computes its value and stores
// it; terminators map one to one. Local 0 is loaded and returned (`ret void` for Unit/Never). The first MIR block
// continues the entry block unless a branch goes back to it; the blocks that only call a panic function are merged
// into one shared block per panic function (panic_blocks.ts).
//
// Trait objects: a fat pointer (`ref dyn B`, `mut ref dyn B`, `*dyn B`) is a { i8* data, i8* vtable } value; its
// field 0/1 projections address those two halves. The object place `(*p)` (p a fat pointer) has no address of its
// own: `ref (*p)` is p's value and `drop((*p))` passes p's value to the `dyn` type's drop glue; any other use is an
// internal error. `unsize` pairs a thin pointer with a vtable's address; a `virtual` call loads a slot of the
// vtable and calls it with the data pointer first.
import { registerTemps } from '../mir/analysis/register_temps.js';
import { printStatement } from '../mir/print.js';
import { panicGroups, type PanicGroup } from './panic_blocks.js';
import { constAggregate } from './const_aggregates.js';
import llvm, { ice, isIntegerType, isPointerType } from './llvm.js';
import { isFatPointer, isVoidLike } from './layout.js';
import type { DeclaredFn, ModuleContext } from './context.js';
import type { FunctionLocations } from './debuginfo.js';
import { derefPlaceType, isClass, mangleType, structFields, T, typeEquals, typeToString, variantFields, type Type } from '../sema/types.js';
import type {
  AggregateKind,
  BinOp,
  Callee,
  ConstValue,
  LocalDecl,
  MirFunction,
  Operand,
  Place,
  Rvalue,
  Statement,
  Terminator,
} from '../mir/mir.js';
import { terminatorTargets } from '../mir/mir.js';
import type { Span } from '../syntax/source.js';

type Adt = Extract<Type, { k: 'adt' }>;
type PanicCall = Extract<Statement, { k: 'call' }>;

/** A shared panic block being built: the branches into it, each with the MIR block it replaces. */
interface SharedPanic {
  readonly group: PanicGroup;
  readonly block: llvm.BasicBlock;
  readonly edges: { member: number; from: llvm.BasicBlock }[];
}

export function emitFunctionBody(mc: ModuleContext, decl: DeclaredFn): void {
  new FunctionEmitter(mc, decl).emit();
}

class FunctionEmitter {
  private readonly b: llvm.IRBuilder;
  private readonly mir: MirFunction;
  private readonly locals = new Map<number, LocalDecl>();
  private readonly slots = new Map<number, llvm.AllocaInst>();
  /** temporaries kept in registers, and their values once written */
  private regs: ReadonlySet<number> = new Set();
  private pairs: ReadonlySet<number> = new Set();
  private readonly regValues = new Map<number, llvm.Value>();
  /** the aggregate temporaries that are LLVM constants (const_aggregates.ts), by local */
  private constAggregates: ReadonlyMap<number, llvm.Constant> = new Map();
  private readonly blocks = new Map<number, llvm.BasicBlock>();
  private sp: llvm.DISubprogram | null = null;
  private locs: FunctionLocations | null = null;
  private deadCount = 0;
  /** the LLVM block being emitted into */
  private cur: llvm.BasicBlock | null = null;
  /** the last instruction emitted was a terminator (after a call that does not return) */
  private terminated = false;
  /** merged panic blocks (panic_blocks.ts) by the MIR blocks they stand for */
  private readonly sharedPanics = new Map<number, SharedPanic>();

  constructor(
    private readonly mc: ModuleContext,
    private readonly decl: DeclaredFn,
  ) {
    this.b = mc.builder;
    this.mir = decl.mir;
  }

  private get L() {
    return this.mc.layouts;
  }

  emit(): void {
    const { mc, mir, b } = this;
    const fn = this.decl.fn;
    if (mir.blocks.length === 0) ice(`function ${mir.symbol} has no blocks`);
    if (mc.debug) {
      this.sp = mc.debug.subprogram(fn, mir.displayName, mir.span, !mir.exported, mir.locals.slice(1, mir.argCount + 1).map((l) => l.ty), mir.retTy);
      this.locs = mc.debug.locations(this.sp);
    }

    const entry = llvm.BasicBlock.Create(mc.ctx, 'entry', fn);
    this.enter(entry);
    // the slots and the parameters' stores have no location, as clang's: LLVM marks the first located instruction
    // as the prologue's end, where gdb puts a function's breakpoint, and the parameters must be in their slots by then
    if (mc.debug) mc.debug.clearLocation(b);

    const temps = registerTemps(mir);
    this.constAggregates = this.constantTemps(temps.constAggregates);
    this.regs = new Set([...temps.scalars, ...temps.pairs, ...this.constAggregates.keys()]);
    this.pairs = temps.pairs;
    const groups = panicGroups(mir, temps.scalars);
    for (const l of mir.locals) {
      if (this.locals.has(l.id)) ice(`${mir.symbol}: local _${l.id} declared twice`);
      this.locals.set(l.id, l);
      if (this.regs.has(l.id)) continue;
      const slot = b.CreateAlloca(this.L.llvmType(l.ty), null, l.name ?? `_${l.id}`);
      this.slots.set(l.id, slot);
    }
    for (let i = 1; i <= mir.argCount; i++) {
      if (this.L.sizeOf(mir.locals[i]!.ty) > 0) b.CreateStore(fn.getArg(i - 1), this.slot(i));
    }
    if (mc.debug && this.sp && this.locs) {
      for (const l of mir.locals) {
        if (l.name === null || l.kind === 'return' || l.kind === 'flag') continue;
        mc.debug.declareLocal(this.locs, this.sp, l.name, l.ty, l.span ?? mir.span, l.kind === 'arg' ? l.id : null, this.slot(l.id), entry);
      }
    }
    this.at(mir.span);

    const merged = new Set<number>();
    for (const g of groups) for (const id of g.members.keys()) merged.add(id);
    // the first MIR block continues the entry block unless something branches back to it (a loop header)
    const first = mir.blocks[0]!;
    const entryIsFirst = !merged.has(first.id) && !mir.blocks.some((bb) => terminatorTargets(bb.term).includes(first.id));
    for (const bb of mir.blocks) {
      if (this.blocks.has(bb.id)) ice(`${mir.symbol}: block bb${bb.id} declared twice`);
      if (merged.has(bb.id)) continue;
      this.blocks.set(bb.id, bb === first && entryIsFirst ? entry : llvm.BasicBlock.Create(mc.ctx, `bb${bb.id}`, fn));
    }
    // the shared panic blocks go last: they are cold
    groups.forEach((g, i) => {
      const shared: SharedPanic = { group: g, block: llvm.BasicBlock.Create(mc.ctx, `panic${i}`, fn), edges: [] };
      for (const id of g.members.keys()) this.sharedPanics.set(id, shared);
    });
    if (!entryIsFirst) b.CreateBr(this.target(first.id));

    for (const bb of mir.blocks) {
      if (this.sharedPanics.has(bb.id)) continue;
      this.enter(this.block(bb.id));
      for (const s of bb.stmts) {
        this.curStmt = s;
        if (this.terminated) this.deadBlock();
        this.statement(s);
      }
      // a block ending in a call that does not return needs no `unreachable` of its own
      if (this.terminated && bb.term.k === 'unreachable') continue;
      if (this.terminated) this.deadBlock();
      this.at(bb.termSpan ?? mir.span);
      this.terminator(bb.term);
    }
    this.curStmt = null;
    for (const shared of new Set(this.sharedPanics.values())) this.emitSharedPanic(shared);
  }

  /** One shared panic block: a φ per argument that differs between the merged checks, the call, `unreachable`. */
  private emitSharedPanic(shared: SharedPanic): void {
    const { group, block, edges } = shared;
    const first = group.members.values().next().value as PanicCall;
    this.enter(block);
    if (this.locs && this.sp && this.mc.debug) {
      this.b.SetCurrentDebugLocation(this.mc.debug.mergedLocation(this.sp));
      this.locs.forget();
    }
    const values = first.args.map((a, i) => {
      if (group.uniform[i]) return this.operand(a);
      const phi = this.b.CreatePHI(this.L.llvmType(this.operandType(a)), edges.length);
      for (const e of edges) phi.addIncoming(this.operand(group.members.get(e.member)!.args[i]!), e.from);
      return phi;
    });
    this.curStmt = first;
    this.callWith(null, first.callee, first.args, values, true);
  }

  /** Of the aggregate temporaries register_temps.ts found, those whose one write makes a constant, with it. */
  private constantTemps(candidates: ReadonlySet<number>): Map<number, llvm.Constant> {
    const out = new Map<number, llvm.Constant>();
    if (candidates.size === 0) return out;
    for (const bb of this.mir.blocks) {
      for (const s of bb.stmts) {
        if (s.k !== 'assign' || s.rvalue.k !== 'aggregate' || s.place.proj.length || !candidates.has(s.place.local)) continue;
        const ty = this.mir.locals[s.place.local]!.ty;
        const k = constAggregate(this.L, this.mc.consts, ty, s.rvalue.kind, s.rvalue.ops);
        if (k) out.set(s.place.local, k);
      }
    }
    return out;
  }

  // ---------- helpers ----------

  private at(span: Span | null): void {
    if (this.locs) this.locs.set(this.b, span);
  }

  /** the statement being emitted, for internal error messages */
  private curStmt: Statement | null = null;

  private where(): string {
    return `in ${this.mir.symbol} (${this.mir.displayName})`;
  }

  private slot(id: number): llvm.AllocaInst {
    const s = this.slots.get(id);
    if (!s) ice(`${this.where()}: no local _${id}`);
    return s;
  }

  private localTy(id: number): Type {
    const l = this.locals.get(id);
    if (!l) ice(`${this.where()}: no local _${id}`);
    return l.ty;
  }

  private block(id: number): llvm.BasicBlock {
    const bb = this.blocks.get(id);
    if (!bb) ice(`${this.where()}: no block bb${id}`);
    return bb;
  }

  private i32(n: number): llvm.Constant {
    return this.mc.consts.small(32, n);
  }

  private i64(n: number): llvm.Constant {
    return this.mc.consts.small(64, n);
  }

  /** Make `v` have LLVM type `to`: pointers are bitcast (a no-op when the types are already equal); other kinds
   * must already agree. (Full type equality is not available: `llvm.Type.isSameType` compares structurally and
   * recurses forever on recursive named structs.) */
  private coerce(v: llvm.Value, to: llvm.Type, what: string | (() => string), from?: llvm.Type): llvm.Value {
    // `from`: v's LLVM type when the caller knows it (Layouts answers with one wrapper per type, so the same
    // wrapper means the same type and nothing needs asking LLVM)
    if (from === to) return v;
    const actual = from ?? v.getType();
    if (isPointerType(actual) && isPointerType(to)) return this.b.CreateBitCast(v, to);
    if (actual.getTypeID() !== to.getTypeID()) {
      ice(`${this.where()}: ${typeof what === 'string' ? what : what()}: LLVM type mismatch (type ids ${actual.getTypeID()} → ${to.getTypeID()}) at statement ${this.curStmt ? printStatement(this.curStmt) : '-'}`);
    }
    return v;
  }


  /** The declaration of an overloaded intrinsic, once per module and type (`getDeclaration` makes a wrapper each
   * time it is asked). */
  private intrinsic(name: 'sadd_with_overflow' | 'uadd_with_overflow' | 'ssub_with_overflow' | 'usub_with_overflow' | 'smul_with_overflow' | 'umul_with_overflow' | 'fptosi_sat' | 'fptoui_sat', ...types: llvm.Type[]): llvm.Function {
    let byKey = intrinsicCache.get(this.mc.module);
    if (!byKey) intrinsicCache.set(this.mc.module, (byKey = new Map()));
    let perName = byKey.get(name);
    if (!perName) byKey.set(name, (perName = []));
    let hit = perName.find((e) => e.types.length === types.length && e.types.every((t, i) => t === types[i]));
    if (!hit) {
      hit = { types, fn: llvm.Intrinsic.getDeclaration(this.mc.module, llvm.Intrinsic[name], types) };
      perName.push(hit);
    }
    return hit.fn;
  }

  /** Start a fresh block for code that follows a terminator emitted mid-block (after a no-return call). */
  private deadBlock(): void {
    this.enter(llvm.BasicBlock.Create(this.mc.ctx, `dead${this.deadCount++}`, this.decl.fn));
  }

  /** Emit into `bb` from now on. */
  private enter(bb: llvm.BasicBlock): void {
    this.b.SetInsertPoint(bb);
    this.cur = bb;
    this.terminated = false;
  }

  /** The LLVM block a branch to MIR block `id` goes to; a branch to a merged panic block is recorded for its φs. */
  private target(id: number): llvm.BasicBlock {
    const shared = this.sharedPanics.get(id);
    if (!shared) return this.block(id);
    shared.edges.push({ member: id, from: this.cur! });
    return shared.block;
  }

  // ---------- places ----------

  placeType(p: Place): Type {
    let t = this.localTy(p.local);
    for (const pr of p.proj) t = this.projType(t, pr);
    return t;
  }

  private projType(t: Type, pr: Place['proj'][number]): Type {
    switch (pr.k) {
      case 'field':
        if (t.k === 'tuple') return t.elems[pr.index] ?? ice(`${this.where()}: tuple ${typeToString(t)} has no field ${pr.index}`);
        if (t.k === 'adt' && t.def.kind !== 'enum') {
          return structFields(t)[pr.index]?.ty ?? ice(`${this.where()}: ${typeToString(t)} has no field ${pr.index}`);
        }
        // a func value is { fnptr, env }: field 0 is the function pointer, field 1 the environment (the retain/drop
        // glue of func types reads field 1)
        if (t.k === 'func' && (pr.index === 0 || pr.index === 1)) return { k: 'ptr', inner: T.u8 };
        // a fat pointer is { data, vtable }: field 0 is the data pointer, field 1 the vtable's address
        if (isFatPointer(t) && (pr.index === 0 || pr.index === 1)) return { k: 'ptr', inner: T.u8 };
        return ice(`${this.where()}: field projection on ${typeToString(t)}`);
      case 'variant':
        if (t.k === 'adt' && t.def.kind === 'enum' && t.def.variants[pr.variant]) {
          return variantFields(t, pr.variant)[pr.index] ?? ice(`${this.where()}: variant ${pr.variant} of ${typeToString(t)} has no field ${pr.index}`);
        }
        return ice(`${this.where()}: variant projection on ${typeToString(t)}`);
      case 'deref':
        return derefPlaceType(t) ?? ice(`${this.where()}: deref of ${typeToString(t)}`);
      case 'index':
        if (t.k === 'array') return t.elem;
        return ice(`${this.where()}: index projection on ${typeToString(t)}`);
    }
  }

  /** Address of a place, typed as a pointer to its LLVM type. */
  placeAddr(p: Place): llvm.Value {
    const b = this.b;
    let t = this.localTy(p.local);
    let proj = p.proj;
    let addr: llvm.Value;
    if (this.regs.has(p.local)) {
      // a register temporary is only ever dereferenced: its value is the address
      if (proj[0]?.k !== 'deref') ice(`${this.where()}: the register temporary _${p.local} has no address (${showPlace(p)})`);
      const inner = this.projType(t, proj[0]);
      addr = this.coerce(this.reg(p.local), this.L.pointerTo(this.L.llvmType(inner)), 'deref', this.L.llvmType(t));
      t = inner;
      proj = proj.slice(1);
    } else addr = this.slot(p.local);
    for (const pr of proj) {
      const inner = this.projType(t, pr);
      if (pr.k === 'deref' && isFatPointer(t)) {
        ice(`${this.where()}: the trait object ${showPlace(p)} (through ${typeToString(t)}) can only be referenced or dropped`);
      }
      const innerLL = this.L.llvmType(inner);
      switch (pr.k) {
        case 'field':
          if (t.k === 'adt' && t.def.kind === 'union') addr = b.CreateBitCast(addr, this.L.pointerTo(innerLL));
          else addr = b.CreateInBoundsGEP(this.L.llvmType(t), addr, [this.i32(0), this.i32(pr.index)]);
          break;
        case 'variant': {
          const vs = this.L.variantStruct(t as Adt, pr.variant);
          const payload = b.CreateInBoundsGEP(this.L.llvmType(t), addr, [this.i32(0), this.i32(1)]);
          const typed = b.CreateBitCast(payload, this.L.pointerTo(vs));
          addr = b.CreateInBoundsGEP(vs, typed, [this.i32(0), this.i32(pr.index)]);
          break;
        }
        case 'deref': {
          const ptrTy = this.L.llvmType(t);
          addr = this.coerce(b.CreateLoad(ptrTy, addr), this.L.pointerTo(innerLL), 'deref', ptrTy);
          break;
        }
        case 'index': {
          const it = this.localTy(pr.index);
          if (it.k !== 'int') ice(`${this.where()}: array index _${pr.index} has type ${typeToString(it)}`);
          const raw = this.regs.has(pr.index) ? this.reg(pr.index) : b.CreateLoad(this.L.llvmType(it), this.slot(pr.index));
          const idx = it.bits === 64 ? raw : b.CreateIntCast(raw, this.L.i64, it.signed);
          addr = b.CreateInBoundsGEP(this.L.llvmType(t), addr, [this.i64(0), idx]);
          break;
        }
      }
      t = inner;
    }
    return addr;
  }

  /** The fat pointer `q` of an object place `(*q)` (a trait object); null for any other place. */
  private objectPointer(p: Place): Place | null {
    const last = p.proj[p.proj.length - 1];
    if (last?.k !== 'deref') return null;
    const q: Place = { local: p.local, proj: p.proj.slice(0, -1) };
    return isFatPointer(this.placeType(q)) ? q : null;
  }

  /** For the object place `(*q)`: q's fat pointer value, which is what a reference to the object is. Null for any
   * other place. */
  private objectRef(p: Place): llvm.Value | null {
    const q = this.objectPointer(p);
    return q ? this.b.CreateLoad(this.L.fatPtrTy, this.placeAddr(q)) : null;
  }

  private reg(id: number): llvm.Value {
    return this.regValues.get(id) ?? ice(`${this.where()}: the register temporary _${id} is read before it is written`);
  }

  private load(p: Place): llvm.Value {
    if (p.proj.length === 0 && this.regs.has(p.local)) return this.reg(p.local);
    if (this.pairs.has(p.local)) {
      const pr = p.proj[0];
      if (p.proj.length !== 1 || pr?.k !== 'field') ice(`${this.where()}: the checked pair _${p.local} is read as ${showPlace(p)}`);
      return this.b.CreateExtractValue(this.reg(p.local), [pr.index]);
    }
    const addr = this.placeAddr(p); // first: it names a misused trait object place
    const pty = this.placeType(p);
    const ty = this.L.llvmType(pty);
    // zero-sized values (Unit, empty structs) have no memory: no load (AddressSanitizer mis-checks 0-byte accesses)
    if (this.L.sizeOfLLVM(ty) === 0) return this.mc.consts.zero(ty);
    const load = this.b.CreateLoad(ty, addr);
    const tag = this.aliasTag(p, pty);
    if (tag) load.setMetadata('tbaa', tag);
    return load;
  }

  /** Store `v` (of LLVM type `from` when known) into `p`. */
  private store(v: llvm.Value, p: Place, what: string, from?: llvm.Type): void {
    if (p.proj.length === 0 && this.regs.has(p.local)) {
      this.regValues.set(p.local, this.coerce(v, this.L.llvmType(this.localTy(p.local)), what, from));
      return;
    }
    const addr = this.placeAddr(p);
    const pty = this.placeType(p);
    const ty = this.L.llvmType(pty);
    if (this.L.sizeOfLLVM(ty) === 0) return; // nothing to store (see load)
    const store = this.b.CreateStore(this.coerce(v, ty, what, from), addr);
    const tag = this.aliasTag(p, pty);
    if (tag) store.setMetadata('tbaa', tag);
  }

  /** The `!tbaa` tag of a load or store of `p` (of type `ty`) in an optimised build (alias_tags.ts): a class
   * reference anywhere, or a number field of a class instance (`(*obj).f`, past the header's two fields, which are
   * the runtime's). */
  private aliasTag(p: Place, ty: Type): llvm.MDNode | null {
    const tags = this.mc.aliasTags;
    if (tags === null) return null;
    if (isClass(ty)) return tags.classReference();
    const n = p.proj.length;
    const last = p.proj[n - 1];
    if (n < 2 || last?.k !== 'field' || last.index < 2 || p.proj[n - 2]!.k !== 'deref') return null;
    return isClass(this.placeType({ local: p.local, proj: p.proj.slice(0, n - 2) })) ? tags.field(ty) : null;
  }

  // ---------- operands ----------

  operandType(op: Operand): Type {
    return op.k === 'const' ? op.ty : this.placeType(op.place);
  }

  /** The LLVM type of `operand(op)`'s value (what `load` and `constant` produce). */
  operandLL(op: Operand): llvm.Type {
    return this.L.llvmType(this.operandType(op));
  }

  operand(op: Operand): llvm.Value {
    return op.k === 'const' ? this.constant(op.value, op.ty) : this.load(op.place);
  }

  private constant(c: ConstValue, ty: Type): llvm.Value {
    const { L, mc } = this;
    const lt = L.llvmType(ty);
    switch (c.k) {
      case 'int':
        switch (ty.k) {
          case 'int':
          case 'char':
            return mc.consts.int(intBits(ty), c.value);
          case 'bool':
            return mc.consts.small(1, c.value !== 0n ? 1 : 0);
          case 'float':
            return llvm.ConstantFP.get(lt, Number(c.value));
          case 'ptr':
          case 'ref':
            if (isFatPointer(ty)) ice(`${this.where()}: integer constant of fat pointer type ${typeToString(ty)}`);
            return this.b.CreateIntToPtr(mc.consts.int(64, c.value), lt);
          default:
            return ice(`${this.where()}: integer constant of type ${typeToString(ty)}`);
        }
      case 'float':
        if (ty.k !== 'float') ice(`${this.where()}: float constant of type ${typeToString(ty)}`);
        return llvm.ConstantFP.get(lt, c.value);
      case 'bool':
        if (ty.k !== 'bool') ice(`${this.where()}: Bool constant of type ${typeToString(ty)}`);
        return c.value ? mc.consts.small(1, 1) : mc.consts.small(1, 0);
      case 'char':
        return mc.consts.small(32, c.value);
      case 'str':
        return this.coerce(mc.consts.str(c.value), lt, 'Str constant', L.i8p);
      case 'unit':
      case 'null':
      case 'zero':
        return this.mc.consts.zero(lt);
      case 'fn': {
        const target = mc.fns.get(c.symbol) ?? ice(`${this.where()}: function value of unknown symbol '${c.symbol}'`);
        if (ty.k !== 'func') ice(`${this.where()}: function constant of type ${typeToString(ty)}`);
        return llvm.ConstantStruct.get(L.funcValueTy, [llvm.ConstantExpr.getBitCast(target.fn, L.i8p), llvm.ConstantPointerNull.get(L.i8p)]);
      }
      case 'loc':
        return this.coerce(mc.consts.loc(c.span), lt, 'loc constant', L.i8p);
      case 'site':
        return this.coerce(mc.consts.site(c.span, c.typeName), lt, 'site constant', L.i8p);
      case 'cstr':
        return this.coerce(mc.consts.cstr(c.value), lt, 'cstr constant', L.i8p);
      case 'sizeof':
        return mc.consts.int(intBits(ty), BigInt(L.sizeOf(c.of)));
      case 'alignof':
        return mc.consts.int(intBits(ty), BigInt(L.alignOf(c.of)));
      case 'global': {
        const g = mc.globals.get(c.symbol) ?? ice(`${this.where()}: unknown global '${c.symbol}'`);
        return llvm.ConstantExpr.getBitCast(g, lt);
      }
      case 'vtable': {
        const v = mc.vtables.get(c.symbol) ?? ice(`${this.where()}: unknown vtable '${c.symbol}'`);
        return llvm.ConstantExpr.getBitCast(v, lt);
      }
      case 'fnptr': {
        const f = mc.fns.get(c.symbol) ?? ice(`${this.where()}: address of unknown function '${c.symbol}'`);
        return llvm.ConstantExpr.getBitCast(f.fn, lt);
      }
    }
  }

  // ---------- statements ----------

  private statement(s: Statement): void {
    if (s.k === 'nop') return;
    this.at(s.span);
    switch (s.k) {
      case 'assign':
        this.assign(s.place, s.rvalue, s.span);
        return;
      case 'call':
        this.call(s.dest, s.callee, s.args, s.noReturn);
        return;
      case 'drop':
        this.glue('drop$', s.place, s.flag);
        return;
      case 'retain':
        this.glue('retain$', s.place, null);
        return;
    }
  }

  private glue(prefix: string, place: Place, flag: number | null): void {
    // dropping a trait object: its glue takes the fat `mut ref dyn B`, which is the fat pointer's own value
    const isObject = this.objectPointer(place) !== null;
    if (isObject && prefix !== 'drop$') ice(`${this.where()}: the trait object ${showPlace(place)} can only be referenced or dropped`);
    const ty = this.placeType(place);
    const symbol = prefix + mangleType(ty);
    const glue = this.mc.fns.get(symbol) ?? ice(`${this.where()}: missing glue function '${symbol}' for ${typeToString(ty)}`);
    if (glue.params.length !== 1) ice(`glue function '${symbol}' must take exactly one parameter`);
    let cont: llvm.BasicBlock | null = null;
    if (flag !== null) {
      if (this.localTy(flag).k !== 'bool') ice(`${this.where()}: drop flag _${flag} is not Bool`);
      const f = this.b.CreateLoad(this.L.int(1), this.slot(flag));
      const run = llvm.BasicBlock.Create(this.mc.ctx, 'drop', this.decl.fn);
      cont = llvm.BasicBlock.Create(this.mc.ctx, 'drop.done', this.decl.fn);
      this.b.CreateCondBr(f, run, cont);
      this.enter(run);
    }
    if (isObject && !isFatPointer(glue.mir.locals.find((l) => l.id === 1)?.ty ?? T.unit)) {
      ice(`glue function '${symbol}' must take a fat 'mut ref ${typeToString(ty)}'`);
    }
    // (computed after the flag test: the load of the fat pointer belongs in the conditional block)
    const addr = isObject
      ? this.coerce(this.objectRef(place)!, glue.params[0]!, () => `argument of ${symbol}`, this.L.fatPtrTy)
      : this.coerce(this.placeAddr(place), glue.params[0]!, () => `argument of ${symbol}`, this.L.pointerTo(this.L.llvmType(ty)));
    this.b.CreateCall(glue.type, glue.fn, [addr]);
    if (cont) {
      this.b.CreateBr(cont);
      this.enter(cont);
    }
  }

  private call(dest: Place | null, callee: Callee, args: readonly Operand[], noReturn: boolean): void {
    this.callWith(dest, callee, args, args.map((a) => this.operand(a)), noReturn);
  }

  /** A call whose argument values are already computed (`values[i]` is `args[i]`'s value). */
  private callWith(dest: Place | null, callee: Callee, args: readonly Operand[], values: readonly llvm.Value[], noReturn: boolean): void {
    const { b, L, mc } = this;
    let result: llvm.Value | null = null;
    let resultTy: llvm.Type | undefined;
    switch (callee.k) {
      case 'fn': {
        const target = mc.fns.get(callee.symbol) ?? ice(`${this.where()}: call of unknown function '${callee.symbol}'`);
        if (target.params.length !== values.length) {
          ice(`${this.where()}: ${callee.symbol} takes ${target.params.length} arguments, called with ${values.length}`);
        }
        const call = b.CreateCall(
          target.type,
          target.fn,
          values.map((v, i) => this.coerce(v, target.params[i]!, () => `argument ${i + 1} of ${callee.symbol}`, this.operandLL(args[i]!))),
        );
        if (!target.ret.isVoidTy()) {
          result = call;
          resultTy = target.ret;
        }
        break;
      }
      case 'extern': {
        result = mc.externs.call(
          callee.symbol,
          args.map((a) => this.operandType(a)),
          values,
          callee.ret,
        );
        // Externs.call converts the C result to the TML type's LLVM type
        if (result) resultTy = L.llvmType(callee.ret);
        break;
      }
      case 'closure': {
        const fty = this.operandType(callee.value);
        if (fty.k !== 'func') ice(`${this.where()}: calling a value of type ${typeToString(fty)}`);
        const fv = this.operand(callee.value);
        const fnptr = b.CreateExtractValue(fv, [0]);
        const env = b.CreateExtractValue(fv, [1]);
        const params = fty.params.map((p) => L.llvmType(p));
        const type = llvm.FunctionType.get(L.returnType(fty.ret), [L.i8p, ...params], false);
        if (params.length !== values.length) ice(`${this.where()}: closure of ${fty.params.length} parameters called with ${values.length}`);
        const call = b.CreateCall(type, b.CreateBitCast(fnptr, this.L.pointerTo(type)), [
          env,
          ...values.map((v, i) => this.coerce(v, params[i]!, () => `closure argument ${i + 1}`, this.operandLL(args[i]!))),
        ]);
        if (!isVoidLike(fty.ret)) result = call;
        break;
      }
      case 'slot': {
        const vtable = b.CreateBitCast(this.operand(callee.vtable), this.L.pointerTo(L.i8p));
        const slotAddr = b.CreateInBoundsGEP(L.i8p, vtable, [this.i64(callee.slot)]);
        const slot = b.CreateLoad(L.i8p, slotAddr);
        const params = args.map((a) => L.llvmType(this.operandType(a)));
        const type = llvm.FunctionType.get(L.returnType(callee.ret), params, false);
        const call = b.CreateCall(type, b.CreateBitCast(slot, this.L.pointerTo(type)), [...values]);
        if (!isVoidLike(callee.ret)) result = call;
        break;
      }
      case 'virtual': {
        const ot = this.operandType(callee.object);
        if (!isFatPointer(ot)) ice(`${this.where()}: virtual call through a value of type ${typeToString(ot)}`);
        const fat = this.operand(callee.object);
        const data = b.CreateExtractValue(fat, [0]);
        const vtable = b.CreateBitCast(b.CreateExtractValue(fat, [1]), this.L.pointerTo(L.i8p));
        const slotAddr = b.CreateInBoundsGEP(L.i8p, vtable, [this.i64(callee.slot)]);
        const slot = b.CreateLoad(L.i8p, slotAddr);
        const params = args.map((a) => L.llvmType(this.operandType(a)));
        const type = llvm.FunctionType.get(L.returnType(callee.ret), [L.i8p, ...params], false);
        const call = b.CreateCall(type, b.CreateBitCast(slot, this.L.pointerTo(type)), [data, ...values]);
        if (!isVoidLike(callee.ret)) result = call;
        break;
      }
    }
    if (noReturn) {
      // code after it (if any) goes to a fresh block, made only when there is such code
      b.CreateUnreachable();
      this.terminated = true;
      return;
    }
    if (dest && result) {
      const dt = this.placeType(dest);
      if (!isVoidLike(dt)) this.store(result, dest, 'call result', resultTy);
    }
  }

  private assign(dest: Place, rv: Rvalue, span: Span): void {
    const { b, L } = this;
    switch (rv.k) {
      case 'use':
        this.store(this.operand(rv.op), dest, 'use', this.operandLL(rv.op));
        return;
      case 'binary':
        this.store(this.binary(rv.op, rv.left, rv.right), dest, 'binary', COMPARISONS.has(rv.op) ? L.int(1) : this.operandLL(rv.left));
        return;
      case 'checked': {
        const t = this.operandType(rv.left);
        if (t.k !== 'int') ice(`${this.where()}: checked ${rv.op} on ${typeToString(t)}`);
        const name = `${t.signed ? 's' : 'u'}${rv.op}_with_overflow` as const;
        const intrinsic = this.intrinsic(name, L.llvmType(t));
        const pair = b.CreateCall(intrinsic, [this.operand(rv.left), this.operand(rv.right)]);
        const dt = this.placeType(dest);
        if (dt.k !== 'tuple' || dt.elems.length !== 2) ice(`${this.where()}: checked result stored in ${typeToString(dt)}`);
        if (dest.proj.length === 0 && this.pairs.has(dest.local)) {
          this.regValues.set(dest.local, pair);
          return;
        }
        const addr = this.placeAddr(dest);
        const dl = L.llvmType(dt);
        b.CreateStore(b.CreateExtractValue(pair, [0]), b.CreateInBoundsGEP(dl, addr, [this.i32(0), this.i32(0)]));
        b.CreateStore(b.CreateExtractValue(pair, [1]), b.CreateInBoundsGEP(dl, addr, [this.i32(0), this.i32(1)]));
        return;
      }
      case 'unary': {
        const t = this.operandType(rv.operand);
        const v = this.operand(rv.operand);
        let r: llvm.Value;
        if (rv.op === 'neg') {
          if (t.k === 'float') r = b.CreateFNeg(v);
          else if (t.k === 'int') r = b.CreateNeg(v);
          else return ice(`${this.where()}: neg on ${typeToString(t)}`);
        } else {
          if (t.k !== 'int' && t.k !== 'bool') ice(`${this.where()}: not on ${typeToString(t)}`);
          r = b.CreateNot(v);
        }
        this.store(r, dest, rv.op, L.llvmType(t));
        return;
      }
      case 'cast': {
        const from = this.operandType(rv.operand);
        this.store(this.cast(this.operand(rv.operand), from, rv.to), dest, 'cast');
        return;
      }
      case 'offset': {
        const bt = this.operandType(rv.base);
        if (bt.k !== 'ptr' || isFatPointer(bt)) return ice(`${this.where()}: offset of ${typeToString(bt)}, not a thin raw pointer`);
        const base = this.operand(rv.base);
        // a zero-sized pointee (a `*Unit` is an i8*) has a stride of 0: every element is at the base
        if (L.sizeOf(bt.inner) === 0) return this.store(base, dest, 'offset', this.operandLL(rv.base));
        const elem = base.getType().getPointerElementType();
        const index = this.operand(rv.index);
        const addr = rv.inbounds ? b.CreateInBoundsGEP(elem, base, [index]) : b.CreateGEP(elem, base, [index]);
        this.store(addr, dest, 'offset', this.operandLL(rv.base));
        return;
      }
      case 'ref': {
        const obj = this.objectRef(rv.place);
        if (obj) {
          const dt = this.placeType(dest);
          if (!isFatPointer(dt)) ice(`${this.where()}: reference to the trait object ${showPlace(rv.place)} stored in ${typeToString(dt)}`);
          this.store(obj, dest, 'ref of a trait object');
          return;
        }
        this.store(this.placeAddr(rv.place), dest, 'ref', L.pointerTo(L.llvmType(this.placeType(rv.place))));
        return;
      }
      case 'unsize': {
        const from = this.operandType(rv.operand);
        const dt = this.placeType(dest);
        if (!isFatPointer(dt)) ice(`${this.where()}: unsize stored in ${typeToString(dt)}, not a fat pointer`);
        if ((from.k !== 'ref' && from.k !== 'ptr') || isFatPointer(from)) ice(`${this.where()}: unsize of ${typeToString(from)}, not a thin pointer`);
        const vt = this.mc.vtables.get(rv.vtable) ?? ice(`${this.where()}: unsize with unknown vtable '${rv.vtable}'`);
        let fat: llvm.Value = llvm.UndefValue.get(L.fatPtrTy);
        fat = b.CreateInsertValue(fat, b.CreateBitCast(this.operand(rv.operand), L.i8p), [0]);
        fat = b.CreateInsertValue(fat, llvm.ConstantExpr.getBitCast(vt, L.i8p), [1]);
        this.store(fat, dest, 'unsize');
        return;
      }
      case 'discriminant': {
        const t = this.placeType(rv.place);
        if (t.k !== 'adt' || t.def.kind !== 'enum') ice(`${this.where()}: discriminant of ${typeToString(t)}`);
        // a constant enum temporary (const_aggregates.ts) has no slot: its tag is a field of its value
        const tag =
          rv.place.proj.length === 0 && this.regs.has(rv.place.local)
            ? b.CreateExtractValue(this.reg(rv.place.local), [0])
            : b.CreateLoad(L.i32, b.CreateInBoundsGEP(L.llvmType(t), this.placeAddr(rv.place), [this.i32(0), this.i32(0)]));
        const dt = this.placeType(dest);
        const dl = L.llvmType(dt);
        const widen = dt.k === 'int' && dt.bits !== 32;
        this.store(widen ? b.CreateIntCast(tag, dl, false) : tag, dest, 'discriminant', widen ? dl : L.i32);
        return;
      }
      case 'aggregate':
        this.aggregate(dest, rv.kind, rv.ops, span);
        return;
    }
  }

  private aggregate(dest: Place, kind: AggregateKind, ops: readonly Operand[], span: Span): void {
    const { b, L, mc } = this;
    const known = dest.proj.length === 0 ? this.constAggregates.get(dest.local) : undefined;
    if (known) {
      this.regValues.set(dest.local, known);
      return;
    }
    // all constants: one store of the constant value
    const k = constAggregate(L, mc.consts, this.placeType(dest), kind, ops);
    if (k) {
      this.store(k, dest, 'constant aggregate', L.llvmType(this.placeType(dest)));
      return;
    }
    const values = ops.map((o) => this.operand(o));
    const dt = this.placeType(dest);
    const dl = L.llvmType(dt);
    /** store field i; `op`: the operand v is the value of, when it is one */
    const field = (base: llvm.Value, ty: llvm.Type, i: number, v: llvm.Value, fieldTy: llvm.Type, what: string | (() => string), op?: Operand) => {
      if (L.sizeOfLLVM(fieldTy) === 0) return; // a zero-sized field has no memory
      b.CreateStore(this.coerce(v, fieldTy, what, op && this.operandLL(op)), b.CreateInBoundsGEP(ty, base, [this.i32(0), this.i32(i)]));
    };
    switch (kind.k) {
      case 'tuple':
      case 'struct': {
        let fieldTys: Type[];
        if (kind.k === 'tuple' && dt.k === 'tuple') fieldTys = [...dt.elems];
        else if (kind.k === 'struct' && dt.k === 'adt' && (dt.def.kind === 'struct' || dt.def.kind === 'interface')) fieldTys = structFields(dt).map((f) => f.ty);
        else return ice(`${this.where()}: ${kind.k} aggregate stored in ${typeToString(dt)}`);
        if (fieldTys.length !== values.length) ice(`${this.where()}: ${typeToString(dt)} has ${fieldTys.length} fields, aggregate has ${values.length}`);
        const addr = this.placeAddr(dest);
        values.forEach((v, i) => field(addr, dl, i, v, L.llvmType(fieldTys[i]!), () => `field ${i} of ${typeToString(dt)}`, ops[i]));
        return;
      }
      case 'array': {
        if (dt.k !== 'array' || dt.size !== values.length) ice(`${this.where()}: array aggregate of ${values.length} stored in ${typeToString(dt)}`);
        const addr = this.placeAddr(dest);
        const et = L.llvmType(dt.elem);
        if (L.sizeOfLLVM(et) === 0) return;
        values.forEach((v, i) =>
          b.CreateStore(this.coerce(v, et, () => `element ${i}`, this.operandLL(ops[i]!)), b.CreateInBoundsGEP(dl, addr, [this.i64(0), this.i64(i)])),
        );
        return;
      }
      case 'variant': {
        if (dt.k !== 'adt' || dt.def.kind !== 'enum') return ice(`${this.where()}: variant aggregate stored in ${typeToString(dt)}`);
        const fts = variantFields(dt, kind.variant);
        if (fts.length !== values.length) ice(`${this.where()}: variant ${kind.variant} of ${typeToString(dt)} has ${fts.length} fields, aggregate has ${values.length}`);
        const addr = this.placeAddr(dest);
        b.CreateStore(this.i32(kind.variant), b.CreateInBoundsGEP(dl, addr, [this.i32(0), this.i32(0)]));
        if (values.length > 0) {
          const vs = L.variantStruct(dt, kind.variant);
          const payload = b.CreateBitCast(b.CreateInBoundsGEP(dl, addr, [this.i32(0), this.i32(1)]), this.L.pointerTo(vs));
          values.forEach((v, i) => field(payload, vs, i, v, L.llvmType(fts[i]!), () => `field ${i} of variant ${kind.variant}`, ops[i]));
        }
        return;
      }
      case 'union': {
        if (dt.k !== 'adt' || dt.def.kind !== 'union' || values.length !== 1) return ice(`${this.where()}: union aggregate stored in ${typeToString(dt)}`);
        const ft = L.llvmType(structFields(dt)[kind.field]!.ty);
        if (L.sizeOfLLVM(dl) === 0) return;
        // zeroed first, so the bytes past a smaller field read as 0 rather than as whatever was there (decisions.md);
        // every field starts at offset 0: the value is stored through the address cast to the field's type
        const addr = this.placeAddr(dest);
        b.CreateStore(this.mc.consts.zero(dl), addr);
        b.CreateStore(this.coerce(values[0]!, ft, `field ${kind.field} of ${typeToString(dt)}`), b.CreateBitCast(addr, this.L.pointerTo(ft)));
        return;
      }
      case 'closure': {
        if (dt.k !== 'func') ice(`${this.where()}: closure stored in ${typeToString(dt)}`);
        const body = mc.fns.get(kind.fn) ?? ice(`${this.where()}: closure body '${kind.fn}' is not a function of the program`);
        let env: llvm.Value = llvm.ConstantPointerNull.get(L.i8p);
        if (values.length > 0) {
          const et = kind.envTy;
          if (et.k !== 'tuple' || et.elems.length !== values.length + 2) {
            ice(`${this.where()}: closure environment ${typeToString(et)} does not fit ${values.length} captures`);
          }
          const el = L.llvmType(et) as llvm.StructType;
          const raw = mc.externs.callC('tml_alloc', 'ptr', ['i64', 'ptr'], [
            mc.consts.int(64, BigInt(L.sizeOfLLVM(el))),
            mc.consts.site(span, 'closure'),
          ]);
          const typed = b.CreateBitCast(raw, this.L.pointerTo(el));
          field(typed, el, 0, mc.consts.int(intBits(et.elems[0]!), 1n), L.llvmType(et.elems[0]!), 'closure refcount');
          const dropTy = L.llvmType(et.elems[1]!);
          if (!isPointerType(dropTy)) ice(`${this.where()}: closure environment field 1 has type ${typeToString(et.elems[1]!)}`);
          let drop: llvm.Value = this.mc.consts.zero(dropTy);
          if (kind.envDrop !== null) {
            const glue = mc.fns.get(kind.envDrop) ?? ice(`${this.where()}: closure drop glue '${kind.envDrop}' is not a function of the program`);
            drop = llvm.ConstantExpr.getBitCast(glue.fn, dropTy);
          }
          field(typed, el, 1, drop, dropTy, 'closure drop glue');
          values.forEach((v, i) => field(typed, el, i + 2, v, L.llvmType(et.elems[i + 2]!), () => `capture ${i}`, ops[i]));
          env = raw;
        }
        let fv: llvm.Value = llvm.UndefValue.get(L.funcValueTy);
        fv = b.CreateInsertValue(fv, llvm.ConstantExpr.getBitCast(body.fn, L.i8p), [0]);
        fv = b.CreateInsertValue(fv, env, [1]);
        this.store(fv, dest, 'closure value');
        return;
      }
    }
  }

  // ---------- arithmetic ----------

  private binary(op: BinOp, left: Operand, right: Operand): llvm.Value {
    const b = this.b;
    const t = this.operandType(left);
    const l = this.operand(left);
    let r = this.operand(right);
    const bad = (): never => ice(`${this.where()}: binary ${op} on ${typeToString(t)}`);

    if (t.k === 'float') {
      switch (op) {
        case 'add': return b.CreateFAdd(l, r);
        case 'sub': return b.CreateFSub(l, r);
        case 'mul': return b.CreateFMul(l, r);
        case 'div': return b.CreateFDiv(l, r);
        case 'rem': return b.CreateFRem(l, r);
        case 'eq': return b.CreateFCmpOEQ(l, r);
        case 'ne': return b.CreateFCmpUNE(l, r);
        case 'lt': return b.CreateFCmpOLT(l, r);
        case 'le': return b.CreateFCmpOLE(l, r);
        case 'gt': return b.CreateFCmpOGT(l, r);
        case 'ge': return b.CreateFCmpOGE(l, r);
        default: return bad();
      }
    }
    if (t.k === 'unit') {
      const yes = op === 'eq' || op === 'le' || op === 'ge';
      if (!['eq', 'ne', 'lt', 'le', 'gt', 'ge'].includes(op)) bad();
      return yes ? this.mc.consts.small(1, 1) : this.mc.consts.small(1, 0);
    }
    if (isFatPointer(t)) return bad(); // comparing fat pointers is not defined by MIR
    const isPtr = t.k === 'ptr' || t.k === 'ref' || t.k === 'str';
    if (t.k !== 'int' && t.k !== 'bool' && t.k !== 'char' && !isPtr) return bad();
    const signed = t.k === 'int' && t.signed;
    if (isPtr) {
      if (!['eq', 'ne', 'lt', 'le', 'gt', 'ge'].includes(op)) bad();
      r = this.coerce(r, l.getType(), 'pointer comparison');
    }
    switch (op) {
      case 'eq': return b.CreateICmpEQ(l, r);
      case 'ne': return b.CreateICmpNE(l, r);
      case 'lt': return signed ? b.CreateICmpSLT(l, r) : b.CreateICmpULT(l, r);
      case 'le': return signed ? b.CreateICmpSLE(l, r) : b.CreateICmpULE(l, r);
      case 'gt': return signed ? b.CreateICmpSGT(l, r) : b.CreateICmpUGT(l, r);
      case 'ge': return signed ? b.CreateICmpSGE(l, r) : b.CreateICmpUGE(l, r);
      case 'and': return b.CreateAnd(l, r);
      case 'or': return b.CreateOr(l, r);
      case 'xor': return b.CreateXor(l, r);
      default:
        break;
    }
    if (t.k !== 'int') return bad();
    switch (op) {
      case 'add': return b.CreateAdd(l, r);
      case 'sub': return b.CreateSub(l, r);
      case 'mul': return b.CreateMul(l, r);
      case 'div': return signed ? b.CreateSDiv(l, r) : b.CreateUDiv(l, r);
      case 'rem': return signed ? b.CreateSRem(l, r) : b.CreateURem(l, r);
      case 'shl':
      case 'shr': {
        const lt = l.getType();
        // the count may have another integer type; it is taken modulo the bit width
        r = b.CreateIntCast(r, lt, false); // no-op when the types agree
        const count = b.CreateAnd(r, this.mc.consts.int(t.bits, BigInt(t.bits - 1)));
        if (op === 'shl') return b.CreateShl(l, count);
        return signed ? b.CreateAShr(l, count) : b.CreateLShr(l, count);
      }
      default:
        return bad();
    }
  }

  private cast(v: llvm.Value, from: Type, to: Type): llvm.Value {
    const b = this.b;
    const toLL = this.L.llvmType(to);
    if (typeEquals(from, to)) return v;
    const bad = (): never => ice(`${this.where()}: cast from ${typeToString(from)} to ${typeToString(to)}`);
    const isPtr = (t: Type) => t.k === 'ptr' || t.k === 'ref' || t.k === 'str' || isClass(t);
    const isIntLike = (t: Type) => t.k === 'int' || t.k === 'char' || t.k === 'bool';
    // Char and Bool count as unsigned integers of their width
    const signedInt = (t: Type) => t.k === 'int' && t.signed;

    // `*dyn B` ↔ `ref dyn B` ↔ `mut ref dyn B`: the same { data, vtable } pair; nothing else converts a fat pointer
    if (isFatPointer(from) || isFatPointer(to)) return isFatPointer(from) && isFatPointer(to) ? v : bad();
    if (isIntLike(from) && to.k === 'bool') return b.CreateICmpNE(v, this.mc.consts.zero(v.getType()));
    if (isIntLike(from) && isIntLike(to)) return b.CreateIntCast(v, toLL, signedInt(from));
    if (isIntLike(from) && to.k === 'float') return signedInt(from) ? b.CreateSIToFP(v, toLL) : b.CreateUIToFP(v, toLL);
    if (from.k === 'float' && to.k === 'float') return from.bits === to.bits ? v : from.bits < to.bits ? b.CreateFPExt(v, toLL) : b.CreateFPTrunc(v, toLL);
    if (from.k === 'float' && (to.k === 'int' || to.k === 'char')) {
      const f = this.intrinsic(to.k === 'int' && to.signed ? 'fptosi_sat' : 'fptoui_sat', toLL, this.L.llvmType(from));
      return b.CreateCall(f, [v]);
    }
    if (isPtr(from) && isPtr(to)) return b.CreateBitCast(v, toLL);
    if (isPtr(from) && to.k === 'int') return b.CreatePtrToInt(v, toLL);
    if (from.k === 'int' && isPtr(to)) return b.CreateIntToPtr(v, toLL);
    return bad();
  }

  // ---------- terminators ----------

  private terminator(t: Terminator): void {
    const b = this.b;
    switch (t.k) {
      case 'goto':
        b.CreateBr(this.target(t.target));
        return;
      case 'branch': {
        let c = this.operand(t.cond);
        if (this.operandType(t.cond).k !== 'bool') c = b.CreateICmpNE(c, this.mc.consts.zero(c.getType()));
        b.CreateCondBr(c, this.target(t.then), this.target(t.else));
        return;
      }
      case 'switch': {
        const dt = this.operandType(t.discr);
        const v = this.operand(t.discr);
        if (!isIntegerType(v.getType())) ice(`${this.where()}: switch on ${typeToString(dt)}`);
        const sw = b.CreateSwitch(v, this.target(t.otherwise), t.cases.length);
        for (const c of t.cases) {
          sw.addCase(this.mc.consts.int(intBits(dt), c.value) as llvm.ConstantInt, this.target(c.target));
        }
        return;
      }
      case 'return': {
        if (this.decl.ret.isVoidTy()) b.CreateRetVoid();
        else b.CreateRet(b.CreateLoad(this.decl.ret, this.slot(0)));
        return;
      }
      case 'unreachable':
        b.CreateUnreachable();
        return;
    }
  }
}

/** Overloaded intrinsic declarations per module, by name, then by their (wrapper-identical) types. */
const intrinsicCache = new WeakMap<llvm.Module, Map<string, { types: llvm.Type[]; fn: llvm.Function }[]>>();


/** Binary operations whose result is a Bool (i1) whatever their operands. */
const COMPARISONS: ReadonlySet<BinOp> = new Set<BinOp>(['eq', 'ne', 'lt', 'le', 'gt', 'ge']);

function showPlace(p: Place): string {
  let s = `_${p.local}`;
  for (const pr of p.proj) {
    if (pr.k === 'deref') s = `(*${s})`;
    else if (pr.k === 'field') s = `${s}.${pr.index}`;
    else if (pr.k === 'variant') s = `${s}.v${pr.variant}.${pr.index}`;
    else s = `${s}[_${pr.index}]`;
  }
  return s;
}

/** Bit width of an integer-like type (Char is a 32-bit scalar value, Bool is i1). */
function intBits(t: Type): number {
  switch (t.k) {
    case 'int':
      return t.bits;
    case 'char':
      return 32;
    case 'bool':
      return 1;
    default:
      return ice(`expected an integer type, found ${typeToString(t)}`);
  }
}
