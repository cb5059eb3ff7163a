#!/usr/bin/env node
/**
 * The nnlab kernel: tslab 1.0.22, patched at run time into a well-behaved Jupyter kernel.
 *
 *   node [--max-old-space-size=N] cli/dist/tslab/kernel.js --config-path <connection file>
 *
 * Start-up order is the point of this file: bind the sockets and answer kernel_info first
 * (sockets.ts), then load tslab with our patches (tslab-patches.ts) and let it build its
 * TypeScript program, which takes seconds. A front end sees the kernel ready in a few hundred
 * milliseconds; requests sent meanwhile wait in order and run once the compiler is up.
 *
 * Before all that, the first statement reads what the kernel knows about its launcher
 * (parent-watch.ts): a launcher that dies during start-up must end the kernel too. This is why
 * the sockets module, which loads nnlab, is required only after it.
 */
import { captureLaunch, goneAtStart, warn } from "./parent-watch";

const launch = captureLaunch();
const goneAlready = goneAtStart(launch);
if (goneAlready) {
  warn(`nnlab kernel: ${goneAlready}; not starting.`);
  process.exit(1);
}

function configPathFromArgv(argv: string[]): string {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--config-path" && i + 1 < argv.length) return argv[i + 1]!;
    if (argv[i]!.startsWith("--config-path=")) return argv[i]!.slice("--config-path=".length);
  }
  console.error("usage: node kernel.js --config-path <connection file>  (Jupyter passes {connection_file})");
  process.exit(2);
}

const configPath = configPathFromArgv(process.argv.slice(2));
// Node's default SIGINT action ends the process; tslab installs its handler only once it is up,
// and an interrupt during start-up must not kill the kernel.
process.on("SIGINT", () => undefined);
const { bindKernelSockets } = require("./sockets") as typeof import("./sockets");
bindKernelSockets(configPath, launch).then(
  (sockets) => {
    // tslab's start blocks this thread for seconds: first answer the kernel_info_request a front
    // end sends as soon as it has started the kernel (it may still be on its way when the sockets
    // are bound), or give up waiting for one after a second.
    const start = (): void => (require("./tslab-patches") as typeof import("./tslab-patches")).startTslab(sockets, configPath);
    const waited = new Promise<void>((resolve) => setTimeout(resolve, 1000));
    void Promise.race([sockets.infoAnswered, waited]).then(() => setImmediate(start));
  },
  (e: unknown) => {
    console.error("nnlab kernel: could not bind its sockets:", e);
    process.exit(1);
  },
);
