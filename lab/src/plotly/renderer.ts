/**
 * The mime renderer for `application/vnd.plotly.v1+json`, the figures nnlab/plot sends (with a
 * text/html fallback that JupyterLab prefers less). plotly.js is loaded on the first figure, so
 * a notebook without plots does not pay for its 4.8 MB.
 */
import type { IRenderMime } from "@jupyterlab/rendermime-interfaces";
import { Widget } from "@lumino/widgets";

export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/** The parts of a plotly figure (plotly's JSON schema) the renderer reads. */
interface PlotlyFigure {
  data?: unknown[];
  layout?: Record<string, unknown>;
  config?: Record<string, unknown>;
  frames?: unknown[];
}

/** The parts of plotly.js used here. */
interface Plotly {
  react(root: HTMLElement, figure: { data: unknown[]; layout: object; config: object; frames?: unknown[] }): Promise<unknown>;
  purge(root: HTMLElement): void;
  Plots: { resize(root: HTMLElement): void };
}

/** plotly.js's own default height, made explicit (see renderModel). */
const DEFAULT_HEIGHT = 450;

let plotly: Promise<Plotly> | undefined;

/** plotly.js, imported once (a separate chunk in the app; inside the federated extension's bundle). */
function loadPlotly(): Promise<Plotly> {
  plotly ??= import("plotly.js-dist-min").then((m: { default?: unknown }) => (m.default ?? m) as Plotly);
  return plotly;
}

function isFigure(value: unknown): value is PlotlyFigure {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export class PlotlyRenderer extends Widget implements IRenderMime.IRenderer {
  private readonly mimeType: string;
  private drawn = false;

  /** `build` names the bundle the renderer came from (the app's own, or the federated extension). */
  constructor(options: IRenderMime.IRendererOptions, build: string) {
    super();
    this.mimeType = options.mimeType;
    this.addClass("nnlab-plotly");
    this.node.dataset.nnlabRenderer = build;
  }

  /**
   * Draws the figure; called again with the same renderer when the kernel updates the output
   * (update_display_data), where Plotly.react redraws in place instead of replacing the node.
   */
  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const figure = model.data[this.mimeType];
    if (!isFigure(figure)) {
      this.node.textContent = `nnlab plotly renderer: ${this.mimeType} should hold a figure object, got ${JSON.stringify(figure)?.slice(0, 80)}`;
      return;
    }
    const Plotly = await loadPlotly();
    await Plotly.react(this.node, {
      data: figure.data ?? [],
      // Without a height plotly sizes the figure from its container, and an output drawn while its
      // cell is off screen (Run All; JupyterLab skips layout there with content-visibility) has
      // none: the figure came out a few pixels high. The width still follows the output area.
      layout: { height: DEFAULT_HEIGHT, ...figure.layout },
      // The modebar's plotly logo links out; the notebooks are meant to work offline.
      config: { displaylogo: false, responsive: true, ...figure.config },
      ...(figure.frames ? { frames: figure.frames } : {}),
    });
    this.drawn = true;
  }

  protected override onResize(): void {
    if (this.drawn && this.isVisible) void loadPlotly().then((P) => P.Plots.resize(this.node));
  }

  protected override onAfterShow(): void {
    this.onResize();
  }

  override dispose(): void {
    if (this.drawn) void loadPlotly().then((P) => P.purge(this.node));
    super.dispose();
  }
}

/** The mime extension; `build` is recorded on each figure's node (data-nnlab-renderer). */
export function plotlyExtension(build: string): IRenderMime.IExtension {
  return {
    id: `nnlab-plotly:renderer-${build}`,
    description: "Draws nnlab/plot figures (application/vnd.plotly.v1+json) with plotly.js.",
    rendererFactory: {
      // Figures are JSON drawn by plotly.js, no script from the notebook runs: safe when untrusted.
      safe: true,
      mimeTypes: [PLOTLY_MIME],
      createRenderer: (options) => new PlotlyRenderer(options, build),
    },
    // Ahead of text/html (JupyterLab ranks it 50), which carries a script fallback.
    rank: 0,
    dataType: "json",
  };
}
