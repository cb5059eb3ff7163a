// One place for how the tests start Debian's Chromium headless: as root it needs --no-sandbox, and
// on this workplace's closed network the background-networking flags keep it from hammering
// refused connections at every start.
import { existsSync } from "node:fs";
import type { Browser } from "playwright-core";

export const CHROMIUM: string = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const hasChromium: boolean = existsSync(CHROMIUM);
export const CHROMIUM_ARGS: string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Prints why a browser test is skipped (call once per file). */
export function reportMissingChromium(what: string): void {
  if (!hasChromium) console.log(`${what} skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
}

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}
