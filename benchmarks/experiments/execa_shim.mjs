// A stand-in for the parts of `execa` that `tmlc build` uses, on node:child_process alone; startup_experiments.sh
// swaps it in for `execa` in a copy of dist/ to measure what loading execa costs. Not a full replacement: enough
// for `build` (capture stdout/stderr, never reject, `failed`/`exitCode`/`signal`/`shortMessage`) and a synchronous
// variant for codegen's verifier.
import { spawn, spawnSync } from 'node:child_process';

function result(code, signal, stdout, stderr, error) {
  const failed = error !== undefined || code !== 0;
  return {
    stdout,
    stderr,
    all: stdout + stderr,
    failed,
    exitCode: error !== undefined ? undefined : code ?? undefined,
    signal: signal ?? undefined,
    shortMessage: error !== undefined ? String(error.message) : failed ? `exit status ${code}` : '',
  };
}

export function execa(file, args = [], opts = {}) {
  const env = opts.extendEnv === false ? opts.env : { ...process.env, ...opts.env };
  const inherit = opts.stdio === 'inherit';
  const child = spawn(file, args, { cwd: opts.cwd, env, stdio: inherit ? 'inherit' : [opts.stdin ?? 'pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (d) => (out += d));
  child.stderr?.setEncoding('utf8').on('data', (d) => (err += d));
  const p = new Promise((resolve) => {
    let error;
    child.on('error', (e) => (error = e));
    child.on('close', (code, signal) => resolve(result(code, signal, out, err, error)));
  });
  return Object.assign(p, { kill: (s) => child.kill(s), pid: child.pid });
}

export function execaSync(file, args = [], opts = {}) {
  const r = spawnSync(file, args, { cwd: opts.cwd, encoding: 'utf8' });
  return result(r.status, r.signal, r.stdout ?? '', r.stderr ?? '', r.error);
}
