/**
 * Entry of nnlab's JupyterLab: registers the plugins and the plotly renderer, loads the federated
 * extensions that the server lists (prebuilt JupyterLab 4 extensions, e.g. nnlab's own plotly
 * renderer for a full JupyterLab), and starts the app.
 */
import { JupyterLab } from "@jupyterlab/application";
import type { IRenderMime } from "@jupyterlab/rendermime-interfaces";
import "nnlab-lab:styles";
import { loadFederatedExtensions } from "./federation";
import { plugins, withProvidedRequirements } from "./plugins";
import { plotlyExtension } from "./plotly/renderer";

// JupyterLab takes `default` as the extension only from a module marked __esModule; otherwise it
// takes the object itself.
const plotlyModule: IRenderMime.IExtensionModule = Object.assign({ default: plotlyExtension("app") }, { __esModule: true });

async function main(): Promise<void> {
  const federated = await loadFederatedExtensions();
  const lab = new JupyterLab({ mimeExtensions: [plotlyModule, ...federated.mimeExtensions] });
  lab.registerPlugins(withProvidedRequirements([...plugins, ...federated.plugins]));
  await lab.start();
  await lab.restored;
  // For tests and the curious: the app, and what federation loaded or refused.
  Object.assign(window, { jupyterapp: lab, nnlabFederation: federated.report });
}

void main().catch((err: unknown) => {
  document.body.textContent = `nnlab JupyterLab failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`;
  throw err;
});
