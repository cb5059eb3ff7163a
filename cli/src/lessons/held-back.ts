/**
 * Held-back data: examples a lesson never gives the student, used to grade what a trained model
 * achieves rather than how its code reads. lessons/<nn>/heldback.json, the grader's like
 * expected.json (never released, never in a kernel's working directory):
 *
 *   {"<name>": {"shape": [N, …], "scale": 0.00392…, "offset"?: −4, "base64": "<N·… bytes>", "labels": [N labels]}}
 *
 * The inputs enter the kernel only at grading, and only inside a test cell: the grader rewrites
 * every `heldBack("<name>")` call in a test cell's source to `heldBack("<name>", {shape, scale,
 * base64})` before sending it (the same moment and channel as the hidden tests). The labels never
 * leave the grader: the test cell reports the model's predictions with `reportValue`, and
 * expected.json's case `{"accuracy": {"heldBack": "<name>", "atLeast": 0.95}}` is judged here, and
 * so is `{"loss": {"heldBack": "<name>", "kind": "mse" | "bce", "atMost": 0.01}}` for a model that
 * reports numbers (regression values, probabilities) rather than classes; its labels are targets.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const HELD_BACK_FILE = "heldback.json";

export interface HeldBackSet {
  shape: number[];
  /** Each stored byte times scale, plus offset (default 0), is the input value (1/255 for grey levels). */
  scale: number;
  offset?: number;
  base64: string;
  labels: number[];
}

export type HeldBack = Record<string, HeldBackSet>;

export function readHeldBack(lessonDir: string): HeldBack {
  const file = join(lessonDir, HELD_BACK_FILE);
  if (!existsSync(file)) return {};
  const raw = JSON.parse(readFileSync(file, "utf8")) as Record<string, Partial<HeldBackSet>>;
  for (const [name, set] of Object.entries(raw)) {
    const n = set.shape?.[0];
    const badOffset = set.offset !== undefined && typeof set.offset !== "number";
    if (
      !Array.isArray(set.shape) ||
      typeof n !== "number" ||
      typeof set.scale !== "number" ||
      typeof set.base64 !== "string" ||
      !Array.isArray(set.labels) ||
      badOffset
    ) {
      throw new Error(`${file}: "${name}" needs {shape: [N, …], scale, offset?, base64, labels: [N labels]}`);
    }
    const bytes = Buffer.from(set.base64, "base64").length;
    const size = set.shape.reduce((a, b) => a * b, 1);
    if (bytes !== size || set.labels.length !== n) {
      throw new Error(
        `${file}: "${name}" has shape ${JSON.stringify(set.shape)} (${size} values, ${n} labels) but ${bytes} bytes and ${set.labels.length} labels`,
      );
    }
  }
  return raw as HeldBack;
}

const CALL = /\bheldBack\(\s*"([A-Za-z0-9_-]+)"\s*\)/g;

/** A test cell's source with the named held-back inputs spelled out; unknown names are a grader error. */
export function injectHeldBack(source: string, heldBack: HeldBack, where: string): string {
  return source.replace(CALL, (_, name: string) => {
    const set = heldBack[name];
    if (!set) throw new Error(`${where}: heldBack("${name}") names no set in ${HELD_BACK_FILE} (has: ${Object.keys(heldBack).join(", ") || "none"})`);
    const packed = { shape: set.shape, scale: set.scale, ...(set.offset !== undefined ? { offset: set.offset } : {}), base64: set.base64 };
    return `heldBack(${JSON.stringify(name)}, ${JSON.stringify(packed)})`;
  });
}

export interface AccuracyExpectation {
  heldBack: string;
  atLeast: number;
}

/** The share of predictions equal to the held-back labels, against the stated threshold. */
export function judgeAccuracy(reported: unknown, atLeast: number, labels: number[]): { passed: boolean; message: string } {
  const predictions = numbersOf(reported);
  if (!predictions || predictions.length !== labels.length) {
    return {
      passed: false,
      message: `report one predicted label per held-back example (${labels.length} numbers); got ${predictions ? `${predictions.length} numbers` : "no list of numbers"}`,
    };
  }
  const correct = predictions.reduce((s, p, i) => s + (p === labels[i] ? 1 : 0), 0);
  const accuracy = correct / labels.length;
  const text = `accuracy ${(100 * accuracy).toFixed(1)} % on ${labels.length} held-back examples (needs ≥ ${(100 * atLeast).toFixed(1)} %)`;
  return { passed: accuracy >= atLeast, message: text };
}

export type HeldBackLossKind = "mse" | "bce";

export interface LossExpectation {
  heldBack: string;
  /** mse: mean of (prediction − target)²; bce: binary cross-entropy of probabilities against 0/1 labels. */
  kind: HeldBackLossKind;
  atMost: number;
}

/** Probabilities this close to 0 or 1 are clipped, as PyTorch's BCELoss clamps log at −100. */
const BCE_CLIP = Math.exp(-100);

/** The mean loss of the predictions against the held-back targets, against the stated ceiling. */
export function judgeLoss(reported: unknown, kind: HeldBackLossKind, atMost: number, labels: number[]): { passed: boolean; message: string } {
  const predictions = numbersOf(reported);
  if (!predictions || predictions.length !== labels.length) {
    return {
      passed: false,
      message: `report one prediction per held-back example (${labels.length} numbers); got ${predictions ? `${predictions.length} numbers` : "no list of finite numbers"}`,
    };
  }
  if (kind === "bce" && predictions.some((p) => p < 0 || p > 1)) {
    return { passed: false, message: "report probabilities in [0, 1] (apply the sigmoid to the scores)" };
  }
  const terms = predictions.map((p, i) => {
    const y = labels[i];
    if (kind === "mse") return (p - y) ** 2;
    return -(y * Math.log(Math.max(p, BCE_CLIP)) + (1 - y) * Math.log(Math.max(1 - p, BCE_CLIP)));
  });
  const loss = terms.reduce((a, b) => a + b, 0) / labels.length;
  const name = kind === "mse" ? "mean squared error" : "binary cross-entropy";
  return { passed: loss <= atMost, message: `${name} ${formatLoss(loss)} on ${labels.length} held-back examples (needs ≤ ${formatLoss(atMost)})` };
}

function formatLoss(x: number): string {
  return x !== 0 && Math.abs(x) < 1e-3 ? x.toExponential(2) : x.toPrecision(3);
}

/** The flat numbers of a reported value ({shape, data} from nnlab/grading, or a plain list). */
function numbersOf(v: unknown): number[] | undefined {
  const data = typeof v === "object" && v !== null && "data" in v ? (v as { data: unknown }).data : v;
  if (!Array.isArray(data)) return undefined;
  const out = data.map((x) => (typeof x === "number" ? x : typeof x === "string" ? Number(x) : NaN));
  return out.every((x) => Number.isFinite(x)) ? out : undefined;
}
