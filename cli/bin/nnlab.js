#!/usr/bin/env node
// The `nnlab` bin. npm links bins before the postinstall build makes cli/dist, so the bin is this
// committed file (the link is made on the first `npm install`) and the command itself is built code.
const { existsSync } = require("node:fs");
const { join } = require("node:path");
const main = join(__dirname, "..", "dist", "main.js");
if (!existsSync(main)) {
  process.stderr.write(`nnlab: ${main} is not built yet; run \`npm run build\` (or \`npm install\`) at the repository root\n`);
  process.exit(1);
}
require(main).runFromBin();
