/** Terminal control sequences in kernel output (colours in tracebacks, progress redraws). */

// CSI sequences (colours, cursor moves) and OSC sequences (titles, hyperlinks).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ESC and BEL is this regex's purpose
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;

export function stripAnsi(s: string): string {
  return s.replace(ANSI, "");
}

/**
 * Applies carriage returns the way a terminal shows them: a progress line redrawn with "\r"
 * keeps only its last state.
 */
export function applyCarriageReturns(s: string): string {
  return s
    .split("\n")
    .map((line) => {
      const parts = line.split("\r");
      // "text\r" at the very end of a line (Windows line ending) keeps the text.
      while (parts.length > 1 && parts[parts.length - 1] === "") parts.pop();
      return parts[parts.length - 1]!;
    })
    .join("\n");
}
