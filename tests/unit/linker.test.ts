// Linking a debug build with the system linker directly (gold where there is one): reading `clang -###` output,
// turning the link command into a template over placeholder paths, and putting the real paths back.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { goldFlags, instantiateLink, LINK_PLACEHOLDERS, linkTemplate, parseDriverCommands } from '../../compiler/src/driver/linker.js';
import { testTempDir } from '../setup/temp_dir.js';

const paths = { input: '/w/prog.o', runtime: '/rt/libtml_runtime_debug.a', output: '/w/out.exe' };

const DRIVER_OUTPUT = `Debian clang version 14.0.6
Target: x86_64-pc-linux-gnu
Thread model: posix
InstalledDir: /usr/bin
 "/usr/bin/ld" "-pie" "-o" "/w/out.exe" "/lib/x86_64-linux-gnu/Scrt1.o" "/w/prog.o" "-u" "tml_gdb_scripts" "/rt/libtml_runtime_debug.a" "-lpthread" "-lm" "-lc"
`;

describe('clang -### output', () => {
  it('one command per line that starts with a quoted argument; escapes undone', () => {
    expect(parseDriverCommands(DRIVER_OUTPUT)).toEqual([
      ['/usr/bin/ld', '-pie', '-o', '/w/out.exe', '/lib/x86_64-linux-gnu/Scrt1.o', '/w/prog.o', '-u', 'tml_gdb_scripts', '/rt/libtml_runtime_debug.a', '-lpthread', '-lm', '-lc'],
    ]);
    expect(parseDriverCommands(' "/usr/bin/ld" "a \\"b\\" \\\\c" "\\$HOME" ""\n')).toEqual([['/usr/bin/ld', 'a "b" \\c', '$HOME', '']]);
    expect(parseDriverCommands('clang: error: no input files\n')).toEqual([]);
  });
});

describe('link templates', () => {
  it('the paths become placeholders, and go back in', () => {
    const t = linkTemplate(DRIVER_OUTPUT, paths)!;
    expect(t).toEqual([
      '/usr/bin/ld', '-pie', '-o', LINK_PLACEHOLDERS.output, '/lib/x86_64-linux-gnu/Scrt1.o', LINK_PLACEHOLDERS.input,
      '-u', 'tml_gdb_scripts', LINK_PLACEHOLDERS.runtime, '-lpthread', '-lm', '-lc',
    ]);
    const other = { input: '/x/p.o', runtime: '/y/rt.a', output: '/x/a.out' };
    expect(instantiateLink(t, other)).toEqual(['/usr/bin/ld', '-pie', '-o', '/x/a.out', '/lib/x86_64-linux-gnu/Scrt1.o', '/x/p.o', '-u', 'tml_gdb_scripts', '/y/rt.a', '-lpthread', '-lm', '-lc']);
  });

  it('anything but one command naming an absolute linker and each path once keeps the driver', () => {
    const ld = ' "/usr/bin/ld" "-o" "/w/out.exe" "/w/prog.o" "/rt/libtml_runtime_debug.a"';
    expect(linkTemplate(ld, paths)).not.toBeNull();
    // two commands (clang compiling something first)
    expect(linkTemplate(` "/usr/bin/clang-14" "-cc1" "x.c"\n${ld}`, paths)).toBeNull();
    // no command (the driver failed)
    expect(linkTemplate('clang: error: unsupported option', paths)).toBeNull();
    // a linker found on PATH, not by its absolute path
    expect(linkTemplate(ld.replace('/usr/bin/ld', 'ld'), paths)).toBeNull();
    // the driver left an input out (it does for a file that does not exist)
    expect(linkTemplate(ld.replace(' "/w/prog.o"', ''), paths)).toBeNull();
    // a path twice: which one is the placeholder is ambiguous
    expect(linkTemplate(`${ld} "/w/prog.o"`, paths)).toBeNull();
    // two of the paths the same
    expect(linkTemplate(ld, { ...paths, output: '/w/prog.o' })).toBeNull();
  });
});

describe('goldFlags', () => {
  const dir = testTempDir('tmlc-gold-');
  const withGold = path.join(dir, 'with');
  const without = path.join(dir, 'without');
  mkdirSync(withGold, { recursive: true });
  mkdirSync(without, { recursive: true });
  writeFileSync(path.join(withGold, 'ld.gold'), '#!/bin/sh\n', { mode: 0o755 });

  it('asks the driver for gold when ld.gold is on the PATH and the link is for the host', () => {
    expect(goldFlags(true, { PATH: withGold })).toEqual(['-fuse-ld=gold']);
  });

  it('keeps the default linker for another target, without ld.gold, and with TMLC_LINKER=bfd', () => {
    expect(goldFlags(false, { PATH: withGold })).toEqual([]);
    expect(goldFlags(true, { PATH: without })).toEqual([]);
    expect(goldFlags(true, { PATH: withGold, TMLC_LINKER: 'bfd' })).toEqual([]);
  });
});
