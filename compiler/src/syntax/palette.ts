// The colours of rendered diagnostics, as rustc uses them on a terminal: the severity (with its code) and the
// primary carets in bold red for an error (bold yellow for a warning), the message in bold, the `-->` arrow, the
// line-number gutter and the secondary marks in bold blue, `note` in bold. The driver decides whether to colour
// (--color, NO_COLOR, a terminal); PLAIN leaves the text as it is.
import type { Severity } from './diagnostics.js';

export interface Palette {
  /** `error[E0382]`, `warning[W0001]`, `note`, and the carets of the primary span with their label */
  severity(severity: Severity, text: string): string;
  /** the message after the severity */
  message(text: string): string;
  /** `-->`, `:::`, line numbers, `|`, and the marks of secondary spans with their labels */
  accent(text: string): string;
}

const RESET = '\x1b[0m';
const BOLD = '\x1b[1m';
const BOLD_RED = '\x1b[1;31m';
const BOLD_YELLOW = '\x1b[1;33m';
const BOLD_BLUE = '\x1b[1;34m';

const paint = (style: string, text: string): string => (text === '' ? '' : `${style}${text}${RESET}`);

export const PLAIN: Palette = {
  severity: (_s, text) => text,
  message: (text) => text,
  accent: (text) => text,
};

export const ANSI: Palette = {
  severity: (s, text) => paint(s === 'error' ? BOLD_RED : s === 'warning' ? BOLD_YELLOW : BOLD, text),
  message: (text) => paint(BOLD, text),
  accent: (text) => paint(BOLD_BLUE, text),
};
