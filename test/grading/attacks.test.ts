/**
 * Attacks on the grader, graded as one `--jobs 2` batch beside full-marks victims (attacks.ts),
 * and grading from a copy of the project inside a 0700 folder.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kernelEntry } from "../../cli/src/kernel/kernelspec";
import { serializeNotebook } from "../../cli/src/lessons/format/notebook";
import { type BatchSummary, gradeBatch, type KernelFactory } from "../../cli/src/lessons/grade";
import { sandboxedKernelFactory } from "../../cli/src/lessons/kernels";
import { hiddenNeedles } from "../../cli/src/lessons/redact";
import { readRecord } from "../../cli/src/lessons/record";
import { releaseLesson } from "../../cli/src/lessons/release";
import { sandboxProblem } from "../../cli/src/lessons/sandbox";
import { attackSubmissions } from "./attacks";
import { hostileSubmissions } from "./hostile";
import { MINI, REPO } from "./helpers";

const built = existsSync(kernelEntry());
const problem = built ? sandboxProblem() : "the kernel is not built (npm run build)";
if (problem) console.log(`attack tests skipped: ${problem}`);

const LIMITS = { cellTimeoutMs: 30_000, notebookTimeoutMs: 120_000, maxOutputBytes: 200_000 };
const work = mkdtempSync(join(tmpdir(), "nnlab-test-attacks-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * Host processes of the batch still alive: every process of the batch inherits `marker` in its
 * environment (the attack code keeps it). Not by uid, nor by pid namespace: other test files'
 * kernels run as the same slot uids at the same time, and namespace inode numbers are reused.
 */
function survivors(marker: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((n) => /^\d+$/.test(n))) {
    try {
      const env = readFileSync(`/proc/${pid}/environ`, "latin1");
      if (env.includes(marker)) {
        found.push(`${pid}: ${readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").slice(0, 120)}`);
      }
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/**
 * Entries of the host temp folder that a batch graded by this process could have left: its work
 * folders and connection files carry the grader's pid (kernels cannot write the host's /tmp at
 * all: theirs is a tmpfs of their own).
 */
function ourTmpEntries(): string[] {
  return readdirSync(tmpdir()).filter((n) => n.startsWith(`nnlab-grade-${process.pid}-`) || n.startsWith(`nnlab-kernel-${process.pid}-`));
}

describe.skipIf(!!problem)("attacks on the grader, in one --jobs 2 batch beside victims", () => {
  const lesson = join(work, "lesson");
  const subsDir = join(work, "subs");
  const out = join(work, "out");
  const marker = `ATTACK_BATCH_MARK_${randomBytes(8).toString("hex")}`;
  const secretPaths = [join(lesson, "expected.json"), join(lesson, "release-record.json"), join(lesson, "source.ipynb")];
  const { good, attacks, victims } = attackSubmissions(secretPaths);
  let batch: BatchSummary;
  let tmpBefore: string[];
  const base = sandboxedKernelFactory();
  // Every process of the batch inherits the marker (bwrap passes the environment on).
  let kernelsStarted = 0;
  const factory: KernelFactory = (req) => {
    kernelsStarted++;
    return base({ ...req, env: { ...req.env, [marker]: "1" } });
  };

  beforeAll(async () => {
    cpSync(MINI, lesson, { recursive: true });
    releaseLesson(lesson, join(work, "release"));
    for (const a of attacks) {
      mkdirSync(join(subsDir, a.name), { recursive: true });
      writeFileSync(join(subsDir, a.name, "mini.ipynb"), serializeNotebook(a.notebook));
    }
    for (const v of victims) {
      mkdirSync(join(subsDir, v), { recursive: true });
      writeFileSync(join(subsDir, v, "mini.ipynb"), serializeNotebook(good));
    }
    tmpBefore = ourTmpEntries();
    batch = await gradeBatch({
      lessonDir: lesson,
      submissionsDir: subsDir,
      outDir: out,
      jobs: 2,
      force: true,
      limits: LIMITS,
      kernelFactory: factory,
    });
    // The pid namespaces are torn down asynchronously after bwrap is killed.
    await new Promise((r) => setTimeout(r, 1500));
  }, 600_000);

  const result = (name: string) => batch.results.find((r) => r.student === name)!;
  const studentFacing = (name: string) =>
    [join(out, "feedback", `${name}.html`), join(out, "autograded", `${name}.ipynb`), join(out, "gradescope", name, "results.json")]
      .map((f) => readFileSync(f, "utf8"))
      .join("\n");

  /** The text a cell printed, from the graded notebook (not its source). */
  const outputOf = (student: string, cellId: string): string => {
    const nb = JSON.parse(readFileSync(join(out, "autograded", `${student}.ipynb`), "utf8")) as {
      cells: { id?: string; outputs?: { text?: string | string[] }[] }[];
    };
    const cell = nb.cells.find((c) => c.id === cellId);
    return (cell?.outputs ?? []).map((o) => (Array.isArray(o.text) ? o.text.join("") : (o.text ?? ""))).join("");
  };

  it("runs every exploit (each printed its marker)", () => {
    for (const a of attacks) expect(outputOf(a.name, a.cellId), a.name).toContain(a.ranMarker);
  });

  it("no attacker gains a point and no victim loses one", () => {
    for (const a of attacks) expect(result(a.name).score, a.name).toBe(0);
    for (const v of victims) {
      const r = result(v);
      expect(r.graderError, v).toBeUndefined();
      expect(
        r.cases.filter((c) => c.status !== "passed").map((c) => `${c.id}: ${c.message}`),
        v,
      ).toEqual([]);
      expect(r.score, v).toBe(r.maxScore);
    }
  });

  it("the daemon found no other kernel to capture or command, and could signal nothing outside its sandbox", () => {
    const nb = outputOf("a_daemon", "daemon");
    expect(nb).toMatch(/DAEMON RAN pid \d+/);
    expect(nb).not.toMatch(/FOUND |CAPTURED |SENT /);
    // pids it may signal are its own namespace's only (small numbers), never a host pid of another kernel.
    const signalled = [...nb.matchAll(/CAN-SIGNAL (\d+)/g)].map((m) => Number(m[1]));
    expect(signalled.every((p) => p < 100)).toBe(true);
  });

  it("the 300 MB /tmp file is stopped by the private tmpfs size", () => {
    const m = /TMPFILE RAN wrote (\d+) stopped by (\w+)/.exec(outputOf("e_tmpfile", "tmpfile"));
    expect(m).not.toBeNull();
    expect(m![2]).toMatch(/ENOSPC|EFBIG/);
    expect(Number(m![1])).toBeLessThan(300 * 1024 * 1024);
  });

  it("nothing of the answer key appears in what any student sees", () => {
    const keyText = readFileSync(join(lesson, "expected.json"), "utf8");
    const numbers = [...keyText.matchAll(/\d\.\d{6,}/g)].map((m) => m[0].slice(0, 8));
    expect(numbers.length).toBeGreaterThan(0);
    const needles = [...numbers, ...hiddenNeedles(readRecord(lesson)).filter((n) => n.length > 20), '"cases": {'];
    const keyRead = outputOf("f_keyread", "keyread");
    expect(keyRead).toMatch(/KEYREAD RAN lib=\//);
    expect(keyRead).not.toMatch(/KEY \//);
    for (const name of [...attacks.map((a) => a.name), ...victims]) {
      const text = studentFacing(name);
      for (const n of needles) expect(text.includes(n), `${name} shows ${n}`).toBe(false);
    }
  });

  it("no process of the batch survives it (environment marker)", () => {
    expect(kernelsStarted).toBeGreaterThan(attacks.length + victims.length);
    expect(survivors(marker)).toEqual([]);
  });

  it("nothing of the batch stays in the host's /tmp", () => {
    expect(ourTmpEntries().filter((n) => !tmpBefore.includes(n))).toEqual([]);
  });
});

describe.skipIf(!!problem)("grading from a copy of the project inside a 0700 folder", () => {
  // Under out/, and under the temporary folder, which the sandbox covers with its own tmpfs (a
  // project cloned there lost its runtime to that tmpfs once). node_modules is hard-linked where
  // the file system allows, else copied.
  it.each([
    ["out/", join(REPO, "out")],
    ["the temporary folder", tmpdir()],
  ])(
    "gives the same scores as anywhere else, from a copy under %s (the runtime is bound into the sandbox, not read through the private folder)",
    (_, base) => {
      mkdirSync(base, { recursive: true });
      const priv = mkdtempSync(join(base, "nnlab-private-"));
      try {
        expect(statSync(priv).mode & 0o777).toBe(0o700);
        const proj = join(priv, "nnlab");
        mkdirSync(proj);
        cpSync(join(REPO, "package.json"), join(proj, "package.json"));
        for (const ws of ["cli", "kernel-lib"]) {
          cpSync(join(REPO, ws, "package.json"), join(proj, ws, "package.json"));
          cpSync(join(REPO, ws, "dist"), join(proj, ws, "dist"), { recursive: true });
        }
        const link = spawnSync("cp", ["-al", join(REPO, "node_modules"), join(proj, "node_modules")]);
        if (link.status !== 0) cpSync(join(REPO, "node_modules"), join(proj, "node_modules"), { recursive: true, verbatimSymlinks: true });
        const lesson = join(priv, "lesson");
        cpSync(MINI, lesson, { recursive: true });
        releaseLesson(lesson, join(priv, "release"));
        const { subs } = hostileSubmissions();
        const picked = subs.filter((s) => ["good", "released", "process_exit"].includes(s.name));
        for (const s of picked) {
          mkdirSync(join(priv, "subs", s.name), { recursive: true });
          writeFileSync(join(priv, "subs", s.name, "mini.ipynb"), serializeNotebook(s.notebook!));
        }
        const r = spawnSync(
          process.execPath,
          [join(proj, "cli", "dist", "main.js"), "grade", lesson, join(priv, "subs"), "--out", join(priv, "out"), "--jobs", "2"],
          { encoding: "utf8", timeout: 300_000 },
        );
        expect(r.status, r.stderr).toBe(0);
        const summary = JSON.parse(readFileSync(join(priv, "out", "summary.json"), "utf8")) as { scores: Record<string, number> };
        expect(summary.scores).toEqual(Object.fromEntries(picked.map((s) => [s.name, s.score])));
      } finally {
        rmSync(priv, { recursive: true, force: true });
      }
    },
    400_000,
  );
});
