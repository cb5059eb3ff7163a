/** Symbols through which other tools ask an object how to show itself. */
import { inspect } from "node:util";
import { jupyterDisplaySymbol } from "../display/mime";

/**
 * Deno's Jupyter convention, also honoured by the nnlab kernel: `obj[jupyterDisplay]()` returns a
 * mime bundle. The same symbol as display/mime.ts's, as a plain export (a re-export would make
 * this module's exports object slow: test/core/module-exports.test.ts).
 */
export const jupyterDisplay: typeof jupyterDisplaySymbol = jupyterDisplaySymbol;
/** node's util.inspect hook (console.log, tslab's printing of a cell's last value). */
export const inspectCustom: typeof inspect.custom = inspect.custom;
