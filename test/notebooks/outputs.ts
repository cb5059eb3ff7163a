/**
 * Reading an executed chapter notebook: its printed text, its check lines (`✓ label: actual ≈
 * expected`, printed by nnlab's verify) and its plotly figures. The notebook tests assert numbers
 * from these, not only that the cells ran.
 */
import { readFileSync } from "node:fs";

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
}
interface Cell {
  cell_type: string;
  outputs?: Output[];
}

const joined = (t: string | string[] | undefined): string => (Array.isArray(t) ? t.join("") : (t ?? ""));

export interface ExecutedNotebook {
  /** All stdout of the notebook, in cell order. */
  stdout: string;
  /** All stderr (warnings such as a slider's off-step start value), in cell order. */
  stderr: string;
  /** The check lines by label. */
  checks: Map<string, Check>;
  /** Every plotly figure (display_data and execute_result, and those of widgets' saved Outputs), in order. */
  figures: Array<{ data: Array<{ type?: string; name?: string }>; layout: Record<string, unknown> }>;
}

export interface Check {
  line: string;
  /** The numbers printed as the actual value (empty for verifyTrue lines and long-vector summaries). */
  actual: number[];
  detail: string;
}

/** Numbers in a printed value such as `[0.9820, 0.1192]`, `-1.73e-218` or `NaN`. */
export function numbersIn(text: string): number[] {
  return (text.match(/-?(?:\d+\.?\d*(?:e[+-]?\d+)?|NaN|Infinity)/g) ?? []).map(Number);
}

type Figure = ExecutedNotebook["figures"][number];
interface SavedModel {
  model_name: string;
  state: { children?: string[]; outputs?: Output[] };
}

/** Figures inside a widget view, from the notebook's saved widget state (an Output's outputs, a box's children in order). */
function widgetFigures(modelId: string, state: Record<string, SavedModel>, seen = new Set<string>()): Figure[] {
  const model = state[modelId];
  if (!model || seen.has(modelId)) return [];
  seen.add(modelId);
  if (model.model_name === "OutputModel") return (model.state.outputs ?? []).flatMap((o) => figureOf(o));
  return (model.state.children ?? []).flatMap((ref) => widgetFigures(ref.replace(/^IPY_MODEL_/, ""), state, seen));
}

function figureOf(o: Output): Figure[] {
  const fig = o.data?.["application/vnd.plotly.v1+json"] as Figure | undefined;
  return fig ? [fig] : [];
}

export function readExecuted(file: string): ExecutedNotebook {
  const nb = JSON.parse(readFileSync(file, "utf8")) as {
    cells: Cell[];
    metadata: { widgets?: Record<string, { state?: Record<string, SavedModel> }> };
  };
  const widgetState = nb.metadata.widgets?.["application/vnd.jupyter.widget-state+json"]?.state ?? {};
  let stdout = "";
  let stderr = "";
  const figures: ExecutedNotebook["figures"] = [];
  for (const cell of nb.cells) {
    for (const o of cell.outputs ?? []) {
      if (o.output_type === "stream" && o.name === "stdout") stdout += joined(o.text);
      if (o.output_type === "stream" && o.name === "stderr") stderr += joined(o.text);
      figures.push(...figureOf(o));
      // An interact's still picture: the figures its saved Output holds, where the widget shows.
      const view = o.data?.["application/vnd.jupyter.widget-view+json"] as { model_id?: string } | undefined;
      if (view?.model_id) figures.push(...widgetFigures(view.model_id, widgetState));
    }
  }
  const checks = new Map<string, Check>();
  for (const line of stdout.split("\n")) {
    if (!line.startsWith("✓ ")) continue;
    const body = line.slice(2);
    // `label: actual ≈ expected (tolerance)`; the label may itself contain ": ".
    const approx = /^(.*): (.*?) ≈ (.*)$/.exec(body);
    if (approx) {
      checks.set(approx[1]!, { line, actual: numbersIn(approx[2]!), detail: approx[3]! });
      continue;
    }
    const long = /^(.*): (\d+ values .*)$/.exec(body);
    if (long) {
      checks.set(long[1]!, { line, actual: [], detail: long[2]! });
      continue;
    }
    const cond = /^(.*?)(?: \((.*)\))?$/.exec(body)!;
    checks.set(cond[1]!, { line, actual: [], detail: cond[2] ?? "" });
  }
  return { stdout, stderr, checks, figures };
}
