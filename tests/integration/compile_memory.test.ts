// Bounded memory over a long session (issue 14): one process generates the same program's LLVM module 500 times,
// writes its object file in-process and disposes of it, exactly as the driver does for each build (pipeline.ts:
// codegen, the backend, then `dispose()` in a `finally`; tests/unit/pipeline.test.ts checks that the driver always
// disposes), and its resident set must stay within a fixed bound after a warm-up. The front end runs once: it
// holds no native memory, and running it 500 times would only make the test slow (about 1 s a build here). Without
// the disposal each compilation leaves its whole LLVM context behind and the resident set grows by hundreds of MB.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, expect, it } from 'vitest';
import { generateLLVM } from '../../compiler/src/codegen/program.js';
import { runFrontEnd } from '../../compiler/src/driver/frontend.js';
import { frontEndOptions, resolveBuildOptions } from '../../compiler/src/driver/settings.js';

const COMPILATIONS = 500;
const WARM_UP = 50;
/** growth of the resident set allowed between compilation WARM_UP and COMPILATIONS (after a full GC each time) */
const BOUND_MB = 20;

// a full garbage collection before each measurement, so that the figures are native memory and live JS objects,
// not garbage that V8 has not collected yet
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function residentMB(): number {
  gc();
  gc();
  return process.memoryUsage.rss() / 2 ** 20;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tmlc-compile-memory-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it(`${COMPILATIONS} compilations of one program in one process keep the resident set bounded`, async () => {
  const src = path.join(dir, 'prog.tml');
  // ten small functions with loops, arithmetic (overflow checks) and string formatting: a module of a few hundred
  // instructions, so that a compilation that keeps its module shows
  const units = Array.from({ length: 10 }, (_, k) =>
    [
      `func unit${k}(n: I64) -> I64 {`,
      '    let mut total: I64 = 0',
      '    for i in 0 to n {',
      `        total = total + i * ${k + 1}`,
      '    }',
      `    println("unit ${k}: {total}")`,
      '    return total',
      '}',
      '',
    ].join('\n'),
  );
  const calls = units.map((_, k) => `    sum = sum + unit${k}(${k + 3})`).join('\n');
  fs.writeFileSync(src, `${units.join('\n')}\nfunc main() {\n    let mut sum: I64 = 0\n${calls}\n    println("sum {sum}")\n}\n`);
  const options = resolveBuildOptions({ emit: 'obj' });
  const fe = runFrontEnd(src, { ...frontEndOptions(options), needsMain: true });
  expect(fe.diagnostics).toEqual([]);
  const program = fe.program!;
  const out = path.join(dir, 'prog.o');
  const rss: number[] = [];
  for (let i = 1; i <= COMPILATIONS; i++) {
    const module = generateLLVM(program, {
      triple: options.triple,
      debugInfo: options.debugInfo,
      checkLeaks: options.checkLeaks,
      harness: 'main',
      moduleName: 'prog.tml',
    });
    try {
      expect(module.verifyFailure).toBe(null);
      module.emitObject(out, 0);
    } finally {
      module.dispose();
    }
    // Node runs the finalizers of collected native wrappers (N-API) from the event loop: a loop that never yields
    // would pile them up (the driver's builds are async and yield between steps)
    await new Promise((resolve) => setImmediate(resolve));
    if (i === 1 || i === WARM_UP || i % 100 === 0) rss.push(residentMB());
  }
  const first = rss[0]!;
  const atWarmUp = rss[1]!;
  const last = rss[rss.length - 1]!;
  console.log(
    `resident set over ${COMPILATIONS} compilations: ${first.toFixed(0)} MB after 1, ${atWarmUp.toFixed(0)} MB after ${WARM_UP}, ` +
      `then ${rss.slice(2).map((m) => m.toFixed(0)).join(', ')} MB every 100; growth ${(last - atWarmUp).toFixed(1)} MB`,
  );
  expect(fs.readFileSync(out).subarray(1, 4).toString()).toBe('ELF');
  expect(last - atWarmUp).toBeLessThan(BOUND_MB);
}, 600_000);
