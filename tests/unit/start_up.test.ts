// What the CLI's entries decide as they start: whether the start-up snapshot may run (snapshot.ts,
// snapshot_args.ts), the NODE_EXTRA_CA_CERTS bin/tmlc held back (process_setup.ts), and --time's start-up row
// (phase_timer.ts).
import { utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testTempDir } from '../setup/temp_dir.js';
import { restoreNodeEnvironment, SAVED_CA_CERTS } from '../../compiler/src/cli/process_setup.js';
import { snapshotIsCurrent } from '../../compiler/src/cli/snapshot.js';
import { snapshotBlobArgument } from '../../compiler/src/driver/snapshot_args.js';
import { noteStartUp, PhaseTimer } from '../../compiler/src/driver/phase_timer.js';

const dir = testTempDir('tmlc-start-up-');
const setTime = (f: string, secondsAgo: number) => {
  const t = new Date(Date.now() - secondsAgo * 1000);
  utimesSync(f, t, t);
};

describe('snapshotIsCurrent', () => {
  const blob = path.join(dir, 'tmlc.snapshot.blob');
  const inputs = path.join(dir, 'tmlc.snapshot.inputs');
  const a = path.join(dir, 'a.js');
  const b = path.join(dir, 'b.js');
  writeFileSync(blob, 'blob');
  writeFileSync(a, '');
  writeFileSync(b, '');
  writeFileSync(inputs, JSON.stringify([a, b]));

  it('holds for the blob in its own directory when no input is newer than it', () => {
    setTime(a, 100);
    setTime(b, 100);
    setTime(blob, 10);
    expect(snapshotIsCurrent(blob, dir, inputs)).toBe(true);
    // the path as bin/tmlc gives it: bin/../dist/…
    expect(snapshotIsCurrent(path.join(dir, 'sub', '..', 'tmlc.snapshot.blob'), dir, inputs)).toBe(true);
  });

  it('fails for an input newer than the blob, a missing input or list, another directory, no blob', () => {
    setTime(a, 100);
    setTime(b, 5);
    setTime(blob, 10);
    expect(snapshotIsCurrent(blob, dir, inputs)).toBe(false);
    setTime(b, 100);
    expect(snapshotIsCurrent(blob, path.join(dir, 'elsewhere'), inputs)).toBe(false);
    expect(snapshotIsCurrent(null, dir, inputs)).toBe(false);
    expect(snapshotIsCurrent(blob, dir, path.join(dir, 'no-such-list'))).toBe(false);
    writeFileSync(inputs, JSON.stringify([a, path.join(dir, 'gone.js')]));
    expect(snapshotIsCurrent(blob, dir, inputs)).toBe(false);
    writeFileSync(inputs, '{"not": "a list"}');
    expect(snapshotIsCurrent(blob, dir, inputs)).toBe(false);
    writeFileSync(inputs, JSON.stringify([a, b]));
    expect(snapshotIsCurrent(blob, dir, inputs)).toBe(true);
  });
});

describe('snapshotBlobArgument', () => {
  it("finds Node's --snapshot-blob in both spellings, and the other arguments", () => {
    expect(snapshotBlobArgument(['--no-opt', '--snapshot-blob', '/x/b.blob'])).toEqual({ blob: '/x/b.blob', others: ['--no-opt'] });
    expect(snapshotBlobArgument(['--snapshot-blob=/y/b.blob', '--no-opt'])).toEqual({ blob: '/y/b.blob', others: ['--no-opt'] });
    expect(snapshotBlobArgument(['--no-opt'])).toEqual({ blob: null, others: ['--no-opt'] });
    expect(snapshotBlobArgument(['--snapshot-blob'])).toEqual({ blob: null, others: [] });
  });
});

describe('restoreNodeEnvironment', () => {
  it("puts back the value bin/tmlc held back, an empty one too, and leaves a value that is set alone", () => {
    const env: NodeJS.ProcessEnv = { [SAVED_CA_CERTS]: '/etc/certs.pem' };
    restoreNodeEnvironment(env);
    expect(env).toEqual({ NODE_EXTRA_CA_CERTS: '/etc/certs.pem' });
    const empty: NodeJS.ProcessEnv = { [SAVED_CA_CERTS]: '' };
    restoreNodeEnvironment(empty);
    expect(empty).toEqual({ NODE_EXTRA_CA_CERTS: '' });
    const set: NodeJS.ProcessEnv = { [SAVED_CA_CERTS]: '/old.pem', NODE_EXTRA_CA_CERTS: '/new.pem' };
    restoreNodeEnvironment(set);
    expect(set).toEqual({ NODE_EXTRA_CA_CERTS: '/new.pem' });
    const none: NodeJS.ProcessEnv = { PATH: '/bin' };
    restoreNodeEnvironment(none);
    expect(none).toEqual({ PATH: '/bin' });
  });
});

describe("--time's start-up row", () => {
  it('is the first row of the first timer only', () => {
    noteStartUp('snapshot');
    const first = new PhaseTimer();
    first.add('parse+check', 1);
    const rows = first.format().trimEnd().split('\n');
    expect(rows.map((r) => r.replace(/\s+[\d.]+ ms\s+\d+ MB rss$/, ''))).toEqual(['time: start-up (snapshot)', 'time: parse+check', 'time: total']);
    // a `tmlc test` worker's later files: no start-up row
    const second = new PhaseTimer();
    expect(second.format()).toMatch(/^time: total /);
  });
});

describe('PhaseTimer', () => {
  it('reads the resident set for each row only when asked to (--time)', () => {
    const quiet = new PhaseTimer(false);
    quiet.add('codegen', 2);
    expect(quiet.phases).toEqual([{ phase: 'codegen', ms: 2, rssMb: null }]);
    expect(quiet.format()).toMatch(/^time: codegen +2\.0 ms\ntime: total +[\d.]+ ms\n$/);
    const timed = new PhaseTimer(true);
    timed.add('codegen', 2);
    expect(timed.phases[0]!.rssMb).toBeGreaterThan(0);
    expect(timed.format()).toMatch(/^time: codegen +2\.0 ms +\d+ MB rss\ntime: total +[\d.]+ ms +\d+ MB rss\n$/);
  });
});
