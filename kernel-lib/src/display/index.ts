export { display, toMimeBundle } from "./display";
export { displayBundle, inKernel, newDisplayId, type DisplayBundleOptions, type DisplayMessage } from "./kernel";
export { newDisplay, type LiveDisplay } from "./live";
export { clearOutput } from "./clear";
export { isDisplayable, jupyterDisplaySymbol, type Displayable, type MimeBundle } from "./mime";
