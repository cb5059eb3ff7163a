/**
 * DirectKernelClient: spawns the kernel itself and speaks the Jupyter wire protocol over ZeroMQ.
 * No Python, no Jupyter server; the embedded default of `nnlab run`.
 *
 * Owning the process is what makes the timeout policy possible (docs/tslab.md, "Interrupts"):
 *   per-request timeout → SIGINT (stops `while (true) {}`, state kept) → no reply within
 *   `interruptGraceMs` (a busy loop after an `await` ignores SIGINT) → SIGKILL, start a fresh
 *   kernel, status "timeout" with the reason saying the state is gone.
 * Child exit while a request runs → status "died" ("kernel died (exit 3)", "(signal SIGABRT)");
 * the next execute() starts a fresh kernel.
 *
 * Output attribution (docs/tslab.md, "Where tslab breaks the protocol"): the kernel tags output with whichever request is running
 * when it is written, so a timer from an earlier cell can print into a later cell's outputs,
 * and output written after the last request went idle is not collected. We stop collecting at
 * the request's shell reply + iopub idle (plus `quietMs` for kernels other than ours).
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import { performance } from "node:perf_hooks";
import * as zmq from "zeromq";
import type { ExecuteOptions, ExecuteResult, ExecuteStatus, KernelClient } from "./client";
import type { DisplayRegistry } from "./collect";
import { OutputCollector } from "./collect";
import { buildResult, replyStatus } from "./result";
import { endpoint, newConnectionInfo, newIpcConnectionInfo, writeConnectionFile, type ConnectionInfo } from "./connection";
import { kernelArgv, type KernelMemoryOptions } from "./kernelspec";
import { holdLifeline, lifelineStdio, withLifelineEnv } from "./lifeline";
import { treeCpuMs } from "./cpu-time";
import { decode, encode, makeMessage, newSession, type Message } from "../tslab/wire";

export interface DirectKernelOptions extends KernelMemoryOptions {
  /** Kernel command; `{connection_file}` is replaced. Default: the nnlab kernel (kernelArgv()). */
  argv?: string[] | undefined;
  /** Kernel working directory: the notebook's folder (tslab resolves imports and rootDir from it). */
  cwd?: string | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  /** Node flags for the default argv (ignored with a custom argv). */
  nodeFlags?: string[] | undefined;
  /** Spawn → kernel_info answered; default 60 s (a start takes ≈3.5 s on an idle 2-core machine). */
  startupTimeoutMs?: number | undefined;
  /** Default per-request timeout when execute() is given none; default none. */
  timeoutMs?: number | undefined;
  /** How long to wait for the reply after SIGINT before killing; default 2000 ms. */
  interruptGraceMs?: number | undefined;
  /**
   * "signal" (SIGINT to the process, works for any kernel) or "message" (interrupt_request on
   * control). Default: "message" for the nnlab kernel (its control thread also stops a cell that
   * is still compiling, which a bare SIGINT cannot), "signal" with a custom argv.
   */
  interruptMode?: "signal" | "message" | undefined;
  /**
   * After a request's reply and idle, keep collecting its outputs until none has come for this
   * long. The nnlab kernel publishes everything before idle, so its default is 0; with a custom
   * argv it is 50 ms, because some kernels do not (Deno 2.x sends execute_result after idle).
   */
  quietMs?: number | undefined;
  /** The kernel process's own stdout/stderr (not cell output), line by line. */
  onKernelLog?: ((line: string) => void) | undefined;
  /** Folder for the connection file; default the OS temp folder. */
  connectionDir?: string | undefined;
  /** Called with each connection file written, before the kernel starts (e.g. to hand it to a sandbox user). */
  onConnectionFile?: ((file: string) => void) | undefined;
  /**
   * Unix-socket transport for a kernel in its own network namespace: the kernel binds
   * `<path>-<n>` inside its mount namespace; `root(pid)` gives the prefix under which the client
   * reaches that path from outside (e.g. `/proc/<pid>/root`).
   */
  ipc?: { path: string; root: (pid: number) => Promise<string> } | undefined;
  /**
   * Wait for the nnlab kernel's compiler with a silent empty request before start() returns.
   * Default: only for the nnlab kernel started from its own argv (a custom argv may be another
   * kernel); the grading sandbox's argv runs the nnlab kernel, so it asks for it.
   */
  warmUp?: boolean | undefined;
  /**
   * Count a request's time limit in CPU time of the kernel (and its children), so that a cell
   * starved of a core on a saturated machine is not cut short: when the limit expires with less
   * than 90 % of it used as CPU, the deadline moves on, up to `wallFactor` × the limit of wall
   * time. A busy loop is stopped at the limit on an idle machine and by wallFactor × limit at
   * worst; a cell that only waits is stopped at wallFactor × limit. Default: wall time only.
   */
  cpuTimeout?: { wallFactor: number } | undefined;
}

type Channel = "shell" | "control" | "iopub";
type Listener = (msg: Message, channel: Channel) => void;
interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: Error;
}

/** Kernels still running when this process exits are killed, never left behind. */
const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;
function trackChild(child: ChildProcess): void {
  liveChildren.add(child);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on("exit", () => {
      for (const c of liveChildren) c.kill("SIGKILL");
    });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function exitText(exit: Exit): string {
  if (exit.error) return `could not run the kernel: ${exit.error.message}`;
  if (exit.signal) return `signal ${exit.signal}`;
  // A wrapper (sh, bubblewrap) reports its child's death by signal N as exit 128 + N.
  const sig = exit.code !== null && exit.code > 128 ? Object.entries(os.constants.signals).find(([, n]) => n === exit.code! - 128)?.[0] : undefined;
  return sig ? `exit ${exit.code}: signal ${sig}` : `exit ${exit.code}`;
}

/**
 * Done = reply + idle, then (for kernels that publish late) a quiet period that every further
 * output of the request restarts, capped at 20 periods so that a chatty kernel cannot hold the run.
 * `atOnce()` true (a timed-out request) completes without waiting.
 */
function afterQuiet(quietMs: number, atOnce: () => boolean, complete: () => void, timers: NodeJS.Timeout[]): () => void {
  let since = 0;
  let timer: NodeJS.Timeout | null = null;
  return () => {
    if (quietMs <= 0 || atOnce()) return complete();
    if (since === 0) since = performance.now();
    if (timer) clearTimeout(timer);
    if (performance.now() - since > 20 * quietMs) return complete();
    timer = setTimeout(complete, quietMs);
    timers.push(timer);
  };
}

/** One running kernel: the child process, its sockets and its connection file. */
class KernelProcess {
  readonly session = newSession();
  readonly listeners = new Map<string, Listener>();
  readonly exited: Promise<Exit>;
  exit: Exit | null = null;
  private readonly sendChains = new Map<zmq.Dealer, Promise<void>>();
  private logTail = "";
  private readonly exitHandlers = new Set<(exit: Exit) => void>();

  constructor(
    readonly child: ChildProcess,
    readonly conn: ConnectionInfo,
    readonly connFile: string,
    readonly shell: zmq.Dealer,
    readonly control: zmq.Dealer,
    readonly iopub: zmq.Subscriber,
    onLog?: (line: string) => void,
  ) {
    trackChild(child);
    const log = (chunk: Buffer): void => {
      const text = chunk.toString();
      this.logTail = (this.logTail + text).slice(-4000);
      if (onLog) for (const line of text.split("\n")) if (line.trim()) onLog(line);
    };
    child.stdout?.on("data", log);
    child.stderr?.on("data", log);
    this.exited = new Promise((resolve) => {
      const done = (exit: Exit): void => {
        if (this.exit) return;
        this.exit = exit;
        liveChildren.delete(child);
        for (const h of this.exitHandlers) h(exit);
        resolve(exit);
      };
      child.on("exit", (code, signal) => done({ code, signal }));
      child.on("error", (error) => done({ code: null, signal: null, error }));
    });
    this.receive(shell, "shell");
    this.receive(control, "control");
    this.receive(iopub, "iopub");
  }

  get running(): boolean {
    return this.exit === null;
  }

  /** The last lines the kernel process wrote to its own stdout/stderr (V8 fatal errors land here). */
  lastLog(): string {
    const lines = this.logTail
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean);
    // V8's fatal errors print their reason first, then a native stack trace: keep the reason.
    const fatal = lines.filter((l) => /FATAL ERROR|out of memory/i.test(l));
    return (fatal.length > 0 ? fatal.slice(-2) : lines.slice(-3)).join(" | ");
  }

  onExit(h: (exit: Exit) => void): () => void {
    this.exitHandlers.add(h);
    return () => this.exitHandlers.delete(h);
  }

  private receive(sock: zmq.Dealer | zmq.Subscriber, channel: Channel): void {
    void (async () => {
      for await (const frames of sock) {
        const msg = decode(this.conn.key, frames);
        const parent = msg?.parent_header.msg_id;
        if (msg && parent) this.listeners.get(parent)?.(msg, channel);
      }
    })().catch(() => undefined); // the socket was closed
  }

  send(channel: "shell" | "control", msg: Message, listener?: Listener): void {
    if (listener) this.listeners.set(msg.header.msg_id, listener);
    const sock = channel === "shell" ? this.shell : this.control;
    // zeromq allows one pending send per socket.
    const prev = this.sendChains.get(sock) ?? Promise.resolve();
    const next = prev.then(() => sock.send(encode(this.conn.key, msg))).catch(() => undefined);
    this.sendChains.set(sock, next);
  }

  async kill(): Promise<Exit> {
    if (this.running) {
      // The whole process group (the kernel was spawned detached, as its leader): a wrapper's
      // children go too, not only the wrapper.
      try {
        process.kill(-this.child.pid!, "SIGKILL");
      } catch {
        this.child.kill("SIGKILL");
      }
    }
    return this.exited;
  }

  dispose(): void {
    this.listeners.clear();
    for (const s of [this.shell, this.control, this.iopub]) {
      try {
        s.close();
      } catch {
        // already closed
      }
    }
    fs.rmSync(this.connFile, { force: true });
  }
}

export class DirectKernelClient implements KernelClient {
  /** The kernel's kernel_info_reply content, once started. */
  kernelInfo: Record<string, unknown> | null = null;
  private proc: KernelProcess | null = null;
  private busy = false;
  /** display_id → the outputs showing it, across requests, so updates reach earlier cells too. */
  private displays: DisplayRegistry = new Map();

  constructor(private readonly opts: DirectKernelOptions = {}) {}

  get alive(): boolean {
    return this.proc?.running ?? false;
  }

  /** PID of the kernel process (for tests and diagnostics). */
  get pid(): number | undefined {
    return this.proc?.running ? this.proc.child.pid : undefined;
  }

  async start(): Promise<void> {
    if (this.proc?.running) return;
    if (this.proc) this.discard();
    const conn = this.opts.ipc ? newIpcConnectionInfo(this.opts.ipc.path) : await newConnectionInfo();
    const connFile = writeConnectionFile(conn, this.opts.connectionDir);
    this.opts.onConnectionFile?.(connFile);
    const template =
      this.opts.argv ??
      kernelArgv({ nodeFlags: this.opts.nodeFlags, maxOldSpaceMb: this.opts.maxOldSpaceMb, addressSpaceKb: this.opts.addressSpaceKb });
    const argv = template.map((a) => a.split("{connection_file}").join(connFile));
    const child = spawn(argv[0], argv.slice(1), {
      cwd: this.opts.cwd ?? process.cwd(),
      // The lifeline ends the kernel if this process dies, even during the kernel's start-up.
      env: withLifelineEnv(this.opts.env ?? process.env),
      stdio: lifelineStdio("ignore", "pipe", "pipe"),
      // Own process group: a Ctrl+C in the terminal running nnlab must not interrupt the cell.
      detached: true,
    });
    holdLifeline(child);
    const shell = new zmq.Dealer({ linger: 0 });
    const control = new zmq.Dealer({ linger: 0 });
    const iopub = new zmq.Subscriber({ linger: 0 });
    const proc = new KernelProcess(child, conn, connFile, shell, control, iopub, this.opts.onKernelLog);
    this.proc = proc;
    try {
      const t0 = performance.now();
      const timeoutMs = this.opts.startupTimeoutMs ?? 60_000;
      const root = this.opts.ipc && child.pid !== undefined ? await this.opts.ipc.root(child.pid) : "";
      const addr = (port: number): string => endpoint(conn, port, root);
      shell.connect(addr(conn.shell_port));
      control.connect(addr(conn.control_port));
      iopub.connect(addr(conn.iopub_port));
      iopub.subscribe();
      this.kernelInfo = await this.handshake(proc, timeoutMs);
      // The nnlab kernel answers kernel_info before its compiler is up (seconds); a silent empty
      // request waits for it, so that no cell's time limit pays for the kernel's start.
      if (this.opts.warmUp ?? !this.opts.argv) await this.warmUp(proc, timeoutMs - (performance.now() - t0));
    } catch (e) {
      await proc.kill();
      this.discard();
      throw e;
    }
  }

  /**
   * The iopub subscription is only live some time after connect (ZeroMQ's slow joiner), and the
   * kernel binds its sockets only after ≈3 s of TypeScript setup. Repeat kernel_info_request
   * until one reply and one iopub message for our requests have both arrived.
   */
  private handshake(proc: KernelProcess, timeoutMs: number): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const ids: string[] = [];
      let info: Record<string, unknown> | null = null;
      let iopubSeen = false;
      const finish = (err: Error | null): void => {
        clearInterval(retry);
        clearTimeout(timer);
        offExit();
        for (const id of ids) proc.listeners.delete(id);
        if (err) reject(err);
        else resolve(info!);
      };
      const listener: Listener = (msg, channel) => {
        if (channel === "shell" && msg.header.msg_type === "kernel_info_reply") info = msg.content;
        if (channel === "iopub") iopubSeen = true;
        if (info && iopubSeen) finish(null);
      };
      const ask = (): void => {
        const msg = makeMessage(proc.session, "kernel_info_request", {});
        ids.push(msg.header.msg_id);
        proc.send("shell", msg, listener);
      };
      const retry = setInterval(ask, 500);
      const timer = setTimeout(() => {
        finish(
          new Error(
            `nnlab kernel: no kernel_info_reply within ${timeoutMs / 1000} s (cwd ${this.opts.cwd ?? process.cwd()}). Kernel output: ${proc.lastLog() || "(none)"}. Check that cli/dist/tslab/kernel.js is built (npm run build).`,
          ),
        );
      }, timeoutMs);
      const offExit = proc.onExit((exit) => {
        finish(new Error(`nnlab kernel: the kernel process ended during startup (${exitText(exit)}). Kernel output: ${proc.lastLog() || "(none)"}`));
      });
      ask();
    });
  }

  private warmUp(proc: KernelProcess, timeoutMs: number): Promise<void> {
    const msg = makeMessage(proc.session, "execute_request", {
      code: "",
      silent: true,
      store_history: false,
      user_expressions: {},
      allow_stdin: false,
      stop_on_error: false,
    });
    return new Promise((resolve, reject) => {
      const finish = (err: Error | null): void => {
        clearTimeout(timer);
        offExit();
        proc.listeners.delete(msg.header.msg_id);
        if (err) reject(err);
        else resolve();
      };
      const timer = setTimeout(
        () =>
          finish(
            new Error(
              `nnlab kernel: its compiler was not ready within ${Math.round(this.opts.startupTimeoutMs ?? 60_000) / 1000} s of the start (cwd ${this.opts.cwd ?? process.cwd()}). Kernel output: ${proc.lastLog() || "(none)"}`,
            ),
          ),
        Math.max(timeoutMs, 1000),
      );
      const offExit = proc.onExit((exit) =>
        finish(new Error(`nnlab kernel: the kernel process ended during startup (${exitText(exit)}). Kernel output: ${proc.lastLog() || "(none)"}`)),
      );
      proc.send("shell", msg, (m, channel) => {
        if (channel === "shell" && m.header.msg_type === "execute_reply") finish(null);
      });
    });
  }

  async execute(code: string, options: ExecuteOptions = {}): Promise<ExecuteResult> {
    if (this.busy) throw new Error("DirectKernelClient.execute: a request is already running; await it first (one request at a time)");
    this.busy = true;
    try {
      if (!this.proc?.running) await this.start();
      // An `aborted` reply is reported as it is: the kernel decides what to abort (only requests
      // queued behind an error with stop_on_error), and the clients never set stop_on_error.
      return await this.runOnce(code, options, performance.now());
    } finally {
      this.busy = false;
    }
  }

  /**
   * One execute_request: done at its reply and iopub idle; "died" if the process exits meanwhile;
   * past its time limit interrupted, then killed and restarted (armLimit).
   */
  private runOnce(code: string, options: ExecuteOptions, t0: number): Promise<ExecuteResult> {
    const proc = this.proc!;
    const timeoutMs = options.timeoutMs ?? this.opts.timeoutMs;
    const out = new OutputCollector(options, this.displays);
    let reply: Record<string, unknown> | null = null;
    let timedOut = false;
    const msg = makeMessage(proc.session, "execute_request", {
      code,
      silent: false,
      store_history: true,
      user_expressions: {},
      allow_stdin: false,
      stop_on_error: false,
    });

    return new Promise<ExecuteResult>((resolve) => {
      let settled = false;
      const timers: NodeJS.Timeout[] = [];
      const finish = (status: ExecuteStatus, reason?: string, stateLost = false): void => {
        if (settled) return;
        settled = true;
        for (const t of timers) clearTimeout(t);
        offExit();
        proc.listeners.delete(msg.header.msg_id);
        resolve(buildResult(status, out, reply, performance.now() - t0, { stateLost, ...(reason ? { reason } : {}) }));
      };
      const complete = (): void => {
        if (timedOut) finish("timeout", `timeout after ${timeoutMs! / 1000} s (interrupted; kernel state kept)`);
        else finish(replyStatus(reply), reply?.status === "ok" || reply?.status === "error" ? undefined : "the kernel aborted the request");
      };
      const settle = afterQuiet(this.opts.quietMs ?? (this.opts.argv ? 50 : 0), () => timedOut, complete, timers);
      const listener: Listener = (m, channel) => {
        if (channel === "iopub") {
          out.add(m.header.msg_type, m.content);
          if (out.idle && reply) settle();
        } else if (channel === "shell" && m.header.msg_type === "execute_reply") {
          reply = m.content;
          out.executionCount = (reply.execution_count as number | undefined) ?? out.executionCount;
          if (out.idle) settle();
          // A lost idle (iopub high-water mark) must not hang the run.
          else timers.push(setTimeout(complete, 2000));
        }
      };
      const offExit = proc.onExit((exit) => {
        if (timedOut) return; // we killed it: the timeout path reports
        const log = proc.lastLog();
        finish("died", `kernel died (${exitText(exit)})${exit.signal && log ? `: ${log}` : ""}`, true);
        this.discard();
      });
      if (timeoutMs !== undefined && Number.isFinite(timeoutMs)) {
        this.armLimit(proc, timeoutMs, timers, {
          settled: () => settled,
          expired: () => (timedOut = true),
          killed: (reason) => finish("timeout", reason, true),
        });
      }
      if (proc.exit) {
        // Died between start() and now: the exit event has already fired.
        finish("died", `kernel died (${exitText(proc.exit)})`, true);
        this.discard();
        return;
      }
      proc.send("shell", msg, listener);
    });
  }

  /**
   * The time limit of one request (docs/tslab.md): at the limit (moved on while the kernel was
   * starved of CPU, with cpuTimeout) interrupt it; if it has not answered `interruptGraceMs`
   * later, kill the kernel and start a fresh one.
   */
  private armLimit(
    proc: KernelProcess,
    timeoutMs: number,
    timers: NodeJS.Timeout[],
    on: { settled: () => boolean; expired: () => void; killed: (reason: string) => void },
  ): void {
    const starved = this.starvation(proc, timeoutMs);
    const onLimit = (): void => {
      if (on.settled()) return;
      const more = starved();
      if (more > 0) {
        timers.push(setTimeout(onLimit, more));
        return;
      }
      on.expired();
      void this.interrupt();
      const kill = (): void => void this.killAfterTimeout(proc, timeoutMs).then(on.killed);
      timers.push(setTimeout(kill, this.opts.interruptGraceMs ?? 2000));
    };
    timers.push(setTimeout(onLimit, timeoutMs));
  }

  private async killAfterTimeout(proc: KernelProcess, timeoutMs: number): Promise<string> {
    await proc.kill();
    this.discard();
    const why = `timeout after ${timeoutMs / 1000} s (kernel killed`;
    try {
      await this.start();
      return `${why} and restarted; its state is lost)`;
    } catch (e) {
      return `${why}; restart failed: ${(e as Error).message})`;
    }
  }

  /**
   * With cpuTimeout: how much longer (ms) a request at its limit may run because the kernel used
   * less than 90 % of the limit as CPU, bounded by wallFactor × the limit of wall time; 0 if none.
   */
  private starvation(proc: KernelProcess, timeoutMs: number): () => number {
    const pid = proc.child.pid;
    const factor = this.opts.cpuTimeout?.wallFactor;
    const cpuAtStart = factor !== undefined && pid !== undefined ? treeCpuMs(pid) : undefined;
    const wallStart = performance.now();
    return () => {
      if (cpuAtStart === undefined || factor === undefined || pid === undefined) return 0;
      const now = treeCpuMs(pid);
      if (now === undefined) return 0;
      const used = now - cpuAtStart;
      const wallLeft = factor * timeoutMs - (performance.now() - wallStart);
      if (used >= 0.9 * timeoutMs || wallLeft <= 50) return 0;
      return Math.max(50, Math.min(timeoutMs - used, wallLeft));
    };
  }

  /**
   * `mode` overrides the client's interruptMode for this call. As with any Jupyter kernel, an
   * interrupt that arrives after its request finished hits whatever runs next: send it while the
   * request is running (execute's own timeout does).
   */
  async interrupt(mode?: "signal" | "message"): Promise<void> {
    const proc = this.proc;
    if (!proc?.running) return;
    if ((mode ?? this.opts.interruptMode ?? (this.opts.argv ? "signal" : "message")) === "signal") {
      proc.child.kill("SIGINT");
      return;
    }
    const msg = makeMessage(proc.session, "interrupt_request", {});
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => done(), 2000);
      const done = (): void => {
        clearTimeout(timer);
        proc.listeners.delete(msg.header.msg_id);
        resolve();
      };
      proc.send("control", msg, (m, channel) => {
        if (channel === "control" && m.header.msg_type === "interrupt_reply") done();
      });
    });
  }

  async restart(): Promise<void> {
    if (this.proc) {
      await this.proc.kill();
      this.discard();
    }
    await this.start();
  }

  async shutdown(): Promise<void> {
    const proc = this.proc;
    if (!proc) return;
    if (proc.running) {
      proc.send("control", makeMessage(proc.session, "shutdown_request", { restart: false }));
      const exited = await Promise.race([proc.exited.then(() => true), sleep(3000).then(() => false)]);
      if (!exited) await proc.kill();
    }
    this.discard();
  }

  private discard(): void {
    if (!this.proc) return;
    this.proc.dispose();
    this.proc = null;
    this.displays.clear();
  }
}
