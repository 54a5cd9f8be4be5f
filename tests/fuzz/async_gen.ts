// The async fuzzer's generator (issue 12): random programs of async functions that make, move, consume and drop
// owned values around `await`s — plain awaits of timers, awaits of other generated async functions (whose states
// are embedded), values moved into those calls, nested blocks, early returns, values moved on one branch only
// (drop flags kept in the state) — each rendered twice:
//   - async: the functions are `async func`s, run by `block_on` (mode -1) or spawned and aborted after N ms;
//   - sync: the same program with `async`/`await` taken away and `delay(n)` a no-op.
// The oracles (async_fuzz.test.ts): the async run prints exactly what the sync twin prints (a state machine must
// not change what a body does or the order it drops in); an aborted run drops every value it made exactly once
// (`new X` and `drop X` lines balance) and leaves no leak (the leak checker's exit status).
//
// Deterministic: program `index` of seed `seed` depends only on the two.
import { mutantSeed, Rng } from './mutate.js';

export interface AsyncProgram {
  readonly index: number;
  readonly asyncText: string;
  readonly syncText: string;
}

interface FnCtx {
  readonly name: string;
  readonly index: number;
  readonly fnCount: number;
  readonly rng: Rng;
  /** scopes of owned, still usable locals (innermost last) */
  readonly scopes: string[][];
  next: number;
  depth: number;
  budget: number;
}

const PRELUDE = `type Noisy { name: Str }

impl Drop for Noisy {
    func drop(mut this) {
        println("drop {this.name}")
    }
}

func mk(name: Str) -> Noisy {
    println("new {name}")
    Noisy { name: name }
}

func consume(n: Noisy) {
    println("consume {n.name}")
}
`;

/** Render one statement list, with `A` standing where the async and sync texts differ. */
type Line = { readonly indent: number; readonly async: string; readonly sync: string };

function same(indent: number, text: string): Line {
  return { indent, async: text, sync: text };
}

function usable(c: FnCtx): string[] {
  return c.scopes.flat();
}

function take(c: FnCtx, v: string): void {
  for (const s of c.scopes) {
    const i = s.indexOf(v);
    if (i >= 0) s.splice(i, 1);
  }
}

function stmts(c: FnCtx, indent: number, out: Line[]): void {
  const n = 1 + c.rng.int(5);
  for (let k = 0; k < n && c.budget > 0; k++) {
    c.budget--;
    stmt(c, indent, out);
  }
}

function stmt(c: FnCtx, indent: number, out: Line[]): void {
  const live = usable(c);
  const roll = c.rng.int(100);
  if (roll < 22) {
    const v = `v${c.next++}`;
    out.push(same(indent, `let ${v} = mk("${c.name}.${v}")`));
    c.scopes[c.scopes.length - 1]!.push(v);
  } else if (roll < 42) {
    const ms = c.rng.int(2);
    out.push(c.rng.chance(0.5) ? { indent, async: `await delay(${ms})`, sync: `pause(${ms})` } : { indent, async: `delay(${ms}).await`, sync: `pause(${ms})` });
  } else if (roll < 60 && c.index + 1 < c.fnCount) {
    const j = c.index + 1 + c.rng.int(c.fnCount - c.index - 1);
    let arg: string;
    if (live.length && c.rng.chance(0.5)) {
      arg = c.rng.pick(live);
      take(c, arg);
    } else {
      arg = `mk("${c.name}.a${c.next++}")`;
    }
    const r = `r${c.next++}`;
    out.push({ indent, async: `let ${r} = await f${j}(${arg})`, sync: `let ${r} = f${j}(${arg})` });
    out.push(same(indent, `total += ${r}`));
  } else if (roll < 68 && live.length) {
    const v = c.rng.pick(live);
    take(c, v);
    out.push(same(indent, `consume(${v})`));
  } else if (roll < 76 && c.depth < 3) {
    out.push(same(indent, '{'));
    c.scopes.push([]);
    c.depth++;
    stmts(c, indent + 1, out);
    c.depth--;
    c.scopes.pop();
    out.push(same(indent, '}'));
  } else if (roll < 82 && live.length) {
    // moved on one branch only: its drop is flagged, and the flag lives across later awaits
    const v = c.rng.pick(live);
    take(c, v);
    out.push(same(indent, `if total % 2 == ${c.rng.int(2)} {`));
    out.push(same(indent + 1, `consume(${v})`));
    out.push(same(indent, '}'));
  } else if (roll < 86) {
    out.push(same(indent, `if total > ${c.rng.int(40)} {`));
    out.push(same(indent + 1, 'return total'));
    out.push(same(indent, '}'));
  } else {
    out.push(same(indent, `println("${c.name} mark ${c.next++}")`));
    out.push(same(indent, `total += ${1 + c.rng.int(9)}`));
  }
}

function renderFn(i: number, fnCount: number, rng: Rng): Line[] {
  const c: FnCtx = { name: `f${i}`, index: i, fnCount, rng, scopes: [['arg']], next: 0, depth: 0, budget: 6 + rng.int(10) };
  const body: Line[] = [same(1, `var total: I64 = ${i + 1}`)];
  stmts(c, 1, body);
  while (c.budget > 0 && rng.chance(0.5)) {
    c.budget--;
    stmt(c, 1, body);
  }
  body.push(same(1, 'total'));
  return [{ indent: 0, async: `async func f${i}(arg: Noisy) -> I64 {`, sync: `func f${i}(arg: Noisy) -> I64 {` }, ...body, same(0, '}'), same(0, '')];
}

export function genAsyncProgram(seed: number, index: number): AsyncProgram {
  const rng = new Rng(mutantSeed(seed, index));
  const fnCount = 2 + rng.int(4);
  const lines: Line[] = [];
  for (let i = 0; i < fnCount; i++) lines.push(...renderFn(i, fnCount, rng));
  const text = (pick: 'async' | 'sync') => lines.map((l) => '    '.repeat(l.indent) + l[pick]).join('\n');
  const asyncMain = `use core::env::args

func main() {
    let a = args()
    let mode = if a.len() > 0 then a[0].parse_i64().unwrap_or(-1) else -1
    if mode < 0 {
        println("result {block_on(f0(mk("main.arg")))}")
    } else {
        let t = spawn(f0, mk("main.arg"))
        sleep(mode)
        abort(t)
        println("aborted")
    }
}
`;
  const syncMain = `func pause(ms: I64) {
}

func main() {
    println("result {f0(mk("main.arg"))}")
}
`;
  return {
    index,
    asyncText: `// async fuzz program ${index} of seed ${seed}\n${PRELUDE}\n${text('async')}\n${asyncMain}`,
    syncText: `// sync twin of async fuzz program ${index} of seed ${seed}\n${PRELUDE}\n${text('sync')}\n${syncMain}`,
  };
}

/** `new X` / `drop X` lines that do not balance (each made value dropped exactly once), as messages. */
export function unbalancedDrops(stdout: string): string[] {
  const count = new Map<string, number>();
  for (const line of stdout.split('\n')) {
    const m = /^(new|drop) (.+)$/.exec(line);
    if (!m) continue;
    count.set(m[2]!, (count.get(m[2]!) ?? 0) + (m[1] === 'new' ? 1 : -1));
  }
  return [...count].filter(([, n]) => n !== 0).map(([name, n]) => `${name}: ${n > 0 ? `${n} made and never dropped` : `${-n} dropped more than made`}`);
}
