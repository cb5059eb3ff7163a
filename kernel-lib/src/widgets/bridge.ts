/**
 * The one contract between nnlab (this library, loaded by a notebook) and the nnlab kernel for
 * Jupyter comms. The kernel (cli/src/tslab/comm-bridge.ts) puts an object of type
 * {@link CommBridge} at `globalThis[Symbol.for("nnlab.comm")]` before any cell runs; the widgets
 * read it from there. A global symbol rather than a module lookup (display/kernel.ts finds tslab's
 * module in require.cache) because the kernel is ours: it can publish a stable, versioned object,
 * and any copy of nnlab a notebook loads sees the same one.
 *
 * Outside the nnlab kernel (plain node, vitest, another kernel) the global is absent: widgets
 * still work as objects (`.value`, `.observe`) and open no comm.
 *
 * Protocol (Jupyter messaging 5.3, "Custom messages"): `data` is the comm message's JSON content
 * `data`, `buffers` its binary frames after the four JSON parts (ZeroMQ multipart), in order.
 */

/** The global key the kernel sets. `Symbol.for`, so every realm and library copy shares it. */
export const commBridgeKey: unique symbol = Symbol.for("nnlab.comm");

/** Binary frames of one comm message. */
export type CommBuffers = ArrayBuffer | ArrayBufferView;

/** One comm, either opened by the kernel ({@link CommBridge.open}) or by the front end. */
export interface CommChannel {
  readonly commId: string;
  readonly targetName: string;
  /** `comm_msg` to the front end. */
  send(data: Record<string, unknown>, buffers?: CommBuffers[], metadata?: Record<string, unknown>): void;
  /** `comm_close` to the front end; the kernel forgets the comm. Closing twice does nothing. */
  close(data?: Record<string, unknown>): void;
  /** Called for every `comm_msg` from the front end (buffers as Node Buffers). */
  onMessage: ((data: Record<string, unknown>, buffers: Uint8Array[]) => void) | null;
  /** Called once when the front end closes the comm (`comm_close`). */
  onClose: ((data: Record<string, unknown>) => void) | null;
}

/** What a front end's `comm_open` for a registered target receives. */
export type CommTargetHandler = (comm: CommChannel, data: Record<string, unknown>, buffers: Uint8Array[]) => void;

/**
 * Where output written inside {@link CommBridge.captureOutput} goes instead of the cell. Returning
 * `false` declines the message and the kernel publishes it as usual (an `update_display_data` for
 * a figure shown in a cell, not in the Output widget).
 */
export type OutputSink = (
  msgType: "stream" | "display_data" | "update_display_data" | "clear_output" | "execute_result" | "error",
  content: Record<string, unknown>,
) => boolean | undefined;

export interface CommBridge {
  /** Bumped on an incompatible change; widgets check it. */
  readonly version: 1;
  /** Opens a comm from the kernel: `comm_open` with `target_name`, `data`, `metadata`, `buffers`. */
  open(
    targetName: string,
    data: Record<string, unknown>,
    options?: { metadata?: Record<string, unknown>; buffers?: CommBuffers[]; commId?: string },
  ): CommChannel;
  /**
   * Handles the front end's `comm_open` for `targetName` (e.g. `jupyter.widget.control`); a
   * `comm_open` for a target nobody registered is answered with `comm_close`, as ipykernel does.
   */
  registerTarget(targetName: string, handler: CommTargetHandler): void;
  /**
   * Runs `fn` with every output it writes (console.log, display, clear_output), in it and in its
   * async continuations, handed to `sink` instead of going to a cell. Used by the Output widget.
   */
  captureOutput<T>(sink: OutputSink, fn: () => T): T;
}

/** The kernel's bridge, or undefined outside the nnlab kernel. */
export function commBridge(): CommBridge | undefined {
  const b = (globalThis as { [commBridgeKey]?: CommBridge })[commBridgeKey];
  return b && b.version === 1 ? b : undefined;
}
