/**
 * A stand-in for the kernel's comm bridge (kernel-lib/src/widgets/bridge.ts), installed at
 * globalThis[Symbol.for("nnlab.comm")] as the nnlab kernel does: it records what widgets send
 * and lets a test play the front end, without a kernel.
 */
import type { CommBridge, CommChannel, CommTargetHandler, OutputSink } from "../../kernel-lib/src/widgets/bridge";

export interface Sent {
  type: "open" | "msg" | "close";
  commId: string;
  targetName: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  buffers: (ArrayBuffer | ArrayBufferView)[];
}

export interface FakeBridge {
  sent: Sent[];
  comms: Map<string, CommChannel>;
  targets: Map<string, CommTargetHandler>;
  /** The front end sends `data` on comm `commId`. */
  fromFrontEnd(commId: string, data: Record<string, unknown>, buffers?: Uint8Array[]): void;
  /** The front end closes comm `commId`. */
  closeFromFrontEnd(commId: string): void;
  /** The comm_open state of the widget with model id `id`. */
  openState(id: string): Record<string, unknown>;
  uninstall(): void;
}

const key = Symbol.for("nnlab.comm");

export function installFakeBridge(): FakeBridge {
  const sent: Sent[] = [];
  const comms = new Map<string, CommChannel>();
  const targets = new Map<string, CommTargetHandler>();
  let next = 0;
  const sinks: OutputSink[] = [];
  const channel = (commId: string, targetName: string): CommChannel => {
    const c: CommChannel = {
      commId,
      targetName,
      onMessage: null,
      onClose: null,
      send(data, buffers = [], metadata = {}) {
        if (comms.get(commId) !== c) return;
        sent.push({ type: "msg", commId, targetName, data: JSON.parse(JSON.stringify(data)), metadata, buffers });
      },
      close(data = {}) {
        if (comms.get(commId) !== c) return;
        comms.delete(commId);
        sent.push({ type: "close", commId, targetName, data, metadata: {}, buffers: [] });
      },
    };
    comms.set(commId, c);
    return c;
  };
  const bridge: CommBridge = {
    version: 1,
    open(targetName, data, options = {}) {
      const commId = options.commId ?? `comm-${++next}`;
      const c = channel(commId, targetName);
      sent.push({
        type: "open",
        commId,
        targetName,
        data: JSON.parse(JSON.stringify(data)),
        metadata: options.metadata ?? {},
        buffers: options.buffers ?? [],
      });
      return c;
    },
    registerTarget(targetName, handler) {
      targets.set(targetName, handler);
    },
    captureOutput<T>(sink: OutputSink, fn: () => T): T {
      sinks.push(sink);
      try {
        return fn();
      } finally {
        sinks.pop();
      }
    },
  };
  (globalThis as Record<symbol, unknown>)[key] = bridge;
  return {
    sent,
    comms,
    targets,
    fromFrontEnd(commId, data, buffers = []) {
      comms.get(commId)?.onMessage?.(data, buffers);
    },
    closeFromFrontEnd(commId) {
      const c = comms.get(commId);
      comms.delete(commId);
      c?.onClose?.({});
    },
    openState(id) {
      const open = sent.find((s) => s.type === "open" && s.commId === id);
      if (!open) throw new Error(`no comm_open for ${id}`);
      return (open.data as { state: Record<string, unknown> }).state;
    },
    uninstall() {
      delete (globalThis as Record<symbol, unknown>)[key];
    },
  };
}
