// @vitest-environment happy-dom
/**
 * The models nnlab opens against the real front end's models (@jupyter-widgets/controls 2.0.0,
 * base 2.0.0, output 1.0.0 from node_modules, the ones jupyterlab-manager 5.0.16 loads): for each
 * widget, the comm_open names a model class the front end has, with its exact `_model_*` and
 * `_view_*` values, and every state key nnlab sends is one that model declares (no typo such as
 * `readoutFormat` would be ignored silently by the front end). happy-dom only lets the front-end
 * packages load (they touch `document` at import).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as widgets from "../../kernel-lib/src/widgets/index";
import { installFakeBridge, type FakeBridge } from "./fake-bridge";

type Defaults = Record<string, unknown>;
type ModelClass = { prototype: { defaults(): Defaults } };

let fake: FakeBridge;
const frontEnd: Record<string, Record<string, ModelClass>> = {};

function defaultsOf(module: string, model: string): Defaults {
  const cls = frontEnd[module]?.[model];
  expect(cls, `${module} has no ${model}`).toBeDefined();
  return cls!.prototype.defaults.call(Object.create(cls!.prototype));
}

/** Keys the front end's views read although the model class does not declare them. */
const viewOnlyKeys = new Set(["layout", "style", "behavior"]);
/**
 * Per model: keys read by its view although this package's class does not declare them.
 * CheckboxModel derives from CoreDescriptionModel in controls 2.0.0, but CheckboxView reads
 * `value` and `disabled`; `msg_id` and `outputs` are declared by jupyterlab-manager's OutputModel
 * (the subclass JupyterLab uses), not by @jupyter-widgets/output's.
 */
const declaredElsewhere: Record<string, string[]> = { CheckboxModel: ["value", "disabled"], OutputModel: ["msg_id", "outputs"] };

function checkAgainstFrontEnd(w: widgets.Widget): void {
  const s = fake.openState(w.modelId);
  const module = String(s._model_module);
  const d = defaultsOf(module, String(s._model_name));
  for (const k of ["_model_name", "_model_module", "_model_module_version", "_view_name", "_view_module", "_view_module_version"]) {
    expect(s[k], `${String(s._model_name)}.${k}`).toEqual(d[k]);
  }
  const extra = declaredElsewhere[String(s._model_name)] ?? [];
  const unknown = Object.keys(s).filter((k) => !(k in d) && !viewOnlyKeys.has(k) && !extra.includes(k));
  expect(unknown, `${String(s._model_name)}: keys the front-end model does not declare`).toEqual([]);
  // What a view needs must be there: every declared key of the model is sent (as ipywidgets does),
  // except the few ipywidgets 8 itself no longer sends.
  const missing = Object.keys(d).filter((k) => !(k in s) && !["slider_color", "_range"].includes(k));
  expect(missing, `${String(s._model_name)}: declared keys not sent`).toEqual([]);
}

describe("nnlab's widget models match the front end's (@jupyter-widgets from node_modules)", () => {
  beforeAll(async () => {
    frontEnd["@jupyter-widgets/controls"] = (await import("@jupyter-widgets/controls")) as unknown as Record<string, ModelClass>;
    frontEnd["@jupyter-widgets/base"] = (await import("@jupyter-widgets/base")) as unknown as Record<string, ModelClass>;
    frontEnd["@jupyter-widgets/output"] = (await import("@jupyter-widgets/output")) as unknown as Record<string, ModelClass>;
    fake = installFakeBridge();
  });
  afterAll(() => fake.uninstall());

  const cases: [string, () => widgets.DOMWidget][] = [
    ["FloatSlider", () => new widgets.FloatSlider({ value: 0.5, min: 0, max: 1, step: 0.1, description: "lr" })],
    ["IntSlider", () => new widgets.IntSlider({ value: 3, min: 1, max: 9 })],
    ["FloatLogSlider", () => new widgets.FloatLogSlider({ value: 1e-3, min: -5, max: 0 })],
    ["Dropdown", () => new widgets.Dropdown({ options: ["SGD", "Adam"] })],
    ["Checkbox", () => new widgets.Checkbox({ value: true, description: "flag" })],
    ["Button", () => new widgets.Button({ description: "go" })],
    ["Play", () => new widgets.Play({ max: 10 })],
    ["Label", () => new widgets.Label("hello")],
    ["HBox", () => new widgets.HBox([new widgets.Label("a")])],
    ["VBox", () => new widgets.VBox([new widgets.Label("b")])],
    ["Output", () => new widgets.Output()],
  ];
  for (const [name, make] of cases) {
    it(`${name}, its layout and its style`, () => {
      const w = make();
      checkAgainstFrontEnd(w);
      const s = fake.openState(w.modelId);
      for (const ref of ["layout", "style"]) {
        if (s[ref] === undefined) continue;
        const childId = String(s[ref]).replace(/^IPY_MODEL_/, "");
        const child = fake.sent.find((m) => m.type === "open" && m.commId === childId);
        expect(child, `${name}.${ref} opened before it`).toBeDefined();
        expect(fake.sent.indexOf(child!)).toBeLessThan(fake.sent.findIndex((m) => m.type === "open" && m.commId === w.modelId));
        const cs = (child!.data as { state: Defaults }).state;
        const d = defaultsOf(String(cs._model_module), String(cs._model_name));
        for (const k of ["_model_name", "_model_module", "_model_module_version", "_view_name", "_view_module", "_view_module_version"])
          expect(cs[k]).toEqual(d[k]);
        expect(Object.keys(cs).filter((k) => !(k in d))).toEqual([]);
      }
    });
  }
});
