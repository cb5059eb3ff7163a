/**
 * The grading sandbox: every grading kernel runs inside bubblewrap (`bwrap`), with
 *
 * - its own mount namespace: the root is an empty tmpfs holding only /usr (and the /bin, /lib
 *   links), a few /etc files, and, read-only, the runtime the kernel needs (node, cli/dist,
 *   kernel-lib's dist and the node_modules folders the kernel requires, found by resolving, so
 *   wherever the project lives). The lesson, the other submissions, the grader's --out and the
 *   rest of the project are not mounted at all. Writable: only a size-limited tmpfs home (the
 *   student's files are copied into it), a size-limited /tmp and the socket folder;
 * - its own network namespace (no network; the kernel's sockets are Unix sockets in its private
 *   /run/nnlab, which the grader reaches through /proc/<pid>/root and no other sandbox can see);
 * - its own pid namespace (a kernel can neither see nor signal another); `--die-with-parent`, and
 *   killing bwrap's process group ends the namespace, so no child survives its submission;
 * - rlimits set by prlimit before node starts: processes (per uid, and each job slot has its own
 *   uid when the grader is root; per user namespace when rootless), open files, file size, CPU
 *   time, address space; and the tmpfs sizes bound disk use.
 *
 * Two modes. As root, bwrap runs privileged (it can bind runtime files from a 0700 folder) and
 * setpriv drops the kernel to an unprivileged uid of its job slot. Otherwise bwrap runs rootless
 * through a user namespace (`--unshare-user --disable-userns`).
 */
import { spawnSync } from "node:child_process";
import { chownSync, existsSync, lchownSync, lstatSync, readFileSync, readdirSync, readlinkSync, realpathSync } from "node:fs";
import { dirname, join, sep } from "node:path";
import { addressSpaceNodeFlags, cliRoot, kernelEntry } from "../kernel/kernelspec";

export interface SandboxUser {
  uid: number;
  gid: number;
}

export const BWRAP = "/usr/bin/bwrap";
const SETPRIV = "/usr/bin/setpriv";
const PRLIMIT = "/usr/bin/prlimit";

/** Inside the sandbox: the kernel's cwd and HOME, and the prefix of its Unix sockets. */
export const SANDBOX_HOME = "/home/student";
export const SANDBOX_IPC = "/run/nnlab/kernel";

/**
 * First uid of the sandbox users when the grader is root. Far above any uid a system hands out,
 * and with no passwd entry (nothing on the host belongs to it). One uid per job slot and per
 * grader process, because RLIMIT_NPROC counts per uid: with a shared uid, a fork bomb in one
 * kernel would stop another kernel's threads from starting (in the same batch, or in another
 * batch graded at the same time).
 */
export const SANDBOX_UID_BASE = 3_500_000_000;
/** Slots per grader process with a uid of their own (more jobs than this share uids). */
export const SANDBOX_SLOTS = 64;

export interface SandboxLimits {
  /** RLIMIT_AS in KiB (typed arrays included; V8 needs ≥ 2,000,000). */
  addressSpaceKb: number;
  /** V8 heap cap. */
  maxOldSpaceMb: number;
  /** RLIMIT_NPROC: processes and threads of the sandbox's uid (node alone uses about 20). */
  processes: number;
  /** RLIMIT_NOFILE. */
  openFiles: number;
  /** RLIMIT_FSIZE in bytes: the largest file a kernel may write. */
  fileSizeBytes: number;
  /** RLIMIT_CPU in seconds, per process: a backstop under the grader's wall-clock limits. */
  cpuSeconds: number;
  /** Size of the writable home (the student's files and whatever the notebook writes). */
  homeBytes: number;
  /** Size of the private /tmp. */
  tmpBytes: number;
}

export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = {
  addressSpaceKb: 4_000_000,
  maxOldSpaceMb: 1024,
  processes: 128,
  openFiles: 512,
  fileSizeBytes: 64 * 1024 * 1024,
  cpuSeconds: 1800,
  homeBytes: 128 * 1024 * 1024,
  tmpBytes: 64 * 1024 * 1024,
};

export type SandboxMode = "root" | "rootless";

export interface SandboxSpec {
  mode: SandboxMode;
  /** root mode: the uid/gid the kernel drops to. */
  user?: SandboxUser | undefined;
  /** Host folder holding the student's files (and the connection file): bound read-only at the same path. */
  hostDir: string;
  limits: SandboxLimits;
}

export function sandboxUserForSlot(slot: number, graderPid: number = process.pid): SandboxUser {
  const uid = SANDBOX_UID_BASE + (graderPid % 65536) * SANDBOX_SLOTS + (slot % SANDBOX_SLOTS);
  return { uid, gid: uid };
}

/** The mode this process can sandbox in: root (privileged bwrap + setpriv) or rootless. */
export function sandboxMode(): SandboxMode {
  return process.getuid?.() === 0 ? "root" : "rootless";
}

/** Hand the private working directory (and its files) to the sandbox user. */
export function giveWorkdir(dir: string, user: SandboxUser): void {
  chownSync(dir, user.uid, user.gid);
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    lchownSync(p, user.uid, user.gid);
    if (name === "node_modules") for (const inner of readdirSync(p)) lchownSync(join(p, inner), user.uid, user.gid);
  }
}

/** The `node_modules` folder that holds `pkg` as resolved from `from`, or undefined. */
function nodeModulesOf(pkg: string, from: string): string | undefined {
  try {
    const file = require.resolve(`${pkg}/package.json`, { paths: [from] });
    const i = file.lastIndexOf(`${sep}node_modules${sep}`);
    return i < 0 ? undefined : file.slice(0, i + "/node_modules".length);
  } catch {
    return undefined;
  }
}

/**
 * What the kernel reads at run time, as host paths, each bound read-only at the same path:
 * node (when not under /usr), cli's dist and package.json, the nnlab library's, and every
 * node_modules folder that holds a dependency of either (resolved, not assumed, so a hoisted or
 * nested install both work). Real paths, so symlinks inside them resolve in the sandbox too.
 */
export function runtimePaths(): string[] {
  const cli = realpathSync(cliRoot());
  const lib = realpathSync(dirname(require.resolve("nnlab/package.json", { paths: [cli] })));
  const paths = new Set<string>();
  const node = realpathSync(process.execPath);
  if (!node.startsWith("/usr/")) paths.add(node);
  for (const root of [cli, lib]) {
    paths.add(join(root, "package.json"));
    paths.add(join(root, "dist"));
    const deps = Object.keys(
      (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { dependencies?: Record<string, string> }).dependencies ?? {},
    );
    for (const d of deps) {
      const nm = nodeModulesOf(d, root);
      if (nm) paths.add(realpathSync(nm));
    }
  }
  return [...paths].filter((p) => existsSync(p)).sort();
}

/** /bin, /lib… are links into /usr on a merged-/usr system, real folders elsewhere. */
function systemMounts(): string[] {
  const args = ["--ro-bind", "/usr", "/usr"];
  for (const d of ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"]) {
    let st: ReturnType<typeof lstatSync>;
    try {
      st = lstatSync(d);
    } catch {
      continue;
    }
    if (st.isSymbolicLink()) args.push("--symlink", readlinkSync(d), d);
    else if (st.isDirectory()) args.push("--ro-bind", d, d);
  }
  // Harmless system files only: no /etc/shadow, no host or network configuration.
  for (const f of [
    "/etc/ld.so.cache",
    "/etc/passwd",
    "/etc/group",
    "/etc/nsswitch.conf",
    "/etc/localtime",
    "/etc/alternatives",
    "/etc/ssl/openssl.cnf",
  ]) {
    if (existsSync(f)) args.push("--ro-bind", f, f);
  }
  return args;
}

/**
 * `--dir` (mode 0755) for every folder above a mount point: bwrap creates missing ones with its
 * umask (0700 for a root grader with umask 077), which the sandbox uid could not traverse.
 */
function parentDirs(targets: string[], mountedBefore: string[] = []): string[] {
  const dirs = new Set<string>();
  for (const t of targets) for (let d = dirname(t); d !== "/" && d !== "."; d = dirname(d)) dirs.add(d);
  const mounted = new Set([...targets, ...mountedBefore]);
  return [...dirs]
    .filter((d) => !mounted.has(d))
    .sort((a, b) => a.split("/").length - b.split("/").length || a.localeCompare(b))
    .flatMap((d) => ["--perms", "0755", "--dir", d]);
}

/** Mount-point paths named by bwrap arguments (the last operand of each binding option). */
function targetsOf(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (["--ro-bind", "--bind", "--symlink"].includes(args[i])) out.push(args[i + 2]);
    else if (["--tmpfs", "--proc", "--dev"].includes(args[i])) out.push(args[i + 1]);
  }
  return out;
}

function q(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The kernel command for one sandboxed kernel; `{connection_file}` (a file inside hostDir) is
 * replaced by the client or Jupyter as usual.
 */
export function sandboxArgv(spec: SandboxSpec, connectionFile = "{connection_file}"): string[] {
  const l = spec.limits;
  // The tmpfs mounts come first, then the folders leading to each bind and the binds: a folder
  // made before the tmpfs on /tmp is hidden by it, which broke every kernel of a project that lives
  // under /tmp (a CI clone there could not find the kernel's entry).
  const filesystems = [
    ...systemMounts(),
    "--proc",
    "/proc",
    "--dev",
    "/dev",
    "--perms",
    "1777",
    "--size",
    String(l.tmpBytes),
    "--tmpfs",
    "/tmp",
    "--perms",
    "1777",
    "--size",
    String(l.homeBytes),
    "--tmpfs",
    SANDBOX_HOME,
    "--perms",
    "1777",
    "--size",
    "1048576",
    "--tmpfs",
    dirname(SANDBOX_IPC),
  ];
  const binds = [...runtimePaths().flatMap((p) => ["--ro-bind", p, p]), "--ro-bind", spec.hostDir, spec.hostDir];
  const bw = [
    BWRAP,
    "--die-with-parent",
    "--new-session",
    "--unshare-pid",
    "--unshare-net",
    "--unshare-ipc",
    "--unshare-uts",
    "--unshare-cgroup-try",
    ...(spec.mode === "rootless" ? ["--unshare-user", "--disable-userns"] : ["--cap-add", "CAP_SETUID,CAP_SETGID"]),
    ...parentDirs(targetsOf(filesystems)),
    ...filesystems,
    ...parentDirs(targetsOf(binds), targetsOf(filesystems)),
    ...binds,
    // A pid from outside the sandbox's pid namespace names nothing (or someone else) inside; the
    // kernel would take its launcher for dead (cli/src/tslab/parent-watch.ts).
    "--unsetenv",
    "JPY_PARENT_PID",
    "--chdir",
    SANDBOX_HOME,
    "--setenv",
    "HOME",
    SANDBOX_HOME,
    "--setenv",
    "TMPDIR",
    "/tmp",
    "--setenv",
    "PATH",
    "/usr/bin:/bin",
    "--",
  ];
  const drop =
    spec.mode === "root" && spec.user
      ? [SETPRIV, `--reuid=${spec.user.uid}`, `--regid=${spec.user.gid}`, "--clear-groups", "--inh-caps=-all", "--"]
      : [];
  const limits = [
    PRLIMIT,
    `--nproc=${l.processes}`,
    `--nofile=${l.openFiles}`,
    `--fsize=${l.fileSizeBytes}`,
    `--cpu=${l.cpuSeconds}`,
    `--as=${l.addressSpaceKb * 1024}`,
    "--core=0",
    "--",
  ];
  // The student's files are copied into the tmpfs home (the host copy stays read-only), then sh
  // becomes node, so the kernel is the process the limits apply to.
  const script = `cp -R "$1"/. ${SANDBOX_HOME}/ 2>/dev/null; exec ${q(process.execPath)} --max-old-space-size=${l.maxOldSpaceMb} ${addressSpaceNodeFlags().join(" ")} ${q(kernelEntry())} --config-path "$0"`;
  return [...bw, ...drop, ...limits, "/bin/sh", "-c", script, connectionFile, spec.hostDir];
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * `/proc/<pid>/root` of the sandbox's init (bwrap's child): the kernel's mount namespace seen
 * from the grader, where its Unix sockets are. Polled, because bwrap forks it a moment after
 * being spawned.
 */
export async function sandboxRoot(bwrapPid: number, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let children = "";
    try {
      children = readFileSync(`/proc/${bwrapPid}/task/${bwrapPid}/children`, "utf8").trim();
    } catch {
      throw new Error(`the sandbox (bwrap pid ${bwrapPid}) ended before it started the kernel`);
    }
    const first = children.split(/\s+/)[0];
    if (first) return `/proc/${first}/root`;
    if (Date.now() > deadline) throw new Error(`the sandbox (bwrap pid ${bwrapPid}) started no process within ${timeoutMs / 1000} s`);
    await sleep(5);
  }
}

export const INSTALL_HINT =
  "install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap; Fedora: dnf install bubblewrap) " +
  "and, when not grading as root, allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1 " +
  "and user.max_user_namespaces > 0; on Ubuntu 24.04 also kernel.apparmor_restrict_unprivileged_userns=0). " +
  "Only for trusted submissions: --unsafe-no-sandbox runs kernels without it";

/**
 * Whether sandboxed kernels can run here: bwrap exists and sets up exactly the namespaces and
 * privilege drop a kernel will get. Undefined when they can; otherwise what is wrong and what to install.
 */
export function sandboxProblem(mode: SandboxMode = sandboxMode(), bwrap: string = BWRAP): string | undefined {
  if (!existsSync(bwrap)) return `${bwrap} is missing: ${INSTALL_HINT}`;
  if (mode === "root" && !existsSync(SETPRIV)) return `${SETPRIV} is missing (util-linux): it drops sandboxed kernels to an unprivileged uid`;
  if (!existsSync(PRLIMIT)) return `${PRLIMIT} is missing (util-linux): it sets the sandboxed kernels' limits`;
  const probe = [
    BWRAP,
    "--die-with-parent",
    "--unshare-pid",
    "--unshare-net",
    "--unshare-ipc",
    ...(mode === "rootless" ? ["--unshare-user", "--disable-userns"] : ["--cap-add", "CAP_SETUID,CAP_SETGID"]),
    ...systemMounts(),
    "--proc",
    "/proc",
    "--dev",
    "/dev",
    "--size",
    "1048576",
    "--tmpfs",
    "/tmp",
    "--",
    ...(mode === "root" ? [SETPRIV, `--reuid=${SANDBOX_UID_BASE}`, `--regid=${SANDBOX_UID_BASE}`, "--clear-groups", "--"] : []),
    "/bin/true",
  ];
  const r = spawnSync(probe[0], probe.slice(1), { encoding: "utf8", timeout: 20_000 });
  if (r.error) return `${BWRAP} could not run: ${r.error.message}. ${INSTALL_HINT}`;
  if (r.status !== 0) return `${BWRAP} cannot set up a sandbox here (${(r.stderr || `exit ${r.status}`).trim()}). ${INSTALL_HINT}`;
  return undefined;
}
