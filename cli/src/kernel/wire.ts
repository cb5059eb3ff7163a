/**
 * Jupyter messaging protocol 5.3 over ZeroMQ, client side: building, signing and parsing the
 * multipart frames `[identities…, "<IDS|MSG>", hmac, header, parent_header, metadata, content]`.
 * https://jupyter-client.readthedocs.io/en/stable/messaging.html#the-wire-protocol
 */
import { createHmac, randomBytes, randomUUID } from "node:crypto";

export const PROTOCOL_VERSION = "5.3";
const DELIM = Buffer.from("<IDS|MSG>");

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

export function newKey(): string {
  return randomBytes(32).toString("hex");
}

export function newSession(): string {
  return randomUUID();
}

export function makeMessage(session: string, msgType: string, content: Record<string, unknown>): Message {
  return {
    header: {
      msg_id: randomUUID(),
      msg_type: msgType,
      session,
      username: "nnlab",
      date: new Date().toISOString(),
      version: PROTOCOL_VERSION,
    },
    parent_header: {},
    metadata: {},
    content,
  };
}

function signature(key: string, parts: (string | Buffer)[]): string {
  if (key === "") return "";
  const h = createHmac("sha256", key);
  for (const p of parts) h.update(p);
  return h.digest("hex");
}

export function encode(key: string, msg: Message): (Buffer | string)[] {
  const parts = [
    JSON.stringify(msg.header),
    JSON.stringify(msg.parent_header),
    JSON.stringify(msg.metadata),
    JSON.stringify(msg.content),
  ];
  return [DELIM, signature(key, parts), ...parts];
}

/** Returns null for frames that are malformed or carry a wrong signature (they are dropped). */
export function decode(key: string, frames: Buffer[]): Message | null {
  const at = frames.findIndex((f) => f.equals(DELIM));
  if (at < 0 || frames.length < at + 6) return null;
  const parts = frames.slice(at + 2, at + 6);
  if (signature(key, parts) !== frames[at + 1].toString()) return null;
  try {
    return {
      header: JSON.parse(parts[0].toString()) as Header,
      parent_header: JSON.parse(parts[1].toString()) as Partial<Header>,
      metadata: JSON.parse(parts[2].toString()) as Record<string, unknown>,
      content: JSON.parse(parts[3].toString()) as Record<string, unknown>,
    };
  } catch {
    return null;
  }
}
