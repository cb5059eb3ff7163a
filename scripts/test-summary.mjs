#!/usr/bin/env node
// Prints vitest's totals as one plain line ("740 passed, 0 failed, 0 skipped"), the form CI reads
// whatever the runner; vitest's own summary is coloured and laid out for people.
// In CI (CI=true) a skipped test is a failure: .ci/run installs every tool a test needs (Jupyter,
// Chromium, Python, bubblewrap), so a skip there means a missing install step, not a missing tool.
import { readFileSync } from "node:fs";

const file = process.argv[2] ?? "out/test-results.json";
const r = JSON.parse(readFileSync(file, "utf8"));
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
const inCi = process.env.CI === "true" || process.env.CI === "1";
if (inCi && skipped > 0) {
  const names = [];
  for (const f of r.testResults ?? []) {
    for (const a of f.assertionResults ?? []) {
      if (a.status === "pending" || a.status === "skipped" || a.status === "todo") names.push(`${f.name}: ${a.fullName}`);
    }
  }
  console.error(`CI: ${skipped} test(s) skipped; CI installs every tool the tests need, so a skip is a failure here:`);
  for (const n of names.slice(0, 50)) console.error(`  skipped: ${n}`);
}
process.exit(r.numFailedTests > 0 || r.numTotalTests === 0 || (inCi && skipped > 0) ? 1 : 0);
