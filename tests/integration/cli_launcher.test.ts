// bin/tmlc, the `tmlc` command: it starts Node from the start-up snapshot only when the stamp next to the blob is for
// this Node binary (it has the binary's modification time, to the nanosecond) and no setting asks for the script,
// passes the user's arguments after `--` (so `tmlc --version` is tmlc's, not Node's), and starts Node without
// NODE_EXTRA_CA_CERTS, whose value it hands over in TMLC_NODE_EXTRA_CA_CERTS. Tested on a copy of bin/tmlc in a
// stand-in package whose snapshot and bin/tmlc.js only say which one ran, with what.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { testTempDir } from '../setup/temp_dir.js';

const root = path.resolve(new URL('../../', import.meta.url).pathname);
const pkg = testTempDir('tmlc-launcher-');

const cli = path.join(pkg, 'dist', 'compiler', 'src', 'cli');
const launcher = path.join(pkg, 'bin', 'tmlc');
mkdirSync(cli, { recursive: true });
mkdirSync(path.join(pkg, 'bin'));
copyFileSync(path.join(root, 'bin', 'tmlc'), launcher);
writeFileSync(path.join(pkg, 'package.json'), '{ "type": "module" }\n');
const report = "JSON.stringify({ args: ARGS, ca: process.env.NODE_EXTRA_CA_CERTS ?? null, saved: process.env.TMLC_NODE_EXTRA_CA_CERTS ?? null, execArgv: process.execArgv })";
writeFileSync(path.join(pkg, 'bin', 'tmlc.js'), `process.stdout.write('script ' + ${report.replace('ARGS', 'process.argv.slice(2)')});\n`);
const entry = path.join(pkg, 'entry.cjs');
writeFileSync(
  entry,
  `require('node:v8').startupSnapshot.setDeserializeMainFunction(() => process.stdout.write('snapshot ' + ${report.replace('ARGS', 'process.argv.slice(1)')}));\n`,
);
const flags = ['--no-opt', '--sparkplug'];
const node = execFileSync('sh', ['-c', 'command -v node'], { encoding: 'utf8' }).trim();
execFileSync(node, [...flags, '--snapshot-blob', path.join(cli, 'tmlc.snapshot.blob'), '--build-snapshot', entry]);
const stamp = path.join(cli, 'tmlc.snapshot.stamp');
const stampText = `${node} ${process.version}\n${flags.join(' ')}\n`;
/** The stamp ci/bundle_cli.mjs writes: for the Node on the PATH, by its modification time. */
function writeRightStamp(): void {
  writeFileSync(stamp, stampText);
  execFileSync('touch', ['-r', node, stamp]);
}

interface Ran {
  how: string;
  args: string[];
  ca: string | null;
  saved: string | null;
  execArgv: string[];
}
async function tmlc(args: string[], env: Record<string, string> = {}, cmd = launcher): Promise<Ran> {
  const base: Record<string, string | undefined> = { ...process.env, NODE_EXTRA_CA_CERTS: undefined, NODE_OPTIONS: undefined, TMLC_NO_SNAPSHOT: undefined };
  const r = await execa(cmd, args, { env: { ...base, ...env }, extendEnv: false });
  const [how, json] = [r.stdout.slice(0, r.stdout.indexOf(' ')), r.stdout.slice(r.stdout.indexOf(' ') + 1)];
  return { how, ...(JSON.parse(json) as Omit<Ran, 'how'>) };
}

describe('bin/tmlc', () => {
  it('starts Node from the snapshot, with the flags of the stamp, the arguments after `--`', async () => {
    writeRightStamp();
    const r = await tmlc(['--version']);
    expect(r.how).toBe('snapshot');
    expect(r.args).toEqual(['--version']);
    expect(r.execArgv).toEqual([...flags, '--snapshot-blob', `${pkg}/bin/../dist/compiler/src/cli/tmlc.snapshot.blob`]);
    expect((await tmlc(['build', 'a b.tml', '-o', '-', '--', 'x'])).args).toEqual(['build', 'a b.tml', '-o', '-', '--', 'x']);
  });

  it('runs bin/tmlc.js when the stamp is for another Node, or missing, or the blob is', async () => {
    // the right text with another time: a Node replaced in place (an upgrade), one second or one nanosecond apart
    const t = statSync(node, { bigint: true }).mtimeNs;
    for (const ns of [t + 1_000_000_000n, t - 1n, t + 1n]) {
      writeFileSync(stamp, stampText);
      execFileSync('touch', ['-d', `@${ns / 1_000_000_000n}.${String(ns % 1_000_000_000n).padStart(9, '0')}`, stamp]);
      expect(await tmlc(['check', 'x.tml'])).toMatchObject({ how: 'script', args: ['check', 'x.tml'] });
    }
    rmSync(stamp);
    expect((await tmlc(['check'])).how).toBe('script');
    writeRightStamp();
    expect((await tmlc(['check'])).how).toBe('snapshot');
    // a stamp without its blob
    const blob = path.join(cli, 'tmlc.snapshot.blob');
    renameSync(blob, `${blob}.away`);
    expect((await tmlc(['check'])).how).toBe('script');
    renameSync(`${blob}.away`, blob);
  });

  it('runs bin/tmlc.js for `lsp`, with NODE_OPTIONS, TMLC_V8_OPT=1, TMLC_NO_BUNDLE=1 or TMLC_NO_SNAPSHOT=1', async () => {
    writeRightStamp();
    expect((await tmlc(['lsp'])).how).toBe('script');
    expect((await tmlc(['check'], { NODE_OPTIONS: '--max-old-space-size=4096' })).how).toBe('script');
    for (const v of ['TMLC_V8_OPT', 'TMLC_NO_BUNDLE', 'TMLC_NO_SNAPSHOT']) expect((await tmlc(['check'], { [v]: '1' })).how).toBe('script');
    expect((await tmlc(['check'], { TMLC_NO_SNAPSHOT: '0' })).how).toBe('snapshot');
  });

  it('starts Node without NODE_EXTRA_CA_CERTS and passes its value on, also when it is empty', async () => {
    writeRightStamp();
    expect(await tmlc(['check'], { NODE_EXTRA_CA_CERTS: '/etc/certs.pem' })).toMatchObject({ how: 'snapshot', ca: null, saved: '/etc/certs.pem' });
    expect(await tmlc(['check'], { NODE_EXTRA_CA_CERTS: '' })).toMatchObject({ ca: null, saved: '' });
    expect(await tmlc(['check'])).toMatchObject({ ca: null, saved: null });
    expect(await tmlc(['lsp'], { NODE_EXTRA_CA_CERTS: '/etc/certs.pem' })).toMatchObject({ how: 'script', ca: null, saved: '/etc/certs.pem' });
  });

  it('works through a symbolic link (npm link puts one on the PATH)', async () => {
    writeRightStamp();
    // the link in a directory of its own, as in npm's global bin
    const dir = mkdtempSync(path.join(pkg, 'link-'));
    symlinkSync(launcher, path.join(dir, 'tmlc'));
    expect((await tmlc(['check'], {}, path.join(dir, 'tmlc'))).how).toBe('snapshot');
    rmSync(stamp);
    expect((await tmlc(['check'], {}, path.join(dir, 'tmlc'))).how).toBe('script');
  });
});
