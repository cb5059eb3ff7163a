import { inKernel } from "./kernel";

/** The nnlab kernel hangs `clearOutput` on the display writer of the request being run. */
interface ClearingWriter {
  clearOutput?: (wait?: boolean) => void;
}

const jupyterModuleKey = /[\\/]tslab[\\/]dist[\\/]jupyter\.js$/;

/**
 * Clears the current cell's output (Jupyter's `clear_output`), like IPython's `clear_output`.
 * With `wait`, the output is cleared only when the next output arrives, so a loop that clears
 * and redraws does not flicker. Needs the nnlab kernel; in plain tslab or outside a kernel it
 * does nothing.
 */
export function clearOutput(wait: boolean = false): void {
  if (!inKernel() || typeof require !== "function" || !require.cache) return;
  for (const key of Object.keys(require.cache)) {
    if (!jupyterModuleKey.test(key)) continue;
    const writer = (require.cache[key]?.exports as { lastWriteDisplayData?: ClearingWriter | null } | undefined)?.lastWriteDisplayData;
    if (writer && typeof writer.clearOutput === "function") {
      writer.clearOutput(wait);
      return;
    }
  }
}
