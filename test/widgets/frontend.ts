/**
 * A minimal "front end" for the comm tests: its own shell DEALER and iopub SUBSCRIBER on a
 * kernel that a DirectKernelClient started (a kernel serves several clients, as JupyterLab and
 * a console share one). Unlike the client it keeps every iopub message, with its binary buffers,
 * whatever its parent, so the tests can look at comm_open/comm_msg as a widget manager would.
 */
import { createHmac, randomUUID } from "node:crypto";
import * as zmq from "zeromq";
import type { DirectKernelClient } from "../../cli/src/kernel/direct";

const DELIM = Buffer.from("<IDS|MSG>");

export interface WireMessage {
  channel: "iopub" | "shell";
  header: { msg_id: string; msg_type: string; [k: string]: unknown };
  parent_header: { msg_id?: string; msg_type?: string; [k: string]: unknown };
  metadata: Record<string, unknown>;
  content: Record<string, unknown>;
  buffers: Buffer[];
}

interface Conn {
  ip: string;
  shell_port: number;
  iopub_port: number;
  key: string;
}

function sign(key: string, parts: string[]): string {
  const h = createHmac("sha256", key);
  for (const p of parts) h.update(p);
  return h.digest("hex");
}

export class FrontEnd {
  readonly messages: WireMessage[] = [];
  private readonly session = randomUUID();
  private readonly shell = new zmq.Dealer({ linger: 0 });
  private readonly iopub = new zmq.Subscriber({ linger: 0 });
  private readonly waiters = new Set<() => void>();

  private constructor(private readonly conn: Conn) {}

  /** Connects to the client's kernel and waits until iopub delivers (ZeroMQ's slow joiner). */
  static async attach(client: DirectKernelClient): Promise<FrontEnd> {
    const conn = (client as unknown as { proc: { conn: Conn } }).proc.conn;
    const fe = new FrontEnd(conn);
    fe.shell.connect(`tcp://${conn.ip}:${conn.shell_port}`);
    fe.iopub.connect(`tcp://${conn.ip}:${conn.iopub_port}`);
    fe.iopub.subscribe();
    fe.pump(fe.shell, "shell");
    fe.pump(fe.iopub, "iopub");
    for (let i = 0; i < 60; i++) {
      const id = fe.send("kernel_info_request", {});
      try {
        await fe.waitFor((m) => m.channel === "iopub" && m.parent_header.msg_id === id, 500);
        return fe;
      } catch {
        // not subscribed yet: ask again
      }
    }
    throw new Error("FrontEnd: no iopub message from the kernel within 30 s");
  }

  /** Sends a shell message; returns its msg_id. */
  send(msgType: string, content: Record<string, unknown>, buffers: Buffer[] = [], metadata: Record<string, unknown> = {}): string {
    const header = {
      msg_id: randomUUID(),
      msg_type: msgType,
      session: this.session,
      username: "test",
      date: new Date().toISOString(),
      version: "5.3",
    };
    const parts = [JSON.stringify(header), "{}", JSON.stringify(metadata), JSON.stringify(content)];
    void this.shell.send([DELIM, sign(this.conn.key, parts), ...parts, ...buffers]);
    return header.msg_id;
  }

  /** comm_msg to a comm; returns its msg_id. */
  commMsg(commId: string, data: Record<string, unknown>, buffers: Buffer[] = []): string {
    return this.send("comm_msg", { comm_id: commId, data }, buffers);
  }

  /** The first message (already received or arriving within `timeoutMs`) that matches. */
  waitFor(pred: (m: WireMessage) => boolean, timeoutMs = 10_000): Promise<WireMessage> {
    const found = this.messages.find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const m = this.messages.find(pred);
        if (!m) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(m);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(
          new Error(
            `FrontEnd: no matching message within ${timeoutMs} ms; last types: ${this.messages
              .slice(-8)
              .map((m) => m.header.msg_type)
              .join(", ")}`,
          ),
        );
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  /** iopub comm messages of one comm, in arrival order. */
  commMessages(commId: string, msgType?: string): WireMessage[] {
    return this.messages.filter(
      (m) => m.channel === "iopub" && m.content.comm_id === commId && (msgType === undefined || m.header.msg_type === msgType),
    );
  }

  close(): void {
    this.shell.close();
    this.iopub.close();
  }

  private pump(sock: zmq.Dealer | zmq.Subscriber, channel: "iopub" | "shell"): void {
    void (async () => {
      for await (const frames of sock) {
        const at = frames.findIndex((f) => f.equals(DELIM));
        if (at < 0) continue;
        const parts = frames.slice(at + 2, at + 6).map((f) => f.toString());
        if (sign(this.conn.key, parts) !== frames[at + 1]!.toString()) continue;
        this.messages.push({
          channel,
          header: JSON.parse(parts[0]!),
          parent_header: JSON.parse(parts[1]!),
          metadata: JSON.parse(parts[2]!),
          content: JSON.parse(parts[3]!),
          buffers: frames.slice(at + 6),
        });
        for (const w of [...this.waiters]) w();
      }
    })().catch(() => undefined);
  }
}
