// Builds @nnlab/jupyterlab-plotly, the prebuilt (federated) JupyterLab 4 extension that
// `nnlab kernel install` puts in share/jupyter/labextensions/: esbuild compiles the renderer
// (lab/src/plotly) to lib/index.js, then JupyterLab's own @jupyterlab/builder (webpack module
// federation, as `jupyter labextension build` runs it) makes labextension/ with
// static/remoteEntry.<hash>.js and package.json's jupyterlab._build.
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, "package.json"));
const pkg = JSON.parse(readFileSync(join(here, "package.json"), "utf8"));
const started = Date.now();

await build({
  entryPoints: [join(here, "..", "src", "plotly", "federated.ts")],
  outfile: join(here, "lib", "index.js"),
  bundle: true,
  format: "esm",
  target: "es2022",
  // Shared with JupyterLab (lumino) or bundled by webpack below (plotly.js, loaded lazily).
  external: ["@lumino/*", "@jupyterlab/*", "plotly.js-dist-min"],
  logLevel: "warning",
});

// What the builder calls the "core": the packages JupyterLab 4 itself provides to extensions, as
// singletons, with the version ranges this extension accepts (the whole 4.x line: lumino 2,
// rendermime-interfaces 3). In JupyterLab this is its staging package.json.
const core = join(here, "build-core");
mkdirSync(core, { recursive: true });
writeFileSync(
  join(core, "package.json"),
  JSON.stringify(
    {
      name: "@nnlab/jupyterlab-core-description",
      private: true,
      dependencies: { "@lumino/widgets": "^2.0.0", "@jupyterlab/rendermime-interfaces": "^3.0.0" },
      jupyterlab: { singletonPackages: ["@lumino/widgets", "@jupyterlab/rendermime-interfaces"] },
    },
    null,
    2,
  ),
);

const builder = require.resolve("@jupyterlab/builder/lib/build-labextension.js");
const r = spawnSync(process.execPath, [builder, "--core-path", core, here], { stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });
if (r.status !== 0) {
  process.stdout.write(r.stdout ?? "");
  throw new Error(`@jupyterlab/builder failed (exit ${r.status}) building ${pkg.name}`);
}

// install.json: how JupyterLab's extension list says where the extension came from.
writeFileSync(
  join(here, pkg.jupyterlab.outputDir, "install.json"),
  JSON.stringify(
    {
      packageManager: "nnlab",
      packageName: pkg.name,
      uninstallInstructions:
        "Installed by `nnlab kernel install` beside the nnlab kernelspec; remove its labextensions/@nnlab/jupyterlab-plotly folder to uninstall.",
    },
    null,
    2,
  ),
);
console.log(`lab/extension: ${pkg.name} built in ${((Date.now() - started) / 1000).toFixed(1)} s -> ${join(here, pkg.jupyterlab.outputDir)}`);
