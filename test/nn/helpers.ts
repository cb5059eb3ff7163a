import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";

export function fixture<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(join(__dirname, "../fixtures/torch", name), "utf8")) as T;
}

/** Element-wise |a − e| ≤ rtol·|e| + atol; the message names the first element that differs. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, rtol = 1e-9, atol = 1e-12): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  let worst = -1;
  let worstErr = 0;
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]) - rtol * Math.abs(expected[i]) - atol;
    if (!(err <= 0) && (worst < 0 || err > worstErr)) {
      worst = i;
      worstErr = err;
    }
  }
  if (worst >= 0) {
    expect.fail(`${what}: element ${worst} is ${actual[worst]}, PyTorch gives ${expected[worst]} (rtol ${rtol}, atol ${atol})`);
  }
}

export function flat(x: unknown): number[] {
  return Array.isArray(x) ? (x as unknown[]).flatMap(flat) : [x as number];
}
