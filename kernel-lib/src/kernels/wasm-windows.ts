type FloatView = Float32Array | Float64Array;

/**
 * Views of one array (a WebAssembly memory's) by start and length, made once and kept: a new
 * typed-array view costs ~0.15 µs, as much as copying a few hundred floats through it, and the
 * small kernels copy in and out of the same places step after step. At most MAX_WINDOWS are kept
 * (a model has a few shapes, not hundreds); a memory that grows needs a new Windows.
 */
export class Windows<A extends FloatView> {
  private readonly kept = new Map<number, A>();
  constructor(readonly base: A) {}

  /** base[start, start + length) as a view. */
  get(start: number, length: number): A {
    if (start === 0 && length === this.base.length) return this.base;
    // start·2²⁴ + length is exact in a double below 2⁵³ (start < 2²⁹, length < 2²⁴).
    const key = length < 0x1000000 ? start * 0x1000000 + length : -1;
    let v = key >= 0 ? this.kept.get(key) : undefined;
    if (v === undefined) {
      v = this.base.subarray(start, start + length) as A;
      if (key >= 0) {
        if (this.kept.size >= MAX_WINDOWS) this.kept.clear();
        this.kept.set(key, v);
      }
    }
    return v;
  }
}
const MAX_WINDOWS = 64;
