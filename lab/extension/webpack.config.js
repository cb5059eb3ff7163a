// Merged by @jupyterlab/builder into its federation config. plotly.min.js (4.6 MB) is minified
// already and imports nothing: parsing it and running terser over it again made the build take
// ≈4 minutes on 2 busy cores for no smaller file. The extension's own code is a few kB.
module.exports = {
  module: { noParse: /plotly\.min\.js$/ },
  optimization: { minimize: false },
};
