/**
 * The Jupyter project's kernel conformance suite (`jupyter_kernel_test`, Debian
 * python3-jupyter-kernel-test) against the nnlab kernel: test/kernel/jkt_nnlab.py, run with the
 * system Python's unittest. Every test must pass; only the pager test may be skipped.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pythonHasModules } from "../../cli/src/kernel/spawn-jupyter";
import { writeKernelspec } from "../../cli/src/kernel/kernelspec";
import { kernelEntryBuilt, repoRoot } from "./protocol-cases";

const PYTHON = "/usr/bin/python3";
const available = pythonHasModules(["jupyter_kernel_test", "jupyter_client"], PYTHON);
if (!available)
  console.log("jupyter_kernel_test skipped: /usr/bin/python3 cannot import jupyter_kernel_test (apt-get install python3-jupyter-kernel-test)");

const tmp = join(repoRoot, "test", ".tmp", "jkt");

describe.skipIf(!available || !kernelEntryBuilt)("jupyter_kernel_test against the nnlab kernel", () => {
  it("passes every test but the pager (TypeScript has no pager payload)", () => {
    rmSync(tmp, { recursive: true, force: true });
    // The kernel's cwd is inside the repository, so that `import … from "nnlab"` resolves.
    mkdirSync(join(tmp, "runtime"), { recursive: true });
    writeKernelspec(join(tmp, "jupyter"));
    const r = spawnSync(PYTHON, ["-m", "unittest", "-v", "jkt_nnlab"], {
      cwd: tmp,
      env: {
        ...process.env,
        JUPYTER_PATH: join(tmp, "jupyter"),
        JUPYTER_RUNTIME_DIR: join(tmp, "runtime"),
        PYTHONPATH: join(repoRoot, "test", "kernel"),
      },
      encoding: "utf-8",
      timeout: 240_000,
    });
    const log = `${r.stdout}\n${r.stderr}`;
    expect(r.status, log).toBe(0);
    const results = [...log.matchAll(/^(test_\w+) \(.*\) \.\.\. (\w+)/gm)].map((m) => [m[1], m[2]]);
    expect(results.length, log).toBeGreaterThanOrEqual(12);
    const notOk = results.filter(([, outcome]) => outcome !== "ok");
    expect(notOk).toEqual([["test_pager", "skipped"]]);
    // History and clear_output are exercised, not skipped for want of samples.
    expect(results).toContainEqual(["test_history", "ok"]);
    expect(results).toContainEqual(["test_clear_output", "ok"]);
  }, 300_000);
});
