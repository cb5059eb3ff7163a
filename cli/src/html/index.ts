export * from "./render";
export * from "./site";
export * from "./markdown";
export { stripAnsi, applyCarriageReturns } from "./ansi";
export { escapeHtml } from "./escape";
export { PLOTLY_MIME, plotlyBundle } from "./plotly";
