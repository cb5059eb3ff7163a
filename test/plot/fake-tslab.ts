import { createRequire } from "node:module";
import type { DisplayMessage } from "../../kernel-lib/src/display/index";

/** One call of tslab's internal display writer, as a real kernel would turn it into a message. */
export interface SentDisplay {
  msg: DisplayMessage;
  update: boolean;
}

const cache = createRequire(import.meta.url).cache;
const fakeKey = "/x/node_modules/tslab/dist/jupyter.js";

/**
 * Installs a stand-in for the running kernel's `tslab/dist/jupyter.js` in the module cache
 * and sets `globalThis.__tslab__`, as a tslab kernel does before running a cell.
 */
export function installFakeTslab(): { sent: SentDisplay[]; uninstall(): void } {
  const sent: SentDisplay[] = [];
  const exports = {
    lastWriteDisplayData: (msg: DisplayMessage, update: boolean) => {
      // Round-trip through JSON as the wire does, so a typed array or NaN would show.
      sent.push({ msg: JSON.parse(JSON.stringify(msg)) as DisplayMessage, update });
    },
  };
  cache[fakeKey] = { id: fakeKey, filename: fakeKey, loaded: true, exports } as unknown as NodeJS.Module;
  (globalThis as { __tslab__?: unknown }).__tslab__ = { exports: {}, require };
  return {
    sent,
    uninstall(): void {
      delete cache[fakeKey];
      delete (globalThis as { __tslab__?: unknown }).__tslab__;
    },
  };
}
