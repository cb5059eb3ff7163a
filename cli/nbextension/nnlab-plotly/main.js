/*
 * nnlab-plotly: a renderer for application/vnd.plotly.v1+json in classic Notebook 6 and nbclassic.
 * Installed by `nnlab kernel install` into <jupyter data>/nbextensions/nnlab-plotly/ beside the
 * plotly.js the nnlab package ships (plotly.min.js), and enabled in nbconfig/notebook.d.
 *
 * Why a renderer and not HTML with scripts: the figure is data in the notebook, drawn by the
 * front end whenever the notebook is shown, so saved, reloaded and untrusted notebooks draw too
 * (the renderer runs no code from the output: it is registered as safe), and no notebook carries
 * plotly.js.
 *
 * Plain ES5 AMD module: classic Notebook loads nbextensions with require.js and supports old browsers.
 */
define(["require", "base/js/namespace", "base/js/events", "notebook/js/outputarea"], (require, Jupyter, events, outputarea) => {
  var MIME = "application/vnd.plotly.v1+json";
  var CLASS = "nnlab-plotly-output";
  var OutputArea = outputarea.OutputArea;
  var plotly = null;

  // plotly.js (≈4.8 MB) is fetched on the first figure, not with the page: notebooks without
  // figures never load it. A plain <script> rather than require.js: require.js gives up on a
  // module after waitSeconds (30 s), which a 4.8 MB bundle can exceed on a slow, busy machine,
  // and plotly.js 4's wrapper defines no AMD module anyway, it sets window.Plotly. (An older,
  // AMD-defining bundle would not set window.Plotly: then it is asked from require.js.)
  function loadPlotly() {
    if (!plotly) {
      window.PlotlyConfig = window.PlotlyConfig || { MathJaxConfig: "local" };
      plotly = new Promise((resolve, reject) => {
        if (window.Plotly?.newPlot) return resolve(window.Plotly);
        var script = document.createElement("script");
        script.src = require.toUrl("./plotly.min.js");
        script.onload = () => {
          if (window.Plotly?.newPlot) return resolve(window.Plotly);
          require(["./plotly.min"], (P) => {
            if (P?.newPlot) resolve(P);
            else reject(new Error("plotly.min.js loaded but defined no Plotly"));
          }, reject);
        };
        script.onerror = () => {
          reject(new Error("cannot load " + script.src));
        };
        document.head.appendChild(script);
      }).catch((err) => {
        plotly = null;
        throw err;
      });
    }
    return plotly;
  }

  function figureOf(value) {
    var fig = typeof value === "string" ? JSON.parse(value) : value;
    if (!fig || typeof fig !== "object") throw new Error("the " + MIME + " output is not a JSON object");
    return fig;
  }

  function heightOf(layout) {
    return layout && typeof layout.height === "number" ? layout.height : 450;
  }

  // OutputArea renderer: `this` is the OutputArea, `element` the output's (not yet inserted)
  // container. The plot is drawn once plotly.js is there, which is always after insertion.
  function renderPlotly(value, md, element) {
    var toinsert = this.create_output_subarea(md, CLASS, MIME);
    var fig = figureOf(value);
    var layout = fig.layout || {};
    var div = document.createElement("div");
    div.className = "nnlab-plot";
    div.style.width = "100%";
    div.style.height = heightOf(layout) + "px";
    toinsert.append(div);
    element.append(toinsert);
    loadPlotly()
      .then((Plotly) => {
        var config = { responsive: true, displaylogo: false };
        var key;
        for (key in fig.config || {}) config[key] = fig.config[key];
        return Plotly.newPlot(div, fig.data || [], layout, config);
      })
      .catch((err) => {
        div.style.height = "auto";
        div.className += " nnlab-plot-error";
        div.textContent =
          "nnlab-plotly: cannot draw this figure (" +
          (err?.message ? err.message : err) +
          "). " +
          "If plotly.js is missing, run `nnlab kernel install` again.";
      });
    return toinsert;
  }

  // Outputs shown before this extension was registered (classic Notebook loads the notebook and
  // the extensions at the same time) fell back to another mime type: draw them again.
  function redrawEarlierOutputs() {
    if (!Jupyter.notebook) return;
    Jupyter.notebook.get_cells().forEach((cell) => {
      var oa = cell.output_area;
      if (!oa?.outputs) return;
      var elements = oa.element.children();
      oa.outputs.forEach((out, i) => {
        if (!out.data || out.data[MIME] === undefined) return;
        var old = elements.eq(i);
        if (old.find("." + CLASS).length > 0) return;
        var toinsert = oa.create_output_area();
        if (oa.append_mime_type(out, toinsert)) oa._safe_append(toinsert, old);
      });
    });
  }

  // A page opened (or reloaded) while the kernel still updates a live figure gets update_display_data
  // messages for a display id it never saw (the display_id is transient, and the request came
  // from the old page), which the Kernel drops. The saved output carries the same id in
  // metadata.nnlab.display_id: route the update there.
  function routeUpdate(msg) {
    var content = msg.content || {};
    var id = content.transient?.display_id;
    if (!id || !Jupyter.notebook) return;
    var json = { output_type: "update_display_data", data: content.data, metadata: content.metadata || {}, transient: content.transient };
    Jupyter.notebook.get_cells().forEach((cell) => {
      var oa = cell.output_area;
      if (!oa?.outputs) return;
      if (!oa._display_id_targets[id]) {
        const elements = oa.element.children();
        oa.outputs.forEach((out, i) => {
          var saved = out.metadata?.nnlab?.display_id;
          if (saved === id) {
            (oa._display_id_targets[id] = oa._display_id_targets[id] || []).push({ index: i, element: elements.eq(i) });
          }
        });
      }
      if (oa._display_id_targets[id]) {
        oa.update_display_data(oa.validate_mimebundle(json));
        Jupyter.notebook.set_dirty(true);
      }
    });
  }

  // Updates for display ids this page's kernel connection knows go the usual way.
  function hookKernel(kernel) {
    if (!kernel || kernel.nnlabPlotlyHooked || typeof kernel.register_iopub_handler !== "function") return;
    kernel.nnlabPlotlyHooked = true;
    kernel.register_iopub_handler("update_display_data", (msg) => {
      var id = msg.content?.transient?.display_id;
      if (id && kernel._display_id_to_parent_ids?.[id]) return kernel._handle_output_message(msg);
      routeUpdate(msg);
    });
  }

  function load_ipython_extension() {
    if (OutputArea.append_map[MIME] !== renderPlotly) {
      OutputArea.prototype.register_mime_type(MIME, renderPlotly, { safe: true, index: 0 });
    }
    if (Jupyter.notebook?._fully_loaded) redrawEarlierOutputs();
    if (Jupyter.notebook) hookKernel(Jupyter.notebook.kernel);
    events.on("kernel_created.Kernel kernel_created.Session", (_evt, data) => {
      hookKernel(data?.kernel);
    });
  }

  return { load_ipython_extension: load_ipython_extension, loadPlotly: loadPlotly };
});
