/**
 * The few pieces of the Jupyter wire protocol that the kernel side (control worker) needs on its
 * own: splitting a multipart message at `<IDS|MSG>`, and the HMAC-SHA256 signature over the four
 * JSON parts. The client side has its own copy in cli/src/kernel/wire.ts so that the kernel entry
 * stays loadable without the client's dependencies.
 */
import { createHmac, randomBytes } from "node:crypto";

export const DELIM: Buffer = Buffer.from("<IDS|MSG>");

export interface RawMessage {
  identities: Buffer[];
  signature: string;
  /** header, parent_header, metadata, content as JSON text, in that order. */
  parts: Buffer[];
}

export function splitFrames(frames: Buffer[]): RawMessage | null {
  const at = frames.findIndex((f) => f.equals(DELIM));
  if (at < 0 || frames.length < at + 6) return null;
  return {
    identities: frames.slice(0, at),
    signature: frames[at + 1].toString(),
    parts: frames.slice(at + 2),
  };
}

export function sign(key: string, parts: (string | Buffer)[]): string {
  // An empty key means "no signing" in the Jupyter spec.
  if (key === "") return "";
  const h = createHmac("sha256", key);
  for (const p of parts.slice(0, 4)) h.update(p);
  return h.digest("hex");
}

/**
 * A signed message answering `parentHeader`, as frames for a ROUTER (with the requester's
 * identities) or a PUB socket (identities as topic, as tslab does).
 */
export function replyFrames(key: string, identities: Buffer[], parentHeader: Record<string, unknown>, msgType: string, content: unknown): (Buffer | string)[] {
  const header = {
    msg_id: randomBytes(16).toString("hex"),
    msg_type: msgType,
    session: parentHeader.session,
    username: parentHeader.username,
    date: new Date().toISOString(),
    version: "5.3",
  };
  const parts = [JSON.stringify(header), JSON.stringify(parentHeader), "{}", JSON.stringify(content)];
  return [...identities, DELIM, sign(key, parts), ...parts];
}
