// The typed bodies of a checked program, by function. The program's own bodies are checked up front, in order, so
// their diagnostics come out as before; a standard-library body is checked the first time something asks for it
// (MIR lowering of a reachable instance, or the generic build when a test asks for the library's bodies too).
// Why: hello reaches a handful of the library's ~700 bodies, and checking all of them was most of its front end
// (issue 14). The library's bodies do not depend on the program (its modules do not see the program's names, and
// the definitions are complete before any body is checked), so checking one later gives the same typed body; the
// test suite checks every one of them (tests/unit/pass_manager.test.ts, tests/unit/typed_bodies.test.ts), as it
// already did for the move and borrow checks (mir/check_bodies.ts).
import type { DiagnosticBag } from '../syntax/diagnostics.js';
import { BodyChecker } from './check_body.js';
import type { FuncDef, ProgramDefs } from './defs.js';
import type { TypedBody } from './typed.js';

export class TypedBodies {
  private readonly checked = new Map<FuncDef, TypedBody>();
  /** library functions with a body, not checked yet */
  private readonly deferred = new Set<FuncDef>();

  constructor(
    private readonly defs: ProgramDefs,
    private readonly diags: DiagnosticBag,
  ) {}

  /** Checks `fn`'s body now (the program's functions), or defers it (the library's, unless `eager`). */
  add(fn: FuncDef, eager: boolean): void {
    if (eager || !fn.module.isStd) this.checked.set(fn, new BodyChecker(this.defs, fn, this.diags).check());
    else this.deferred.add(fn);
  }

  /** Whether `fn` has a typed body (checked or to be checked on demand). */
  has(fn: FuncDef): boolean {
    return this.checked.has(fn) || this.deferred.has(fn);
  }

  /** `fn`'s typed body, checking a deferred library body first. */
  get(fn: FuncDef): TypedBody | undefined {
    const done = this.checked.get(fn);
    if (done || !this.deferred.has(fn)) return done;
    this.deferred.delete(fn);
    const body = new BodyChecker(this.defs, fn, this.diags).check();
    this.checked.set(fn, body);
    return body;
  }

  /** How many bodies have been checked so far (the deferred ones are not counted until asked for). */
  get checkedCount(): number {
    return this.checked.size;
  }
}
