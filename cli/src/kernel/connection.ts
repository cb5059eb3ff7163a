/**
 * Connection files: five free loopback ports and a random HMAC key, written where only this
 * user can read them (the key is what stops other local users from running code in the kernel).
 */
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { newKey } from "../tslab/wire";

export interface ConnectionInfo {
  /** "ipc": `ip` is a path prefix and each channel a Unix socket `<ip>-<port>` (Jupyter's convention). */
  transport: "tcp" | "ipc";
  ip: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  key: string;
  signature_scheme: "hmac-sha256";
  kernel_name: string;
}

/**
 * Holds all listeners open until every port is chosen, so the five are distinct. Another process
 * can still take one before the kernel binds it (the usual Jupyter race); the kernel then fails to
 * start and the client reports it.
 */
export async function freePorts(count: number, host = "127.0.0.1"): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const server = net.createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, host, () => resolve());
      });
      ports.push((server.address() as net.AddressInfo).port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }
}

export async function newConnectionInfo(kernelName = "nnlab"): Promise<ConnectionInfo> {
  const [shell, iopub, stdin, control, hb] = await freePorts(5);
  return {
    transport: "tcp",
    ip: "127.0.0.1",
    shell_port: shell,
    iopub_port: iopub,
    stdin_port: stdin,
    control_port: control,
    hb_port: hb,
    key: newKey(),
    signature_scheme: "hmac-sha256",
    kernel_name: kernelName,
  };
}

/**
 * Unix-socket endpoints: no TCP port exists, so a kernel in its own network namespace is
 * reachable only by whoever can reach the socket path. The "ports" only name the five sockets.
 */
export function newIpcConnectionInfo(pathPrefix: string, kernelName = "nnlab"): ConnectionInfo {
  return {
    transport: "ipc",
    ip: pathPrefix,
    shell_port: 1,
    iopub_port: 2,
    stdin_port: 3,
    control_port: 4,
    hb_port: 5,
    key: newKey(),
    signature_scheme: "hmac-sha256",
    kernel_name: kernelName,
  };
}

/** The ZeroMQ endpoint of one channel; `ipcRoot` prefixes socket paths seen from outside the kernel's mount namespace. */
export function endpoint(info: ConnectionInfo, port: number, ipcRoot = ""): string {
  return info.transport === "ipc" ? `ipc://${ipcRoot}${info.ip}-${port}` : `tcp://${info.ip}:${port}`;
}

export function writeConnectionFile(info: ConnectionInfo, dir: string = os.tmpdir()): string {
  const file = path.join(dir, `nnlab-kernel-${process.pid}-${randomBytes(6).toString("hex")}.json`);
  fs.writeFileSync(file, JSON.stringify(info, null, 2), { mode: 0o600 });
  return file;
}
