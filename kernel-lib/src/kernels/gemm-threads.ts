/**
 * Worker threads for large matrix products: C is cut into as many rectangles as there are
 * threads, and the main thread and the workers each multiply rectangles into one shared
 * WebAssembly memory. No messages travel per product: the operands are already in the shared
 * memory, and a small shared control array (Atomics) says which product and which rectangle.
 *
 * Results do not change with the thread count: an element of C is computed the same way
 * whichever rectangle it is in (see gemm-part.ts), and tests compare 1 and 2 threads bit for bit.
 *
 * Rectangles are claimed, not assigned: a thread takes the next unclaimed one with a
 * compare-and-swap. A worker that is slow to wake (the OS takes tens of µs to schedule a sleeping
 * thread) therefore never delays a product: the main thread takes its rectangle too.
 *
 * Waiting threads spin only SPIN_MS before they sleep in Atomics.wait. Spinning longer looked
 * cheaper (no wake-up latency) and was not: the two vCPUs of the VM this was measured on share a
 * core's throughput, so a spinning worker slows the main thread down: with a long spin the MLP
 * benchmark's epoch took twice as long on two threads as on one (bench/NOTES.md). Workers are unref'd: they
 * never keep a process alive.
 */
import { gemmRange, readLayout, writeLayout, LAYOUT_INTS, packSpace, type DtypeKernels, type GemmLayout } from "./gemm-part";

// The control array, Int32 over a SharedArrayBuffer. Tags are 23 bits so that tag << 8 stays positive.
const SEQ = 0; // the product's number: the main thread bumps it to wake the workers
const CLAIM = 1; // (product tag << 8) | next unclaimed rectangle
const DONE = 2; // rectangles finished in this product
const FAILED = 3; // set by a worker whose rectangle threw
const DTYPE = 4; // 64 or 32
const CHUNKS = 5; // rectangles in this product
const WORKED = 6; // rectangles the workers have multiplied, ever (tests read it)
const BUSY = 7; // threads between the start of a claim and the end of its rectangle
const LAYOUT = 8;
const RECTS = LAYOUT + LAYOUT_INTS; // rowStart, rowEnd, colStart, colEnd per rectangle
export const MAX_THREADS = 16;
const SCRATCH = RECTS + 4 * MAX_THREADS; // aPack, bPack per thread
const CONTROL_INTS = SCRATCH + 2 * MAX_THREADS;

const SPIN_MS = 0.05;
/** How long the main thread waits for a worker's rectangle before it gives up on threads. */
const STALL_MS = 60_000;

export interface Rect {
  rowStart: number;
  rowEnd: number;
  colStart: number;
  colEnd: number;
}

interface Worker {
  unref(): void;
  terminate(): Promise<number>;
  on(event: string, listener: (...args: unknown[]) => void): void;
}

interface SharedKernels {
  memory: { buffer: ArrayBufferLike; grow(pages: number): number };
  f64: DtypeKernels;
  f32: DtypeKernels;
}

/** Where each field sits in the control array; handed to the workers, whose code cannot import. */
const AT = { SEQ, CLAIM, DONE, FAILED, DTYPE, CHUNKS, WORKED, BUSY, LAYOUT, RECTS, SCRATCH };
type Offsets = typeof AT;
type KernelNames = Record<"f64" | "f32", Record<keyof DtypeKernels, string>>;

/**
 * The loop every thread runs on a product: claim a rectangle, multiply it, count it done,
 * until none is left. Written without references outside itself: the workers get its source.
 */
function claimAndRun(
  ctl: Int32Array,
  at: Offsets,
  thread: number,
  tag: number,
  kernels: { f64: DtypeKernels; f32: DtypeKernels },
  run: typeof gemmRange,
  read: typeof readLayout,
): void {
  for (;;) {
    // Counted busy before the claim, so that a thread that sees BUSY = 0 after closing the claims
    // knows that nobody is still working on the product (see GemmThreads.run).
    Atomics.add(ctl, at.BUSY, 1);
    const cur = Atomics.load(ctl, at.CLAIM);
    if (cur >>> 8 !== tag || (cur & 255) >= ctl[at.CHUNKS]) {
      Atomics.sub(ctl, at.BUSY, 1);
      return;
    }
    if (Atomics.compareExchange(ctl, at.CLAIM, cur, cur + 1) !== cur) {
      Atomics.sub(ctl, at.BUSY, 1);
      continue;
    }
    const r = at.RECTS + 4 * (cur & 255);
    const s = at.SCRATCH + 2 * thread;
    try {
      // Read after the claim: a product's fields stay put from its post until its last rectangle is done.
      const f = ctl[at.DTYPE] === 64 ? kernels.f64 : kernels.f32;
      run(f, read(ctl, at.LAYOUT), ctl[r], ctl[r + 1], ctl[r + 2], ctl[r + 3], ctl[s], ctl[s + 1]);
    } catch {
      Atomics.store(ctl, at.FAILED, 1);
    }
    if (thread !== 0) Atomics.add(ctl, at.WORKED, 1);
    Atomics.add(ctl, at.DONE, 1);
    Atomics.sub(ctl, at.BUSY, 1);
    Atomics.notify(ctl, at.DONE);
  }
}

interface WorkerData {
  module: object;
  memory: object;
  ctl: Int32Array;
  at: Offsets;
  names: KernelNames;
  thread: number;
  spinMs: number;
}

/** A worker's whole life: instantiate the module on the shared memory, then serve products. */
function workerMain(wt: { workerData: WorkerData }, run: typeof gemmRange, read: typeof readLayout, claim: typeof claimAndRun): void {
  const { module, memory, ctl, at, names, thread, spinMs } = wt.workerData;
  const W = (globalThis as unknown as { WebAssembly: { Instance: new (m: object, i: object) => { exports: Record<string, unknown> } } }).WebAssembly;
  const { exports } = new W.Instance(module, { env: { memory } });
  const pick = (n: Record<keyof DtypeKernels, string>): DtypeKernels => ({
    macro: exports[n.macro] as DtypeKernels["macro"],
    packA: exports[n.packA] as DtypeKernels["packA"],
    packB: exports[n.packB] as DtypeKernels["packB"],
  });
  const kernels = { f64: pick(names.f64), f32: pick(names.f32) };
  let seen = Atomics.load(ctl, at.SEQ);
  for (;;) {
    let spins = 0;
    let since = performance.now();
    while (Atomics.load(ctl, at.SEQ) === seen) {
      if ((++spins & 1023) === 0 && performance.now() - since > spinMs) {
        Atomics.wait(ctl, at.SEQ, seen);
        since = performance.now();
      }
    }
    seen = Atomics.load(ctl, at.SEQ);
    claim(ctl, at, thread, seen, kernels, run, read);
  }
}

/** The source a worker runs: the three functions above, self-contained, and a call. */
function workerSource(): string {
  return `(${workerMain.toString()})(require("node:worker_threads"), ${gemmRange.toString()}, ${readLayout.toString()}, ${claimAndRun.toString()});`;
}

export class GemmThreads {
  readonly threads: number;
  private readonly ctl: Int32Array;
  private readonly workers: Worker[] = [];
  private seq = 0;

  constructor(threads: number, module: object, memory: object, names: KernelNames) {
    this.threads = Math.min(threads, MAX_THREADS);
    this.ctl = new Int32Array(new SharedArrayBuffer(CONTROL_INTS * 4));
    const { Worker } = require("node:worker_threads") as { Worker: new (src: string, opts: object) => Worker };
    for (let t = 1; t < this.threads; t++) {
      const w = new Worker(workerSource(), {
        eval: true,
        workerData: { module, memory, ctl: this.ctl, at: AT, names, thread: t, spinMs: SPIN_MS } satisfies { workerData: WorkerData }["workerData"],
      });
      w.unref();
      // A worker that dies leaves its rectangles to the main thread (they are claimed, not assigned).
      w.on("error", () => undefined);
      this.workers.push(w);
    }
  }

  /**
   * Multiplies `rects` of the product laid out as `L`, each thread packing into its own
   * `scratch` pair; returns false if a worker failed (the caller then redoes the product alone).
   */
  run(kernels: SharedKernels, L: GemmLayout, rects: Rect[], scratch: { aPack: number; bPack: number }[]): boolean {
    const ctl = this.ctl;
    // A product the calling thread left unfinished (an exception or a kernel interrupt while it
    // waited) may still have a worker writing into the memory: close its claims and wait it out
    // before reusing the memory and the counters. Normally nobody is busy and this is two loads.
    Atomics.store(ctl, CLAIM, 0);
    for (let t0 = performance.now(); Atomics.load(ctl, BUSY) !== 0; ) {
      if (performance.now() - t0 > STALL_MS) throw this.stalled(L);
      Atomics.wait(ctl, DONE, Atomics.load(ctl, DONE), 1);
    }
    this.seq = (this.seq % 0x7fffff) + 1; // 1 … 2²³ − 1: tag 0 is the closed claim
    const tag = this.seq;
    writeLayout(ctl, LAYOUT, L);
    ctl[DTYPE] = L.es === 8 ? 64 : 32;
    ctl[CHUNKS] = rects.length;
    rects.forEach((r, i) => {
      ctl.set([r.rowStart, r.rowEnd, r.colStart, r.colEnd], RECTS + 4 * i);
    });
    scratch.forEach((s, t) => {
      ctl[SCRATCH + 2 * t] = s.aPack;
      ctl[SCRATCH + 2 * t + 1] = s.bPack;
    });
    Atomics.store(ctl, FAILED, 0);
    Atomics.store(ctl, DONE, 0);
    Atomics.store(ctl, CLAIM, tag << 8);
    Atomics.store(ctl, SEQ, tag);
    Atomics.notify(ctl, SEQ);
    claimAndRun(ctl, AT, 0, tag, kernels, gemmRange, readLayout);
    const start = performance.now();
    let spins = 0;
    for (;;) {
      const done = Atomics.load(ctl, DONE);
      if (done >= rects.length) break;
      if ((++spins & 1023) === 0) {
        const waited = performance.now() - start;
        if (waited > STALL_MS) throw this.stalled(L);
        if (waited > SPIN_MS) Atomics.wait(ctl, DONE, done, 10);
      }
    }
    return Atomics.load(ctl, FAILED) === 0;
  }

  private stalled(L: GemmLayout): Error {
    return new Error(
      `gemm: a worker thread has not finished its part of a ${L.m}×${L.k}·${L.k}×${L.n} product in ${STALL_MS / 1000} s; ` +
        "restart the kernel, and call setNumThreads(1) (or set NNLAB_THREADS=1) to multiply on the calling thread only.",
    );
  }

  /** How many rectangles the workers (not the calling thread) have multiplied so far. */
  workerRects(): number {
    return Atomics.load(this.ctl, WORKED);
  }

  /** Packing space per thread for the rectangles of one product. */
  static scratchFor(L: GemmLayout, rects: Rect[]): { aLength: number; bLength: number } {
    const cols = Math.max(...rects.map((r) => r.colEnd - r.colStart));
    return packSpace(L, cols);
  }

  close(): void {
    for (const w of this.workers) void w.terminate();
    this.workers.length = 0;
  }
}

/**
 * C cut into `parts` rectangles (whole tiles) along n or along m. Each thread packs its own slice
 * of one operand and all of the other: cut along n when A (m×k) is the smaller one to pack
 * twice, along m when B (k×n) is.
 */
export function splitProduct(L: GemmLayout, parts: number): Rect[] {
  const byRows = L.m >= L.n;
  const tiles = byRows ? Math.ceil(L.m / L.mr) : Math.ceil(L.n / L.nr);
  const n = Math.max(1, Math.min(parts, tiles));
  const rects: Rect[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = Math.floor((i * tiles) / n),
      t1 = Math.floor(((i + 1) * tiles) / n);
    if (byRows) rects.push({ rowStart: t0 * L.mr, rowEnd: Math.min(L.m, t1 * L.mr), colStart: 0, colEnd: L.n });
    else rects.push({ rowStart: 0, rowEnd: L.m, colStart: t0 * L.nr, colEnd: Math.min(L.n, t1 * L.nr) });
  }
  return rects;
}
