export * from "./types";
export * from "./validate";
export * from "./io";
export * from "./execute";
export * from "./widget-state";
