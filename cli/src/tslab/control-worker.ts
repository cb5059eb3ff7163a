/**
 * The kernel's control and heartbeat sockets, served from a worker thread.
 *
 * Why a thread: a cell like `while (true) {}` blocks the kernel's main thread, so a control
 * socket read by the main event loop could never see the `interrupt_request` that is meant to
 * stop it, and a heartbeat answered there would look dead during every long cell. The worker
 * answers `interrupt_request` itself by raising SIGINT in this process (which V8's
 * `breakOnSigint` turns into an exception in the running cell), echoes heartbeats, and hands
 * every other control message to the main thread, which handles it like tslab always did.
 *
 * Messages from the main thread: {type: "send", frames} (a reply to write on the control socket),
 * {type: "close"} (after pending replies) and {type: "exit"} (now). Messages to it: {type: "ready"}
 * and {type: "control", frames}. `closed[0]` becomes 1 once the sockets are closed.
 *
 * Why "exit" exists: a zeromq socket with a pending receive in a worker makes the whole process
 * abort (`terminate called after throwing an instance of 'Napi::Error'`, SIGABRT) when the
 * process exits, so a cell's `process.exit(3)` would look like a crash. The main thread's
 * 'exit' hook sends "exit" and blocks (Atomics.wait) until the sockets are closed.
 */
import { parentPort, workerData } from "node:worker_threads";
import { createRequire } from "node:module";
import { type Launch, warn, watchLaunch } from "./parent-watch";
import { replyFrames, sign, splitFrames } from "./wire";

interface ConnInfo {
  transport: string;
  ip: string;
  control_port: number;
  hb_port: number;
  key: string;
}

interface ZmqSocket {
  bind(addr: string): Promise<void>;
  send(frames: (Buffer | string)[]): Promise<void>;
  close(): void;
  linger: number;
  [Symbol.asyncIterator](): AsyncIterator<Buffer[]>;
}

const { connInfo, zeromqFrom, closed, interruptFlag, launch } = workerData as {
  connInfo: ConnInfo;
  zeromqFrom: string;
  closed: Int32Array;
  interruptFlag: Int32Array;
  launch: Launch;
};
// The same zeromq copy tslab itself loads, so one native addon serves both threads.
const zmq = createRequire(zeromqFrom)("zeromq") as { Router: new () => ZmqSocket; Reply: new () => ZmqSocket };
const port = parentPort!;

const control = new zmq.Router();
const hb = new zmq.Reply();
control.linger = 1000;
hb.linger = 0;

function address(p: number): string {
  return connInfo.transport === "ipc" ? `ipc://${connInfo.ip}-${p}` : `${connInfo.transport}://${connInfo.ip}:${p}`;
}

// zeromq sockets allow one send at a time: chain them.
let sending: Promise<void> = Promise.resolve();
function sendControl(frames: (Buffer | string)[]): void {
  sending = sending.then(() => control.send(frames)).catch(() => undefined);
}

function replyInterrupt(identities: Buffer[], requestHeader: Record<string, unknown>): void {
  sendControl(replyFrames(connInfo.key, identities, requestHeader, "interrupt_reply", { status: "ok" }));
}

async function serveControl(): Promise<void> {
  for await (const frames of control) {
    const raw = splitFrames(frames);
    if (!raw) continue;
    if (sign(connInfo.key, raw.parts) !== raw.signature) continue;
    let header: Record<string, unknown>;
    try {
      header = JSON.parse(raw.parts[0].toString()) as Record<string, unknown>;
    } catch {
      continue;
    }
    if (header.msg_type === "interrupt_request") {
      replyInterrupt(raw.identities, header);
      // The flag stops a cell that is still being compiled (see kernel.ts); SIGINT one that runs.
      Atomics.store(interruptFlag, 0, 1);
      process.kill(process.pid, "SIGINT");
      continue;
    }
    if (header.msg_type === "shutdown_request") {
      // The main thread answers and exits within a few hundred ms, unless a cell keeps it busy
      // (e.g. a loop after `await`, which nothing interrupts); then end the process from here,
      // so Jupyter's restart does not sit out its shutdown_wait_time (≈5 s) before killing.
      setTimeout(() => process.kill(process.pid, "SIGTERM"), 1500).unref();
    }
    port.postMessage({ type: "control", frames });
  }
}

async function serveHeartbeat(): Promise<void> {
  for await (const frames of hb) await hb.send(frames);
}

port.on("message", (m: { type: string; frames?: (Uint8Array | string)[] }) => {
  if (m.type === "send" && m.frames) {
    sendControl(m.frames.map((f) => (typeof f === "string" ? f : Buffer.from(f))));
  } else if (m.type === "close") {
    void sending.finally(closeAll);
  } else if (m.type === "exit") {
    closeAll();
  }
});

/** The two receive loops, once the sockets are bound. */
let loops: Promise<unknown>[] = [];
let closing = false;

function closeAll(): void {
  if (closing) return;
  closing = true;
  parentWatch.stop();
  control.close();
  hb.close();
  // "Closed" only once both receive loops have seen their sockets close: a receive still pending
  // when the process tears this thread down makes the addon throw from native code (the same
  // SIGABRT). Under a loaded test run, flagging right after close() still let that happen now and
  // then. Capped at 1 s in case a loop never ends.
  const done = (): void => {
    if (Atomics.load(closed, 0) === 1) return;
    Atomics.store(closed, 0, 1);
    Atomics.notify(closed, 0);
    port.close();
  };
  const cap = setTimeout(done, 1000);
  void Promise.all(loops).then(() => {
    clearTimeout(cap);
    done();
  });
}

// A kernel whose client or Jupyter server died must not live on (parent-watch.ts: what is
// watched, captured by the kernel's first statement). Watched from this thread because a cell or
// the compiler's start may keep the main thread busy for long. SIGTERM first, as a server would;
// SIGKILL if a cell's own SIGTERM handler kept the process alive.
const parentWatch = watchLaunch(launch, (why) => {
  warn(`nnlab kernel: ${why}; ending.`);
  process.kill(process.pid, "SIGTERM");
  setTimeout(() => process.kill(process.pid, "SIGKILL"), 5000);
});

Promise.all([control.bind(address(connInfo.control_port)), hb.bind(address(connInfo.hb_port))]).then(
  () => {
    port.postMessage({ type: "ready" });
    loops = [serveControl().catch(() => undefined), serveHeartbeat().catch(() => undefined)];
  },
  (e: unknown) => port.postMessage({ type: "failed", message: String(e) }),
);
