/**
 * The `jupyter.widget.control` comm target (widget protocol 2.1): a front end that connects to
 * a running kernel (a reloaded page, a second tab) opens it and sends `{method: "request_states"}`
 * to get every live widget's state in one reply, `{method: "update_states", states, buffer_paths}`,
 * with buffer paths `[model id, "state", …key path]`. Without it, managers fall back to asking
 * each comm from comm_info_request, one `request_state` at a time.
 */
import { commBridge } from "./bridge";
import { openWidgets } from "./widget";

export const controlTarget = "jupyter.widget.control";

function allStates(): { states: Record<string, unknown>; bufferPaths: (string | number)[][]; buffers: (ArrayBuffer | ArrayBufferView)[] } {
  const states: Record<string, unknown> = {};
  const bufferPaths: (string | number)[][] = [];
  const buffers: (ArrayBuffer | ArrayBufferView)[] = [];
  for (const [id, widget] of openWidgets) {
    const wire = widget.wireState();
    states[id] = {
      model_name: widget.get("_model_name"),
      model_module: widget.get("_model_module"),
      model_module_version: widget.get("_model_module_version"),
      state: wire.state,
    };
    wire.bufferPaths.forEach((p, i) => {
      bufferPaths.push([id, "state", ...p]);
      buffers.push(wire.buffers[i]!);
    });
  }
  return { states, bufferPaths, buffers };
}

/** Registers the control target with the kernel, once per library copy; nothing outside a kernel. */
export function registerControlTarget(): void {
  const bridge = commBridge();
  if (!bridge) return;
  bridge.registerTarget(controlTarget, (comm) => {
    comm.onMessage = (data) => {
      if (data.method !== "request_states") return;
      const all = allStates();
      comm.send({ method: "update_states", states: all.states, buffer_paths: all.bufferPaths }, all.buffers);
    };
  });
}
