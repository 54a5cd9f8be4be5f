// --time: how long each phase of a compilation took, and the resident set when it ended.

export interface PhaseTime {
  phase: string;
  ms: number;
  /** null when not asked for: reading it is a system call, about 40 a build */
  rssMb: number | null;
}

/** A phase's row: its time, and (`withRss`) the resident set now that it has ended. */
export function phaseTime(phase: string, ms: number, withRss = true): PhaseTime {
  return { phase, ms, rssMb: withRss ? process.memoryUsage.rss() / 2 ** 20 : null };
}

/** How the process reached the command, and when (ms since Node started): the first row of the process's first
 * PhaseTimer. */
let startUp: PhaseTime | null = null;

/** Called by the CLI's entry (cli/main.ts, cli/snapshot.ts) as it starts the command. */
export function noteStartUp(from: 'script' | 'snapshot'): void {
  startUp = phaseTime(`start-up (${from})`, performance.now());
}

/**
 * --time: phases in order, printed to stderr at the end (also when the build fails). Each row also gives the
 * process's resident set when the phase ended, so a phase that raises the peak shows where memory goes.
 */
export class PhaseTimer {
  readonly phases: PhaseTime[] = [];
  private readonly t0 = performance.now();
  /** the start-up row goes to the process's first timer only: a `tmlc test` worker compiles many files */
  private readonly startUp = takeStartUp();

  /** `withRss`: the rows carry the resident set (--time prints them; a build without it need not read it) */
  constructor(readonly withRss = true) {}

  add(phase: string, ms: number): void {
    this.phases.push(phaseTime(phase, ms, this.withRss));
  }

  async time<T>(phase: string, fn: () => T | Promise<T>): Promise<T> {
    const t = performance.now();
    try {
      return await fn();
    } finally {
      this.add(phase, performance.now() - t);
    }
  }

  format(): string {
    const rss = (p: PhaseTime): string => (p.rssMb === null ? '' : ` ${p.rssMb.toFixed(0).padStart(6)} MB rss`);
    const row = (p: PhaseTime): string => `time: ${p.phase.padEnd(20)} ${p.ms.toFixed(1).padStart(9)} ms${rss(p)}\n`;
    const first = this.startUp === null ? [] : [this.startUp];
    return [...first, ...this.phases, phaseTime('total', performance.now() - this.t0, this.withRss)].map(row).join('');
  }
}

function takeStartUp(): PhaseTime | null {
  const row = startUp;
  startUp = null;
  return row;
}
