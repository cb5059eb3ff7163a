/**
 * Source maps from the code a cell runs as back to the cell's own text, so that a traceback says
 * `Cell In[5], line 3` instead of `evalmachine.<anonymous>:7:7`.
 *
 * A cell's text goes through two compilations in tslab's converter: the TypeScript program emits
 * ESNext JavaScript (after an `export {};` line tslab puts in front), then `transpileModule`
 * turns that into CommonJS. tslab asks for no source maps, and its compiler options are fixed
 * inside createConverter, so before tslab loads its TypeScript we put a thin copy of the module
 * in `require.cache` that adds `sourceMap: true` to both steps and keeps the two maps of the
 * cell (the .map files are otherwise dropped). A stack position is then mapped back through the
 * CommonJS map, then the ESNext map.
 *
 * The executor runs each cell with vm.runInThisContext and no file name; we give each cell a
 * name of its own (`nnlab-cell-<n>.js`) so that frames of functions defined in earlier cells map
 * to those cells too.
 */
// A plain require (not an import namespace copy): the patch must reach the module tslab calls.
import { shareOneTimer, type TimerHost } from "./one-timer";
import vm = require("node:vm");
import { SourceMapConsumer, type RawSourceMap } from "source-map-js";

type TS = typeof import("typescript");

interface CellMaps {
  /** The execution count shown as `Cell In[n]`. */
  count: number;
  /** The cell's lines, for the context line of a traceback. */
  lines: string[];
  cjs: RawSourceMap;
  esm: RawSourceMap;
  /** Columns added in front of the first generated line by the executor's function wrapper. */
  firstLineShift: number;
}

/** Where a generated position lands in a cell (1-based line and column). */
export interface CellPosition {
  count: number;
  line: number;
  column: number;
  text: string;
}

const CELL_FILE = /nnlab-cell-(\d+)\.js/;
const MAP_COMMENT = /\n?\/\/# sourceMappingURL=\S*\s*$/;
/** tslab's executor wraps a cell's CommonJS code in one of these, on its first line. */
const WRAPPERS = ["(function(exports, require) { ", "(async function(exports, require) { "];
/** tslab's prefix line in front of the cell's text (`export {};` + newline). */
const PREFIX_LINES = 1;

const cells = new Map<number, CellMaps>();
const consumers = new Map<number, [SourceMapConsumer, SourceMapConsumer]>();
let nextId = 0;

/** Maps captured while the current cell was converted; handed to the next vm run. */
let lastEsm: RawSourceMap | null = null;
let lastCjs: RawSourceMap | null = null;
let armed: { count: number; lines: string[]; esm: RawSourceMap; cjs: RawSourceMap } | null = null;

/**
 * Replaces tslab's TypeScript in the module cache (must run before tslab's converter is loaded)
 * with a copy whose createWatchCompilerHost and transpileModule also produce source maps.
 * `programOptions` are merged into the options of tslab's watch program as well (its only
 * other way in: createConverter fixes them).
 */
export function installSourceMapCapture(tsPath: string, ts: TS, programOptions: import("typescript").CompilerOptions = {}): void {
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(ts)) {
    Object.defineProperty(copy, key, { enumerable: true, configurable: true, get: () => (ts as unknown as Record<string, unknown>)[key] });
  }
  const createHost = ts.createWatchCompilerHost as (
    ...args: unknown[]
  ) => import("typescript").WatchCompilerHostOfFilesAndCompilerOptions<import("typescript").EmitAndSemanticDiagnosticsBuilderProgram>;
  Object.defineProperty(copy, "createWatchCompilerHost", {
    enumerable: true,
    value: (rootFiles: string[], options: import("typescript").CompilerOptions, ...rest: unknown[]) => {
      const host = createHost(rootFiles, { ...options, ...programOptions, sourceMap: true }, ...rest);
      shareOneTimer(host as TimerHost);
      let after: ((b: import("typescript").EmitAndSemanticDiagnosticsBuilderProgram) => void) | undefined;
      Object.defineProperty(host, "afterProgramCreate", {
        configurable: true,
        set: (f: typeof after) => (after = f),
        get: () => (b: import("typescript").EmitAndSemanticDiagnosticsBuilderProgram) => {
          const emit = b.emit.bind(b);
          b.emit = (sf, writeFile, ...more) =>
            emit(
              sf,
              (fileName, data, ...w) => {
                if (fileName.endsWith("__tslab__.js.map")) lastEsm = JSON.parse(data) as RawSourceMap;
                else if (!fileName.endsWith(".map")) writeFile?.(fileName, data, ...w);
              },
              ...more,
            );
          after?.(b);
        },
      });
      return host;
    },
  });
  Object.defineProperty(copy, "transpileModule", {
    enumerable: true,
    value: (input: string, opts: import("typescript").TranspileOptions) => {
      // tslab's ESM → CommonJS step is the only caller using this file name.
      if (opts.fileName !== "custom.js") return ts.transpileModule(input, opts);
      const out = ts.transpileModule(input.replace(MAP_COMMENT, ""), { ...opts, compilerOptions: { ...opts.compilerOptions, sourceMap: true } });
      lastCjs = out.sourceMapText ? (JSON.parse(out.sourceMapText) as RawSourceMap) : null;
      return { ...out, outputText: out.outputText.replace(MAP_COMMENT, "") };
    },
  });
  const cached = require.cache[tsPath];
  if (!cached) throw new Error(`nnlab kernel: TypeScript for tslab is not loaded from ${tsPath}`);
  cached.exports = copy;

  patchVm();
}

/** Called once a cell is converted: its maps go with the next vm run of a cell wrapper. */
export function armCell(count: number, src: string): void {
  armed = lastEsm && lastCjs ? { count, lines: src.split("\n"), esm: lastEsm, cjs: lastCjs } : null;
  lastEsm = null;
  lastCjs = null;
}

function patchVm(): void {
  const run = vm.runInThisContext;
  vm.runInThisContext = function runInThisContext(code: string, options?: vm.RunningScriptOptions | string): unknown {
    const wrapper = typeof code === "string" ? WRAPPERS.find((w) => code.startsWith(w)) : undefined;
    if (!armed || wrapper === undefined || (typeof options === "object" && options.filename)) return run(code, options);
    const id = ++nextId;
    cells.set(id, { ...armed, firstLineShift: wrapper.length });
    armed = null;
    const opts = typeof options === "object" ? options : {};
    return run(code, { ...opts, filename: `nnlab-cell-${id}.js` });
  };
}

function consumersOf(id: number, c: CellMaps): [SourceMapConsumer, SourceMapConsumer] {
  let pair = consumers.get(id);
  if (!pair) {
    pair = [new SourceMapConsumer(c.cjs), new SourceMapConsumer(c.esm)];
    consumers.set(id, pair);
  }
  return pair;
}

/** The cell position of `nnlab-cell-<id>.js:line:column` (1-based, as in stack traces). */
export function cellPosition(id: number, line: number, column: number): CellPosition | null {
  const c = cells.get(id);
  if (!c) return null;
  const [cjs, esm] = consumersOf(id, c);
  const col0 = (line === 1 ? column - c.firstLineShift : column) - 1;
  const mid = cjs.originalPositionFor({ line, column: Math.max(col0, 0) });
  if (mid.line == null) return null;
  const orig = esm.originalPositionFor({ line: mid.line, column: mid.column ?? 0 });
  if (orig.line == null) return null;
  const cellLine = orig.line - PREFIX_LINES;
  if (cellLine < 1 || cellLine > c.lines.length) return null;
  return { count: c.count, line: cellLine, column: (orig.column ?? 0) + 1, text: c.lines[cellLine - 1] ?? "" };
}

/**
 * Rewrites the cell frames of a stack: `at f (nnlab-cell-3.js:7:7)` → `at f (Cell In[5], line 3)`.
 * Returns the rewritten lines and the innermost cell position (for the context line).
 */
export function mapStack(lines: string[]): { lines: string[]; top: CellPosition | null } {
  let top: CellPosition | null = null;
  const frame = new RegExp(`${CELL_FILE.source}:(\\d+):(\\d+)`);
  const out: string[] = [];
  for (const l of lines) {
    const m = frame.exec(l);
    if (!m) {
      out.push(l);
      continue;
    }
    const pos = cellPosition(Number(m[1]), Number(m[2]), Number(m[3]));
    // A cell frame outside the cell's own text is the executor's wrapper call: machinery.
    if (!pos) continue;
    top ??= pos;
    // Earlier cells' functions are called through the `exports` proxy: "Proxy.f" means "f".
    out.push(l.replace(m[0], `Cell In[${pos.count}], line ${pos.line}`).replace(/\bat (async )?Proxy\./, "at $1"));
  }
  return { lines: out, top };
}

export function isCellFrame(line: string): boolean {
  return CELL_FILE.test(line);
}

/** IPython-style context: the cell header and the failing line with an arrow. */
export function contextLines(pos: CellPosition, column?: number): string[] {
  const num = String(pos.line);
  const out = [`Cell In[${pos.count}], line ${pos.line}`, `----> ${num} ${pos.text}`];
  if (column !== undefined) out.push(" ".repeat(6 + num.length + column) + "^");
  return out;
}
