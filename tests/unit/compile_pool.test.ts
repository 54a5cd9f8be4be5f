// The compile-worker pool of `tmlc test` (testing/compile_pool.ts), with a stand-in worker script: every job gets its
// own result, workers are replaced after their share of compilations, and a worker that dies fails only its file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CompilePool, workerEnv, workerExecArgv } from '../../compiler/src/testing/compile_pool.js';
import { resolveTestOptions } from '../../compiler/src/driver/settings.js';
import { withoutInternalErrorLog } from '../setup/expected_internal_error.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'tmlc-pool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// answers with its pid and its V8 flags among the inputs; a file named `crash` kills it; `slow…` answers later than the others
const WORKER = path.join(dir, 'worker.mjs');
writeFileSync(
  WORKER,
  `process.on('message', (m) => {
  if (m.req.file === 'crash') process.kill(process.pid, 'SIGKILL');
  const reply = { id: m.id, result: { status: 0, tests: [], inputs: [m.req.file, String(process.pid), process.execArgv.join(' ')] }, output: [{ stream: 'err', text: 'compiled ' + m.req.file + '\\n' }] };
  setTimeout(() => process.send(reply), m.req.file.startsWith('slow') ? 300 : 0);
});
process.on('disconnect', () => process.exit(0));
`,
);

const options = { ...resolveTestOptions({}).build, emit: null };
const request = (file: string) => ({ file, exe: path.join(dir, file), options });

describe('CompilePool', () => {
  it('gives every file its own result and replaces a worker after its share of files', async () => {
    const pool = new CompilePool(2, 2, pathToFileURL(WORKER));
    const files = ['slow0', 'f1', 'f2', 'slow3', 'f4'];
    const results = await Promise.all(files.map((f) => pool.compile(request(f))));
    pool.close();
    expect(results.map((r) => r.inputs[0])).toEqual(files);
    expect(results.map((r) => r.output)).toEqual(files.map((f) => [{ stream: 'err', text: `compiled ${f}\n` }]));
    // 5 files, at most 2 per worker: three workers, none of which compiled more than 2
    expect(pool.started).toBe(3);
    const perPid = new Map<string, number>();
    for (const r of results) perPid.set(r.inputs[1]!, (perPid.get(r.inputs[1]!) ?? 0) + 1);
    expect([...perPid.values()].every((k) => k <= 2)).toBe(true);
    expect(perPid.size).toBe(3);
  });

  it('workers run without the optimising JIT (one-shot compiles), unless TMLC_V8_OPT=1', async () => {
    const flagsOf = async (): Promise<string> => {
      const pool = new CompilePool(1, 20, pathToFileURL(WORKER));
      const r = await pool.compile(request('f'));
      pool.close();
      return r.inputs[2]!;
    };
    const saved = process.env['TMLC_V8_OPT'];
    try {
      delete process.env['TMLC_V8_OPT'];
      expect((await flagsOf()).split(' ').slice(-3)).toEqual(['--no-opt', '--sparkplug', '--min-semi-space-size=16']);
      process.env['TMLC_V8_OPT'] = '1';
      expect(await flagsOf()).not.toContain('--no-opt');
    } finally {
      if (saved === undefined) delete process.env['TMLC_V8_OPT'];
      else process.env['TMLC_V8_OPT'] = saved;
    }
  });

  it('a worker that dies fails its file with an internal-error message; the next files still compile', async () => {
    const pool = new CompilePool(1, 20, pathToFileURL(WORKER));
    // the crash is an internal error on purpose: kept out of the suite's log of them
    const [before, crashed, after] = await withoutInternalErrorLog(() => Promise.all(['a', 'crash', 'b'].map((f) => pool.compile(request(f)))));
    pool.close();
    expect(before!.status).toBe(0);
    expect(crashed!.status).toBe(70);
    expect(crashed!.tests).toBeNull();
    expect(crashed!.output[0]!.text).toContain("internal compiler error: the compiler process compiling 'crash' was killed by SIGKILL");
    expect(after!.status).toBe(0);
    expect(after!.inputs[1]).not.toBe(before!.inputs[1]);
    expect(pool.started).toBe(2);
  });
});

describe("a worker's Node", () => {
  it("does not get the runner's --snapshot-blob (a worker is a module, not the CLI), and gets each flag once", () => {
    const oneShot = ['--no-opt', '--sparkplug', '--min-semi-space-size=16'];
    const flags = workerExecArgv({}, [...oneShot, '--snapshot-blob', '/x/tmlc.snapshot.blob']);
    expect(flags).toEqual(oneShot);
    expect(workerExecArgv({}, ['--snapshot-blob=/x/b.blob', '--stack-size=2000'])).toEqual(['--stack-size=2000', ...oneShot]);
    expect(workerExecArgv({ TMLC_V8_OPT: '1' }, ['--snapshot-blob', '/x/b.blob'])).toEqual([]);
  });

  it('starts without NODE_EXTRA_CA_CERTS', () => {
    expect(workerEnv({ PATH: '/bin', NODE_EXTRA_CA_CERTS: '/etc/c.pem' })).toEqual({ PATH: '/bin' });
  });
});
