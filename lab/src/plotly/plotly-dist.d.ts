// plotly.js-dist-min ships no types; renderer.ts casts the module to the interface it uses.
declare module "plotly.js-dist-min" {
  const plotly: unknown;
  export default plotly;
}
