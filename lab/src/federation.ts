/**
 * Federated extensions: placeholder until the share scope is implemented; reports none loaded.
 */
import type { JupyterFrontEndPlugin } from "@jupyterlab/application";
import type { IRenderMime } from "@jupyterlab/rendermime-interfaces";

export interface FederationResult {
  plugins: JupyterFrontEndPlugin<unknown>[];
  mimeExtensions: IRenderMime.IExtensionModule[];
  report: { loaded: string[]; failed: { name: string; error: string }[] };
}

export async function loadFederatedExtensions(): Promise<FederationResult> {
  return { plugins: [], mimeExtensions: [], report: { loaded: [], failed: [] } };
}
