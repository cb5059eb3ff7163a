import { inspect } from "node:util";
import { inKernel } from "../display/kernel";
import { newDisplay, type LiveDisplay } from "../display/live";
import type { MimeBundle } from "../display/mime";
import { Figure, figureBundle, plotlyMimeType } from "./figure";

/** What a fit loop reports, per step or per epoch. Epochs count from 1. */
export interface ProgressUpdate {
  epoch: number;
  epochs: number;
  /** Step within the epoch (1-based) and steps per epoch: the curve then gets fractional epochs. */
  step?: number;
  steps?: number;
  loss: number;
  valLoss?: number;
  metrics?: Record<string, number>;
  samplesPerSec?: number;
}

/** Options of {@link LiveLossPlot}. */
export interface LiveLossPlotOptions {
  title?: string;
  /** Outside a kernel, print one line per epoch to stdout (default: print nothing). */
  verbose?: boolean;
  /** Minimum time between two sent updates (default 250 ms); the last update is always shown. */
  throttleMs?: number;
  /** Logarithmic loss axis. */
  logY?: boolean;
  /** Draw the loss curve (default true); false shows the status line only. */
  plot?: boolean;
  /** Milliseconds clock (tests); default `performance.now`. */
  clock?: () => number;
  /** Line sink outside a kernel (tests); default stdout. */
  write?: (line: string) => void;
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(3) : v.toFixed(4);
}

function fmtDuration(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

/** Text as HTML; non-ASCII as character references, right even in a page without a charset. */
function escapeHtml(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/[\u007f-\uffff]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Training progress shown as ONE output updated in place: a status line (epoch, losses, metrics,
 * speed, time) and a live loss curve. `update()` may be called every step; sends are throttled,
 * and `end()` sends the final state. Outside a kernel nothing is shown unless `verbose`.
 */
export class LiveLossPlot {
  /** x (fractional epoch) and y of every recorded training loss. */
  readonly loss: { x: number[]; y: number[] } = { x: [], y: [] };
  /** Epoch and value of every recorded validation loss. */
  readonly valLoss: { x: number[]; y: number[] } = { x: [], y: [] };
  private readonly options: LiveLossPlotOptions;
  private readonly clock: () => number;
  private readonly live: LiveDisplay = newDisplay();
  private last: ProgressUpdate | undefined;
  private startedAt: number | undefined;
  private lastSentAt = -Infinity;
  private pending = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private printedEpoch = 0;
  private ended = false;
  /** Number of messages sent to the notebook (tests and diagnostics). */
  sends = 0;

  constructor(options: LiveLossPlotOptions = {}) {
    this.options = options;
    this.clock = options.clock ?? (() => performance.now());
  }

  /** Records one report and refreshes the output (at most every `throttleMs`). */
  update(u: ProgressUpdate): void {
    if (!Number.isFinite(u.epoch) || !Number.isFinite(u.epochs)) {
      throw new Error(`LiveLossPlot.update: epoch and epochs must be numbers, got epoch=${u.epoch}, epochs=${u.epochs}`);
    }
    const now = this.clock();
    this.startedAt ??= now;
    const prev = this.last;
    if (prev && u.epoch > prev.epoch) this.printEpoch(prev);
    // An epoch summary after per-step reports keeps the speed those measured.
    if (u.samplesPerSec === undefined && prev?.epoch === u.epoch && prev.samplesPerSec !== undefined) {
      u = { ...u, samplesPerSec: prev.samplesPerSec };
    }
    this.last = u;
    const x = u.step !== undefined && u.steps ? u.epoch - 1 + u.step / u.steps : u.epoch;
    record(this.loss, x, u.loss);
    if (u.valLoss !== undefined) record(this.valLoss, u.epoch, u.valLoss);
    // A per-step report never prints: the epoch's summary (val_loss, metrics) may follow it. An
    // epoch reported only per step prints when the next epoch starts, or at end().
    if (u.step === undefined) this.printEpoch(u);
    if (!inKernel()) return;
    const throttle = this.options.throttleMs ?? 250;
    if (now - this.lastSentAt >= throttle) {
      this.send();
    } else {
      this.pending = true;
      // The loop may stop reporting for a while (a slow validation pass): show the latest state
      // once the throttle window ends rather than leaving a stale line.
      if (this.timer === undefined) {
        this.timer = setTimeout(
          () => {
            this.timer = undefined;
            if (this.pending && !this.ended) this.send();
          },
          Math.max(0, throttle - (now - this.lastSentAt)),
        );
        this.timer.unref?.();
      }
    }
  }

  /** Sends the final state (always, whatever the throttle) and prints the last epoch line. */
  end(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.last) {
      this.printEpoch(this.last);
      if (inKernel()) this.send();
    }
    this.ended = true;
  }

  /** The status line as text: `epoch 3/10 · loss 0.1234 · val_loss 0.2345 · acc 0.9100 · 1200 samples/s · 4.2 s`. */
  statusText(): string {
    const u = this.last;
    if (!u) return "no progress reported yet";
    let where = `epoch ${u.epoch}/${u.epochs}`;
    if (u.step !== undefined) where += u.steps ? ` step ${u.step}/${u.steps}` : ` step ${u.step}`;
    const parts = [where];
    parts.push(`loss ${fmt(u.loss)}`);
    if (u.valLoss !== undefined) parts.push(`val_loss ${fmt(u.valLoss)}`);
    for (const [k, v] of Object.entries(u.metrics ?? {})) parts.push(`${k} ${fmt(v)}`);
    if (u.samplesPerSec !== undefined) parts.push(`${Math.round(u.samplesPerSec)} samples/s`);
    if (this.startedAt !== undefined) parts.push(fmtDuration(this.clock() - this.startedAt));
    return parts.join(" · ");
  }

  /**
   * The live loss curve as a figure. Its title carries the status line, since front ends with a
   * plotly renderer show only the plot; `withStatus: false` leaves it to the HTML line above.
   */
  figure(options: { withStatus?: boolean } = {}): Figure {
    const loss = decimate(this.loss, maxPlottedPoints);
    const data = [{ type: "scatter", mode: "lines", name: "loss", x: loss.x, y: loss.y }];
    if (this.valLoss.x.length > 0) {
      data.push({ type: "scatter", mode: "lines+markers", name: "val_loss", x: this.valLoss.x, y: this.valLoss.y });
    }
    const epochs = this.last?.epochs;
    const status = options.withStatus === false ? undefined : this.statusText();
    const title = [this.options.title, status].filter((t) => t !== undefined).join(": ");
    const layout: Record<string, unknown> = {
      xaxis: { title: { text: "epoch" }, ...(epochs ? { range: [0, epochs] } : {}) },
      yaxis: { title: { text: "loss" }, ...(this.options.logY ? { type: "log" } : {}) },
      height: 320,
      margin: { t: title ? 50 : 20, b: 45, l: 60, r: 20 },
    };
    if (title) layout.title = { text: title, font: { size: 13 } };
    return new Figure({ data, layout });
  }

  /** The bundle the output shows now. */
  bundle(): MimeBundle {
    const text = this.statusText();
    const line = `<div class="nnlab-progress" style="font-family:monospace;white-space:pre">${escapeHtml(text)}</div>`;
    if (this.options.plot === false) return { "text/html": line, "text/plain": text };
    const json = this.figure().toJSON();
    const html = figureBundle(this.figure({ withStatus: false }))["text/html"] as string;
    return { [plotlyMimeType]: json, "text/html": line + html, "text/plain": text };
  }

  private send(): void {
    this.live.updateBundle(this.bundle());
    this.sends += 1;
    this.lastSentAt = this.clock();
    this.pending = false;
  }

  private printEpoch(u: ProgressUpdate): void {
    if (inKernel() || !this.options.verbose || u.epoch <= this.printedEpoch) return;
    this.printedEpoch = u.epoch;
    const saved = this.last;
    this.last = u;
    const line = this.statusText();
    this.last = saved;
    (this.options.write ?? ((s: string) => process.stdout.write(s + "\n")))(line);
  }
}

// Per-step reporting over a long run would resend ever larger figures every 250 ms; beyond this
// many points the live curve shows an evenly strided subset (always with the latest point).
const maxPlottedPoints = 1000;

function decimate(series: { x: number[]; y: number[] }, max: number): { x: number[]; y: number[] } {
  const n = series.x.length;
  if (n <= max) return series;
  const stride = Math.ceil(n / max);
  const x: number[] = [];
  const y: number[] = [];
  for (let i = (n - 1) % stride; i < n; i += stride) {
    x.push(series.x[i]!);
    y.push(series.y[i]!);
  }
  return { x, y };
}

Object.defineProperty(LiveLossPlot.prototype, inspect.custom, {
  value: function (this: LiveLossPlot): string {
    return `LiveLossPlot(${this.statusText()})`;
  },
});

function record(series: { x: number[]; y: number[] }, x: number, y: number): void {
  // A repeated x (an epoch summary after its last step) replaces the point instead of doubling it.
  const n = series.x.length;
  if (n > 0 && series.x[n - 1] === x) series.y[n - 1] = y;
  else {
    series.x.push(x);
    series.y.push(y);
  }
}

/** A new {@link LiveLossPlot}, as a fit loop creates one. */
export function trainingProgress(options: LiveLossPlotOptions = {}): LiveLossPlot {
  return new LiveLossPlot(options);
}
