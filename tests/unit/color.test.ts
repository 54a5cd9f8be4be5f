// Coloured diagnostics (syntax/palette.ts): rustc's colours with --color=always, none with never, and auto decided by
// the terminal and NO_COLOR (settings.ts colorEnabled).
import { describe, expect, it } from 'vitest';
import { colorEnabled, resolveBuildOptions } from '../../compiler/src/driver/settings.js';
import { runCli } from '../../compiler/src/cli/program.js';
import type { Diagnostic } from '../../compiler/src/syntax/diagnostics.js';
import { ANSI, PLAIN } from '../../compiler/src/syntax/palette.js';
import { renderDiagnostic, renderSummary } from '../../compiler/src/syntax/render.js';
import { SourceMap } from '../../compiler/src/syntax/source.js';

const R = '\x1b[0m';
const RED = '\x1b[1;31m';
const YELLOW = '\x1b[1;33m';
const BLUE = '\x1b[1;34m';
const BOLD = '\x1b[1m';

const TEXT = 'func main() {\n    let b = list\n    println(list)\n}\n';

function diagnostic(severity: 'error' | 'warning'): { d: Diagnostic; sources: SourceMap } {
  const sources = new SourceMap();
  sources.add('m.tml', TEXT);
  const at = (line: number, col: number, len: number) => {
    const start = TEXT.split('\n').slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + col - 1;
    return { file: 'm.tml', start, end: start + len };
  };
  const d: Diagnostic = {
    severity,
    code: 'E0382',
    message: 'use of moved value `list`',
    span: at(3, 13, 4),
    label: 'value used here after move',
    secondary: [{ span: at(2, 13, 4), message: 'value moved here' }],
    notes: ['copy it with `duplicate()`'],
  };
  return { d, sources };
}

describe('coloured diagnostics', () => {
  it('ANSI: severity and code bold red, message bold, arrow and gutter bold blue, primary marks red, secondary blue', () => {
    const { d, sources } = diagnostic('error');
    expect(renderDiagnostic(d, sources, ANSI)).toBe(
      [
        `${RED}error[E0382]${R}${BOLD}: use of moved value \`list\`${R}`,
        `${BLUE}  -->${R} m.tml:3:13`,
        `${BLUE}   |${R}`,
        `${BLUE} 2 |${R}     let b = list`,
        `${BLUE}   |${R}             ${BLUE}---- value moved here${R}`,
        `${BLUE} 3 |${R}     println(list)`,
        `${BLUE}   |${R}             ${RED}^^^^ value used here after move${R}`,
        `${BLUE}   |${R}`,
        `${BLUE}   =${R} ${BOLD}note${R}: copy it with \`duplicate()\``,
        '',
        '',
      ].join('\n'),
    );
    expect(renderSummary(2, ANSI)).toBe(`${RED}error${R}${BOLD}: aborting due to 2 previous errors${R}`);
  });

  it('a warning is yellow where an error is red', () => {
    const { d, sources } = diagnostic('warning');
    const text = renderDiagnostic(d, sources, ANSI);
    expect(text.startsWith(`${YELLOW}warning[E0382]${R}`)).toBe(true);
    expect(text).toContain(`${YELLOW}^^^^ value used here after move${R}`);
    expect(text).not.toContain(RED);
  });

  it('PLAIN (the default) has no escape sequence and is the same text', () => {
    const { d, sources } = diagnostic('error');
    const plain = renderDiagnostic(d, sources);
    expect(plain).toBe(renderDiagnostic(d, sources, PLAIN));
    expect(plain).not.toContain('\x1b');
    // eslint-disable-next-line no-control-regex
    expect(renderDiagnostic(d, sources, ANSI).replace(/\x1b\[[0-9;]*m/g, '')).toBe(plain);
  });
});

describe('--color and NO_COLOR', () => {
  it('auto colours a terminal unless NO_COLOR is set (non-empty); always and never win; JSON is never coloured', () => {
    expect(colorEnabled('auto', 'human', true, {})).toBe(true);
    expect(colorEnabled('auto', 'human', false, {})).toBe(false);
    expect(colorEnabled('auto', 'human', true, { NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled('auto', 'human', true, { NO_COLOR: '' })).toBe(true);
    expect(colorEnabled('always', 'human', false, { NO_COLOR: '1' })).toBe(true);
    expect(colorEnabled('never', 'human', true, {})).toBe(false);
    expect(colorEnabled('always', 'json', true, {})).toBe(false);
  });

  it('resolveBuildOptions reads --color against the terminal and the environment', () => {
    const tty = { stderrIsTerminal: true, env: {} };
    expect(resolveBuildOptions({}, 'x64', tty).color).toBe(true);
    expect(resolveBuildOptions({ color: 'never' }, 'x64', tty).color).toBe(false);
    expect(resolveBuildOptions({}, 'x64', { stderrIsTerminal: true, env: { NO_COLOR: 'yes' } }).color).toBe(false);
    expect(resolveBuildOptions({ color: 'always' }, 'x64', { stderrIsTerminal: false, env: { NO_COLOR: 'yes' } }).color).toBe(true);
    expect(() => resolveBuildOptions({ color: 'sometimes' }, 'x64', tty)).toThrow("invalid value 'sometimes' for --color (expected auto, always, never)");
  });

  it('build, run, check and test take --color', async () => {
    for (const cmd of [['build', 'a.tml'], ['run', 'a.tml'], ['check', 'a.tml'], ['test']]) {
      const seen: boolean[] = [];
      const handlers = {
        build: async (_e: string, _o: string | null, o: { color: boolean }) => (seen.push(o.color), 0),
        run: async (_e: string, _a: readonly string[], o: { color: boolean }) => (seen.push(o.color), 0),
        check: async (_e: string, o: { color: boolean }) => (seen.push(o.color), 0),
        test: async (_p: readonly string[], o: { build: { color: boolean } }) => (seen.push(o.build.color), 0),
      };
      const io = { out: () => undefined, err: () => undefined };
      expect(await runCli([...cmd, '--color=always'], { handlers, io })).toBe(0);
      expect(await runCli([...cmd, '--color', 'never'], { handlers, io })).toBe(0);
      expect(seen).toEqual([true, false]);
      expect(await runCli([...cmd, '--color=sometimes'], { handlers, io })).toBe(2);
    }
  });
});
