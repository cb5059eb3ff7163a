/**
 * The "nnlab" kernelspec: how Jupyter (and the direct client) start the nnlab kernel.
 *
 * Memory caps, because a student's cell can allocate without bound:
 * - `maxOldSpaceMb` → `--max-old-space-size`: caps the JS heap only. Typed arrays live outside
 *   it (8 × Float32Array(64M) = 2 GiB passed a 512 MB heap cap), so for nnlab's tensors it is
 *   not a memory limit; heap exhaustion kills the kernel with SIGABRT.
 * - `addressSpaceKb` → `sh -c "ulimit -v N && exec node …"` (RLIMIT_AS): a large typed array
 *   then fails with a catchable `RangeError: Array buffer allocation failed` and the kernel lives.
 *   Below ≈2,000,000 KiB V8 cannot even start. `exec` keeps node the kernel process, so SIGINT
 *   interrupts still reach it.
 * - Under RLIMIT_AS WebAssembly memories need `--disable-wasm-trap-handler`: with the trap handler
 *   V8 reserves ~10 GB of address space per memory (guard regions), so nnlab's SIMD kernels (conv,
 *   large matmul) failed with "WebAssembly.Instance(): Out of memory" under a 4 GB limit. Without
 *   it V8 bounds-checks explicitly and reserves only what the memory holds.
 * - A hard RSS limit needs cgroups (e.g. `systemd-run --scope -p MemoryMax=…`); not done here.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const KERNEL_NAME = "nnlab";
export const DISPLAY_NAME = "TypeScript (nnlab)";

export interface KernelMemoryOptions {
  /** `--max-old-space-size` in MB (JS heap only). */
  maxOldSpaceMb?: number | undefined;
  /** RLIMIT_AS in KiB via `ulimit -v`; use ≥ 2,000,000. */
  addressSpaceKb?: number | undefined;
}

export interface KernelArgvOptions extends KernelMemoryOptions {
  /** Path of the node binary; default the one running this code. */
  node?: string | undefined;
  /** Extra node flags, before the entry script. */
  nodeFlags?: string[] | undefined;
  /** What to pass as `--config-path`; default Jupyter's `{connection_file}` placeholder. */
  connectionFile?: string | undefined;
}

export interface Kernelspec {
  argv: string[];
  display_name: string;
  language: string;
  interrupt_mode: "signal" | "message";
  env?: Record<string, string>;
  metadata?: Record<string, unknown>;
}

/** cli/ (this file is cli/dist/kernel/kernelspec.js once built). */
export function cliRoot(): string {
  return path.resolve(__dirname, "..", "..");
}

/** The repository (or installed pack) root: the folder holding cli/ and node_modules/. */
export function repoRoot(): string {
  return path.resolve(cliRoot(), "..");
}

/** The kernel entry script the kernelspec runs. */
export function kernelEntry(): string {
  return path.join(cliRoot(), "dist", "tslab", "kernel.js");
}

/** The project-local JUPYTER_PATH entry: `<repo>/out/jupyter` (holds kernels/nnlab/). */
export function kernelspecDir(): string {
  return path.join(repoRoot(), "out", "jupyter");
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function checkAddressSpace(kb: number): void {
  if (!Number.isInteger(kb) || kb < 2_000_000) {
    throw new Error(`kernelspec: addressSpaceKb ${kb} is too small: V8 cannot start below about 2,000,000 KiB (ulimit -v); use 3000000 or more`);
  }
}

/**
 * Node flags that go with an address-space limit: `--disable-wasm-trap-handler` where this Node
 * has it (22.2, backported to 20.15); an older Node keeps the trap handler (and the failure).
 */
export function addressSpaceNodeFlags(): string[] {
  return process.allowedNodeEnvironmentFlags.has("--disable-wasm-trap-handler") ? ["--disable-wasm-trap-handler"] : [];
}

/** The argv that starts the kernel (with `{connection_file}` unless `connectionFile` is given). */
export function kernelArgv(opts: KernelArgvOptions = {}): string[] {
  const node = opts.node ?? process.execPath;
  const flags = [...(opts.nodeFlags ?? [])];
  if (opts.maxOldSpaceMb !== undefined) flags.push(`--max-old-space-size=${Math.round(opts.maxOldSpaceMb)}`);
  const conn = opts.connectionFile ?? "{connection_file}";
  if (opts.addressSpaceKb === undefined) return [node, ...flags, kernelEntry(), "--config-path", conn];
  checkAddressSpace(opts.addressSpaceKb);
  const command = [node, ...flags, ...addressSpaceNodeFlags(), kernelEntry()].map(shellQuote).join(" ");
  // The connection file arrives as $0 so that Jupyter's placeholder substitution still works.
  return ["sh", "-c", `ulimit -v ${opts.addressSpaceKb} && exec ${command} --config-path "$0"`, conn];
}

export interface KernelspecOptions extends KernelMemoryOptions {
  /**
   * How Jupyter interrupts: "message" (default: interrupt_request on control, served by the nnlab
   * kernel's control thread, which also stops a cell that is still being type-checked, where a
   * SIGINT is lost) or "signal" (SIGINT, the only way plain tslab understood).
   */
  interruptMode?: "signal" | "message";
}

export function kernelspec(opts: KernelspecOptions = {}): Kernelspec {
  return {
    argv: kernelArgv(opts),
    display_name: DISPLAY_NAME,
    language: "typescript",
    interrupt_mode: opts.interruptMode ?? "message",
    metadata: { nnlab: { maxOldSpaceMb: opts.maxOldSpaceMb ?? null, addressSpaceKb: opts.addressSpaceKb ?? null } },
  };
}

/**
 * Writes `<dir>/kernels/nnlab/kernel.json` (dir is a JUPYTER_PATH entry or a Jupyter data dir)
 * and returns the kernelspec folder.
 */
export function writeKernelspec(dir: string = kernelspecDir(), opts: KernelspecOptions = {}): string {
  const specDir = path.join(dir, "kernels", KERNEL_NAME);
  fs.mkdirSync(specDir, { recursive: true });
  fs.writeFileSync(path.join(specDir, "kernel.json"), JSON.stringify(kernelspec(opts), null, 2) + "\n");
  return specDir;
}

/** Jupyter's data search path for kernelspecs, in Jupyter's order (JUPYTER_PATH first). */
export function jupyterDataPath(env: NodeJS.ProcessEnv = process.env): string[] {
  const dirs: string[] = [];
  for (const p of (env.JUPYTER_PATH ?? "").split(path.delimiter)) if (p) dirs.push(p);
  dirs.push(env.JUPYTER_DATA_DIR ?? path.join(env.XDG_DATA_HOME ?? path.join(os.homedir(), ".local", "share"), "jupyter"));
  dirs.push("/usr/local/share/jupyter", "/usr/share/jupyter");
  return dirs;
}

/** Finds a kernelspec by name on the data path; null when absent. */
export function findKernelspec(name: string = KERNEL_NAME, searchPath: string[] = jupyterDataPath()): { dir: string; spec: Kernelspec } | null {
  for (const d of searchPath) {
    const file = path.join(d, "kernels", name, "kernel.json");
    if (fs.existsSync(file)) {
      return { dir: path.dirname(file), spec: JSON.parse(fs.readFileSync(file, "utf-8")) as Kernelspec };
    }
  }
  return null;
}
