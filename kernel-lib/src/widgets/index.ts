/**
 * Jupyter widgets for the nnlab kernel, compatible with ipywidgets 8 front ends (widget protocol
 * 2.1.0, @jupyter-widgets/controls 2.0.0, base 2.0.0, output 1.0.0): JupyterLab's
 * jupyterlab-manager, VS Code, Notebook 7, nbclassic with current widgets.
 *
 *   const lr = new widgets.FloatSlider({ value: 0.1, min: 0, max: 1, step: 0.01, description: "lr" });
 *   lr.observe((value) => console.log("lr is now", value));
 *   lr   // as the cell's last expression: the slider
 *
 * Outside the nnlab kernel the widgets are plain objects (`.value`, `.observe`) without a comm.
 */
import { registerControlTarget } from "./control";

export { commBridge, commBridgeKey, type CommBridge, type CommBuffers, type CommChannel, type CommTargetHandler, type OutputSink } from "./bridge";
export { Widget, openWidgets, widgetProtocolVersion, type Change, type Observer, type Origin } from "./widget";
export { DOMWidget, widgetViewMimeType, type DOMWidgetOptions } from "./dom";
export { Layout, Style, layoutProperties, type LayoutOptions, type StyleOptions, type StyleModelName } from "./layout";
export { FloatSlider, IntSlider, FloatLogSlider, type SliderOptions, type LogSliderOptions } from "./sliders";
export { Dropdown, type DropdownOptions, type DropdownChoices, type DropdownValue } from "./dropdown";
export { Checkbox, type CheckboxOptions } from "./checkbox";
export { Button, type ButtonOptions } from "./button";
export { Play, type PlayOptions } from "./play";
export { Label, type LabelOptions } from "./label";
export { HBox, VBox, type BoxOptions } from "./box";
export { Output, type OutputOptions, type NotebookOutput } from "./output";
export {
  interact,
  interactive,
  Interactive,
  widgetFor,
  type Abbreviation,
  type InteractOptions,
  type InteractSpec,
  type InteractValues,
} from "./interact";
export { controlTarget } from "./control";

registerControlTarget();
