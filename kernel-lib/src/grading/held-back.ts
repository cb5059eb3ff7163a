/**
 * Held-back inputs for a graded test cell: examples the student never sees, handed to the kernel
 * only at grading. The grader rewrites `heldBack("digits")` in a test cell to
 * `heldBack("digits", {shape, scale, offset?, base64})`; their labels stay in the grader, which compares
 * the predictions the cell reports (cli/src/lessons/held-back.ts).
 */
export interface PackedHeldBack {
  shape: number[];
  scale: number;
  /** Added after scaling (default 0), so that signed values fit in bytes. */
  offset?: number;
  base64: string;
}

export interface HeldBackInputs {
  shape: number[];
  /** Row-major values (each stored byte times scale, plus offset), ready for `fromArray(data, shape)`. */
  data: Float32Array;
}

export function heldBack(name: string, packed?: PackedHeldBack): HeldBackInputs {
  if (packed === undefined) {
    throw new Error(
      `heldBack("${name}"): the held-back examples reach the kernel only when the grader runs this test cell (nnlab grade); check your model on your own validation split instead`,
    );
  }
  const bytes = Buffer.from(packed.base64, "base64");
  const data = new Float32Array(bytes.length);
  const offset = packed.offset ?? 0;
  for (let i = 0; i < bytes.length; i++) data[i] = bytes[i] * packed.scale + offset;
  return { shape: [...packed.shape], data };
}
