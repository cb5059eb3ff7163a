/**
 * The grader's own state, under `<out>/.nnlab-state/`: a secret key (32 random bytes, file mode
 * 0600 in a 0700 folder, created on the first run) with which every results JSON is signed
 * (HMAC-SHA256 over its canonical JSON). A rerun believes a results file only if its MAC
 * verifies, so a file planted in --out ("graded, 0 points" for a rival, or full marks for
 * oneself) is ignored and that submission graded again.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { closeSync, constants, fstatSync, mkdirSync, openSync, readSync, writeSync, lstatSync } from "node:fs";
import { join } from "node:path";

export const STATE_DIR = ".nnlab-state";
const KEY_BYTES = 32;

function refuse(path: string, why: string): never {
  throw new Error(`${path}: ${why}; remove it (the grader recreates its state) and run again`);
}

/** The key of this output folder, created on first use. Symlinks and loose modes are refused. */
export function graderKey(outDir: string): Buffer {
  const dir = join(outDir, STATE_DIR);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const d = lstatSync(dir);
  if (!d.isDirectory()) refuse(dir, "is not a directory (a symbolic link?)");
  if (process.getuid && d.uid !== process.getuid()) refuse(dir, `belongs to uid ${d.uid}, not to the grader`);
  if ((d.mode & 0o077) !== 0) refuse(dir, `has mode ${(d.mode & 0o777).toString(8)}; it must be 0700`);
  const file = join(dir, "key");
  let fd: number;
  try {
    fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    const key = randomBytes(KEY_BYTES);
    writeSync(fd, key);
    closeSync(fd);
    return key;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  }
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (e) {
    return refuse(file, `cannot be opened safely (${(e as NodeJS.ErrnoException).code})`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size !== KEY_BYTES) refuse(file, "is not a grader key");
    if ((st.mode & 0o077) !== 0) refuse(file, `has mode ${(st.mode & 0o777).toString(8)}; it must be 0600`);
    if (process.getuid && st.uid !== process.getuid()) refuse(file, `belongs to uid ${st.uid}, not to the grader`);
    const key = Buffer.alloc(KEY_BYTES);
    readSync(fd, key, 0, KEY_BYTES, 0);
    return key;
  } finally {
    closeSync(fd);
  }
}

/** JSON with object keys sorted at every level: the bytes the MAC covers. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(",")}]`;
  if (typeof v === "object" && v !== null) {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

function macOf(body: object, key: Buffer): string {
  return createHmac("sha256", key).update(canonicalJson(body)).digest("hex");
}

/** The object with its `mac` field set (any previous `mac` replaced). */
export function signed<T extends object>(value: T, key: Buffer): T & { mac: string } {
  const { mac: _old, ...body } = value as T & { mac?: string };
  return { ...(body as T), mac: macOf(body, key) };
}

/** True when `value` carries a MAC made with `key` over exactly its other fields. */
export function verifySigned(value: unknown, key: Buffer): boolean {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const { mac, ...body } = value as { mac?: unknown };
  if (typeof mac !== "string" || !/^[0-9a-f]{64}$/.test(mac)) return false;
  return timingSafeEqual(Buffer.from(mac, "hex"), Buffer.from(macOf(body, key), "hex"));
}
