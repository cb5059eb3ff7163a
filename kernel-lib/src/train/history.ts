/** History: what fit() recorded, per epoch (Keras's `history.history`) and per step. */
import { inspectCustom, jupyterDisplay } from "../tensor/symbols";
import { linePlot } from "../plot/line";
import type { Figure } from "../plot/figure";

export class History {
  /** Every per-epoch series by its log name: "loss", "val_loss", "accuracy", "val_accuracy", … */
  readonly history: Record<string, number[]> = {};
  /** The training loss of every optimisation step, in order. */
  readonly stepLoss: number[] = [];
  /** Epochs run (1-based numbers). */
  readonly epoch: number[] = [];
  /** True when a callback stopped training before the last epoch. */
  stoppedEarly: boolean = false;

  /** Mean training loss of each epoch (sample-weighted over its batches). */
  get loss(): number[] {
    return this.history.loss ?? [];
  }
  /** Validation loss after each epoch (empty without validation data). */
  get valLoss(): number[] {
    return this.history.val_loss ?? [];
  }
  get epochs(): number {
    return this.epoch.length;
  }

  /** @internal */
  record(epoch: number, logs: Record<string, number>): void {
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (this.history[k] ??= []).push(v);
  }

  /** The per-epoch curves; `logY` for a log scale. */
  plot(options: { title?: string; logY?: boolean; keys?: string[] } = {}): Figure {
    const keys = options.keys ?? Object.keys(this.history).filter((k) => k.endsWith("loss"));
    const series = keys.map((k) => ({ name: k, x: this.epoch, y: this.history[k] }));
    return linePlot(series, {
      title: options.title ?? "loss per epoch",
      xLabel: "epoch",
      yLabel: "loss",
      logY: options.logY,
      markers: this.epochs <= 30,
    });
  }

  /** A table of the epochs (the last 10 when there are more). */
  toString(): string {
    const keys = Object.keys(this.history);
    const rows = this.epoch.map((e, i) => [String(e), ...keys.map((k) => fmt(this.history[k][i]))]);
    const shown = rows.length > 10 ? [...rows.slice(0, 3), keys.map(() => "…").concat("…"), ...rows.slice(-6)] : rows;
    const header = ["epoch", ...keys];
    const widths = header.map((h, j) => Math.max(h.length, ...shown.map((r) => (r[j] ?? "").length)));
    const line = (r: string[]): string => r.map((c, j) => c.padStart(widths[j])).join("  ");
    const title = `History(${this.epochs} epoch${this.epochs === 1 ? "" : "s"}${this.stoppedEarly ? ", stopped early" : ""})`;
    return [title, line(header), ...shown.map(line)].join("\n");
  }
}

function fmt(v: number | undefined): string {
  if (v === undefined) return "";
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(4) : v.toFixed(6);
}

export interface History {
  [inspectCustom](): string;
  [jupyterDisplay](): Record<string, string>;
}
Object.defineProperty(History.prototype, inspectCustom, {
  value(this: History): string {
    return this.toString();
  },
});
Object.defineProperty(History.prototype, jupyterDisplay, {
  value(this: History): Record<string, string> {
    return { "text/plain": this.toString() };
  },
});
