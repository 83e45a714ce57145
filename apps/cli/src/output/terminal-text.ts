// Characters a terminal acts on instead of showing: C0 controls (ESC starts escape sequences, CR and BS
// overwrite), DEL, C1 controls (U+009B is a one-character CSI), the line and paragraph separators, and the
// bidirectional controls (Trojan Source, CVE-2021-42574) that reorder what follows them.
// eslint-disable-next-line no-control-regex -- matching control characters is this filter's job
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function escape(char: string): string {
  const named = NAMED[char];
  if (named !== undefined) return named;
  const code = char.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Makes data safe to print on one line of a terminal: every control character (C0 including `\n`, DEL, C1),
 * line or paragraph separator and bidirectional control becomes a visible escape (`\x1b`, `\n`, `\u202e`),
 * so data can neither drive the terminal nor forge or reorder lines. Printable text, including non-ASCII,
 * is kept. Pure; idempotent on its own output. For the human formats only: machine formats (JSON, CSV,
 * SARIF, OCSF) keep the data exact.
 */
export function terminalText(text: string): string {
  return text.replace(UNSAFE, escape);
}
