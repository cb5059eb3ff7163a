/**
 * The API reference of the `nnlab` package, generated from its doc comments by TypeDoc into the
 * headless site (`<site>/api/index.html`). TypeDoc is a development dependency of the repository,
 * configured in `typedoc.json` at its root; where it is not installed the site is built without
 * the reference and says why.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../kernel";

export type ApiReference = { ok: true; href: string; seconds: number } | { ok: false; why: string };

/** TypeDoc's command-line entry in the repository, or undefined when it is not installed. */
function typedocBin(root: string): string | undefined {
  const bin = join(root, "node_modules", "typedoc", "bin", "typedoc");
  return existsSync(bin) ? bin : undefined;
}

/** Writes the reference into `<siteDir>/api`; `href` is relative to the site's index. */
export function buildApiReference(siteDir: string, root: string = repoRoot()): ApiReference {
  const config = join(root, "typedoc.json");
  if (!existsSync(config)) return { ok: false, why: `no typedoc.json in ${root}` };
  const bin = typedocBin(root);
  if (!bin) return { ok: false, why: "TypeDoc is not installed (it is a development dependency: run npm install in the repository)" };
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [bin, "--options", config, "--out", join(siteDir, "api")], { cwd: root, encoding: "utf8" });
  if (r.status !== 0) {
    const detail = `${r.stdout ?? ""}${r.stderr ?? ""}`.trim().split("\n").slice(-5).join("\n");
    return { ok: false, why: `TypeDoc failed (exit ${r.status ?? r.signal}): ${detail}` };
  }
  return { ok: true, href: "api/index.html", seconds: (performance.now() - t0) / 1000 };
}
