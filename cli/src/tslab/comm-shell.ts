/**
 * comm_open, comm_msg, comm_close and comm_info_request from a front end, taken off the shell
 * socket before tslab's dispatch (which knows only comm_info_request, and answers it wrongly)
 * and before the execute queue: handled at once, while a cell awaits too. As ipykernel does,
 * each is wrapped in busy / idle status messages, and whatever the comm handlers send
 * (synchronously or after awaits) has the comm message as its parent.
 *
 * Also installs the bridge nnlab's widgets use: globalThis[Symbol.for("nnlab.comm")], whose
 * contract is documented in kernel-lib/src/widgets/bridge.ts.
 */
import { randomUUID } from "node:crypto";
import { messageFrames, parseMessage, type Json } from "./comm-frames";
import { CommManager } from "./comm-manager";
import { captureOutput, currentParent, withParent } from "./output-capture";
import type { SendSocket } from "./sockets";

const commTypes = new Set(["comm_open", "comm_msg", "comm_close", "comm_info_request"]);
const kernelSession = randomUUID();

let installed: { manager: CommManager; key: string; iopub: SendSocket } | null = null;

/** Creates the comm manager over `iopub` and publishes the bridge. Idempotent. */
export function installComms(key: string, iopub: SendSocket): CommManager {
  if (installed) return installed.manager;
  const manager = new CommManager((msgType, content, metadata, buffers) => {
    const topic = Buffer.from(`comm-${String(content.comm_id)}`);
    iopub.send(
      messageFrames(key, { identities: [topic], parentHeader: currentParent(), msgType, content, metadata, buffers, fallbackSession: kernelSession }),
    );
  });
  installed = { manager, key, iopub };
  // A front end restoring a notebook opens `jupyter.widget.control` as soon as the kernel is up,
  // possibly before nnlab (whose widgets answer it with every live widget) has been imported.
  // Until then no widget exists: the answer is an empty state, not a closed comm, so the manager
  // goes on to restore the notebook's saved widgets. nnlab's own handler replaces this one.
  manager.registerTarget("jupyter.widget.control", (comm) => {
    comm.onMessage = (data) => {
      if (data.method === "request_states") comm.send({ method: "update_states", states: {}, buffer_paths: [] });
    };
  });
  const bridge = {
    version: 1 as const,
    open: (targetName: string, data: Json, options?: { metadata?: Json; buffers?: (ArrayBuffer | ArrayBufferView)[]; commId?: string }) =>
      manager.open(targetName, data, options),
    registerTarget: (targetName: string, handler: Parameters<CommManager["registerTarget"]>[1]) => manager.registerTarget(targetName, handler),
    captureOutput,
  };
  Object.defineProperty(globalThis, Symbol.for("nnlab.comm"), { value: bridge, configurable: true, enumerable: false, writable: false });
  return manager;
}

/** True when the frames were a comm message (handled here; nothing for tslab to do). */
export function handleCommShell(sock: SendSocket, frames: Buffer[]): boolean {
  if (!installed) return false;
  // Cheap check first: most shell traffic is execute_request.
  const at = frames.findIndex((f) => f.toString() === "<IDS|MSG>");
  const headerFrame = at >= 0 ? frames[at + 2] : undefined;
  if (!headerFrame || !/"msg_type":\s*"(comm_open|comm_msg|comm_close|comm_info_request)"/.test(headerFrame.toString())) return false;
  const { manager, key, iopub } = installed;
  const msg = parseMessage(key, frames);
  if (!msg) return true; // bad signature or malformed: dropped, as tslab drops them
  const msgType = String(msg.header.msg_type);
  if (!commTypes.has(msgType)) return false;
  const status = (state: "busy" | "idle"): void => {
    iopub.send(
      messageFrames(key, {
        identities: msg.identities,
        parentHeader: msg.header,
        msgType: "status",
        content: { execution_state: state },
        fallbackSession: kernelSession,
      }),
    );
  };
  status("busy");
  try {
    if (msgType === "comm_info_request") {
      sock.send(
        messageFrames(key, {
          identities: msg.identities,
          parentHeader: msg.header,
          msgType: "comm_info_reply",
          content: manager.info(msg.content.target_name),
          fallbackSession: kernelSession,
        }),
      );
    } else {
      withParent(msg.header, () => manager.receive(msgType, msg.content, msg.buffers));
    }
  } finally {
    status("idle");
  }
  return true;
}
