import { toMimeBundle } from "./display";
import { displayBundle, inKernel, newDisplayId } from "./kernel";
import type { MimeBundle } from "./mime";

/** One output that later calls overwrite in place (progress lines, live plots). */
export interface LiveDisplay {
  /** The transient display id of the output. */
  readonly id: string;
  /** Shows `x` (anything `display` takes): the first call creates the output, later ones replace it. */
  update(x: unknown): void;
  /** Same as `update` with a ready mime bundle. */
  updateBundle(bundle: MimeBundle, metadata?: Record<string, unknown>): void;
}

class LiveDisplayImpl implements LiveDisplay {
  readonly id: string = newDisplayId();
  private shown = false;

  update(x: unknown): void {
    if (!inKernel()) return;
    this.updateBundle(toMimeBundle(x));
  }

  updateBundle(bundle: MimeBundle, metadata?: Record<string, unknown>): void {
    // The display id is transient (never saved), so a page reloaded while the kernel still
    // updates this output cannot find it; the same id in the metadata, which is saved, lets
    // nnlab's nbextension route the updates to the saved output.
    const withId = { ...(metadata ?? {}), nnlab: { display_id: this.id } };
    displayBundle(bundle, { displayId: this.id, update: this.shown, metadata: withId });
    this.shown = true;
  }
}

/** A new live output; nothing is sent until the first `update`. */
export function newDisplay(): LiveDisplay {
  return new LiveDisplayImpl();
}
