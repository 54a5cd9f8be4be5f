// Bounded memory over a long session (issue 14): one process compiles the same program 500 times through the
// driver's in-process API (front end, codegen, in-process object emission: no child process), as `tmlc test` and a
// watch mode do, and its resident set must stay within a fixed bound after a warm-up. Every compilation's LLVM
// context, module and builders are freed by the driver (codegen's result is disposed of after the backend); without
// that each compilation leaves its whole module behind and the resident set grows by hundreds of MB here.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, expect, it } from 'vitest';
import { build } from '../../compiler/src/driver/pipeline.js';
import { resolveBuildOptions } from '../../compiler/src/driver/settings.js';

const COMPILATIONS = 500;
const WARM_UP = 50;
/** growth of the resident set allowed between compilation WARM_UP and COMPILATIONS (after a full GC each time) */
const BOUND_MB = 40;

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
  // this test is about memory, not about the MIR: skip the suite's MIR validation between passes (time only)
  delete process.env['TMLC_VALIDATE_MIR'];
  const src = path.join(dir, 'prog.tml');
  fs.writeFileSync(src, 'func main() {\n    let n = 6 * 7\n    println("the answer is {n}")\n}\n');
  const out = path.join(dir, 'prog.o');
  const options = resolveBuildOptions({ emit: 'obj' });
  let errors = '';
  const io = { out: () => undefined, err: (t: string) => void (errors += t) };
  const rss: number[] = [];
  for (let i = 1; i <= COMPILATIONS; i++) {
    const status = await build(src, out, options, { io });
    if (status !== 0) throw new Error(`compilation ${i} failed with status ${status}:\n${errors}`);
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
}, 1_200_000);
