/**
 * The kernel must not outlive the process that started it: nnlab's own client
 * (cli/src/kernel/direct.ts), the grading sandbox's launcher, or Jupyter Server.
 *
 * What the kernel knows about its launcher is read by the first statement of its entry point
 * (kernel.ts), before the sockets, nnlab or TypeScript load: a launcher that dies during the
 * seconds of start-up must end the kernel too. (The parent pid used to be read once the kernel
 * had loaded its modules; a launcher killed before then left a kernel that took init, or a
 * subreaper, for its parent and lived on for good.) The control thread (control-worker.ts)
 * watches from then on, because a cell or the compiler's start can block the main thread.
 *
 * Three signals, strongest first:
 * - The lifeline: nnlab's launchers pass the kernel one end of a socket pair as an extra fd and
 *   name it in NNLAB_KERNEL_LIFELINE; only the launcher holds the other end. End of file on it
 *   means the launcher is gone, however it died and however early: the fd exists from the
 *   kernel's first instruction, so there is no window, and it survives bwrap, setpriv, prlimit
 *   and sh's exec, so it works in the grading sandbox, whose pid namespace makes pids useless.
 * - JPY_PARENT_PID, which jupyter_client (and nnlab's client) set to the launcher's pid.
 * - The parent pid at start: re-parenting (to init or a subreaper) is how a dead parent shows.
 */
import { writeSync } from "node:fs";
import * as net from "node:net";

/** Environment variable naming the lifeline fd, set by nnlab's launchers (cli/src/kernel/lifeline.ts). */
export const LIFELINE_ENV = "NNLAB_KERNEL_LIFELINE";

/** What the kernel knew about its launcher at its first statement (plain data: it goes to the control thread). */
export interface Launch {
  /** process.ppid at the first statement. */
  ppid: number;
  /** The launcher's pid from JPY_PARENT_PID, when it differs from ppid and is worth watching (see captureLaunch). */
  launcherPid?: number | undefined;
  /** The lifeline fd, when a launcher passed one. */
  lifelineFd?: number | undefined;
}

function positiveInt(s: string | undefined): number | undefined {
  if (s === undefined || !/^\d+$/.test(s.trim())) return undefined;
  const n = Number(s);
  return n > 0 ? n : undefined;
}

/** Whether a process with this pid exists (EPERM: it does, owned by another user). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Reads the launcher's traces. Call it first thing: every later moment widens the window in
 * which a dead launcher goes unnoticed. The lifeline variable is removed from the environment,
 * so that processes a cell starts do not take an fd they never got for a lifeline.
 */
export function captureLaunch(env: NodeJS.ProcessEnv = process.env): Launch {
  const ppid = process.ppid;
  const lifelineFd = positiveInt(env[LIFELINE_ENV]);
  delete env[LIFELINE_ENV];
  const jpy = positiveInt(env.JPY_PARENT_PID);
  // JPY_PARENT_PID equal to our parent adds nothing to the ppid watch. When it differs, the
  // launcher is not our parent: a wrapper that did not exec (sh -c, conda run, a script) sits
  // between, and it would stay alive, waiting for us, after the launcher died; so the launcher
  // is watched too. If it is already gone, the launcher died before this line ran (see
  // goneAtStart). A value leaked from an outer notebook into a launcher that does not set it
  // (jupyter_client and nnlab's client always do) only ties the kernel to that outer server too.
  // JPY_PARENT_PID 1 says nothing (init never goes away).
  // The pid is only meaningful in the launcher's pid namespace: a launcher that starts the kernel
  // in a namespace of its own must remove it (nnlab's sandbox does: bwrap --unsetenv).
  const launcherPid = jpy !== undefined && jpy !== 1 && jpy !== ppid ? jpy : undefined;
  return { ppid, launcherPid, lifelineFd };
}

/** Why the kernel must end at once, or undefined: the launcher named by JPY_PARENT_PID died before the kernel's first statement. */
export function goneAtStart(launch: Launch): string | undefined {
  if (launch.launcherPid !== undefined && !pidAlive(launch.launcherPid))
    return `its launcher (JPY_PARENT_PID ${launch.launcherPid}) was gone before the kernel started`;
  return undefined;
}

/**
 * Why the kernel must end now, or undefined; polled.
 *
 * A parent pid of 1 (or 0) at the first statement is not watched. Either the launcher died
 * before the kernel ran a line, or the kernel was started by the init of a pid namespace: the
 * grading sandbox, where the kernel is pid 2 and its parent is bwrap's pid 1 (measured), or a
 * container. From inside these cannot be told apart, and ending the kernel would break every
 * sandboxed start; an init that dies takes its whole namespace with it anyway, and the orphan
 * case is covered by the lifeline (nnlab's launchers) or JPY_PARENT_PID (jupyter_client).
 * A subreaper that adopted the kernel before its first statement cannot be recognised either:
 * it is watched as if it were the parent, and again only those two tell. A launcher that gives
 * neither and dies before the kernel's first statement (tens of ms of node's start) leaves it
 * running.
 */
export function parentGone(launch: Launch): string | undefined {
  if (launch.ppid > 1 && process.ppid !== launch.ppid) return `its parent (pid ${launch.ppid}) is gone`;
  if (launch.launcherPid !== undefined && !pidAlive(launch.launcherPid)) return `its launcher (JPY_PARENT_PID ${launch.launcherPid}) is gone`;
  return undefined;
}

/**
 * Watches the launch: the parent and launcher every second, the lifeline as it closes. Calls
 * `gone` once with the reason. The timer stays referenced, so the watch cannot silently stop
 * while the thread lives.
 */
export function watchLaunch(launch: Launch, gone: (why: string) => void): { stop(): void } {
  let fired = false;
  const fire = (why: string): void => {
    if (fired) return;
    fired = true;
    stop();
    gone(why);
  };
  const timer = setInterval(() => {
    const why = parentGone(launch);
    if (why) fire(why);
  }, 1000);
  let lifeline: net.Socket | undefined;
  if (launch.lifelineFd !== undefined) {
    try {
      lifeline = new net.Socket({ fd: launch.lifelineFd, readable: true, writable: false });
      // Nothing is ever sent on it; whatever comes is dropped. Its end, or an error, is the news.
      lifeline.on("end", () => fire(`its launcher closed the lifeline (fd ${launch.lifelineFd})`));
      lifeline.on("error", (e) => fire(`its lifeline (fd ${launch.lifelineFd}) failed: ${e.message}`));
      lifeline.resume();
    } catch (e) {
      // Not a socket or pipe: the kernel still runs, watched through its parent only.
      lifeline = undefined;
      warn(`nnlab kernel: ${LIFELINE_ENV}=${launch.lifelineFd} is not a usable fd (${(e as Error).message}); watching the parent pid only`);
    }
  }
  function stop(): void {
    clearInterval(timer);
    lifeline?.removeAllListeners();
    lifeline?.on("error", () => undefined);
    lifeline?.destroy();
  }
  return { stop };
}

/**
 * One line on fd 2, written at once (from the control thread, process.stderr goes through the
 * main thread, which may be blocked). A launcher that died may have left a closed pipe there.
 */
export function warn(line: string): void {
  try {
    writeSync(2, `${line}\n`);
  } catch {
    // nobody to tell
  }
}
