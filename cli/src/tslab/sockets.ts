/**
 * The kernel's sockets, bound before tslab is loaded: shell, iopub and stdin here, control and
 * heartbeat in a worker thread (control-worker.ts: the only way an interrupt_request reaches a
 * busy cell, and a heartbeat that answers during long cells).
 *
 * Binding first is what makes the kernel "ready" fast: tslab spends seconds building its
 * TypeScript program before it would bind anything. Until tslab is up (`route(...)`), shell and
 * control messages wait in a queue, except kernel_info_request, which is answered at once from
 * kernel-info.ts; front ends and jupyter_client only wait for that reply. The first execute then
 * waits for the compiler, which it would have needed anyway.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { kernelInfo, tslabDir } from "./kernel-info";
import type { Launch } from "./parent-watch";
import { replyFrames, sign, splitFrames } from "./wire";

export interface ConnInfo {
  transport: string;
  ip: string;
  iopub_port: number;
  shell_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  key: string;
}

export interface SendSocket {
  send(frames: (Buffer | string)[]): unknown;
}

interface ZmqSocket extends SendSocket {
  bind(addr: string): Promise<void>;
  close(): void;
  readonly readable: boolean;
}

type Handler = (sock: SendSocket, frames: Buffer[]) => void;

export interface KernelSockets {
  connInfo: ConnInfo;
  iopub: ZmqSocket;
  shell: ZmqSocket & AsyncIterable<Buffer[]>;
  stdin: ZmqSocket;
  /** Replies written here go out on the control socket (through the worker). */
  control: SendSocket;
  closeControl(): void;
  /** Set once tslab is up: queued messages are handed over first, in arrival order. */
  route(handler: Handler): void;
  /** Resolves once a kernel_info_request has been answered (front ends send one first). */
  infoAnswered: Promise<void>;
  /** Set to 1 by the control thread when an interrupt_request arrives. */
  interruptFlag: Int32Array;
}

/** `launch`: what the kernel knew of its launcher at its first statement; the control thread watches it. */
export async function bindKernelSockets(configPath: string, launch: Launch): Promise<KernelSockets> {
  const cinfo = JSON.parse(fs.readFileSync(configPath, "utf-8")) as ConnInfo;
  // tslab's own zeromq copy (one native addon for this thread and the worker).
  const zeromqFrom = path.join(tslabDir, "dist", "jupyter.js");
  const zmq = createRequire(zeromqFrom)("zeromq") as {
    Publisher: new () => ZmqSocket;
    Router: new () => ZmqSocket & AsyncIterable<Buffer[]>;
  };
  // Jupyter names ipc endpoints "<ip>-<port>" (the ip is a path prefix), tcp ones "<ip>:<port>".
  const address = (p: number): string => (cinfo.transport === "ipc" ? `ipc://${cinfo.ip}-${p}` : `${cinfo.transport}://${cinfo.ip}:${p}`);
  const iopub = new zmq.Publisher();
  const shell = new zmq.Router();
  const stdin = new zmq.Router();
  const interruptFlag = new Int32Array(new SharedArrayBuffer(4));

  const closed = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(path.join(__dirname, "control-worker.js"), {
    workerData: { connInfo: cinfo, zeromqFrom, closed, interruptFlag, launch },
  });
  // See control-worker.ts: without this, any process.exit() ends in SIGABRT. The wait is long
  // because the worker must first get a turn of its event loop: with 500 ms, a cell's
  // process.exit(3) was seen once as a SIGABRT on a machine busy with a whole test suite (and
  // graded as a memory limit). Only an exit that would otherwise abort waits that long.
  process.on("exit", () => {
    if (Atomics.load(closed, 0) === 1) return;
    worker.postMessage({ type: "exit" });
    Atomics.wait(closed, 0, 0, 5000);
  });
  const control: SendSocket = { send: (frames) => worker.postMessage({ type: "send", frames }) };

  let handler: Handler | null = null;
  const waiting: [SendSocket, Buffer[]][] = [];
  let answered: () => void = () => undefined;
  const infoAnswered = new Promise<void>((resolve) => (answered = resolve));
  const receive = (sock: SendSocket, frames: Buffer[]): void => {
    if (handler) handler(sock, frames);
    else if (answerKernelInfo(cinfo.key, iopub, sock, frames)) answered();
    else waiting.push([sock, frames]);
  };

  const workerReady = new Promise<void>((resolve, reject) => {
    worker.on("message", (m: { type: string; frames?: Uint8Array[]; message?: string }) => {
      if (m.type === "ready") resolve();
      else if (m.type === "failed") reject(new Error(`nnlab kernel: binding control/heartbeat failed: ${m.message}`));
      else if (m.type === "control" && m.frames)
        receive(
          control,
          m.frames.map((f) => Buffer.from(f)),
        );
    });
    worker.on("error", reject);
  });
  await Promise.all([
    iopub.bind(address(cinfo.iopub_port)),
    shell.bind(address(cinfo.shell_port)),
    stdin.bind(address(cinfo.stdin_port)),
    workerReady,
  ]);
  // Only now: a socket still binding throws EBUSY ("blocked by a bind or unbind operation") on
  // send, and a kernel_info_request that arrived once shell was bound, but before iopub, was
  // answered on iopub and ended the kernel at startup (seen once in CI: exit 1, code 'EBUSY').
  // Requests that come earlier wait in the shell socket's queue.
  void (async () => {
    for await (const frames of shell) receive(shell, frames);
  })();

  return {
    connInfo: cinfo,
    iopub,
    shell,
    stdin,
    control,
    closeControl: () => worker.postMessage({ type: "close" }),
    interruptFlag,
    infoAnswered,
    route(h) {
      handler = h;
      for (const [sock, frames] of waiting.splice(0)) h(sock, frames);
    },
  };
}

/** kernel_info_request before tslab is up: busy, reply, idle, like any request. */
function answerKernelInfo(key: string, iopub: SendSocket, sock: SendSocket, frames: Buffer[]): boolean {
  const raw = splitFrames(frames);
  if (!raw || !raw.parts[0]!.includes("kernel_info_request")) return false;
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(raw.parts[0]!.toString()) as Record<string, unknown>;
  } catch {
    return false;
  }
  if (header.msg_type !== "kernel_info_request") return false;
  if (sign(key, raw.parts) !== raw.signature) return true; // dropped, as tslab drops bad signatures
  iopub.send(replyFrames(key, raw.identities, header, "status", { execution_state: "busy" }));
  sock.send(replyFrames(key, raw.identities, header, "kernel_info_reply", kernelInfo()));
  iopub.send(replyFrames(key, raw.identities, header, "status", { execution_state: "idle" }));
  return true;
}
