/**
 * The "nnlab" kernelspec: absolute paths, memory caps, and that the capped form really caps
 * (one kernel start under `ulimit -v`).
 */
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DirectKernelClient } from "../../cli/src/kernel/direct";
import { addressSpaceNodeFlags, findKernelspec, kernelArgv, kernelEntry, writeKernelspec, type Kernelspec } from "../../cli/src/kernel/kernelspec";
import { kernelEntryBuilt, repoRoot } from "./protocol-cases";

const tmp = join(repoRoot, "test", ".tmp", "kernel-spec");

describe("writeKernelspec", () => {
  it("writes kernels/nnlab/kernel.json with absolute paths, signal interrupts and Jupyter's placeholder", () => {
    rmSync(tmp, { recursive: true, force: true });
    const dir = writeKernelspec(join(tmp, "plain"));
    expect(dir).toBe(join(tmp, "plain", "kernels", "nnlab"));
    const spec = JSON.parse(readFileSync(join(dir, "kernel.json"), "utf8")) as Kernelspec;
    expect(spec).toMatchObject({ display_name: "TypeScript (nnlab)", language: "typescript", interrupt_mode: "message" });
    expect(spec.argv).toEqual([process.execPath, kernelEntry(), "--config-path", "{connection_file}"]);
    expect(isAbsolute(spec.argv[1])).toBe(true);
    expect(findKernelspec("nnlab", [join(tmp, "nowhere"), join(tmp, "plain")])?.dir).toBe(dir);
    expect(findKernelspec("nnlab", [join(tmp, "nowhere")])).toBeNull();
  });

  it("memory caps: heap flag before the entry, address space through `sh -c ulimit -v … exec`", () => {
    const spec = JSON.parse(
      readFileSync(join(writeKernelspec(join(tmp, "capped"), { maxOldSpaceMb: 512, addressSpaceKb: 3_000_000 }), "kernel.json"), "utf8"),
    ) as Kernelspec;
    expect(spec.argv[0]).toBe("sh");
    expect(spec.argv[1]).toBe("-c");
    expect(spec.argv[2]).toBe(
      `ulimit -v 3000000 && exec ${[process.execPath, "--max-old-space-size=512", ...addressSpaceNodeFlags(), kernelEntry()].join(" ")} --config-path "$0"`,
    );
    expect(spec.argv[3]).toBe("{connection_file}");
    expect(kernelArgv({ maxOldSpaceMb: 384 })).toEqual([
      process.execPath,
      "--max-old-space-size=384",
      kernelEntry(),
      "--config-path",
      "{connection_file}",
    ]);
  });

  it("refuses an address-space cap too small for V8 to start", () => {
    expect(() => kernelArgv({ addressSpaceKb: 1_000_000 })).toThrow(/too small.*2,000,000/);
  });
});

describe.skipIf(!kernelEntryBuilt)("kernel under an address-space cap", () => {
  let client: DirectKernelClient | undefined;
  afterAll(async () => {
    await client?.shutdown();
  });

  it("a 4 GB typed array fails with a catchable RangeError; the heap flag is applied; SIGINT still works", async () => {
    mkdirSync(tmp, { recursive: true });
    client = new DirectKernelClient({ cwd: tmp, maxOldSpaceMb: 256, addressSpaceKb: 3_000_000 });
    await client.start();
    const big = await client.execute(`const big = new Float64Array(512 * 1024 * 1024);`);
    expect(big.status, JSON.stringify(big)).toBe("error");
    expect(big.ename).toBe("RangeError");
    expect(big.evalue).toMatch(/Array buffer allocation failed/);
    // WebAssembly memories (nnlab's conv and matmul kernels) still work under the cap: without
    // --disable-wasm-trap-handler V8 reserves ~10 GB of address space for each and fails.
    const wasm = await client.execute(
      `new (globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number }) => { buffer: ArrayBuffer } } }).WebAssembly.Memory({ initial: 100 }).buffer.byteLength`,
    );
    expect(wasm.status, JSON.stringify(wasm)).toBe("ok");
    expect(wasm.outputs).toContainEqual(expect.objectContaining({ data: { "text/plain": "6553600" } }));
    const heap = await client.execute(`require("v8").getHeapStatistics().heap_size_limit < 400 * 1024 * 1024`);
    expect(heap.outputs).toContainEqual(expect.objectContaining({ data: { "text/plain": "true" } }));
    let sent = false;
    const r = await client.execute(`console.log("loop");\nwhile (true) {}`, {
      onOutput: () => {
        // Once: a second interrupt sent after the cell ended would hit the next cell.
        if (!sent) void client!.interrupt();
        sent = true;
      },
    });
    expect(r.status).toBe("error");
    expect(r.evalue).toMatch(/interrupted/);
    // Exhausting the 256 MB heap kills V8 with SIGABRT; the reason carries V8's last words.
    const oom = await client.execute(`const hog: object[] = [];\nwhile (true) hog.push({ n: hog.length, s: "x".repeat(64) + hog.length });`);
    expect(oom.status, JSON.stringify(oom)).toBe("died");
    expect(oom.reason).toMatch(/^kernel died \(signal SIGABRT\): .*heap/i);
  }, 120_000);
});
