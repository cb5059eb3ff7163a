/**
 * One seeded generator behind every random draw in nnlab: initialisation, shuffling, dropout,
 * synthetic data. `seed(n)` resets it, so a notebook that calls `seed(0)` at the top gives the
 * same numbers on every run and every machine.
 *
 * Algorithm: xoshiro128** (Blackman & Vigna), 32-bit state words so it runs on plain JS numbers
 * without BigInt; the state is filled from the seed with splitmix32. Uniform doubles take 53 random
 * bits from two outputs; normals use Box–Muller, caching the second value.
 */
export class Generator {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spare: number | null = null;
  private initialSeed = 0;

  constructor(seed: number = Date.now()) {
    this.manualSeed(seed);
  }

  manualSeed(seed: number): this {
    if (!Number.isFinite(seed)) throw new TypeError(`seed(${seed}): the seed must be a finite number.`);
    this.initialSeed = seed;
    // splitmix32 over the seed's low and high 32 bits.
    let x = (seed >>> 0) ^ Math.floor(seed / 4294967296);
    const next = (): number => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    this.spare = null;
    return this;
  }

  /** The seed last given, so a notebook can print which seed produced its numbers. */
  get seed(): number {
    return this.initialSeed;
  }

  /** Next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 bits of precision. */
  random(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  uniform(low: number, high: number): number {
    return low + (high - low) * this.random();
  }

  /** Standard normal N(0, 1). */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.random(); // log(0) would be -Infinity
    const v = this.random();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Integer uniform in [low, high). */
  int(low: number, high: number): number {
    if (!(high > low)) throw new RangeError(`randint: high (${high}) must be greater than low (${low}).`);
    return low + Math.floor(this.random() * (high - low));
  }

  /** A random permutation of 0…n-1 (Fisher–Yates). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** The global generator every draw uses unless a Generator is passed explicitly. */
export const defaultGenerator: Generator = new Generator(0x5eed);

/** Fix every random draw nnlab makes from here on (init, shuffling, dropout, data sets). */
export function seed(n: number): void {
  defaultGenerator.manualSeed(n);
}
