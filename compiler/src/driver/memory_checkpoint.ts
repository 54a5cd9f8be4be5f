// Full garbage collections at the points of a large compilation where much of what the heap holds has just died, so
// that the process's peak stays near what is live (issue 14: a 10,000-line debug build within 2x of clang's peak).
// Left to itself V8 seldom collects the old generation in a run this short: the front end's and the MIR passes'
// garbage kept its heap at 120 MB with 30 MB live when code generation began, and the native halves of
// llvm-bindings' wrapper objects (one per value codegen gets back from LLVM, freed only when a major collection
// finds the wrapper dead; minor collections do not) added 30 MB more during codegen. The trigger is the resident
// set's growth, which sees both. A small compilation never reaches it, so hello pays nothing
// (docs/decisions.md, "A large build collects its garbage between phases").
import v8 from 'node:v8';
import vm from 'node:vm';

/** The growth of the resident set since the last collection that makes a checkpoint collect. 12 MB collected six
 * times in the 10,000-line build, 20 MB or more let its peak rise by 8–10 MB (measured; 16 MB: five times). */
const RSS_GROWTH = 16 * 2 ** 20;
/** A checkpoint in a loop reads the resident set (a system call) on every this many calls only. */
const EVERY = 64;

let collector: (() => void) | null = null;

/** V8's `gc()`, which only a context created while `--expose-gc` is set has (the flag is not on the command line:
 * the CLI is run as `node bin/tmlc.js` too). The flag is unset again at once: V8's flag hash is part of what
 * validates a code cache (v8.cachedDataVersionTag()), so a cache that bin/tmlc.js writes at the exit of a run that
 * collected would be rejected by the next run, which would write it again, and so on. */
function fullCollection(): void {
  // the start-up snapshot's warm-up (cli/snapshot.ts) neither needs a collection nor should keep the context in the heap
  if (v8.startupSnapshot.isBuildingSnapshot()) return;
  if (collector === null) {
    v8.setFlagsFromString('--expose-gc');
    try {
      collector = vm.runInNewContext('gc') as () => void;
    } finally {
      v8.setFlagsFromString('--no-expose-gc');
    }
  }
  collector();
}

export class MemoryCheckpoint {
  private rssAfterLast = process.memoryUsage.rss();
  private calls = 0;
  /** how many collections this checkpoint made */
  collections = 0;

  /** Collect if the resident set grew by RSS_GROWTH since the last collection (or since this checkpoint was made). */
  now(): void {
    if (process.memoryUsage.rss() - this.rssAfterLast >= RSS_GROWTH) this.collect();
  }

  /** `now()` on every EVERY-th call: for a loop over functions. */
  sometimes(): void {
    if (++this.calls % EVERY === 0) this.now();
  }

  /** At the end of a phase whose data is now dead: collect if this checkpoint collected before (a large build). */
  finish(): void {
    if (this.collections > 0) this.collect();
  }

  private collect(): void {
    fullCollection();
    this.collections++;
    this.rssAfterLast = process.memoryUsage.rss();
  }
}
