// The start-up snapshot `npm run build` makes (cli/snapshot.ts, ci/bundle_cli.mjs), run through bin/tmlc: it must
// exist (a build that silently stopped making it would only be slower), and a command started from it must do
// exactly what the same command started from bin/tmlc.js does: the same standard output, standard error and status.
// A snapshot that is not the one next to the compiler it was made with runs the script instead.
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import { testTempDir } from '../setup/temp_dir.js';

const root = path.resolve(new URL('../../', import.meta.url).pathname);
const cli = path.join(root, 'dist', 'compiler', 'src', 'cli');
const dir = testTempDir('tmlc-snapshot-test-');

const program = path.join(dir, 'prog.tml');
writeFileSync(
  program,
  [
    'type Point { x: I64, y: I64 }',
    'func main() {',
    '    let p = Point { x: 3, y: 4 }',
    '    println("sum {p.x + p.y}")',
    '    println("args {args().len()}")',
    '    println("ca {env_var("NODE_EXTRA_CA_CERTS").unwrap_or("unset")}")',
    '}',
    '',
  ].join('\n'),
);
const broken = path.join(dir, 'broken.tml');
writeFileSync(broken, 'func main() {\n    let s = "text"\n    let t = s\n    println(s)\n    let n: I64 = "no"\n}\n');
// IR larger than a pipe's buffer (64 KB): the snapshot's process exits as soon as the command is done, so its
// output must all have been written by then
const big = path.join(dir, 'big.tml');
const bigFns = Array.from({ length: 150 }, (_, i) => `func f${i}(n: I64) -> I64 {\n    println("f${i} {n}")\n    n * ${i + 2} + ${i}\n}\n`);
writeFileSync(big, `${bigFns.join('')}func main() {\n${Array.from({ length: 150 }, (_, i) => `    println("{f${i}(${i})}")\n`).join('')}}\n`);
const panics = path.join(dir, 'panics.tml');
writeFileSync(panics, 'func main() {\n    let xs = [1, 2, 3]\n    let i = args().len() + 5\n    println("{xs[i]}")\n}\n');

interface Result {
  stdout: string;
  stderr: string;
  exitCode: number | undefined;
}
const env = { NODE_EXTRA_CA_CERTS: undefined, NODE_OPTIONS: undefined, TMLC_NO_SNAPSHOT: undefined, NO_COLOR: '1' };
async function run(cmd: string[], args: string[], extra: Record<string, string> = {}): Promise<Result> {
  const r = await execa(cmd[0]!, [...cmd.slice(1), ...args], { reject: false, env: { ...env, ...extra }, cwd: dir });
  return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode };
}
const launcher = [path.join(root, 'bin', 'tmlc')];
const script = ['node', path.join(root, 'bin', 'tmlc.js')];
/** --time's first row: how the process started */
const startUp = (stderr: string): string | undefined => /^time: start-up \((\w+)\)/m.exec(stderr)?.[1];

describe('the start-up snapshot', () => {
  it('is made by npm run build, with the stamp bin/tmlc checks', () => {
    expect(existsSync(path.join(cli, 'tmlc.snapshot.blob'))).toBe(true);
    expect(existsSync(path.join(cli, 'tmlc.snapshot.inputs'))).toBe(true);
    // the stamp: for this Node (its path and version, then the flags), with the binary's modification time exactly
    const stamp = path.join(cli, 'tmlc.snapshot.stamp');
    const [madeFor, flags] = readFileSync(stamp, 'utf8').split('\n');
    expect(madeFor).toBe(`${process.execPath} ${process.version}`);
    expect(flags).toBe((JSON.parse(readFileSync(path.join(root, 'bin', 'one_shot_v8_flags.json'), 'utf8')) as string[]).join(' '));
    expect(statSync(stamp, { bigint: true }).mtimeNs).toBe(statSync(process.execPath, { bigint: true }).mtimeNs);
  });

  it("checks for staleness a file of dist/ (tsc writes them all) and each bundled package's package.json", () => {
    const probes = JSON.parse(readFileSync(path.join(cli, 'tmlc.snapshot.inputs'), 'utf8')) as string[];
    expect(probes).toContain(path.join(cli, 'snapshot.js'));
    for (const pkg of ['execa', 'commander', 'smol-toml']) expect(probes).toContain(path.join(root, 'node_modules', pkg, 'package.json'));
    expect(probes.every((f) => existsSync(f))).toBe(true);
    expect(probes.filter((f) => f.includes(`${path.sep}node_modules${path.sep}`)).every((f) => f.endsWith(`${path.sep}package.json`))).toBe(true);
  });

  it('is what bin/tmlc starts from (--time says so), and bin/tmlc.js is not', async () => {
    const a = await run(launcher, ['check', '--time', program]);
    expect(a.exitCode).toBe(0);
    expect(startUp(a.stderr)).toBe('snapshot');
    expect(startUp((await run(script, ['check', '--time', program])).stderr)).toBe('script');
    expect(startUp((await run(launcher, ['check', '--time', program], { TMLC_NO_SNAPSHOT: '1' })).stderr)).toBe('script');
  });

  const same: [string, string[]][] = [
    ['--version', ['--version']],
    ['help', ['--help']],
    ['an unknown command', ['frobnicate']],
    ['check, with diagnostics', ['check', broken]],
    ['check --message-format=json', ['check', '--message-format=json', broken]],
    ['--emit=mir', ['build', '--emit=mir', program, '-o', '-']],
    ['--emit=ir (code generation: the LLVM addon is loaded after the snapshot)', ['build', '--emit=ir', program, '-o', '-']],
    ['--emit=ir, larger than a pipe holds', ['build', '--emit=ir', big, '-o', '-']],
    ['run', ['run', program, 'one', 'two']],
    ['run, a program that panics', ['run', panics]],
  ];
  for (const [what, args] of same) {
    it(`gives what bin/tmlc.js gives: ${what}`, async () => {
      const [a, b] = await Promise.all([run(launcher, args), run(script, args)]);
      expect(a).toEqual(b);
      if (args[0] === 'run' && args[1] === program) expect(a.stdout).toBe('sum 7\nargs 2\nca unset');
      if (args[0] === 'check') expect(a.exitCode).toBe(1);
      if (args[2] === big) expect(a.stdout.length).toBeGreaterThan(256 * 1024);
    });
  }

  it('gives what bin/tmlc.js gives: tmlc test, whose files compile in worker processes', async () => {
    const tests = path.join(dir, 'tests');
    mkdirSync(tests, { recursive: true });
    writeFileSync(path.join(tests, 'a.test.tml'), 'use test\n\n@test\nfunc adds() {\n    assert_eq(1 + 1, 2, "sum")\n}\n');
    writeFileSync(path.join(tests, 'b.test.tml'), 'use test\n\n@test\nfunc fails() {\n    assert_eq(2 * 2, 5, "product")\n}\n');
    // each in a cache directory of its own, so that both compile (the test cache would answer the second)
    const [a, b] = await Promise.all([
      run(launcher, ['test', tests], { XDG_CACHE_HOME: path.join(dir, 'cache-a') }),
      run(script, ['test', tests], { XDG_CACHE_HOME: path.join(dir, 'cache-b') }),
    ]);
    expect(a).toEqual(b);
    expect(a.stdout).toContain('test a.test.tml::adds ... ok\ntest b.test.tml::fails ... FAILED');
    expect(a.exitCode).toBe(1);
  });

  it('gives the programs it runs the NODE_EXTRA_CA_CERTS that its own Node did not load', async () => {
    const r = await run(launcher, ['run', program], { NODE_EXTRA_CA_CERTS: '/nonexistent/certs.pem' });
    // a Node that loaded it would have warned that it cannot
    expect(r).toEqual({ stdout: 'sum 7\nargs 0\nca /nonexistent/certs.pem', stderr: '', exitCode: 0 });
  });

  it('leaves out the language server: `lsp` started from the blob itself runs through bin/tmlc.js and answers', async () => {
    // bin/tmlc already sends `lsp` to the script; this is a client that starts Node from the blob directly
    const [, flags = ''] = readFileSync(path.join(cli, 'tmlc.snapshot.stamp'), 'utf8').split('\n');
    const server = execa('node', [...flags.split(' '), '--snapshot-blob', path.join(cli, 'tmlc.snapshot.blob'), '--', 'lsp'], { reject: false, env, cwd: dir });
    const client = createProtocolConnection(new StreamMessageReader(server.stdout!), new StreamMessageWriter(server.stdin!));
    client.listen();
    const r = (await client.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} })) as { capabilities: { hoverProvider?: unknown } };
    expect(r.capabilities.hoverProvider).toBe(true);
    await client.sendRequest('shutdown');
    await client.sendNotification('exit');
    expect((await server).exitCode).toBe(0);
    client.dispose();
  });

  it('is not used from anywhere but where it was made: the command runs through bin/tmlc.js', async () => {
    // a stand-in installation whose launcher finds the real blob and stamp under its own dist/
    const pkg = path.join(dir, 'moved');
    const movedCli = path.join(pkg, 'dist', 'compiler', 'src', 'cli');
    mkdirSync(movedCli, { recursive: true });
    mkdirSync(path.join(pkg, 'bin'));
    copyFileSync(path.join(root, 'bin', 'tmlc'), path.join(pkg, 'bin', 'tmlc'));
    for (const f of ['tmlc.snapshot.blob', 'tmlc.snapshot.stamp']) symlinkSync(path.join(cli, f), path.join(movedCli, f));
    const moved = await run([path.join(pkg, 'bin', 'tmlc')], ['run', '--time', program, 'x']);
    expect(moved.stdout).toBe('sum 7\nargs 1\nca unset');
    expect(moved.exitCode).toBe(0);
    expect(startUp(moved.stderr)).toBe('script');
  });
});
