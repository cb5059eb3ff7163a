/**
 * ServerKernelClient: the same KernelClient through a Jupyter Server (or JupyterHub single-user
 * server, or Kernel Gateway) with @jupyterlab/services 7.6.6 over REST + WebSocket. The kernel is
 * started with `path` = the notebook's folder, so it runs in root_dir/path.
 *
 * Weaker guarantees than the direct back end, because the server owns the process:
 * - Death: we only see the server's status (`autorestarting`/`restarting`/`dead`) or the future
 *   being cancelled; the exit code or signal is not reported, so the reason says "exit status not
 *   reported by the server". The server restarts the kernel by itself (state lost).
 * - Timeout: interrupt via REST (SIGINT from the server), then `restart` via REST; the server asks
 *   the kernel to shut down and kills it after its own shutdown_wait_time, so recovery from a
 *   busy loop after `await` takes a few seconds more than with the direct client.
 * - @jupyterlab/services logs "Starting WebSocket…" and reconnect messages with console.log.
 */
import { KernelAPI, KernelConnection, ServerConnection, type Kernel, type KernelMessage } from "@jupyterlab/services";
import { performance } from "node:perf_hooks";
import type { ExecuteOptions, ExecuteResult, ExecuteStatus, KernelClient } from "./client";
import { OutputCollector, type DisplayRegistry } from "./collect";
import { buildResult, replyStatus } from "./result";
import { KERNEL_NAME } from "./kernelspec";

export interface ServerKernelOptions {
  /** e.g. http://127.0.0.1:8888 (with any base path). */
  baseUrl: string;
  token?: string;
  /** Default: baseUrl with ws(s):// */
  wsUrl?: string;
  /** Kernelspec name on the server; default "nnlab". */
  kernelName?: string;
  /** Folder of the notebook relative to the server's root_dir (the kernel's cwd). */
  path?: string;
  /** Attach to this running kernel instead of starting one (shutdown() then leaves it running). */
  kernelId?: string;
  startupTimeoutMs?: number;
  timeoutMs?: number;
  /** Wait after the REST interrupt before restarting; default 2000 ms. */
  interruptGraceMs?: number;
}

// `ws` ships no types (and @types/ws is not installed); services only needs a WebSocket constructor.
const WebSocketImpl = require("ws") as typeof globalThis.WebSocket;

const CANCELED_FUTURE = /Canceled future for \w+ message before replies were done/;
let rejectionGuardInstalled = false;

/**
 * services 7.6.6 disposes a pending internal kernel_info future on restart and its rejection
 * (`Canceled future for kernel_info_request message before replies were done`) is unhandled,
 * which kills a Node process. Swallow exactly that; keep Node's default (crash) for anything else
 * when no other handler is installed.
 */
function installRejectionGuard(): void {
  if (rejectionGuardInstalled) return;
  rejectionGuardInstalled = true;
  process.on("unhandledRejection", (reason) => {
    const message = reason instanceof Error ? reason.message : String(reason);
    if (CANCELED_FUTURE.test(message)) return;
    if (process.listenerCount("unhandledRejection") === 1) throw reason;
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(what)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/**
 * Waits until the kernel answers a fresh kernel_info_request. `kernel.info` is not used: services
 * replaces that promise when it reconnects after a restart, so a promise taken just before the
 * swap never settles (seen as a rare 60 s hang after a timeout restart).
 */
async function waitReady(kernel: Kernel.IKernelConnection, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no reply";
  while (Date.now() < deadline) {
    try {
      const reply = await withTimeout(kernel.requestKernelInfo(), Math.min(5000, Math.max(500, deadline - Date.now())), "no reply within 5 s");
      if (reply) return;
      last = "the request was dropped";
    } catch (e) {
      last = (e as Error).message ?? String(e);
    }
    if (kernel.isDisposed) throw new Error("the kernel connection was disposed");
    await sleep(250);
  }
  throw new Error(`no kernel_info_reply within ${timeoutMs / 1000} s (${last}; kernel status ${kernel.status})`);
}

export class ServerKernelClient implements KernelClient {
  readonly settings: ServerConnection.ISettings;
  kernel: Kernel.IKernelConnection | null = null;
  private busy = false;
  private ownKernel = true;
  /** True while we restart or shut down: status changes then are not a death. */
  private expectingRestart = false;
  private displays: DisplayRegistry = new Map();

  constructor(private readonly opts: ServerKernelOptions) {
    installRejectionGuard();
    const baseUrl = opts.baseUrl.endsWith("/") ? opts.baseUrl : opts.baseUrl + "/";
    this.settings = ServerConnection.makeSettings({
      baseUrl,
      wsUrl: opts.wsUrl ?? baseUrl.replace(/^http/, "ws"),
      token: opts.token ?? "",
      appendToken: true,
      WebSocket: WebSocketImpl,
      fetch: globalThis.fetch,
      Request: globalThis.Request,
      Headers: globalThis.Headers,
    });
  }

  get alive(): boolean {
    const k = this.kernel;
    return !!k && !k.isDisposed && k.status !== "dead";
  }

  async start(): Promise<void> {
    if (this.alive) return;
    let model: KernelAPI.IModel;
    if (this.opts.kernelId) {
      const found = await KernelAPI.getKernelModel(this.opts.kernelId, this.settings);
      if (!found) throw new Error(`ServerKernelClient: no kernel ${this.opts.kernelId} on ${this.opts.baseUrl}`);
      model = found;
      this.ownKernel = false;
    } else {
      // `path` is accepted by Jupyter Server's POST /api/kernels (it sets the kernel's cwd) but is
      // missing from services' IKernelOptions type.
      const options = { name: this.opts.kernelName ?? KERNEL_NAME, ...(this.opts.path !== undefined ? { path: this.opts.path } : {}) };
      try {
        model = await KernelAPI.startNew(options as KernelAPI.IKernelOptions, this.settings);
      } catch (e) {
        throw new Error(
          `ServerKernelClient: could not start kernel "${options.name}" on ${this.opts.baseUrl}: ${(e as Error).message}. Is the nnlab kernelspec on the server's JUPYTER_PATH (nnlab kernel install)?`,
        );
      }
    }
    const kernel = new KernelConnection({ model, serverSettings: this.settings, handleComms: false });
    this.kernel = kernel;
    try {
      await waitReady(kernel, this.opts.startupTimeoutMs ?? 60_000);
      // The nnlab kernel answers kernel_info before its compiler is up (seconds); a silent empty
      // request waits for it, so that no cell's time limit pays for the kernel's start.
      if (model.name === KERNEL_NAME)
        await withTimeout(
          kernel.requestExecute({ code: "", silent: true, store_history: false, stop_on_error: false }).done,
          this.opts.startupTimeoutMs ?? 60_000,
          "its compiler was not ready in time",
        );
    } catch (e) {
      throw new Error(`ServerKernelClient: kernel ${model.id} on ${this.opts.baseUrl} is not ready: ${(e as Error).message}`);
    }
  }

  async execute(code: string, options: ExecuteOptions = {}): Promise<ExecuteResult> {
    if (this.busy) throw new Error("ServerKernelClient.execute: a request is already running; await it first (one request at a time)");
    this.busy = true;
    try {
      if (!this.alive) await this.start();
      // An `aborted` reply is reported as it is (see DirectKernelClient.execute).
      return await this.runOnce(code, options, performance.now());
    } finally {
      this.busy = false;
    }
  }

  private async runOnce(code: string, options: ExecuteOptions, t0: number): Promise<ExecuteResult> {
    const kernel = this.kernel!;
    // After a death the server restarts the kernel; wait until it answers again.
    if (kernel.status !== "idle" && kernel.status !== "busy") {
      try {
        await waitReady(kernel, this.opts.startupTimeoutMs ?? 60_000);
      } catch (e) {
        return {
          status: "died",
          executionCount: null,
          outputs: [],
          durationMs: Math.round(performance.now() - t0),
          stateLost: true,
          reason: `kernel not ready: ${(e as Error).message}`,
        };
      }
    }
    const timeoutMs = options.timeoutMs ?? this.opts.timeoutMs;
    const grace = this.opts.interruptGraceMs ?? 2000;
    const out = new OutputCollector(options, this.displays);
    let timedOut = false;
    const future = kernel.requestExecute(
      { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: false },
      true,
    );
    future.onIOPub = (msg) => out.add(msg.header.msg_type, msg.content as Record<string, unknown>);

    return new Promise<ExecuteResult>((resolve) => {
      let settled = false;
      const timers: NodeJS.Timeout[] = [];
      const finish = (status: ExecuteStatus, reply: Record<string, unknown> | null, reason?: string, stateLost = false): void => {
        if (settled) return;
        settled = true;
        for (const t of timers) clearTimeout(t);
        kernel.statusChanged.disconnect(onStatus);
        resolve(buildResult(status, out, reply, performance.now() - t0, { stateLost, ...(reason ? { reason } : {}) }));
      };
      const died = (how: string): void => {
        this.displays.clear();
        finish("died", null, `kernel died (${how}; exit status not reported by the server)`, true);
      };
      const onStatus = (_: unknown, status: KernelMessage.Status): void => {
        if (this.expectingRestart) return;
        if (status === "autorestarting" || status === "restarting") died(`the server saw it exit and is restarting it`);
        else if (status === "dead") died("the server gave up restarting it");
      };
      kernel.statusChanged.connect(onStatus);
      future.done.then(
        (reply) => {
          const content = reply.content as unknown as Record<string, unknown>;
          out.executionCount = (content.execution_count as number | undefined) ?? out.executionCount;
          if (timedOut) finish("timeout", content, `timeout after ${timeoutMs! / 1000} s (interrupted; kernel state kept)`);
          else
            finish(
              replyStatus(content),
              content,
              content.status === "ok" || content.status === "error" ? undefined : "the kernel aborted the request",
            );
        },
        (e: unknown) => {
          if (timedOut || this.expectingRestart) return;
          died(`the request was cancelled: ${(e as Error)?.message ?? e}`);
        },
      );
      if (timeoutMs !== undefined && Number.isFinite(timeoutMs)) {
        timers.push(
          setTimeout(() => {
            timedOut = true;
            kernel.interrupt().catch(() => undefined);
            timers.push(
              setTimeout(() => {
                void (async () => {
                  const why = `timeout after ${timeoutMs / 1000} s (kernel restarted by the server; its state is lost)`;
                  try {
                    await this.restart();
                    finish("timeout", null, why, true);
                  } catch (e) {
                    finish("timeout", null, `timeout after ${timeoutMs / 1000} s; restarting the kernel failed: ${(e as Error).message}`, true);
                  }
                })();
              }, grace),
            );
          }, timeoutMs),
        );
      }
    });
  }

  async interrupt(): Promise<void> {
    if (this.alive) await this.kernel!.interrupt();
  }

  async restart(): Promise<void> {
    if (!this.kernel || this.kernel.isDisposed) {
      await this.start();
      return;
    }
    this.expectingRestart = true;
    try {
      await this.kernel.restart();
      await waitReady(this.kernel, this.opts.startupTimeoutMs ?? 60_000);
    } finally {
      this.expectingRestart = false;
      this.displays.clear();
    }
  }

  async shutdown(): Promise<void> {
    const kernel = this.kernel;
    if (!kernel) return;
    this.expectingRestart = true;
    try {
      if (this.ownKernel && !kernel.isDisposed) await withTimeout(kernel.shutdown(), 10_000, "shutdown timed out").catch(() => undefined);
    } finally {
      kernel.dispose();
      this.kernel = null;
      this.expectingRestart = false;
    }
  }
}
