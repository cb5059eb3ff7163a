/**
 * lab/src/widget-restore.ts on a stand-in for jupyterlab-manager's WidgetManager, with each load
 * finishing exactly when the test says: the two orders that left saved widgets at "model not
 * found" in nnlab's JupyterLab (a kernel load that throws; a kernel-only restore that finishes
 * while the first restore is still loading the notebook's state; a save, such as Trust Notebook's,
 * before the restore has read the saved state, which wrote an empty state over it) and the ordinary ones.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  installRestore,
  type RestorableManager,
  type RestoreOptions,
  restoreWidgets,
  type SavedWidgetState,
  type SavingManager,
  saveWidgetState,
} from "../../lab/src/widget-restore";

/** A load that resolves or rejects when the test says. */
class Gate {
  readonly promise: Promise<void>;
  open!: () => void;
  fail!: (error: Error) => void;
  constructor() {
    this.promise = new Promise<void>((resolve, reject) => {
      this.open = resolve;
      this.fail = reject;
    });
  }
}

/** A manager whose kernel and notebook loads wait on gates the test opens, one per call, in order. */
function standIn() {
  const kernelLoads: Gate[] = [];
  const notebookLoads: { notebook: unknown; gate: Gate }[] = [];
  const events: string[] = [];
  const manager: RestorableManager & { events: string[]; kernelLoads: Gate[]; notebookLoads: typeof notebookLoads } = {
    context: { sessionContext: { ready: Promise.resolve() } },
    _kernelRestoreInProgress: false,
    _restoredStatus: false,
    _restored: { emit: () => events.push(`restored (status ${manager._restoredStatus})`) },
    _loadFromKernel() {
      const gate = new Gate();
      kernelLoads.push(gate);
      return gate.promise;
    },
    _loadFromNotebook(notebook: unknown) {
      const gate = new Gate();
      notebookLoads.push({ notebook, gate });
      return gate.promise;
    },
    events,
    kernelLoads,
    notebookLoads,
  };
  return manager;
}

/** Lets every pending promise callback run. */
const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

const notebook = { metadata: { widgets: "saved state" } };
const STATE = "application/vnd.jupyter.widget-state+json";
const KERNEL_ONLY: RestoreOptions = { loadKernel: true, loadNotebook: false };

afterEach(() => vi.restoreAllMocks());

describe("restoring a notebook's widgets (lab/src/widget-restore.ts)", () => {
  it("loads the kernel's models, then the notebook's, then marks the manager restored", async () => {
    const m = standIn();
    const done = restoreWidgets(m, notebook);
    await settle();
    expect(m._kernelRestoreInProgress).toBe(true);
    expect(m.notebookLoads).toHaveLength(0);
    m.kernelLoads[0]!.open();
    await settle();
    expect(m._kernelRestoreInProgress).toBe(false);
    expect(m.notebookLoads.map((l) => l.notebook)).toEqual([notebook]);
    expect(m._restoredStatus).toBe(false);
    m.notebookLoads[0]!.gate.open();
    await done;
    expect(m._restoredStatus).toBe(true);
    expect(m.events).toEqual(["restored (status true)"]);
  });

  it("still loads the notebook's saved state when loading the kernel's throws, and says restored only after a kernel load succeeds", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const m = standIn();
    const first = restoreWidgets(m, notebook);
    await settle();
    m.kernelLoads[0]!.fail(new Error("Kernel not set"));
    await settle();
    expect(m._kernelRestoreInProgress).toBe(false);
    expect(m.notebookLoads).toHaveLength(1);
    m.notebookLoads[0]!.gate.open();
    await first;
    // Renderers are told to look again (they find the saved models) but not that nothing more will come.
    expect(m.events).toEqual(["restored (status false)"]);
    expect(m._restoredStatus).toBe(false);
    expect(String(warn.mock.calls[0]?.[0])).toContain("the notebook's saved widgets load anyway");
    // The kernel connection comes up again: a kernel-only restore that succeeds completes it.
    const again = restoreWidgets(m, notebook, KERNEL_ONLY);
    await settle();
    m.kernelLoads[1]!.open();
    await again;
    expect(m._restoredStatus).toBe(true);
    expect(m.notebookLoads).toHaveLength(1);
  });

  it("does not mark the manager restored while the first restore is still loading the notebook's state", async () => {
    const m = standIn();
    const first = restoreWidgets(m, notebook);
    const second = restoreWidgets(m, notebook, KERNEL_ONLY);
    await settle();
    expect(m.kernelLoads).toHaveLength(2);
    m.kernelLoads[0]!.open();
    await settle();
    expect(m.notebookLoads).toHaveLength(1);
    // The kernel-only restore finishes first: upstream set restoredStatus here, and a renderer
    // looking for a saved model then showed "model not found" for good.
    m.kernelLoads[1]!.open();
    await second;
    expect(m._restoredStatus).toBe(false);
    m.notebookLoads[0]!.gate.open();
    await first;
    expect(m._restoredStatus).toBe(true);
    expect(m.events).toEqual(["restored (status false)", "restored (status true)"]);
  });

  it("leaves the manager unrestored when the notebook's state cannot be loaded, says why, and a save keeps the saved widgets", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const m = standIn();
    const metadata = new Map<string, unknown>([
      ["widgets", { [STATE]: { version_major: 2, version_minor: 0, state: { slider: { model_name: "FloatSliderModel" } } } }],
    ]);
    const both = Object.assign(m, {
      context: { ...m.context, model: { getMetadata: (k: string) => metadata.get(k), setMetadata: (k: string, v: unknown) => metadata.set(k, v) } },
      get_state_sync: () => ({ version_major: 2, version_minor: 0, state: { label: { model_name: "LabelModel" } } }),
    });
    const done = restoreWidgets(both, notebook);
    await settle();
    m.kernelLoads[0]!.open();
    await settle();
    m.notebookLoads[0]!.gate.fail(new Error("Could not create a model."));
    await done;
    expect(m._restoredStatus).toBe(false);
    expect(String(warn.mock.calls[0]?.[0])).toContain("saved widget state failed");
    saveWidgetState(both);
    const saved = (metadata.get("widgets") as Record<string, SavedWidgetState>)[STATE]!.state;
    expect(Object.keys(saved).sort()).toEqual(["label", "slider"]);
  });

  it("does nothing when the session never starts", async () => {
    const m = standIn();
    m.context.sessionContext.ready = Promise.reject(new Error("no kernel"));
    await restoreWidgets(m, notebook);
    expect(m.kernelLoads).toHaveLength(0);
    expect(m.events).toEqual([]);
    // …and a later restore is not held back by the one that gave up.
    m.context.sessionContext.ready = Promise.resolve();
    const done = restoreWidgets(m, notebook, KERNEL_ONLY);
    await settle();
    m.kernelLoads[0]!.open();
    await done;
    expect(m._restoredStatus).toBe(true);
  });

  it("installs itself as the prototype's restoreWidgets and _saveState, called with the manager as this", async () => {
    class Manager {
      restoreWidgets(): Promise<void> {
        throw new Error("upstream restore called");
      }
      _saveState(): void {
        throw new Error("upstream save called");
      }
    }
    const error = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const other = { restoreWidgets() {} };
    installRestore(other);
    expect(String(error.mock.calls[0]?.[0])).toContain("no restoreWidgets/_saveState to replace");
    expect(other.restoreWidgets.name).toBe("restoreWidgets");
    installRestore(Manager.prototype);
    const m = Object.assign(new Manager(), standIn());
    const done = (m as unknown as { restoreWidgets(n: unknown): Promise<void> }).restoreWidgets(notebook);
    await settle();
    m.kernelLoads[0]!.open();
    await settle();
    m.notebookLoads[0]!.gate.open();
    await done;
    expect(m._restoredStatus).toBe(true);
  });

  it("a save before the restore has read the notebook's saved widgets keeps them; after it, the manager's models are the state", async () => {
    const m = standIn();
    const metadata = new Map<string, unknown>();
    const savedState = (): Record<string, unknown> => (metadata.get("widgets") as Record<string, SavedWidgetState>)[STATE]!.state;
    metadata.set("widgets", {
      [STATE]: { version_major: 2, version_minor: 0, state: { slider: { model_name: "FloatSliderModel" }, box: { model_name: "VBoxModel" } } },
    });
    let live: Record<string, unknown> = {};
    const saving: SavingManager = {
      context: { model: { getMetadata: (k) => metadata.get(k), setMetadata: (k, v) => metadata.set(k, v) } },
      get_state_sync: () => ({ version_major: 2, version_minor: 0, state: { ...live } }),
    };
    const both = Object.assign(m, saving, { context: { ...m.context, ...saving.context } });
    const done = restoreWidgets(both, notebook);
    await settle();
    // Trust Notebook saves at once; the kernel has not answered, the manager has no model yet.
    saveWidgetState(both);
    expect(Object.keys(savedState()).sort()).toEqual(["box", "slider"]);
    // A live model made meanwhile is saved beside them, and wins over a saved one of its id.
    live = { slider: { model_name: "FloatSliderModel", state: { value: 0.3 } }, other: { model_name: "LabelModel" } };
    saveWidgetState(both);
    expect(savedState()).toEqual({ slider: live.slider, box: { model_name: "VBoxModel" }, other: live.other });
    m.kernelLoads[0]!.open();
    await settle();
    m.notebookLoads[0]!.gate.open();
    await done;
    // Restored: the manager's models are the whole state again (a closed widget leaves the file).
    live = { slider: { model_name: "FloatSliderModel", state: { value: 0.3 } } };
    saveWidgetState(both);
    expect(savedState()).toEqual(live);
  });
});
