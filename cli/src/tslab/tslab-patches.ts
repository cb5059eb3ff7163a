/**
 * tslab 1.0.22, patched at run time into a well-behaved Jupyter kernel (loaded by kernel.ts once
 * the sockets are bound).
 *
 * tslab compiles and runs cells well but breaks the messaging protocol in ways that defeat
 * standard clients (docs/tslab.md, "Where tslab breaks the protocol", "Our patches"). We load tslab's own modules
 * from node_modules and replace only what is wrong:
 *
 * - `executor.createExecutor` gets our console: tslab reports compile diagnostics, runtime errors
 *   and the last expression's value by calling console.error / console.log, so capturing those
 *   calls is the one place where the failure and the value can be seen without copying the
 *   executor.
 * - `ZmqServer.prototype.handleExecute` is ours: it sends `execute_input`, a real
 *   `execution_count`, the value as `execute_result` (a mime bundle), and on failure an iopub
 *   `error` plus an `execute_reply` with ename/evalue/traceback whose frames name the cell and
 *   line (cell-source-maps.ts). It honours stop_on_error (queued requests answered `aborted`)
 *   instead of tslab's 200 ms abort window (`execQueue.reset(200)`, which aborted every request
 *   arriving right after an error and so emptied later cells under `nbconvert --allow-errors`).
 * - The converters are wrapped: our own record of earlier cells' declarations (so that a failed
 *   cell keeps what it assigned, cell-decls.ts), the shorthand fix, and a check that stops a
 *   cell whose interrupt_request arrived during type-checking before it runs.
 * - `ZmqServer.prototype.init` takes over the sockets kernel.ts bound (sockets.ts; control and
 *   heartbeat live in a worker thread, control-worker.ts).
 * - history_request (history.ts), inspect (quick-info.ts), `handleCommInfoRequest` (mislabelled
 *   reply) and `handleKernel` (kernel-info.ts).
 * - Comms (comm-shell.ts): comm_open / comm_msg / comm_close / comm_info_request are taken off the
 *   shell socket before tslab and the execute queue, so widgets answer while a cell awaits;
 *   output written inside an Output widget's capture goes to the widget (output-capture.ts).
 * - `close` exits the process after a shutdown_request; an 'exit' hook closes the worker's
 *   sockets first (otherwise zeromq aborts the process); the kernel exits when its parent dies.
 *
 * Kept as is: compilation and type-checking, the executor, `require("tslab")` inside cells,
 * is_complete / inspect / complete, the SIGINT handler (breakOnSigint for sync code, a rejected
 * race for top-level await), and `jupyter.lastWriteDisplayData`, which display code (tslab's and
 * nnlab's) finds in require.cache: we set it per request exactly like tslab does.
 *
 * Known limits (docs/tslab.md, "Interrupts"): a sync loop after an `await` (or in a timer) ignores SIGINT, so
 * the client must kill and restart; a SIGINT (interrupt_mode "signal") during type-checking is
 * lost, only interrupt_request covers that window; output is attributed to the request running
 * when it is written.
 */
import * as path from "node:path";
import * as util from "node:util";
import { createRequire } from "node:module";
import { declaredNames, expandShorthands } from "./shorthand";
import { keepAssigned } from "./cell-decls";
import { armCell, contextLines, installSourceMapCapture, mapStack } from "./cell-source-maps";
import { History, type HistoryRequest } from "./history";
import { constructorQueries, isClassInfo, printQuickInfo } from "./quick-info";
import { replyFrames, sign, splitFrames } from "./wire";
import { kernelInfo, tslabDir, tslabVersion } from "./kernel-info";
import { handleCommShell, installComms } from "./comm-shell";
import { capturing, setExecuteParent } from "./output-capture";
import type { ConnInfo } from "./sockets";
import type { KernelSockets } from "./sockets";

type QuickInfo = import("typescript").QuickInfo;

// ---- tslab's internals, typed as far as we use them ---------------------------------------

interface ExecuteRequest {
  code: string;
  silent?: boolean;
  store_history?: boolean;
}

interface ZmqMessage {
  header: Record<string, unknown>;
  content: ExecuteRequest & Record<string, unknown>;
  createReply(): ZmqMessage & { header: { msg_type: string } };
  signAndSend(key: string, sock: unknown): void;
}

interface Executor {
  execute(src: string): Promise<boolean>;
  inspect(src: string, position: number): unknown;
  locals: Record<string, unknown>;
  interrupt(): void;
  close(): void;
}

interface Handler {
  execCount: number;
  executor: Executor;
  createWriteToIopub(name: string, writeStream: WriteStream): (buffer: Uint8Array | string, encoding?: string) => boolean;
  close(): void;
}

interface SendSocket {
  send(frames: (Buffer | string)[]): unknown;
}

interface ZmqServerThis {
  handler: Handler;
  configPath: string;
  connInfo: ConnInfo;
  iopub: SendSocket & { close(): void };
  shell: SendSocket & { close(): void };
  control: { close(): void };
  stdin: { close(): void };
  hb: { close(): void };
  handleShellMessage(sock: SendSocket, ...frames: Buffer[]): Promise<void>;
  close(): void;
}

type WriteStream = (name: string, text: string) => void;
type WriteDisplayData = (data: unknown, update: boolean) => void;
type ConsoleLike = { log: (...args: unknown[]) => void; error: (...args: unknown[]) => void };

const tslabRequire = createRequire(path.join(tslabDir, "dist", "jupyter.js"));
// Before tslab's converter loads its TypeScript: the copy it gets also emits source maps.
const tsForTslab = tslabRequire("@tslab/typescript-for-tslab") as typeof import("typescript");
// `types: ["node"]`: without it TypeScript loads every package under node_modules/@types as a
// global declaration file, and the pack's tree holds 50 of them for its JupyterLab build and
// tfjs (jquery, lodash, react, d3-*…): 244 files, 6.9 MB to parse and bind before the first
// cell, 4.2 MB of them never used by a notebook (docs/tslab.md, "Start-up"). A cell that
// imports a package still finds its @types/<name> by module resolution.
installSourceMapCapture(tslabRequire.resolve("@tslab/typescript-for-tslab"), tsForTslab, { types: ["node"] });
// tslab's converter runs TypeScript's watch program with a single pending-timer slot. A directory
// event between cells (a node_modules folder appearing in the notebook's folder: a failed-lookup
// location) schedules a second timer, and the next cell fails with "Unexpected pending
// rebuildTimer". So no directory is watched: a package installed while the kernel runs is seen
// after a restart. File watchers (local .ts modules a notebook imports) stay.
tsForTslab.sys.watchDirectory = () => ({ close: () => undefined });
const jupyter = tslabRequire("./jupyter.js") as {
  lastWriteDisplayData: WriteDisplayData | null;
  ZmqServer: { prototype: Record<string, unknown> };
  JupyterHandlerImpl: { prototype: Record<string, unknown> };
};
const executorModule = tslabRequire("./executor.js") as {
  createExecutor: (rootDir: string, convs: unknown, console: ConsoleLike) => Executor;
};
const tslabMain = tslabRequire("./main.js") as {
  startKernel(opts: { configPath: string; enableFindLocal: boolean; jsKernel: boolean; globalVersion: string }): void;
};

// ---- what the executor reports about the cell being run ------------------------------------

/** One TypeScript diagnostic as tslab's executor reports it (1-based line and column). */
interface Diagnostic {
  /** Set for a diagnostic in a local module the cell imports; none for the cell itself. */
  file: string;
  line: number;
  column: number;
  message: string;
}

interface CellReport {
  diagnostics: Diagnostic[];
  thrown: { value: unknown } | null;
  last: { value: unknown } | null;
}

let report: CellReport | null = null;

/**
 * tslab's executor calls console.error("%s%d:%d - %s", …) per TypeScript diagnostic,
 * console.error(e) for a thrown value, and console.log(value) for the last expression. Outside
 * a cell (nothing to report to) we behave like the console tslab would have used.
 */
const DIAGNOSTIC_FORMAT = "%s%d:%d - %s";
const executorConsole: ConsoleLike = {
  log: (...args) => {
    if (report && !report.last && args.length === 1) report.last = { value: args[0] };
    else console.log(...args);
  },
  error: (...args) => {
    if (report && args[0] === DIAGNOSTIC_FORMAT) {
      const [, file, line, column, message] = args;
      report.diagnostics.push({ file: String(file).trim(), line: Number(line), column: Number(column), message: String(message) });
    } else if (report && !report.thrown && args.length === 1) report.thrown = { value: args[0] };
    else console.error(...args);
  },
};

/**
 * Set to 1 by the control thread when an interrupt_request arrives (it also raises SIGINT), and
 * cleared when a cell starts. It covers the window SIGINT cannot: V8's breakOnSigint only sees
 * signals that arrive while the cell's code runs, so an interrupt during type-checking (which
 * can take seconds) used to be lost and the cell then ran on. After compiling we check the flag.
 */
let interruptFlag: Int32Array = new Int32Array(new SharedArrayBuffer(4));

interface Converter {
  convert(prevDecl: string, src: string): { output?: string; declOutput?: string };
  inspect(prevDecl: string, src: string, position: number): unknown;
  complete(prevDecl: string, src: string, position: number): unknown;
}
interface ConverterSet {
  node: Converter;
  browser: Converter;
  close(): void;
}

/**
 * The declarations of earlier cells that the next cell is checked against. tslab keeps its own
 * copy (`prevDecl`, private to its executor) and only advances it when a cell succeeds; we keep
 * this one instead and hand it to the converter in place of tslab's, so that a cell that threw
 * or was interrupted still leaves behind what it assigned (cell-decls.ts).
 */
/** The execution count of the request being run, for `Cell In[n]`. */
let currentCount = 0;

const decls = {
  current: "",
  /** The declarations the cell being run will leave if it succeeds; set by convert. */
  pending: undefined as string | undefined,
};

/**
 * Every notebook of the pack imports nnlab, and the first import used to cost most of a second:
 * TypeScript parsing its ~100 declaration files, Node loading its modules. When the notebook's
 * folder can resolve nnlab, the kernel does both once tslab is up (preloadLibrary), and an empty
 * import in front of the earlier cells' declarations keeps those files in every cell's program,
 * so they are parsed once per kernel instead of being dropped and parsed again.
 */
let libraryDecl = "";

function preloadLibrary(conv: Converter): void {
  const cellRequire = createRequire(path.join(process.cwd(), "src.js"));
  try {
    cellRequire.resolve("nnlab");
  } catch {
    return; // a notebook outside the pack: nothing to preload
  }
  libraryDecl = `import {} from "nnlab";\n`;
  try {
    // What a first `import … from "nnlab"` cell compiles, so that it finds every cache warm;
    // converted only (not run, not recorded as a cell).
    conv.convert(libraryDecl + decls.current, `import * as nnlabPreload from "nnlab";\nnnlabPreload.tensor;`);
    cellRequire("nnlab");
  } catch (e) {
    libraryDecl = "";
    process.stderr.write(`nnlab kernel: preloading nnlab failed (the first import will do it): ${util.inspect(e)}\n`);
  }
}

function checkedConverter(conv: Converter): Converter {
  return {
    ...conv,
    convert(_prevDecl: string, src: string) {
      const out = conv.convert(libraryDecl + decls.current, expandShorthands(tsForTslab, src, declaredNames(tsForTslab, decls.current)));
      if (Atomics.load(interruptFlag, 0) === 1) {
        throw new Error("Script execution was interrupted (during compilation, before the cell ran)");
      }
      if (out.output !== undefined || out.declOutput !== undefined) decls.pending = out.declOutput ?? "";
      if (out.output !== undefined) armCell(currentCount, src);
      return out;
    },
    inspect: (_prevDecl, src, position) => conv.inspect(libraryDecl + decls.current, src, position),
    complete: (_prevDecl, src, position) => conv.complete(libraryDecl + decls.current, src, position),
  };
}

/** The node converter without our wrapper, once tslab has built it. */
let rawNodeConverter: (() => Converter) | null = null;

const originalCreateExecutor = executorModule.createExecutor;
executorModule.createExecutor = (rootDir, convs) => {
  const set = convs as ConverterSet;
  rawNodeConverter = () => set.node;
  let node: Converter | undefined;
  let browser: Converter | undefined;
  const checked: ConverterSet = {
    // Lazy like tslab's ConverterSetImpl: the browser converter is only built when used.
    get node() {
      return (node ??= checkedConverter(set.node));
    },
    get browser() {
      return (browser ??= checkedConverter(set.browser));
    },
    close: () => set.close(),
  };
  const executor = originalCreateExecutor(rootDir, checked, executorConsole);
  const execute = executor.execute.bind(executor);
  executor.execute = async (src: string): Promise<boolean> => {
    decls.pending = undefined;
    let ok = false;
    try {
      ok = await execute(src);
      return ok;
    } finally {
      const pending = decls.pending;
      decls.pending = undefined;
      if (pending !== undefined) {
        const locals = executor.locals;
        decls.current = ok ? pending : keepAssigned(tsForTslab, pending, (name) => locals[name] !== undefined);
      }
    }
  };
  return executor;
};

// ---- turning a failure into ename / evalue / traceback ---------------------------------------

interface ErrorContent {
  ename: string;
  evalue: string;
  traceback: string[];
}

/** Stack frames below the cell belong to vm / tslab / this file: noise for the student. */
const MACHINERY_FRAME = /\((node:vm|node:internal)|[\\/]tslab[\\/]dist[\\/]|[\\/]dist[\\/]tslab[\\/]kernel\.js|at (async )?Promise\.race/;

function describeThrown(value: unknown): ErrorContent {
  if (value instanceof Error || (value && typeof value === "object" && "stack" in value && "message" in value)) {
    const e = value as Error;
    const ename = e.name || e.constructor?.name || "Error";
    const evalue = String(e.message);
    let stack = typeof e.stack === "string" ? e.stack.split("\n") : [`${ename}: ${evalue}`];
    // Node may prefix errors thrown in vm code with the file, the compiled source line and a
    // caret; those show tslab's rewritten cell, not the student's.
    const head = stack.findIndex((line) => line.startsWith(`${ename}:`) || line === ename);
    if (head > 0) stack = stack.slice(head);
    const cut = stack.findIndex((line, i) => i > 0 && MACHINERY_FRAME.test(line));
    if (cut > 0) stack = stack.slice(0, cut);
    const mapped = mapStack(stack);
    const context = mapped.top ? ["", ...contextLines(mapped.top)] : [];
    return { ename, evalue, traceback: [...mapped.lines, ...context] };
  }
  const evalue = util.inspect(value);
  return { ename: "Uncaught", evalue, traceback: [`Uncaught ${evalue}`] };
}

/** `Cell In[5], line 2, column 5: Type 'number' is not …` (or `util.ts, line …` for a module). */
function diagnosticText(d: Diagnostic, count: number): string {
  const where = d.file ? d.file : `Cell In[${count}]`;
  return `${where}, line ${d.line}, column ${d.column}: ${d.message}`;
}

function describeFailure(r: CellReport, count: number, src: string): ErrorContent {
  if (r.diagnostics.length > 0) {
    const texts = r.diagnostics.map((d) => diagnosticText(d, count));
    const first = r.diagnostics.find((d) => !d.file);
    const lines = src.split("\n");
    const context =
      first && first.line <= lines.length
        ? ["", ...contextLines({ count, line: first.line, column: first.column, text: lines[first.line - 1]! }, first.column)]
        : [];
    return {
      ename: "TypeScriptError",
      evalue: texts.join("\n"),
      // The header line says what a student needs to know: nothing of this cell ran.
      traceback: ["TypeScriptError: the cell did not compile, so none of it ran", ...texts, ...context],
    };
  }
  if (r.thrown) return describeThrown(r.thrown.value);
  return { ename: "Error", evalue: "the cell failed without an error message", traceback: [] };
}

// ---- the last value as a mime bundle -----------------------------------------------------------

const JUPYTER_DISPLAY = Symbol.for("Jupyter.display");

/**
 * Deno's convention: an object with a `[Symbol.for("Jupyter.display")]()` method returns its own
 * mime bundle (nnlab's Tensors and figures implement it). Everything else is shown as
 * util.inspect text, which is what tslab printed to stdout before.
 */
async function mimeBundle(value: unknown): Promise<{ data: Record<string, unknown>; metadata: Record<string, unknown> } | null> {
  const holder = value as { [JUPYTER_DISPLAY]?: unknown } | null;
  const method = (typeof value === "object" || typeof value === "function") && holder ? holder[JUPYTER_DISPLAY] : undefined;
  if (typeof method === "function") {
    try {
      const got = (await (method as () => unknown).call(value)) as Record<string, unknown> | null;
      // null: the object has shown itself already (an interact() box, displayed by the call that
      // is also the cell's last expression), so the cell gets no execute_result for it.
      if (got === null) return null;
      if (got && typeof got === "object") {
        // Deno returns a bare bundle; we also accept {data, metadata} (no key with a "/"), so a
        // figure can send per-mime metadata such as {"text/html": {"isolated": false}}.
        const wrapped = "data" in got && !Object.keys(got).some((k) => k.includes("/"));
        const data = (wrapped ? got.data : got) as Record<string, unknown>;
        const metadata = (wrapped && got.metadata && typeof got.metadata === "object" ? got.metadata : {}) as Record<string, unknown>;
        return { data: "text/plain" in data ? { ...data } : { ...data, "text/plain": util.inspect(value) }, metadata };
      }
    } catch (e) {
      process.stderr.write(`Symbol.for("Jupyter.display") of the cell's value threw; showing it as text.\n${util.inspect(e)}\n`);
    }
  }
  return { data: { "text/plain": util.inspect(value) }, metadata: {} };
}

// ---- the patched execute handler -----------------------------------------------------------

/** Requests run one after another in arrival order. */
let queue: Promise<unknown> = Promise.resolve();

/**
 * stop_on_error (what "Run All" sends): after a failing request, the execute requests already
 * sent are answered `aborted` instead of run, as IPython does; `arrived` numbers execute requests
 * as they come in, requests numbered up to `abortThrough` are aborted. With `stop_on_error: false`
 * (nbconvert --allow-errors, `nnlab run`) the queue runs on. This replaces tslab's 200 ms abort
 * window, which aborted whatever arrived shortly after any error, even requests sent afterwards
 * by a client that had seen the error and meant to go on.
 */
let arrived = 0;
let abortThrough = 0;

/**
 * Gives the shell loop time to read the requests already waiting on the socket (a cell that
 * blocked the thread kept them there), so that they get their arrival number before we decide
 * what "already queued" means: zeromq hands a backlog over one poll at a time, so this waits until
 * no request has arrived for `quietMs` (at most 200 ms, in case a client keeps sending). Only
 * timers: asking the socket whether it is `readable` reads ZeroMQ's edge-triggered events and can
 * leave its pending receive never woken (a kernel deaf to every later request: seen in 3 of 4
 * starts of bench/kernel-latency.mjs when the preload waited that way).
 */
async function shellQuiet(quietMs: number): Promise<void> {
  const deadline = Date.now() + 200;
  let seen = -1;
  while (seen !== arrived && Date.now() < deadline) {
    seen = arrived;
    await new Promise((resolve) => setTimeout(resolve, quietMs));
  }
}

const history = new History();

async function runCell(server: ZmqServerThis, msg: ZmqMessage, publish: (type: string, content: unknown) => void): Promise<Record<string, unknown>> {
  // An interrupt that arrived while no cell ran was for an earlier one. Cleared before
  // execute_input goes out: a client may interrupt as soon as it sees that message.
  Atomics.store(interruptFlag, 0, 0);
  const handler = server.handler;
  const req = msg.content;
  const silent = req.silent === true;
  const stored = !silent && req.store_history !== false;
  if (stored) handler.execCount++;
  const count = handler.execCount;
  currentCount = count;
  if (stored) history.record(count, req.code);
  if (!silent) publish("execute_input", { code: req.code, execution_count: count });

  const writeStream: WriteStream = (name, text) => publish("stream", { name, text });
  // clearOutput rides on the display writer (found by nnlab's display code the same way):
  // like a display, it belongs to the request running when it is called.
  const writeDisplayData: WriteDisplayData = Object.assign(
    (data: unknown, update: boolean) => publish(update ? "update_display_data" : "display_data", data),
    {
      clearOutput: (wait?: boolean) => publish("clear_output", { wait: wait === true }),
    },
  );
  // Like tslab: output written later (timers, promises) lands on the most recent request.
  process.stdout.write = handler.createWriteToIopub("stdout", writeStream) as typeof process.stdout.write;
  process.stderr.write = handler.createWriteToIopub("stderr", writeStream) as typeof process.stderr.write;
  jupyter.lastWriteDisplayData = writeDisplayData;

  const r: CellReport = { diagnostics: [], thrown: null, last: null };
  report = r;
  let ok: boolean;
  try {
    ok = await handler.executor.execute(req.code);
  } catch (e) {
    ok = false;
    r.thrown = { value: e };
  } finally {
    report = null;
  }

  if (!ok) {
    const err = describeFailure(r, count, req.code);
    publish("error", err);
    return { status: "error", execution_count: count, ...err };
  }
  // `/** @module */` cells compile with diagnostics but still count as ok (tslab's rule).
  if (r.diagnostics.length > 0) process.stderr.write(r.diagnostics.map((d) => diagnosticText(d, count)).join("\n") + "\n");
  if (r.last && !silent) {
    const bundle = await mimeBundle(r.last.value);
    if (bundle) {
      if (stored && typeof bundle.data["text/plain"] === "string") history.setOutput(count, bundle.data["text/plain"]);
      publish("execute_result", { execution_count: count, ...bundle });
    }
  }
  return { status: "ok", execution_count: count, user_expressions: {}, payload: [] };
}

jupyter.ZmqServer.prototype.handleExecute = async function handleExecute(this: ZmqServerThis, sock: SendSocket, msg: ZmqMessage): Promise<void> {
  const publish = capturing((type: string, content: unknown): void => {
    const m = msg.createReply();
    m.header.msg_type = type;
    (m as { content: unknown }).content = content;
    m.signAndSend(this.connInfo.key, this.iopub);
  });
  const seq = ++arrived;
  const task = queue.then(async () => {
    // IPython's abort reply: no execution count (the request never ran), nothing published.
    if (seq <= abortThrough) return { status: "aborted" };
    setExecuteParent(msg.header);
    const content = await runCell(this, msg, publish);
    if (content.status === "error" && msg.content.silent !== true && msg.content.stop_on_error !== false) {
      await shellQuiet(10);
      abortThrough = arrived;
    }
    return content;
  });
  queue = task.catch(() => undefined);
  let content: Record<string, unknown>;
  try {
    content = await task;
  } catch (e) {
    // A bug in the patch itself: still answer, so the client is not left waiting.
    const err = describeThrown(e);
    publish("error", err);
    content = { status: "error", execution_count: this.handler.execCount, ...err };
  }
  const reply = msg.createReply();
  reply.header.msg_type = "execute_reply";
  (reply as { content: unknown }).content = content;
  reply.signAndSend(this.connInfo.key, sock);
};

/**
 * history_request is not in tslab's dispatch (it logs "unknown msg_type" and never answers), so
 * it is answered here before the message reaches tslab: busy, reply, idle, as for any request.
 */
const originalHandleShellMessage = jupyter.ZmqServer.prototype.handleShellMessage as (
  this: ZmqServerThis,
  sock: SendSocket,
  ...frames: Buffer[]
) => Promise<void>;
jupyter.ZmqServer.prototype.handleShellMessage = async function handleShellMessage(
  this: ZmqServerThis,
  sock: SendSocket,
  ...frames: Buffer[]
): Promise<void> {
  if (handleCommShell(sock, frames)) return;
  const raw = splitFrames(frames);
  if (raw && raw.parts[0]!.includes("history_request")) {
    const header = JSON.parse(raw.parts[0]!.toString()) as Record<string, unknown>;
    if (header.msg_type === "history_request") {
      if (sign(this.connInfo.key, raw.parts) !== raw.signature) return;
      const key = this.connInfo.key;
      this.iopub.send(replyFrames(key, raw.identities, header, "status", { execution_state: "busy" }));
      const content = JSON.parse(raw.parts[3]!.toString()) as HistoryRequest;
      sock.send(replyFrames(key, raw.identities, header, "history_reply", history.reply(content)));
      this.iopub.send(replyFrames(key, raw.identities, header, "status", { execution_state: "idle" }));
      return;
    }
  }
  return originalHandleShellMessage.call(this, sock, ...frames);
};

// ---- small protocol fixes ------------------------------------------------------------------

// tslab labels its comm_info reply "complete_reply", so a client waiting for comm_info_reply
// (JupyterLab asks at startup) never gets one. comm-shell.ts answers it first once the comms are
// installed; this stays as the answer if they could not be.
jupyter.ZmqServer.prototype.handleCommInfoRequest = function handleCommInfoRequest(this: ZmqServerThis, sock: SendSocket, msg: ZmqMessage): void {
  const reply = msg.createReply();
  reply.header.msg_type = "comm_info_reply";
  (reply as { content: unknown }).content = { status: "ok", comms: {} };
  reply.signAndSend(this.connInfo.key, sock);
};

// inspect_request: a class shows its constructor too, and `{@link X}` reads as X (quick-info.ts).
jupyter.JupyterHandlerImpl.prototype.handleInspect = function handleInspect(
  this: Handler,
  req: { code: string; cursor_pos: number },
): Record<string, unknown> {
  const info = this.executor.inspect(req.code, req.cursor_pos) as QuickInfo | undefined;
  if (!info) return { status: "ok", found: false, data: {}, metadata: {} };
  let ctor: QuickInfo | null = null;
  if (isClassInfo(info)) {
    for (const q of constructorQueries(req.code, info)) {
      const got = this.executor.inspect(q.src, q.position) as QuickInfo | undefined;
      if (got && (got.kind === "constructor" || (got.displayParts ?? []).some((p) => p.kind === "keyword" && p.text === "new"))) {
        ctor = got;
        break;
      }
    }
  }
  // text/plain must be there even when richer types are offered.
  return { status: "ok", found: true, data: { "text/plain": printQuickInfo(info, ctor) }, metadata: {} };
};

// kernel_info_reply: the same content kernel.ts answered with before tslab was up.
jupyter.JupyterHandlerImpl.prototype.handleKernel = function handleKernel(): Record<string, unknown> {
  return kernelInfo();
};

// ---- sockets: bound by kernel.ts before tslab loaded (sockets.ts) ---------------------------

let boot: KernelSockets | null = null;

jupyter.ZmqServer.prototype.init = async function init(this: ZmqServerThis): Promise<void> {
  const s = boot!;
  this.connInfo = s.connInfo as ConnInfo;
  this.iopub = s.iopub;
  this.shell = s.shell;
  this.stdin = s.stdin;
  this.control = { close: () => s.closeControl() };
  this.hb = { close: () => undefined };
  s.route((sock, frames) => {
    this.handleShellMessage(sock, ...frames).catch((e: unknown) => console.error("shell/control message failed:", e));
  });
};

/**
 * tslab's close() releases the TypeScript watchers and sockets but nothing guarantees the process
 * ends (a user timer or server may keep the loop alive); after a shutdown_request the kernel must
 * go away, so give the replies a moment to leave, then exit.
 */
const originalClose = jupyter.ZmqServer.prototype.close as (this: ZmqServerThis) => void;
jupyter.ZmqServer.prototype.close = function close(this: ZmqServerThis): void {
  try {
    originalClose.call(this);
  } finally {
    setTimeout(() => process.exit(0), 300);
  }
};

// ---- start ------------------------------------------------------------------------------------

/**
 * tslab's startKernel builds the converter, the executor (through our createExecutor), the
 * handler and the server, and installs SIGINT / uncaughtException / unhandledRejection handlers;
 * the server's init (ours, above) takes over the sockets kernel.ts bound.
 * enableFindLocal: false, because this entry already chose the tslab copy to patch.
 */
export function startTslab(sockets: KernelSockets, configPath: string): void {
  boot = sockets;
  interruptFlag = sockets.interruptFlag;
  // Before any cell (and the nnlab preload, whose widgets register a comm target) runs.
  installComms(sockets.connInfo.key, sockets.iopub);
  tslabMain.startKernel({ configPath, enableFindLocal: false, jsKernel: false, globalVersion: tslabVersion });
  // nnlab is preloaded at once, ahead of any request. Deferring it behind the first requests (to
  // answer a first cell sooner) broke JupyterLab's restore of a notebook's saved widgets: the
  // manager's "model not found" in every run of test/lab/widgets.test.ts.
  if (rawNodeConverter) {
    const conv = rawNodeConverter();
    queue = queue.then(() => preloadLibrary(conv));
  }
}
