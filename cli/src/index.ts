/** nnlab-cli as a library: what the command is built from, for scripts and tests. */
export * from "./notebook";
export * from "./html";
export { runNotebooks } from "./commands/run";
export type { RunOptions, RunSummary, NotebookSummary } from "./commands/run";
export { start, openUrl, serverKernelspecs } from "./commands/start";
export type { StartOptions, StartHandle } from "./commands/start";
export { buildSite, listNotebooks } from "./commands/site";
export { installKernel, dataDirFor } from "./commands/kernel";
export type { InstallScope } from "./commands/kernel";
export { detectJupyter } from "./commands/jupyter-paths";
export { COMMANDS, main } from "./main";
export type { Command } from "./commands/command";
export type { CommandEntry } from "./main";
