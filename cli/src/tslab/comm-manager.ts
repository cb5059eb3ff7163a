/**
 * The kernel's comms (Jupyter messaging 5.3, "Custom messages"): a table of open comms with
 * their target names, comm_open / comm_msg / comm_close in both directions with buffers, and
 * comm_info_request. Widgets in nnlab reach it through the bridge object (comm-bridge.ts).
 *
 * Front-end comm messages are handled as soon as they arrive (comm-shell.ts), never behind the
 * execute queue: while the kernel is idle, and between the awaits of a running cell.
 */
import { randomUUID } from "node:crypto";
import type { Json } from "./comm-frames";

type Buffers = (ArrayBuffer | ArrayBufferView)[];

/** What the manager sends: one iopub message with the current parent. */
export type PublishComm = (msgType: "comm_open" | "comm_msg" | "comm_close", content: Json, metadata: Json, buffers: Buffers) => void;

export interface Comm {
  readonly commId: string;
  readonly targetName: string;
  send(data: Json, buffers?: Buffers, metadata?: Json): void;
  close(data?: Json): void;
  onMessage: ((data: Json, buffers: Uint8Array[]) => void) | null;
  onClose: ((data: Json) => void) | null;
}

export type TargetHandler = (comm: Comm, data: Json, buffers: Uint8Array[]) => void;

function reportHandlerError(what: string, e: unknown): void {
  // The comm stays usable; the student sees why their callback failed.
  console.error(`nnlab kernel: the ${what} handler threw:`, e);
}

export class CommManager {
  private readonly comms = new Map<string, Comm>();
  private readonly targets = new Map<string, TargetHandler>();

  constructor(private readonly publish: PublishComm) {}

  /** Opens a comm from the kernel side (comm_open on iopub). */
  open(targetName: string, data: Json, options: { metadata?: Json; buffers?: Buffers; commId?: string } = {}): Comm {
    const commId = options.commId ?? randomUUID().replace(/-/g, "");
    if (this.comms.has(commId)) throw new Error(`comm ${commId} is already open`);
    const comm = this.makeComm(commId, targetName);
    this.publish("comm_open", { comm_id: commId, target_name: targetName, data }, options.metadata ?? {}, options.buffers ?? []);
    return comm;
  }

  registerTarget(targetName: string, handler: TargetHandler): void {
    this.targets.set(targetName, handler);
  }

  /** comm_info_reply content: the open comms, only those of `targetName` when one is given. */
  info(targetName?: unknown): Json {
    const comms: Record<string, { target_name: string }> = {};
    for (const [id, comm] of this.comms) {
      if (typeof targetName === "string" && targetName !== "" && comm.targetName !== targetName) continue;
      comms[id] = { target_name: comm.targetName };
    }
    return { status: "ok", comms };
  }

  /** A front end's comm_open, comm_msg or comm_close. */
  receive(msgType: string, content: Json, buffers: Uint8Array[]): void {
    const commId = typeof content.comm_id === "string" ? content.comm_id : "";
    const data = (content.data && typeof content.data === "object" ? content.data : {}) as Json;
    if (msgType === "comm_open") {
      const targetName = String(content.target_name ?? "");
      const handler = this.targets.get(targetName);
      if (!handler || commId === "" || this.comms.has(commId)) {
        // ipykernel's answer to a target nobody registered: close it again.
        this.publish("comm_close", { comm_id: commId, data: {} }, {}, []);
        return;
      }
      const comm = this.makeComm(commId, targetName);
      try {
        handler(comm, data, buffers);
      } catch (e) {
        reportHandlerError(`comm_open for target "${targetName}"`, e);
      }
    } else if (msgType === "comm_msg") {
      const comm = this.comms.get(commId);
      if (!comm?.onMessage) return;
      try {
        comm.onMessage(data, buffers);
      } catch (e) {
        reportHandlerError(`comm_msg (target "${comm.targetName}")`, e);
      }
    } else if (msgType === "comm_close") {
      const comm = this.comms.get(commId);
      if (!comm) return;
      this.comms.delete(commId);
      try {
        comm.onClose?.(data);
      } catch (e) {
        reportHandlerError(`comm_close (target "${comm.targetName}")`, e);
      }
    }
  }

  private makeComm(commId: string, targetName: string): Comm {
    const comms = this.comms;
    const publish = this.publish;
    const comm: Comm = {
      commId,
      targetName,
      onMessage: null,
      onClose: null,
      send(data, buffers = [], metadata = {}) {
        // A closed comm has no front-end side any more: sending would only produce noise.
        if (comms.get(commId) !== comm) return;
        publish("comm_msg", { comm_id: commId, data }, metadata, buffers);
      },
      close(data = {}) {
        if (comms.get(commId) !== comm) return;
        comms.delete(commId);
        publish("comm_close", { comm_id: commId, data }, {}, []);
      },
    };
    comms.set(commId, comm);
    return comm;
  }
}
