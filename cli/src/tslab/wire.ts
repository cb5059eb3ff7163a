/**
 * The Jupyter messaging protocol 5.3 over ZeroMQ, both sides: the multipart frames
 * `[identities…, "<IDS|MSG>", hmac, header, parent_header, metadata, content]`, their HMAC-SHA256
 * signature, building requests (the clients in cli/src/kernel/) and replies (the kernel here).
 * It needs only node:crypto, so the kernel entry and its control worker load it without any of
 * the client's dependencies.
 * https://jupyter-client.readthedocs.io/en/stable/messaging.html#the-wire-protocol
 */
import { createHmac, randomBytes, randomUUID } from "node:crypto";

export const PROTOCOL_VERSION = "5.3";
export const DELIM: Buffer = Buffer.from("<IDS|MSG>");

export interface Header {
  msg_id: string;
  msg_type: string;
  session: string;
  username: string;
  date: string;
  version: string;
}

export interface Message {
  header: Header;
  parent_header: Partial<Header>;
  metadata: Record<string, unknown>;
  content: Record<string, unknown>;
}

/** A message split at the delimiter, its JSON parts not yet parsed. */
export interface RawMessage {
  identities: Buffer[];
  signature: string;
  /** header, parent_header, metadata, content as JSON text, in that order (then any buffers). */
  parts: Buffer[];
}

export function newKey(): string {
  return randomBytes(32).toString("hex");
}

export function newSession(): string {
  return randomUUID();
}

/** The HMAC-SHA256 over the four JSON parts; an empty key means "no signing" in the Jupyter spec. */
export function sign(key: string, parts: (string | Buffer)[]): string {
  if (key === "") return "";
  const h = createHmac("sha256", key);
  for (const p of parts.slice(0, 4)) h.update(p);
  return h.digest("hex");
}

export function splitFrames(frames: Buffer[]): RawMessage | null {
  const at = frames.findIndex((f) => f.equals(DELIM));
  if (at < 0 || frames.length < at + 6) return null;
  return {
    identities: frames.slice(0, at),
    signature: frames[at + 1]!.toString(),
    parts: frames.slice(at + 2),
  };
}

function header(msgType: string, session: string, username: string): Header {
  return { msg_id: randomUUID(), msg_type: msgType, session, username, date: new Date().toISOString(), version: PROTOCOL_VERSION };
}

/** A client's request (no parent). */
export function makeMessage(session: string, msgType: string, content: Record<string, unknown>): Message {
  return { header: header(msgType, session, "nnlab"), parent_header: {}, metadata: {}, content };
}

export function encode(key: string, msg: Message): (Buffer | string)[] {
  const parts = [JSON.stringify(msg.header), JSON.stringify(msg.parent_header), JSON.stringify(msg.metadata), JSON.stringify(msg.content)];
  return [DELIM, sign(key, parts), ...parts];
}

/** Returns null for frames that are malformed or carry a wrong signature (they are dropped). */
export function decode(key: string, frames: Buffer[]): Message | null {
  const raw = splitFrames(frames);
  if (!raw || sign(key, raw.parts) !== raw.signature) return null;
  const [h, parent, metadata, content] = raw.parts.map((p) => p.toString());
  try {
    return {
      header: JSON.parse(h!) as Header,
      parent_header: JSON.parse(parent!) as Partial<Header>,
      metadata: JSON.parse(metadata!) as Record<string, unknown>,
      content: JSON.parse(content!) as Record<string, unknown>,
    };
  } catch {
    return null;
  }
}

/**
 * A signed message answering `parentHeader`, as frames for a ROUTER (with the requester's
 * identities) or a PUB socket (identities as topic, as tslab does).
 */
export function replyFrames(
  key: string,
  identities: Buffer[],
  parentHeader: Record<string, unknown>,
  msgType: string,
  content: unknown,
): (Buffer | string)[] {
  // The requester's session and username, as they came (kernels echo them, even if absent).
  const h = header(msgType, parentHeader.session as string, parentHeader.username as string);
  const parts = [JSON.stringify(h), JSON.stringify(parentHeader), "{}", JSON.stringify(content)];
  return [...identities, DELIM, sign(key, parts), ...parts];
}
