// Builds nnlab's JupyterLab front end into lab/build/ with esbuild (≈seconds; webpack takes
// minutes on 2 cores): static/ (bundle.js, its chunks, bundle.css, assets), themes/ (the light
// theme's CSS, which JupyterLab's ThemeManager loads by URL), schemas/ (each extension's
// settings schemas, which jupyterlab_server serves at /lab/api/settings).
import { build } from "esbuild";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "build");
const require = createRequire(join(here, "package.json"));
const pkg = JSON.parse(readFileSync(join(here, "package.json"), "utf8"));

/** package.json of every JupyterLab extension this app depends on. */
function extensionPackages() {
  return Object.keys(pkg.dependencies)
    .map((name) => {
      const file = require.resolve(`${name}/package.json`);
      return { name, dir: dirname(file), json: JSON.parse(readFileSync(file, "utf8")) };
    })
    .filter((p) => p.json.jupyterlab?.extension || p.json.jupyterlab?.mimeExtension);
}

// Files that packages import from JS (icons as SVG strings) or reference from CSS (fonts, images).
const loader = {
  ".svg": "text",
  ".woff": "file",
  ".woff2": "file",
  ".ttf": "file",
  ".eot": "file",
  ".png": "file",
  ".gif": "file",
  ".jpg": "file",
};

/** Each extension's style module, imported by the entry as `nnlab-lab:styles`. */
function stylesPlugin(extensions) {
  const imports = extensions
    .map((p) => p.json.styleModule ?? p.json.style)
    .map((file, i) => (file ? `import "${extensions[i].name}/${file}";` : ""))
    .join("\n");
  return {
    name: "nnlab-lab-styles",
    setup(b) {
      b.onResolve({ filter: /^nnlab-lab:styles$/ }, () => ({ path: "styles", namespace: "nnlab-lab" }));
      b.onLoad({ filter: /.*/, namespace: "nnlab-lab" }, () => ({ contents: imports, resolveDir: here, loader: "js" }));
    },
  };
}

// CSS in JupyterLab's packages names node_modules files webpack's way, `~package/file`.
const tildePlugin = {
  name: "webpack-tilde",
  setup(b) {
    b.onResolve({ filter: /^~/ }, (args) => b.resolve(args.path.slice(1), { kind: args.kind, resolveDir: args.resolveDir }));
  },
};

/**
 * With code splitting, esbuild turns `await import("cjs-module")` into a chunk that exports only
 * `default`, so the mathjax extension's `const { mathjax } = await import("mathjax-full/js/mathjax")`
 * gets undefined (webpack exposes the CommonJS exports as named ones). mathjax-full is CommonJS
 * that also runs in Node, so its export names are read here and re-exported from an ESM facade.
 */
const cjsFacadePlugin = {
  name: "cjs-dynamic-import-facade",
  setup(b) {
    b.onResolve({ filter: /^mathjax-full\// }, (args) => {
      if (args.kind !== "dynamic-import") return undefined;
      return { path: require.resolve(args.path), namespace: "cjs-facade" };
    });
    b.onLoad({ filter: /.*/, namespace: "cjs-facade" }, (args) => {
      const names = Object.keys(require(args.path)).filter((k) => k !== "default" && k !== "__esModule" && /^[A-Za-z_$][\w$]*$/.test(k));
      const file = JSON.stringify(args.path);
      return {
        contents: `import * as m from ${file};\n${names.map((n) => `export const ${n} = m.${n};`).join("\n")}\n`,
        resolveDir: dirname(args.path),
        loader: "js",
      };
    });
  },
};

/**
 * The packages shared with federated extensions (JupyterLab's singletons that extensions import
 * most): `nnlab-lab:shared` exports [name, installed version, module namespace] for each.
 */
const SHARED = [
  "@lumino/algorithm",
  "@lumino/coreutils",
  "@lumino/disposable",
  "@lumino/messaging",
  "@lumino/signaling",
  "@lumino/widgets",
  "@jupyterlab/application",
  "@jupyterlab/apputils",
  "@jupyterlab/coreutils",
  "@jupyterlab/notebook",
  "@jupyterlab/rendermime",
  "@jupyterlab/rendermime-interfaces",
  "@jupyterlab/services",
  "@jupyterlab/ui-components",
  "react",
  "react-dom",
];

function sharedPlugin() {
  const versionOf = (name) => JSON.parse(readFileSync(join(require.resolve(`${name}/package.json`, { paths: [here] })), "utf8")).version;
  const contents =
    SHARED.map((n, i) => `import * as m${i} from ${JSON.stringify(n)};`).join("\n") +
    `\nexport const shared = [${SHARED.map((n, i) => `[${JSON.stringify(n)}, ${JSON.stringify(versionOf(n))}, m${i}]`).join(", ")}];\n`;
  return {
    name: "nnlab-lab-shared",
    setup(b) {
      b.onResolve({ filter: /^nnlab-lab:shared$/ }, () => ({ path: "shared", namespace: "nnlab-lab-shared" }));
      b.onLoad({ filter: /.*/, namespace: "nnlab-lab-shared" }, () => ({ contents, resolveDir: here, loader: "js" }));
    },
  };
}

function copySchemas(extensions) {
  const dir = join(out, "schemas");
  for (const p of extensions) {
    const schemaDir = p.json.jupyterlab?.schemaDir;
    if (!schemaDir) continue;
    const dest = join(dir, p.name);
    mkdirSync(dest, { recursive: true });
    for (const f of readdirSync(join(p.dir, schemaDir)).filter((f) => f.endsWith(".json"))) {
      cpSync(join(p.dir, schemaDir, f), join(dest, f));
    }
    // jupyterlab_server reads the schema's version from here.
    writeFileSync(join(dest, "package.json.orig"), JSON.stringify(p.json, null, 2));
  }
}

const started = Date.now();
rmSync(out, { recursive: true, force: true });
const extensions = extensionPackages();
const common = {
  bundle: true,
  minify: true,
  loader,
  logLevel: "warning",
  target: "es2022",
  legalComments: "linked",
};
await build({
  ...common,
  entryPoints: { bundle: join(here, "src", "index.ts") },
  outdir: join(out, "static"),
  format: "esm",
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  assetNames: "assets/[name]-[hash]",
  platform: "browser",
  // mathjax-full reads __dirname for a root it then takes from the page; webpack defines it as "/".
  define: { "process.env.NODE_ENV": '"production"', global: "globalThis", __dirname: '"/"' },
  plugins: [stylesPlugin(extensions), tildePlugin, cjsFacadePlugin, sharedPlugin()],
});
// The light theme: its variables and its CSS, one file at the URL the theme plugin asks for.
const theme = require.resolve("@jupyterlab/theme-light-extension/package.json");
const themeJson = JSON.parse(readFileSync(theme, "utf8"));
await build({
  ...common,
  entryPoints: { index: join(dirname(theme), themeJson.jupyterlab.themePath) },
  outdir: join(out, "themes", "@jupyterlab", "theme-light-extension"),
  assetNames: "assets/[name]-[hash]",
  plugins: [tildePlugin],
});
copySchemas(extensions);
// Defaults of this app, served by jupyterlab_server from app-settings/overrides.json (a user's own
// settings still win). The kernel's TypeScript language service takes ≈3 s to answer its first
// completion request (measured here); JupyterLab drops provider answers after 1 s by default,
// so the first Tab would silently complete nothing. The widget manager saves the widgets' state
// into the notebook's metadata (off by default in JupyterLab), so that a saved chapter still
// shows its sliders when reopened without a kernel.
mkdirSync(join(out, "app-settings"), { recursive: true });
writeFileSync(
  join(out, "app-settings", "overrides.json"),
  JSON.stringify(
    {
      "@jupyterlab/completer-extension:manager": { providerTimeout: 8000 },
      "@jupyter-widgets/jupyterlab-manager:plugin": { saveState: true },
    },
    null,
    2,
  ),
);
if (!existsSync(join(out, "static", "bundle.js"))) throw new Error("lab build: static/bundle.js was not written");
console.log(`lab: JupyterLab front end built in ${((Date.now() - started) / 1000).toFixed(1)} s -> ${out}`);
