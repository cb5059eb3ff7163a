export * from "./render";
export * from "./site";
export * from "./markdown";
export { stripAnsi, applyCarriageReturns } from "./ansi";
export { escapeHtml } from "./escape";
export { PLOTLY_FILE, PLOTLY_MIME, plotlyBundle, plotlyJsPath } from "./plotly";
