/**
 * Turning one request's iopub messages into nbformat outputs, shared by both back ends:
 * consecutive stream chunks of one name merge into one output (as nbclient does), the byte cap
 * applies while collecting, `clear_output` (also with `wait`) is honoured, and
 * `update_display_data` rewrites every collected output that shows the same display_id.
 */
import type { IMimeBundle } from "@jupyterlab/nbformat";
import type { PartialJSONObject } from "@lumino/coreutils";
import type { ExecuteOptions, Output } from "./client";

type DisplayOutput = Extract<Output, { output_type: "display_data" }>;
type ErrorOutput = Extract<Output, { output_type: "error" }>;

/** display_id → outputs showing it; lives as long as the kernel, so later cells can update earlier ones. */
export type DisplayRegistry = Map<string, DisplayOutput[]>;

export class OutputCollector {
  readonly outputs: Output[] = [];
  executionCount: number | null = null;
  idle = false;
  truncated = false;
  private streamBytes = 0;
  private clearOnNext = false;

  constructor(
    private readonly options: ExecuteOptions,
    private readonly displays: DisplayRegistry,
  ) {}

  get firstError(): ErrorOutput | undefined {
    return this.outputs.find((o): o is ErrorOutput => o.output_type === "error");
  }

  /** Feeds one iopub message (type and content) belonging to this request. */
  add(msgType: string, c: Record<string, unknown>): void {
    switch (msgType) {
      case "status":
        if (c.execution_state === "idle") this.idle = true;
        break;
      case "execute_input":
        this.executionCount = (c.execution_count as number | undefined) ?? this.executionCount;
        this.options.onStart?.(this.executionCount);
        break;
      case "stream":
        this.stream(c.name === "stderr" ? "stderr" : "stdout", String(c.text ?? ""));
        break;
      case "display_data": {
        const out: DisplayOutput = { output_type: "display_data", data: asMimeBundle(c.data), metadata: asJson(c.metadata) };
        const id = displayId(c);
        if (id) {
          out.transient = { display_id: id };
          this.displays.set(id, [...(this.displays.get(id) ?? []), out]);
        }
        this.push(out);
        break;
      }
      case "update_display_data": {
        const id = displayId(c);
        for (const out of (id && this.displays.get(id)) || []) {
          out.data = asMimeBundle(c.data);
          out.metadata = asJson(c.metadata);
          this.options.onDisplayUpdate?.(out);
        }
        break;
      }
      case "execute_result":
        this.executionCount = (c.execution_count as number | undefined) ?? this.executionCount;
        this.push({ output_type: "execute_result", execution_count: this.executionCount, data: asMimeBundle(c.data), metadata: asJson(c.metadata) });
        break;
      case "error":
        this.push({
          output_type: "error",
          ename: String(c.ename ?? "Error"),
          evalue: String(c.evalue ?? ""),
          traceback: Array.isArray(c.traceback) ? c.traceback.map(String) : [],
        });
        break;
      case "clear_output":
        if (c.wait) this.clearOnNext = true;
        else this.clear();
        break;
      case "comm_open":
      case "comm_msg":
      case "comm_close":
        this.options.onComm?.(msgType, c);
        break;
    }
  }

  private clear(): void {
    this.outputs.length = 0;
    this.clearOnNext = false;
  }

  private push(out: Output): void {
    if (this.clearOnNext) this.clear();
    this.outputs.push(out);
    this.options.onOutput?.(out);
  }

  private stream(name: "stdout" | "stderr", text: string): void {
    const cap = this.options.maxOutputBytes;
    if (cap !== undefined) {
      if (this.truncated) return;
      const bytes = Buffer.byteLength(text);
      if (this.streamBytes + bytes > cap) {
        text =
          Buffer.from(text)
            .subarray(0, Math.max(0, cap - this.streamBytes))
            .toString() + `\n[nnlab: output truncated at ${cap} bytes]\n`;
        this.truncated = true;
      }
      this.streamBytes += bytes;
    }
    const last = this.outputs[this.outputs.length - 1];
    if (!this.clearOnNext && last?.output_type === "stream" && last.name === name) {
      last.text += text;
      this.options.onOutput?.({ output_type: "stream", name, text });
    } else {
      this.push({ output_type: "stream", name, text });
    }
  }
}

/** A message field that should be an object: the parsed JSON of a kernel message, hence JSON. */
function asJson(v: unknown): PartialJSONObject {
  return v && typeof v === "object" ? (v as PartialJSONObject) : {};
}

function asMimeBundle(v: unknown): IMimeBundle {
  return asJson(v) as IMimeBundle;
}

function displayId(c: Record<string, unknown>): string | undefined {
  const t = c.transient as { display_id?: unknown } | undefined;
  return typeof t?.display_id === "string" ? t.display_id : undefined;
}
