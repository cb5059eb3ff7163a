/**
 * Async context the comm code needs in the kernel:
 * - which request a kernel→front-end message answers: a comm message sent while a front end's
 *   comm_msg is handled (or by code that handler started, across awaits) has that comm_msg as
 *   parent; otherwise the execute_request being run (or the last one);
 * - where output goes: inside captureOutput (the Output widget), to the widget's sink rather than
 *   to the cell.
 * AsyncLocalStorage follows promises and timers, so both survive the awaits of an async callback.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Json } from "./comm-frames";

/** `false`: not taken, publish it as usual (kernel-lib/src/widgets/bridge.ts). */
export type OutputSink = (
  msgType: "stream" | "display_data" | "update_display_data" | "clear_output" | "execute_result" | "error",
  content: Json,
) => boolean | undefined;

const parentStore = new AsyncLocalStorage<Json>();
const sinkStore = new AsyncLocalStorage<OutputSink>();
let executeParent: Json = {};

/** Called when an execute_request starts running. */
export function setExecuteParent(header: Json): void {
  executeParent = header;
}

/** The header kernel→front-end messages name as their parent right now. */
export function currentParent(): Json {
  return parentStore.getStore() ?? executeParent;
}

/** Runs `fn` (a front end's comm message being handled) with `header` as the parent. */
export function withParent<T>(header: Json, fn: () => T): T {
  return parentStore.run(header, fn);
}

export function captureOutput<T>(sink: OutputSink, fn: () => T): T {
  return sinkStore.run(sink, fn);
}

const capturedTypes = new Set(["stream", "display_data", "update_display_data", "clear_output", "execute_result", "error"]);

/**
 * Wraps a cell's publish function: output written inside captureOutput goes to the sink. The
 * cell's own execute_input / execute_result / error never run inside a capture (they are sent by
 * the execute handler, outside any), so they are unaffected.
 */
export function capturing(publish: (type: string, content: unknown) => void): (type: string, content: unknown) => void {
  return (type, content) => {
    const sink = sinkStore.getStore();
    if (sink && capturedTypes.has(type) && sink(type as Parameters<OutputSink>[0], content as Json) !== false) return;
    publish(type, content);
  };
}
