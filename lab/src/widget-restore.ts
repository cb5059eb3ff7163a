/**
 * jupyterlab-manager 5 loads a notebook's saved widget state only after it has loaded the
 * kernel's (WidgetManager.restoreWidgets): when the kernel load throws ("Kernel not set", or its
 * control-comm timeout while the nnlab kernel is still building its TypeScript program), the
 * notebook's state is skipped too, and every saved widget shows "model not found". Here a restore
 * that asked for the notebook's state and did not finish loads that state on its own.
 */
import { WidgetManager } from "@jupyter-widgets/jupyterlab-manager";

type RestoreOptions = { loadKernel: boolean; loadNotebook: boolean };
type Restore = (this: WidgetManager, notebook: unknown, options?: RestoreOptions) => Promise<void>;

const proto = WidgetManager.prototype as unknown as { restoreWidgets: Restore };
const upstream = proto.restoreWidgets;
proto.restoreWidgets = async function (this: WidgetManager, notebook: unknown, options: RestoreOptions = { loadKernel: true, loadNotebook: true }) {
  await upstream.call(this, notebook, options);
  if (options.loadNotebook && !this.restoredStatus) await upstream.call(this, notebook, { loadKernel: false, loadNotebook: true });
};
