import type { MimeBundle } from "./mime";

/** The message body tslab's internal display writer takes (a `display_data` content). */
export interface DisplayMessage {
  data: MimeBundle;
  metadata: Record<string, unknown>;
  transient: { display_id?: string };
}

type WriteDisplayData = (msg: DisplayMessage, update: boolean) => void;

interface TslabJupyterModule {
  lastWriteDisplayData: WriteDisplayData | null;
}

interface TslabPublicDisplay {
  html(s: string): void;
  text(s: string): void;
}

interface TslabPublicModule {
  display: TslabPublicDisplay;
  newDisplay(): TslabPublicDisplay;
}

/**
 * tslab sets `globalThis.__tslab__` before running any cell; plain node and vitest do not.
 */
export function inKernel(): boolean {
  return typeof (globalThis as { __tslab__?: unknown }).__tslab__ === "object" && (globalThis as { __tslab__?: unknown }).__tslab__ !== null;
}

const jupyterModuleKey = /[\\/]tslab[\\/]dist[\\/]jupyter\.js$/;
const publicModuleKey = /[\\/]tslab[\\/]dist[\\/]public\.js$/;

function moduleCache(): Record<string, NodeJS.Module | undefined> {
  // `require` is absent when this file is evaluated as ESM (some test runners): then there is no
  // CommonJS cache, hence no tslab to talk to.
  return typeof require === "function" && require.cache ? require.cache : {};
}

/**
 * The running kernel's `tslab/dist/jupyter.js`. Looked up in the module cache rather than
 * `require("tslab")`, which from this library's folder could load a second, idle tslab copy.
 * Its `lastWriteDisplayData` is replaced at every execute_request, so callers read it afresh.
 */
function findJupyterModule(): TslabJupyterModule | undefined {
  const cache = moduleCache();
  for (const key of Object.keys(cache)) {
    if (!jupyterModuleKey.test(key)) continue;
    const exp = cache[key]?.exports as Partial<TslabJupyterModule> | undefined;
    if (exp && typeof exp.lastWriteDisplayData === "function") return exp as TslabJupyterModule;
  }
  return undefined;
}

function findPublicModule(): TslabPublicModule | undefined {
  const cache = moduleCache();
  for (const key of Object.keys(cache)) {
    if (!publicModuleKey.test(key)) continue;
    const exp = cache[key]?.exports as Partial<TslabPublicModule> | undefined;
    if (exp?.display && typeof exp.newDisplay === "function") return exp as TslabPublicModule;
  }
  return undefined;
}

let displayCounter = 0;

/** A display id unique within this kernel process, readable in a wire dump. */
export function newDisplayId(): string {
  displayCounter += 1;
  return `nnlab-${process.pid}-${Date.now().toString(36)}-${displayCounter}`;
}

/** Options of {@link displayBundle}. */
export interface DisplayBundleOptions {
  /** Per-mime metadata, e.g. `{"text/html": {isolated: true}}`. */
  metadata?: Record<string, unknown>;
  /** Transient display id; a later `update: true` with the same id replaces that output. */
  displayId?: string;
  /** Send `update_display_data` for `displayId` instead of a new `display_data`. */
  update?: boolean;
}

// Public tslab displays created for the fallback path, one per nnlab display id, so that updates
// land on the output the first call created.
const fallbackDisplays = new Map<string, TslabPublicDisplay>();

/**
 * Sends ONE `display_data` (or `update_display_data`) carrying every mime type of `data`.
 * Outside tslab it does nothing: objects still render in other kernels through
 * {@link jupyterDisplaySymbol}.
 */
export function displayBundle(data: MimeBundle, options: DisplayBundleOptions = {}): void {
  if (options.update && options.displayId === undefined) {
    throw new Error("displayBundle: update: true needs the displayId of the output to replace; " + "use newDisplay() to get a live output");
  }
  if (!inKernel()) return;
  const jupyter = findJupyterModule();
  const write = jupyter?.lastWriteDisplayData;
  if (write) {
    const transient: DisplayMessage["transient"] = {};
    if (options.displayId !== undefined) transient.display_id = options.displayId;
    write({ data, metadata: options.metadata ?? {}, transient }, options.update === true);
    return;
  }
  fallbackDisplay(data, options);
}

/**
 * A tslab whose internals moved: the public API sends one mime type per message, so pick the one
 * that renders everywhere (HTML when present).
 */
function fallbackDisplay(data: MimeBundle, options: DisplayBundleOptions): void {
  const html = typeof data["text/html"] === "string" ? (data["text/html"] as string) : undefined;
  const text = typeof data["text/plain"] === "string" ? (data["text/plain"] as string) : undefined;
  const tslab = findPublicModule();
  if (!tslab) {
    if (text !== undefined) process.stdout.write(text + "\n");
    return;
  }
  let target = tslab.display;
  if (options.displayId !== undefined) {
    let live = fallbackDisplays.get(options.displayId);
    if (!live) {
      live = tslab.newDisplay();
      fallbackDisplays.set(options.displayId, live);
    }
    target = live;
  }
  if (html !== undefined) target.html(html);
  else if (text !== undefined) target.text(text);
  else target.text(JSON.stringify(data));
}
