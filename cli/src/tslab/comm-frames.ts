/**
 * Comm messages carry binary buffers: ZeroMQ frames after the four JSON parts, outside the HMAC
 * (Jupyter messaging 5.3, "The Wire Protocol"). wire.ts's replyFrames has neither metadata nor
 * buffers, and tslab's ZmqMessage drops incoming buffers, so comm messages are parsed and built
 * here.
 */
import { randomBytes } from "node:crypto";
import { DELIM, sign, splitFrames } from "./wire";

export type Json = Record<string, unknown>;

export interface ParsedMessage {
  identities: Buffer[];
  header: Json;
  parentHeader: Json;
  metadata: Json;
  content: Json;
  buffers: Buffer[];
}

/** The message, or null when malformed or its signature is wrong (dropped, as tslab does). */
export function parseMessage(key: string, frames: Buffer[]): ParsedMessage | null {
  const raw = splitFrames(frames);
  if (!raw || sign(key, raw.parts) !== raw.signature) return null;
  try {
    const [header, parentHeader, metadata, content] = raw.parts.slice(0, 4).map((p) => JSON.parse(p.toString()) as Json);
    return {
      identities: raw.identities,
      header: header!,
      parentHeader: parentHeader!,
      metadata: metadata!,
      content: content!,
      buffers: raw.parts.slice(4),
    };
  } catch {
    return null;
  }
}

/** A Node Buffer over the same bytes (no copy). */
export function toBuffer(b: ArrayBuffer | ArrayBufferView): Buffer {
  return b instanceof ArrayBuffer ? Buffer.from(b) : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

export interface OutgoingMessage {
  /** ROUTER identities for a shell reply, a topic for iopub. */
  identities: Buffer[];
  /** The request this answers or was caused by; `session` and `username` are taken from it. */
  parentHeader: Json;
  msgType: string;
  content: unknown;
  metadata?: Json;
  buffers?: (ArrayBuffer | ArrayBufferView)[];
  /** Used when the parent has no session (a message sent before any request arrived). */
  fallbackSession: string;
}

export function messageFrames(key: string, m: OutgoingMessage): (Buffer | string)[] {
  const header = {
    msg_id: randomBytes(16).toString("hex"),
    msg_type: m.msgType,
    session: m.parentHeader.session ?? m.fallbackSession,
    username: m.parentHeader.username ?? "kernel",
    date: new Date().toISOString(),
    version: "5.3",
  };
  const parts = [JSON.stringify(header), JSON.stringify(m.parentHeader), JSON.stringify(m.metadata ?? {}), JSON.stringify(m.content)];
  return [...m.identities, DELIM, sign(key, parts), ...parts, ...(m.buffers ?? []).map(toBuffer)];
}
