/** Symbols through which other tools ask an object how to show itself. */
import { inspect } from "node:util";

/** Deno's Jupyter convention, also honoured by the nnlab kernel: `obj[jupyterDisplay]()` returns a mime bundle. */
export { jupyterDisplaySymbol as jupyterDisplay } from "../display/mime";
/** node's util.inspect hook (console.log, tslab's printing of a cell's last value). */
export const inspectCustom: typeof inspect.custom = inspect.custom;
