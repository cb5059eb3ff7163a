/**
 * Output (@jupyter-widgets/output 1.0.0 OutputModel): a box of notebook outputs.
 *
 * The kernel writes the `outputs` state itself (a list of nbformat outputs) rather than setting
 * `msg_id` and letting the front end capture messages with that parent. Why:
 * - jupyterlab-manager 5 renders `outputs` directly (OutputModel.setOutputs on change:outputs),
 *   and so do the html manager, VS Code and saved widget state (a saved notebook shows the last
 *   result); `msg_id` capture needs a kernel message hook in the front end, which the html
 *   manager and a static page lack.
 * - capture by `msg_id` only takes messages whose parent is that request, but interact runs are
 *   started by comm messages and continue after awaits: the parent is not stable.
 * - jupyterlab-manager's capture ignores `update_display_data`, so a figure could not be redrawn
 *   in place inside it; here an update replaces the output that has its display id.
 * What goes in: everything written inside {@link Output.capture} (console.log, `display`,
 * figures, `clearOutput`), via the kernel's capture (bridge.ts), and {@link Output.write}.
 */
import { inspect } from "node:util";
import { toMimeBundle } from "../display/display";
import { commBridge, type OutputSink } from "./bridge";
import { domState, DOMWidget, type DOMWidgetOptions } from "./dom";
import { modelKeys, outputModule, outputVersion, type Origin } from "./widget";

/** One nbformat 4 output, as stored in the Output widget's `outputs`. */
export type NotebookOutput = Record<string, unknown> & { output_type: string };

export type OutputOptions = DOMWidgetOptions;

export class Output extends DOMWidget {
  private readonly displayIds = new Map<string, NotebookOutput>();
  private clearOnNext = false;
  private flushScheduled = false;
  private lastFlush = 0;
  private current: NotebookOutput[] = [];

  constructor(options?: OutputOptions) {
    super(
      domState(
        "Output",
        {
          ...modelKeys("OutputModel", outputModule, outputVersion, { name: "OutputView", module: outputModule, version: outputVersion }),
          msg_id: "",
          outputs: [],
        },
        options,
        [],
        null,
      ),
    );
  }

  /** The outputs shown, oldest first (nbformat 4 output dicts). */
  get outputs(): readonly NotebookOutput[] {
    return this.current;
  }

  /**
   * Runs `fn` with what it writes (console.log, `display`, figures), also after its awaits,
   * going into this widget instead of the cell. Outside the nnlab kernel it just runs `fn`.
   */
  capture<T>(fn: () => T): T {
    const bridge = commBridge();
    return bridge ? bridge.captureOutput(this.sink, fn) : fn();
  }

  /** The sink {@link capture} hands to the kernel: one Jupyter iopub message at a time. */
  readonly sink: OutputSink = (msgType, content) => this.write(msgType, content);

  /**
   * Adds what one iopub message (`stream`, `display_data`, `update_display_data`,
   * `execute_result`, `error`, `clear_output`) would add to a cell's outputs. Returns false for
   * an update of a display that is not in this widget (a figure shown in a cell): not ours.
   */
  write(msgType: string, content: Record<string, unknown>): boolean {
    if (msgType === "clear_output") {
      if (content.wait === true) this.clearOnNext = true;
      else this.clear();
      return true;
    }
    if (msgType === "update_display_data") {
      const id = (content.transient as { display_id?: string } | undefined)?.display_id;
      const target = id === undefined ? undefined : this.displayIds.get(id);
      if (!target) return false;
      target.data = content.data;
      target.metadata = content.metadata ?? {};
      if (this.clearOnNext) {
        // A re-run that redraws its figure in place: the figure stays, the rest is cleared.
        this.clearOnNext = false;
        this.current = [target];
        this.displayIds.clear();
        this.displayIds.set(id!, target);
      }
      this.scheduleFlush();
      return true;
    }
    if (this.clearOnNext) this.clear();
    const last = this.current[this.current.length - 1];
    if (msgType === "stream") {
      if (last && last.output_type === "stream" && last.name === content.name) last.text = String(last.text) + String(content.text);
      else this.current.push({ output_type: "stream", name: content.name, text: String(content.text) });
    } else if (msgType === "display_data" || msgType === "execute_result") {
      const out: NotebookOutput = { output_type: msgType, data: content.data, metadata: content.metadata ?? {} };
      if (msgType === "execute_result") out.execution_count = null;
      this.current.push(out);
      const id = (content.transient as { display_id?: string } | undefined)?.display_id;
      if (id !== undefined) this.displayIds.set(id, out);
    } else if (msgType === "error") {
      this.current.push({ output_type: "error", ename: content.ename, evalue: content.evalue, traceback: content.traceback ?? [] });
    } else return false;
    this.scheduleFlush();
    return true;
  }

  /** Appends text as stdout. */
  appendStdout(text: string): void {
    this.write("stream", { name: "stdout", text });
  }

  /** Appends `x` rendered as `display(x)` would. */
  appendDisplay(x: unknown): void {
    this.write("display_data", { data: toMimeBundle(x), metadata: {} });
  }

  /** Removes every output (with `wait`, only when the next one arrives, so nothing flickers). */
  clear(wait = false): void {
    if (wait) {
      this.clearOnNext = true;
      return;
    }
    this.clearOnNext = false;
    this.current = [];
    this.displayIds.clear();
    this.scheduleFlush();
  }

  /** Ends a pending `clear(true)` that no output followed: the box empties after all. */
  settleClear(): void {
    if (this.clearOnNext) this.clear();
  }

  /** Sends the outputs now instead of at the next turn of the event loop. */
  flush(): void {
    this.flushScheduled = false;
    this.lastFlush = Date.now();
    // Copies: the front end gets a snapshot, later appends to a stream must not alias it.
    this.set({ outputs: this.current.map((o) => ({ ...o })) });
  }

  protected override coerce(name: string, value: unknown, origin: Origin): unknown {
    if (name !== "outputs") return value;
    if (!Array.isArray(value)) throw new TypeError(`Output: outputs must be an array of nbformat outputs, got ${inspect(value, { depth: 0 })}`);
    // A front end that captured output itself (msg_id) reports it back: keep it.
    if (origin === "frontend") {
      this.current = (value as NotebookOutput[]).map((o) => ({ ...o }));
      this.displayIds.clear();
    }
    return value;
  }

  /**
   * Many small writes become one state update: those of one synchronous stretch (a microtask,
   * so a cell's writes are sent before its execute_reply, and a client that saves widget state
   * at the end of the cell, as nbclient does, sees them), and at most one update per 50 ms
   * while an async loop writes between awaits (each update carries the whole list).
   */
  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    const run = (): void => {
      if (this.flushScheduled && !this.closed) this.flush();
    };
    const wait = this.lastFlush + 50 - Date.now();
    if (wait <= 0) queueMicrotask(run);
    else setTimeout(run, wait);
  }
}
