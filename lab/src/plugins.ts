/**
 * The JupyterLab plugins this front end is made of: what a notebook course needs (notebooks, file
 * browser, kernel menu and kernel list, completer, tooltip and inspector, rendermime, the light
 * theme, ipywidgets' manager with its controls: ./widget-controls, ./widget-keys), and nothing that
 * needs a server part Debian lacks (terminals, language server, extension manager, collaboration).
 */
import type { JupyterFrontEndPlugin } from "@jupyterlab/application";
import applicationExtension from "@jupyterlab/application-extension";
import apputilsExtension from "@jupyterlab/apputils-extension";
import codemirrorExtension from "@jupyterlab/codemirror-extension";
import completerExtension from "@jupyterlab/completer-extension";
import docmanagerExtension from "@jupyterlab/docmanager-extension";
import filebrowserExtension from "@jupyterlab/filebrowser-extension";
import inspectorExtension from "@jupyterlab/inspector-extension";
import launcherExtension from "@jupyterlab/launcher-extension";
import mainmenuExtension from "@jupyterlab/mainmenu-extension";
import markedparserExtension from "@jupyterlab/markedparser-extension";
import mathjaxExtension from "@jupyterlab/mathjax-extension";
import notebookExtension from "@jupyterlab/notebook-extension";
import rendermimeExtension from "@jupyterlab/rendermime-extension";
import runningExtension from "@jupyterlab/running-extension";
import shortcutsExtension from "@jupyterlab/shortcuts-extension";
import statusbarExtension from "@jupyterlab/statusbar-extension";
import themeLightExtension from "@jupyterlab/theme-light-extension";
import tooltipExtension from "@jupyterlab/tooltip-extension";
import translationExtension from "@jupyterlab/translation-extension";
import uiComponentsExtension from "@jupyterlab/ui-components-extension";
import widgetManagerExtension, { WidgetManager } from "@jupyter-widgets/jupyterlab-manager";
import { CONTROLS_PLUGIN_ID, controlsPlugin } from "./widget-controls";
import { widgetKeysPlugin } from "./widget-keys";
import { installRestore } from "./widget-restore";

// A notebook's saved widgets load even when loading the kernel's failed, never show "model not
// found" because a second restore finished first, and survive a save made before they loaded
// (./widget-restore).
installRestore(WidgetManager.prototype);

type Plugin = JupyterFrontEndPlugin<unknown>;

/** An extension package's default export: one plugin or a list. */
function list(exported: Plugin | readonly Plugin[]): Plugin[] {
  return Array.isArray(exported) ? [...exported] : [exported as Plugin];
}

/**
 * Left out on purpose: the language-server plugins need the jupyter-lsp server extension, and the
 * announcements plugin asks whether to fetch news from jupyter.org through /lab/api/news; neither
 * server part is in Debian (nor is the network there in a classroom).
 */
const leftOut = (p: Plugin): boolean => p.id.includes(":language-server") || p.id === "@jupyterlab/apputils-extension:announcements";

/** The widget manager's controls plugin, replaced by ./widget-controls (same id, loads with import()). */
const replaced = (p: Plugin): boolean => p.id === CONTROLS_PLUGIN_ID && p !== (controlsPlugin as Plugin);

export const plugins: Plugin[] = [
  applicationExtension,
  apputilsExtension,
  codemirrorExtension,
  completerExtension,
  docmanagerExtension,
  filebrowserExtension,
  inspectorExtension,
  launcherExtension,
  mainmenuExtension,
  markedparserExtension,
  mathjaxExtension,
  notebookExtension,
  rendermimeExtension,
  runningExtension,
  shortcutsExtension,
  statusbarExtension,
  themeLightExtension,
  tooltipExtension,
  translationExtension,
  uiComponentsExtension,
  widgetManagerExtension,
  controlsPlugin,
  widgetKeysPlugin,
]
  .flatMap((e) => list(e as Plugin | Plugin[]))
  .filter((p) => !leftOut(p) && !replaced(p));

/**
 * Plugins that extend a part this app does not include (the console, the file editor, the table of
 * contents, document search, the metadata form) require a token nobody provides and would fail to
 * activate with an error; they are dropped up front, by name in the console.
 */
export function withProvidedRequirements(all: Plugin[]): Plugin[] {
  const provided = new Set(all.flatMap((p) => (p.provides ? [p.provides.name] : [])));
  const kept = all.filter((p) => (p.requires ?? []).every((t) => provided.has(t.name)));
  const dropped = all.filter((p) => !kept.includes(p)).map((p) => p.id);
  if (dropped.length > 0) console.info(`nnlab lab: plugins for parts not included: ${dropped.join(", ")}`);
  return kept;
}
