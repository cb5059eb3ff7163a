/**
 * How nnlab's JupyterLab restores a notebook's widgets and saves them again: jupyterlab-manager 5's
 * `WidgetManager.restoreWidgets` and `_saveState`, rewritten so that a saved widget is never lost
 * and never shows "model not found".
 *
 * Upstream, one restore loads the kernel's models, then the notebook's saved state, then marks the
 * manager restored (`restoredStatus`, after which a renderer that finds no model says "model not
 * found" for good and never looks again). Two ways that can go wrong with the nnlab kernel, whose
 * first seconds go to building its TypeScript program (the first was seen, as "Kernel not set";
 * the second is read from upstream's code, which starts a kernel-only restore on every reconnect):
 * - the kernel load threw ("Kernel not set", or the fallback after the 4 s control-comm timeout
 *   failed), and upstream skipped the notebook's state with it;
 * - a second, kernel-only restore (started when the kernel connection came up) finished while the
 *   first was still loading the notebook's state, marked the manager restored, and renderers gave
 *   up on models that arrived a moment later.
 * Here the notebook's state loads whatever happened to the kernel's, and the manager is marked
 * restored only when every load succeeded and no restore that loads the notebook is still running.
 * Renderers waiting for a model are told (`restored` emitted) after every load, so they look again.
 *
 * Saving had a race too, and it is what test/lab/widgets.test.ts kept failing on, with data
 * lost: upstream writes the manager's models over the
 * notebook's widget metadata on every save, and a save before the restore has read that metadata
 * (Trust Notebook saves at once; so does Ctrl+S in the first seconds, while the kernel answers
 * slowly) replaced the saved widgets with none, in the file too. Here a save before the saved
 * state has been loaded keeps the saved models.
 *
 * This file imports nothing from the manager (the unit test runs it on a stand-in); plugins.ts
 * installs it on the real prototype.
 */

const WIDGET_STATE = "application/vnd.jupyter.widget-state+json";

export type RestoreOptions = { loadKernel: boolean; loadNotebook: boolean };

/** The parts of jupyterlab-manager's WidgetManager (private fields included) a restore uses. */
export interface RestorableManager {
  readonly context: { sessionContext: { ready: Promise<void> } };
  _kernelRestoreInProgress: boolean;
  _restoredStatus: boolean;
  readonly _restored: { emit(): void };
  _loadFromKernel(): Promise<void>;
  _loadFromNotebook(notebook: unknown): Promise<void>;
}

/** A notebook's widget state as saved in its metadata (the parts read here). */
export interface SavedWidgetState {
  state: Record<string, unknown>;
  [key: string]: unknown;
}

/** What a save uses: the manager's models, and the notebook model whose metadata it writes. */
export interface SavingManager {
  readonly context: { model: { getMetadata(key: string): unknown; setMetadata(key: string, value: unknown): void } };
  get_state_sync(options: { drop_defaults: boolean }): SavedWidgetState;
}

/** Managers that have loaded their notebook's saved widget state. */
const notebookLoaded = new WeakSet<object>();

/** Restores that will load a notebook's state and have not finished, per manager. */
const notebookLoadsRunning = new WeakMap<object, number>();

function count(manager: object, change: number): number {
  const n = (notebookLoadsRunning.get(manager) ?? 0) + change;
  notebookLoadsRunning.set(manager, n);
  return n;
}

export async function restoreWidgets(
  manager: RestorableManager,
  notebook: unknown,
  { loadKernel, loadNotebook }: RestoreOptions = { loadKernel: true, loadNotebook: true },
): Promise<void> {
  if (loadNotebook) count(manager, +1);
  let loaded = 0;
  let failed = 0;
  try {
    try {
      await manager.context.sessionContext.ready;
    } catch {
      return; // the session never started: nothing to restore, as upstream
    }
    if (loadKernel) {
      manager._kernelRestoreInProgress = true;
      try {
        await manager._loadFromKernel();
        loaded++;
      } catch (error) {
        failed++;
        console.warn("nnlab: loading the kernel's widgets failed; the notebook's saved widgets load anyway.", error);
      } finally {
        manager._kernelRestoreInProgress = false;
      }
    }
    if (loadNotebook) {
      try {
        await manager._loadFromNotebook(notebook);
        notebookLoaded.add(manager);
        loaded++;
      } catch (error) {
        failed++;
        console.warn("nnlab: loading the notebook's saved widget state failed.", error);
      }
    }
  } finally {
    const stillLoading = loadNotebook ? count(manager, -1) : (notebookLoadsRunning.get(manager) ?? 0);
    if (failed === 0 && loaded > 0 && stillLoading === 0) manager._restoredStatus = true;
    if (loaded > 0) manager._restored.emit();
  }
}

/**
 * Writes the manager's models into the notebook's metadata, as upstream does, except that until
 * the notebook's saved state has been loaded (a restore still running, one that failed, a session
 * that never started), the saved models stay beside the live ones: a save never drops a widget
 * the manager has not seen. Once loaded, the manager's models are the whole state (a widget closed
 * since leaves the file).
 */
export function saveWidgetState(manager: SavingManager): void {
  const live = manager.get_state_sync({ drop_defaults: true });
  if (!notebookLoaded.has(manager)) {
    const saved = (manager.context.model.getMetadata("widgets") as Record<string, SavedWidgetState | undefined> | undefined)?.[WIDGET_STATE];
    if (saved?.state) live.state = { ...saved.state, ...live.state };
  }
  manager.context.model.setMetadata("widgets", { [WIDGET_STATE]: live });
}

/** Replaces `restoreWidgets` and `_saveState` on jupyterlab-manager's WidgetManager prototype. */
export function installRestore(prototype: object): void {
  const target = prototype as { restoreWidgets: unknown; _saveState: unknown };
  if (typeof target.restoreWidgets !== "function" || typeof target._saveState !== "function") {
    // Another jupyterlab-manager (the version is pinned in lab/package.json): keep its own code
    // rather than break the app; test/lab/widgets.test.ts fails on the races this file mends.
    console.error("nnlab-lab: jupyterlab-manager's WidgetManager has no restoreWidgets/_saveState to replace; saved widgets may be lost");
    return;
  }
  target.restoreWidgets = function (this: RestorableManager, notebook: unknown, options?: RestoreOptions) {
    return restoreWidgets(this, notebook, options);
  };
  target._saveState = function (this: SavingManager) {
    saveWidgetState(this);
  };
}
