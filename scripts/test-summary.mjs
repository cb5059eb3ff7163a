#!/usr/bin/env node
// Prints vitest's totals as one plain line ("740 passed, 0 failed, 0 skipped"), the form CI reads
// whatever the runner; vitest's own summary is coloured and laid out for people.
import { readFileSync } from "node:fs";

const file = process.argv[2] ?? "out/test-results.json";
const r = JSON.parse(readFileSync(file, "utf8"));
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
process.exit(r.numFailedTests > 0 || r.numTotalTests === 0 ? 1 : 0);
