/**
 * kernel_info_reply content. Built from package.json files only (no TypeScript loaded), because
 * the kernel answers kernel_info before tslab and its compiler are up (see kernel.ts).
 * tslab's own reply reports TypeScript "3.7.2" (stale) and omits `status`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { backendBanner } from "./backend-banner";

export const tslabDir: string = path.dirname(require.resolve("tslab/package.json"));

function versionOf(packageJson: string): string {
  return (JSON.parse(fs.readFileSync(packageJson, "utf-8")) as { version: string }).version;
}

export const tslabVersion: string = versionOf(path.join(tslabDir, "package.json"));

let cached: Record<string, unknown> | null = null;

export function kernelInfo(): Record<string, unknown> {
  if (cached) return cached;
  // The compiler tslab bundles, resolved from tslab's folder as tslab itself resolves it.
  const tsPackage = require.resolve("@tslab/typescript-for-tslab/package.json", { paths: [tslabDir] });
  const ts = versionOf(tsPackage);
  cached = {
    status: "ok",
    protocol_version: "5.3",
    implementation: "nnlab",
    implementation_version: tslabVersion,
    language_info: {
      name: "typescript",
      version: ts,
      mimetype: "text/typescript",
      file_extension: ".ts",
      // What tslab sends so that classic Notebook and JupyterLab highlight TypeScript.
      codemirror_mode: { mode: "typescript", name: "javascript", typescript: true },
    },
    banner: `TypeScript ${ts} (nnlab kernel on tslab ${tslabVersion}, Node ${process.version}); ${backendBanner()}`,
  };
  return cached;
}
