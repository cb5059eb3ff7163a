export * from "./types";
export * from "./validate";
export * from "./io";
export * from "./execute";
export * from "./execute-in-place";
export * from "./widget-state";
